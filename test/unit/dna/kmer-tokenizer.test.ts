import { describe, expect, it } from 'vitest';
import {
  CLS_ID,
  PAD_ID,
  SEP_ID,
  SUPPORTED_K,
  UNK_ID,
  decode,
  kmerCount,
  kmerToId,
  kmerize,
  kmersToSequence,
  maxBasesFor,
  tokenize,
  tokenizeBatch,
  tokenizePair,
  tokenizePairBatch,
} from '../../../src-shared/dna';
import { readSharedTable } from './shared-data';

const ids = (e: { ids: Int32Array }): number[] => Array.from(e.ids);
const k3 = (s: string): number => kmerToId(s, 3);

/** Deterministic pseudo-random DNA with some N, lower-case and IUPAC characters. */
function randomSequence(seed: number, length: number): string {
  let state = seed >>> 0;
  const next = (): number => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  const alphabet = 'ACGTACGTACGTACGTacgtNNRY-';
  let s = '';
  for (let i = 0; i < length; i++) s += alphabet[Math.floor(next() * alphabet.length)] ?? 'A';
  return s;
}

describe('tokenize against the DNABERT fine-tuning sample', () => {
  const converted = readSharedTable('dnabert_ft6_sample/dev.csv.gz', ',');
  const original = readSharedTable('dnabert_ft6_sample/dev.original_6mer.tsv.gz', '\t');

  it('gives the original k-mer strings for every sequence (k = 6, overlapping)', () => {
    expect(converted).toHaveLength(1000);
    expect(original).toHaveLength(converted.length);
    converted.forEach(([sequence = '', label], i) => {
      const [kmers = '', originalLabel] = original[i] ?? [];
      expect(originalLabel).toBe(label);
      const encoding = tokenize(sequence, { k: 6 });
      expect(decode(encoding.ids, 6, { skipSpecialTokens: true }).join(' ')).toBe(kmers);
      expect(encoding.ids[0]).toBe(CLS_ID);
      expect(encoding.ids[encoding.length - 1]).toBe(SEP_ID);
      expect(kmerize(sequence, 6).join(' ')).toBe(kmers);
      expect(kmersToSequence(kmers.split(' '))).toBe(sequence);
    });
  });

  it('fits a 101 bp sequence in 98 tokens of a 512-token row', () => {
    const [sequence = ''] = converted[0] ?? [];
    const encoding = tokenize(sequence, { k: 6, maxLength: 512 });
    expect(encoding.ids).toHaveLength(512);
    expect(encoding.length).toBe(98);
    expect(Array.from(encoding.attentionMask.subarray(0, 98)).every((m) => m === 1)).toBe(true);
    expect(Array.from(encoding.attentionMask.subarray(98)).every((m) => m === 0)).toBe(true);
    expect(Array.from(encoding.ids.subarray(98)).every((id) => id === PAD_ID)).toBe(true);
    expect(maxBasesFor(512, { k: 6 })).toBe(515);
  });
});

describe('tokenize', () => {
  it('adds [CLS] and [SEP] around overlapping k-mers', () => {
    const e = tokenize('ACGTA', { k: 3 });
    expect(ids(e)).toEqual([CLS_ID, k3('ACG'), k3('CGT'), k3('GTA'), SEP_ID]);
    expect(Array.from(e.attentionMask)).toEqual([1, 1, 1, 1, 1]);
    expect(Array.from(e.tokenTypeIds)).toEqual([0, 0, 0, 0, 0]);
    expect(e.segments).toEqual([{ tokenStart: 1, tokenCount: 3, firstBase: 0, truncated: 0 }]);
  });

  it('accepts lower-case bases', () => {
    expect(ids(tokenize('acgtTGCAnn', { k: 4 }))).toEqual(ids(tokenize('ACGTTGCANN', { k: 4 })));
  });

  it('turns every k-mer that covers an N or another character into [UNK]', () => {
    expect(ids(tokenize('ACGTNACGTA', { k: 3 }))).toEqual([
      CLS_ID, k3('ACG'), k3('CGT'), UNK_ID, UNK_ID, UNK_ID, k3('ACG'), k3('CGT'), k3('GTA'), SEP_ID,
    ]);
    expect(ids(tokenize('AC-GTRAC', { k: 3, addSpecial: false }))).toEqual(new Array(6).fill(UNK_ID));
    expect(ids(tokenize('AC\u00e9GT', { k: 3, addSpecial: false }))).toEqual([UNK_ID, UNK_ID, UNK_ID]);
  });

  it('steps by k without overlap and ignores the bases that do not fill a last k-mer', () => {
    expect(ids(tokenize('ACGTACGTAC', { k: 3, overlapping: false, addSpecial: false }))).toEqual([k3('ACG'), k3('TAC'), k3('GTA')]);
    expect(ids(tokenize('ACGNACGTAC', { k: 3, overlapping: false, addSpecial: false }))).toEqual([k3('ACG'), UNK_ID, k3('GTA')]);
    expect(kmerCount(10, 3, false)).toBe(3);
    expect(maxBasesFor(5, { k: 3, overlapping: false })).toBe(11);
  });

  it('gives only [CLS] [SEP] for a sequence shorter than k', () => {
    expect(ids(tokenize('ACGTA', { k: 6 }))).toEqual([CLS_ID, SEP_ID]);
    expect(ids(tokenize('', { k: 6, maxLength: 4 }))).toEqual([CLS_ID, SEP_ID, PAD_ID, PAD_ID]);
  });

  it('truncates on the right by default, keeping the first k-mers', () => {
    const e = tokenize('ACGTACGT', { k: 3, maxLength: 5 });
    expect(ids(e)).toEqual([CLS_ID, k3('ACG'), k3('CGT'), k3('GTA'), SEP_ID]);
    expect(e.segments[0]).toEqual({ tokenStart: 1, tokenCount: 3, firstBase: 0, truncated: 3 });
  });

  it('truncates on the left, keeping the last k-mers', () => {
    const e = tokenize('ACGTACGT', { k: 3, maxLength: 5, truncation: 'left' });
    expect(ids(e)).toEqual([CLS_ID, k3('TAC'), k3('ACG'), k3('CGT'), SEP_ID]);
    expect(e.segments[0]).toEqual({ tokenStart: 1, tokenCount: 3, firstBase: 3, truncated: 3 });
    const n = tokenize('NNNNACGTAC', { k: 3, maxLength: 4, truncation: 'left', overlapping: false, padding: 'none' });
    expect(ids(n)).toEqual([CLS_ID, UNK_ID, k3('GTA'), SEP_ID]);
    expect(n.segments[0]?.firstBase).toBe(3);
  });

  it("throws when the k-mers do not fit and truncation is 'error'", () => {
    expect(() => tokenize('ACGTACGT', { k: 3, maxLength: 5, truncation: 'error' })).toThrow(/6 k-mers but only 3 fit/);
    expect(ids(tokenize('ACGTAC', { k: 3, maxLength: 6, truncation: 'error' }))).toHaveLength(6);
  });

  it("pads to maxLength with 'max' and not at all with 'none'", () => {
    const padded = tokenize('ACGT', { k: 3, maxLength: 6 });
    expect(ids(padded)).toEqual([CLS_ID, k3('ACG'), k3('CGT'), SEP_ID, PAD_ID, PAD_ID]);
    expect(Array.from(padded.attentionMask)).toEqual([1, 1, 1, 1, 0, 0]);
    expect(padded.length).toBe(4);
    const unpadded = tokenize('ACGT', { k: 3, maxLength: 6, padding: 'none' });
    expect(ids(unpadded)).toEqual([CLS_ID, k3('ACG'), k3('CGT'), SEP_ID]);
    expect(() => tokenize('ACGT', { k: 3, padding: 'max' })).toThrow(/needs maxLength/);
  });

  it('counts maxLength without special tokens when addSpecial is false', () => {
    expect(ids(tokenize('ACGTAC', { k: 3, maxLength: 2, addSpecial: false }))).toEqual([k3('ACG'), k3('CGT')]);
  });

  it('refuses a k it has no vocabulary for and a maxLength too small for the special tokens', () => {
    expect(() => tokenize('ACGT', { k: 7 as 6 })).toThrow(RangeError);
    expect(() => tokenize('ACGT', { k: 3, maxLength: 1 })).toThrow(/at least 2/);
    expect(() => tokenizePair('ACGT', 'ACGT', { k: 3, maxLength: 2 })).toThrow(/at least 3/);
  });

  it.each(SUPPORTED_K)('gives the id of each k-mer for random sequences with N, k = %i, both strides', (k) => {
    for (let seed = 1; seed <= 20; seed++) {
      const sequence = randomSequence(seed * 7919 + k, 40 + seed * 3);
      for (const overlapping of [true, false]) {
        const expected = kmerize(sequence, k, overlapping).map((kmer) => kmerToId(kmer, k));
        expect(ids(tokenize(sequence, { k, overlapping, addSpecial: false }))).toEqual(expected);
        const keep = Math.floor(expected.length / 2);
        const left = tokenize(sequence, { k, overlapping, addSpecial: false, maxLength: keep, truncation: 'left' });
        expect(ids(left)).toEqual(expected.slice(expected.length - keep));
      }
    }
  });
});

describe('tokenizePair', () => {
  it('builds [CLS] A [SEP] B [SEP] with token types 0 then 1', () => {
    const e = tokenizePair('ACGT', 'TTTA', { k: 3, maxLength: 9 });
    expect(ids(e)).toEqual([CLS_ID, k3('ACG'), k3('CGT'), SEP_ID, k3('TTT'), k3('TTA'), SEP_ID, PAD_ID, PAD_ID]);
    expect(Array.from(e.tokenTypeIds)).toEqual([0, 0, 0, 0, 1, 1, 1, 0, 0]);
    expect(Array.from(e.attentionMask)).toEqual([1, 1, 1, 1, 1, 1, 1, 0, 0]);
    expect(e.segments.map((s) => [s.tokenStart, s.tokenCount])).toEqual([[1, 2], [4, 2]]);
  });

  it('truncates the longer segment first, the second one on a tie', () => {
    const a = 'AAAAAAAAAA'; // 8 3-mers
    const b = 'CCCCCC'; // 4 3-mers
    const counts = (maxLength: number): number[] => tokenizePair(a, b, { k: 3, maxLength }).segments.map((s) => s.tokenCount);
    expect(counts(15)).toEqual([8, 4]);
    expect(counts(12)).toEqual([5, 4]);
    expect(counts(11)).toEqual([4, 4]);
    expect(counts(10)).toEqual([4, 3]);
    expect(counts(9)).toEqual([3, 3]);
    expect(counts(3)).toEqual([0, 0]);
    const left = tokenizePair(a, 'ACGTA', { k: 3, maxLength: 7, truncation: 'left' });
    expect(ids(left)).toEqual([CLS_ID, k3('AAA'), k3('AAA'), SEP_ID, k3('CGT'), k3('GTA'), SEP_ID]);
    expect(left.segments.map((s) => s.truncated)).toEqual([6, 1]);
  });
});

describe('tokenizeBatch', () => {
  it('lays out rows [batch, maxLength] exactly as tokenize does, one by one', () => {
    const sequences = ['ACGTACGTAC', 'AC', 'NNACGTTTGA', 'acgtacgtacgtacgtacgt'];
    const batch = tokenizeBatch(sequences, { k: 4, maxLength: 8 });
    expect(batch.batchSize).toBe(4);
    expect(batch.seqLength).toBe(8);
    expect(batch.ids).toHaveLength(32);
    sequences.forEach((s, r) => {
      const single = tokenize(s, { k: 4, maxLength: 8 });
      expect(Array.from(batch.ids.subarray(r * 8, r * 8 + 8))).toEqual(ids(single));
      expect(Array.from(batch.attentionMask.subarray(r * 8, r * 8 + 8))).toEqual(Array.from(single.attentionMask));
      expect(batch.lengths[r]).toBe(single.length);
      expect(batch.truncated[r]).toBe(single.segments[0]?.truncated);
    });
    expect(Array.from(batch.tokenTypeIds).every((t) => t === 0)).toBe(true);
  });

  it('names the row that does not fit when truncation is an error', () => {
    expect(() => tokenizeBatch(['ACGT', 'ACGTACGTACGT'], { k: 3, maxLength: 5, truncation: 'error' })).toThrow(/row 1/);
  });

  it('tokenizes pairs with token types per row', () => {
    const batch = tokenizePairBatch([['ACGT', 'TTTA'], ['ACGTACGT', 'A']], { k: 3, maxLength: 7 });
    expect(Array.from(batch.ids.subarray(0, 7))).toEqual(ids(tokenizePair('ACGT', 'TTTA', { k: 3, maxLength: 7 })));
    expect(Array.from(batch.tokenTypeIds.subarray(7))).toEqual(Array.from(tokenizePair('ACGTACGT', 'A', { k: 3, maxLength: 7 }).tokenTypeIds));
    expect(Array.from(batch.truncated)).toEqual([0, 2]);
  });
});

describe('decode and kmersToSequence', () => {
  it('decodes ids to tokens, with or without the structural special tokens', () => {
    const e = tokenize('ACGNT', { k: 3, maxLength: 7 });
    expect(decode(e.ids, 3)).toEqual(['[CLS]', 'ACG', '[UNK]', '[UNK]', '[SEP]', '[PAD]', '[PAD]']);
    expect(decode(e.ids, 3, { skipSpecialTokens: true })).toEqual(['ACG', '[UNK]', '[UNK]']);
    expect(() => decode([70], 3)).toThrow(RangeError);
  });

  it('rebuilds a sequence through its tokens, N included', () => {
    const sequence = 'ACGTNACGTAGGNTTACA';
    expect(kmersToSequence(decode(tokenize(sequence, { k: 3 }).ids, 3))).toBe(sequence);
    expect(kmersToSequence(decode(tokenize(sequence.toLowerCase(), { k: 4 }).ids, 4))).toBe(sequence);
    expect(kmersToSequence(kmerize('ACGTRACGT', 3))).toBe('ACGTNACGT');
  });

  it('writes N for a base that no known k-mer covers, and [MASK] keeps its place', () => {
    expect(kmersToSequence(['ACG', '[MASK]', '[MASK]', '[MASK]', 'TAC'])).toBe('ACGNTAC');
    expect(kmersToSequence(['[UNK]', '[UNK]'], { k: 3 })).toBe('NNNN');
    expect(() => kmersToSequence(['[UNK]'])).toThrow(/give options.k/);
    expect(kmersToSequence([])).toBe('');
  });

  it('joins non-overlapping k-mers', () => {
    expect(kmersToSequence(['ACG', '[UNK]', 'GTA'], { overlapping: false })).toBe('ACGNNNGTA');
  });

  it('refuses k-mers that do not overlap consistently', () => {
    expect(() => kmersToSequence(['ACG', 'GGT'])).toThrow(/disagree at base 1/);
    expect(() => kmersToSequence(['ACG', 'CG'])).toThrow(/does not have 3 bases/);
  });
});

import { describe, expect, it } from 'vitest';
import { StatsAccumulator } from '../../../src-main/datasets/dataset-stats';
import { SequenceEncoder } from '../../../src-main/datasets/sequence-encoder';
import { SequenceHashIndex } from '../../../src-main/datasets/sequence-hash-index';

/** The bytes of `s` at a 4-aligned offset, as a record batch holds them. */
function bytesOf(s: string, offset = 8): { bytes: Uint8Array; words: Int32Array; start: number; end: number } {
  const bytes = new Uint8Array(((offset + s.length + 7) >> 2) << 2);
  for (let i = 0; i < s.length; i++) bytes[offset + i] = s.charCodeAt(i);
  return { bytes, words: new Int32Array(bytes.buffer), start: offset, end: offset + s.length };
}

function encode(enc: SequenceEncoder, s: string): 'fast' | 'bytes' {
  const { bytes, words, start, end } = bytesOf(s);
  if (enc.encodeAcgt(bytes, words, start, end)) return 'fast';
  enc.encodeBytes(bytes, start, end);
  return 'bytes';
}

function allSequences(alphabet: string, maxLength: number): string[] {
  const out = [''];
  let level = [''];
  for (let len = 1; len <= maxLength; len++) {
    level = level.flatMap((s) => [...alphabet].map((c) => s + c));
    out.push(...level);
  }
  return out;
}

describe('SequenceEncoder', () => {
  it('gives every distinct short sequence its own duplicate hash (A/C/G/T up to 8, with N up to 5)', () => {
    const enc = new SequenceEncoder();
    const index = new SequenceHashIndex();
    const seqs = [...allSequences('ACGT', 8), ...allSequences('ACGN', 5).filter((s) => s.includes('N'))];
    seqs.forEach((s, i) => expect(index.findOrInsertHash((encode(enc, s), enc.hashHi), enc.hashLo, i)).toBe(-1));
    expect(index.size).toBe(seqs.length);
  });

  it('hashes and packs the same whatever the case or the path taken', () => {
    const a = new SequenceEncoder();
    const b = new SequenceEncoder();
    for (const s of ['ACGTACGTACGTACGTA', 'acgtACGTttttggggCCCCaaaa', 'A'.repeat(33), 'GATTACA']) {
      expect(encode(a, s)).toBe('fast');
      expect(encode(b, s.toLowerCase())).toBe('fast');
      expect([b.hashHi, b.hashLo]).toEqual([a.hashHi, a.hashLo]);
      const { bytes, start, end } = bytesOf(s);
      b.encodeBytes(bytes, start, end);
      expect([b.hashHi, b.hashLo]).toEqual([a.hashHi, a.hashLo]);
      expect(b.packed.subarray(0, b.packedLength)).toEqual(a.packed.subarray(0, a.packedLength));
      b.encodeString(s.toUpperCase());
      expect([b.hashHi, b.hashLo]).toEqual([a.hashHi, a.hashLo]);
    }
  });

  it('sends anything but A/C/G/T to the byte path, and N into runs', () => {
    const enc = new SequenceEncoder();
    for (const s of ['ACGTACGTACGTACGN', 'NACGTACGTACGTACGTACGT', 'ACGR', 'AC-T', 'ACGTACGTACGTACGTACGTACGT\u00e9']) {
      const { bytes, words, start, end } = bytesOf(s);
      expect(enc.encodeAcgt(bytes, words, start, end)).toBe(false);
    }
    encode(enc, 'NNACGTNNNNA');
    // length 11, 2 runs: gap 0 length 2, gap 4 length 4
    expect([...enc.head.subarray(0, enc.headLength)]).toEqual([11, 2, 0, 2, 4, 4]);
  });

  it('feeds the statistics from packed bytes exactly as from the text', () => {
    const enc = new SequenceEncoder();
    const fromText = new StatsAccumulator();
    const fromPacked = new StatsAccumulator();
    let x = 12345;
    for (let n = 0; n < 300; n++) {
      let s = '';
      for (let i = 0; i < n % 37; i++) {
        x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
        s += 'ACGT'[x >>> 30];
      }
      fromText.add(s);
      encode(enc, s);
      const text = new Uint8Array(s.length + 3);
      fromPacked.addPacked(enc.packed, 0, enc.length, text, 3);
      expect(Buffer.from(text.subarray(3)).toString('latin1')).toBe(s);
    }
    expect(fromPacked.stats()).toEqual(fromText.stats());
  });
});

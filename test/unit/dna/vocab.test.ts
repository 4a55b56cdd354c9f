import { describe, expect, it } from 'vitest';
import {
  CLS_ID,
  MASK_ID,
  PAD_ID,
  SEP_ID,
  SUPPORTED_K,
  UNK_ID,
  buildVocab,
  idToToken,
  kmerToId,
  tokenToId,
  vocabSize,
} from '../../../src-shared/dna';
import { readSharedText } from './shared-data';

describe('k-mer vocabulary', () => {
  it.each(SUPPORTED_K)('matches DNABERT vocab.txt line by line for k = %i', (k) => {
    const lines = readSharedText(`dnabert_config/${k}/vocab.txt`).split(/\r?\n/);
    while (lines.at(-1) === '') lines.pop();
    expect(lines).toHaveLength(vocabSize(k));
    const vocab = buildVocab(k);
    expect(vocab).toEqual(lines);
    lines.forEach((token, id) => {
      expect(idToToken(id, k)).toBe(token);
      expect(tokenToId(token, k)).toBe(id);
    });
  });

  it('has 4^k + 5 tokens, 4101 for k = 6', () => {
    expect(SUPPORTED_K.map((k) => vocabSize(k))).toEqual([69, 261, 1029, 4101]);
    expect(() => vocabSize(7)).toThrow(RangeError);
  });

  it('puts the special tokens first, as DNABERT does', () => {
    expect([PAD_ID, UNK_ID, CLS_ID, SEP_ID, MASK_ID].map((id) => idToToken(id, 6))).toEqual(['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]']);
  });

  it('computes a k-mer id arithmetically: base 4 with A=0, T=1, C=2, G=3, plus 5', () => {
    expect(kmerToId('AAAAAA')).toBe(5);
    expect(kmerToId('AAAAAT')).toBe(6);
    expect(kmerToId('AAAATA')).toBe(9);
    expect(kmerToId('GGGGGG')).toBe(4100);
    expect(kmerToId('tcg')).toBe(5 + 1 * 16 + 2 * 4 + 3);
  });

  it('maps k-mers with N or other characters, and k-mers of the wrong length, to [UNK]', () => {
    expect(kmerToId('AANAAA')).toBe(UNK_ID);
    expect(kmerToId('AARAAA')).toBe(UNK_ID);
    expect(kmerToId('AAAA', 6)).toBe(UNK_ID);
    expect(tokenToId('hello!', 6)).toBe(UNK_ID);
  });

  it('refuses ids outside the vocabulary', () => {
    expect(() => idToToken(4101, 6)).toThrow(RangeError);
    expect(() => idToToken(-1, 6)).toThrow(RangeError);
    expect(() => idToToken(1.5, 6)).toThrow(RangeError);
  });
});

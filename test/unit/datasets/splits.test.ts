import { describe, expect, it } from 'vitest';
import { SequenceHashIndex } from '../../../src-main/datasets/sequence-hash-index';
import {
  compareLabels,
  compareSplits,
  describeSplitRule,
  normaliseSplitName,
  stratifiedAssignment,
} from '../../../src-main/datasets/splits';

describe('split names', () => {
  it('maps the usual spellings onto train, validation and test', () => {
    expect(['train', 'Training', 'dev', 'VALID', 'val', 'validation', 'test', 'testing'].map(normaliseSplitName)).toEqual([
      'train',
      'train',
      'validation',
      'validation',
      'validation',
      'validation',
      'test',
      'test',
    ]);
    expect(normaliseSplitName(' holdout ')).toBe('holdout');
    expect(normaliseSplitName('')).toBeNull();
    expect(normaliseSplitName(null)).toBeNull();
  });

  it('orders splits for display and classes numerically', () => {
    expect(['test', 'holdout', 'validation', 'train'].sort(compareSplits)).toEqual(['train', 'validation', 'test', 'holdout']);
    expect(['10', '2', 'b', '1', 'a'].sort(compareLabels)).toEqual(['1', '2', '10', 'a', 'b']);
  });

  it('describes a rule in words', () => {
    expect(describeSplitRule({ mode: 'given' })).toBe('given splits');
    expect(describeSplitRule({ mode: 'random', seed: 42, train: 0.8, validation: 0.1, test: 0.1 })).toBe(
      'random stratified 80/10/10, seed 42',
    );
    expect(describeSplitRule({ mode: 'chromosome', test: ['chr1', 'chr2'], validation: ['chr3'] })).toBe(
      'by chromosome (test chr1, chr2; validation chr3)',
    );
  });
});

describe('the seeded stratified assignment', () => {
  const groups = [Array.from({ length: 1000 }, (_, i) => i), Array.from({ length: 250 }, (_, i) => i)];
  const rule = { seed: 42, train: 0.8, validation: 0.1 };

  it('cuts every class by the fractions', () => {
    const [a, b] = stratifiedAssignment(groups, rule);
    const count = (codes: Uint8Array | undefined, c: number) => [...(codes ?? [])].filter((x) => x === c).length;
    expect([count(a, 0), count(a, 1), count(a, 2)]).toEqual([800, 100, 100]);
    expect([count(b, 0), count(b, 1), count(b, 2)]).toEqual([200, 25, 25]);
  });

  it('is the same for the same seed and different for another', () => {
    const one = stratifiedAssignment(groups, rule);
    const again = stratifiedAssignment(groups, rule);
    const other = stratifiedAssignment(groups, { ...rule, seed: 43 });
    expect(again).toEqual(one);
    expect(other).not.toEqual(one);
  });
});

describe('the sequence hash index', () => {
  it('finds exact duplicates among many sequences and grows as needed', () => {
    const index = new SequenceHashIndex(16);
    const seqs = Array.from({ length: 20_000 }, (_, i) => i.toString(4).replace(/0/g, 'A').replace(/1/g, 'C').replace(/2/g, 'G').replace(/3/g, 'T'));
    seqs.forEach((s, i) => expect(index.findOrInsert(s, i)).toBe(-1));
    expect(index.size).toBe(seqs.length);
    expect(index.findOrInsert(seqs[12_345] ?? '', 99_999)).toBe(12_345);
    expect(index.findOrInsert('ACGTN', 5)).toBe(-1);
    expect(index.bytes / index.size).toBeLessThan(40);
  });
});

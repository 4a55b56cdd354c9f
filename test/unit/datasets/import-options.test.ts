import { describe, expect, it } from 'vitest';
import { ApiError, type ImportOptions } from '../../../src-shared/api';
import { parseArgs } from '../../../src-main/cli/args';
import { DATASET_VALUED_FLAGS, optionsFromFlags, parseSplitFlag } from '../../../src-main/cli/dataset-commands';
import { csvField } from '../../../src-main/datasets/dataset-export';
import { IssueLog, formatIssue, rejectionMessage } from '../../../src-main/datasets/import-issues';
import { parseImportOptions } from '../../../src-main/datasets/import-options';

const valid: ImportOptions = {
  paths: ['/data/promoters'],
  format: 'auto',
  name: 'promoters',
  labels: { from: 'column', column: 'label' },
  ambiguous: 'to-n',
  invalid: 'reject',
  duplicates: 'keep',
  leakage: 'keep',
  split: { mode: 'given' },
};

function refused(value: unknown): string {
  try {
    parseImportOptions(value);
  } catch (err) {
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).code).toBe('INVALID_REQUEST');
    return (err as ApiError).message;
  }
  throw new Error('accepted');
}

describe('import options from outside', () => {
  it('keeps the known fields only, trimmed', () => {
    const parsed = parseImportOptions({ ...valid, name: '  promoters ', stagingDir: '/tmp/x', minLength: 10 });
    expect(parsed).toEqual({ ...valid, minLength: 10 });
    expect('stagingDir' in parsed).toBe(false);
  });

  it('refuses what cannot be right, saying what to change', () => {
    expect(refused(null)).toMatch(/must be an object/);
    expect(refused({ ...valid, paths: [] })).toMatch(/at least one file/);
    expect(refused({ ...valid, name: '' })).toMatch(/name/);
    expect(refused({ ...valid, name: 'a\tb' })).toMatch(/control characters/);
    expect(refused({ ...valid, format: 'xlsx' })).toMatch(/format/);
    expect(refused({ ...valid, ambiguous: 'ignore' })).toMatch(/ambiguous/);
    expect(refused({ ...valid, labels: { from: 'header-regex', pattern: '(' } })).toMatch(/regular expression/);
    expect(refused({ ...valid, split: { mode: 'random', seed: 1, train: 0.8, validation: 0.1, test: 0.2 } })).toMatch(/add up to 1/);
    expect(refused({ ...valid, split: { mode: 'random', seed: -1, train: 0.8, validation: 0.1, test: 0.1 } })).toMatch(/seed/);
    expect(refused({ ...valid, split: { mode: 'chromosome', test: ['chr1'], validation: ['chr1'] } })).toMatch(/both/);
    expect(refused({ ...valid, minLength: 10, maxLength: 5 })).toMatch(/minimum/);
    expect(refused({ ...valid, flank: 1.5 })).toMatch(/flank/);
  });
});

describe('the --split flag', () => {
  it('reads given, random, seed=... and chrom=...', () => {
    expect(parseSplitFlag('given')).toEqual({ mode: 'given' });
    expect(parseSplitFlag('random')).toEqual({ mode: 'random', seed: 42, train: 0.8, validation: 0.1, test: 0.1 });
    expect(parseSplitFlag('seed=7')).toEqual({ mode: 'random', seed: 7, train: 0.8, validation: 0.1, test: 0.1 });
    expect(parseSplitFlag('seed=7,train=0.8,test=0.2')).toEqual({ mode: 'random', seed: 7, train: 0.8, validation: 0, test: 0.2 });
    expect(parseSplitFlag('seed=7,train=0.9')).toMatchObject({ train: 0.9, validation: expect.closeTo(0.05), test: expect.closeTo(0.05) });
    expect(parseSplitFlag('chrom=test:chr1,chr2;validation:chr3')).toEqual({ mode: 'chromosome', test: ['chr1', 'chr2'], validation: ['chr3'] });
    expect(() => parseSplitFlag('seed=abc')).toThrow(/seed/);
    expect(() => parseSplitFlag('chrom=train:chr1')).toThrow(/test or validation/);
    expect(() => parseSplitFlag('halves')).toThrow(/--split must be/);
  });

  it('lays the command line over the suggested options', () => {
    const args = parseArgs(
      ['dataset', 'import', 'P', 'f.fa', '--name', 'mine', '--label-regex', 'class=(\\w+)', '--ambiguous', 'drop', '--leakage', 'drop', '--split', 'seed=3', '--min-length', '0'],
      DATASET_VALUED_FLAGS,
    );
    expect(optionsFromFlags(valid, args)).toEqual({
      ...valid,
      name: 'mine',
      labels: { from: 'header-regex', pattern: 'class=(\\w+)' },
      ambiguous: 'drop-record',
      leakage: 'drop-from-train',
      minLength: 0,
      split: { mode: 'random', seed: 3, train: 0.8, validation: 0.1, test: 0.1 },
    });
    expect(() => optionsFromFlags(valid, parseArgs(['--invalid', 'maybe'], DATASET_VALUED_FLAGS))).toThrow(/--invalid must be one of reject, drop/);
  });
});

describe('messages and fields', () => {
  it('formats a blocking issue as file, line, column and problem, with how many more', () => {
    const log = new IssueLog();
    const issue = { kind: 'invalid-character', severity: 'error', file: '/data/x/train.csv', line: 12, column: 5, message: "'X' is bad." } as const;
    expect(formatIssue(issue)).toBe("train.csv, line 12, column 5 of the sequence: 'X' is bad.");
    log.add(issue);
    log.add({ ...issue, line: 13 });
    log.add({ ...issue, line: 14 });
    expect(rejectionMessage(log)).toBe("train.csv, line 12, column 5 of the sequence: 'X' is bad. (and 2 more)");
  });

  it('quotes CSV fields the RFC 4180 way', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
  });
});

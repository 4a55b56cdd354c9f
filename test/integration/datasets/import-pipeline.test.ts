import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { ApiError, type ImportReport } from '../../../src-shared/api';
import { fileIo } from '../../../src-main/datasets/dataset-io';
import { previewImport } from '../../../src-main/datasets/dataset-preview';
import { stageImport, validateImport } from '../../../src-main/datasets/import-pipeline';
import { SequenceFileReader } from '../../../src-main/datasets/sequence-store';
import { CancelledError } from '../../../src-main/engine/task-context';
import { csvOptions, memoryIo, quiet, randomDna, sharedData, writeSplitFolder } from './helpers';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dnalm-pipeline-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
const gue = path.join(sharedData, 'gue_prom_core_all');
let folders = 0;

function folder(splits: Record<string, readonly (readonly [string, string])[]>): string {
  return writeSplitFolder(path.join(tmp, `set${++folders}`), splits);
}

function stagingDir(): string {
  return path.join(tmp, 'staging', String(++folders));
}

async function rejection(promise: Promise<unknown>): Promise<ApiError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ApiError);
  expect((err as ApiError).code).toBe('IMPORT_REJECTED');
  return err as ApiError;
}

function issuesOf(report: ImportReport, kind: string) {
  return report.issues.filter((i) => i.kind === kind);
}

function storedSequences(file: string): { split: string; label: string; sequence: string; id: string }[] {
  const reader = SequenceFileReader.open(file);
  try {
    return [...reader.records()].map(({ split, label, sequence, id }) => ({ split, label, sequence, id }));
  } finally {
    reader.close();
  }
}

describe('GUE prom_core_all through the pipeline', () => {
  it('reports the published counts, the known cross-split duplicates and nothing else', async () => {
    const report = await validateImport(csvOptions([gue]), fileIo, quiet);
    expect(report).toMatchObject({ records: 59196, accepted: 59196, dropped: 0, blocked: false });
    expect(report.counts).toEqual({
      train: { '0': 23705, '1': 23651 },
      validation: { '0': 2941, '1': 2979 },
      test: { '0': 2952, '1': 2968 },
    });
    expect(report.lengths).toEqual({ min: 70, median: 70, max: 70, mean: 70 });
    // MANIFEST: "train∩test: prom_core_all 42"
    const pairs = issuesOf(report, 'leakage').filter((i) => i.line === 0).map((i) => i.message);
    expect(pairs).toContainEqual(expect.stringMatching(/^42 sequences are in both train and test/));
    expect(pairs).toContainEqual(expect.stringMatching(/^54 sequences are in both train and validation/));
    expect(pairs).toContainEqual(expect.stringMatching(/^8 sequences are in both validation and test/));
    expect(report.issueCounts.duplicate).toBe(148 + 6 + 4);
    const example = issuesOf(report, 'leakage').find((i) => i.line > 0);
    expect(example?.file).toMatch(/\.csv\.gz$/);
    expect(example?.message).toMatch(/also in .* \(line \d+ of \w+\.csv\.gz\)/);
  });

  it('imports quickly into a small file, with the canonical content hash', async () => {
    const started = Date.now();
    const staged = await stageImport(csvOptions([gue]), stagingDir(), fileIo, quiet);
    const seconds = (Date.now() - started) / 1000;
    console.log(`GUE prom_core_all: ${staged.dataset.records} records in ${seconds.toFixed(2)} s, ${staged.dataset.storedBytes} bytes stored`);
    expect(staged.dataset.storedBytes).toBe(fs.statSync(staged.stagedFile).size);
    expect(staged.dataset.storedBytes).toBeLessThan(59196 * 30); // 18 bytes of packed bases + id and lengths
    // Computed independently: sha256 over "split TAB label TAB sequence LF", splits by name, file order within.
    expect(staged.dataset.contentHash).toBe('6216a6c73195cef6d80a15487fc0f03754fc06f352b5171199e1ee86fb5d5f6b');
    expect(staged.dataset.splits).toEqual(['train', 'validation', 'test']);
    expect(staged.stats.lengthHistogram).toEqual([{ start: 70, end: 71, count: 59196 }]);
    expect(staged.stats.gcHistogram.reduce((n, b) => n + b.count, 0)).toBe(59196);
    expect(staged.stats.topKmers[0]).toEqual({ kmer: 'GGCGGC', count: expect.any(Number) });
    expect(staged.stats.kmerK).toBe(6);
    expect(fs.readdirSync(path.dirname(staged.stagedFile))).toEqual([path.basename(staged.stagedFile)]); // scratch gone
  });

  it('drops the training copies of leaking sequences when asked', async () => {
    const report = await validateImport(csvOptions([gue], { leakage: 'drop-from-train' }), fileIo, quiet);
    const total = (split: string) => Object.values(report.counts[split] ?? {}).reduce((a, b) => a + b, 0);
    // Computed independently: 96 train records are in validation or test, 8 validation records are in test.
    expect([total('train'), total('validation'), total('test')]).toEqual([47356 - 96, 5920 - 8, 5920]);
    expect(report.dropped).toBe(104);
  });

  it('finds leakage for any record, also where the per-record columns grow', async () => {
    const train: [string, string][] = Array.from({ length: 4100 }, (_, i) => [randomDna(i + 1, 40), String(i % 2)]);
    const leaked = [1023, 1024, 2048, 4096].map((i) => train[i] as [string, string]);
    const report = await validateImport(csvOptions([folder({ train, test: leaked })]), fileIo, quiet);
    expect(report.issueCounts.leakage).toBe(4);
    expect(issuesOf(report, 'leakage')[0]?.message).toMatch(/^4 sequences are in both train and test/);
    expect(report.issueCounts.duplicate).toBeUndefined();
  });

  it('drops duplicates within a split when asked', async () => {
    const report = await validateImport(csvOptions([gue], { duplicates: 'drop' }), fileIo, quiet);
    expect(report.accepted).toBe(59196 - 158);
  });
});

describe('checks on every record', () => {
  it('refuses a foreign character with its file, line and column, and counts the others', async () => {
    const dir = folder({ train: [['ACGT', 'a'], ['ACG-T', 'b'], ['AC GT', 'a'], ['ACGT', 'b']] });
    const report = await validateImport(csvOptions([dir]), fileIo, quiet);
    expect(report.blocked).toBe(true);
    expect(report.issueCounts['invalid-character']).toBe(2);
    expect(issuesOf(report, 'invalid-character')[0]).toMatchObject({
      severity: 'error',
      file: path.join(dir, 'train.csv.gz'),
      line: 3,
      column: 4,
    });
    const staging = stagingDir();
    const err = await rejection(stageImport(csvOptions([dir]), staging, fileIo, quiet));
    expect(err.message).toBe("train.csv.gz, line 3, column 4 of the sequence: '-' is not a DNA base (A, C, G, T or N). (and 1 more)");
    expect(fs.readdirSync(staging)).toEqual([]); // nothing staged

    const dropped = await validateImport(csvOptions([dir], { invalid: 'drop-record' }), fileIo, quiet);
    expect(dropped).toMatchObject({ blocked: false, accepted: 2, dropped: 2 });
    expect(issuesOf(dropped, 'invalid-character')[1]?.message).toMatch(/a space is not a DNA base.*left out/);
  });

  it('applies the IUPAC policy: refuse, turn into N, or leave the record out', async () => {
    const dir = folder({ train: [['ACGT', 'a'], ['acgRyt', 'b'], ['ACGTN', 'a']] });
    const refused = await validateImport(csvOptions([dir], { ambiguous: 'reject' }), fileIo, quiet);
    expect(refused.blocked).toBe(true);
    expect(issuesOf(refused, 'ambiguous-base')[0]).toMatchObject({ line: 3, column: 4, severity: 'error' });

    const staged = await stageImport(csvOptions([dir], { ambiguous: 'to-n' }), stagingDir(), fileIo, quiet);
    expect(staged.report.issueCounts['ambiguous-base']).toBe(1);
    expect(storedSequences(staged.stagedFile).map((r) => r.sequence)).toEqual(['ACGT', 'ACGNNT', 'ACGTN']);

    const dropped = await validateImport(csvOptions([dir], { ambiguous: 'drop-record' }), fileIo, quiet);
    expect(dropped).toMatchObject({ blocked: false, accepted: 2, dropped: 1 });
  });

  it('leaves out empty records and those outside the length limits, with a warning each', async () => {
    const dir = folder({ train: [['ACGTACGT', 'a'], ['', 'b'], ['AC', 'a'], ['ACGTACGTACGT', 'b'], ['ACGTAC', 'a']] });
    const report = await validateImport(csvOptions([dir], { minLength: 3, maxLength: 10 }), fileIo, quiet);
    expect(report).toMatchObject({ blocked: false, records: 5, accepted: 2, dropped: 3 });
    expect(report.issueCounts).toMatchObject({ 'empty-record': 1, 'too-short': 1, 'too-long': 1 });
    expect(issuesOf(report, 'empty-record')[0]).toMatchObject({ line: 3, severity: 'warning' });
    expect(report.lengths).toEqual({ min: 6, median: 7, max: 8, mean: 7 });
  });

  it('refuses records without a class when classes are expected', async () => {
    const dir = folder({ train: [['ACGT', 'a'], ['ACGG', ''], ['ACGC', 'b']] });
    const report = await validateImport(csvOptions([dir]), fileIo, quiet);
    expect(report.blocked).toBe(true);
    expect(issuesOf(report, 'no-label')[0]).toMatchObject({ line: 3, severity: 'error' });
    const unlabelled = await validateImport(csvOptions([dir], { labels: { from: 'none' } }), fileIo, quiet);
    expect(unlabelled).toMatchObject({ blocked: false, accepted: 3, counts: { train: { '': 3 } } });
  });

  it('warns about unbalanced classes and a class missing from a split', async () => {
    const rows = (n: number, label: string, seed: number) => Array.from({ length: n }, (_, i) => [randomDna(seed + i, 30), label] as const);
    const dir = folder({ train: [...rows(40, 'common', 1), ...rows(5, 'rare', 100)], test: rows(10, 'common', 200) });
    const report = await validateImport(csvOptions([dir]), fileIo, quiet);
    const messages = issuesOf(report, 'class-imbalance').map((i) => i.message);
    expect(messages).toContainEqual(expect.stringMatching(/"common" has 50 records, "rare" only 5/));
    expect(messages).toContainEqual(expect.stringMatching(/test split has no records of class "rare"/));
    expect(report.blocked).toBe(false);
  });

  it('refuses a file the reader cannot parse, naming its line', async () => {
    const dir = path.join(tmp, 'broken');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'train.csv.gz'), zlib.gzipSync('sequence,label\nACGT,a\nACGT\n'));
    const err = await rejection(validateImport(csvOptions([dir]), fileIo, quiet));
    expect(err.message).toMatch(/train\.csv\.gz, line 3: .*label/);
  });

  it('stops at a cancellation point and leaves nothing staged', async () => {
    let checkpoints = 0;
    const cancelling = {
      progress: () => undefined,
      checkpoint: async () => {
        if (++checkpoints === 3) throw new CancelledError();
      },
    };
    const staging = stagingDir();
    await expect(stageImport(csvOptions([gue]), staging, fileIo, cancelling)).rejects.toBeInstanceOf(CancelledError);
    expect(fs.readdirSync(staging)).toEqual([]);
  });
});

describe('content hash', () => {
  const rows: [string, string][] = Array.from({ length: 200 }, (_, i) => [randomDna(i + 1, 50), i % 2 ? 'pos' : 'neg']);

  it('is the same for the same data and changes with a single base', async () => {
    const a = await stageImport(csvOptions([folder({ train: rows, test: rows.slice(0, 20).map(([s, l]) => [s.slice(1), l]) })]), stagingDir(), fileIo, quiet);
    const b = await stageImport(csvOptions([folder({ train: rows, test: rows.slice(0, 20).map(([s, l]) => [s.slice(1), l]) })]), stagingDir(), fileIo, quiet);
    expect(b.dataset.contentHash).toBe(a.dataset.contentHash);
    const changed = rows.map((r) => [...r] as [string, string]);
    const first = changed[17] as [string, string];
    first[0] = `${first[0].slice(0, 10)}${first[0][10] === 'A' ? 'C' : 'A'}${first[0].slice(11)}`;
    const c = await stageImport(csvOptions([folder({ train: changed, test: rows.slice(0, 20).map(([s, l]) => [s.slice(1), l]) })]), stagingDir(), fileIo, quiet);
    expect(c.dataset.contentHash).not.toBe(a.dataset.contentHash);
    // ids are not part of the content: the same records under other names hash the same
    expect(a.dataset.contentHash).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('random split', () => {
  const rows: [string, string][] = [
    ...Array.from({ length: 900 }, (_, i) => [randomDna(i + 1, 40), 'neg'] as [string, string]),
    ...Array.from({ length: 100 }, (_, i) => [randomDna(5000 + i, 40), 'pos'] as [string, string]),
  ];
  const split = { mode: 'random', seed: 7, train: 0.8, validation: 0.1, test: 0.1 } as const;

  it('is stratified: every split has the class proportions of the whole', async () => {
    const report = await validateImport(csvOptions([folder({ all: rows })], { split }), fileIo, quiet);
    expect(report.counts).toEqual({
      train: { neg: 720, pos: 80 },
      validation: { neg: 90, pos: 10 },
      test: { neg: 90, pos: 10 },
    });
    expect(report.issueCounts.leakage).toBeUndefined();
  });

  it('is reproducible with its seed and differs with another seed', async () => {
    const dir = folder({ all: rows });
    const a = await stageImport(csvOptions([dir], { split }), stagingDir(), fileIo, quiet);
    const b = await stageImport(csvOptions([dir], { split }), stagingDir(), fileIo, quiet);
    const c = await stageImport(csvOptions([dir], { split: { ...split, seed: 8 } }), stagingDir(), fileIo, quiet);
    expect(storedSequences(b.stagedFile)).toEqual(storedSequences(a.stagedFile));
    expect(b.dataset.contentHash).toBe(a.dataset.contentHash);
    expect(c.dataset.contentHash).not.toBe(a.dataset.contentHash);
    expect(a.dataset.splitDescription).toBe('random stratified 80/10/10, seed 7');
    expect(a.dataset.options.split).toEqual(split);
  });

  it('keeps identical sequences in one split, so that it cannot leak', async () => {
    const twins = rows.flatMap((r, i) => (i % 10 === 0 ? [r, r] : [r]));
    const staged = await stageImport(csvOptions([folder({ all: twins })], { split }), stagingDir(), fileIo, quiet);
    const splitOf = new Map<string, Set<string>>();
    for (const r of storedSequences(staged.stagedFile)) splitOf.set(r.sequence, (splitOf.get(r.sequence) ?? new Set()).add(r.split));
    expect([...splitOf.values()].every((s) => s.size === 1)).toBe(true);
    expect(staged.report.issueCounts.duplicate).toBe(100);
  });
});

describe('chromosome split', () => {
  it('sends whole chromosomes to validation and test', async () => {
    const io = memoryIo(
      ['chr1', 'chr2', 'chr3', 'chr1', 'chrX'].map((chrom, i) => ({
        id: `${chrom}:${i * 100}-${i * 100 + 50}(+)`,
        sequence: randomDna(i + 1, 50),
        label: i % 2 ? 'peak' : 'background',
        split: null,
        line: i + 2,
        chrom,
      })),
    );
    const options = csvOptions(['/virtual/records.bed'], {
      labels: { from: 'bed-name' },
      split: { mode: 'chromosome', test: ['chr1'], validation: ['chr3'] },
    });
    const staged = await stageImport(options, stagingDir(), io, quiet);
    expect(staged.dataset.counts).toEqual({
      train: { background: 1, peak: 1 },
      validation: { background: 1, peak: 0 },
      test: { background: 1, peak: 1 },
    });
    expect(staged.dataset.splitDescription).toBe('by chromosome (test chr1; validation chr3)');
    expect(storedSequences(staged.stagedFile).filter((r) => r.split === 'test').map((r) => r.id)).toEqual(['chr1:0-50(+)', 'chr1:300-350(+)']);
  });
});

describe('suggested options for BED', () => {
  const bed = (names: string[]) =>
    memoryIo(names.map((label, i) => ({ id: `chr1:${i}`, sequence: randomDna(i + 1, 20), label, split: null, line: i + 1, chrom: 'chr1' })));

  it('takes the name column as the class when the names repeat, not when they are ids', async () => {
    const classes = await previewImport(['/virtual/records.bed'], 'auto', bed(['peak', 'background', 'peak', 'background', 'peak']), []);
    expect(classes.suggested.labels).toEqual({ from: 'bed-name' });
    const ids = await previewImport(['/virtual/records.bed'], 'auto', bed(['p1', 'p2', 'p3', 'p4']), []);
    expect(ids.suggested.labels).toEqual({ from: 'none' });
    expect(ids.suggested.split).toEqual({ mode: 'random', seed: 42, train: 0.8, validation: 0.1, test: 0.1 });
    expect(ids.suggested.name).toBe('records');
    expect((await previewImport(['/virtual/records.bed'], 'auto', bed(['a']), ['records', 'Records 2'])).suggested.name).toBe('records 3');
  });
});

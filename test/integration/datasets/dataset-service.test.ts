import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ApiError,
  type DatasetSummary,
  type EventChannel,
  type ImportOptions,
  type ImportReport,
  type JobDto,
} from '../../../src-shared/api';
import { removeImportLeftovers } from '../../../src-main/datasets/staging';
import { forkChildProcess } from '../../../src-main/jobs/worker-process';
import { AppService } from '../../../src-main/service/app-service';
import { csvOptions, listing, randomDna, sharedData, writeSplitFolder } from './helpers';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dnalm-datasets-'));
let service: AppService;
const events: { channel: EventChannel; payload: unknown }[] = [];
let project: string;
const nontata = path.join(sharedData, 'gb_human_nontata_promoters');

beforeAll(async () => {
  service = new AppService({ host: 'web', userDataDir: path.join(tmp, 'home'), launcher: forkChildProcess, cancelGraceMs: 2000 });
  service.onEvent((channel, payload) => events.push({ channel, payload }));
  project = (await service.call('project:create', { path: path.join(tmp, 'Datasets') })).path;
});
afterAll(async () => {
  await service.shutdown();
  fs.rmSync(tmp, { recursive: true, force: true });
});

async function runJob(kind: 'dataset-import' | 'dataset-validate', params: ImportOptions): Promise<JobDto> {
  const job = await service.call('jobs:start', { kind, params });
  return service.jobManager().waitFor(job.id);
}

async function importSet(options: ImportOptions): Promise<DatasetSummary> {
  const done = await runJob('dataset-import', options);
  expect(done.error).toBeNull();
  expect(done.status).toBe('success');
  return done.result as DatasetSummary;
}

async function apiError(promise: Promise<unknown>, code: string): Promise<ApiError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ApiError);
  expect((err as ApiError).code).toBe(code);
  return err as ApiError;
}

/**
 * The job is done before its worker process has exited; the job manager's shutdown (afterAll) stumbles on a job in
 * between, so wait for the process to be gone.
 */
async function workerGone(pid: number): Promise<void> {
  for (;;) {
    try {
      process.kill(pid, 0);
    } catch {
      break;
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  await new Promise((r) => setTimeout(r, 50));
}

const artifacts = () => path.join(project, 'artifacts');
const datasetFiles = () => (fs.existsSync(path.join(artifacts(), 'datasets')) ? fs.readdirSync(path.join(artifacts(), 'datasets')) : []);
const stagingEntries = () => (fs.existsSync(path.join(artifacts(), '.staging')) ? fs.readdirSync(path.join(artifacts(), '.staging')) : []);

describe('importing through a job', () => {
  let summary: DatasetSummary;

  it('validates first: a report, and nothing stored', async () => {
    const before = listing(project);
    const done = await runJob('dataset-validate', csvOptions([nontata], { name: 'promoters' }));
    expect(done.title).toBe('Check promoters');
    const report = done.result as ImportReport;
    expect(report).toMatchObject({ records: 9034, accepted: 9034, blocked: false });
    expect(report.counts).toEqual({ train: { negative: 3295, positive: 3932 }, test: { negative: 824, positive: 983 } });
    const after = listing(project);
    delete after['project.sqlite'];
    delete after['project.sqlite.bak'];
    delete before['project.sqlite'];
    delete before['project.sqlite.bak'];
    expect(after).toEqual(before); // the job history is saved; no artifact appears
  });

  it('imports in the worker, commits in main, and tells the renderer', async () => {
    events.length = 0;
    summary = await importSet(csvOptions([nontata], { name: 'promoters', description: 'non-TATA' }));
    expect(summary).toMatchObject({
      name: 'promoters',
      description: 'non-TATA',
      records: 9034,
      classes: ['negative', 'positive'],
      splits: ['train', 'test'],
      splitDescription: 'given splits',
      contentHash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(summary.storedBytes).toBeGreaterThan(9034 * 63);
    expect(datasetFiles()).toHaveLength(1);
    expect(stagingEntries()).toEqual([]);
    const changed = events.filter((e) => e.channel === 'datasets:changed');
    expect(changed.at(-1)?.payload).toEqual([summary]);
    expect(await service.call('datasets:list', undefined)).toEqual([summary]);
    const job = service.jobManager().list()[0];
    expect(job?.title).toBe('Import promoters');
  });

  it('refuses a second dataset of the same name before any work', async () => {
    const jobsBefore = service.jobManager().list().length;
    const err = await apiError(service.call('jobs:start', { kind: 'dataset-import', params: csvOptions([nontata], { name: 'Promoters' }) }), 'DATASET_EXISTS');
    expect(err.message).toMatch(/already has a dataset named "Promoters"/);
    expect(service.jobManager().list()).toHaveLength(jobsBefore);
    await apiError(service.call('jobs:start', { kind: 'dataset-import', params: { ...csvOptions([nontata]), ambiguous: 'maybe' } as unknown as ImportOptions }), 'INVALID_REQUEST');
  });

  it('fails a refused import with the reason and stores nothing', async () => {
    const dir = writeSplitFolder(path.join(tmp, 'bad'), { train: [['ACGT', 'a'], ['ACXT', 'b']] });
    const done = await runJob('dataset-import', csvOptions([dir], { name: 'bad' }));
    expect(done.status).toBe('failure');
    expect(done.error).toEqual({ code: 'IMPORT_REJECTED', message: "train.csv.gz, line 3, column 3 of the sequence: 'X' is not a DNA base (A, C, G, T or N)." });
    expect(datasetFiles()).toHaveLength(1);
    expect(stagingEntries()).toEqual([]);
  });

  it('shows the detail with statistics', async () => {
    const detail = await service.call('datasets:get', { id: summary.id });
    expect(detail).toMatchObject({ ...summary, stats: { kmerK: 6 } });
    expect(detail.stats.lengthHistogram).toEqual([{ start: 251, end: 252, count: 9034 }]);
    expect(detail.stats.topKmers).toHaveLength(20);
    await apiError(service.call('datasets:get', { id: 999 }), 'DATASET_NOT_FOUND');
    await apiError(service.call('datasets:get', { id: 'one' } as unknown as { id: number }), 'INVALID_REQUEST');
  });

  it('pages, filters and searches the records', async () => {
    const page = await service.call('datasets:records', { id: summary.id, split: 'test', offset: 10, limit: 5 });
    expect(page.total).toBe(1807);
    expect(page.records.map((r) => r.index)).toEqual([10, 11, 12, 13, 14]);
    expect(page.records[0]).toMatchObject({ split: 'test', length: 251, gc: expect.any(Number) });

    const positives = await service.call('datasets:records', { id: summary.id, split: 'train', label: 'positive', limit: 3 });
    expect(positives.total).toBe(3932);
    expect(positives.records.every((r) => r.label === 'positive' && r.split === 'train')).toBe(true);

    const probe = page.records[2];
    const motif = probe?.sequence.slice(100, 130).toLowerCase() ?? '';
    const found = await service.call('datasets:records', { id: summary.id, search: motif });
    expect(found.records.map((r) => r.index)).toContain(probe?.index);
    expect(found.records.every((r) => r.sequence.includes(motif.toUpperCase()) || r.id.toLowerCase().includes(motif))).toBe(true);

    const byId = await service.call('datasets:records', { id: summary.id, search: probe?.id ?? '' });
    expect(byId.records.some((r) => r.id === probe?.id)).toBe(true);

    const capped = await service.call('datasets:records', { id: summary.id, limit: 100_000 });
    expect(capped.records).toHaveLength(500);
    expect(capped.total).toBe(9034);
    expect(await service.call('datasets:records', { id: summary.id, split: 'nope' })).toEqual({ total: 0, records: [] });
    await apiError(service.call('datasets:records', { id: summary.id, offset: -1 }), 'INVALID_REQUEST');
  });

  it('renames and describes, keeping names unique', async () => {
    const other = await importSet(csvOptions([path.join(sharedData, 'gb_human_ocr_ensembl_toy')], { name: 'ocr' }));
    const renamed = await service.call('datasets:update', { id: other.id, name: '  ocr toy  ', description: 'open chromatin' });
    expect(renamed).toMatchObject({ name: 'ocr toy', description: 'open chromatin', records: 1000 });
    await apiError(service.call('datasets:update', { id: other.id, name: 'PROMOTERS' }), 'DATASET_EXISTS');
    await apiError(service.call('datasets:update', { id: other.id, name: '' }), 'INVALID_REQUEST');
    await apiError(service.call('datasets:update', { id: 999, name: 'x' }), 'DATASET_NOT_FOUND');
    expect((await service.call('datasets:get', { id: other.id })).name).toBe('ocr toy');
  });

  it('exports CSV that imports back to the same content, and FASTA', async () => {
    const csv = path.join(tmp, 'export', 'promoters.csv');
    fs.mkdirSync(path.dirname(csv), { recursive: true });
    expect(await service.call('datasets:export', { id: summary.id, format: 'csv', path: csv })).toEqual({ path: csv, records: 9034 });
    const lines = fs.readFileSync(csv, 'utf8').split('\r\n');
    expect(lines[0]).toBe('sequence,label,split');
    expect(lines[1]).toMatch(/^[ACGTN]{251},(negative|positive),(train|test)$/);
    expect(fs.readdirSync(path.dirname(csv))).toEqual(['promoters.csv']); // no temporary file left

    const again = await importSet(csvOptions([csv], { name: 'round trip' }));
    expect(again.contentHash).toBe(summary.contentHash);
    expect(again.counts).toEqual(summary.counts);

    const fasta = path.join(tmp, 'export', 'test.fasta');
    expect(await service.call('datasets:export', { id: summary.id, format: 'fasta', path: fasta, split: 'test' })).toEqual({ path: fasta, records: 1807 });
    const text = fs.readFileSync(fasta, 'utf8').split('\n');
    expect(text[0]).toMatch(/^>\S+ label=(negative|positive) split=test$/);
    expect(text[1]).toMatch(/^[ACGTN]{80}$/);

    await apiError(service.call('datasets:export', { id: summary.id, format: 'csv', path: path.join(project, 'project.sqlite') }), 'INVALID_REQUEST');
    await apiError(service.call('datasets:export', { id: summary.id, format: 'xlsx' as 'csv', path: csv }), 'INVALID_REQUEST');
    await apiError(service.call('datasets:export', { id: summary.id, format: 'csv', path: csv, split: 'holdout' }), 'INVALID_REQUEST');
    expect(fs.readFileSync(csv, 'utf8').split('\r\n')).toEqual(lines); // a refused export leaves the old file
  });

  it('deletes the row and the stored sequences', async () => {
    const list = await service.call('datasets:list', undefined);
    const victim = list.find((d) => d.name === 'round trip');
    expect(victim).toBeDefined();
    const filesBefore = datasetFiles().length;
    events.length = 0;
    expect(await service.call('datasets:delete', { id: victim?.id ?? 0 })).toBeNull();
    expect(datasetFiles()).toHaveLength(filesBefore - 1);
    expect((await service.call('datasets:list', undefined)).map((d) => d.name)).not.toContain('round trip');
    expect(events.some((e) => e.channel === 'datasets:changed')).toBe(true);
    await apiError(service.call('datasets:delete', { id: victim?.id ?? 0 }), 'DATASET_NOT_FOUND');
  });

  it('previews the heads of a folder and suggests options', async () => {
    const preview = await service.call('datasets:preview', { paths: [nontata] });
    expect(preview.format).toBe('csv');
    expect(preview.sources.map((s) => s.split)).toEqual(['test', 'train']);
    expect(preview.records.length).toBeGreaterThan(0);
    expect(preview.columns).toEqual(['sequence', 'label']);
    expect(preview.suggested).toMatchObject({
      name: 'gb_human_nontata_promoters',
      labels: { from: 'column', column: 'label' },
      split: { mode: 'given' },
      ambiguous: 'to-n',
      invalid: 'reject',
      duplicates: 'keep',
      leakage: 'keep',
    });
    const single = path.join(tmp, 'genes.csv');
    fs.writeFileSync(single, `sequence,class\n${randomDna(1, 30)},a\n${randomDna(2, 30)},b\n`);
    const suggestion = (await service.call('datasets:preview', { paths: [single] })).suggested;
    expect(suggestion).toMatchObject({ name: 'genes', labels: { from: 'column', column: 'class' }, split: { mode: 'random', seed: 42, train: 0.8, validation: 0.1, test: 0.1 } });
    await apiError(service.call('datasets:preview', { paths: [path.join(tmp, 'missing')] }), 'IMPORT_REJECTED');
    await apiError(service.call('datasets:preview', { paths: [] }), 'INVALID_REQUEST');
  });
});

describe('an import that does not finish', () => {
  let big: string;

  beforeAll(() => {
    // ~60 MB of CSV: long enough to be stopped in the middle.
    big = path.join(tmp, 'big', 'train.csv');
    fs.mkdirSync(path.dirname(big), { recursive: true });
    const fd = fs.openSync(big, 'w');
    fs.writeSync(fd, 'sequence,label\n');
    const unit = randomDna(99, 4000);
    for (let chunk = 0; chunk < 60; chunk++) {
      const rows: string[] = [];
      for (let i = 0; i < 5000; i++) {
        const k = chunk * 5000 + i;
        rows.push(`${unit.slice(k % 3000, (k % 3000) + 150)}${randomDna(k + 1, 50)},${k % 2}`);
      }
      fs.writeSync(fd, `${rows.join('\n')}\n`);
    }
    fs.closeSync(fd);
  });

  async function startBig(name: string): Promise<JobDto> {
    const job = await service.call('jobs:start', { kind: 'dataset-import', params: csvOptions([big], { name, split: { mode: 'random', seed: 1, train: 0.8, validation: 0.1, test: 0.1 } }) });
    const start = Date.now();
    while (!(service.jobManager().get(job.id).progress.step > 0 && stagingEntries().length > 0)) {
      if (Date.now() - start > 30_000) throw new Error('the import never got going');
      await new Promise((r) => setTimeout(r, 20));
    }
    return service.jobManager().get(job.id);
  }

  it('leaves no dataset and no staged file when its worker is killed', async () => {
    const before = (await service.call('datasets:list', undefined)).length;
    const filesBefore = datasetFiles();
    const running = await startBig('killed');
    expect(fs.readdirSync(path.join(artifacts(), '.staging', stagingEntries()[0] ?? '')).length).toBeGreaterThan(0);
    process.kill(running.workerPid as number, 'SIGKILL');
    const failed = await service.jobManager().waitFor(running.id);
    expect(failed).toMatchObject({ status: 'failure', error: { code: 'WORKER_CRASHED' } });
    expect(await service.call('datasets:list', undefined)).toHaveLength(before);
    expect(datasetFiles()).toEqual(filesBefore);
    expect(stagingEntries()).toEqual([]);
  });

  it('leaves nothing behind when cancelled', async () => {
    const filesBefore = datasetFiles();
    const running = await startBig('cancelled');
    service.jobManager().cancel(running.id);
    const done = await service.jobManager().waitFor(running.id);
    expect(done.status).toBe('cancelled');
    await workerGone(running.workerPid as number);
    expect(datasetFiles()).toEqual(filesBefore);
    expect(stagingEntries()).toEqual([]);
  });

  it('is cleaned up when the project opens again: staged debris and unreferenced dataset files', async () => {
    const store = service.currentProject;
    if (!store) throw new Error('no project');
    const debris = path.join(artifacts(), '.staging', '0b4c1b4e-8f6a-4d7e-9a63-5b0f7c1d2e3f');
    fs.mkdirSync(debris, { recursive: true });
    fs.writeFileSync(path.join(debris, 'a1b2.pass1.tmp'), 'half');
    const orphan = path.join(artifacts(), 'datasets', 'c0ffee00-0000-4000-8000-000000000000.seqs');
    fs.writeFileSync(orphan, 'orphan');
    const kept = datasetFiles().filter((f) => f !== path.basename(orphan));
    const removed = removeImportLeftovers(store);
    expect(removed.sort()).toEqual([path.join(artifacts(), '.staging'), orphan].sort());
    expect(datasetFiles()).toEqual(kept);
    for (const d of await service.call('datasets:list', undefined)) {
      expect((await service.call('datasets:records', { id: d.id, limit: 1 })).records).toHaveLength(1);
    }
  });
});

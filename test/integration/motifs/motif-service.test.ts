// The motif commands and the motif-scan job through the real service, project file and forked engine worker.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError, type JobDto, type MotifScanSettings, type MotifScanSummary } from '../../../src-shared/api';
import { FastaReference, readRecords } from '../../../src-main/io';
import { forkChildProcess } from '../../../src-main/jobs/worker-process';
import { affinityMatrix } from '../../../src-main/motifs/affinity';
import { BUNDLED_MOTIFS_FILE } from '../../../src-main/motifs/motif-collection';
import { AppService } from '../../../src-main/service/app-service';
import { csvOptions } from '../datasets/helpers';

const DATA = path.resolve(__dirname, '../../../resources/data/reference_hg38_chr2_1-2333275');
const REFERENCE = path.join(DATA, 'chr2_1-2333275.fa.gz');
const BED = path.join(DATA, 'ensembl_regulatory_build_hg38.bed');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dnalm-motifs-'));
let service: AppService;
let project: string;
/** The first 40 motifs of the bundled set: the same code path, a tenth of the time. */
const smallSet = path.join(tmp, 'first40.jaspar');

beforeAll(async () => {
  const lines = fs.readFileSync(BUNDLED_MOTIFS_FILE, 'utf8').split('\n');
  fs.writeFileSync(smallSet, `${lines.slice(0, 40 * 5).join('\n')}\n`);
  service = new AppService({ host: 'web', userDataDir: path.join(tmp, 'home'), launcher: forkChildProcess, cancelGraceMs: 2000 });
  project = (await service.call('project:create', { path: path.join(tmp, 'Motifs') })).path;
});
afterAll(async () => {
  await service.shutdown();
  fs.rmSync(tmp, { recursive: true, force: true });
});

const artifacts = (): string => path.join(project, 'artifacts');
const stagingEntries = (): string[] => (fs.existsSync(path.join(artifacts(), '.staging')) ? fs.readdirSync(path.join(artifacts(), '.staging')) : []);

async function apiError(promise: Promise<unknown>): Promise<ApiError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ApiError);
  return err as ApiError;
}

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

describe('motif collections', () => {
  it('loads the bundled JASPAR set by default, with its licence', async () => {
    const c = await service.call('motifs:load', {});
    expect(c).toMatchObject({ format: 'jaspar', bundled: true });
    expect(c.licence).toContain('CC BY 4.0');
    expect(c.motifs).toHaveLength(879);
    expect(c.motifs[0]).toMatchObject({ id: 'MA0004.1', name: 'Arnt', width: 6, consensus: 'CACGTG' });
    expect(c.motifs[0]?.informationContent).toBeCloseTo(10.99, 2);
  });

  it('gives one motif with probabilities, logo heights and log-odds', async () => {
    const d = await service.call('motifs:get', { id: 'MA0142.1' });
    expect(d.probabilities).toHaveLength(d.width);
    for (const col of d.probabilities) expect(col.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
    d.logo.forEach((col, i) => {
      const ic = 2 + (d.probabilities[i] ?? []).reduce((a, p) => a + (p > 0 ? p * Math.log2(p) : 0), 0);
      expect(col.reduce((a, b) => a + b, 0)).toBeCloseTo(ic, 9);
    });
    expect(d.maxScore).toBeCloseTo(d.pwm.reduce((a, col) => a + Math.max(...col), 0), 9);
    await expect(service.call('motifs:get', { id: 'MA9999.9' })).rejects.toThrow('There is no motif MA9999.9');
  });

  it('refuses a malformed file with its name, line and problem', async () => {
    const bad = path.join(tmp, 'bad.meme');
    fs.writeFileSync(bad, 'MEME version 4\n\nMOTIF a\nletter-probability matrix: w= 2\n0.25 0.25 0.25 0.25\n0.5 0.5 x 0\n');
    const err = await apiError(service.call('motifs:load', { path: bad }));
    expect(err.code).toBe('IMPORT_REJECTED');
    expect(err.message).toContain('bad.meme, line 6: the G probability of motif a is "x", not a number');
  });
});

describe('the motif-scan job', () => {
  let summary: MotifScanSummary;
  const settings: MotifScanSettings = {
    name: 'regulatory build',
    motifsPath: smallSet,
    regions: { kind: 'bed', bedPath: BED, referencePath: REFERENCE },
    scoring: 'max',
    background: 'corpus',
  };

  async function run(params: MotifScanSettings): Promise<JobDto> {
    const job = await service.call('jobs:start', { kind: 'motif-scan', params });
    return service.jobManager().waitFor(job.id);
  }

  it('stores the regions x motifs matrix and a row, with nothing left in staging', async () => {
    const done = await run(settings);
    expect(done.error).toBeNull();
    expect(done.status).toBe('success');
    summary = done.result as MotifScanSummary;
    expect(summary).toMatchObject({ name: 'regulatory build', regions: 260, motifs: 40, matrixPath: `motif-scans/${summary.id}/matrix.tsv` });
    expect(stagingEntries()).toEqual([]);
    expect(await service.call('motifScans:list', undefined)).toEqual([summary]);

    const lines = fs.readFileSync(path.join(artifacts(), summary.matrixPath), 'utf8').trim().split('\n');
    expect(lines).toHaveLength(261);
    const header = (lines[0] ?? '').split('\t');
    expect(header.slice(0, 3)).toEqual(['region', 'MA0004.1', 'MA0069.1']);
    // The same numbers as the affinity function on the same sequences (read here through the BED reader).
    const sequences: string[] = [];
    const ids: string[] = [];
    for await (const r of readRecords({ path: BED, format: 'bed', reference: REFERENCE })) {
      ids.push(r.id);
      sequences.push(r.sequence);
    }
    const direct = affinityMatrix(sequences, { path: smallSet, scoring: 'max', background: 'corpus' }, BUNDLED_MOTIFS_FILE);
    for (const r of [0, 77, 259]) {
      const cells = (lines[r + 1] ?? '').split('\t');
      expect(cells[0]).toBe(ids[r]);
      cells.slice(1).forEach((c, k) => expect(Number(c)).toBeCloseTo(direct.values[r * 40 + k] ?? 0, 3));
    }
  });

  it('lists the top motifs of each region, best first', async () => {
    const page = await service.call('motifScans:top', { id: summary.id, offset: 10, limit: 5, top: 3 });
    expect(page.total).toBe(260);
    expect(page.rows).toHaveLength(5);
    expect(page.rows[0]?.top).toHaveLength(3);
    expect(page.rows[0]?.top[0]?.name).toMatch(/\S/);
  });

  it('scores hits above a threshold when asked for sums, and refuses bad settings before starting', async () => {
    const fasta = path.join(tmp, 'two.fa');
    const ref = await FastaReference.open(REFERENCE);
    const a = await ref.fetch('chr2', 264_000, 265_000);
    await ref.close();
    fs.writeFileSync(fasta, `>promoter\n${a}\n>poly-A\n${'A'.repeat(500)}\n`);
    const done = await run({ motifsPath: smallSet, regions: { kind: 'fasta', path: fasta }, scoring: 'sum', threshold: 6, background: 'uniform' });
    expect(done.status).toBe('success');
    const s = done.result as MotifScanSummary;
    expect(s.name).toBe('two.fa × first40.jaspar (sum)');
    const rows = fs.readFileSync(path.join(artifacts(), s.matrixPath), 'utf8').trim().split('\n').slice(1).map((l) => l.split('\t'));
    expect(rows.map((r) => r[0])).toEqual(['promoter', 'poly-A']);
    const sums = (rows[0] ?? []).slice(1).map(Number);
    expect(sums.some((v) => v > 6)).toBe(true);
    expect(sums.every((v) => v === 0 || v > 6)).toBe(true);

    await expect(service.call('jobs:start', { kind: 'motif-scan', params: { ...settings, scoring: 'best' } as unknown as MotifScanSettings })).rejects.toThrow('Scoring must be');
    const missing = await run({ ...settings, regions: { kind: 'fasta', path: path.join(tmp, 'none.fa') } });
    expect(missing.status).toBe('failure');
    expect(missing.error?.message).toContain('none.fa');
    expect(stagingEntries()).toEqual([]);
  });

  it('scans the sequences of a dataset', async () => {
    const csv = path.join(tmp, 'small.csv');
    fs.writeFileSync(csv, 'sequence,label\nTTTTCACGTGTTTTAAAA,ebox\nAAAAAAAAAAAAAAAAAA,none\nGGGGCACGTGCCCCATAT,ebox\n');
    const imported = await service.jobManager().waitFor(
      (await service.call('jobs:start', { kind: 'dataset-import', params: csvOptions([csv], { name: 'small', split: { mode: 'random', seed: 1, train: 1, validation: 0, test: 0 } }) })).id,
    );
    expect(imported.status).toBe('success');
    const datasetId = (imported.result as { id: number }).id;
    const done = await run({ motifsPath: smallSet, regions: { kind: 'dataset', datasetId }, scoring: 'max', background: 'uniform' });
    expect(done.error).toBeNull();
    const s = done.result as MotifScanSummary;
    expect(s.regions).toBe(3);
    const rows = fs.readFileSync(path.join(artifacts(), s.matrixPath), 'utf8').trim().split('\n').slice(1).map((l) => l.split('\t'));
    // Column 1 is Arnt (CACGTG): the two E-box sequences score its best, the poly-A one far less.
    const arnt = rows.map((r) => Number(r[1]));
    expect(arnt.filter((v) => v > 11).length).toBe(2);
    expect(Math.min(...arnt)).toBeLessThan(0);
    await expect(service.call('jobs:start', { kind: 'motif-scan', params: { ...settings, regions: { kind: 'dataset', datasetId: 999 } } })).rejects.toThrow();
  });

  it('leaves nothing behind when cancelled', async () => {
    const before = await service.call('motifScans:list', undefined);
    const job = await service.call('jobs:start', { kind: 'motif-scan', params: { regions: { kind: 'fasta', path: REFERENCE }, scoring: 'max', background: 'uniform' } });
    const start = Date.now();
    while (!(service.jobManager().get(job.id).progress.step > 0 && service.jobManager().get(job.id).progress.message.startsWith('Scanned'))) {
      if (Date.now() - start > 60_000) throw new Error('the scan never got going');
      await new Promise((r) => setTimeout(r, 20));
    }
    service.jobManager().cancel(job.id);
    const done = await service.jobManager().waitFor(job.id);
    expect(done.status).toBe('cancelled');
    await workerGone(done.workerPid as number);
    expect(await service.call('motifScans:list', undefined)).toEqual(before);
    expect(stagingEntries()).toEqual([]);
  });
});

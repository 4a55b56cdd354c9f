/**
 * Reports of a real project: a CNN trained on a few hundred real promoter sequences and a two-repeat compare
 * experiment, reported as PDF (read back with pdftotext, page 1 rendered with pdftoppm) and CSV (parsed by Python's
 * csv module), through `dnalm report` and through the service's reports:pdf|csv|list; bad requests leave nothing.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CompareSummary, DatasetSummary, ReportFile, ReportRecord, RunDetail } from '../../../src-shared/api';
import { forkChildProcess } from '../../../src-main/jobs/worker-process';
import { appVersion } from '../../../src-main/paths';
import { ProjectStore } from '../../../src-main/project';
import { readDataLicences } from '../../../src-main/service/about';
import { AppService } from '../../../src-main/service/app-service';
import { parseCsvWithPython, pdfPageCount, pdfWords, renderFirstPage } from '../../unit/reports/pdf-tools';

const root = path.resolve(__dirname, '../../..');
const shared = path.resolve(root, '../shared/data/gb_human_nontata_promoters');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dnalm-reports-'));
const home = path.join(tmp, 'home');
const project = path.join(tmp, 'Reports.dnalm');
const out = path.join(tmp, 'out');

function dnalm(...args: string[]) {
  const r = spawnSync(process.execPath, [path.join(root, 'bin/dnalm.cjs'), ...args], {
    encoding: 'utf8',
    env: { ...process.env, DNALM_HOME: home },
    timeout: 300_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function json<T>(r: { code: number | null; stdout: string; stderr: string }): T {
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as T;
}

/** The first rows of each class of a split, as a small `<split>.csv.gz` folder. */
function smallCopy(folder: string, split: string, perClass: number): void {
  const lines = zlib.gunzipSync(fs.readFileSync(path.join(shared, `${split}.csv.gz`))).toString('utf8').trim().split('\n');
  const taken = new Map<string, number>();
  const rows = [lines[0] ?? 'sequence,label'];
  for (const line of lines.slice(1)) {
    const label = line.split(',')[1] ?? '';
    if ((taken.get(label) ?? 0) >= perClass) continue;
    taken.set(label, (taken.get(label) ?? 0) + 1);
    rows.push(line);
  }
  fs.writeFileSync(path.join(folder, `${split}.csv.gz`), zlib.gzipSync(`${rows.join('\n')}\n`));
}

const f4 = (v: number | null | undefined): string => (v === null || v === undefined ? '—' : v.toFixed(4));

let dataset: DatasetSummary;
let run: RunDetail;
let compare: CompareSummary;

beforeAll(() => {
  fs.mkdirSync(out);
  const small = path.join(tmp, 'small');
  fs.mkdirSync(small);
  smallCopy(small, 'train', 150);
  smallCopy(small, 'test', 50);
  expect(dnalm('project', 'create', project).code).toBe(0);
  const imported = json<{ id: number }>(dnalm('dataset', 'import', project, small, '--name', 'promoters', '--json'));
  dataset = json<DatasetSummary>(dnalm('dataset', 'show', project, String(imported.id), '--json'));
  run = json<RunDetail>(dnalm('train', project, '--dataset', 'promoters', '--model', 'cnn', '--epochs', '2', '--batch-size', '32', '--seed', '3', '--threads', '1', '--json'));
  compare = json<CompareSummary>(dnalm('compare', project, '--dataset', 'promoters', '--arms', 'cnn', '--repeats', '2', '--epochs', '1', '--threads', '1', '--json'));
}, 600_000);

afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function reportRows(store: ProjectStore): ReportRecord[] {
  return store.read((db) => {
    const res = db.exec('SELECT format, title, path, bytes, created_at FROM reports ORDER BY id');
    return (res[0]?.values ?? []).map((v) => ({ format: v[0] === 'csv' ? 'csv' : 'pdf', title: String(v[1]), path: String(v[2]), bytes: Number(v[3]), createdAt: String(v[4]) }));
  });
}

describe('dnalm report (PDF of a training run)', () => {
  const pdf = path.join(out, 'run.pdf');
  let file: ReportFile;
  let text: string;

  beforeAll(() => {
    expect(run.status).toBe('success');
    file = json<ReportFile>(dnalm('report', project, '--run', String(run.id), '--pdf', pdf, '--json'));
    text = pdfWords(pdf);
  }, 120_000);

  it('writes the PDF and says how many pages and bytes it has', () => {
    expect(file.path).toBe(pdf);
    expect(file.bytes).toBe(fs.statSync(pdf).size);
    expect(file.count).toBe(pdfPageCount(pdf));
    expect(file.count).toBeGreaterThanOrEqual(2);
    expect(fs.readdirSync(out).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });

  it('names the run, the app version, the date and the dataset with its content hash and counts', () => {
    expect(text).toContain(`Training run ${run.id}: ${run.name}`);
    expect(text).toContain(`DNA LM Studio ${appVersion}`);
    expect(text).toMatch(new RegExp(`Written by DNA LM Studio ${appVersion.replace(/\./g, '\\.')} on \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC`));
    expect(dataset.contentHash).toMatch(/^[0-9a-f]{64}$/);
    expect(text).toContain(`Content hash (SHA-256) ${dataset.contentHash}`);
    expect(text).toContain(`Records ${dataset.records}`);
    for (const split of dataset.splits) {
      const counts = dataset.classes.map((c) => String(dataset.counts[split]?.[c] ?? 0)).join(' ');
      expect(text).toContain(`${split} ${counts}`);
    }
  });

  it('states the settings, seed, backend and threads the run used', () => {
    expect(text).toContain('Seed 3');
    expect(text).toContain(`Backend ${run.backend ?? ''}`);
    expect(text).toContain(`Threads ${run.threads ?? ''}`);
    expect(text).toContain('Batch size 32');
    expect(text).toContain(`Epochs ${run.epochsDone} done of 2`);
  });

  it('prints the stored test metrics, per class and the confusion matrix', () => {
    const t = run.test;
    if (!t) throw new Error('the run has no test metrics');
    expect(text).toContain(`Accuracy ${f4(t.accuracy)}`);
    expect(text).toContain(`MCC ${f4(t.mcc)}`);
    expect(text).toContain(`ROC-AUC ${f4(t.rocAuc)}`);
    expect(text).toContain(`PR-AUC (average precision) ${f4(t.prAuc)}`);
    expect(text).toMatch(new RegExp(`F1 \\(class [^)]+\\) ${f4(t.f1)}`));
    for (const c of t.perClass) expect(text).toContain(`${c.label} ${f4(c.precision)} ${f4(c.recall)} ${f4(c.f1)} ${c.support}`);
    t.confusionMatrix.forEach((row, i) => expect(text).toContain(`${t.classes[i] ?? ''} ${row.join(' ')}`));
  });

  it('draws the ROC and PR curves and the loss and validation charts', () => {
    const t = run.test;
    expect(text).toContain(`ROC (AUC ${f4(t?.rocAuc)})`);
    expect(text).toContain(`Precision-recall (AP ${f4(t?.prAuc)})`);
    expect(text).toContain('false positive rate');
    expect(text).toContain('Loss');
    expect(text).toContain('Validation');
    for (const e of run.history) expect(text).toContain(`${e.epoch} ${f4(e.trainLoss)} ${f4(e.valLoss)} ${f4(e.valAccuracy)} ${f4(e.valMcc)}`);
  });

  it('carries the model lineage and the licences of the bundled data', () => {
    expect(text).toContain(`Model ${run.modelId ?? ''} "${run.name}"`);
    expect(text).toContain(`trained by run ${run.id}`);
    expect(text).toContain(`dataset SHA-256 ${dataset.contentHash}`);
    for (const l of readDataLicences()) {
      expect(text).toContain(l.name);
      expect(text).toContain(`Licence: ${l.licence}`.replace(/\s+/g, ' '));
    }
  });

  it('renders page 1 as a non-blank image', () => {
    const page = renderFirstPage(pdf);
    expect(page.width).toBeGreaterThan(300);
    expect(page.pngBytes).toBeGreaterThan(10_000);
    expect(page.inked).toBeGreaterThan(0.02);
    expect(page.sd).toBeGreaterThan(15);
  });

  it('records the report in the project', async () => {
    const store = await ProjectStore.open(project, { appVersion, readOnly: true });
    try {
      const rows = reportRows(store);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ format: 'pdf', path: pdf, bytes: file.bytes, title: `Training run ${run.id}: ${run.name}` });
    } finally {
      store.close();
    }
  });
});

describe('compare experiments', () => {
  it('adds the compare table (mean ± sd) to the report of a run of the experiment', () => {
    const armRun = compare.runIds[0] ?? 0;
    const pdf = path.join(out, 'arm.pdf');
    json<ReportFile>(dnalm('report', project, '--run', String(armRun), '--pdf', pdf, '--json'));
    const text = pdfWords(pdf);
    expect(text).toContain(`Compare experiment ${compare.id} "${compare.name}"`);
    const acc = compare.table.find((r) => r.arm === 'cnn' && r.metric === 'accuracy');
    expect(acc?.n).toBe(2);
    expect(text).toContain(`CNN ${f4(acc?.mean)} ± ${f4(acc?.sd)}`);
  });

  it('writes the experiment report with the design, mean ± sd per metric, the error-bar chart and every run', () => {
    const pdf = path.join(out, 'compare.pdf');
    json<ReportFile>(dnalm('report', project, '--compare', String(compare.id), '--pdf', pdf, '--json'));
    const text = pdfWords(pdf);
    expect(text).toContain(`Compare experiment ${compare.id}: ${compare.name}`);
    expect(text).toContain('Repeats per arm 2');
    expect(text).toContain(`Content hash (SHA-256) ${dataset.contentHash}`);
    const cells = (['accuracy', 'f1', 'mcc', 'rocAuc', 'prAuc'] as const).map((m) => {
      const r = compare.table.find((x) => x.arm === 'cnn' && x.metric === m);
      return `${f4(r?.mean)} ± ${f4(r?.sd)}`;
    });
    expect(text).toContain(`CNN ${cells.join(' ')} 2`);
    expect(text).toContain('Mean ± standard deviation over repeats');
    for (const id of compare.runIds) expect(text).toMatch(new RegExp(`\\b${id} cnn \\d+ success`));
    expect(renderFirstPage(pdf).inked).toBeGreaterThan(0.02);
  });
});

describe('CSV through the service', () => {
  let service: AppService;
  const events: ReportRecord[][] = [];
  let off: () => void;

  beforeAll(async () => {
    service = new AppService({ host: 'cli', userDataDir: home, launcher: forkChildProcess, cancelGraceMs: 5000 });
    await service.call('project:open', { path: project });
    off = service.onEvent((channel, payload) => {
      if (channel === 'reports:changed') events.push(payload as ReportRecord[]);
    });
  });
  afterAll(async () => {
    off();
    await service.shutdown();
  });

  it('exports the run metrics per class with the stored values, and announces the new report', async () => {
    const target = path.join(out, 'metrics.csv');
    const before = events.length;
    const file = await service.call('reports:csv', { table: { kind: 'run-metrics', runId: run.id }, path: target });
    const rows = parseCsvWithPython(target);
    expect(rows[0]).toEqual(['class', 'precision', 'recall', 'f1', 'support', 'accuracy', 'mcc', 'roc_auc', 'pr_auc']);
    const t = run.test;
    if (!t) throw new Error('no test metrics');
    t.perClass.forEach((c, i) => {
      const r = rows[i + 1] ?? [];
      expect(r[0]).toBe(c.label);
      expect([Number(r[1]), Number(r[2]), Number(r[3]), Number(r[4])]).toEqual([c.precision, c.recall, c.f1, c.support]);
    });
    const overall = rows[t.perClass.length + 1] ?? [];
    expect([Number(overall[5]), Number(overall[6]), Number(overall[7]), Number(overall[8])]).toEqual([t.accuracy, t.mcc, t.rocAuc, t.prAuc]);
    expect(file.count).toBe(t.perClass.length + 1);
    expect(events.length).toBe(before + 1);
    expect(events.at(-1)?.[0]).toMatchObject({ format: 'csv', path: target, bytes: file.bytes });
  });

  it('exports the history, the runs and models lists and the compare table', async () => {
    const history = path.join(out, 'history.csv');
    await service.call('reports:csv', { table: { kind: 'run-history', runId: run.id }, path: history });
    const h = parseCsvWithPython(history);
    expect(h.slice(1).map((r) => Number(r[1]))).toEqual(run.history.map((e) => e.trainLoss));

    const runs = path.join(out, 'runs.csv');
    const runsFile = await service.call('reports:csv', { table: { kind: 'runs' }, path: runs, options: { bom: true, delimiter: ';' } });
    expect(fs.readFileSync(runs).subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const r = parseCsvWithPython(runs, ';');
    expect(r[0]?.[0]).toBe('id');
    expect(runsFile.count).toBe(1 + compare.runIds.length);
    const mine = r.find((row) => row[0] === String(run.id));
    expect(Number(mine?.[10])).toBe(run.test?.accuracy);

    const models = path.join(out, 'models.csv');
    const m = await service.call('reports:csv', { table: { kind: 'models' }, path: models });
    expect(m.count).toBe(1 + compare.runIds.length);
    expect(parseCsvWithPython(models).map((row) => row[1])).toContain(run.name);

    const table = path.join(out, 'compare.tsv');
    await service.call('reports:csv', { table: { kind: 'compare-table', compareId: compare.id }, path: table, options: { delimiter: '\t' } });
    const c = parseCsvWithPython(table, '\t');
    expect(c.slice(1).map((row) => [row[0], row[1], Number(row[2]), Number(row[3]), Number(row[4])])).toEqual(compare.table.map((x) => [x.arm, x.metric, x.mean, x.sd, x.n]));
  });

  it('writes a PDF through reports:pdf and lists every report newest first', async () => {
    const target = path.join(out, 'service-run.pdf');
    const file = await service.call('reports:pdf', { subject: { kind: 'run', runId: run.id }, path: target });
    expect(file.count).toBe(pdfPageCount(target));
    const list = await service.call('reports:list', undefined);
    expect(list[0]).toMatchObject({ format: 'pdf', path: target, bytes: file.bytes });
    expect(list.map((x) => x.format)).toContain('csv');
    expect(list.length).toBeGreaterThanOrEqual(8);
  });

  it('refuses an unknown subject, a missing folder or the project folder, and leaves no file and no record', async () => {
    const countBefore = (await service.call('reports:list', undefined)).length;
    const nowhere = path.join(out, 'missing', 'r.pdf');
    await expect(service.call('reports:pdf', { subject: { kind: 'run', runId: 999 }, path: path.join(out, 'none.pdf') })).rejects.toThrow(/no training run number 999/);
    await expect(service.call('reports:pdf', { subject: { kind: 'compare', compareId: run.id }, path: path.join(out, 'none.pdf') })).rejects.toThrow(/no compare experiment/);
    await expect(service.call('reports:pdf', { subject: { kind: 'model', id: 1 } as never, path: path.join(out, 'none.pdf') })).rejects.toThrow(/Unknown report subject "model"/);
    await expect(service.call('reports:pdf', { subject: { kind: 'run', runId: run.id }, path: nowhere })).rejects.toThrow(/folder .* does not exist/);
    await expect(service.call('reports:csv', { table: { kind: 'runs' }, path: path.join(project, 'runs.csv') })).rejects.toThrow(/outside the project folder/);
    await expect(service.call('reports:csv', { table: { kind: 'everything' } as never, path: path.join(out, 'none.csv') })).rejects.toThrow(/Unknown table "everything"/);
    await expect(service.call('reports:csv', { table: { kind: 'runs' }, path: path.join(out, 'x.csv'), options: { delimiter: '|' } as never })).rejects.toThrow(/delimiter/);
    expect(fs.existsSync(path.join(out, 'none.pdf'))).toBe(false);
    expect(fs.existsSync(path.join(out, 'none.csv'))).toBe(false);
    expect(fs.existsSync(path.join(project, 'runs.csv'))).toBe(false);
    expect(fs.readdirSync(out).filter((f) => f.includes('.tmp-'))).toEqual([]);
    expect((await service.call('reports:list', undefined)).length).toBe(countBefore);
  });
});

describe('dnalm report (CSV and errors)', () => {
  it('writes a run history with a BOM and tabs', () => {
    const target = path.join(out, 'cli-history.tsv');
    const r = dnalm('report', project, '--run', String(run.id), '--csv', target, '--table', 'history', '--bom', '--delimiter', 'tab');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`Wrote ${target} (${run.history.length} rows`);
    const rows = parseCsvWithPython(target, '\t');
    expect(rows[0]?.[0]).toBe('epoch');
    expect(rows).toHaveLength(run.history.length + 1);
  });

  it('explains what is wrong and exits 1', () => {
    const noTarget = dnalm('report', project, '--run', String(run.id));
    expect(noTarget.code).toBe(1);
    expect(noTarget.stderr).toMatch(/Give one of --pdf FILE and --csv FILE/);
    const missing = dnalm('report', project, '--run', '999', '--pdf', path.join(out, 'cli-none.pdf'));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/no training run number 999/);
    expect(fs.existsSync(path.join(out, 'cli-none.pdf'))).toBe(false);
    const both = dnalm('report', project, '--run', '1', '--compare', '2', '--pdf', path.join(out, 'x.pdf'));
    expect(both.stderr).toMatch(/Give one of --run, --compare and --prediction/);
    const table = dnalm('report', project, '--csv', path.join(out, 'x.csv'));
    expect(table.stderr).toMatch(/--table must be runs or models/);
  });
});

/**
 * Reports of real prediction records: a CNN trained on a few hundred real promoter sequences predicts a dataset split,
 * scans 50 kb of the bundled chr2 region against the EPDnew TSS annotation, scores variants and explains a sequence;
 * each record's PDF is read back with pdftotext and its tables exported as CSV (parsed by Python's csv module).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExplainResult, JobDto, PredictionDetail, PredictionRow, PredictionSummary, PredictResult, ReportFile, RunDetail, ScanResult, VariantRow } from '../../../src-shared/api';
import { forkChildProcess } from '../../../src-main/jobs/worker-process';
import { appVersion } from '../../../src-main/paths';
import { readDataLicences } from '../../../src-main/service/about';
import { AppService } from '../../../src-main/service/app-service';
import { dnalmCli, ROOT } from '../support/dnalm-cli';
import { createPromoterProject, trainOnPromoters } from '../support/promoter-project';
import { parseCsvWithPython, pdfPageCount, pdfWords, renderFirstPage } from '../../unit/reports/pdf-tools';

const refDir = path.join(ROOT, 'resources/data/reference_hg38_chr2_1-2333275');
const reference = path.join(refDir, 'chr2_1-2333275.fa.gz');
const tss = path.join(refDir, 'tss_epdnew_hg38.bed');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dnalm-predreports-'));
const home = path.join(tmp, 'home');
const project = path.join(tmp, 'PredictionReports.dnalm');
const out = path.join(tmp, 'out');
const dnalm = dnalmCli(home, 300_000);

const f4 = (v: number): string => v.toFixed(4);

let cnn: RunDetail;
let service: AppService;
let testSequences: string[] = [];
const ids: Partial<Record<'predict' | 'scan' | 'variants' | 'explain', number>> = {};

async function run(kind: 'predict' | 'scan' | 'variants' | 'explain', params: Record<string, unknown>): Promise<PredictionDetail> {
  const job = await service.call('jobs:start', { kind, params } as never);
  const done: JobDto = await service.jobManager().waitFor(job.id);
  expect(done.status, JSON.stringify(done.error)).toBe('success');
  ids[kind] = (done.result as PredictionSummary).id;
  return service.call('predictions:get', { id: (done.result as PredictionSummary).id });
}

async function pdfOf(p: PredictionDetail, name: string): Promise<{ text: string; file: ReportFile; pdf: string }> {
  const pdf = path.join(out, `${name}.pdf`);
  const file = await service.call('reports:pdf', { subject: { kind: 'prediction', predictionId: p.id }, path: pdf });
  expect(file.count).toBe(pdfPageCount(pdf));
  return { text: pdfWords(pdf), file, pdf };
}

function expectFrame(text: string, p: PredictionDetail, pdf: string): void {
  expect(text).toContain(`DNA LM Studio ${appVersion}`);
  expect(text).toContain(`Input hash (SHA-256) ${p.inputHash}`);
  expect(text).toContain(`Model ${cnn.modelId ?? ''} "${cnn.name}"`);
  expect(text).toContain(`trained by run ${cnn.id}`);
  expect(text).toMatch(/dataset SHA-256 [0-9a-f]{64}/);
  for (const l of readDataLicences()) expect(text).toContain(l.name);
  const page = renderFirstPage(pdf);
  expect(page.pngBytes).toBeGreaterThan(10_000);
  expect(page.inked).toBeGreaterThan(0.02);
}

beforeAll(async () => {
  fs.mkdirSync(out);
  ({ testSequences } = createPromoterProject(dnalm, tmp, project, { train: 150, test: 50 }));
  cnn = trainOnPromoters(dnalm, project, ['--model', 'cnn', '--threads', '1']);
  service = new AppService({ host: 'cli', userDataDir: home, launcher: forkChildProcess, cancelGraceMs: 5000 });
  await service.call('project:open', { path: project });
}, 300_000);

afterAll(async () => {
  await service?.shutdown();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('prediction reports', () => {
  it('predict: counts, threshold, agreement and the top rows; every row in the CSV', async () => {
    const p = await run('predict', { modelId: cnn.modelId, input: { kind: 'dataset', datasetId: 1, split: 'test' }, threshold: 0.6 });
    const r = p.result as PredictResult;
    const { text, pdf } = await pdfOf(p, 'predict');
    expect(text).toContain(`Predictions ${p.id}: ${p.name}`);
    expect(text).toContain('Threshold 0.6');
    for (const [cls, n] of Object.entries(r.counts)) expect(text).toMatch(new RegExp(`${cls} ${n} \\d+\\.\\d %`));
    if (r.agreement) expect(text).toContain(`Accuracy against labels ${f4(r.agreement.accuracy)}`);
    const top = (await service.call('predictions:rows', { id: p.id, offset: 0, limit: 1, sortBy: 'score', descending: true })).rows[0] as PredictionRow;
    expect(text).toContain(`${top.index + 1} ${top.id} ${top.length} ${top.predicted} ${f4(top.score)}`);
    expectFrame(text, p, pdf);

    const csv = path.join(out, 'predict.csv');
    const file = await service.call('reports:csv', { table: { kind: 'prediction-rows', predictionId: p.id }, path: csv, options: { bom: true } });
    const rows = parseCsvWithPython(csv);
    expect(file.count).toBe(testSequences.length);
    expect(rows).toHaveLength(testSequences.length + 1);
    expect(rows[0]).toEqual(['index', 'id', 'length', 'label', 'split', 'predicted', 'score', ...p.classes.map((c) => `p_${c}`)]);
    const all = (await service.call('predictions:rows', { id: p.id, offset: 0, limit: 1000 })).rows;
    all.forEach((row, i) => {
      const cells = rows[i + 1] ?? [];
      expect([Number(cells[0]), cells[5], Number(cells[6])]).toEqual([row.index, row.predicted, row.score]);
      expect(cells.slice(7).map(Number)).toEqual([...row.probabilities]);
    });
  });

  it('scan: track plot, calls table and annotation overlap; the calls as CSV', async () => {
    const p = await run('scan', {
      modelId: cnn.modelId,
      source: { kind: 'file', path: reference, record: 'chr2', start: 240_000, end: 290_000 },
      stride: 50,
      strands: 'both',
      threshold: 0.5,
      mergeGap: 100,
      minLength: 300,
      annotation: { path: tss, maxDistance: 1000 },
    });
    const r = p.result as ScanResult;
    const { text, pdf } = await pdfOf(p, 'scan');
    expect(text).toContain(`Scan ${p.id}: ${p.name}`);
    expect(text).toContain('Region chr2:240,001-290,000 (50,000 bp)');
    expect(text).toContain(`${r.windows.toLocaleString('en')} scored`);
    expect(text).toContain('Score along chr2');
    expect(text).toContain('annotation');
    const a = r.annotation;
    if (!a) throw new Error('no annotation');
    expect(text).toContain(`Sites in the region ${a.sites.length}`);
    expect(text).toContain(`(recall) ${a.sites.filter((s) => s.nearCall).length} of ${a.sites.length}: ${f4(a.recall)}`);
    expect(text).toContain(`Calls near a site (precision) ${f4(a.precision)} of ${r.calls.length} calls`);
    const best = [...r.calls].sort((x, y) => y.score - x.score)[0];
    if (best) expect(text).toContain(`chr2 ${(best.start + 1).toLocaleString('en')} ${best.end.toLocaleString('en')} ${(best.end - best.start).toLocaleString('en')} ${best.strand} ${f4(best.score)}`);
    else expect(text).toContain('No window reached the threshold.');
    expectFrame(text, p, pdf);

    const csv = path.join(out, 'calls.csv');
    await service.call('reports:csv', { table: { kind: 'scan-calls', predictionId: p.id }, path: csv });
    const rows = parseCsvWithPython(csv);
    expect(rows.slice(1).map((c) => [c[0], Number(c[1]), Number(c[2]), Number(c[3]), c[4]])).toEqual(r.calls.map((c) => [c.chrom, c.start, c.end, c.score, c.strand]));
    await expect(service.call('reports:csv', { table: { kind: 'prediction-rows', predictionId: p.id }, path: path.join(out, 'wrong.csv') })).rejects.toThrow(/is a scan record, which has no prediction rows/);
    expect(fs.existsSync(path.join(out, 'wrong.csv'))).toBe(false);
  });

  it('variants: the effects table and chart; every variant in the CSV', async () => {
    const p = await run('variants', { modelId: cnn.modelId, referencePath: reference, variants: { kind: 'text', text: 'chr2:264032 G>A\nchr2:264032 G>C\nchr2:264030 GA>G' } });
    const { text, pdf } = await pdfOf(p, 'variants');
    expect(text).toContain(`Variant effects ${p.id}: ${p.name}`);
    expect(text).toContain('Variants 3');
    const rows: readonly VariantRow[] = (await service.call('predictions:variants', { id: p.id, offset: 0, limit: 10 })).rows;
    for (const v of rows) expect(text).toContain(`${v.chrom}:${v.pos} ${v.ref}>${v.alt} ${f4(v.refProbability)} ${f4(v.altProbability)} ${f4(v.delta)} ${f4(v.logOddsRatio)}`);
    expect(text).toContain('Effect on P(');
    expectFrame(text, p, pdf);

    const csv = path.join(out, 'variants.csv');
    const file = await service.call('reports:csv', { table: { kind: 'variant-rows', predictionId: p.id }, path: csv });
    expect(file.count).toBe(3);
    const parsed = parseCsvWithPython(csv);
    expect(parsed.slice(1).map((c) => [Number(c[3]), c[4], c[5], Number(c[8])])).toEqual(rows.map((v) => [v.pos, v.ref, v.alt, v.delta]));
  });

  it('explain: the mutagenesis heatmap, the strongest effects and the sequence', async () => {
    const sequence = testSequences[0] ?? '';
    const p = await run('explain', { modelId: cnn.modelId, sequence });
    const r = p.result as ExplainResult;
    const { text, pdf } = await pdfOf(p, 'explain');
    expect(text).toContain(`Explanation (in-silico mutagenesis) ${p.id}: ${p.name}`);
    expect(text).toContain(`P(${r.className}) ${f4(r.probability)}`);
    expect(text).toContain('In-silico saturation mutagenesis');
    const strongest = r.ism.flatMap((row, pos) => row.map((v, b) => ({ pos, b, v }))).sort((x, y) => Math.abs(y.v) - Math.abs(x.v))[0];
    if (strongest) expect(text).toContain(`${strongest.pos + 1} ${sequence[strongest.pos] ?? ''} ${'ACGT'[strongest.b] ?? ''} ${f4(strongest.v)}`);
    expect(text).toContain(sequence.slice(0, 10));
    expectFrame(text, p, pdf);
  });
});

describe('dnalm report --prediction', () => {
  beforeAll(async () => {
    // The CLI takes the project's lock, which the service holds while the project is open.
    await service.call('project:close', undefined);
  });

  it('writes a record\'s PDF, and its kind\'s table as CSV by default', () => {
    const pdf = path.join(out, 'cli-scan.pdf');
    const r = dnalm('report', project, '--prediction', String(ids.scan), '--pdf', pdf);
    expect(r.code, r.stderr).toBe(0);
    expect(pdfWords(pdf)).toContain('Score along chr2');
    const csv = path.join(out, 'cli-variants.csv');
    const v = dnalm('report', project, '--prediction', String(ids.variants), '--csv', csv, '--json');
    expect(v.code, v.stderr).toBe(0);
    expect((JSON.parse(v.stdout) as ReportFile).count).toBe(3);
    expect(parseCsvWithPython(csv)[0]?.slice(0, 6)).toEqual(['index', 'id', 'chrom', 'pos', 'ref', 'alt']);
  });

  it('explains that an explanation has no table', () => {
    const r = dnalm('report', project, '--prediction', String(ids.explain), '--csv', path.join(out, 'cli-explain.csv'));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/is an explanation, which has no table; write its PDF with --pdf/);
    expect(fs.existsSync(path.join(out, 'cli-explain.csv'))).toBe(false);
  });
});

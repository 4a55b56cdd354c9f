/**
 * Predict, scan, variants and explain end to end through the real job path (bundled engine worker, staging folder,
 * prediction rows and files), with small models trained on a few hundred real promoter sequences
 * (gb_human_nontata_promoters) and the bundled chr2 reference and TSS annotation.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  ExplainResult,
  JobDto,
  PredictionDetail,
  PredictionRowsPage,
  PredictionSummary,
  PredictResult,
  RunDetail,
  ScanResult,
  VariantRowsPage,
} from '../../../src-shared/api';
import { forkChildProcess } from '../../../src-main/jobs/worker-process';
import { mergeCalls } from '../../../src-main/inference/regions';
import { readFloat32 } from '../../../src-main/inference/prediction-files';
import { AppService } from '../../../src-main/service/app-service';
import { readModel } from '../../../src-main/training/artifacts';
import { encodeSplit, loadDataset } from '../../../src-main/training/data';
import { probabilitiesOf } from '../../../src-main/training/evaluation';
import { insertModelRow } from '../../../src-main/training/run-repository';
import { dnalmCli, ROOT } from '../support/dnalm-cli';
import { createPromoterProject, SHARED_PROMOTERS, trainOnPromoters } from '../support/promoter-project';

const refDir = path.join(ROOT, 'resources/data/reference_hg38_chr2_1-2333275');
const reference = path.join(refDir, 'chr2_1-2333275.fa.gz');
const tss = path.join(refDir, 'tss_epdnew_hg38.bed');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dnalm-inference-'));
const home = path.join(tmp, 'home');
const project = path.join(tmp, 'Inference.dnalm');
const artifacts = path.join(project, 'artifacts');
const dnalm = dnalmCli(home, 120_000);

let cnn: RunDetail;
let bert: RunDetail;
let service: AppService;

beforeAll(async () => {
  createPromoterProject(dnalm, tmp, project, { train: 150, test: 50 });
  cnn = trainOnPromoters(dnalm, project, ['--model', 'cnn']);
  bert = trainOnPromoters(dnalm, project, ['--model', 'bert', '--layers', '1', '--hidden', '32', '--heads', '2', '--intermediate', '64', '--k', '3', '--max-tokens', '40']);
  service = new AppService({ host: 'cli', userDataDir: home, launcher: forkChildProcess, cancelGraceMs: 5000 });
  await service.call('project:open', { path: project });
}, 120_000);

afterAll(async () => {
  await service?.shutdown();
  fs.rmSync(tmp, { recursive: true, force: true });
});

async function run(kind: 'predict' | 'scan' | 'variants' | 'explain', params: Record<string, unknown>, onProgress?: (job: JobDto) => void): Promise<JobDto> {
  const job = await service.call('jobs:start', { kind, params } as never);
  let fired = false;
  const off = service.onEvent((channel, payload) => {
    const j = payload as JobDto;
    if (channel !== 'job:update' || fired || !onProgress || j.id !== job.id || j.progress.step === 0) return;
    fired = true;
    onProgress(j);
  });
  try {
    return await service.jobManager().waitFor(job.id);
  } finally {
    off();
  }
}

async function detailOf(job: JobDto): Promise<PredictionDetail> {
  expect(job.status, JSON.stringify(job.error)).toBe('success');
  return service.call('predictions:get', { id: (job.result as PredictionSummary).id });
}

const stagingLeft = (): string[] => {
  const dir = path.join(artifacts, '.staging');
  return fs.existsSync(dir) ? fs.readdirSync(dir) : [];
};

/** No new row, nothing left in staging, and no folder under predictions/ that no row names. */
async function nothingStored(before: number): Promise<void> {
  const list = await service.call('predictions:list', undefined);
  expect(list.length).toBe(before);
  expect(stagingLeft()).toEqual([]);
  const dir = path.join(artifacts, 'predictions');
  const folders = fs.existsSync(dir) ? fs.readdirSync(dir).sort() : [];
  expect(folders).toEqual(list.map((p) => String(p.id)).sort());
}

describe('predict', () => {
  it('says whether ONNX Runtime is installed, without loading it in main', async () => {
    let installed = true;
    try {
      require.resolve('onnxruntime-node');
    } catch {
      installed = false;
    }
    const status = await service.call('inference:status', undefined);
    expect(status.onnx).toBe(installed);
    expect(status.onnxVersion === null).toBe(!installed);
    expect(Object.keys(require.cache).some((k) => k.includes(`${path.sep}onnxruntime-node${path.sep}`))).toBe(false);
  });

  it('gives the probabilities that evaluation gives on the same model and sequences, and its accuracy', async () => {
    const modelId = cnn.modelId ?? 0;
    const job = await run('predict', { modelId, input: { kind: 'dataset', datasetId: 1, split: 'test' }, engine: 'tfjs' });
    const d = await detailOf(job);
    expect(d.kind).toBe('predict');
    expect(d.engine).toBe('tfjs');
    expect(d.count).toBe(100);
    expect(d.inputHash).toMatch(/^[0-9a-f]{64}$/);
    const result = d.result as PredictResult;
    expect(result.agreement?.accuracy).toBeCloseTo(cnn.test?.accuracy ?? NaN, 10);
    expect(result.agreement?.mcc).toBeCloseTo(cnn.test?.mcc ?? NaN, 10);

    // The evaluation's own path: the Trainer's logits on the encoded test split.
    const { Trainer } = await import('../../../src-main/engine/training/trainer');
    const { config, weights } = readModel(path.join(artifacts, 'models', `run-${cnn.id}`));
    const file = fs.readdirSync(path.join(artifacts, 'datasets')).find((f) => f.endsWith('.seqs')) ?? '';
    const test = encodeSplit(loadDataset(path.join(artifacts, 'datasets', file), config.classes, 3, 0.1).test, config.input);
    const trainer = await Trainer.create({ task: { model: config.spec }, seed: 0, threads: 1, optimizer: { lr: 0 }, weights });
    let expected: Float64Array;
    try {
      const { values } = await trainer.logits({ size: test.size, length: test.length, tokens: test.tokens, labels: test.labels });
      expected = probabilitiesOf(values, config.outputs, test.labels).probabilities;
    } finally {
      await trainer.close();
    }
    const page: PredictionRowsPage = await service.call('predictions:rows', { id: d.id, offset: 0, limit: 1000 });
    expect(page.total).toBe(100);
    page.rows.forEach((r, i) => {
      expect(r.probabilities[0]).toBeCloseTo(expected[2 * i] ?? NaN, 6);
      expect(r.probabilities[1]).toBeCloseTo(expected[2 * i + 1] ?? NaN, 6);
      expect(r.label).toBe(config.classes[test.labels[i] ?? 0]);
      expect(r.split).toBe('test');
    });
  });

  it('predicts with a BERT as its evaluation did (k-mer tokens as in training), and scans with its default window', async () => {
    // Trained on 251-bp sequences with 40 tokens: training cut them; predict does so only when asked.
    const refused = await run('predict', { modelId: bert.modelId, input: { kind: 'dataset', datasetId: 1, split: 'test' } });
    expect(refused.error?.message).toMatch(/test split, record 1: the sequence "row1" has 251 bases but the model .* reads at most 40; .*truncate/);
    const d = await detailOf(await run('predict', { modelId: bert.modelId, input: { kind: 'dataset', datasetId: 1, split: 'test' }, engine: 'tfjs', truncate: true }));
    const result = d.result as PredictResult;
    expect(result.agreement?.accuracy).toBeCloseTo(bert.test?.accuracy ?? NaN, 10);
    expect(result.agreement?.mcc).toBeCloseTo(bert.test?.mcc ?? NaN, 10);
    const s = await detailOf(await run('scan', { modelId: bert.modelId, source: { kind: 'file', path: reference, record: 'chr2', start: 264_000, end: 265_000 }, stride: 20, strands: 'forward', threshold: 0.5, mergeGap: 0, minLength: 0 }));
    const scan = s.result as ScanResult;
    // 40 tokens = [CLS] + 38 3-mers + [SEP]: 40 bases.
    expect(scan.window).toBe(40);
    expect(scan.windows).toBe(Math.floor((1000 - 40) / 20) + 1);
    expect(scan.calls.every((c) => c.strand === '.')).toBe(true);
  });

  it('reads pasted sequences, sorts, filters and pages the rows, and deletes the record with its files', async () => {
    const seqs = zlib.gunzipSync(fs.readFileSync(path.join(SHARED_PROMOTERS, 'test.csv.gz'))).toString('utf8').trim().split('\n').slice(1, 31).map((l) => l.split(',')[0] ?? '');
    const text = seqs.map((s, i) => `p${i + 1}\t${s}`).join('\n');
    const pushed: PredictionSummary[][] = [];
    const off = service.onEvent((channel, payload) => {
      if (channel === 'predictions:changed') pushed.push(payload as PredictionSummary[]);
    });
    const d = await detailOf(await run('predict', { modelId: cnn.modelId, input: { kind: 'text', text }, threshold: 0.4 }));
    off();
    expect(pushed.at(-1)?.map((p) => p.id)).toContain(d.id);
    expect(d.count).toBe(30);
    expect(d.inputDescription).toBe('30 sequences pasted');
    const result = d.result as PredictResult;
    expect(result.threshold).toBe(0.4);
    const all: PredictionRowsPage = await service.call('predictions:rows', { id: d.id, offset: 0, limit: 100 });
    expect(all.rows.map((r) => r.predicted)).toEqual(all.rows.map((r) => ((r.probabilities[1] ?? 0) >= 0.4 ? 'positive' : 'negative')));
    expect(Object.values(result.counts).reduce((a, b) => a + b, 0)).toBe(30);
    const sorted: PredictionRowsPage = await service.call('predictions:rows', { id: d.id, offset: 5, limit: 5, sortBy: 'score', descending: true });
    const byScore = [...all.rows].sort((a, b) => b.score - a.score || b.index - a.index);
    expect(sorted.rows.map((r) => r.id)).toEqual(byScore.slice(5, 10).map((r) => r.id));
    const positives: PredictionRowsPage = await service.call('predictions:rows', { id: d.id, offset: 0, limit: 100, predicted: 'positive' });
    expect(positives.total).toBe(result.counts['positive']);
    const search: PredictionRowsPage = await service.call('predictions:rows', { id: d.id, offset: 0, limit: 100, search: 'p1' });
    expect(search.rows.map((r) => r.id).sort()).toEqual(['p1', 'p10', 'p11', 'p12', 'p13', 'p14', 'p15', 'p16', 'p17', 'p18', 'p19'].sort());

    const dir = path.join(artifacts, 'predictions', String(d.id));
    expect(fs.existsSync(dir)).toBe(true);
    await service.call('predictions:delete', { id: d.id });
    expect(fs.existsSync(dir)).toBe(false);
    await expect(service.call('predictions:get', { id: d.id })).rejects.toThrow(/no prediction number/);
  });

  it('refuses a sequence longer than the model, naming file and line, and stores nothing', async () => {
    const before = (await service.call('predictions:list', undefined)).length;
    const fasta = path.join(tmp, 'long.fa');
    fs.writeFileSync(fasta, `>ok\n${'ACGT'.repeat(50)}\n>long\n${'ACGT'.repeat(100)}\n`);
    const job = await run('predict', { modelId: cnn.modelId, input: { kind: 'file', path: fasta } });
    expect(job.status).toBe('failure');
    expect(job.error?.code).toBe('INVALID_REQUEST');
    expect(job.error?.message).toMatch(/long\.fa, line 3: the sequence "long" has 400 bases but the model .* reads at most 251/);
    await nothingStored(before);
  });

  it('refuses a pretrained model without a classification head before starting', async () => {
    const store = service.currentProject;
    if (!store) throw new Error('no project');
    const src = path.join(artifacts, 'models', `run-${bert.id}`);
    const dst = path.join(artifacts, 'models', 'mlm-test');
    fs.cpSync(src, dst, { recursive: true });
    const config = JSON.parse(fs.readFileSync(path.join(dst, 'model.json'), 'utf8')) as Record<string, unknown>;
    fs.writeFileSync(path.join(dst, 'model.json'), JSON.stringify({ ...config, role: 'pretrained', spec: { ...(config['spec'] as object), head: { kind: 'mlm' } } }));
    const m = insertModelRow(store, { name: 'encoder only', architecture: 'bert', role: 'pretrained', artifactPath: 'models/mlm-test', config: {}, licence: '', classes: [], parameters: 1, sizeBytes: 1 });
    await expect(service.call('jobs:start', { kind: 'predict', params: { modelId: m.id, input: { kind: 'text', text: 'ACGTACGT' } } } as never)).rejects.toThrow(
      /pretrained language model without a classification head; fine-tune it/,
    );
  });
});

describe('scan', () => {
  let scan: PredictionDetail;
  let result: ScanResult;

  it('scans 50 kb of chr2 on both strands: one score per window and strand, valid bedGraph and BED', async () => {
    const job = await run('scan', {
      modelId: cnn.modelId,
      source: { kind: 'file', path: reference, record: 'chr2', start: 240_000, end: 290_000 },
      stride: 50,
      strands: 'both',
      threshold: 0.5,
      mergeGap: 100,
      minLength: 300,
      annotation: { path: tss, maxDistance: 1000 },
    });
    scan = await detailOf(job);
    result = scan.result as ScanResult;
    expect(scan.inputDescription).toBe('chr2:240,001-290,000 of chr2_1-2333275.fa.gz (both strands)');
    expect(result.window).toBe(251);
    expect(result.windows).toBe(Math.floor((50_000 - 251) / 50) + 1);
    expect(scan.count).toBe(995);
    const dir = path.join(artifacts, 'predictions', String(scan.id));
    expect(readFloat32(path.join(dir, 'forward.f32')).length).toBe(995);
    expect(readFloat32(path.join(dir, 'reverse.f32')).length).toBe(995);

    const graph = fs.readFileSync(path.join(artifacts, result.files.bedGraph), 'utf8').trim().split('\n');
    expect(graph[0]).toMatch(/^track type=bedGraph /);
    const data = graph.slice(1).map((l) => l.split('\t'));
    expect(data.length).toBe(result.windows - result.skipped);
    let prevEnd = 0;
    for (const f of data) {
      expect(f.length).toBe(4);
      expect(f[0]).toBe('chr2');
      const [s, e, v] = [Number(f[1]), Number(f[2]), Number(f[3])];
      expect(e - s).toBe(50);
      expect(s).toBeGreaterThanOrEqual(Math.max(prevEnd, 240_000));
      expect(e).toBeLessThanOrEqual(290_000);
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThanOrEqual(1);
      prevEnd = e;
    }
    const bed = fs.readFileSync(path.join(artifacts, result.files.bed), 'utf8').trim().split('\n').filter((l) => l !== '');
    expect(bed.length).toBe(result.calls.length);
    bed.forEach((l, i) => {
      const c = result.calls[i];
      expect(l.split('\t')).toEqual(['chr2', String(c?.start), String(c?.end), `call${i + 1}`, String(Math.round((c?.score ?? 0) * 1000)), c?.strand]);
    });
  });

  it('calls exactly the merged windows over the threshold on each strand', async () => {
    const track = await service.call('predictions:track', { id: scan.id, maxPoints: 100_000 });
    expect(track.positions.length).toBe(995);
    expect(track.positions[0]).toBe(240_000 + 125.5);
    const windows = (scores: readonly number[]) => scores.map((score, i) => ({ start: 240_000 + i * 50, end: 240_000 + i * 50 + 251, score }));
    const plus = mergeCalls(windows(track.forward), 0.5, 100, 300);
    const minus = mergeCalls(windows(track.reverse ?? []), 0.5, 100, 300);
    const strip = (s: '+' | '-') => result.calls.filter((c) => c.strand === s).map((c) => ({ start: c.start, end: c.end, score: Math.fround(c.score) }));
    expect(strip('+')).toEqual(plus.map((c) => ({ ...c, score: Math.fround(c.score) })));
    expect(strip('-')).toEqual(minus.map((c) => ({ ...c, score: Math.fround(c.score) })));
    for (const c of result.calls) expect(c.end - c.start).toBeGreaterThanOrEqual(300);
  });

  it('reports distances to the TSS annotation and precision/recall that recount from calls and sites', () => {
    const a = result.annotation;
    if (!a) throw new Error('no annotation');
    // EPDnew TSSs in chr2:240,001-290,000: SH3YL1 (two), ACP1, FAM150B.
    expect(a.sites.map((s) => s.name)).toEqual(['SH3YL1', 'SH3YL1', 'ACP1', 'FAM150B']);
    const dist = (c: { start: number; end: number }, s: { start: number; end: number }) => Math.max(0, s.start - c.end, c.start - s.end);
    for (const c of result.calls) {
      const best = Math.min(...a.sites.map((s) => dist(c, s)));
      expect(c.nearestSite).toBe(best);
    }
    const near = a.sites.map((s) => result.calls.some((c) => dist(c, s) <= 1000));
    expect(a.sites.map((s) => s.nearCall)).toEqual(near);
    expect(a.recall).toBe(near.filter(Boolean).length / 4);
    expect(a.precision).toBe(result.calls.length === 0 ? 0 : result.calls.filter((c) => (c.nearestSite ?? Infinity) <= 1000).length / result.calls.length);
  });

  it('returns a zoomed-out track max-pooled to maxPoints', async () => {
    const full = await service.call('predictions:track', { id: scan.id, maxPoints: 100_000 });
    const zoom = await service.call('predictions:track', { id: scan.id, maxPoints: 10 });
    expect(zoom.forward.length).toBe(10);
    const per = Math.ceil(995 / 10);
    zoom.forward.forEach((v, j) => expect(v).toBe(Math.max(...full.forward.slice(j * per, (j + 1) * per))));
    const part = await service.call('predictions:track', { id: scan.id, start: 260_000, end: 261_000, maxPoints: 1000 });
    expect(part.positions.every((p) => p >= 260_000 && p < 261_000)).toBe(true);
    expect(part.positions.length).toBe(20);
  });

  it('skips windows that are mostly N (an assembly gap) and leaves them out of the bedGraph', async () => {
    const left = 'ACGT'.repeat(100); // 400 bases
    const seq = `${left}${'N'.repeat(600)}${left}`;
    const d = await detailOf(await run('scan', { modelId: cnn.modelId, source: { kind: 'text', text: seq, name: 'gap' }, stride: 50, strands: 'forward', threshold: 0.5, mergeGap: 0, minLength: 0 }));
    const r = d.result as ScanResult;
    expect(r.chrom).toBe('gap');
    expect(r.windows).toBe(Math.floor((1400 - 251) / 50) + 1);
    // Window i covers [50 i, 50 i + 251): more than 125 of its bases in the N run [400, 1000) means skipped.
    const ns = (i: number) => Math.max(0, Math.min(50 * i + 251, 1000) - Math.max(50 * i, 400));
    const expected = Array.from({ length: r.windows }, (_, i) => ns(i) > 125).filter(Boolean).length;
    expect(expected).toBeGreaterThan(0);
    expect(r.skipped).toBe(expected);
    const track = await service.call('predictions:track', { id: d.id, maxPoints: 1000 });
    expect(track.forward.map((v, i) => Number.isNaN(v) === ns(i) > 125)).toEqual(track.forward.map(() => true));
    const graph = fs.readFileSync(path.join(artifacts, r.files.bedGraph), 'utf8').trim().split('\n').slice(1);
    expect(graph.length).toBe(r.windows - r.skipped);
  });

  it('refuses coordinates outside the reference with a clear message and stores nothing', async () => {
    const before = (await service.call('predictions:list', undefined)).length;
    const job = await run('scan', { modelId: cnn.modelId, source: { kind: 'file', path: reference, record: 'chr2', start: 2_333_000, end: 2_334_000 }, stride: 50, strands: 'forward', threshold: 0.5, mergeGap: 0, minLength: 0 });
    expect(job.status).toBe('failure');
    expect(job.error?.message).toMatch(/chr2:2,333,001-2,334,000 lies outside the reference; chr2 has 2,333,275 bases/);
    await nothingStored(before);
  });

  it('stores nothing when a scan is cancelled or its worker is killed', async () => {
    const before = (await service.call('predictions:list', undefined)).length;
    const params = { modelId: cnn.modelId, source: { kind: 'file', path: reference }, stride: 10, strands: 'both', threshold: 0.5, mergeGap: 0, minLength: 0 };
    const cancelled = await run('scan', params, (j) => setImmediate(() => service.jobManager().cancel(j.id)));
    expect(cancelled.status).toBe('cancelled');
    await nothingStored(before);
    const killed = await run('scan', params, (j) => {
      if (j.workerPid !== null) process.kill(j.workerPid, 'SIGKILL');
    });
    expect(killed.status).toBe('failure');
    await nothingStored(before);
  });
});

describe('variants', () => {
  it('scores variants: ref/alt probability, delta and log-odds ratio', async () => {
    const vcf = path.join(tmp, 'v.vcf');
    fs.writeFileSync(vcf, ['##fileformat=VCFv4.2', '#CHROM\tPOS\tID\tREF\tALT', 'chr2\t264032\trsA\tG\tA,C', 'chr2\t264030\t.\tGA\tG', ''].join('\n'));
    const d = await detailOf(await run('variants', { modelId: cnn.modelId, referencePath: reference, variants: { kind: 'file', path: vcf } }));
    expect(d.count).toBe(3);
    const page: VariantRowsPage = await service.call('predictions:variants', { id: d.id, offset: 0, limit: 10 });
    expect(page.rows.map((r) => [r.id, r.pos, r.ref, r.alt])).toEqual([
      ['rsA G>A', 264032, 'G', 'A'],
      ['rsA G>C', 264032, 'G', 'C'],
      ['chr2:264030 GA>G', 264030, 'GA', 'G'],
    ]);
    const logit = (p: number) => Math.log(p / (1 - p));
    for (const r of page.rows) {
      expect(r.delta).toBeCloseTo(r.altProbability - r.refProbability, 12);
      expect(r.logOddsRatio).toBeCloseTo(logit(r.altProbability) - logit(r.refProbability), 6);
    }
    // The reference window of an SNV is the same for both alleles of one site.
    expect(page.rows[0]?.refProbability).toBe(page.rows[1]?.refProbability);
    const sorted: VariantRowsPage = await service.call('predictions:variants', { id: d.id, offset: 0, limit: 10, sortBy: 'absDelta', descending: true });
    expect(sorted.rows.map((r) => Math.abs(r.delta))).toEqual(page.rows.map((r) => Math.abs(r.delta)).sort((a, b) => b - a));
  });

  it('refuses a VCF whose REF disagrees with the reference, naming file, line and both bases', async () => {
    const before = (await service.call('predictions:list', undefined)).length;
    const vcf = path.join(tmp, 'wrong.vcf');
    fs.writeFileSync(vcf, ['#CHROM\tPOS\tID\tREF\tALT', 'chr2\t264032\t.\tG\tA', 'chr2\t264033\t.\tT\tC', ''].join('\n'));
    const job = await run('variants', { modelId: cnn.modelId, referencePath: reference, variants: { kind: 'file', path: vcf } });
    expect(job.status).toBe('failure');
    expect(job.error?.message).toMatch(/wrong\.vcf, line 3: the REF of chr2:264033 is T but the reference chr2_1-2333275\.fa\.gz has G there/);
    await nothingStored(before);
  });
});

describe('explain', () => {
  const seq = 'GGGCGGGGCGGGGCCAATCAGGCTATAAAAGGCGCCGCGGCGGCGGCGGCGGAGCTCGGCGGCGCGGCCGCG';

  it('maps every base change of a sequence (CNN): one row per position, zero at the reference bases', async () => {
    const d = await detailOf(await run('explain', { modelId: cnn.modelId, sequence: seq }));
    const r = d.result as ExplainResult;
    expect(r.ism.length).toBe(seq.length);
    expect(d.count).toBe(3 * seq.length);
    r.ism.forEach((row, i) => {
      expect(row.length).toBe(4);
      expect(row['ACGT'.indexOf(seq[i] ?? '')]).toBe(0);
      expect(row.filter((v) => v !== 0).length).toBeGreaterThan(0);
    });
    // The base probability is the model's prediction for the sequence itself.
    const p = await detailOf(await run('predict', { modelId: cnn.modelId, input: { kind: 'text', text: seq } }));
    const rows: PredictionRowsPage = await service.call('predictions:rows', { id: p.id, offset: 0, limit: 1 });
    expect(r.probability).toBeCloseTo(rows.rows[0]?.probabilities[1] ?? NaN, 6);
  });

  it('returns the attention of every layer and head of a BERT, each row a distribution over the tokens', async () => {
    const s = seq.slice(0, 40);
    const d = await detailOf(await run('explain', { modelId: bert.modelId, sequence: s, attention: true }));
    const a = (d.result as ExplainResult).attention;
    if (!a) throw new Error('no attention');
    const tokens = s.length - 3 + 1 + 2;
    expect(a.tokens.length).toBe(tokens);
    expect(a.tokens[0]).toBe('[CLS]');
    expect(a.tokens[1]).toBe(s.slice(0, 3));
    expect([a.layers, a.heads]).toEqual([1, 2]);
    expect(a.weights.length).toBe(1);
    expect(a.weights[0]?.length).toBe(2);
    for (const head of a.weights[0] ?? []) {
      expect(head.length).toBe(tokens);
      for (const row of head) {
        expect(row.length).toBe(tokens);
        expect(row.reduce((x, y) => x + y, 0)).toBeCloseTo(1, 4);
      }
    }
  });

  it('refuses attention maps for a CNN', async () => {
    const job = await run('explain', { modelId: cnn.modelId, sequence: seq, attention: true });
    expect(job.status).toBe('failure');
    expect(job.error?.message).toMatch(/attention maps exist only for BERT models/);
  });
});

describe('dnalm predict | scan | variants', () => {
  // The CLI opens the project itself: the service lets go of it (and its lock) first.
  beforeAll(async () => {
    await service.call('project:close', undefined);
  });

  it('predicts a FASTA file and writes the rows as CSV', () => {
    const fasta = path.join(tmp, 'three.fa');
    fs.writeFileSync(fasta, `>a\n${'ACGT'.repeat(60)}\n>b\n${'GGCC'.repeat(60)}\n>c\n${'TATA'.repeat(60)}\n`);
    const out = path.join(tmp, 'three.csv');
    const r = dnalm('predict', project, '--model', String(cnn.modelId), '--fasta', fasta, '--out', out, '--json');
    expect(r.code, r.stderr).toBe(0);
    const d = JSON.parse(r.stdout) as PredictionDetail;
    expect(d.count).toBe(3);
    const lines = fs.readFileSync(out, 'utf8').trim().split('\r\n');
    expect(lines[0]).toBe('id,length,predicted,score,p_negative,p_positive');
    expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual(['a', 'b', 'c']);
  });

  it('refuses a k that is not the model\'s', () => {
    const r = dnalm('predict', project, '--model', String(bert.modelId), '--dataset', 'promoters', '--k', '6');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/reads 3-mers, not 6-mers/);
  });

  it('scans a region given as chr:start-end and prints the calls', () => {
    const r = dnalm('scan', project, '--model', String(cnn.modelId), '--fasta', reference, '--region', 'chr2:263,001-266,000', '--stride', '50', '--annotation', tss, '--json');
    expect(r.code, r.stderr).toBe(0);
    const d = JSON.parse(r.stdout) as PredictionDetail;
    const s = d.result as ScanResult;
    expect([s.start, s.end, s.windows]).toEqual([263_000, 266_000, Math.floor((3000 - 251) / 50) + 1]);
  });

  it('exits 1 with file, line and both bases for a wrong REF', () => {
    const r = dnalm('variants', project, '--model', String(cnn.modelId), '--reference', reference, '--variants', 'chr2:264032 A>G');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/line 1: the REF of chr2:264032 is A but the reference chr2_1-2333275\.fa\.gz has G there/);
  });
});

/**
 * Pretraining through the real job path (bundled engine worker, run rows, checkpoints, model files) on windows of the
 * hg38 chr2 region: the CLI, the preflight, cancel and resume to the uninterrupted result, the 'pretrained' model
 * fine-tuned on promoters, refusals of bad input, and the ablation with its compare table.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AblationSummary, JobDto, PretrainSettings, PretrainSummary } from '../../../src-shared/api';
import { forkChildProcess } from '../../../src-main/jobs/worker-process';
import type { ProjectStore } from '../../../src-main/project';
import { AppService } from '../../../src-main/service/app-service';
import { readModel } from '../../../src-main/training/artifacts';
import { dnalmCli, ROOT } from '../support/dnalm-cli';
import { createPromoterProject, readProject } from '../support/promoter-project';

const fasta = path.resolve(ROOT, '../shared/data/reference_hg38_chr2_1-2333275/chr2_1-2333275.fa.gz');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dnalm-pretrain-'));
const home = path.join(tmp, 'home');
const project = path.join(tmp, 'Pretrain.dnalm');
const tiny = ['--k', '4', '--layers', '2', '--hidden', '32', '--heads', '2', '--intermediate', '64', '--window', '96', '--threads', '1'];
const region = `fasta:${fasta}:chr2:1000000-1060000`;
const dnalm = dnalmCli(home, 300_000);
const readDb = <T>(fn: (store: ProjectStore) => T): Promise<T> => readProject(project, fn);

let datasetId = 0;

beforeAll(() => {
  ({ datasetId } = createPromoterProject(dnalm, tmp, project, { train: 60, test: 30 }));
}, 120_000);

afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('dnalm pretrain', () => {
  let pretrained: PretrainSummary;

  it('pretrains with RandomMask and NGSP, records losses, corpus and schedule, and saves a pretrained model', () => {
    const r = dnalm('pretrain', project, '--corpus', region, '--method', 'mlm,randommask,ngsp', '--steps', '20', '--batch', '8', '--eval-every', '10', ...tiny, '--json');
    expect(r.code, r.stderr).toBe(0);
    pretrained = JSON.parse(r.stdout) as PretrainSummary;
    expect(pretrained.status).toBe('success');
    expect(pretrained.stepsDone).toBe(20);
    expect(pretrained.corpus?.windows).toBe(625);
    expect(pretrained.corpus?.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(pretrained.schedule.map((p) => [p.fromStep, p.toStep, p.minSpan, p.maxSpan])).toEqual([
      [0, 4, 4, 4],
      [4, 8, 4, 6],
      [8, 12, 4, 8],
      [12, 16, 4, 10],
      [16, 20, 4, 12],
    ]);
    const train = pretrained.history.filter((p) => p.split === 'train');
    const validation = pretrained.history.filter((p) => p.split === 'validation');
    expect(train.length).toBeGreaterThan(0);
    expect(validation.map((p) => p.step)).toEqual([10, 20]);
    for (const p of [...train, ...validation]) {
      expect(p.values['mlm']).toBeGreaterThan(0);
      expect(p.values['ngsp']).toBeGreaterThan(0);
      expect(p.values['total']).toBeCloseTo((p.values['mlm'] ?? 0) + (p.values['ngsp'] ?? 0), 4);
      expect(p.values['srm']).toBeUndefined();
    }
    expect(train.map((p) => p.values['phase'])).toContain(4);
    expect(pretrained.modelId).not.toBeNull();
  }, 300_000);

  it('stores a BERT with its MLM head as a pretrained model, the NGSP head beside it', async () => {
    const row = await readDb((store) => {
      const stmt = store.read((db) => db.exec("SELECT role, kind, artifact_path FROM models WHERE id = ?", [pretrained.modelId ?? 0]));
      return stmt[0]?.values[0];
    });
    expect(row?.[0]).toBe('pretrained');
    expect(row?.[1]).toBe('bert');
    const dir = path.join(project, 'artifacts', String(row?.[2]));
    const model = readModel(dir);
    expect(model.config.role).toBe('pretrained');
    expect(model.config.k).toBe(4);
    expect(model.config.layout.map((e) => e.name)).toContain('cls.predictions.bias');
    expect(model.config.layout.map((e) => e.name)).not.toContain('cls.seq_relationship.weight');
    const heads = JSON.parse(fs.readFileSync(path.join(dir, 'heads.json'), 'utf8')) as { layout: { name: string }[] };
    expect(heads.layout.map((e) => e.name)).toContain('cls.seq_relationship.weight');
  });

  it('fine-tunes from the pretrained model, taking its shape', () => {
    const r = dnalm('train', project, '--dataset', 'promoters', '--model', 'bert', '--pretrained', String(pretrained.modelId), '--epochs', '1', '--threads', '1', '--json');
    expect(r.code, r.stderr).toBe(0);
    const run = JSON.parse(r.stdout) as { id: number; status: string };
    expect(run.status).toBe('success');
    const result = JSON.parse(fs.readFileSync(path.join(project, 'artifacts', 'runs', String(run.id), 'result.json'), 'utf8')) as { pretrainedTensors: number };
    expect(result.pretrainedTensors).toBeGreaterThan(20);
  }, 300_000);

  it('refuses a k that differs from the pretrained model, and a missing corpus file, naming them', () => {
    const k = dnalm('train', project, '--dataset', 'promoters', '--model', 'bert', '--pretrained', String(pretrained.modelId), '--k', '6', '--epochs', '1');
    expect(k.code).toBe(1);
    expect(k.stderr).toMatch(/has k 4, but the settings ask for k 6/);
    const missing = dnalm('pretrain', project, '--corpus', `fasta:${path.join(tmp, 'nope.fa')}`, '--method', 'mlm', ...tiny);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/nope\.fa: the file does not exist/);
    const outside = dnalm('pretrain', project, '--corpus', `fasta:${fasta}:chr2:0-9000000`, '--method', 'mlm', '--steps', '2', ...tiny);
    expect(outside.code).toBe(1);
    expect(outside.stderr).toMatch(/outside the record/);
  }, 120_000);
});

describe('pretraining jobs in the app service', () => {
  let service: AppService;
  beforeAll(async () => {
    service = new AppService({ host: 'cli', userDataDir: home, launcher: forkChildProcess, cancelGraceMs: 5000 });
    await service.call('project:open', { path: project });
  });
  afterAll(async () => {
    await service.shutdown();
  });

  const settings = (seed: number): PretrainSettings => ({
    corpus: { kind: 'fasta', path: fasta, region: { record: 'chr2', start: 1_000_000, end: 1_030_000 }, window: 96, stride: 96, bothStrands: true },
    model: { preset: 'custom', k: 4, layers: 1, hidden: 32, heads: 2, intermediate: 64 },
    objectives: { masking: 'randommask', ngsp: true, srm: false },
    steps: 12,
    batchSize: 8,
    learningRate: 1e-3,
    evalEvery: 4,
    seed,
    threads: 1,
  });

  async function startAndWatch(kind: 'pretrain' | 'ablation', params: Record<string, unknown>, onCheckpoint?: (job: JobDto) => void): Promise<JobDto> {
    let fired = false;
    const job = await service.call('jobs:start', { kind, params } as never);
    const off = service.onEvent((channel, payload) => {
      if (channel !== 'job:update' || fired || !onCheckpoint) return;
      const j = payload as JobDto;
      if (j.id === job.id && j.progress.metrics['valMlm'] !== undefined) {
        fired = true;
        onCheckpoint(j);
      }
    });
    try {
      return await service.jobManager().waitFor(job.id);
    } finally {
      off();
    }
  }

  it('estimates parameters, memory, time, the corpus and the schedule before the run', async () => {
    const pre = await service.call('pretrain:preflight', { settings: settings(1) });
    expect(pre.parameters).toBeGreaterThan(10_000);
    expect(pre.fits).toBe(true);
    expect(pre.secondsTotal).toBeGreaterThan(0);
    expect(pre.corpus?.windows).toBe(2 * 312);
    expect(pre.schedule).toHaveLength(5);
    await expect(service.call('pretrain:preflight', { settings: { ...settings(1), steps: 0 } })).rejects.toThrow(/steps/);
  }, 60_000);

  it('cancels after a checkpoint, keeps it, and resumes to the uninterrupted result', async () => {
    const whole = await startAndWatch('pretrain', { settings: settings(7) });
    expect(whole.status, JSON.stringify(whole.error)).toBe('success');
    const reference = await service.call('pretrain:get', { id: (whole.result as PretrainSummary).id });

    const cancelled = await startAndWatch('pretrain', { settings: settings(7) }, (j) => setImmediate(() => service.jobManager().cancel(j.id)));
    expect(cancelled.status).toBe('cancelled');
    const runId = cancelled.params['runId'] as number;
    const stopped = await service.call('pretrain:get', { id: runId });
    expect(stopped.status).toBe('cancelled');
    expect(stopped.resumable).toBe(true);
    expect(stopped.stepsDone).toBeGreaterThanOrEqual(4);
    expect(stopped.stepsDone).toBeLessThan(12);

    const resumed = await startAndWatch('pretrain', { resumeRunId: runId });
    expect(resumed.status, JSON.stringify(resumed.error)).toBe('success');
    const done = await service.call('pretrain:get', { id: runId });
    expect(done.stepsDone).toBe(12);
    const val = (s: PretrainSummary) => s.history.filter((p) => p.split === 'validation').map((p) => [p.step, p.values['mlm'], p.values['ngsp']]);
    expect(val(done)).toEqual(val(reference));
    const list = await service.call('pretrain:list', undefined as never);
    expect(list.map((p) => p.id)).toContain(runId);
  }, 300_000);

  it('runs the ablation: each arm pretrained, then BERT random and each pretrained model fine-tuned, in one table', async () => {
    const s = settings(3);
    const { objectives: _o, ...pretrain } = s;
    const done = await startAndWatch('ablation', {
      name: 'ablation test',
      pretrain: { ...pretrain, steps: 6, evalEvery: 6 },
      arms: [
        { label: 'MLM', objectives: { masking: 'plain', ngsp: false, srm: false } },
        { label: 'RandomMask + NGSP', objectives: { masking: 'randommask', ngsp: true, srm: false } },
      ],
      datasetId,
      repeats: 1,
      fineTune: { epochs: 1, batchSize: 16, learningRate: 1e-4 },
    });
    expect(done.status, JSON.stringify(done.error)).toBe('success');
    const a = done.result as AblationSummary;
    expect(a.pretrainIds).toHaveLength(2);
    const table = a.compare?.table ?? [];
    const mcc = table.filter((r) => r.metric === 'mcc');
    expect(mcc.map((r) => r.label ?? r.arm)).toEqual(['bert-random', 'ablation test · MLM', 'ablation test · RandomMask + NGSP']);
    expect(mcc.every((r) => r.n === 1)).toBe(true);
    const again = await service.call('ablation:get', { id: a.id });
    expect(again.status).toBe('success');
    expect((await service.call('ablation:list', undefined as never)).map((x) => x.id)).toContain(a.id);
  }, 600_000);
});

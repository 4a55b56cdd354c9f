/**
 * Training end to end on a few hundred real promoter sequences (gb_human_nontata_promoters), through the real job
 * path (bundled engine worker, run rows, checkpoints, model files): the CLI, cancel and resume, a killed worker,
 * the preflight, a compare experiment, and a BERT initialised from a model saved by an earlier run.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CompareSummary, JobDto, RunDetail, TrainSettings } from '../../../src-shared/api';
import { evaluateClassification } from '../../../src-shared/metrics';
import { forkChildProcess } from '../../../src-main/jobs/worker-process';
import { appVersion } from '../../../src-main/paths';
import { ProjectStore } from '../../../src-main/project';
import { AppService } from '../../../src-main/service/app-service';
import { readModel } from '../../../src-main/training/artifacts';
import { encodeSplit, loadDataset } from '../../../src-main/training/data';
import { probabilitiesOf } from '../../../src-main/training/evaluation';
import { dnalmCli } from '../support/dnalm-cli';
import { createPromoterProject, readProject } from '../support/promoter-project';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dnalm-training-'));
const home = path.join(tmp, 'home');
const project = path.join(tmp, 'Training.dnalm');
const dnalm = dnalmCli(home, 120_000);
const readDb = <T>(fn: (store: ProjectStore) => T): Promise<T> => readProject(project, fn);

let datasetId = 0;

beforeAll(() => {
  ({ datasetId } = createPromoterProject(dnalm, tmp, project, { train: 150, test: 50 }));
}, 60_000);

afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function count(store: ProjectStore, sql: string, params: (string | number)[] = []): number {
  return Number(store.read((db) => db.exec(sql, params)[0]?.values[0]?.[0] ?? 0));
}

describe('dnalm train (CNN)', () => {
  let run: RunDetail;

  it('trains through the job path and stores the run, its epochs, the test metrics and a model row', () => {
    const r = dnalm('train', project, '--dataset', 'promoters', '--model', 'cnn', '--epochs', '2', '--batch-size', '32', '--seed', '3', '--json');
    expect(r.code, r.stderr).toBe(0);
    run = JSON.parse(r.stdout) as RunDetail;
    expect(run.status).toBe('success');
    expect(run.history.map((h) => h.epoch)).toEqual([1, 2]);
    expect(run.threads).toBe(2);
    expect(run.test?.accuracy).toBeGreaterThan(0.5);
    expect(run.test?.roc?.x.length).toBeLessThanOrEqual(200);
    expect(run.modelId).not.toBeNull();
    return readDb((store) => {
      expect(count(store, "SELECT COUNT(*) FROM runs WHERE kind = 'train' AND status = 'success' AND id = ?", [run.id])).toBe(1);
      expect(count(store, "SELECT COUNT(*) FROM run_metrics WHERE run_id = ? AND name = 'valLoss'", [run.id])).toBe(2);
      expect(count(store, "SELECT COUNT(*) FROM models WHERE run_id = ? AND role = 'classifier'", [run.id])).toBe(1);
      expect(fs.existsSync(path.join(store.artifactsDir, 'runs', String(run.id), 'checkpoint.json'))).toBe(true);
    });
  }, 60_000);

  it('stores the metrics that evaluateClassification gives on the saved model\'s predictions', async () => {
    const { Trainer } = await import('../../../src-main/engine/training/trainer');
    const modelDir = path.join(project, 'artifacts', 'models', `run-${run.id}`);
    const { config, weights } = readModel(modelDir);
    expect(config.classes).toEqual(['negative', 'positive']);
    expect(config.maxLength).toBe(251);
    const file = await readDb((store) => store.read((db) => String(db.exec('SELECT artifact_path FROM datasets WHERE id = ?', [datasetId])[0]?.values[0]?.[0])));
    const data = loadDataset(path.join(project, 'artifacts', file), config.classes, 3, 0.1);
    const test = encodeSplit(data.test, config.input);
    const trainer = await Trainer.create({ task: { model: config.spec }, seed: 0, threads: 1, optimizer: { lr: 0 }, weights });
    try {
      const { values } = await trainer.logits({ size: test.size, length: test.length, tokens: test.tokens, labels: test.labels });
      const { probabilities } = probabilitiesOf(values, config.outputs, test.labels);
      const report = evaluateClassification(test.labels, probabilities, 2);
      expect(run.test?.accuracy).toBeCloseTo(report.accuracy, 10);
      expect(run.test?.mcc).toBeCloseTo(report.mcc, 10);
      expect(run.test?.rocAuc).toBeCloseTo(report.rocAuc ?? NaN, 6);
      expect(run.test?.confusionMatrix).toEqual(report.confusionMatrix);
    } finally {
      await trainer.close();
    }
  }, 60_000);

  it('prints the stored metrics with dnalm evaluate', () => {
    const r = dnalm('evaluate', project, '--run', String(run.id), '--json');
    expect(r.code, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as { test: unknown }).test).toEqual(run.test);
  });
});

describe('jobs in the app service', () => {
  let service: AppService;
  beforeAll(async () => {
    service = new AppService({ host: 'cli', userDataDir: home, launcher: forkChildProcess, cancelGraceMs: 5000 });
    await service.call('project:open', { path: project });
  });
  afterAll(async () => {
    await service.shutdown();
  });

  const settings = (seed: number, epochs = 3): TrainSettings => ({
    datasetId,
    model: { architecture: 'cnn' },
    epochs,
    batchSize: 16,
    learningRate: 1e-3,
    seed,
    threads: 1,
    earlyStoppingPatience: null,
  });

  /** Starts a job and calls `onEpoch` once, when the first epoch has been checkpointed. */
  async function startAndWatch(params: Record<string, unknown>, onEpoch?: (job: JobDto) => void): Promise<JobDto> {
    let fired = false;
    const job = await service.call('jobs:start', { kind: 'train', params } as never);
    const off = service.onEvent((channel, payload) => {
      if (channel !== 'job:update' || fired || !onEpoch) return;
      const j = payload as JobDto;
      if (j.id === job.id && j.progress.metrics['valLoss'] !== undefined) {
        fired = true;
        onEpoch(j);
      }
    });
    try {
      return await service.jobManager().waitFor(job.id);
    } finally {
      off();
    }
  }

  let uninterrupted: RunDetail;

  it('gives the same metrics for the same seed', async () => {
    const a = await startAndWatch({ settings: settings(11) });
    const b = await startAndWatch({ settings: settings(11) });
    expect(a.status).toBe('success');
    expect(b.status).toBe('success');
    uninterrupted = await service.call('runs:get', { id: (a.result as RunDetail).id });
    const again = await service.call('runs:get', { id: (b.result as RunDetail).id });
    expect(again.test).toEqual(uninterrupted.test);
    expect(again.history.map((h) => h.valLoss)).toEqual(uninterrupted.history.map((h) => h.valLoss));
  }, 60_000);

  it('cancels mid-run, keeps the finished epochs, and resumes to the uninterrupted result', async () => {
    let seen: JobDto | null = null;
    const cancelled = await startAndWatch({ settings: settings(11) }, (j) => {
      seen = j;
      setImmediate(() => service.jobManager().cancel(j.id));
    });
    const progress = (seen as JobDto | null)?.progress;
    expect(progress?.message).toMatch(/^Epoch 1\/3/);
    expect(Object.keys(progress?.metrics ?? {}).sort()).toEqual(['epoch', 'learningRate', 'trainLoss', 'valAccuracy', 'valLoss', 'valMcc']);
    expect(progress?.total).toBe(3 * Math.ceil(270 / 16));
    expect(cancelled.status).toBe('cancelled');
    const runId = cancelled.params['runId'] as number;
    const stopped = await service.call('runs:get', { id: runId });
    expect(stopped.status).toBe('cancelled');
    expect(stopped.resumable).toBe(true);
    expect(stopped.epochsDone).toBeGreaterThanOrEqual(1);
    expect(stopped.epochsDone).toBeLessThan(3);
    await expect(service.call('runs:delete', { id: 999_999 })).rejects.toThrow(/no training run/);

    const resumed = await startAndWatch({ resumeRunId: runId });
    expect(resumed.status, JSON.stringify(resumed.error)).toBe('success');
    const done = await service.call('runs:get', { id: runId });
    expect(done.status).toBe('success');
    expect(done.epochsDone).toBe(3);
    expect(done.history.map((h) => h.valLoss)).toEqual(uninterrupted.history.map((h) => h.valLoss));
    expect(done.test).toEqual(uninterrupted.test);
  }, 60_000);

  it('marks the run failed when its worker is killed, and leaves the project readable', async () => {
    const killed = await startAndWatch({ settings: settings(5, 4) }, (j) => {
      if (j.workerPid !== null) process.kill(j.workerPid, 'SIGKILL');
    });
    expect(killed.status).toBe('failure');
    const runId = killed.params['runId'] as number;
    const run = await service.call('runs:get', { id: runId });
    expect(run.status).toBe('failure');
    expect(run.resumable).toBe(true);
    const reopened = await ProjectStore.open(project, { appVersion, readOnly: true });
    expect(reopened.summary().counts.runs).toBeGreaterThan(0);
    reopened.close();
    // Deleting removes the run folder.
    await service.call('runs:delete', { id: runId });
    expect(fs.existsSync(path.join(project, 'artifacts', 'runs', String(runId)))).toBe(false);
  }, 60_000);

  it('refuses DNABERT-base training in preflight with the advice, and accepts the CNN', async () => {
    const base: TrainSettings = {
      datasetId,
      model: { architecture: 'bert', preset: 'paper', init: { from: 'random' } },
      epochs: 3,
      batchSize: 32,
      learningRate: 1e-4,
      seed: 1,
    };
    const refused = await service.call('training:preflight', { settings: base });
    expect(refused.fits).toBe(false);
    expect(refused.parameters).toBeGreaterThan(80_000_000);
    expect(refused.advice).toMatch(/use the CPU quick preset, freeze the encoder, or a GPU workstation/);
    const cnn = await service.call('training:preflight', { settings: settings(1) });
    expect(cnn.fits).toBe(true);
    expect(cnn.stepsPerEpoch).toBe(Math.ceil(270 / 16));
    expect(cnn.secondsPerEpoch).toBeGreaterThan(0);
    await expect(service.call('training:preflight', { settings: { ...base, epochs: -1 } })).rejects.toThrow(/epochs/);
  });
});

describe('dnalm compare', () => {
  let summary: CompareSummary;
  const tinyBert = ['--layers', '1', '--hidden', '32', '--heads', '2', '--intermediate', '64', '--k', '3', '--max-tokens', '64'];

  it('runs 2 arms x 2 repeats and stores mean ± sd per metric', async () => {
    const r = dnalm('compare', project, '--dataset', 'promoters', '--arms', 'cnn,bert-random', '--repeats', '2', '--epochs', '1', '--threads', '1', ...tinyBert, '--json');
    expect(r.code, r.stderr).toBe(0);
    summary = JSON.parse(r.stdout) as CompareSummary;
    expect(summary.status).toBe('success');
    expect(summary.runIds).toHaveLength(4);
    for (const arm of ['cnn', 'bert-random'] as const) {
      for (const metric of ['accuracy', 'f1', 'mcc', 'rocAuc', 'prAuc'] as const) {
        const row = summary.table.find((t) => t.arm === arm && t.metric === metric);
        expect(row?.n).toBe(2);
        expect(row?.sd).toBeGreaterThanOrEqual(0);
      }
    }
    await readDb((store) => {
      expect(count(store, "SELECT COUNT(*) FROM runs WHERE compare_id = ? AND status = 'success'", [summary.id])).toBe(4);
    });
  }, 90_000);

  it('initialises a BERT from a saved model by parameter name', async () => {
    const bertRun = await readDb((store) =>
      count(store, "SELECT MIN(id) FROM runs WHERE compare_id = ? AND architecture = 'bert'", [summary.id]),
    );
    const modelId = await readDb((store) => count(store, 'SELECT id FROM models WHERE run_id = ?', [bertRun]));
    const r = dnalm('train', project, '--dataset', 'promoters', '--model', 'bert', '--pretrained', String(modelId), '--epochs', '1', '--threads', '1', '--fine-tune', 'frozen-encoder', ...tinyBert, '--json');
    expect(r.code, r.stderr).toBe(0);
    const run = JSON.parse(r.stdout) as RunDetail;
    expect(run.status).toBe('success');
    const result = JSON.parse(fs.readFileSync(path.join(project, 'artifacts', 'runs', String(run.id), 'result.json'), 'utf8')) as { pretrainedTensors: number };
    expect(result.pretrainedTensors).toBeGreaterThan(10);
    // Frozen encoder: the embeddings are those of the pretrained model.
    const source = readModel(path.join(project, 'artifacts', 'models', `run-${bertRun}`));
    const trained = readModel(path.join(project, 'artifacts', 'models', `run-${run.id}`));
    const slice = (m: typeof source, name: string) => {
      const e = m.config.layout.find((l) => l.name === name);
      return Array.from(m.weights.subarray(e?.offset ?? 0, (e?.offset ?? 0) + (e?.size ?? 0)));
    };
    expect(slice(trained, 'bert.embeddings.word_embeddings.weight')).toEqual(slice(source, 'bert.embeddings.word_embeddings.weight'));
    expect(slice(trained, 'classifier.weight')).not.toEqual(slice(source, 'classifier.weight'));
  }, 60_000);
});

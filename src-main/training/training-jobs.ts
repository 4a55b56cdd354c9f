/**
 * The main-process side of the training jobs. `prepare` checks the settings, creates the run rows (status running)
 * in one ProjectStore.write() and hands the worker everything it needs (paths inside this project's artifacts);
 * `finalize` commits history, test metrics and the model; `cleanup` records a run that was cancelled, failed or whose
 * worker died, keeping the epochs its history.json records (resumable from its last checkpoint).
 */
import path from 'node:path';
import { ApiError, Events, type CompareSettings, type TrainSettings } from '../../src-shared/api';
import { getDataset, type StoredDataset } from '../datasets/dataset-repository';
import type { ProjectStore } from '../project';
import type { JobKindSpec } from '../service/job-kinds';
import type { ServiceContext } from '../service/service-context';
import { modelDirOf, runDirOf } from './artifacts';
import type { TrainJob } from './fit';
import { defaultTrainingThreads } from './preflight';
import {
  commitFinishedRun,
  finishCompare,
  getModel,
  insertCompare,
  insertRun,
  listModels,
  listRuns,
  markRunEnded,
  reopenRun,
} from './run-repository';
import { adoptPretrainedShape } from './pretrained-shape';
import { armSettings, parseCompareSettings, parseTrainSettings } from './settings';

/** A dataset that can be trained on: stored sequences, two classes or more, train and test splits. */
export function trainableDataset(store: ProjectStore, datasetId: number): StoredDataset & { file: string } {
  const stored = getDataset(store, datasetId);
  const d = stored.summary;
  if (stored.file === null) throw new ApiError('INVALID_REQUEST', `The dataset "${d.name}" has no stored sequences.`);
  if (d.classes.length < 2) throw new ApiError('INVALID_REQUEST', `The dataset "${d.name}" has ${d.classes.length} class; training needs at least 2.`);
  if (!d.splits.includes('train') || !d.splits.includes('test')) {
    throw new ApiError('INVALID_REQUEST', `The dataset "${d.name}" needs a train and a test split (it has ${d.splits.join(', ') || 'none'}); re-import it with a split.`);
  }
  const trainCount = Object.values(d.counts['train'] ?? {}).reduce((a, b) => a + b, 0);
  if (trainCount < 10) throw new ApiError('INVALID_REQUEST', `The dataset "${d.name}" has only ${trainCount} training sequences.`);
  return { ...stored, file: stored.file };
}

/** Checks a pretrained model for BERT 'init: from model' and returns its folder. */
function pretrainedDir(store: ProjectStore, settings: TrainSettings): string | undefined {
  if (settings.model.architecture !== 'bert' || settings.model.init.from !== 'model') return undefined;
  const { summary, dir } = getModel(store, settings.model.init.modelId);
  if (summary.architecture !== 'bert') throw new ApiError('INVALID_REQUEST', `The model "${summary.name}" is not a BERT model.`);
  return dir;
}

/** BERT from a pretrained model takes the model's shape (k, layers, sizes) where the settings leave it out. */
function withPretrainedShape(store: ProjectStore, settings: TrainSettings): TrainSettings {
  const m = settings.model;
  if (m.architecture !== 'bert' || m.init.from !== 'model') return settings;
  const { summary, dir } = getModel(store, m.init.modelId);
  if (summary.architecture !== 'bert') throw new ApiError('INVALID_REQUEST', `The model "${summary.name}" is not a BERT model.`);
  return { ...settings, model: adoptPretrainedShape(m, dir, summary.name) };
}

function jobFor(store: ProjectStore, runId: number, settings: TrainSettings, dataset: StoredDataset & { file: string }, resume: boolean): TrainJob {
  const pre = pretrainedDir(store, settings);
  return {
    runId,
    artifactsDir: store.artifactsDir,
    runDir: runDirOf(store.artifactsDir, runId),
    modelDir: modelDirOf(store.artifactsDir, runId),
    datasetFile: dataset.file,
    classes: dataset.summary.classes,
    settings,
    resume,
    ...(pre === undefined ? {} : { pretrainedDir: pre }),
    ...(process.env['DNALM_TRAINING_WORKER_SCRIPT'] ? { workerScript: process.env['DNALM_TRAINING_WORKER_SCRIPT'] } : {}),
  };
}

function defaultName(settings: TrainSettings, dataset: StoredDataset): string {
  const m = settings.model;
  const arch = m.architecture === 'cnn' ? 'CNN' : `BERT ${m.preset}${m.init.from === 'model' ? ' (pretrained)' : ''}`;
  return `${arch} on ${dataset.summary.name} (seed ${settings.seed})`;
}

function prepareTrain(params: Readonly<Record<string, unknown>>, ctx: ServiceContext): Record<string, unknown> {
  const store = ctx.requireProject();
  if (params['resumeRunId'] !== undefined) {
    const id = params['resumeRunId'];
    if (typeof id !== 'number' || !Number.isInteger(id)) throw new ApiError('INVALID_REQUEST', '"resumeRunId" must be a whole number.');
    const { settings } = reopenRun(store, id);
    const dataset = trainableDataset(store, settings.datasetId);
    const job = jobFor(store, id, settings, dataset, true);
    ctx.emit(Events.runsChanged, listRuns(store));
    return { job, runId: id, name: settings.name ?? `run ${id}` };
  }
  const settings = withPretrainedShape(store, parseTrainSettings(params['settings']));
  const dataset = trainableDataset(store, settings.datasetId);
  pretrainedDir(store, settings);
  const name = settings.name ?? defaultName(settings, dataset);
  const named: TrainSettings = { ...settings, name };
  const runId = store.write((db) => insertRun(db, { settings: named, name, compareId: null, threads: settings.threads ?? defaultTrainingThreads() }));
  ctx.emit(Events.runsChanged, listRuns(store));
  return { job: jobFor(store, runId, named, dataset, false), runId, name };
}

function runIdOf(params: Readonly<Record<string, unknown>>): number | null {
  const id = params['runId'];
  return typeof id === 'number' && Number.isInteger(id) ? id : null;
}

/** The run rows of a job belong to the project they were made in; a job from another project touches nothing. */
function storeFor(job: { params: Readonly<Record<string, unknown>> }, ctx: ServiceContext): ProjectStore | null {
  let store: ProjectStore;
  try {
    store = ctx.requireProject();
  } catch {
    return null;
  }
  const artifacts = (job.params['job'] as TrainJob | undefined)?.artifactsDir ?? (job.params['artifactsDir'] as string | undefined);
  return typeof artifacts === 'string' && path.resolve(artifacts) === path.resolve(store.artifactsDir) ? store : null;
}

function prepareCompare(params: Readonly<Record<string, unknown>>, ctx: ServiceContext): Record<string, unknown> {
  const store = ctx.requireProject();
  let settings: CompareSettings = parseCompareSettings(params);
  const dataset = trainableDataset(store, settings.datasetId);
  const pretrainedIds = settings.pretrainedModelIds ?? (settings.pretrainedModelId === undefined ? [] : [settings.pretrainedModelId]);
  if (settings.arms.includes('bert-pretrained')) {
    // Every BERT arm (random weights too, for a fair comparison) takes the pretrained models' shape.
    let core = settings.bert.model ?? { architecture: 'bert', preset: 'cpu-quick' };
    for (const id of pretrainedIds) {
      const { summary, dir } = getModel(store, id);
      if (summary.architecture !== 'bert') throw new ApiError('INVALID_REQUEST', `The model "${summary.name}" is not a BERT model.`);
      core = adoptPretrainedShape(core, dir, summary.name);
    }
    settings = { ...settings, bert: { ...settings.bert, model: core } };
  }
  const name = settings.name ?? `Compare ${settings.arms.join(' / ')} on ${dataset.summary.name}`;
  // One 'bert-pretrained' arm per pretrained model (several when pretrainedModelIds is given).
  const all = settings.arms.flatMap((arm) =>
    (arm === 'bert-pretrained' && settings.pretrainedModelIds ? settings.pretrainedModelIds : [undefined]).flatMap((modelId) =>
      Array.from({ length: settings.repeats }, (_, r) => ({ arm, settings: armSettings({ ...settings, name }, arm, r, modelId) })),
    ),
  );
  for (const a of all) parseTrainSettings(a.settings); // every arm is a valid run
  const { compareId, runIds } = store.write((db) => {
    const compareId = insertCompare(db, { ...settings, name }, name);
    const runIds = all.map((a) =>
      insertRun(db, { settings: a.settings, name: a.settings.name ?? name, compareId, threads: a.settings.threads ?? defaultTrainingThreads() }),
    );
    return { compareId, runIds };
  });
  ctx.emit(Events.runsChanged, listRuns(store));
  const runs = all.map((a, i) => jobFor(store, runIds[i] ?? 0, a.settings, dataset, false));
  return { compareId, runIds, runs, name, artifactsDir: store.artifactsDir };
}

export const TRAINING_JOB_KINDS: Record<'train' | 'compare', JobKindSpec> = {
  train: {
    title: (params) => `Train ${typeof params['name'] === 'string' ? params['name'] : 'a model'}`,
    prepare: prepareTrain,
    finalize: (_result, job, ctx) => {
      const store = storeFor(job, ctx);
      const runId = runIdOf(job.params);
      if (!store || runId === null) throw new ApiError('INTERNAL', 'This training job belongs to another project; nothing was recorded.');
      const summary = commitFinishedRun(store, runId, job.id);
      ctx.emit(Events.runsChanged, listRuns(store));
      ctx.emit(Events.modelsChanged, listModels(store));
      return summary;
    },
    cleanup: (job, ctx) => {
      const store = storeFor(job, ctx);
      const runId = runIdOf(job.params);
      if (!store || runId === null) return;
      markRunEnded(store, runId, job.status === 'cancelled' ? 'cancelled' : 'failure', job.error?.message ?? null, job.id);
      ctx.emit(Events.runsChanged, listRuns(store));
    },
  },
  compare: {
    title: (params) => (typeof params['name'] === 'string' ? params['name'] : 'Compare models'),
    prepare: prepareCompare,
    finalize: (_result, job, ctx) => {
      const store = storeFor(job, ctx);
      const compareId = job.params['compareId'];
      const runIds = job.params['runIds'];
      if (!store || typeof compareId !== 'number' || !Array.isArray(runIds)) throw new ApiError('INTERNAL', 'This compare job belongs to another project.');
      for (const id of runIds as number[]) commitFinishedRun(store, id, job.id);
      const summary = finishCompare(store, compareId, 'success', job.id);
      ctx.emit(Events.runsChanged, listRuns(store));
      ctx.emit(Events.modelsChanged, listModels(store));
      return summary;
    },
    cleanup: (job, ctx) => {
      const store = storeFor(job, ctx);
      const compareId = job.params['compareId'];
      const runIds = job.params['runIds'];
      if (!store || typeof compareId !== 'number' || !Array.isArray(runIds)) return;
      const status = job.status === 'cancelled' ? 'cancelled' : 'failure';
      for (const id of runIds as number[]) {
        // Arms that finished before the stop are kept as finished runs.
        try {
          commitFinishedRun(store, id, job.id);
        } catch {
          markRunEnded(store, id, status, job.error?.message ?? null, job.id);
        }
      }
      finishCompare(store, compareId, status, job.id);
      ctx.emit(Events.runsChanged, listRuns(store));
      ctx.emit(Events.modelsChanged, listModels(store));
    },
  },
};

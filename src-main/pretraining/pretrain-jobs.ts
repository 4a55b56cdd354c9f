/**
 * The main-process side of the pretraining jobs. `prepare` checks the settings, creates the run rows (status running)
 * in one ProjectStore.write() and hands the worker everything it needs (paths inside this project's artifacts);
 * `finalize` commits the losses and the 'pretrained' model; `cleanup` records a run that was cancelled, failed or
 * whose worker died, keeping the points of its last checkpoint (resumable from there).
 *
 * The ablation (GeneBERT Table 5) is one job: the worker pretrains every arm on the same corpus and budget, then
 * fine-tunes BERT from random weights and each pretrained model on the dataset `repeats` times (a compare experiment
 * whose arms are 'bert-random' and one 'bert-pretrained' per model). The fine-tuning runs are created in prepare
 * with their pretrained model's folder; their model ids exist once finalize has committed the pretraining runs.
 */
import fs from 'node:fs';
import path from 'node:path';
import {
  ApiError,
  Events,
  type AblationSettings,
  type BertModelSettings,
  type CompareSettings,
  type PretrainSettings,
  type TrainSettings,
} from '../../src-shared/api';
import { getDataset } from '../datasets/dataset-repository';
import { BUNDLED_MOTIFS_FILE } from '../motifs/motif-collection';
import type { ProjectStore } from '../project';
import type { JobKindSpec } from '../service/job-kinds';
import type { ServiceContext } from '../service/service-context';
import { modelDirOf, runDirOf } from '../training/artifacts';
import type { TrainJob } from '../training/fit';
import { defaultTrainingThreads } from '../training/preflight';
import { commitFinishedRun, finishCompare, insertCompare, insertRun, listModels, listRuns, markRunEnded } from '../training/run-repository';
import { trainableDataset } from '../training/training-jobs';
import type { PretrainJob } from './pretrain-fit';
import { pretrainPlan } from './pretrain-plan';
import {
  commitFinishedPretrain,
  finishAblation,
  getAblation,
  insertAblation,
  insertPretrain,
  listPretrains,
  markPretrainEnded,
  pretrainModelDir,
  reopenPretrain,
} from './pretrain-repository';
import { parseAblationSettings, parsePretrainSettings } from './pretrain-settings';

export function methodLabel(o: PretrainSettings['objectives']): string {
  return [o.masking === 'randommask' ? 'RandomMask' : 'MLM', ...(o.ngsp ? ['NGSP'] : []), ...(o.srm ? ['SRM'] : [])].join(' + ');
}

function describeCorpus(store: ProjectStore, s: PretrainSettings): string {
  const c = s.corpus;
  if (c.kind === 'fasta') return `${path.basename(c.path)}${c.region ? ` ${c.region.record}:${c.region.start}-${c.region.end}` : ''}`;
  if (c.kind === 'bed') return path.basename(c.bedPath);
  try {
    return getDataset(store, c.datasetId).summary.name;
  } catch {
    return `dataset ${c.datasetId}`;
  }
}

/** The dataset a corpus reads, checked (its file); undefined for FASTA and BED corpora. */
export function corpusDataset(store: ProjectStore, s: PretrainSettings): { file: string; name: string } | undefined {
  if (s.corpus.kind !== 'dataset') return undefined;
  const d = getDataset(store, s.corpus.datasetId);
  if (d.file === null) throw new ApiError('INVALID_REQUEST', `The dataset "${d.summary.name}" has no stored sequences.`);
  if (!d.summary.splits.includes('train')) throw new ApiError('INVALID_REQUEST', `The dataset "${d.summary.name}" has no train split; pretraining reads only training sequences.`);
  return { file: d.file, name: d.summary.name };
}

/** The corpus files exist (read errors with line numbers come from the worker; a missing file is refused here). */
function checkCorpusFiles(s: PretrainSettings): void {
  const c = s.corpus;
  const files = c.kind === 'fasta' ? [c.path] : c.kind === 'bed' ? [c.bedPath, c.referencePath] : [];
  if (s.objectives.srm && s.objectives.motifs?.path) files.push(s.objectives.motifs.path);
  for (const f of files) {
    if (!fs.existsSync(f) || !fs.statSync(f).isFile()) throw new ApiError('INVALID_REQUEST', `${f}: the file does not exist; give the path of an existing file.`);
  }
}

function workerScript(): { workerScript?: string } {
  const w = process.env['DNALM_TRAINING_WORKER_SCRIPT'];
  return w ? { workerScript: w } : {};
}

function pretrainJobFor(store: ProjectStore, runId: number, settings: PretrainSettings, resume: boolean): PretrainJob {
  const dataset = corpusDataset(store, settings);
  return {
    runId,
    artifactsDir: store.artifactsDir,
    runDir: runDirOf(store.artifactsDir, runId),
    modelDir: pretrainModelDir(store.artifactsDir, runId),
    settings,
    resume,
    ...(dataset ? { dataset } : {}),
    motifsBundledPath: BUNDLED_MOTIFS_FILE,
    ...workerScript(),
  };
}

function emitPretrains(ctx: ServiceContext, store: ProjectStore): void {
  ctx.emit(Events.pretrainChanged, listPretrains(store));
}

function preparePretrain(params: Readonly<Record<string, unknown>>, ctx: ServiceContext): Record<string, unknown> {
  const store = ctx.requireProject();
  if (params['resumeRunId'] !== undefined) {
    const id = params['resumeRunId'];
    if (typeof id !== 'number' || !Number.isInteger(id)) throw new ApiError('INVALID_REQUEST', '"resumeRunId" must be a whole number.');
    const settings = reopenPretrain(store, id);
    emitPretrains(ctx, store);
    return { job: pretrainJobFor(store, id, settings, true), runId: id, name: settings.name ?? `pretraining ${id}` };
  }
  const settings = parsePretrainSettings(params['settings']);
  corpusDataset(store, settings);
  checkCorpusFiles(settings);
  const name = settings.name ?? `${methodLabel(settings.objectives)} on ${describeCorpus(store, settings)} (seed ${settings.seed})`;
  const named: PretrainSettings = { ...settings, name };
  const schedule = pretrainPlan(named).schedule;
  const runId = store.write((db) => insertPretrain(db, named, name, settings.threads ?? defaultTrainingThreads(), schedule, null));
  emitPretrains(ctx, store);
  return { job: pretrainJobFor(store, runId, named, false), runId, name, artifactsDir: store.artifactsDir };
}

/** The run rows of a job belong to the project they were made in; a job from another project touches nothing. */
function storeFor(job: { params: Readonly<Record<string, unknown>> }, ctx: ServiceContext): ProjectStore | null {
  let store: ProjectStore;
  try {
    store = ctx.requireProject();
  } catch {
    return null;
  }
  const artifacts = (job.params['job'] as PretrainJob | undefined)?.artifactsDir ?? (job.params['artifactsDir'] as string | undefined);
  return typeof artifacts === 'string' && path.resolve(artifacts) === path.resolve(store.artifactsDir) ? store : null;
}

// ---- the ablation ----

/** Fine-tuning settings of one arm x repeat (BERT with the pretraining's size and k). */
function fineTuneSettings(a: AblationSettings, name: string, repeat: number, label: string): TrainSettings {
  const m = a.pretrain.model;
  const model: BertModelSettings = {
    architecture: 'bert',
    preset: m.preset,
    k: m.k,
    ...(m.layers === undefined ? {} : { layers: m.layers }),
    ...(m.hidden === undefined ? {} : { hidden: m.hidden }),
    ...(m.heads === undefined ? {} : { heads: m.heads }),
    ...(m.intermediate === undefined ? {} : { intermediate: m.intermediate }),
    // The pretrained model's id exists once its run is committed (finalize); until then the run reads its folder.
    init: { from: 'random' },
  };
  return {
    datasetId: a.datasetId,
    name: `${name} · ${label} #${repeat + 1}`,
    model,
    epochs: a.fineTune.epochs,
    batchSize: a.fineTune.batchSize,
    learningRate: a.fineTune.learningRate,
    seed: a.pretrain.seed + repeat,
    ...(a.pretrain.threads === undefined ? {} : { threads: a.pretrain.threads }),
  };
}

interface AblationPlan {
  readonly ablationId: number;
  readonly pretrainIds: number[];
  readonly compareId: number;
  /** Per fine-tuning run: its id and the pretraining run whose model it starts from (null: random weights). */
  readonly fineTunes: { runId: number; pretrainId: number | null }[];
}

function prepareAblation(params: Readonly<Record<string, unknown>>, ctx: ServiceContext): Record<string, unknown> {
  const store = ctx.requireProject();
  const a = parseAblationSettings(params);
  const dataset = trainableDataset(store, a.datasetId);
  const name = a.name ?? `Pretraining ablation on ${dataset.summary.name}`;
  const arms = a.arms.map((arm) => {
    const settings = parsePretrainSettings({ ...a.pretrain, objectives: arm.objectives, name: `${name} · ${arm.label}` });
    corpusDataset(store, settings);
    checkCorpusFiles(settings);
    return { label: arm.label, settings };
  });
  const threads = a.pretrain.threads ?? defaultTrainingThreads();
  const shared = { epochs: a.fineTune.epochs, batchSize: a.fineTune.batchSize, learningRate: a.fineTune.learningRate };
  const m = a.pretrain.model;
  const compareSettings: CompareSettings = {
    datasetId: a.datasetId,
    name: `${name} · fine-tuning`,
    arms: ['bert-random', 'bert-pretrained'],
    repeats: a.repeats,
    seed: a.pretrain.seed,
    cnn: shared,
    bert: {
      ...shared,
      model: {
        architecture: 'bert',
        preset: m.preset,
        k: m.k,
        ...(m.layers === undefined ? {} : { layers: m.layers }),
        ...(m.hidden === undefined ? {} : { hidden: m.hidden }),
        ...(m.heads === undefined ? {} : { heads: m.heads }),
        ...(m.intermediate === undefined ? {} : { intermediate: m.intermediate }),
      },
    },
  };
  const fineTuneArms: { label: string; pretrainIndex: number | null }[] = [
    { label: 'BERT random', pretrainIndex: null },
    ...arms.map((arm, i) => ({ label: arm.label, pretrainIndex: i })),
  ];
  const plan: AblationPlan = store.write((db) => {
    const ablationId = insertAblation(db, { ...a, name }, name);
    const pretrainIds = arms.map((arm) => insertPretrain(db, arm.settings, arm.settings.name ?? arm.label, threads, pretrainPlan(arm.settings).schedule, ablationId));
    const compareId = insertCompare(db, compareSettings, compareSettings.name ?? name);
    db.run('UPDATE runs SET compare_id = ? WHERE id = ?', [ablationId, compareId]);
    const fineTunes: { runId: number; pretrainId: number | null }[] = [];
    for (const arm of fineTuneArms) {
      for (let r = 0; r < a.repeats; r++) {
        const settings = fineTuneSettings(a, name, r, arm.label);
        const runId = insertRun(db, { settings, name: settings.name ?? name, compareId, threads });
        fineTunes.push({ runId, pretrainId: arm.pretrainIndex === null ? null : pretrainIds[arm.pretrainIndex]! });
      }
    }
    return { ablationId, pretrainIds, compareId, fineTunes };
  });
  const pretrainJobs = arms.map((arm, i) => pretrainJobFor(store, plan.pretrainIds[i]!, arm.settings, false));
  const fineTuneJobs: TrainJob[] = plan.fineTunes.map((f, i) => {
    const arm = fineTuneArms[Math.floor(i / a.repeats)]!;
    return {
      runId: f.runId,
      artifactsDir: store.artifactsDir,
      runDir: runDirOf(store.artifactsDir, f.runId),
      modelDir: modelDirOf(store.artifactsDir, f.runId),
      datasetFile: dataset.file,
      classes: dataset.summary.classes,
      settings: fineTuneSettings(a, name, i % a.repeats, arm.label),
      resume: false,
      ...(f.pretrainId === null ? {} : { pretrainedDir: pretrainModelDir(store.artifactsDir, f.pretrainId) }),
      ...workerScript(),
    };
  });
  emitPretrains(ctx, store);
  ctx.emit(Events.runsChanged, listRuns(store));
  return { ...plan, name, pretrainJobs, fineTuneJobs, artifactsDir: store.artifactsDir };
}

function ablationPlanOf(params: Readonly<Record<string, unknown>>): AblationPlan | null {
  const p = params as Partial<AblationPlan>;
  if (typeof p.ablationId !== 'number' || typeof p.compareId !== 'number' || !Array.isArray(p.pretrainIds) || !Array.isArray(p.fineTunes)) return null;
  return p as AblationPlan;
}

/** Commits what finished: pretraining runs (model rows), then the fine-tuning runs pointed at those models. */
function commitAblation(store: ProjectStore, plan: AblationPlan, jobId: number, stopped: 'cancelled' | 'failure' | null, error: string | null): void {
  const modelOf = new Map<number, number>();
  for (const id of plan.pretrainIds) {
    try {
      const s = commitFinishedPretrain(store, id, jobId);
      if (s.modelId !== null) modelOf.set(id, s.modelId);
    } catch {
      markPretrainEnded(store, id, stopped ?? 'failure', error, jobId);
    }
  }
  // The compare experiment's pretrained arms are the models that exist now, in arm order.
  const modelIds = plan.pretrainIds.map((id) => modelOf.get(id)).filter((id): id is number => id !== undefined);
  if (modelIds.length > 0) {
    store.write((db) => {
      const row = db.exec('SELECT config_json FROM runs WHERE id = ?', [plan.compareId])[0]?.values[0]?.[0];
      const settings = JSON.parse(typeof row === 'string' ? row : '{}') as CompareSettings;
      db.run('UPDATE runs SET config_json = ? WHERE id = ?', [JSON.stringify({ ...settings, pretrainedModelId: modelIds[0], pretrainedModelIds: modelIds }), plan.compareId]);
    });
  }
  for (const f of plan.fineTunes) {
    const modelId = f.pretrainId === null ? null : (modelOf.get(f.pretrainId) ?? null);
    if (modelId !== null) {
      store.write((db) => {
        const row = db.exec('SELECT config_json FROM runs WHERE id = ?', [f.runId])[0]?.values[0]?.[0];
        const settings = JSON.parse(typeof row === 'string' ? row : '{}') as TrainSettings;
        if (settings.model?.architecture !== 'bert') return;
        const updated = { ...settings, model: { ...settings.model, init: { from: 'model', modelId } } };
        db.run('UPDATE runs SET config_json = ? WHERE id = ?', [JSON.stringify(updated), f.runId]);
      });
    }
    try {
      commitFinishedRun(store, f.runId, jobId);
    } catch {
      markRunEnded(store, f.runId, stopped ?? 'failure', error, jobId);
    }
  }
  finishCompare(store, plan.compareId, stopped ?? 'success', jobId);
  finishAblation(store, plan.ablationId, stopped ?? 'success', error);
}

export const PRETRAIN_JOB_KINDS: Record<'pretrain' | 'ablation', JobKindSpec> = {
  pretrain: {
    title: (params) => `Pretrain ${typeof params['name'] === 'string' ? params['name'] : 'a model'}`,
    prepare: preparePretrain,
    finalize: (_result, job, ctx) => {
      const store = storeFor(job, ctx);
      const runId = job.params['runId'];
      if (!store || typeof runId !== 'number') throw new ApiError('INTERNAL', 'This pretraining job belongs to another project; nothing was recorded.');
      const summary = commitFinishedPretrain(store, runId, job.id);
      emitPretrains(ctx, store);
      ctx.emit(Events.modelsChanged, listModels(store));
      return summary;
    },
    cleanup: (job, ctx) => {
      const store = storeFor(job, ctx);
      const runId = job.params['runId'];
      if (!store || typeof runId !== 'number') return;
      markPretrainEnded(store, runId, job.status === 'cancelled' ? 'cancelled' : 'failure', job.error?.message ?? null, job.id);
      emitPretrains(ctx, store);
    },
  },
  ablation: {
    title: (params) => (typeof params['name'] === 'string' ? params['name'] : 'Pretraining ablation'),
    prepare: prepareAblation,
    finalize: (_result, job, ctx) => {
      const store = storeFor(job, ctx);
      const plan = ablationPlanOf(job.params);
      if (!store || !plan) throw new ApiError('INTERNAL', 'This ablation job belongs to another project; nothing was recorded.');
      commitAblation(store, plan, job.id, null, null);
      emitPretrains(ctx, store);
      ctx.emit(Events.runsChanged, listRuns(store));
      ctx.emit(Events.modelsChanged, listModels(store));
      return getAblation(store, plan.ablationId);
    },
    cleanup: (job, ctx) => {
      const store = storeFor(job, ctx);
      const plan = ablationPlanOf(job.params);
      if (!store || !plan) return;
      commitAblation(store, plan, job.id, job.status === 'cancelled' ? 'cancelled' : 'failure', job.error?.message ?? null);
      emitPretrains(ctx, store);
      ctx.emit(Events.runsChanged, listRuns(store));
      ctx.emit(Events.modelsChanged, listModels(store));
    },
  },
};

/**
 * The main-process side of the inference jobs. `prepare` checks the settings and the model (a classifier, the input
 * fits), and hands the worker a staging folder under artifacts/.staging/; `finalize` moves the staged files to
 * artifacts/predictions/<id>/ and inserts the row in one ProjectStore.write(); `cleanup` removes the staging folder
 * of a job that failed, was cancelled or whose worker died, so nothing partial is left.
 */
import path from 'node:path';
import { ApiError, Events, type JobDto, type PredictionKind, type PredictionSummary } from '../../src-shared/api';
import { getDataset } from '../datasets/dataset-repository';
import { isStagingDir, newStagingDir, removeStagingDir } from '../datasets/staging';
import type { ProjectStore } from '../project';
import type { JobKindSpec } from '../service/job-kinds';
import type { ServiceContext } from '../service/service-context';
import { readModel } from '../training/artifacts';
import { getModel } from '../training/run-repository';
import type { InferenceJob, StagedPrediction } from './job-params';
import { assertClassifier } from './model-input';
import { commitStagedPrediction, listPredictions } from './prediction-repository';
import { parseExplainSettings, parsePredictSettings, parseScanSettings, parseVariantSettings } from './settings';

type Parsed = { readonly modelId: number; readonly name?: string } & Readonly<Record<string, unknown>>;

const PARSERS: Record<PredictionKind, (v: unknown) => Parsed> = {
  predict: (v) => parsePredictSettings(v) as unknown as Parsed,
  scan: (v) => parseScanSettings(v) as unknown as Parsed,
  variants: (v) => parseVariantSettings(v) as unknown as Parsed,
  explain: (v) => parseExplainSettings(v) as unknown as Parsed,
};

function defaultName(kind: PredictionKind, settings: Parsed, modelName: string): string {
  const what = { predict: 'Predictions', scan: 'Scan', variants: 'Variant effects', explain: 'Explanation' }[kind];
  const s = settings as Record<string, unknown>;
  let of = '';
  const input = s['input'] as { kind: string; path?: string } | undefined;
  const source = s['source'] as { kind: string; path?: string; record?: string } | undefined;
  const variants = s['variants'] as { kind: string; path?: string } | undefined;
  if (input?.path) of = ` of ${path.basename(input.path)}`;
  else if (source?.path) of = ` of ${source.record ?? path.basename(source.path)}`;
  else if (variants?.path) of = ` of ${path.basename(variants.path)}`;
  return `${what}${of} (${modelName})`;
}

function prepare(kind: PredictionKind, params: Readonly<Record<string, unknown>>, ctx: ServiceContext): Record<string, unknown> {
  const store = ctx.requireProject();
  const settings = PARSERS[kind](params);
  const { summary, dir } = getModel(store, settings.modelId);
  assertClassifier(readModel(dir).config, summary.name);
  let dataset: InferenceJob['dataset'];
  const input = settings['input'] as { kind: string; datasetId?: number; split?: string } | undefined;
  if (input?.kind === 'dataset' && input.datasetId !== undefined) {
    const d = getDataset(store, input.datasetId);
    if (d.file === null) throw new ApiError('INVALID_REQUEST', `The dataset "${d.summary.name}" has no stored sequences.`);
    if (input.split !== undefined && !d.summary.splits.includes(input.split)) {
      throw new ApiError('INVALID_REQUEST', `The dataset "${d.summary.name}" has no split "${input.split}" (it has ${d.summary.splits.join(', ') || 'none'}).`);
    }
    const inSplit = input.split === undefined ? null : Object.values(d.summary.counts[input.split] ?? {}).reduce((a, b) => a + b, 0);
    dataset = { file: d.file, name: d.summary.name, records: inSplit ?? d.summary.records };
  }
  const name = settings.name ?? defaultName(kind, settings, summary.name);
  const job: InferenceJob = {
    kind,
    settings,
    modelId: summary.id,
    modelName: summary.name,
    modelDir: dir,
    stagingDir: newStagingDir(store),
    artifactsDir: store.artifactsDir,
    name,
    ...(dataset ? { dataset } : {}),
  };
  return { job, name };
}

function jobOf(params: Readonly<Record<string, unknown>>): InferenceJob | null {
  const j = params['job'] as InferenceJob | undefined;
  return j && typeof j.stagingDir === 'string' && isStagingDir(j.stagingDir) ? j : null;
}

/** The worker's answer is checked like any other input before it reaches the project file. */
function stagedOf(result: unknown, job: InferenceJob): StagedPrediction {
  const r = (typeof result === 'object' && result !== null ? result : {}) as Partial<StagedPrediction>;
  if (
    r.kind !== job.kind ||
    typeof r.inputHash !== 'string' ||
    typeof r.count !== 'number' ||
    !r.result ||
    typeof r.stagingDir !== 'string' ||
    path.resolve(r.stagingDir) !== path.resolve(job.stagingDir)
  ) {
    throw new ApiError('INTERNAL', 'The inference engine returned an incomplete result; nothing was added to the project.');
  }
  return r as StagedPrediction;
}

function finalize(result: unknown, job: JobDto, ctx: ServiceContext): PredictionSummary {
  const j = jobOf(job.params);
  const store: ProjectStore = ctx.requireProject();
  if (j === null || path.resolve(j.artifactsDir) !== path.resolve(store.artifactsDir)) {
    throw new ApiError('INTERNAL', 'This prediction was made for another project; nothing was added to the open one.');
  }
  try {
    const summary = commitStagedPrediction(store, stagedOf(result, j), j.modelId, job.id);
    ctx.emit(Events.predictionsChanged, listPredictions(store));
    return summary;
  } finally {
    removeStagingDir(j.stagingDir);
  }
}

function spec(kind: PredictionKind, title: string): JobKindSpec {
  return {
    title: (params) => (typeof params['name'] === 'string' ? params['name'] : title),
    prepare: (params, ctx) => prepare(kind, params, ctx),
    finalize: (result, job, ctx) => finalize(result, job, ctx),
    // Uses only the job's own parameters: it also runs when the project is closing and no longer "open".
    cleanup: (job) => {
      const j = jobOf(job.params);
      if (j !== null) removeStagingDir(j.stagingDir);
    },
  };
}

export const INFERENCE_JOB_KINDS: Record<'predict' | 'scan' | 'variants' | 'explain', JobKindSpec> = {
  predict: spec('predict', 'Predict'),
  scan: spec('scan', 'Scan a sequence'),
  variants: spec('variants', 'Score variants'),
  explain: spec('explain', 'Explain a prediction'),
};

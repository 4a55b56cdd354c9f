/**
 * From pretraining settings to the engine's task spec, the batch shape and the curriculum: the one place that decides
 * them, shared by the preflight (main) and the loop (worker). Plain data only: nothing here loads TensorFlow.js.
 */
import type { MaskSchedulePhase, PretrainSettings } from '../../src-shared/api';
import { vocabSize } from '../../src-shared/dna';
import { maskSchedule } from '../engine/training/mask-schedule';
import type { SrmSpec } from '../engine/training/pretrain-task';
import type { ModelSpec } from '../engine/training/task';

export const DEFAULT_REGION_GROUP = 10;
export const DEFAULT_SRM_LAMBDA = 0.5;
export const DEFAULT_TEMPERATURE = { learnable: true, initial: 0.07 } as const;
export const DEFAULT_VALIDATION_FRACTION = 0.05;

export interface PretrainPlan {
  readonly spec: ModelSpec & { readonly kind: 'bert' };
  readonly window: number;
  readonly maxTokens: number;
  readonly schedule: readonly MaskSchedulePhase[];
  /** Region tokens per sample (1 without SRM). */
  readonly group: number;
  readonly evalEvery: number;
  readonly validationFraction: number;
}

export function corpusWindow(settings: PretrainSettings): number {
  return settings.corpus.window;
}

export function pretrainPlan(settings: PretrainSettings): PretrainPlan {
  const m = settings.model;
  const k = m.k;
  const window = corpusWindow(settings);
  const maxTokens = window - k + 1 + 2;
  const preset = m.preset === 'paper' ? 'base' : 'mini';
  const config = {
    vocabSize: vocabSize(k),
    maxPositions: Math.max(512, maxTokens),
    ...(m.layers === undefined ? {} : { layers: m.layers }),
    ...(m.hidden === undefined ? {} : { hidden: m.hidden }),
    ...(m.heads === undefined ? {} : { heads: m.heads }),
    ...(m.intermediate === undefined ? {} : { intermediate: m.intermediate }),
  };
  return {
    spec: { kind: 'bert', preset, config, head: { kind: 'mlm' } },
    window,
    maxTokens,
    schedule: maskSchedule(settings.objectives, settings.steps, k),
    group: settings.objectives.srm ? (settings.objectives.regionGroup ?? DEFAULT_REGION_GROUP) : 1,
    evalEvery: settings.evalEvery ?? Math.max(1, Math.round(settings.steps / 10)),
    validationFraction: settings.validationFraction ?? DEFAULT_VALIDATION_FRACTION,
  };
}

/** The SRM head for `motifs` affinity columns: a one-layer region transformer of width 64 (a CPU-sized choice). */
export function srmSpec(settings: PretrainSettings, motifs: number): SrmSpec {
  const o = settings.objectives;
  return {
    regions: o.regionGroup ?? DEFAULT_REGION_GROUP,
    motifs,
    hidden: 64,
    heads: 4,
    layers: 1,
    intermediate: 128,
    projection: 128,
    lambda: o.srmLambda ?? DEFAULT_SRM_LAMBDA,
    temperature: o.temperature ?? DEFAULT_TEMPERATURE,
  };
}

/**
 * The masking curriculum of a pretraining run as plain data (no TensorFlow.js): the main process draws it before the
 * run starts and the worker's masking follows it. RandomMask (Rethinking the BERT-like pretraining for DNA
 * sequences, section 3): the run is cut into P phases of equal length; in phase p (0-based) a masked span is
 * between `minSpan` and `minSpan + growth * p` tokens long; the rate is the same in every phase except, optionally,
 * the last. Plain masking is the DNABERT baseline: every span is exactly k tokens (one phase).
 */
import type { MaskSchedulePhase, PretrainObjectives, RandomMaskSettings } from '../../../src-shared/api/pretraining';

/** The paper's defaults. */
export const DEFAULT_RANDOM_MASK: RandomMaskSettings = { minSpan: 6, phases: 5, growth: 2, rate: 0.15 };

/** Masking rate of the baseline (DNABERT, BERT). */
export const PLAIN_RATE = 0.15;

export function maskSchedule(objectives: Pick<PretrainObjectives, 'masking' | 'randomMask'>, steps: number, k: number): MaskSchedulePhase[] {
  const total = Math.max(1, Math.floor(steps));
  if (objectives.masking === 'plain') return [{ phase: 0, fromStep: 0, toStep: total, minSpan: k, maxSpan: k, rate: PLAIN_RATE }];
  const rm = { ...DEFAULT_RANDOM_MASK, ...objectives.randomMask };
  const phases = Math.max(1, Math.min(Math.floor(rm.phases), total));
  const out: MaskSchedulePhase[] = [];
  for (let p = 0; p < phases; p++) {
    const last = p === phases - 1;
    out.push({
      phase: p,
      fromStep: Math.round((p * total) / phases),
      toStep: Math.round(((p + 1) * total) / phases),
      minSpan: rm.minSpan,
      maxSpan: rm.minSpan + rm.growth * p,
      rate: last && rm.finalRate !== undefined && rm.finalRate > 0 ? rm.finalRate : rm.rate,
    });
  }
  return out;
}

/** The phase that holds optimizer step `step` (0-based); steps past the end stay in the last phase. */
export function phaseAt(schedule: readonly MaskSchedulePhase[], step: number): MaskSchedulePhase {
  for (const p of schedule) if (step < p.toStep) return p;
  const last = schedule[schedule.length - 1];
  if (!last) throw new Error('The masking schedule is empty.');
  return last;
}

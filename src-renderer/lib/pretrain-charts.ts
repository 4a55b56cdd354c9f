/** The losses of a pretraining run and its masking schedule, as the charts draw them. */
import type { MaskSchedulePhase, PretrainObjectives, PretrainPoint } from '../../src-shared/api/pretraining';
import { formatCount, formatNumber } from './format';

export const LOSS_KEYS = ['mlm', 'ngsp', 'srm', 'total'] as const;
export type LossKey = (typeof LOSS_KEYS)[number];

export const LOSS_LABELS: Readonly<Record<LossKey, { title: string; help: string }>> = {
  mlm: { title: 'Masked genome modelling', help: 'How well hidden k-mers are guessed back (cross-entropy; lower is better).' },
  ngsp: { title: 'Next-segment prediction', help: 'Whether the second segment really follows the first (0.69 = guessing).' },
  srm: { title: 'Sequence-region matching', help: 'How well each sequence finds its own motif profile in the batch.' },
  total: { title: 'Total loss', help: 'What the model minimises: MGM + NGSP + λ × SRM (the losses that are on).' },
};

/** Which losses a run computes. */
export function lossesOn(objectives: PretrainObjectives): LossKey[] {
  return ['mlm', ...(objectives.ngsp ? ['ngsp' as const] : []), ...(objectives.srm ? ['srm' as const] : []), 'total'];
}

/**
 * What a metric name of a progress point or a history entry means: which loss and which split. Names are read
 * loosely (`mlm`, `trainMlm`, `mlmLoss`, `valMlm`, `val_mlm`, `validation.total`, `loss`, `valLoss`) so the chart
 * follows whatever the engine reports; anything else (accuracies, the learning rate) is not a loss.
 */
export function lossOfMetric(name: string): { loss: LossKey; split: 'train' | 'validation' } | null {
  let key = name.toLowerCase().replace(/[^a-z]/g, '');
  let split: 'train' | 'validation' = 'train';
  if (key.startsWith('validation')) {
    split = 'validation';
    key = key.slice('validation'.length);
  } else if (key.startsWith('val')) {
    split = 'validation';
    key = key.slice(3);
  } else if (key.startsWith('train')) {
    key = key.slice(5);
  }
  if (key.endsWith('loss')) key = key.slice(0, -4);
  if (key === '') key = 'total';
  return (LOSS_KEYS as readonly string[]).includes(key) ? { loss: key as LossKey, split } : null;
}

export type LossSeries = Record<LossKey, { train: [number, number][]; validation: [number, number][] }>;

function emptyLossSeries(): LossSeries {
  return {
    mlm: { train: [], validation: [] },
    ngsp: { train: [], validation: [] },
    srm: { train: [], validation: [] },
    total: { train: [], validation: [] },
  };
}

/**
 * Per-loss points from a run's history and the live progress of its job (by step; a step seen in both counts once,
 * the live one winning as the newer).
 */
export function lossSeries(
  history: readonly PretrainPoint[],
  live: readonly { readonly step: number; readonly metrics: Readonly<Record<string, number>> }[] = [],
): LossSeries {
  const byKey = new Map<string, Map<number, number>>();
  const add = (loss: LossKey, split: 'train' | 'validation', step: number, value: number): void => {
    if (!Number.isFinite(value)) return;
    const key = `${loss}:${split}`;
    let m = byKey.get(key);
    if (m === undefined) {
      m = new Map();
      byKey.set(key, m);
    }
    m.set(step, value);
  };
  for (const p of history) {
    for (const [name, value] of Object.entries(p.values)) {
      const l = lossOfMetric(name);
      // A history entry's split is given; its names are the bare loss names.
      if (l !== null) add(l.loss, p.split === 'validation' ? 'validation' : l.split, p.step, value);
    }
  }
  for (const p of live) {
    for (const [name, value] of Object.entries(p.metrics)) {
      const l = lossOfMetric(name);
      if (l !== null) add(l.loss, l.split, p.step, value);
    }
  }
  const out = emptyLossSeries();
  for (const loss of LOSS_KEYS) {
    for (const split of ['train', 'validation'] as const) {
      const m = byKey.get(`${loss}:${split}`);
      if (m !== undefined) out[loss][split] = [...m.entries()].sort((a, b) => a[0] - b[0]);
    }
  }
  return out;
}

/** Phases in step order, numbered from 1 for people (the service may count from 0). */
function ordered(schedule: readonly MaskSchedulePhase[]): MaskSchedulePhase[] {
  return [...schedule].sort((a, b) => a.fromStep - b.fromStep);
}

/** Vertical marks where each curriculum phase starts (the first starts at step 0 and is not marked). */
export function phaseMarks(schedule: readonly MaskSchedulePhase[]): { x: number; label: string }[] {
  return ordered(schedule).flatMap((p, i) => (p.fromStep > 0 ? [{ x: p.fromStep, label: `phase ${i + 1}` }] : []));
}

/** The schedule as lines over steps (staircases): shortest span, longest span and masking rate in percent. */
export function scheduleLines(schedule: readonly MaskSchedulePhase[]): { minSpan: [number, number][]; maxSpan: [number, number][]; ratePct: [number, number][] } {
  const sorted = ordered(schedule);
  const line = (pick: (p: MaskSchedulePhase) => number): [number, number][] => {
    const points: [number, number][] = sorted.map((p) => [p.fromStep, pick(p)]);
    const last = sorted[sorted.length - 1];
    if (last !== undefined) points.push([last.toStep, pick(last)]);
    return points;
  };
  return { minSpan: line((p) => p.minSpan), maxSpan: line((p) => p.maxSpan), ratePct: line((p) => Math.round(p.rate * 1000) / 10) };
}

/** The phases in words, in order: "Phase 2: steps 400–799, spans of 6 to 8 tokens, 15% masked". */
export function describeSchedule(schedule: readonly MaskSchedulePhase[]): string[] {
  return ordered(schedule).map((p, i) => describePhase(p, i + 1));
}

function describePhase(p: MaskSchedulePhase, number: number): string {
  const span = p.minSpan === p.maxSpan ? `${p.minSpan} tokens` : `${p.minSpan} to ${p.maxSpan} tokens`;
  return `Phase ${number}: steps ${formatCount(p.fromStep)}–${formatCount(Math.max(p.fromStep, p.toStep - 1))}, spans of ${span}, ${formatNumber(p.rate * 100)}% masked`;
}

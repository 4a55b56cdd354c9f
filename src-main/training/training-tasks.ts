/**
 * The training jobs inside the engine worker. A run writes only inside its own run folder and model folder (named by
 * main in prepare); main commits the result to the project file (training-jobs.ts), so a worker that dies leaves at
 * most files that the next commit or cleanup accounts for.
 */
import { ApiError } from '../../src-shared/api';
import type { TaskContext } from '../engine/task-context';
import type { FitContext, TrainJob } from './fit';

type Task = (params: Readonly<Record<string, unknown>>, ctx: TaskContext) => Promise<unknown>;

function jobOf(value: unknown): TrainJob {
  const j = value as TrainJob | undefined;
  if (!j || typeof j.runId !== 'number' || typeof j.runDir !== 'string' || typeof j.datasetFile !== 'string' || !j.settings) {
    throw new ApiError('INVALID_REQUEST', 'The training job is incomplete; start it from the app or the dnalm command.');
  }
  return j;
}

const train: Task = async (params, ctx) => {
  const { fitRun } = await import('./fit');
  const job = jobOf(params['job']);
  return fitRun(job, { progress: (...a) => ctx.progress(...a), checkpoint: () => ctx.checkpoint(), log: (m) => ctx.log(m) });
};

/** Every arm x repeat, one after another; progress covers the whole experiment. */
const compare: Task = async (params, ctx) => {
  const { fitRun, prepareRun } = await import('./fit');
  const runs = Array.isArray(params['runs']) ? (params['runs'] as unknown[]).map(jobOf) : [];
  if (runs.length === 0) throw new ApiError('INVALID_REQUEST', 'The compare experiment has no runs.');
  const steps = runs.map((r) => prepareRun(r).totalSteps);
  const total = steps.reduce((a, b) => a + b, 0);
  let offset = 0;
  const outcomes = [];
  for (const [i, run] of runs.entries()) {
    const label = `Run ${i + 1}/${runs.length} (${run.settings.name ?? run.settings.model.architecture})`;
    const fit: FitContext = {
      progress: (step, _total, message, metrics = {}) => ctx.progress(offset + step, total, `${label} · ${message}`, { ...metrics, run: i + 1 }),
      checkpoint: () => ctx.checkpoint(),
      log: (m) => ctx.log(m),
    };
    outcomes.push(await fitRun(run, fit));
    offset += steps[i] ?? 0;
  }
  return { runIds: outcomes.map((o) => o.runId) };
};

export const TRAINING_TASKS: Record<'train' | 'compare', Task> = { train, compare };

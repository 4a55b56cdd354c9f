/**
 * The pretraining jobs inside the engine worker. A run writes only inside its own run folder and model folder (named
 * by main in prepare); main commits the result to the project file (pretrain-jobs.ts).
 */
import { ApiError } from '../../src-shared/api';
import type { TaskContext } from '../engine/task-context';
import type { FitContext, TrainJob } from '../training/fit';
import type { PretrainContext, PretrainJob } from './pretrain-fit';

type Task = (params: Readonly<Record<string, unknown>>, ctx: TaskContext) => Promise<unknown>;

function jobOf(value: unknown): PretrainJob {
  const j = value as PretrainJob | undefined;
  if (!j || typeof j.runId !== 'number' || typeof j.runDir !== 'string' || typeof j.modelDir !== 'string' || !j.settings) {
    throw new ApiError('INVALID_REQUEST', 'The pretraining job is incomplete; start it from the app or the dnalm command.');
  }
  return j;
}

const pretrain: Task = async (params, ctx) => {
  const { pretrainRun } = await import('./pretrain-fit');
  const outcome = await pretrainRun(jobOf(params['job']), { progress: (...a) => ctx.progress(...a), checkpoint: () => ctx.checkpoint(), log: (m) => ctx.log(m) });
  return { runId: outcome.runId, stepsDone: outcome.stepsDone, tokensPerSecond: outcome.tokensPerSecond };
};

/** Every arm's pretraining, then every fine-tuning run; progress counts runs (each run reports its own steps). */
const ablation: Task = async (params, ctx) => {
  const { pretrainRun } = await import('./pretrain-fit');
  const { fitRun } = await import('../training/fit');
  const pretrains = Array.isArray(params['pretrainJobs']) ? (params['pretrainJobs'] as unknown[]).map(jobOf) : [];
  const fineTunes = Array.isArray(params['fineTuneJobs']) ? (params['fineTuneJobs'] as TrainJob[]) : [];
  if (pretrains.length === 0) throw new ApiError('INVALID_REQUEST', 'The ablation has no pretraining arms.');
  const total = pretrains.length + fineTunes.length;
  let done = 0;
  const scoped = (label: string): PretrainContext & FitContext => ({
    progress: (step, steps, message, metrics = {}) => ctx.progress(done + (steps > 0 ? step / steps : 0), total, `${label} · ${message}`, { ...metrics, run: done + 1 }),
    checkpoint: () => ctx.checkpoint(),
    log: (m) => ctx.log(m),
  });
  for (const [i, job] of pretrains.entries()) {
    await pretrainRun(job, scoped(`Pretraining ${i + 1}/${pretrains.length} (${job.settings.name ?? ''})`));
    done++;
  }
  for (const [i, job] of fineTunes.entries()) {
    await fitRun(job, scoped(`Fine-tuning ${i + 1}/${fineTunes.length} (${job.settings.name ?? ''})`));
    done++;
  }
  return { runs: total };
};

export const PRETRAIN_TASKS: Record<'pretrain' | 'ablation', Task> = { pretrain, ablation };

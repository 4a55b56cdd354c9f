/**
 * The inference jobs inside the engine worker. Each writes only inside the staging folder main handed it and returns
 * a StagedPrediction; main commits it (inference-jobs.ts). Readers' format errors become INVALID_REQUEST errors
 * that keep their "file, line N: problem" sentence.
 */
import { ApiError } from '../../src-shared/api';
import type { TaskContext } from '../engine/task-context';
import { ImportError } from '../io/types';
import { inferenceJobOf, type StagedPrediction } from './job-params';

type Task = (params: Readonly<Record<string, unknown>>, ctx: TaskContext) => Promise<unknown>;

async function userErrors(run: () => Promise<StagedPrediction>): Promise<StagedPrediction> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof ImportError) throw new ApiError('INVALID_REQUEST', err.message);
    throw err;
  }
}

export const INFERENCE_TASKS: Record<'predict' | 'scan' | 'variants' | 'explain', Task> = {
  predict: async (params, ctx) => {
    const { runPredict } = await import('./predict-task');
    return userErrors(() => runPredict(inferenceJobOf(params), ctx));
  },
  scan: async (params, ctx) => {
    const { runScan } = await import('./scan-task');
    return userErrors(() => runScan(inferenceJobOf(params), ctx));
  },
  variants: async (params, ctx) => {
    const { runVariants } = await import('./variants-task');
    return userErrors(() => runVariants(inferenceJobOf(params), ctx));
  },
  explain: async (params, ctx) => {
    const { runExplain } = await import('./explain-task');
    return userErrors(() => runExplain(inferenceJobOf(params), ctx));
  },
};

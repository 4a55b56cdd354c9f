/**
 * Entry of the engine process (one per running job). It receives one `start`, runs the task, answers with exactly one
 * of result | error | cancelled, and is then stopped by the job manager.
 */
import { ApiError, type JobKind, type SelftestParams } from '../../src-shared/api';
import { DATASET_TASKS } from '../datasets/dataset-tasks';
import { TRAINING_TASKS } from '../training/training-tasks';
import { INFERENCE_TASKS } from '../inference/inference-tasks';
import { PRETRAIN_TASKS } from '../pretraining/pretrain-tasks';
import { MOTIF_TASKS } from '../motifs/motif-tasks';
import { runSelftest } from './selftest';
import { CancelledError, TaskContext } from './task-context';
import { connectToParent } from './worker-channel';

type Task = (params: Readonly<Record<string, unknown>>, ctx: TaskContext) => Promise<unknown>;

const TASKS: Record<JobKind, Task> = {
  selftest: (params, ctx) => runSelftest(params as SelftestParams, ctx),
  ...DATASET_TASKS,
  ...TRAINING_TASKS,
  ...INFERENCE_TASKS,
  ...PRETRAIN_TASKS,
  ...MOTIF_TASKS,
};

const channel = connectToParent();
const ctx = new TaskContext(channel);
let started = false;

channel.onMessage((message) => {
  if (message.type === 'cancel') {
    ctx.requestCancel();
    return;
  }
  if (message.type !== 'start' || started) return;
  started = true;
  const task = TASKS[message.kind];
  void (async () => {
    try {
      if (!task) throw new ApiError('INVALID_REQUEST', `This version of the engine cannot run "${message.kind}" jobs.`);
      channel.post({ type: 'result', value: await task(message.params, ctx) });
    } catch (err) {
      if (err instanceof CancelledError) {
        channel.post({ type: 'cancelled' });
      } else if (err instanceof ApiError) {
        channel.post({ type: 'error', error: err.toData() });
      } else {
        const e = err instanceof Error ? err : new Error(String(err));
        console.error(e.stack ?? e.message);
        const error = { code: 'INTERNAL' as const, message: `The engine failed: ${e.message}` };
        channel.post(e.stack === undefined ? { type: 'error', error } : { type: 'error', error, stack: e.stack });
      }
    }
  })();
});

channel.post({ type: 'ready' });

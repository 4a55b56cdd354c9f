import { ApiError } from '../../src-shared/api';
import type { TaskContext } from '../engine/task-context';

type Task = (params: Readonly<Record<string, unknown>>, ctx: TaskContext) => Promise<unknown>;

// Placeholder until the training module lands; replaced by it.
const notYet: Task = async () => {
  throw new ApiError('UNSUPPORTED', 'Training is not available in this build yet.');
};

export const TRAINING_TASKS: Record<'train' | 'compare', Task> = { train: notYet, compare: notYet };

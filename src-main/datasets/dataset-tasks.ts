import { ApiError } from '../../src-shared/api';
import type { TaskContext } from '../engine/task-context';

type Task = (params: Readonly<Record<string, unknown>>, ctx: TaskContext) => Promise<unknown>;

// Placeholder until the datasets pipeline lands; replaced by the datasets module.
const notYet: Task = async () => {
  throw new ApiError('UNSUPPORTED', 'Dataset import is not available in this build yet.');
};

export const DATASET_TASKS: Record<'dataset-validate' | 'dataset-import', Task> = {
  'dataset-validate': notYet,
  'dataset-import': notYet,
};

import type { TaskContext } from '../engine/task-context';
import { notYet } from '../service/not-yet';

type Task = (params: Readonly<Record<string, unknown>>, ctx: TaskContext) => Promise<unknown>;

export const PRETRAIN_TASKS: Record<'pretrain' | 'ablation', Task> = {
  pretrain: async () => notYet('Pretraining'),
  ablation: async () => notYet('The ablation experiment'),
};

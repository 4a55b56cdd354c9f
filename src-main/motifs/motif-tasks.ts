import type { TaskContext } from '../engine/task-context';
import { notYet } from '../service/not-yet';

type Task = (params: Readonly<Record<string, unknown>>, ctx: TaskContext) => Promise<unknown>;

export const MOTIF_TASKS: Record<'motif-scan', Task> = {
  'motif-scan': async () => notYet('Motif scanning'),
};

import type { TaskContext } from '../engine/task-context';
import { notYet } from '../service/not-yet';

type Task = (params: Readonly<Record<string, unknown>>, ctx: TaskContext) => Promise<unknown>;

export const INFERENCE_TASKS: Record<'predict' | 'scan' | 'variants' | 'explain', Task> = {
  predict: async () => notYet('Prediction'),
  scan: async () => notYet('Scanning'),
  variants: async () => notYet('Variant scoring'),
  explain: async () => notYet('Explanations'),
};

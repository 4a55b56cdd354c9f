import type { JobKindSpec } from '../service/job-kinds';

// Placeholder until the training module lands; replaced by it.
export const TRAINING_JOB_KINDS: Record<'train' | 'compare', JobKindSpec> = {
  train: { title: () => 'Train a model' },
  compare: { title: () => 'Compare models' },
};

import type { JobKindSpec } from '../service/job-kinds';

// Placeholder until the datasets pipeline lands; replaced by the datasets module.
export const DATASET_JOB_KINDS: Record<'dataset-validate' | 'dataset-import', JobKindSpec> = {
  'dataset-validate': { title: () => 'Validate import' },
  'dataset-import': { title: () => 'Import dataset' },
};

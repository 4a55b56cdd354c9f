import type { JobKindSpec } from '../service/job-kinds';

export const INFERENCE_JOB_KINDS: Record<'predict' | 'scan' | 'variants' | 'explain', JobKindSpec> = {
  predict: { title: () => 'Predict' },
  scan: { title: () => 'Scan a sequence' },
  variants: { title: () => 'Score variants' },
  explain: { title: () => 'Explain a prediction' },
};

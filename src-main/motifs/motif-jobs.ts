import type { JobKindSpec } from '../service/job-kinds';

export const MOTIF_JOB_KINDS: Record<'motif-scan', JobKindSpec> = {
  'motif-scan': { title: () => 'Motif affinity scan' },
};

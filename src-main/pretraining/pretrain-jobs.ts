import type { JobKindSpec } from '../service/job-kinds';

export const PRETRAIN_JOB_KINDS: Record<'pretrain' | 'ablation', JobKindSpec> = {
  pretrain: { title: () => 'Pretrain' },
  ablation: { title: () => 'Pretraining ablation' },
};

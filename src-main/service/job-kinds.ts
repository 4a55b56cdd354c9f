import type { JobDto, JobKind } from '../../src-shared/api';
import { DATASET_JOB_KINDS } from '../datasets/dataset-jobs';
import { TRAINING_JOB_KINDS } from '../training/training-jobs';
import { INFERENCE_JOB_KINDS } from '../inference/inference-jobs';
import { PRETRAIN_JOB_KINDS } from '../pretraining/pretrain-jobs';
import { MOTIF_JOB_KINDS } from '../motifs/motif-jobs';
import type { ServiceContext } from './service-context';

/**
 * Main-process side of each kind of job: its title, what the worker gets (prepare: e.g. where to stage files inside
 * the project) and what happens with the worker's result before the job counts as done (finalize: e.g. commit the
 * imported dataset to the project file). A finalize that throws fails the job; nothing half-done stays.
 */
export interface JobKindSpec {
  readonly title: (params: Readonly<Record<string, unknown>>) => string;
  readonly prepare?: (params: Readonly<Record<string, unknown>>, ctx: ServiceContext) => Record<string, unknown>;
  readonly finalize?: (result: unknown, job: JobDto, ctx: ServiceContext) => unknown;
  /** Called when the job ends without success, to remove whatever prepare staged. */
  readonly cleanup?: (job: JobDto, ctx: ServiceContext) => void;
}

export const JOB_KIND_SPECS: Record<JobKind, JobKindSpec> = {
  selftest: { title: () => 'Engine self-test' },
  ...DATASET_JOB_KINDS,
  ...TRAINING_JOB_KINDS,
  ...INFERENCE_JOB_KINDS,
  ...PRETRAIN_JOB_KINDS,
  ...MOTIF_JOB_KINDS,
};

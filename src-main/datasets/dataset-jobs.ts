import path from 'node:path';
import { ApiError, Events, type DatasetStats, type DatasetSummary } from '../../src-shared/api';
import type { JobKindSpec } from '../service/job-kinds';
import type { ServiceContext } from '../service/service-context';
import { assertNameFree, commitStagedDataset, listDatasets, type StagedForCommit } from './dataset-repository';
import { parseImportOptions } from './import-options';
import type { StagedDataset } from './import-pipeline';
import { SequenceFileReader } from './sequence-store';
import { isStagingDir, newStagingDir, removeStagingDir } from './staging';

/**
 * The main-process side of the dataset jobs. The worker only ever writes inside the staging folder that `prepare`
 * hands it; `finalize` moves the result into the project and records it in one ProjectStore.write(); `cleanup`
 * removes the staging folder of a job that failed, was cancelled or whose worker died.
 */

function nameOf(params: Readonly<Record<string, unknown>>): string {
  return typeof params['name'] === 'string' ? params['name'] : 'dataset';
}

function stagingDirOf(params: Readonly<Record<string, unknown>>): string | null {
  const dir = params['stagingDir'];
  return typeof dir === 'string' && isStagingDir(dir) ? dir : null;
}

/** The worker's answer is checked like any other input before it reaches the project file. */
function stagedResult(result: unknown, stagingDir: string): StagedForCommit {
  const r = (typeof result === 'object' && result !== null ? result : {}) as Record<string, unknown>;
  const file = r['stagedFile'];
  const dataset = r['dataset'] as StagedDataset | undefined;
  const stats = r['stats'] as DatasetStats | undefined;
  if (typeof file !== 'string' || path.dirname(path.resolve(file)) !== path.resolve(stagingDir) || !dataset || !stats) {
    throw new ApiError('INTERNAL', 'The import engine returned an incomplete result; nothing was added to the project.');
  }
  const reader = SequenceFileReader.open(file);
  try {
    if (reader.count !== dataset.records) {
      throw new ApiError('INTERNAL', 'The staged dataset does not match its summary; nothing was added to the project.');
    }
  } finally {
    reader.close();
  }
  return { stagedFile: file, dataset, stats };
}

function finalizeImport(result: unknown, params: Readonly<Record<string, unknown>>, ctx: ServiceContext): DatasetSummary {
  const store = ctx.requireProject();
  const stagingDir = stagingDirOf(params);
  if (stagingDir === null || path.resolve(stagingDir, '..', '..') !== path.resolve(store.artifactsDir)) {
    throw new ApiError('INTERNAL', 'This import was staged for another project; nothing was added to the open one.');
  }
  let summary: DatasetSummary;
  try {
    summary = commitStagedDataset(store, stagedResult(result, stagingDir));
  } finally {
    removeStagingDir(stagingDir);
  }
  ctx.emit(Events.datasetsChanged, listDatasets(store));
  return summary;
}

export const DATASET_JOB_KINDS: Record<'dataset-validate' | 'dataset-import', JobKindSpec> = {
  'dataset-validate': {
    title: (params) => `Check ${nameOf(params)}`,
    prepare: (params, ctx) => {
      const options = parseImportOptions(params);
      assertNameFree(ctx.requireProject(), options.name);
      return { ...options };
    },
  },
  'dataset-import': {
    title: (params) => `Import ${nameOf(params)}`,
    prepare: (params, ctx) => {
      const options = parseImportOptions(params);
      const store = ctx.requireProject();
      assertNameFree(store, options.name);
      return { ...options, stagingDir: newStagingDir(store) };
    },
    finalize: (result, job, ctx) => finalizeImport(result, job.params, ctx),
    // Uses only the job's own parameters: it also runs when the project is closing and no longer "open".
    cleanup: (job) => {
      const dir = stagingDirOf(job.params);
      if (dir !== null) removeStagingDir(dir);
    },
  },
};

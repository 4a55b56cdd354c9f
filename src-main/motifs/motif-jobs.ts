/**
 * The main-process side of the motif-scan job: `prepare` checks the settings and hands the worker a staging folder
 * (and the dataset's sequence file); `finalize` moves the staged matrix into artifacts/motif-scans/<id>/ and records
 * the row in one ProjectStore.write(); `cleanup` removes the staging folder of a scan that failed or was cancelled.
 */
import path from 'node:path';
import { ApiError, type JobDto } from '../../src-shared/api';
import { getDataset } from '../datasets/dataset-repository';
import { isStagingDir, newStagingDir, removeStagingDir } from '../datasets/staging';
import type { JobKindSpec } from '../service/job-kinds';
import type { ServiceContext } from '../service/service-context';
import { commitMotifScan } from './scan-repository';
import { defaultScanName, parseScanSettings } from './scan-settings';

function stagingDirOf(params: Readonly<Record<string, unknown>>): string | null {
  const dir = params['stagingDir'];
  return typeof dir === 'string' && isStagingDir(dir) ? dir : null;
}

function prepare(params: Readonly<Record<string, unknown>>, ctx: ServiceContext): Record<string, unknown> {
  const settings = parseScanSettings(params);
  const store = ctx.requireProject();
  let datasetFile: string | null = null;
  if (settings.regions.kind === 'dataset') {
    datasetFile = getDataset(store, settings.regions.datasetId).file;
    if (datasetFile === null) throw new ApiError('INVALID_REQUEST', 'This dataset has no stored sequences to scan.');
  }
  return { ...settings, name: settings.name ?? defaultScanName(settings), stagingDir: newStagingDir(store), datasetFile };
}

function finalize(result: unknown, job: JobDto, ctx: ServiceContext): unknown {
  const store = ctx.requireProject();
  const stagingDir = stagingDirOf(job.params);
  const r = (typeof result === 'object' && result !== null ? result : {}) as Record<string, unknown>;
  if (stagingDir === null || path.resolve(stagingDir, '..', '..') !== path.resolve(store.artifactsDir)) {
    throw new ApiError('INTERNAL', 'This motif scan was staged for another project; nothing was added to the open one.');
  }
  try {
    const settings = parseScanSettings(job.params);
    return commitMotifScan(store, {
      stagingDir,
      name: settings.name ?? defaultScanName(settings),
      settings,
      regions: Number(r['regions'] ?? 0),
      motifs: Number(r['motifs'] ?? 0),
      seconds: Number(r['seconds'] ?? 0),
    });
  } finally {
    removeStagingDir(stagingDir);
  }
}

export const MOTIF_JOB_KINDS: Record<'motif-scan', JobKindSpec> = {
  'motif-scan': {
    title: (params) => `Motif scan ${typeof params['name'] === 'string' ? params['name'] : ''}`.trim(),
    prepare,
    finalize,
    // Only the job's own parameters: it also runs while the project is closing.
    cleanup: (job) => {
      const dir = stagingDirOf(job.params);
      if (dir !== null) removeStagingDir(dir);
    },
  },
};

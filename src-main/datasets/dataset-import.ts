import type { DatasetSummary, ImportOptions, ImportReport } from '../../src-shared/api';
import type { ProjectStore } from '../project';
import type { DatasetIo } from './dataset-io';
import { assertNameFree, commitStagedDataset } from './dataset-repository';
import { stageImport, type ImportContext } from './import-pipeline';
import { newStagingDir, removeStagingDir } from './staging';

/**
 * An import run in this process (the CLI, the demo project) along the same path as the job: stage in
 * `artifacts/.staging/<uuid>/`, then commit with the same function the job's finalize uses. Whatever happens, the
 * staging folder is gone afterwards, so a refused import leaves the project folder as it was.
 */
export async function importInProcess(
  store: ProjectStore,
  options: ImportOptions,
  io: DatasetIo,
  ctx: ImportContext,
  licence = '',
): Promise<{ summary: DatasetSummary; report: ImportReport }> {
  assertNameFree(store, options.name);
  const stagingDir = newStagingDir(store);
  try {
    const staged = await stageImport(options, stagingDir, io, ctx);
    return { summary: commitStagedDataset(store, staged, licence), report: staged.report };
  } finally {
    removeStagingDir(stagingDir);
  }
}

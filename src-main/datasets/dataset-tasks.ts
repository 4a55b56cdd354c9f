import { ApiError } from '../../src-shared/api';
import type { TaskContext } from '../engine/task-context';
import { fileIo } from './dataset-io';
import { parseImportOptions } from './import-options';
import { stageImport, validateImport } from './import-pipeline';
import { isStagingDir } from './staging';

type Task = (params: Readonly<Record<string, unknown>>, ctx: TaskContext) => Promise<unknown>;

/**
 * The dataset jobs inside the engine worker. The import writes only inside the staging folder it was given; the
 * main process commits the result (see dataset-jobs.ts), so a worker that dies leaves at most a staged file.
 */
export const DATASET_TASKS: Record<'dataset-validate' | 'dataset-import', Task> = {
  'dataset-validate': (params, ctx) => validateImport(parseImportOptions(params), fileIo, ctx),
  'dataset-import': (params, ctx) => {
    const stagingDir = params['stagingDir'];
    if (typeof stagingDir !== 'string' || !isStagingDir(stagingDir)) {
      throw new ApiError('INVALID_REQUEST', 'The import has no staging folder inside a project; start it from the app.');
    }
    return stageImport(parseImportOptions(params), stagingDir, fileIo, ctx);
  },
};

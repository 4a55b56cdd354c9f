import { ApiError } from '../../src-shared/api';
import type { TaskContext } from '../engine/task-context';
import { isStagingDir } from '../datasets/staging';
import { runMotifScan } from './scan-run';
import { parseScanSettings } from './scan-settings';

type Task = (params: Readonly<Record<string, unknown>>, ctx: TaskContext) => Promise<unknown>;

/**
 * The motif scan inside the engine worker: it writes only into the staging folder `prepare` handed it; the main
 * process moves the folder into artifacts/motif-scans/ and records the row (motif-jobs.ts).
 */
export const MOTIF_TASKS: Record<'motif-scan', Task> = {
  'motif-scan': async (params, ctx) => {
    const stagingDir = params['stagingDir'];
    if (typeof stagingDir !== 'string' || !isStagingDir(stagingDir)) {
      throw new ApiError('INVALID_REQUEST', 'The motif scan has no staging folder inside a project; start it from the app.');
    }
    const datasetFile = typeof params['datasetFile'] === 'string' ? params['datasetFile'] : null;
    const outcome = await runMotifScan(parseScanSettings(params), { dir: stagingDir }, datasetFile, {
      progress: (step, total, message) => ctx.progress(step, total, message),
      checkpoint: () => ctx.checkpoint(),
    });
    return { stagingDir, regions: outcome.regions, motifs: outcome.motifs, seconds: outcome.seconds };
  },
};

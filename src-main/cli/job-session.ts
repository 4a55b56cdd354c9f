/**
 * What the job-running `dnalm` commands (train, compare, pretrain, predict, scan, ...) share: a project opened through
 * the application service, so jobs run in the compute-engine worker exactly as in the desktop app, and a job run to its
 * end with progress on stderr and Ctrl-C as cancel.
 */
import path from 'node:path';
import { ApiError, Invoke, isErrorCode, type JobDto, type JobKind, type JobProgress } from '../../src-shared/api';
import type { JobManager } from '../jobs/job-manager';
import { forkChildProcess } from '../jobs/worker-process';
import { appVersion, defaultUserDataDir } from '../paths';
import { ProjectStore } from '../project';
import { AppService } from '../service/app-service';
import type { Output } from './commands';
import { bad } from './flags';

export interface Session {
  readonly service: AppService;
  readonly store: ProjectStore;
}

/** The CLI's application service; its jobs run in forked worker processes, as the desktop app's do. */
export function cliService(): AppService {
  return new AppService({ host: 'cli', userDataDir: defaultUserDataDir(), launcher: forkChildProcess });
}

/** Opens PROJECT through the service (locks it, recovers interrupted jobs) and always shuts the service down after. */
export async function withSession<T>(project: string | undefined, usage: string, use: (session: Session) => Promise<T>): Promise<T> {
  if (!project) bad(`Give the project folder: ${usage}`);
  const service = cliService();
  try {
    await service.call(Invoke.projectOpen, { path: path.resolve(project) });
    const store = service.currentProject;
    if (!store) throw new ApiError('INTERNAL', 'The project did not open.');
    return await use({ service, store });
  } finally {
    await service.shutdown();
  }
}

/** Opens a project's store directly, for commands that need no job worker; closed whatever happens. */
export async function withStore<T>(project: string, readOnly: boolean, use: (store: ProjectStore) => Promise<T> | T): Promise<T> {
  const store = await ProjectStore.open(path.resolve(project), { appVersion, readOnly });
  try {
    return await use(store);
  } finally {
    store.close();
  }
}

/** `  42%  message  (extra, extra)`: the one progress-line layout of every CLI command. */
export function progressLine(fraction: number, message: string, extra: readonly string[] = []): string {
  return `${String(Math.round(fraction * 100)).padStart(3)}%  ${message}${extra.length > 0 ? `  (${extra.join(', ')})` : ''}`;
}

export interface JobWatch {
  /** Metric texts for the progress line, e.g. `loss 0.4132`; none by default. */
  readonly metrics?: (metrics: JobProgress['metrics']) => string[];
  /** What Ctrl-C keeps, said as it cancels, e.g. `nothing is stored`. */
  readonly onCancel: string;
  /** How often the progress is looked at; once a second unless a command's job is short. */
  readonly everyMs?: number;
}

/** Prints the job's progress line whenever it changed since the last look; returns the function that stops it. */
export function watchProgress(jobs: JobManager, jobId: number, out: Output, watch: Omit<JobWatch, 'onCancel'>): () => void {
  let last = '';
  const poll = setInterval(() => {
    const p = jobs.get(jobId).progress;
    const line = progressLine(p.fraction, p.message, watch.metrics?.(p.metrics));
    if (line !== last) out.progress(line);
    last = line;
  }, watch.everyMs ?? 1000);
  return () => clearInterval(poll);
}

/** Ctrl-C cancels the job instead of killing the process, so the job's own cleanup and checkpointing run. */
function cancelOnInterrupt(jobs: JobManager, jobId: number, out: Output, note: string): () => void {
  const onSignal = (): void => {
    out.progress(`Cancelling… (${note})`);
    try {
      jobs.cancel(jobId);
    } catch {
      // already finished
    }
  };
  process.on('SIGINT', onSignal);
  return () => process.off('SIGINT', onSignal);
}

/** Starts a job through the service (so its parameters are checked as for the app) and waits for its end. */
export async function runJob(session: Session, kind: JobKind, params: Record<string, unknown>, out: Output, watch: JobWatch): Promise<JobDto> {
  const jobs = session.service.jobManager();
  const job = await session.service.call(Invoke.jobsStart, { kind, params } as never);
  const stopWatching = watchProgress(jobs, job.id, out, watch);
  const stopCancelling = cancelOnInterrupt(jobs, job.id, out, watch.onCancel);
  try {
    return await jobs.waitFor(job.id);
  } finally {
    stopWatching();
    stopCancelling();
  }
}

export interface JobEnding {
  /** The message when the user cancelled (an INVALID_REQUEST: exit code 1). */
  readonly cancelled: string;
  /** The message for a failure, given the worker's reason when it sent one. */
  readonly failed: (reason: string | undefined) => string;
}

/** Throws unless the job succeeded; a failure keeps the worker's error code, so user errors still exit with 1. */
export function requireSuccess(done: JobDto, ending: JobEnding): void {
  if (done.status === 'success') return;
  if (done.status === 'cancelled') bad(ending.cancelled);
  const code = done.error && isErrorCode(done.error.code) ? done.error.code : 'INTERNAL';
  throw new ApiError(code, ending.failed(done.error?.message));
}

/** The usual ending: `The training was cancelled. HINT` / `The training failed: REASON. HINT`. */
export function endingOf(what: string, hint: string): JobEnding {
  return {
    cancelled: `The ${what} was cancelled. ${hint}`,
    failed: (reason) => `The ${what} failed: ${reason ?? 'unknown error'}. ${hint}`,
  };
}

import { ApiError, type JobDto, type JobKind, type JobProgress } from '../../src-shared/api';
import type { JobRecords } from './job-records';
import type { WorkerExit, WorkerLauncher, WorkerProcess } from './worker-process';
import type { FromWorker } from './worker-protocol';

export interface JobManagerOptions {
  readonly launcher: WorkerLauncher;
  readonly workerEntry: string;
  readonly records: JobRecords;
  /** Called with every change of every job; hosts forward it to the renderer as a job:update event. */
  readonly onUpdate: (job: JobDto) => void;
  /** How long a running job gets to stop by itself after Cancel before its worker is killed. */
  readonly cancelGraceMs?: number;
  /** Progress is pushed live but written to the project at most this often: every write saves the whole file. */
  readonly persistProgressEveryMs?: number;
  readonly titleOf?: (kind: JobKind, params: Readonly<Record<string, unknown>>) => string;
  /**
   * Runs in this process on the worker's result before the job counts as a success (e.g. committing an import to the
   * project file); its return value becomes the job's result. A throw fails the job with the error's message.
   */
  readonly finalize?: (job: JobDto, result: unknown) => unknown;
  /** Runs when a job ends without success, to remove anything staged for it. */
  readonly cleanup?: (job: JobDto) => void;
}

interface Running {
  readonly worker: WorkerProcess;
  readonly startedMs: number;
  cancelTimer: NodeJS.Timeout | null;
  lastPersistMs: number;
  /** Set once the worker sent its final word, so that its exit afterwards is not mistaken for a crash. */
  settled: boolean;
}

function initialProgress(): JobProgress {
  return { fraction: 0, step: 0, total: 0, etaSeconds: null, message: 'Waiting to start', metrics: {} };
}

function describeExit(exit: WorkerExit): string {
  const how = exit.signal ? `was stopped by signal ${exit.signal}` : `exited with code ${exit.code ?? 'unknown'}`;
  const tail = exit.stderrTail.trim().split('\n').slice(-3).join(' ').slice(0, 400);
  return (
    `The compute engine stopped unexpectedly (it ${how}). Your project is safe; you can start the job again.` +
    (/out of memory|heap|allocation failed/i.test(tail) ? ' It ran out of memory: try a smaller model or batch.' : '') +
    (tail ? ` Last engine output: ${tail}` : '')
  );
}

/**
 * The job queue and state machine. One job runs at a time (training uses every core), each in a fresh worker process,
 * so a crash or a leak in the engine can never take the application or the project file down with it.
 * States: queued -> running -> done, with status success | failure | cancelled once done.
 */
export class JobManager {
  private readonly jobs = new Map<number, JobDto>();
  private readonly queue: number[] = [];
  private readonly running = new Map<number, Running>();
  private readonly waiters = new Map<number, ((job: JobDto) => void)[]>();
  private readonly cancelGraceMs: number;
  private readonly persistEveryMs: number;
  private closed = false;

  constructor(private readonly options: JobManagerOptions) {
    this.cancelGraceMs = options.cancelGraceMs ?? 3000;
    this.persistEveryMs = options.persistProgressEveryMs ?? 1000;
    for (const job of options.records.list()) {
      // A job still marked queued/running in the file was interrupted by an app exit or crash: say so, don't resume
      // silently with a worker that no longer exists.
      if (job.state !== 'done') {
        const interrupted: JobDto = {
          ...job,
          state: 'done',
          status: 'failure',
          finishedAt: new Date().toISOString(),
          error: { code: 'INTERRUPTED', message: 'The application closed while this job was running. Start it again.' },
        };
        options.records.update(interrupted, { type: 'state', payload: { state: 'done', status: 'failure', reason: 'interrupted' } });
        this.jobs.set(job.id, interrupted);
      } else {
        this.jobs.set(job.id, job);
      }
    }
  }

  list(): JobDto[] {
    return [...this.jobs.values()].sort((a, b) => b.id - a.id);
  }

  get(id: number): JobDto {
    const job = this.jobs.get(id);
    if (!job) throw new ApiError('JOB_NOT_FOUND', `There is no job number ${id} in this project.`);
    return job;
  }

  start(kind: JobKind, params: Readonly<Record<string, unknown>>): JobDto {
    if (this.closed) throw new ApiError('NO_PROJECT', 'The project was closed; open it again to start a job.');
    const draft: Omit<JobDto, 'id'> = {
      kind,
      title: this.options.titleOf?.(kind, params) ?? kind,
      state: 'queued',
      status: null,
      progress: initialProgress(),
      params,
      createdAt: new Date().toISOString(),
      startedAt: null,
      finishedAt: null,
      error: null,
      result: null,
      workerPid: null,
    };
    const id = this.options.records.insert(draft);
    const job: JobDto = { ...draft, id };
    this.jobs.set(id, job);
    this.queue.push(id);
    this.options.onUpdate(job);
    this.pump();
    return this.get(id);
  }

  cancel(id: number): JobDto {
    const job = this.get(id);
    if (job.state === 'done') {
      throw new ApiError('JOB_FINISHED', `Job ${id} has already finished (${job.status}); there is nothing to cancel.`);
    }
    if (job.state === 'queued') {
      this.queue.splice(this.queue.indexOf(id), 1);
      this.finish(id, 'cancelled', { message: 'Cancelled before it started' });
      return this.get(id);
    }
    const run = this.running.get(id);
    if (run && run.cancelTimer === null) {
      run.worker.send({ type: 'cancel' });
      this.patch(id, { progress: { ...job.progress, message: 'Cancelling…' } }, true);
      run.cancelTimer = setTimeout(() => {
        // The engine did not reach a cancellation point in time (e.g. inside one long kernel): stop it hard.
        this.finish(id, 'cancelled', { message: `Stopped: the engine did not respond to Cancel within ${this.cancelGraceMs / 1000} s` });
        run.worker.kill();
      }, this.cancelGraceMs);
    }
    return this.get(id);
  }

  /** Resolves when the job is done (any status). */
  waitFor(id: number): Promise<JobDto> {
    const job = this.get(id);
    if (job.state === 'done') return Promise.resolve(job);
    return new Promise((resolve) => {
      const list = this.waiters.get(id) ?? [];
      list.push(resolve);
      this.waiters.set(id, list);
    });
  }

  /** Cancels everything and kills the workers; used when the project closes or the app quits. */
  async shutdown(): Promise<void> {
    this.closed = true;
    for (const id of [...this.queue]) this.cancel(id);
    const pending = [...this.running.keys()].map((id) => {
      const done = this.waitFor(id);
      // A job can be done while its worker is still exiting; only unfinished ones need cancelling.
      if (this.get(id).state !== 'done') this.cancel(id);
      return done;
    });
    await Promise.all(pending);
  }

  private pump(): void {
    if (this.running.size > 0) return;
    const id = this.queue.shift();
    if (id === undefined) return;
    this.launch(id);
  }

  private launch(id: number): void {
    let worker: WorkerProcess;
    try {
      worker = this.options.launcher(this.options.workerEntry);
    } catch (err) {
      this.finish(id, 'failure', {
        error: { code: 'INTERNAL', message: `The compute engine could not be started: ${(err as Error).message}` },
      });
      this.pump();
      return;
    }
    const run: Running = { worker, startedMs: Date.now(), cancelTimer: null, lastPersistMs: 0, settled: false };
    this.running.set(id, run);
    worker.onMessage((m) => this.onWorkerMessage(id, run, m));
    worker.onExit((exit) => this.onWorkerExit(id, run, exit));
    const job = this.get(id);
    this.patch(
      id,
      {
        state: 'running',
        startedAt: new Date().toISOString(),
        workerPid: worker.pid ?? null,
        progress: { ...job.progress, message: 'Starting the compute engine…' },
      },
      true,
      { type: 'state', payload: { state: 'running', pid: worker.pid ?? null } },
    );
    worker.send({ type: 'start', jobId: id, kind: job.kind, params: job.params });
  }

  private onWorkerMessage(id: number, run: Running, m: FromWorker): void {
    if (run.settled) return;
    switch (m.type) {
      case 'ready':
        return;
      case 'progress': {
        const total = Math.max(m.total, 0);
        const step = Math.min(Math.max(m.step, 0), total);
        const fraction = total > 0 ? step / total : 0;
        const elapsed = (Date.now() - run.startedMs) / 1000;
        const etaSeconds = step > 0 && total > step ? (elapsed / step) * (total - step) : step >= total && total > 0 ? 0 : null;
        const now = Date.now();
        const persist = now - run.lastPersistMs >= this.persistEveryMs;
        if (persist) run.lastPersistMs = now;
        this.patch(id, { progress: { fraction, step, total, etaSeconds, message: m.message, metrics: m.metrics } }, persist);
        return;
      }
      case 'log':
        this.options.records.update(this.get(id), { type: 'log', payload: { level: m.level, message: m.message } });
        return;
      case 'result':
        this.settle(id, run, ...this.finalized(id, m.value));
        return;
      case 'cancelled':
        this.settle(id, run, 'cancelled', { message: 'Cancelled' });
        return;
      case 'error':
        this.settle(id, run, 'failure', { error: { code: m.error.code, message: m.error.message } });
        return;
    }
  }

  private finalized(id: number, value: unknown): ['success' | 'failure', FinishExtra] {
    if (!this.options.finalize) return ['success', { result: value }];
    try {
      return ['success', { result: this.options.finalize(this.get(id), value) }];
    } catch (err) {
      const code = err instanceof ApiError ? err.code : 'INTERNAL';
      return ['failure', { error: { code, message: err instanceof Error ? err.message : String(err) } }];
    }
  }

  private settle(id: number, run: Running, status: 'success' | 'failure' | 'cancelled', extra: FinishExtra): void {
    run.settled = true;
    if (run.cancelTimer) clearTimeout(run.cancelTimer);
    this.finish(id, status, extra);
    // The worker has said its last word; it is not reused (a fresh process per job keeps jobs independent).
    run.worker.kill();
  }

  private onWorkerExit(id: number, run: Running, exit: WorkerExit): void {
    if (run.cancelTimer) clearTimeout(run.cancelTimer);
    this.running.delete(id);
    if (!run.settled && this.get(id).state !== 'done') {
      run.settled = true;
      this.finish(id, 'failure', { error: { code: 'WORKER_CRASHED', message: describeExit(exit) } });
    }
    this.pump();
  }

  private finish(id: number, status: 'success' | 'failure' | 'cancelled', extra: FinishExtra): void {
    const job = this.get(id);
    if (job.state === 'done') return;
    const progress: JobProgress =
      status === 'success'
        ? { ...job.progress, fraction: 1, step: job.progress.total, etaSeconds: 0, message: 'Done' }
        : { ...job.progress, etaSeconds: null, message: extra.message ?? extra.error?.message ?? job.progress.message };
    this.patch(
      id,
      {
        state: 'done',
        status,
        progress,
        finishedAt: new Date().toISOString(),
        error: extra.error ?? null,
        result: extra.result ?? null,
        workerPid: null,
      },
      true,
      { type: status === 'failure' ? 'error' : 'state', payload: { state: 'done', status, error: extra.error ?? null } },
    );
    if (status !== 'success') {
      try {
        this.options.cleanup?.(this.get(id));
      } catch (err) {
        console.error(`DNA LM Studio: could not clean up after job ${id}:`, err);
      }
    }
    const waiters = this.waiters.get(id) ?? [];
    this.waiters.delete(id);
    for (const resolve of waiters) resolve(this.get(id));
  }

  private patch(id: number, changes: Partial<JobDto>, persist: boolean, event?: Parameters<JobRecords['update']>[1]): void {
    const job: JobDto = { ...this.get(id), ...changes };
    this.jobs.set(id, job);
    if (persist) {
      try {
        this.options.records.update(job, event);
      } catch (err) {
        // A failed save (disk full, project folder gone) must not kill the job bookkeeping; the live state goes on.
        console.error(`DNA LM Studio: could not record job ${id} in the project:`, err);
      }
    }
    this.options.onUpdate(job);
  }
}

interface FinishExtra {
  readonly result?: unknown;
  readonly error?: { readonly code: string; readonly message: string };
  readonly message?: string;
}

import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { JobDto } from '../../../src-shared/api';
import { JobManager } from '../../../src-main/jobs/job-manager';
import { MemoryJobRecords } from '../../../src-main/jobs/job-records';
import { forkChildProcess } from '../../../src-main/jobs/worker-process';

const workerEntry = path.resolve(__dirname, '../../../dist/main/engine-worker.cjs');

function manager(cancelGraceMs = 3000) {
  const updates: JobDto[] = [];
  const jobs = new JobManager({
    launcher: forkChildProcess,
    workerEntry,
    records: new MemoryJobRecords(),
    onUpdate: (job) => updates.push(job),
    cancelGraceMs,
  });
  return { jobs, updates };
}

async function until(predicate: () => boolean, timeoutMs = 30_000): Promise<void> {
  const start = Date.now();
  while (!predicate()) {
    if (Date.now() - start > timeoutMs) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('the job manager with a real engine worker', () => {
  it('runs the self-test in a worker process, reporting progress up to 100 % and the backend', async () => {
    const { jobs, updates } = manager();
    const job = jobs.start('selftest', { size: 64, repeats: 8 });
    expect(updates[0]).toMatchObject({ id: job.id, state: 'queued' }); // every job passes through the queue
    const done = await jobs.waitFor(job.id);

    expect(done).toMatchObject({ state: 'done', status: 'success', error: null });
    expect(done.progress.fraction).toBe(1);
    const result = done.result as { backend: string; maxAbsError: number; matmul: { msPerMatmul: number } };
    expect(result.backend).toBe('wasm'); // no TensorFlow binding can be installed on these machines
    expect(result.maxAbsError).toBeLessThan(1e-3);
    expect(result.matmul.msPerMatmul).toBeGreaterThan(0);

    const running = updates.filter((u) => u.state === 'running');
    expect(running[0]?.workerPid).toEqual(expect.any(Number));
    const fractions = running.map((u) => u.progress.fraction);
    expect(fractions.some((f) => f > 0 && f < 1)).toBe(true);
    expect([...fractions].sort((a, b) => a - b)).toEqual(fractions); // progress never goes backwards
    expect(running.some((u) => typeof u.progress.metrics['msPerMatmul'] === 'number')).toBe(true);
    expect(running.some((u) => u.progress.etaSeconds !== null)).toBe(true);
  });

  it('cancels a running job cooperatively and frees the worker', async () => {
    const { jobs } = manager();
    const job = jobs.start('selftest', { size: 128, repeats: 1_000_000 });
    await until(() => jobs.get(job.id).progress.step > 3);
    jobs.cancel(job.id);
    const done = await jobs.waitFor(job.id);
    expect(done).toMatchObject({ state: 'done', status: 'cancelled', workerPid: null });
    expect(done.progress.message).toBe('Cancelled');
    expect(done.progress.fraction).toBeLessThan(1);
  });

  it('turns a killed worker into a failed job with a readable message, and keeps running the next job', async () => {
    const { jobs } = manager();
    const doomed = jobs.start('selftest', { size: 128, repeats: 1_000_000 });
    const next = jobs.start('selftest', { size: 32, repeats: 3 });
    await until(() => jobs.get(doomed.id).progress.step > 2);
    expect(jobs.get(next.id).state).toBe('queued'); // one job at a time
    const pid = jobs.get(doomed.id).workerPid;
    expect(pid).toEqual(expect.any(Number));
    process.kill(pid as number, 'SIGKILL'); // what the out-of-memory killer does

    const failed = await jobs.waitFor(doomed.id);
    expect(failed).toMatchObject({ state: 'done', status: 'failure' });
    expect(failed.error?.code).toBe('WORKER_CRASHED');
    expect(failed.error?.message).toMatch(/stopped unexpectedly.*SIGKILL.*project is safe/);
    expect((await jobs.waitFor(next.id)).status).toBe('success');
  });

  it('cancels a queued job without starting it, and refuses to cancel a finished one', async () => {
    const { jobs } = manager();
    const first = jobs.start('selftest', { size: 32, repeats: 5 });
    const second = jobs.start('selftest', { size: 32, repeats: 5 });
    expect(jobs.cancel(second.id)).toMatchObject({ state: 'done', status: 'cancelled', startedAt: null });
    await jobs.waitFor(first.id);
    expect(() => jobs.cancel(first.id)).toThrow(/already finished/);
  });

  it('kills a worker that does not answer Cancel within the grace period', async () => {
    // A worker entry that ignores messages stands in for an engine stuck inside one long kernel.
    const stuck = path.resolve(__dirname, 'fixtures/unresponsive-worker.cjs');
    const jobs = new JobManager({
      launcher: forkChildProcess,
      workerEntry: stuck,
      records: new MemoryJobRecords(),
      onUpdate: () => {},
      cancelGraceMs: 300,
    });
    const job = jobs.start('selftest', {});
    await until(() => jobs.get(job.id).state === 'running');
    const pid = jobs.get(job.id).workerPid as number;
    jobs.cancel(job.id);
    const done = await jobs.waitFor(job.id);
    expect(done.status).toBe('cancelled');
    expect(done.progress.message).toMatch(/did not respond to Cancel/);
    await until(() => {
      try {
        process.kill(pid, 0);
        return false;
      } catch {
        return true;
      }
    }, 5000);
  });
});

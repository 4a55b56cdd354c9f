import { beforeEach, describe, expect, it } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import { flushPromises } from '@vue/test-utils';
import { isNewerJob, useJobsStore } from '../../src-renderer/stores/jobs';
import { useProjectStore } from '../../src-renderer/stores/project';
import { installFakeApi, job, projectSummary, type FakeApi } from './fake-api';

describe('jobs store', () => {
  let fake: FakeApi;

  beforeEach(async () => {
    setActivePinia(createPinia());
    fake = installFakeApi({ 'project:current': () => projectSummary() });
    await useProjectStore().init();
  });

  it('ignores a stale running update that arrives after the job is done', async () => {
    const jobs = useJobsStore();
    jobs.init();
    await flushPromises();

    fake.transport.emit('job:update', job({ id: 1, state: 'running' }, { step: 5, fraction: 0.5 }));
    fake.transport.emit('job:update', job({ id: 1, state: 'done', status: 'success' }, { step: 10, fraction: 1 }));
    fake.transport.emit('job:update', job({ id: 1, state: 'running' }, { step: 9, fraction: 0.9 }));

    expect(jobs.byId[1]?.state).toBe('done');
    expect(jobs.byId[1]?.status).toBe('success');
    expect(jobs.runningCount).toBe(0);
  });

  it('ignores running progress that goes backwards and a queued update after running', () => {
    const jobs = useJobsStore();
    expect(jobs.apply(job({ id: 2, state: 'running' }, { step: 6, fraction: 0.6 }))).toBe(true);
    expect(jobs.apply(job({ id: 2, state: 'running' }, { step: 4, fraction: 0.4 }))).toBe(false);
    expect(jobs.apply(job({ id: 2, state: 'queued' }))).toBe(false);
    expect(jobs.byId[2]?.progress.step).toBe(6);
    expect(jobs.apply(job({ id: 2, state: 'running' }, { step: 7, fraction: 0.7 }))).toBe(true);
    expect(jobs.byId[2]?.progress.step).toBe(7);
  });

  it('does not let an older jobs.list snapshot overwrite newer events', async () => {
    let resolveList: (jobs: ReturnType<typeof job>[]) => void = () => undefined;
    fake.transport.handlers['jobs:list'] = () => new Promise((resolve) => (resolveList = resolve));
    const jobs = useJobsStore();
    jobs.init();
    await flushPromises();
    fake.transport.emit('job:update', job({ id: 3, state: 'done', status: 'cancelled' }));
    resolveList([job({ id: 3, state: 'running' }, { step: 1 }), job({ id: 4, state: 'queued' })]);
    await flushPromises();
    expect(jobs.byId[3]?.state).toBe('done');
    expect(jobs.byId[4]?.state).toBe('queued');
    expect(jobs.list.map((j) => j.id)).toEqual([4, 3]);
  });

  it('keeps a metric history per job and batches chart updates to one per frame', () => {
    const frames: (() => void)[] = [];
    const jobs = useJobsStore();
    jobs.setFrameScheduler((cb) => frames.push(cb));

    for (let step = 1; step <= 3; step++) {
      jobs.apply(job({ id: 5 }, { step, fraction: step / 10, metrics: { msPerMatmul: 10 + step } }));
    }
    expect(jobs.historyOf(5).map((p) => p.metrics['msPerMatmul'])).toEqual([11, 12, 13]);
    expect(frames).toHaveLength(1);
    expect(jobs.historyVersion[5]).toBeUndefined();

    frames.shift()!();
    expect(jobs.historyVersion[5]).toBe(1);

    jobs.apply(job({ id: 5 }, { step: 4, fraction: 0.4, metrics: { msPerMatmul: 9 } }));
    expect(frames).toHaveLength(1);
    frames.shift()!();
    expect(jobs.historyVersion[5]).toBe(2);
  });

  it('starts a self-test and cancels by id through the api', async () => {
    fake.transport.handlers['jobs:start'] = () => job({ id: 8, state: 'queued' });
    fake.transport.handlers['jobs:cancel'] = ({ id }) => job({ id, state: 'done', status: 'cancelled' });
    const jobs = useJobsStore();
    await jobs.startSelftest();
    expect(fake.transport.callsTo('jobs:start')).toEqual([{ kind: 'selftest', params: {} }]);
    expect(jobs.byId[8]?.state).toBe('queued');
    await jobs.cancel(8);
    expect(fake.transport.callsTo('jobs:cancel')).toEqual([{ id: 8 }]);
    expect(jobs.byId[8]?.status).toBe('cancelled');
  });

  it('isNewerJob accepts anything for an unknown job', () => {
    expect(isNewerJob(job({ state: 'running' }), undefined)).toBe(true);
  });
});

describe('jobs store and engine status', () => {
  it('re-reads the engine status when a running self-test succeeds, not for old finished ones', async () => {
    setActivePinia(createPinia());
    const fake = installFakeApi({ 'project:current': () => projectSummary() });
    const jobs = useJobsStore();
    jobs.apply(job({ id: 1, state: 'done', status: 'success' }));
    await flushPromises();
    expect(fake.transport.callsTo('engine:status')).toHaveLength(0);
    jobs.apply(job({ id: 2, state: 'running' }));
    jobs.apply(job({ id: 2, state: 'done', status: 'success' }));
    await flushPromises();
    expect(fake.transport.callsTo('engine:status')).toHaveLength(1);
  });
});

import { beforeEach, describe, expect, it } from 'vitest';
import { createPinia, setActivePinia, type Pinia } from 'pinia';
import { flushPromises, mount } from '@vue/test-utils';
import JobRow from '../../src-renderer/views/jobs/JobRow.vue';
import JobsView from '../../src-renderer/views/jobs/JobsView.vue';
import type { SelftestResult } from '../../src-shared/api/dto';
import { installFakeApi, job, type FakeApi } from './fake-api';

describe('JobRow', () => {
  let pinia: Pinia;
  let fake: FakeApi;

  beforeEach(() => {
    pinia = createPinia();
    setActivePinia(pinia);
    fake = installFakeApi({ 'jobs:cancel': ({ id }) => job({ id, state: 'done', status: 'cancelled' }) });
  });

  it('shows the percentage and a Cancel button that cancels this job', async () => {
    const running = job(
      { id: 7, state: 'running', title: 'Engine self-test' },
      { fraction: 0.424, step: 4, total: 10, etaSeconds: 90, message: 'Timing matrix products' },
    );
    const wrapper = mount(JobRow, { props: { job: running }, global: { plugins: [pinia] } });

    const progress = wrapper.get('[data-testid="job-progress"]');
    expect(progress.attributes('data-percent')).toBe('42');
    expect(progress.text()).toContain('42%');
    expect(wrapper.get('[data-testid="job-status"]').text()).toBe('Running');
    expect(wrapper.get('[data-testid="job-steps"]').text()).toBe('Step 4 of 10');
    expect(wrapper.get('[data-testid="job-eta"]').text()).toBe('about 2 min left');
    expect(wrapper.get('[data-testid="job-message"]').text()).toBe('Timing matrix products');

    await wrapper.get('[data-testid="job-cancel"]').trigger('click');
    await flushPromises();
    expect(fake.transport.callsTo('jobs:cancel')).toEqual([{ id: 7 }]);
  });

  it('has no Cancel button once done and shows the error of a failed job', () => {
    const failed = job(
      { id: 9, state: 'done', status: 'failure', error: { code: 'INTERNAL', message: 'The engine could not load.' } },
      { fraction: 0.3 },
    );
    const wrapper = mount(JobRow, { props: { job: failed }, global: { plugins: [pinia] } });
    expect(wrapper.find('[data-testid="job-cancel"]').exists()).toBe(false);
    expect(wrapper.get('[data-testid="job-status"]').text()).toBe('Failed');
    expect(wrapper.get('[data-testid="job-error"]').text()).toBe('The engine could not load.');
    expect(wrapper.get('[data-testid="job-progress"]').attributes('data-percent')).toBe('30');
  });

  it('shows the backend and timing of a finished self-test', () => {
    const result: SelftestResult = {
      backend: 'wasm',
      attempts: [{ backend: 'tfjs-node', ok: false, reason: 'not installed' }, { backend: 'wasm', ok: true, reason: '' }],
      tfjsVersion: '4.22.0',
      matmul: { size: 256, repeats: 5, msPerMatmul: 12.5, gflops: 2.68 },
      maxAbsError: 0.00001,
    };
    const done = job({ id: 10, state: 'done', status: 'success', result }, { fraction: 1, step: 10 });
    const wrapper = mount(JobRow, { props: { job: done }, global: { plugins: [pinia] } });
    expect(wrapper.get('[data-testid="job-progress"]').attributes('data-percent')).toBe('100');
    expect(wrapper.get('[data-testid="selftest-backend"]').text()).toContain('wasm');
    expect(wrapper.get('[data-testid="selftest-timing"]').text()).toContain('12.5 ms');
    expect(wrapper.get('[data-testid="selftest-timing"]').text()).toContain('256×256');
  });
});

describe('JobsView', () => {
  it('runs the engine self-test and lists the new job', async () => {
    const pinia = createPinia();
    setActivePinia(pinia);
    const fake = installFakeApi({ 'jobs:start': () => job({ id: 1, state: 'queued' }) });
    const wrapper = mount(JobsView, { global: { plugins: [pinia] } });
    expect(wrapper.find('[data-testid="jobs-empty"]').exists()).toBe(true);

    await wrapper.get('[data-testid="run-selftest"]').trigger('click');
    await flushPromises();
    expect(fake.transport.callsTo('jobs:start')).toEqual([{ kind: 'selftest', params: {} }]);
    expect(wrapper.findAll('[data-testid="job-row"]')).toHaveLength(1);
    expect(wrapper.get('[data-testid="job-status"]').text()).toBe('Queued');
  });
});

import { describe, expect, it, vi } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import { flushPromises, mount } from '@vue/test-utils';
import { getInstanceByDom } from 'echarts/core';
import JobRow from '../../src-renderer/views/jobs/JobRow.vue';
import { useJobsStore } from '../../src-renderer/stores/jobs';
import { installFakeApi, job } from './fake-api';

describe('metric chart', () => {
  it('draws the metric history of a job and disposes the chart on unmount', async () => {
    const pinia = createPinia();
    setActivePinia(pinia);
    installFakeApi();
    const jobs = useJobsStore();
    const frames: (() => void)[] = [];
    jobs.setFrameScheduler((cb) => frames.push(cb));
    for (let step = 1; step <= 3; step++) {
      jobs.apply(job({ id: 4 }, { step, fraction: step / 3, metrics: { msPerMatmul: 5 + step } }));
    }
    frames.shift()!();

    const wrapper = mount(JobRow, { props: { job: jobs.byId[4]! }, global: { plugins: [pinia] } });
    // The chart component (and ECharts) is loaded lazily on first use.
    const el = await vi.waitFor(() => wrapper.get('[data-testid="job-chart"]').element as HTMLElement, { timeout: 10_000 });
    expect(wrapper.text()).toContain('ms per matmul by step');
    const chart = getInstanceByDom(el);
    expect(chart).toBeDefined();
    const option = chart!.getOption() as { series: { data: number[][] }[] };
    expect(option.series[0]!.data).toEqual([[1, 6], [2, 7], [3, 8]]);

    jobs.apply(job({ id: 4 }, { step: 4, fraction: 1, metrics: { msPerMatmul: 4 } }));
    frames.shift()!();
    await flushPromises();
    expect((chart!.getOption() as { series: { data: number[][] }[] }).series[0]!.data).toHaveLength(4);

    wrapper.unmount();
    expect(chart!.isDisposed()).toBe(true);
  });
});

import { onBeforeUnmount, onMounted, ref, watch, type Ref, type WatchOptions, type WatchSource } from 'vue';
import { init, type ECharts, type EChartsCoreOption } from 'echarts/core';

/**
 * The lifecycle every chart shares: an SVG ECharts instance created on the element once mounted, redrawn from
 * `buildOption` whenever `source` changes (callers pass the watch options they need, e.g. `deep`), resized with its
 * element and disposed on unmount. Each chart registers its own ECharts modules with `use()` and binds the returned ref
 * to its canvas element (`ref="el"`). `onInit` receives the instance once created, for charts that listen to its events
 * (dataZoom on the scan track).
 */
export function useEchart(
  buildOption: () => EChartsCoreOption,
  source: WatchSource,
  options?: WatchOptions,
  onInit?: (chart: ECharts) => void,
): Ref<HTMLDivElement | null> {
  const el = ref<HTMLDivElement | null>(null);
  let chart: ECharts | null = null;
  let resizeObserver: ResizeObserver | null = null;

  function render(): void {
    chart?.setOption(buildOption(), { notMerge: true });
  }

  onMounted(() => {
    if (el.value === null) return;
    chart = init(el.value, undefined, { renderer: 'svg' });
    onInit?.(chart);
    render();
    if (typeof ResizeObserver !== 'undefined') {
      resizeObserver = new ResizeObserver(() => chart?.resize());
      resizeObserver.observe(el.value);
    }
  });

  watch(source, () => render(), options);

  onBeforeUnmount(() => {
    resizeObserver?.disconnect();
    resizeObserver = null;
    chart?.dispose();
    chart = null;
  });

  return el;
}

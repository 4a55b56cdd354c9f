import { onBeforeUnmount, onMounted, watch, type ComponentPublicInstance, type WatchOptions, type WatchSource } from 'vue';
import { init, type ECharts, type EChartsCoreOption } from 'echarts/core';

/**
 * The lifecycle every chart shares: an SVG ECharts instance created on the element once mounted, redrawn from
 * `buildOption` whenever `source` changes (callers pass the watch options they need, e.g. `deep`), resized with its
 * element and disposed on unmount. Each chart registers its own ECharts modules with `use()` and binds the returned
 * function ref to its canvas element (`ChartFrame`'s `canvas`, or `:ref="canvas"`). `onInit` receives the instance once
 * created, for charts that listen to its events (dataZoom on the scan track).
 */
export function useEchart(
  buildOption: () => EChartsCoreOption,
  source: WatchSource,
  options?: WatchOptions,
  onInit?: (chart: ECharts) => void,
): (el: Element | ComponentPublicInstance | null) => void {
  let canvas: HTMLDivElement | null = null;
  let chart: ECharts | null = null;
  let resizeObserver: ResizeObserver | null = null;

  function render(): void {
    chart?.setOption(buildOption(), { notMerge: true });
  }

  onMounted(() => {
    const el = canvas;
    if (el === null) return;
    chart = init(el, undefined, { renderer: 'svg' });
    onInit?.(chart);
    render();
    if (typeof ResizeObserver !== 'undefined') {
      resizeObserver = new ResizeObserver(() => chart?.resize());
      resizeObserver.observe(el);
    }
  });

  watch(source, () => render(), options);

  onBeforeUnmount(() => {
    resizeObserver?.disconnect();
    resizeObserver = null;
    chart?.dispose();
    chart = null;
  });

  return (el) => {
    canvas = el instanceof HTMLDivElement ? el : null;
  };
}

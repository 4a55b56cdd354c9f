/**
 * Charts for PDF reports, drawn by ECharts' server-side renderer straight to SVG strings (no DOM, no canvas), which
 * pdfmake embeds as vectors. The same library draws the app's charts, so a report looks like the screen.
 */
import { createRequire } from 'node:module';
import type * as Echarts from 'echarts';

/**
 * ECharts (and pdfmake) take about a second to load; they are loaded on the first report, not when the app or the
 * CLI starts.
 */
let echarts: typeof Echarts | null = null;

/**
 * require, not import(): ECharts' CommonJS build works the same from node_modules, from app.asar and under the test
 * runner, where a dynamic import would pick its ES build (and ES modules inside app.asar are not reliable).
 */
export const loadPackage = createRequire(__filename);

export function loadChartEngine(): void {
  echarts ??= loadPackage('echarts') as typeof Echarts;
}

export interface ChartSize {
  readonly width: number;
  readonly height: number;
}

const PALETTE = ['#3b6fb6', '#d9822b', '#2e9e6a', '#b8423a', '#7b5ea7', '#6b7785'];
const FONT = { fontFamily: 'Helvetica', fontSize: 10, color: '#333' };

/** One ECharts option in, one SVG document out. */
export function renderChartSvg(option: Record<string, unknown>, size: ChartSize): string {
  if (!echarts) throw new Error('loadChartEngine() must be awaited before drawing charts.');
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: size.width, height: size.height });
  try {
    chart.setOption({ animation: false, color: PALETTE, textStyle: FONT, ...option });
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

const title = (text: string): Record<string, unknown> => ({ text, left: 'center', top: 4, textStyle: { ...FONT, fontSize: 12, fontWeight: 'bold' } });
const axis = (name: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  type: 'value',
  name,
  nameLocation: 'middle',
  nameGap: 28,
  nameTextStyle: FONT,
  axisLabel: FONT,
  splitLine: { lineStyle: { color: '#e4e4e4' } },
  ...extra,
});

export interface LineSeries {
  readonly name: string;
  readonly points: readonly (readonly [number, number])[];
  readonly dashed?: boolean;
}

/** A few named x/y lines (ROC and PR curves, loss per epoch). */
export function lineChart(
  spec: { title: string; xName: string; yName: string; series: readonly LineSeries[]; xRange?: [number, number]; yRange?: [number, number] },
  size: ChartSize,
): string {
  const range = (r: [number, number] | undefined): Record<string, unknown> => (r ? { min: r[0], max: r[1] } : { scale: true });
  return renderChartSvg(
    {
      title: title(spec.title),
      legend: { bottom: 0, textStyle: FONT },
      grid: { left: 52, right: 16, top: 34, bottom: 56 },
      xAxis: axis(spec.xName, range(spec.xRange)),
      yAxis: axis(spec.yName, { ...range(spec.yRange), nameGap: 38 }),
      series: spec.series.map((s) => ({
        type: 'line',
        name: s.name,
        data: s.points.map((p) => [p[0], p[1]]),
        showSymbol: s.points.length <= 30,
        symbolSize: 4,
        lineStyle: { width: 1.5, ...(s.dashed === true ? { type: 'dashed', color: '#999' } : {}) },
        ...(s.dashed === true ? { itemStyle: { color: '#999' } } : {}),
      })),
    },
    size,
  );
}

/** Grouped bars with mean ± sd whiskers: one group per category (metric), one bar per series (arm). */
export function errorBarChart(
  spec: { title: string; categories: readonly string[]; series: readonly { name: string; mean: readonly number[]; sd: readonly number[] }[]; yName: string },
  size: ChartSize,
): string {
  const n = spec.series.length;
  const series: Record<string, unknown>[] = [];
  spec.series.forEach((s, si) => {
    series.push({ type: 'bar', name: s.name, data: s.mean.map((v) => (Number.isFinite(v) ? v : null)), barGap: '10%', barCategoryGap: '30%' });
    series.push({
      type: 'custom',
      name: s.name,
      z: 10,
      data: s.mean.map((m, i) => [i, m - (s.sd[i] ?? 0), m + (s.sd[i] ?? 0)]),
      // Each whisker sits over its bar: the category band split in n bars with the gaps the bar series uses.
      renderItem: (_params: unknown, api: { value(i: number): number; coord(p: [number, number]): number[]; size(p: [number, number]): number[] }) => {
        const cat = api.value(0);
        const low = api.coord([cat, api.value(1)]);
        const high = api.coord([cat, api.value(2)]);
        const band = api.size([1, 0])[0] ?? 0;
        const barBand = (band * 0.7) / n;
        const x = (low[0] ?? 0) - (band * 0.7) / 2 + barBand * (si + 0.5);
        const cap = Math.min(6, barBand / 3);
        const style = { stroke: '#222', lineWidth: 1 };
        return {
          type: 'group',
          children: [
            { type: 'line', shape: { x1: x, y1: low[1], x2: x, y2: high[1] }, style },
            { type: 'line', shape: { x1: x - cap, y1: low[1], x2: x + cap, y2: low[1] }, style },
            { type: 'line', shape: { x1: x - cap, y1: high[1], x2: x + cap, y2: high[1] }, style },
          ],
        };
      },
    });
  });
  return renderChartSvg(
    {
      title: title(spec.title),
      legend: { bottom: 0, textStyle: FONT, data: spec.series.map((s) => s.name) },
      grid: { left: 52, right: 16, top: 34, bottom: 48 },
      xAxis: { type: 'category', data: [...spec.categories], axisLabel: FONT },
      yAxis: axis(spec.yName, { nameGap: 38, scale: false }),
      series,
    },
    size,
  );
}

/** Labelled bars, coloured by sign (variant effects). */
export function signedBarChart(spec: { title: string; labels: readonly string[]; values: readonly number[]; yName: string }, size: ChartSize): string {
  return renderChartSvg(
    {
      title: title(spec.title),
      grid: { left: 56, right: 16, top: 34, bottom: 70 },
      xAxis: { type: 'category', data: [...spec.labels], axisLabel: { ...FONT, fontSize: 8, rotate: 45, interval: 0 } },
      yAxis: axis(spec.yName, { nameGap: 42 }),
      series: [
        {
          type: 'bar',
          data: spec.values.map((v) => ({ value: v, itemStyle: { color: v >= 0 ? '#b8423a' : '#3b6fb6' } })),
        },
      ],
    },
    size,
  );
}

export interface TrackInterval {
  readonly start: number;
  readonly end: number;
  readonly label: string;
}

/**
 * A score track along a region, with the called regions and the annotated sites drawn as two lanes beneath it on the
 * same coordinate axis, so a reader sees at a glance which peaks match an annotation.
 */
export function trackChart(
  spec: {
    title: string;
    start: number;
    end: number;
    positions: readonly number[];
    forward: readonly number[];
    reverse: readonly number[] | null;
    threshold: number;
    calls: readonly TrackInterval[];
    sites: readonly TrackInterval[];
    chrom: string;
  },
  size: ChartSize,
): string {
  const lanes = ['annotation', 'calls'];
  const intervalSeries = (lane: number, items: readonly TrackInterval[], color: string): Record<string, unknown> => ({
    type: 'custom',
    xAxisIndex: 1,
    yAxisIndex: 1,
    data: items.map((it) => [it.start, it.end, lane]),
    renderItem: (_p: unknown, api: { value(i: number): number; coord(p: [number, number]): number[]; size(p: [number, number]): number[] }) => {
      const from = api.coord([api.value(0), api.value(2)]);
      const to = api.coord([api.value(1), api.value(2)]);
      const h = (api.size([0, 1])[1] ?? 10) * 0.6;
      // At least a pixel wide: a 200 bp call on a 2 Mb region would otherwise vanish.
      const width = Math.max(1, (to[0] ?? 0) - (from[0] ?? 0));
      return { type: 'rect', shape: { x: from[0], y: (from[1] ?? 0) - h / 2, width, height: h }, style: { fill: color } };
    },
  });
  const series: Record<string, unknown>[] = [
    { type: 'line', name: 'forward strand', data: spec.positions.map((p, i) => [p, spec.forward[i] ?? null]), showSymbol: false, lineStyle: { width: 1 } },
  ];
  if (spec.reverse) {
    series.push({ type: 'line', name: 'reverse strand', data: spec.positions.map((p, i) => [p, spec.reverse?.[i] ?? null]), showSymbol: false, lineStyle: { width: 1 } });
  }
  series.push({
    type: 'line',
    name: `threshold ${spec.threshold}`,
    data: [
      [spec.start, spec.threshold],
      [spec.end, spec.threshold],
    ],
    showSymbol: false,
    lineStyle: { type: 'dashed', color: '#999', width: 1 },
    itemStyle: { color: '#999' },
  });
  series.push(intervalSeries(1, spec.calls, '#b8423a'));
  series.push(intervalSeries(0, spec.sites, '#2e9e6a'));
  const xAxis = (index: number): Record<string, unknown> => ({
    type: 'value',
    gridIndex: index,
    min: spec.start,
    max: spec.end,
    axisLabel: index === 1 ? { ...FONT, formatter: (v: number) => v.toLocaleString('en') } : { show: false },
    ...(index === 1 ? { name: `${spec.chrom} position`, nameLocation: 'middle', nameGap: 24, nameTextStyle: FONT } : {}),
    splitLine: { show: false },
  });
  return renderChartSvg(
    {
      title: title(spec.title),
      legend: { top: 20, textStyle: FONT, data: series.filter((s) => s['type'] === 'line').map((s) => String(s['name'])) },
      grid: [
        { left: 70, right: 16, top: 44, height: size.height - 44 - 90 },
        { left: 70, right: 16, height: 40, bottom: 36 },
      ],
      xAxis: [xAxis(0), xAxis(1)],
      yAxis: [
        axis('score', { gridIndex: 0, min: 0, max: 1, nameGap: 34 }),
        { type: 'category', gridIndex: 1, data: lanes, axisLabel: FONT, axisTick: { show: false } },
      ],
      series,
    },
    size,
  );
}

const fmtSigned = (v: number): string => `${v > 0 ? '+' : ''}${v.toPrecision(2)}`;

/** The in-silico mutagenesis map: one row per alternative base, one column per position, the sequence beneath. */
export function ismHeatmap(spec: { title: string; sequence: string; ism: readonly (readonly number[])[] }, size: ChartSize): string {
  const bases = ['A', 'C', 'G', 'T'];
  const data: [number, number, number][] = [];
  let extent = 0;
  spec.ism.forEach((row, pos) =>
    row.forEach((v, b) => {
      data.push([pos, b, v]);
      extent = Math.max(extent, Math.abs(v));
    }),
  );
  const positions = [...spec.sequence].map((base, i) => `${base}`.concat(i % 10 === 9 ? `\n${i + 1}` : ''));
  return renderChartSvg(
    {
      title: title(spec.title),
      grid: { left: 36, right: 16, top: 34, bottom: 70 },
      xAxis: { type: 'category', data: positions, axisLabel: { ...FONT, fontSize: spec.sequence.length > 120 ? 5 : 7, interval: 0 }, splitArea: { show: false } },
      yAxis: { type: 'category', data: bases, axisLabel: FONT },
      visualMap: {
        min: -(extent || 1),
        max: extent || 1,
        calculable: false,
        orient: 'horizontal',
        left: 'center',
        bottom: 0,
        itemHeight: 120,
        itemWidth: 10,
        textStyle: FONT,
        text: [fmtSigned(extent || 1), fmtSigned(-(extent || 1))],
        inRange: { color: ['#3b6fb6', '#f7f7f7', '#b8423a'] },
      },
      series: [{ type: 'heatmap', data }],
    },
    size,
  );
}

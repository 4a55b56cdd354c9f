import type { LineSeriesOption } from 'echarts/charts';
import type { LegendComponentOption, TooltipComponentOption } from 'echarts/components';
import type { LineSeries } from './types';

/**
 * The look every chart shares: colours and the option blocks (tooltip, legend, axis titles, lines) that were written
 * out in each chart alike. Pure functions returning plain ECharts option objects; each chart composes them.
 */

/** Calm colours that stay apart for the first series; charts cycle through the first `cycle` of them. */
export const PALETTE = ['#2563a8', '#d9822b', '#1f7a44', '#b3261e', '#7b4fa6', '#0f8b8d', '#8a5a00', '#5b6775'] as const;
/** The first colour: single lines, and the fallback. */
export const PRIMARY = PALETTE[0];
/** Grey for guides drawn behind the data (chance diagonal, phase marks, sites far from a call). */
export const GUIDE_COLOR = '#9aa5b1';

/** The palette's first `cycle` colours (charts with few series keep a shorter cycle). */
export function palette(cycle: number = PALETTE.length): string[] {
  return PALETTE.slice(0, cycle);
}

/** Colour `index` of a palette cycling through its first `cycle` colours. */
export function paletteColor(index: number, cycle: number = PALETTE.length): string {
  return PALETTE[index % cycle] ?? PRIMARY;
}

/** Numbers in tooltips with three decimals; anything else as text. */
export function formatValue(v: unknown): string {
  return typeof v === 'number' ? v.toFixed(3) : String(v);
}

/**
 * A tooltip for the whole x position: `shadow` shades the category (bar charts); values with three decimals unless
 * `threeDecimals` is false (counts, or lines whose values read fine as they are).
 */
export function axisTooltip({ shadow = false, threeDecimals = true }: { shadow?: boolean; threeDecimals?: boolean } = {}): TooltipComponentOption {
  return {
    trigger: 'axis',
    ...(shadow ? { axisPointer: { type: 'shadow' } } : {}),
    ...(threeDecimals ? { valueFormatter: formatValue } : {}),
  };
}

/** The legend along the top edge. */
export function topLegend(extra: Omit<LegendComponentOption, 'top' | 'type'> = {}): LegendComponentOption {
  return { top: 0, type: 'plain', ...extra };
}

/** An axis title centred along the axis, `gap` pixels from it. */
export function axisTitle(name: string | undefined, gap: number): { name: string; nameLocation: 'middle'; nameGap: number } {
  return { name: name ?? '', nameLocation: 'middle', nameGap: gap };
}

/** A line's stroke: 2 px unless said, dashed when asked. */
export function lineStyle(color: string, dashed = false, width = 2): NonNullable<LineSeriesOption['lineStyle']> {
  return { width, color, ...(dashed ? { type: 'dashed' as const } : {}) };
}

/** One `LineSeries` drawn as a line in `color`, with markers when it has few points (or when it asks for them). */
export function lineSeries(s: LineSeries, color: string): LineSeriesOption {
  return {
    type: 'line',
    name: s.name,
    data: s.points.map((p) => [p[0], p[1]]),
    showSymbol: s.symbols ?? s.points.length < 40,
    symbolSize: 6,
    lineStyle: lineStyle(color, s.dashed),
    itemStyle: { color },
  };
}

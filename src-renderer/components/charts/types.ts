/** One named row of values of a bar chart (a class, across the categories). */
export interface BarSeries {
  readonly name: string;
  readonly data: readonly number[];
}

/** One line: points as [x, y]. */
export interface LineSeries {
  readonly name: string;
  readonly points: readonly (readonly [number, number])[];
  readonly color?: string;
  readonly dashed?: boolean;
  /** Draw a marker at every point (default: when there are few). */
  readonly symbols?: boolean;
  /** A staircase (PR curves). */
  readonly step?: boolean;
}

/** One group of bars with error bars: a mean and a standard deviation per category. */
export interface ErrorBarSeries {
  readonly name: string;
  readonly mean: readonly (number | null)[];
  readonly sd: readonly (number | null)[];
}

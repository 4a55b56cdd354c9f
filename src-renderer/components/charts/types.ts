/** One named row of values of a bar chart (a class, across the categories). */
export interface BarSeries {
  readonly name: string;
  readonly data: readonly number[];
}

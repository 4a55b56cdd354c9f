/** Reports for the lab notebook: CSV of any table, PDF of a run, a compare experiment or a prediction record. */

/** What a PDF report is about. */
export type ReportSubject =
  | { readonly kind: 'run'; readonly runId: number }
  | { readonly kind: 'compare'; readonly compareId: number }
  /** A prediction record of any kind: predict, scan, variants, explain. */
  | { readonly kind: 'prediction'; readonly predictionId: number };

/** Which table a CSV export holds. */
export type CsvTable =
  | { readonly kind: 'prediction-rows'; readonly predictionId: number }
  | { readonly kind: 'scan-calls'; readonly predictionId: number }
  | { readonly kind: 'variant-rows'; readonly predictionId: number }
  | { readonly kind: 'run-history'; readonly runId: number }
  | { readonly kind: 'run-metrics'; readonly runId: number }
  | { readonly kind: 'compare-table'; readonly compareId: number }
  | { readonly kind: 'models' }
  | { readonly kind: 'runs' };

export interface CsvOptions {
  /** A UTF-8 byte order mark, which spreadsheet programs need to read non-ASCII text correctly. */
  readonly bom?: boolean;
  readonly delimiter?: ',' | '\t' | ';';
}

export interface ReportFile {
  readonly path: string;
  readonly bytes: number;
  /** PDF: pages; CSV: data rows. */
  readonly count: number;
}

/** A report written earlier, listed on the Reports page. */
export interface ReportRecord {
  readonly path: string;
  readonly format: 'pdf' | 'csv';
  readonly title: string;
  readonly createdAt: string;
  readonly bytes: number;
}

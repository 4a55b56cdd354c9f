/** Dataset import and browsing: shapes that cross the boundary. */

export const IMPORT_FORMATS = ['auto', 'fasta', 'csv', 'tsv', 'bed', 'dnabert-tsv'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

/** Where a record's class comes from. */
export type LabelSource =
  | { readonly from: 'none' }
  /** One class per file (FASTA one file per class, genomic-benchmarks folders); map of file path -> label. */
  | { readonly from: 'file'; readonly labels: Readonly<Record<string, string>> }
  /** A regular expression on the FASTA header; its first capture group (or whole match) is the label. */
  | { readonly from: 'header-regex'; readonly pattern: string }
  /** A CSV/TSV column (by header name, or 1-based index when there is no header). */
  | { readonly from: 'column'; readonly column: string }
  /** The BED name field (column 4). */
  | { readonly from: 'bed-name' };

export type SplitRule =
  /** Keep the splits the files carry (train/dev/test files or folders). */
  | { readonly mode: 'given' }
  /** Seeded stratified random split. Fractions sum to 1. */
  | { readonly mode: 'random'; readonly seed: number; readonly train: number; readonly validation: number; readonly test: number }
  /** BED imports: whole chromosomes go to validation/test (no positional leakage). */
  | { readonly mode: 'chromosome'; readonly validation: readonly string[]; readonly test: readonly string[] };

export interface ImportOptions {
  /** Files or folders (a genomic-benchmarks folder, or a folder of `<split>.csv.gz`). */
  readonly paths: readonly string[];
  readonly format: ImportFormat;
  readonly name: string;
  readonly description?: string;
  readonly labels: LabelSource;
  /** CSV/TSV: the sequence column (header name, or 1-based index). Default: a column named sequence/seq. */
  readonly sequenceColumn?: string;
  /** CSV/TSV: whether the first line is a header; 'auto' sniffs it. */
  readonly header?: 'auto' | 'yes' | 'no';
  /** BED: the reference FASTA (plain or bgzip; .fai/.gzi used when present, built when absent). */
  readonly reference?: string;
  /** BED: add this many bases on each side. */
  readonly flank?: number;
  /** BED: resize every interval around its centre to this length (applied after flank). */
  readonly resizeTo?: number;
  /** BED: reverse-complement intervals on the minus strand (default true). */
  readonly reverseComplementMinus?: boolean;
  /** IUPAC ambiguity codes other than N: reject the import, turn them into N, or drop the records that have them. */
  readonly ambiguous: 'reject' | 'to-n' | 'drop-record';
  /** Characters that are not DNA at all: reject the import, or drop the records that have them. */
  readonly invalid: 'reject' | 'drop-record';
  readonly minLength?: number;
  readonly maxLength?: number;
  /** Exact duplicates within one split. */
  readonly duplicates: 'keep' | 'drop';
  /** Exact duplicates across splits (train/test leakage): keep, or drop them from the training side. */
  readonly leakage: 'keep' | 'drop-from-train';
  readonly split: SplitRule;
}

export type ImportIssueKind =
  | 'invalid-character'
  | 'ambiguous-base'
  | 'empty-record'
  | 'too-short'
  | 'too-long'
  | 'duplicate'
  | 'leakage'
  | 'class-imbalance'
  | 'no-label';

export interface ImportIssue {
  readonly kind: ImportIssueKind;
  readonly severity: 'error' | 'warning';
  readonly file: string;
  /** 1-based line in the file (0 when the issue concerns the whole dataset). */
  readonly line: number;
  /** 1-based column for character problems. */
  readonly column?: number;
  readonly message: string;
}

export interface LengthSummary {
  readonly min: number;
  readonly median: number;
  readonly max: number;
  readonly mean: number;
}

export interface HistogramBin {
  readonly start: number;
  readonly end: number;
  readonly count: number;
}

/** What a validation pass found; shown before anything is stored. */
export interface ImportReport {
  readonly records: number;
  readonly bytes: number;
  readonly files: readonly { readonly path: string; readonly bytes: number; readonly records: number }[];
  /** The first issues of each kind (capped), and how many there are in all. */
  readonly issues: readonly ImportIssue[];
  readonly issueCounts: Readonly<Partial<Record<ImportIssueKind, number>>>;
  /** Records that would be stored with the chosen options. */
  readonly accepted: number;
  readonly dropped: number;
  /** True when an error with policy 'reject' was found: importing would be refused. */
  readonly blocked: boolean;
  readonly lengths: LengthSummary;
  readonly counts: Readonly<Record<string, Readonly<Record<string, number>>>>;
}

/** The first records of the input and what was detected, for the wizard's preview and mapping step. */
export interface ImportPreview {
  readonly format: Exclude<ImportFormat, 'auto'>;
  readonly sources: readonly { readonly path: string; readonly format: Exclude<ImportFormat, 'auto'>; readonly split: string | null; readonly label: string | null; readonly bytes: number }[];
  /** CSV/TSV: the header (or generated names col1..n) and whether a header was detected. */
  readonly columns: readonly string[];
  readonly hasHeader: boolean;
  readonly records: readonly { readonly id: string; readonly sequence: string; readonly label: string | null; readonly split: string | null; readonly line: number }[];
  /** Options the wizard starts from. */
  readonly suggested: ImportOptions;
}

export interface DatasetSummary {
  readonly id: number;
  readonly name: string;
  readonly description: string;
  readonly createdAt: string;
  /** SHA-256 of the canonical form (sorted by split, then record order: split TAB label TAB sequence LF). */
  readonly contentHash: string;
  readonly records: number;
  readonly classes: readonly string[];
  readonly splits: readonly string[];
  readonly counts: Readonly<Record<string, Readonly<Record<string, number>>>>;
  readonly lengths: LengthSummary;
  readonly sources: readonly { readonly path: string; readonly bytes: number }[];
  readonly options: ImportOptions;
  /** e.g. "given splits" or "random stratified 80/10/10, seed 42". */
  readonly splitDescription: string;
  readonly licence: string;
  /** Bytes the stored sequences take in the project. */
  readonly storedBytes: number;
}

export interface DatasetStats {
  readonly lengthHistogram: readonly HistogramBin[];
  readonly gcHistogram: readonly HistogramBin[];
  /** Most frequent k-mers (k = 6 by default) over all records. */
  readonly topKmers: readonly { readonly kmer: string; readonly count: number }[];
  readonly kmerK: number;
}

export interface DatasetDetail extends DatasetSummary {
  readonly stats: DatasetStats;
}

export interface DatasetRecord {
  readonly index: number;
  readonly id: string;
  readonly split: string;
  readonly label: string;
  readonly length: number;
  readonly gc: number | null;
  readonly sequence: string;
}

export interface DatasetRecordsQuery {
  readonly id: number;
  readonly split?: string;
  readonly label?: string;
  /** Upper-case substring of the sequence, or part of the record id. */
  readonly search?: string;
  readonly offset?: number;
  readonly limit?: number;
}

export interface DatasetRecordsPage {
  readonly total: number;
  readonly records: readonly DatasetRecord[];
}

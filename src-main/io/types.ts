/**
 * The contract between the readers (src-main/io) and the import pipeline (src-main/datasets). Readers turn files into
 * records and report format errors; deciding what is valid DNA, what to drop and how to split is the pipeline's job.
 */
import type { ImportFormat } from '../../src-shared/api';

export type ConcreteFormat = Exclude<ImportFormat, 'auto'>;

/** One record as found in a file, before validation. */
export interface RawRecord {
  /** FASTA header (without '>'), CSV row id or `row<N>`, BED `chrom:start-end(strand)`, ... */
  readonly id: string;
  /** Bases as in the file (line breaks and surrounding whitespace removed; case and letters untouched). */
  readonly sequence: string;
  /** Class from the file itself (label column, header regex, BED name, or the file's fixed label), or null. */
  readonly label: string | null;
  /** Split from the layout (train/dev/test file or folder names), or null. */
  readonly split: string | null;
  readonly file: string;
  /** 1-based line where the record starts. */
  readonly line: number;
  /** BED records: the chromosome, for chromosome splits. */
  readonly chrom?: string;
}

/** How to read one file. Produced by `detectSources` (which expands folders) or by the wizard's choices. */
export interface SourceSpec {
  readonly path: string;
  readonly format: ConcreteFormat;
  /** A fixed label for every record of this file (one class per file). */
  readonly label?: string;
  /** A fixed split for every record of this file. */
  readonly split?: string;
  /** FASTA: regular expression on the header; capture group 1 (or the match) is the label. */
  readonly headerLabelPattern?: string;
  /** CSV/TSV: header name or 1-based index. */
  readonly sequenceColumn?: string;
  readonly labelColumn?: string;
  /** CSV/TSV: a column holding the split (e.g. `split`), when the file carries one. */
  readonly splitColumn?: string;
  readonly header?: 'auto' | 'yes' | 'no';
  /** BED */
  readonly reference?: string;
  readonly flank?: number;
  readonly resizeTo?: number;
  readonly reverseComplementMinus?: boolean;
  /** BED: use the name column as the label. */
  readonly labelFromName?: boolean;
}

export interface ReadProgress {
  /** Compressed bytes consumed from the file so far (what the progress bar can compare with the file size). */
  readonly bytesRead: number;
  readonly totalBytes: number;
}

/**
 * A format error with its place: the message names the file, the line (and column when known) and the problem,
 * e.g. "promoters.csv, line 12: missing the label column 'label' (the row has 1 field)".
 */
export class ImportError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly problem: string,
    readonly column?: number,
  ) {
    super(`${file}${line > 0 ? `, line ${line}` : ''}${column !== undefined ? `, column ${column}` : ''}: ${problem}`);
    this.name = 'ImportError';
  }
}

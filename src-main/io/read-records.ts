/**
 * One entry point for every format: `readRecords(spec)` streams the records of one file. It never holds the whole
 * file: records come out as the file is read, so the pipeline can validate and store a multi-GB FASTA in constant
 * memory.
 */
import type { CancelSignal } from './cancel';
import { readBed } from './bed-reader';
import { readDelimited } from './delimited-reader';
import { readDnabert } from './dnabert-reader';
import { readFasta, readFastaBatches } from './fasta-reader';
import type { ReadContext } from './read-chunks';
import { batchRecords, type RecordBatch } from './record-batch';
import type { RawRecord, ReadProgress, SourceSpec } from './types';

/**
 * The records of `spec.path`, read as `spec.format`.
 *
 * - `onProgress` is called about every 1 MB of the file as stored (compressed bytes for .gz), and once at the end.
 * - `signal`: set `signal.cancelled = true` to stop; the reader notices before its next chunk (or BED interval) and
 *   throws an Error whose `name` is 'CancelledError' (see `isCancelledError`).
 * - Format problems throw `ImportError`, whose message names the file, the line and the problem.
 * - Labels: a per-record source (CSV `labelColumn`, FASTA `headerLabelPattern`, DNABERT label field, BED name with
 *   `labelFromName`) wins over the file's fixed `label`; split: a CSV `splitColumn` value wins over `split`.
 */
export function readRecords(
  spec: SourceSpec,
  onProgress?: (p: ReadProgress) => void,
  signal?: CancelSignal,
): AsyncGenerator<RawRecord> {
  const ctx: ReadContext = { onProgress, signal };
  switch (spec.format) {
    case 'fasta':
      return readFasta(spec, ctx);
    case 'csv':
    case 'tsv':
      return readDelimited({ ...spec, format: spec.format }, ctx);
    case 'dnabert-tsv':
      return readDnabert(spec, ctx);
    case 'bed':
      return readBed(spec, ctx);
  }
}

/**
 * The same records as `readRecords`, in batches with the sequences as bytes (see record-batch.ts): what the import
 * pipeline reads. FASTA has a byte-level batch reader; the other formats are grouped from `readRecords`.
 */
export function readRecordBatches(
  spec: SourceSpec,
  onProgress?: (p: ReadProgress) => void,
  signal?: CancelSignal,
): AsyncGenerator<RecordBatch> {
  if (spec.format === 'fasta') return readFastaBatches(spec, { onProgress, signal });
  return batchRecords(readRecords(spec, onProgress, signal));
}

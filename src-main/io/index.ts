/** Streaming readers: files (FASTA, CSV/TSV, DNABERT k-mer TSV, BED + reference) to raw records. */
export * from './types';
export { CancelledError, isCancelledError, type CancelSignal } from './cancel';
export { readRecords, readRecordBatches } from './read-records';
export { RecordBatch, batchRecords } from './record-batch';
export { detectSources, splitFromFileName, SPLIT_NAMES, LABEL_COLUMN_NAMES } from './detect-sources';
export { previewRecords, type RecordPreview } from './preview-records';
export { sniffFormat, formatFromLines, stemOf, type SniffResult } from './sniff-format';
export { inspectTable } from './delimited-reader';
export { resolveTableLayout, type TableLayout } from './table-layout';
export { kmersToSequence } from './dnabert-reader';
export { extractionWindow, parseBedLine, type BedInterval } from './bed-intervals';
export { FastaReference, clearReferenceIndexCache, compressionOf } from './reference';
export { looksLikeDna } from './dna-like';

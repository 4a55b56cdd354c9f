import fs from 'node:fs';
import path from 'node:path';
import type { ImportFormat, ImportOptions } from '../../src-shared/api';
import { detectSources, previewRecords, readRecordBatches, readRecords } from '../io';
import type { RecordBatch } from '../io/record-batch';
import type { CancelSignal } from '../io/cancel';
import type { ConcreteFormat, RawRecord, ReadProgress, SourceSpec } from '../io/types';

/**
 * What the import pipeline needs of the readers (src-main/io). Passed in rather than imported so that the pipeline
 * can be exercised with a small stand-in reader, and so that the readers stay the only code that parses formats.
 */
export interface DetectedSources {
  readonly sources: readonly SourceSpec[];
  readonly format: ConcreteFormat;
}

export interface PreviewedRecords {
  readonly records: readonly RawRecord[];
  readonly columns: readonly string[];
  readonly hasHeader: boolean;
}

export interface DatasetIo {
  detectSources(paths: readonly string[], formatHint?: ImportFormat): DetectedSources | Promise<DetectedSources>;
  readRecords(spec: SourceSpec, onProgress?: (progress: ReadProgress) => void, signal?: CancelSignal): AsyncIterable<RawRecord>;
  /** The same records in batches, sequences as bytes (the import's fast path); when absent, `readRecords` is batched. */
  readRecordBatches?(spec: SourceSpec, onProgress?: (progress: ReadProgress) => void, signal?: CancelSignal): AsyncIterable<RecordBatch>;
  previewRecords(sources: readonly SourceSpec[], n: number): PreviewedRecords | Promise<PreviewedRecords>;
}

/** The real readers. */
export const fileIo: DatasetIo = { detectSources, readRecords, readRecordBatches, previewRecords };

/** Size of a file on disk, 0 when it cannot be read (the reader then reports why). */
export function fileBytes(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
}

/** The sources to read for these options: what detection found, with the user's choices laid over it. */
export async function sourcesFor(options: ImportOptions, io: DatasetIo): Promise<DetectedSources> {
  const paths = options.paths.map((p) => path.resolve(p));
  const detected = await io.detectSources(paths, options.format);
  const labels = options.labels;
  const sources = detected.sources.map((spec): SourceSpec => {
    let s: SourceSpec = { ...spec };
    switch (labels.from) {
      case 'file': {
        const label = labels.labels[spec.path] ?? labels.labels[path.basename(spec.path)] ?? spec.label;
        s = { ...s, ...(label === undefined ? {} : { label }) };
        break;
      }
      case 'header-regex':
        s = { ...s, headerLabelPattern: labels.pattern };
        break;
      case 'column':
        s = { ...s, labelColumn: labels.column };
        break;
      case 'bed-name':
        s = { ...s, labelFromName: true };
        break;
      case 'none':
        break;
    }
    return {
      ...s,
      ...(options.sequenceColumn === undefined ? {} : { sequenceColumn: options.sequenceColumn }),
      ...(options.header === undefined ? {} : { header: options.header }),
      ...(options.reference === undefined ? {} : { reference: path.resolve(options.reference) }),
      ...(options.flank === undefined ? {} : { flank: options.flank }),
      ...(options.resizeTo === undefined ? {} : { resizeTo: options.resizeTo }),
      ...(options.reverseComplementMinus === undefined ? {} : { reverseComplementMinus: options.reverseComplementMinus }),
    };
  });
  return { sources, format: detected.format };
}

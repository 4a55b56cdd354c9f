/**
 * The first records of a set of sources, for the import wizard's preview and column-mapping step. Each source gets
 * its share of the `n` records (so a one-file-per-class folder shows every class), and reading stops as soon as the
 * share is there: previewing a multi-GB file costs one chunk.
 */
import { inspectTable } from './delimited-reader';
import { readRecords } from './read-records';
import type { RawRecord, SourceSpec } from './types';

export interface RecordPreview {
  readonly records: RawRecord[];
  /** CSV/TSV: the header (or col1..colN when there is none) of the first source; [] for other formats. */
  readonly columns: string[];
  /** CSV/TSV: whether the first source's row 1 was taken as a header. */
  readonly hasHeader: boolean;
}

export async function previewRecords(sources: readonly SourceSpec[], n: number): Promise<RecordPreview> {
  let columns: string[] = [];
  let hasHeader = false;
  const first = sources[0];
  if (first !== undefined && (first.format === 'csv' || first.format === 'tsv')) {
    const layout = await inspectTable({ ...first, format: first.format });
    columns = [...layout.columns];
    hasHeader = layout.hasHeader;
  }
  const records: RawRecord[] = [];
  const share = Math.max(1, Math.ceil(n / Math.max(1, sources.length)));
  for (const spec of sources) {
    if (records.length >= n) break;
    const want = Math.min(share, n - records.length);
    let got = 0;
    if (want <= 0) break;
    for await (const rec of readRecords(spec)) {
      records.push(rec);
      if (++got >= want) break;
    }
  }
  return { records, columns, hasHeader };
}

/**
 * CSV and TSV files (plain or gzip): rows come from the RFC 4180 parser, the layout (header, columns) from the first
 * two rows, and each data row becomes one record. The delimiter follows the format: comma for 'csv', tab for 'tsv'.
 */
import { CsvRowParser, type CsvRow } from './csv-rows';
import { readChunks, type ReadContext } from './read-chunks';
import { columnName, resolveTableLayout, type TableLayout } from './table-layout';
import { ImportError, type RawRecord, type SourceSpec } from './types';

export function delimiterOf(format: 'csv' | 'tsv'): number {
  return format === 'tsv' ? 9 : 44;
}

/** Rows of a CSV/TSV file, a chunk's worth at a time. */
export async function* readRows(spec: SourceSpec, delimiter: number, ctx: ReadContext = {}): AsyncGenerator<CsvRow[]> {
  const parser = new CsvRowParser(spec.path, delimiter);
  const decoder = new TextDecoder('utf-8');
  let line = 1;
  for await (const chunk of readChunks(spec.path, { ...ctx, currentLine: () => line })) {
    parser.push(decoder.decode(chunk, { stream: true }));
    if (parser.rows.length > 0) {
      const rows = parser.rows;
      parser.rows = [];
      line = rows[rows.length - 1]?.line ?? line;
      yield rows;
    }
  }
  parser.push(decoder.decode());
  parser.end();
  if (parser.rows.length > 0) yield parser.rows;
}

/** The first `n` rows (fewer when the file is shorter); stops reading as soon as it has them. */
export async function firstRows(spec: SourceSpec, delimiter: number, n: number): Promise<CsvRow[]> {
  const out: CsvRow[] = [];
  for await (const rows of readRows(spec, delimiter)) {
    out.push(...rows.slice(0, n - out.length));
    if (out.length >= n) break;
  }
  return out;
}

/** What the import wizard shows for a CSV/TSV: its columns and whether row 1 was taken as a header. */
export async function inspectTable(spec: SourceSpec & { format: 'csv' | 'tsv' }): Promise<TableLayout> {
  const [first, second] = await firstRows(spec, delimiterOf(spec.format), 2);
  return resolveTableLayout(spec, first, second);
}

export async function* readDelimited(spec: SourceSpec & { format: 'csv' | 'tsv' }, ctx: ReadContext = {}): AsyncGenerator<RawRecord> {
  const file = spec.path;
  let layout: TableLayout | null = null;
  let pending: CsvRow[] = [];
  let dataRows = 0;
  const fixedLabel = spec.label ?? null;
  const fixedSplit = spec.split ?? null;

  const toRecord = (row: CsvRow, lay: TableLayout): RawRecord => {
    const f = row.fields;
    const n = f.length;
    const fieldsWord = `(the row has ${n} field${n === 1 ? '' : 's'})`;
    const seq = f[lay.sequence];
    if (seq === undefined) throw new ImportError(file, row.line, `missing the sequence column ${columnName(lay, lay.sequence)} ${fieldsWord}`);
    let label = fixedLabel;
    if (lay.label !== null) {
      const v = f[lay.label];
      if (v === undefined) throw new ImportError(file, row.line, `missing the label column ${columnName(lay, lay.label)} ${fieldsWord}`);
      label = v.trim() === '' ? null : v.trim();
    }
    let split = fixedSplit;
    if (lay.split !== null) {
      const v = f[lay.split];
      if (v === undefined) throw new ImportError(file, row.line, `missing the split column ${columnName(lay, lay.split)} ${fieldsWord}`);
      if (v.trim() !== '') split = v.trim();
    }
    dataRows++;
    const id = lay.id === null ? '' : (f[lay.id] ?? '').trim();
    return {
      id: id === '' ? `row${dataRows}` : id,
      // A quoted field may hold line breaks; they are not part of the sequence.
      sequence: seq.includes('\n') ? seq.replace(/\s+/g, '') : seq.trim(),
      label,
      split,
      file,
      line: row.line,
    };
  };

  for await (const rows of readRows(spec, delimiterOf(spec.format), ctx)) {
    let batch = rows;
    if (layout === null) {
      pending.push(...rows);
      if (pending.length < 2) continue;
      layout = resolveTableLayout(spec, pending[0], pending[1]);
      batch = layout.hasHeader ? pending.slice(1) : pending;
      pending = [];
    }
    for (const row of batch) yield toRecord(row, layout);
  }
  if (layout === null) {
    // Fewer than two rows in the whole file.
    if (pending.length === 0) throw new ImportError(file, 1, 'the file has no rows (only blank lines)');
    layout = resolveTableLayout(spec, pending[0], pending[1]);
    for (const row of layout.hasHeader ? pending.slice(1) : pending) yield toRecord(row, layout);
  }
}

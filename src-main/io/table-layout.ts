/**
 * Deciding how a CSV/TSV is laid out from its first rows: is row 1 a header, which column holds the sequence, the
 * label, the split and the record id. Kept apart from the reader so the import wizard's preview shows exactly what
 * the import will do.
 */
import { looksLikeDna } from './dna-like';
import type { CsvRow } from './csv-rows';
import { ImportError, type SourceSpec } from './types';

/** Header names taken as the sequence column when the user has not chosen one. */
export const SEQUENCE_COLUMN_NAMES = ['sequence', 'seq', 'dna'];
/** Header names taken as the record id. */
export const ID_COLUMN_NAMES = ['id', 'name'];

export interface TableLayout {
  readonly hasHeader: boolean;
  /** Header names, or col1..colN when there is no header. */
  readonly columns: readonly string[];
  /** 0-based column indices. */
  readonly sequence: number;
  readonly label: number | null;
  readonly split: number | null;
  readonly id: number | null;
}

function nameIndex(header: readonly string[], names: readonly string[]): number {
  for (const name of names) {
    const i = header.findIndex((h) => h.trim().toLowerCase() === name);
    if (i >= 0) return i;
  }
  return -1;
}

function isIndex(column: string): boolean {
  return /^\s*\d+\s*$/.test(column);
}

/** A column chosen by name or 1-based index. Names win over numbers, so a header literally named "2" still works. */
function findColumn(file: string, what: string, column: string, header: readonly string[] | null): number {
  if (header !== null) {
    const i = header.findIndex((h) => h.trim().toLowerCase() === column.trim().toLowerCase());
    if (i >= 0) return i;
  }
  if (isIndex(column)) {
    const i = Number.parseInt(column, 10) - 1;
    if (i < 0) throw new ImportError(file, 0, `the ${what} column number must be 1 or more (got ${column.trim()})`);
    if (header !== null && i >= header.length) {
      throw new ImportError(file, 1, `there is no column ${i + 1}: the header has ${header.length} (${header.join(', ')})`);
    }
    return i;
  }
  if (header === null) {
    throw new ImportError(file, 1, `the file has no header line, so there is no column named '${column}'; give the ${what} column's number (1 = first column)`);
  }
  throw new ImportError(file, 1, `there is no column '${column}' (the columns are: ${header.join(', ')})`);
}

/**
 * The layout for `spec`, from the first row and (when row 1 is a header) the second.
 * Header detection ('auto'): row 1 is a header when one of its fields is named sequence/seq/dna or is a column name
 * the spec asks for, or when its would-be sequence field does not look like DNA.
 */
export function resolveTableLayout(spec: SourceSpec, first: CsvRow | undefined, second: CsvRow | undefined): TableLayout {
  const file = spec.path;
  const row1 = first?.fields ?? [];
  const asked = [spec.sequenceColumn, spec.labelColumn, spec.splitColumn].filter(
    (c): c is string => c !== undefined && c !== '' && !isIndex(c),
  );
  let hasHeader: boolean;
  if (spec.header === 'yes') hasHeader = true;
  else if (spec.header === 'no') hasHeader = false;
  else if (first === undefined) hasHeader = false;
  else if (nameIndex(row1, SEQUENCE_COLUMN_NAMES) >= 0) hasHeader = true;
  else if (asked.some((a) => nameIndex(row1, [a.trim().toLowerCase()]) >= 0)) hasHeader = true;
  else if (spec.sequenceColumn !== undefined && isIndex(spec.sequenceColumn)) {
    hasHeader = !looksLikeDna(row1[Number.parseInt(spec.sequenceColumn, 10) - 1] ?? '');
  } else hasHeader = !row1.some(looksLikeDna);

  const header = hasHeader ? row1.map((h) => h.trim()) : null;
  const width = Math.max(row1.length, second?.fields.length ?? 0);
  const columns = header ?? Array.from({ length: width }, (_, i) => `col${i + 1}`);
  const sample = hasHeader ? second?.fields : row1;

  let sequence: number;
  if (spec.sequenceColumn !== undefined && spec.sequenceColumn !== '') {
    sequence = findColumn(file, 'sequence', spec.sequenceColumn, header);
  } else {
    sequence = header === null ? -1 : nameIndex(header, SEQUENCE_COLUMN_NAMES);
    if (sequence < 0 && sample !== undefined) sequence = sample.findIndex(looksLikeDna);
    if (sequence < 0) {
      if (sample === undefined) sequence = 0; // header only, no data: nothing will be read anyway
      else {
        throw new ImportError(file, hasHeader ? 2 : 1, `no column looks like DNA sequences; choose the sequence column (the columns are: ${columns.join(', ')})`);
      }
    }
  }
  const optional = (what: string, column: string | undefined): number | null =>
    column === undefined || column === '' ? null : findColumn(file, what, column, header);
  const id = header === null ? -1 : nameIndex(header, ID_COLUMN_NAMES);
  return {
    hasHeader,
    columns,
    sequence,
    label: optional('label', spec.labelColumn),
    split: optional('split', spec.splitColumn),
    id: id >= 0 && id !== sequence ? id : null,
  };
}

/** How an error names a column: by its header name when there is one, else by number. */
export function columnName(layout: TableLayout, index: number): string {
  return layout.hasHeader ? `'${layout.columns[index] ?? `col${index + 1}`}'` : `${index + 1}`;
}

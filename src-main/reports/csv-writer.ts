/**
 * CSV as spreadsheet programs and R/pandas read it: RFC 4180 (fields with the delimiter, a quote or a line break are
 * quoted, quotes doubled; CRLF between records), an optional UTF-8 byte order mark, and a guard against formula
 * injection: a sequence id such as `=HYPERLINK(...)` taken from a user's FASTA must not run as a formula when the file
 * is opened in Excel or LibreOffice (OWASP "CSV Injection").
 */
import type { CsvOptions } from '../../src-shared/api';
import { writeReportFile } from './report-file';

export type CsvCell = string | number | boolean | null | undefined;

/** A table ready to be written: one header row, then data rows of the same width. */
export interface CsvData {
  readonly header: readonly string[];
  readonly rows: readonly (readonly CsvCell[])[];
}

export type CsvDelimiter = NonNullable<CsvOptions['delimiter']>;

const FORMULA_START = /^[=+\-@\t\r]/;
/** A plain decimal number (`-0.25`, `-3e-5`) is data, not a formula: spreadsheets must still read it as a number. */
const PLAIN_NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** A lone sign (a strand column: `+`, `-`) cannot hold a formula, and a BED-minded reader expects it unchanged. */
function isFormula(text: string): boolean {
  return text.length > 1 && FORMULA_START.test(text) && !PLAIN_NUMBER.test(text);
}

/** The text of one cell, guarded against formulas and quoted where RFC 4180 requires it. */
export function csvCell(value: CsvCell, delimiter: CsvDelimiter = ','): string {
  let text: string;
  if (value === null || value === undefined) text = '';
  else if (typeof value === 'number') text = Number.isFinite(value) ? String(value) : Number.isNaN(value) ? '' : value > 0 ? 'Infinity' : '-Infinity';
  else if (typeof value === 'boolean') text = value ? 'true' : 'false';
  else text = isFormula(value) ? `'${value}` : value;
  const needsQuotes = text.includes(delimiter) || /["\r\n]/.test(text);
  return needsQuotes ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The whole file's text: header and rows, each ended by CRLF, with the BOM first when asked for. */
export function formatCsv(data: CsvData, options: CsvOptions = {}): string {
  const delimiter = options.delimiter ?? ',';
  const width = data.header.length;
  const lines: string[] = [data.header.map((h) => csvCell(h, delimiter)).join(delimiter)];
  for (const row of data.rows) {
    // Every record has the header's width (RFC 4180 §2.4): short rows are padded, never silently shifted.
    const cells: string[] = [];
    for (let i = 0; i < width; i++) cells.push(csvCell(row[i], delimiter));
    lines.push(cells.join(delimiter));
  }
  return `${options.bom === true ? '\uFEFF' : ''}${lines.join('\r\n')}\r\n`;
}

/** Writes the table atomically (the target is the old file or the complete new one); returns the bytes written. */
export function writeCsvFile(target: string, data: CsvData, options: CsvOptions = {}): number {
  const bytes = Buffer.from(formatCsv(data, options), 'utf8');
  writeReportFile(target, bytes);
  return bytes.length;
}

/**
 * RFC 4180 row parser for CSV and TSV: quoted fields, doubled quotes, delimiters and line breaks inside quotes,
 * CRLF or LF. It is incremental (text arrives in chunks and a field may straddle two of them) and remembers the line
 * each row starts on, so errors can point at it.
 *
 * Lenient where files in the wild differ from the RFC: text after a closing quote is kept as part of the field, a quote
 * inside an unquoted field is an ordinary character, blank lines are skipped.
 */
import { ImportError } from './types';

export interface CsvRow {
  readonly fields: string[];
  /** 1-based line where the row starts. */
  readonly line: number;
}

const QUOTE = 34;
const LF = 10;
const CR = 13;

const FIELD_START = 0;
const UNQUOTED = 1;
const QUOTED = 2;
const QUOTE_IN_QUOTED = 3;

export class CsvRowParser {
  rows: CsvRow[] = [];
  private state = FIELD_START;
  private fields: string[] = [];
  /** Pieces of the field being read (when it spans chunks, or has doubled quotes). */
  private parts: string[] = [];
  private line = 1;
  private rowLine = 1;
  private quoteLine = 1;

  constructor(
    private readonly file: string,
    private readonly delimiter: number,
  ) {}

  push(text: string): void {
    const d = this.delimiter;
    const n = text.length;
    let start = 0;
    let state = this.state;
    for (let i = 0; i < n; i++) {
      const c = text.charCodeAt(i);
      if (state === FIELD_START) {
        if (c === QUOTE) {
          state = QUOTED;
          this.quoteLine = this.line;
          start = i + 1;
          continue;
        }
        state = UNQUOTED;
        start = i;
      }
      if (state === UNQUOTED) {
        if (c === d) {
          this.endField(text.slice(start, i));
          state = FIELD_START;
        } else if (c === LF) {
          this.endField(text.slice(start, i), true);
          this.endRow();
          state = FIELD_START;
        }
      } else if (state === QUOTED) {
        if (c === QUOTE) {
          this.parts.push(text.slice(start, i));
          state = QUOTE_IN_QUOTED;
        } else if (c === LF) this.line++;
      } else {
        // Just after a quote inside a quoted field.
        if (c === QUOTE) {
          // A doubled quote is one literal quote: start the next piece at this quote so it is kept.
          state = QUOTED;
          start = i;
        } else if (c === d) {
          this.endField('');
          state = FIELD_START;
        } else if (c === LF) {
          this.endField('');
          this.endRow();
          state = FIELD_START;
        } else if (c !== CR) {
          state = UNQUOTED;
          start = i;
        }
      }
    }
    if (state === UNQUOTED || state === QUOTED) this.parts.push(text.slice(start, n));
    this.state = state;
  }

  /** Finish the last row (the text may not end with a line break). */
  end(): void {
    if (this.state === QUOTED) {
      throw new ImportError(this.file, this.quoteLine, 'a quoted field is never closed (a " without its closing ")');
    }
    if (this.state === UNQUOTED || this.state === QUOTE_IN_QUOTED) {
      this.endField('', true);
      this.endRow();
    } else if (this.fields.length > 0) {
      this.endField('');
      this.endRow();
    }
    this.state = FIELD_START;
  }

  private endField(tail: string, atLineEnd = false): void {
    let value = tail;
    if (this.parts.length > 0) {
      this.parts.push(tail);
      value = this.parts.join('');
      this.parts = [];
    }
    if (atLineEnd && value.charCodeAt(value.length - 1) === CR) value = value.slice(0, -1);
    this.fields.push(value);
  }

  private endRow(): void {
    const fields = this.fields;
    this.fields = [];
    const blank = fields.length === 1 && (fields[0] ?? '').trim() === '';
    if (!blank) this.rows.push({ fields, line: this.rowLine });
    this.line++;
    this.rowLine = this.line;
  }
}

/**
 * FASTA and multi-FASTA, plain or gzip/bgzip. The parser works on bytes: it finds line ends with Buffer.indexOf
 * (memchr) and copies each sequence line into one growing byte buffer, so a record costs one string at the end, not
 * one per line or per base. That is what keeps it near disk speed on multi-GB files.
 *
 * Accepted: any line width (including a mix), CRLF, a UTF-8 BOM, blank lines, `;` comment lines (old FASTA),
 * surrounding spaces on sequence lines. Letters are passed on untouched (case, N, IUPAC codes, even invalid
 * characters): judging them is the import pipeline's job.
 */
import { readChunks, type ReadContext } from './read-chunks';
import { RecordBatch } from './record-batch';
import { ImportError, type RawRecord, type SourceSpec } from './types';

const LF = 10;
const GT = 62; // '>'
const SEMICOLON = 59;

const enum Mode {
  LineStart,
  Header,
  Comment,
  Sequence,
}

function isSpace(b: number): boolean {
  return b === 32 || b === 9 || b === 13 || b === 11 || b === 12;
}

/**
 * How a record's label is found: a regular expression on the header when there is one, else the file's fixed label,
 * else none. The pattern wins because it is the more specific choice: the wizard lays it over what folder detection
 * found (a class per file), and like a CSV label column or a BED name it gives each record its own label.
 */
export function headerLabeler(spec: SourceSpec): (header: string) => string | null {
  if (spec.headerLabelPattern !== undefined && spec.headerLabelPattern !== '') {
    let re: RegExp;
    try {
      re = new RegExp(spec.headerLabelPattern);
    } catch (err) {
      throw new ImportError(spec.path, 0, `the header pattern /${spec.headerLabelPattern}/ is not a valid regular expression (${(err as Error).message})`);
    }
    return (header) => {
      const m = re.exec(header);
      if (m === null) return null;
      const label = m[1] ?? m[0];
      return label === '' ? null : label;
    };
  }
  const fixed = spec.label ?? null;
  return () => fixed;
}

/** Incremental FASTA parser: feed it chunks with `push`, collect finished records from `records`, call `end` last. */
export class FastaParser {
  /** Records completed so far and not yet taken by the caller. */
  records: RawRecord[] = [];
  /** 1-based number of the line being parsed (0 before the first byte). */
  line = 0;
  /**
   * When set, finished records go here (sequence bytes copied into the batch) instead of into `records`: the batch
   * reader's way of avoiding a string per record.
   */
  batch: RecordBatch | null = null;

  private mode: Mode = Mode.LineStart;
  private seq = Buffer.allocUnsafe(1 << 16);
  private seqLen = 0;
  /** Where the current sequence line began in `seq`, for trimming its trailing spaces / CR. */
  private lineStartInSeq = 0;
  private headerParts: Buffer[] = [];
  private inRecord = false;
  private recordId = '';
  private recordLine = 0;
  private readonly split: string | null;

  constructor(
    private readonly file: string,
    private readonly labelOf: (header: string) => string | null,
    split: string | null,
  ) {
    this.split = split;
  }

  push(buf: Buffer): void {
    const len = buf.length;
    let pos = 0;
    while (pos < len) {
      if (this.mode === Mode.LineStart) {
        this.line++;
        const c = buf[pos] ?? 0;
        if (c === GT) {
          this.finishRecord();
          this.mode = Mode.Header;
          this.recordLine = this.line;
          pos++;
        } else if (c === SEMICOLON) {
          this.mode = Mode.Comment;
        } else {
          this.mode = Mode.Sequence;
          this.lineStartInSeq = this.seqLen;
        }
      }
      const nl = buf.indexOf(LF, pos);
      const end = nl < 0 ? len : nl;
      if (this.mode === Mode.Sequence) this.appendSequence(buf, pos, end);
      else if (this.mode === Mode.Header) {
        if (nl >= 0 && this.headerParts.length === 0) this.startRecord(buf.toString('utf8', pos, end));
        else {
          // A header cut by the chunk boundary: keep a copy of its start (the chunk may be reused).
          this.headerParts.push(Buffer.from(buf.subarray(pos, end)));
          if (nl >= 0) {
            this.startRecord(Buffer.concat(this.headerParts).toString('utf8'));
            this.headerParts = [];
          }
        }
      }
      if (nl < 0) break;
      if (this.mode === Mode.Sequence) this.trimLineEnd();
      this.mode = Mode.LineStart;
      pos = nl + 1;
    }
  }

  /** Finish the last line and record. Throws when the file held no record at all. */
  end(): void {
    if (this.mode === Mode.Header) {
      this.startRecord(Buffer.concat(this.headerParts).toString('utf8'));
      this.headerParts = [];
    } else if (this.mode === Mode.Sequence) this.trimLineEnd();
    this.mode = Mode.LineStart;
    if (!this.inRecord) {
      throw new ImportError(this.file, Math.max(1, this.line), 'there is no FASTA record in the file (no line starts with ">")');
    }
    this.finishRecord();
  }

  private startRecord(header: string): void {
    this.inRecord = true;
    this.recordId = header.trim();
    this.seqLen = 0;
    this.lineStartInSeq = 0;
  }

  private finishRecord(): void {
    if (!this.inRecord) return;
    const batch = this.batch;
    if (batch !== null) {
      const n = this.seqLen;
      const at = batch.reserve(n);
      batch.bytes.set(n === this.seq.length ? this.seq : this.seq.subarray(0, n), at);
      batch.commit(this.recordId, this.labelOf(this.recordId), this.split, this.file, this.recordLine, at, n);
    } else this.records.push({
      id: this.recordId,
      // latin1: one byte -> one char, the cheapest decode; sequence bytes are ASCII in any valid file.
      sequence: this.seq.toString('latin1', 0, this.seqLen),
      label: this.labelOf(this.recordId),
      split: this.split,
      file: this.file,
      line: this.recordLine,
    });
    this.inRecord = false;
    // Do not keep a chromosome-sized buffer alive for the small records that follow.
    if (this.seq.length > 1 << 24) this.seq = Buffer.allocUnsafe(1 << 16);
  }

  private appendSequence(buf: Buffer, start: number, end: number): void {
    if (this.seqLen === this.lineStartInSeq) {
      while (start < end && isSpace(buf[start] ?? 0)) start++;
    }
    const n = end - start;
    if (n <= 0) return;
    if (!this.inRecord) {
      throw new ImportError(this.file, this.line, 'sequence data comes before the first header line (a FASTA record starts with ">name")');
    }
    if (this.seqLen + n > this.seq.length) {
      const grown = Buffer.allocUnsafe(Math.max(this.seq.length * 2, this.seqLen + n));
      this.seq.copy(grown, 0, 0, this.seqLen);
      this.seq = grown;
    }
    buf.copy(this.seq, this.seqLen, start, end);
    this.seqLen += n;
  }

  private trimLineEnd(): void {
    while (this.seqLen > this.lineStartInSeq && isSpace(this.seq[this.seqLen - 1] ?? 0)) this.seqLen--;
  }
}

export async function* readFasta(spec: SourceSpec, ctx: ReadContext = {}): AsyncGenerator<RawRecord> {
  const parser = new FastaParser(spec.path, headerLabeler(spec), spec.split ?? null);
  for await (const chunk of readChunks(spec.path, { ...ctx, currentLine: () => parser.line })) {
    parser.push(chunk);
    if (parser.records.length > 0) {
      const done = parser.records;
      parser.records = [];
      yield* done;
    }
  }
  parser.end();
  yield* parser.records;
  parser.records = [];
}

/** The same records as `readFasta`, in batches (one per chunk of the file that completes a record). */
export async function* readFastaBatches(spec: SourceSpec, ctx: ReadContext = {}): AsyncGenerator<RecordBatch> {
  const parser = new FastaParser(spec.path, headerLabeler(spec), spec.split ?? null);
  parser.batch = new RecordBatch();
  for await (const chunk of readChunks(spec.path, { ...ctx, currentLine: () => parser.line })) {
    parser.push(chunk);
    if (parser.batch.count > 0) {
      const done = parser.batch;
      parser.batch = new RecordBatch();
      yield done;
    }
  }
  parser.end();
  if (parser.batch.count > 0) yield parser.batch;
  parser.batch = null;
}

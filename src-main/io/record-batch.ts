/**
 * Records in batches, for the import pipeline's hot loop: a batch holds a chunk's worth of records with their
 * sequences as bytes, back to back in one buffer, so that validation, packing and hashing run over bytes without a
 * string (or an object) per record.
 *
 * Sequence bytes are the record's sequence as `readRecords` gives it: FASTA bytes as in the file (the reader's string
 * is their latin1 decoding), other formats their string encoded as UTF-8. Either way a sequence made only of ASCII
 * letters has one byte per letter, and any other character shows up as bytes outside A-Z/a-z, so a byte-level check
 * for A/C/G/T/N finds exactly what a check of the string would; `sequence(i)` gives the string for the rare record
 * that needs a closer look (to name an invalid character, say).
 *
 * Each sequence starts at a multiple of 4 bytes of the buffer, so `words` (an Int32Array over the same memory) reads
 * four bases at a time.
 */
import type { RawRecord } from './types';

const INITIAL_BYTES = 1 << 20;
const LATIN1 = new TextDecoder('latin1');

export class RecordBatch {
  count = 0;
  readonly ids: string[] = [];
  readonly labels: (string | null)[] = [];
  readonly splits: (string | null)[] = [];
  readonly files: string[] = [];
  readonly lines: number[] = [];
  /** BED records' chromosomes (undefined for other formats). */
  readonly chroms: (string | undefined)[] = [];
  /** Record i's sequence is bytes[starts[i], ends[i]). */
  readonly starts: number[] = [];
  readonly ends: number[] = [];
  bytes: Uint8Array;
  words: Int32Array;
  /** Bytes of `bytes` in use. */
  used = 0;
  /** The strings the records came with, when they came as strings (see `sequence`). */
  private texts: (string | undefined)[] | null = null;
  private view: Buffer | null = null;

  constructor(capacity = INITIAL_BYTES) {
    this.bytes = new Uint8Array(capacity);
    this.words = new Int32Array(this.bytes.buffer, 0, capacity >> 2);
  }

  /** The sequence of record i exactly as `readRecords` would give it. */
  sequence(i: number): string {
    const text = this.texts?.[i];
    if (text !== undefined) return text;
    return LATIN1.decode(this.bytes.subarray(this.starts[i] ?? 0, this.ends[i] ?? 0));
  }

  /** Room for `n` more bytes after aligning `used` to 4; returns where they go. */
  reserve(n: number): number {
    const at = (this.used + 3) & ~3;
    if (at + n > this.bytes.length) {
      let cap = this.bytes.length * 2;
      while (cap < at + n) cap *= 2;
      const grown = new Uint8Array(cap);
      grown.set(this.bytes.subarray(0, this.used));
      this.bytes = grown;
      this.words = new Int32Array(grown.buffer, 0, cap >> 2);
    }
    return at;
  }

  /** A record whose sequence is the `n` bytes already written at `at` (from `reserve`). */
  commit(id: string, label: string | null, split: string | null, file: string, line: number, at: number, n: number, chrom?: string): void {
    this.ids.push(id);
    this.labels.push(label);
    this.splits.push(split);
    this.files.push(file);
    this.lines.push(line);
    this.chroms.push(chrom);
    this.starts.push(at);
    this.ends.push(at + n);
    this.texts?.push(undefined);
    this.used = at + n;
    this.count++;
  }

  /** A record that arrives as a string (the formats without a byte-level reader). */
  addRecord(rec: RawRecord): void {
    const seq = rec.sequence;
    const at = this.reserve(seq.length * 3);
    // UTF-8: ASCII stays one byte per character; anything else becomes bytes >= 0x80.
    if (this.view === null || this.view.buffer !== this.bytes.buffer) this.view = Buffer.from(this.bytes.buffer, 0, this.bytes.length);
    const n = seq.length === 0 ? 0 : this.view.write(seq, at, 'utf8');
    this.texts ??= new Array<string | undefined>(this.count).fill(undefined);
    this.commit(rec.id, rec.label, rec.split, rec.file, rec.line, at, n, rec.chrom);
    this.texts[this.count - 1] = seq;
  }
}

/** Groups records from any reader into batches of about `maxBytes` of sequence (or `maxRecords` records). */
export async function* batchRecords(records: AsyncIterable<RawRecord>, maxRecords = 4096, maxBytes = INITIAL_BYTES): AsyncGenerator<RecordBatch> {
  let batch = new RecordBatch();
  for await (const rec of records) {
    batch.addRecord(rec);
    if (batch.count >= maxRecords || batch.used >= maxBytes) {
      yield batch;
      batch = new RecordBatch();
    }
  }
  if (batch.count > 0) yield batch;
}

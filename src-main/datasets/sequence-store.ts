/**
 * The `.seqs` file: a dataset's sequences, stored beside project.sqlite in `artifacts/datasets/` (the database is
 * rewritten whole on every save, so it only holds the summary). Version 1, all integers little-endian:
 *
 *   header   16 bytes   "DNLMSEQ" 0x00 | u16 version (1) | u16 flags (0) | u32 reserved (0)
 *   records  one after another in dataset order, each:
 *              varint  label code (index into meta.labels)
 *              varint  bytes the id shares with the previous record's id (0 for the first record of a block),
 *              varint  length of the rest of the id in UTF-8 bytes, then those bytes ("row5921" after "row5920"
 *                      is stored as 6, 1, "1")
 *              varint  sequence length in bases
 *              varint  number of N runs, then for each run: varint gap (bases since the end of the previous run,
 *                      or since the start), varint run length
 *              ceil(length / 4) bytes: 2 bits per base, A=0 C=1 G=2 T=3, base i in byte i>>2 at bits 2*(i&3);
 *                      positions inside N runs hold 0
 *   index    u64 byte offset of record 0, BLOCK, 2*BLOCK, ... and finally of the end of the records
 *            (block b is the byte range [index[b], index[b+1]): one read fetches it)
 *   meta     UTF-8 JSON: {"records", "blockSize", "labels": [...], "splits": [{"name", "start", "count"}]}
 *   trailer  32 bytes   u64 index offset | u64 meta offset | u32 meta length | u32 reserved | "DNLMSEQE"
 *
 * Varints are unsigned LEB128. Splits are contiguous ranges of records, so iterating one split is a range read.
 * A 70 bp record with an id that differs from the previous one in its last character takes 1 + 3 + 1 + 1 + 18 = 24
 * bytes, plus 0.5 byte of index.
 * Writers go to a temporary name and are renamed by the caller; a file without its trailer is refused on open.
 */
import fs from 'node:fs';
import { SequenceEncoder, writeVarint } from './sequence-encoder';

export const SEQS_VERSION = 1;
const MAGIC = Buffer.from('DNLMSEQ\0', 'latin1');
const TRAILER_MAGIC = Buffer.from('DNLMSEQE', 'latin1');
const HEADER_SIZE = 16;
const TRAILER_SIZE = 32;
export const BLOCK_SIZE = 16;
const CHUNK = 1 << 20;

export interface SplitRange {
  readonly name: string;
  readonly start: number;
  readonly count: number;
}

export interface SequenceFileMeta {
  readonly records: number;
  readonly blockSize: number;
  readonly labels: readonly string[];
  readonly splits: readonly SplitRange[];
}

export interface StoredRecord {
  readonly index: number;
  readonly id: string;
  readonly labelCode: number;
  readonly label: string;
  readonly split: string;
  readonly sequence: string;
}

/** Decides, before the sequence is unpacked, whether a record is wanted (skipping is cheaper than decoding). */
export type RecordFilter = (index: number, labelCode: number) => boolean;

export class SequenceFileError extends Error {
  constructor(
    readonly file: string,
    problem: string,
  ) {
    super(`The stored sequences ${file} cannot be read: ${problem}`);
    this.name = 'SequenceFileError';
  }
}

// Base -> 2-bit code; N is 4 (stored as 0 plus a run); anything else is -1.
const ENCODE = new Int8Array(256).fill(-1);
ENCODE[0x41] = 0;
ENCODE[0x43] = 1;
ENCODE[0x47] = 2;
ENCODE[0x54] = 3;
ENCODE[0x4e] = 4;
const DECODE = [0x41, 0x43, 0x47, 0x54];
const N = 0x4e;

/** Streams records into a new file with constant memory (one buffer; the index keeps one number per block). */
export class SequenceFileWriter {
  private buf = Buffer.allocUnsafe(CHUNK);
  private pos = 0;
  private flushed = HEADER_SIZE;
  private count = 0;
  private blockOffsets: number[] = [];
  /** The previous record's id, for the shared-prefix coding. */
  private previousId = new Uint8Array(256);
  private previousIdLength = 0;
  private idBytes = new Uint8Array(256);
  private encoder: SequenceEncoder | null = null;
  private closed = false;

  private constructor(
    readonly file: string,
    private readonly fd: number,
    private readonly prefixIds: boolean,
  ) {}

  /**
   * Creates the file ('wx': never overwrites). `prefixIds: false` stores every id whole (shared prefix 0), so that
   * each record can be read on its own from its offset: the import's scratch file.
   */
  static create(file: string, options: { readonly prefixIds?: boolean } = {}): SequenceFileWriter {
    const fd = fs.openSync(file, 'wx');
    const header = Buffer.alloc(HEADER_SIZE);
    MAGIC.copy(header, 0);
    header.writeUInt16LE(SEQS_VERSION, 8);
    try {
      fs.writeSync(fd, header);
    } catch (err) {
      fs.closeSync(fd);
      fs.rmSync(file, { force: true });
      throw err;
    }
    return new SequenceFileWriter(file, fd, options.prefixIds ?? true);
  }

  get records(): number {
    return this.count;
  }

  /** Bytes written so far (records only, before the index). */
  get bytes(): number {
    return this.flushed + this.pos;
  }

  /** `sequence` must be upper-case A/C/G/T/N (the pipeline's output); anything else is a programming error. */
  append(id: string, labelCode: number, sequence: string): void {
    for (let i = 0; i < sequence.length; i++) {
      const c = sequence.charCodeAt(i);
      if ((c < 256 ? (ENCODE[c] ?? -1) : -1) < 0) throw new Error(`not an upper-case A/C/G/T/N sequence at ${i} (record ${this.count})`);
    }
    const enc = (this.encoder ??= new SequenceEncoder());
    enc.encodeString(sequence);
    this.appendEncoded(id, labelCode, enc);
  }

  /** A record whose sequence the encoder holds (see sequence-encoder.ts). */
  appendEncoded(id: string, labelCode: number, enc: SequenceEncoder): void {
    let idLength = id.length;
    if (this.idBytes.length < idLength * 3) this.idBytes = new Uint8Array(idLength * 3 + 64);
    const idBytes = this.idBytes;
    for (let k = 0; k < id.length; k++) {
      const c = id.charCodeAt(k);
      if (c >= 0x80) {
        idLength = Buffer.from(idBytes.buffer, idBytes.byteOffset, idBytes.length).write(id, 0, 'utf8');
        break;
      }
      idBytes[k] = c;
    }
    this.writeRecord(labelCode, idBytes, 0, idLength, enc.head, 0, enc.headLength, enc.packed, 0, enc.packedLength);
  }

  /**
   * A record already encoded: the id bytes, and the bytes that follow the id in a record (length, N runs, packed
   * bases) copied as they are. What the import uses to copy records from its scratch file.
   */
  appendRaw(id: Uint8Array, idStart: number, idLength: number, labelCode: number, body: Uint8Array, bodyStart: number, bodyEnd: number): void {
    this.writeRecord(labelCode, id, idStart, idLength, body, bodyStart, bodyEnd, body, bodyEnd, bodyEnd);
  }

  private writeRecord(
    labelCode: number,
    id: Uint8Array,
    idStart: number,
    idLength: number,
    a: Uint8Array,
    aStart: number,
    aEnd: number,
    b: Uint8Array,
    bStart: number,
    bEnd: number,
  ): void {
    const blockStart = this.count % BLOCK_SIZE === 0;
    if (blockStart) this.blockOffsets.push(this.bytes);
    let shared = 0;
    if (this.prefixIds) {
      const previous = this.previousId;
      if (!blockStart) {
        const max = Math.min(this.previousIdLength, idLength);
        while (shared < max && previous[shared] === id[idStart + shared]) shared++;
      }
      if (previous.length < idLength) this.previousId = new Uint8Array(idLength * 2);
      this.previousId.set(id.subarray(idStart, idStart + idLength));
      this.previousIdLength = idLength;
    }
    const suffix = idLength - shared;
    this.reserve(15 + suffix + (aEnd - aStart) + (bEnd - bStart));
    const buf = this.buf;
    let p = this.pos;
    p = writeVarint(buf, p, labelCode);
    p = writeVarint(buf, p, shared);
    p = writeVarint(buf, p, suffix);
    for (let k = shared; k < idLength; k++) buf[p++] = id[idStart + k] ?? 0;
    if (aEnd > aStart) {
      buf.set(a.subarray(aStart, aEnd), p);
      p += aEnd - aStart;
    }
    if (bEnd > bStart) {
      buf.set(b.subarray(bStart, bEnd), p);
      p += bEnd - bStart;
    }
    this.pos = p;
    this.count++;
  }

  /** Flushes the records and closes, without index or meta: for a scratch file read back by offsets. */
  closeRecords(): number {
    this.flush();
    this.close();
    return this.flushed;
  }

  /** Writes index, meta and trailer, flushes to disk and closes. Returns the file size. */
  finish(meta: { readonly labels: readonly string[]; readonly splits: readonly SplitRange[] }): number {
    const total = meta.splits.reduce((n, s) => n + s.count, 0);
    if (total !== this.count) throw new Error(`split ranges cover ${total} records, ${this.count} were written`);
    const indexOffset = this.bytes;
    const offsets = [...this.blockOffsets, indexOffset];
    this.reserve(offsets.length * 8);
    for (const offset of offsets) {
      this.buf.writeBigUInt64LE(BigInt(offset), this.pos);
      this.pos += 8;
    }
    const metaOffset = this.bytes;
    const full: SequenceFileMeta = { records: this.count, blockSize: BLOCK_SIZE, labels: meta.labels, splits: meta.splits };
    const json = Buffer.from(JSON.stringify(full), 'utf8');
    this.reserve(json.length + TRAILER_SIZE);
    json.copy(this.buf, this.pos);
    this.pos += json.length;
    const t = this.pos;
    this.buf.writeBigUInt64LE(BigInt(indexOffset), t);
    this.buf.writeBigUInt64LE(BigInt(metaOffset), t + 8);
    this.buf.writeUInt32LE(json.length, t + 16);
    this.buf.writeUInt32LE(0, t + 20);
    TRAILER_MAGIC.copy(this.buf, t + 24);
    this.pos += TRAILER_SIZE;
    this.flush();
    const size = this.flushed;
    fs.fsyncSync(this.fd);
    this.close();
    return size;
  }

  /** Closes and removes the unfinished file. Safe to call more than once. */
  abort(): void {
    this.close();
    fs.rmSync(this.file, { force: true });
  }

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    fs.closeSync(this.fd);
  }

  private reserve(bytes: number): void {
    if (this.pos + bytes <= this.buf.length) return;
    this.flush();
    if (bytes > this.buf.length) this.buf = Buffer.allocUnsafe(bytes);
  }

  private flush(): void {
    let done = 0;
    while (done < this.pos) done += fs.writeSync(this.fd, this.buf, done, this.pos - done, this.flushed + done);
    this.flushed += this.pos;
    this.pos = 0;
  }
}

/**
 * Reads a `.seqs` file. Opening reads the trailer and meta only; records are streamed in chunks (constant memory)
 * from the block that holds the first wanted record.
 */
export class SequenceFileReader {
  private closed = false;
  private scratch = Buffer.allocUnsafe(1024);

  private constructor(
    readonly file: string,
    private readonly fd: number,
    readonly meta: SequenceFileMeta,
    private readonly indexOffset: number,
    readonly size: number,
  ) {}

  static open(file: string): SequenceFileReader {
    const fd = fs.openSync(file, 'r');
    try {
      const size = fs.fstatSync(fd).size;
      const fail = (problem: string): never => {
        throw new SequenceFileError(file, problem);
      };
      if (size < HEADER_SIZE + TRAILER_SIZE) fail('the file is too short (an import that did not finish?)');
      const header = Buffer.alloc(HEADER_SIZE);
      fs.readSync(fd, header, 0, HEADER_SIZE, 0);
      if (!header.subarray(0, 8).equals(MAGIC)) fail('it is not a DNA LM Studio sequence file');
      const version = header.readUInt16LE(8);
      if (version > SEQS_VERSION) fail(`it was written by a newer version (format ${version})`);
      const trailer = Buffer.alloc(TRAILER_SIZE);
      fs.readSync(fd, trailer, 0, TRAILER_SIZE, size - TRAILER_SIZE);
      if (!trailer.subarray(24).equals(TRAILER_MAGIC)) fail('its end is missing (an import that did not finish?)');
      const indexOffset = Number(trailer.readBigUInt64LE(0));
      const metaOffset = Number(trailer.readBigUInt64LE(8));
      const metaLength = trailer.readUInt32LE(16);
      if (metaOffset + metaLength !== size - TRAILER_SIZE || indexOffset > metaOffset) fail('its layout is damaged');
      const metaBytes = Buffer.alloc(metaLength);
      fs.readSync(fd, metaBytes, 0, metaLength, metaOffset);
      let meta: SequenceFileMeta;
      try {
        meta = JSON.parse(metaBytes.toString('utf8')) as SequenceFileMeta;
      } catch {
        return fail('its description is damaged');
      }
      const blocks = Math.ceil(meta.records / meta.blockSize);
      if (metaOffset - indexOffset !== (blocks + 1) * 8) fail('its index does not match its record count');
      return new SequenceFileReader(file, fd, meta, indexOffset, size);
    } catch (err) {
      fs.closeSync(fd);
      throw err;
    }
  }

  get count(): number {
    return this.meta.records;
  }

  splitRange(name: string): SplitRange | undefined {
    return this.meta.splits.find((s) => s.name === name);
  }

  /** The records of one split, in order (none when the dataset has no such split). */
  splitRecords(name: string, want?: RecordFilter): Generator<StoredRecord> {
    const range = this.splitRange(name);
    return this.records(range?.start ?? 0, range ? range.start + range.count : 0, want);
  }

  /** Records start..end-1 (clamped), in order; `want` skips records without unpacking them. */
  *records(start = 0, end = this.count, want?: RecordFilter): Generator<StoredRecord> {
    start = Math.max(0, start);
    end = Math.min(end, this.count);
    if (start >= end) return;
    const bs = this.meta.blockSize;
    const firstBlock = Math.floor(start / bs);
    const recordsEnd = this.blockOffset(Math.ceil(this.count / bs));
    const cursor = new Cursor(this.fd, this.blockOffset(firstBlock), recordsEnd);
    const splits = this.meta.splits;
    let splitIndex = 0;
    const splitOf = (index: number): string => {
      while (splitIndex < splits.length) {
        const s = splits[splitIndex];
        if (s && index < s.start + s.count) return s.name;
        splitIndex++;
      }
      return '';
    };
    let id = Buffer.allocUnsafe(256);
    for (let index = firstBlock * bs; index < end; index++) {
      const labelCode = cursor.varint();
      const shared = cursor.varint(); // 0 at the start of every block
      const suffix = cursor.varint();
      if (shared + suffix > id.length) {
        const bigger = Buffer.allocUnsafe(Math.max(shared + suffix, id.length * 2));
        id.copy(bigger, 0, 0, shared);
        id = bigger;
      }
      cursor.take(suffix).copy(id, shared);
      const idLength = shared + suffix;
      const wanted = index >= start && (want === undefined || want(index, labelCode));
      if (!wanted) {
        const length = cursor.varint();
        const runCount = cursor.varint();
        for (let r = 0; r < runCount * 2; r++) cursor.varint();
        cursor.skip((length + 3) >> 2);
        continue;
      }
      const length = cursor.varint();
      const runCount = cursor.varint();
      const runs: number[] = [];
      let previousEnd = 0;
      for (let r = 0; r < runCount; r++) {
        const runStart = previousEnd + cursor.varint();
        const runLength = cursor.varint();
        runs.push(runStart, runLength);
        previousEnd = runStart + runLength;
      }
      const packedBytes = (length + 3) >> 2;
      const packed = cursor.take(packedBytes);
      if (this.scratch.length < length) this.scratch = Buffer.allocUnsafe(Math.max(length, this.scratch.length * 2));
      const out = this.scratch;
      for (let b = 0, i = 0; b < packedBytes; b++) {
        const byte = packed[b] ?? 0;
        out[i++] = DECODE[byte & 3] ?? N;
        out[i++] = DECODE[(byte >> 2) & 3] ?? N;
        out[i++] = DECODE[(byte >> 4) & 3] ?? N;
        out[i++] = DECODE[(byte >> 6) & 3] ?? N;
      }
      for (let r = 0; r < runs.length; r += 2) out.fill(N, runs[r] ?? 0, (runs[r] ?? 0) + (runs[r + 1] ?? 0));
      yield {
        index,
        id: id.toString('utf8', 0, idLength),
        labelCode,
        label: this.meta.labels[labelCode] ?? '',
        split: splitOf(index),
        sequence: out.toString('latin1', 0, length),
      };
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    fs.closeSync(this.fd);
  }

  private blockOffset(block: number): number {
    const b = Buffer.alloc(8);
    fs.readSync(this.fd, b, 0, 8, this.indexOffset + block * 8);
    return Number(b.readBigUInt64LE(0));
  }
}

/** Sequential reads through a growable buffer, refilled in chunks. */
class Cursor {
  private buf = Buffer.allocUnsafe(CHUNK);
  private pos = 0;
  private len = 0;

  constructor(
    private readonly fd: number,
    private filePos: number,
    private readonly end: number,
  ) {}

  varint(): number {
    let result = 0;
    let scale = 1;
    for (;;) {
      if (this.pos >= this.len) this.fill(1);
      const byte = this.buf[this.pos++] ?? 0;
      result += (byte & 0x7f) * scale;
      if (byte < 0x80) return result;
      scale *= 128;
    }
  }

  skip(n: number): void {
    const available = this.len - this.pos;
    if (n <= available) {
      this.pos += n;
      return;
    }
    this.filePos += n - available;
    this.pos = this.len = 0;
  }

  take(n: number): Buffer {
    if (this.len - this.pos < n) this.fill(n);
    const view = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return view;
  }

  /** Makes at least n unread bytes available. */
  private fill(n: number): void {
    const rest = this.len - this.pos;
    if (n > this.buf.length) {
      const bigger = Buffer.allocUnsafe(Math.max(n, this.buf.length * 2));
      this.buf.copy(bigger, 0, this.pos, this.len);
      this.buf = bigger;
    } else {
      this.buf.copy(this.buf, 0, this.pos, this.len);
    }
    this.pos = 0;
    this.len = rest;
    while (this.len < n) {
      const want = Math.min(this.buf.length - this.len, this.end - this.filePos);
      if (want <= 0) throw new Error('unexpected end of the records');
      const got = fs.readSync(this.fd, this.buf, this.len, want, this.filePos);
      if (got <= 0) throw new Error('unexpected end of the file');
      this.filePos += got;
      this.len += got;
    }
  }
}

/**
 * Byte ranges of a file, read through one large buffer: cheap when the ranges come in increasing order (the import
 * reading its scratch records split by split). `range(from, to)` returns the buffer holding bytes [from, to) at
 * `at`; the bytes stay valid until the next call.
 */
export class RangeReader {
  at = 0;
  private buf = Buffer.allocUnsafe(4 * CHUNK);
  private bufStart = 0;
  private bufLength = 0;
  private readonly fd: number;
  private closed = false;

  constructor(
    readonly file: string,
    private readonly end: number,
  ) {
    this.fd = fs.openSync(file, 'r');
  }

  range(from: number, to: number): Buffer {
    if (from < this.bufStart || to > this.bufStart + this.bufLength) this.load(from, to);
    this.at = from - this.bufStart;
    return this.buf;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    fs.closeSync(this.fd);
  }

  private load(from: number, to: number): void {
    if (to - from > this.buf.length) this.buf = Buffer.allocUnsafe(to - from);
    const want = Math.min(this.buf.length, this.end - from);
    let got = 0;
    while (got < to - from) {
      const n = fs.readSync(this.fd, this.buf, got, want - got, from + got);
      if (n <= 0) throw new SequenceFileError(this.file, 'it ends early');
      got += n;
    }
    this.bufStart = from;
    this.bufLength = got;
  }
}

/**
 * The byte source every reader starts from: a file streamed in ~1 MB chunks, decompressed on the fly when it is gzip
 * (bgzip included: a BGZF file is a series of gzip members and Node's gunzip reads them all), with the checks that
 * must happen before any parsing: the file exists, is not empty, is text, and its gzip data is complete.
 *
 * Nothing here holds more than a couple of chunks, so a multi-GB file never sits in memory.
 */
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream';
import zlib from 'node:zlib';
import { throwIfCancelled, type CancelSignal } from './cancel';
import { hasUtf16Bom, hasUtf8Bom, looksBinary } from './text-check';
import { ImportError, type ReadProgress } from './types';

/** Read size. Large chunks keep per-chunk overhead (stream machinery, cancellation checks) out of the profile. */
const READ_CHUNK_BYTES = 1 << 20;
/** gunzip output buffer size. */
const INFLATE_CHUNK_BYTES = 256 << 10;
/** Progress is reported after at least this many more compressed bytes were read (plus once at the end). */
export const PROGRESS_STEP_BYTES = 1 << 20;

export interface ReadContext {
  readonly onProgress?: ((p: ReadProgress) => void) | undefined;
  readonly signal?: CancelSignal | undefined;
}

export interface ChunkOptions extends ReadContext {
  /** The line the parser has reached, so that a gzip error can say where the data stopped. */
  readonly currentLine?: (() => number) | undefined;
}

/** True when the file starts with the gzip magic bytes (by content, whatever its extension says). */
export async function isGzipFile(file: string): Promise<boolean> {
  const head = await readFileHead(file, 2);
  return head.length === 2 && head[0] === 0x1f && head[1] === 0x8b;
}

/** Up to `bytes` bytes from the start of the file (fewer when the file is shorter). */
export async function readFileHead(file: string, bytes: number): Promise<Buffer> {
  const fh = await openForReading(file);
  try {
    const buf = Buffer.alloc(bytes);
    const { bytesRead } = await fh.read(buf, 0, bytes, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

export async function openForReading(file: string): Promise<fs.promises.FileHandle> {
  try {
    return await fs.promises.open(file, 'r');
  } catch (err) {
    throw fileSystemError(file, err);
  }
}

export async function statFile(file: string): Promise<fs.Stats> {
  let st: fs.Stats;
  try {
    st = await fs.promises.stat(file);
  } catch (err) {
    throw fileSystemError(file, err);
  }
  if (st.isDirectory()) throw new ImportError(file, 0, 'this is a folder, not a file');
  return st;
}

/** A file-system error (missing file, no permission) as an ImportError a user can act on. */
export function fileSystemError(file: string, err: unknown): Error {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return new ImportError(file, 0, 'the file does not exist (was it moved or deleted?)');
  if (code === 'EACCES' || code === 'EPERM') return new ImportError(file, 0, 'the file cannot be read (no permission)');
  if (code === 'EISDIR') return new ImportError(file, 0, 'this is a folder, not a file');
  return err instanceof Error ? err : new Error(String(err));
}

/**
 * The decompressed content of `file` in chunks, UTF-8 byte-order mark removed. Throws ImportError for an empty file,
 * a binary file (checked on the first kilobyte), UTF-16 text, and truncated or damaged gzip data; CancelledError when
 * `signal.cancelled` is set (checked before each chunk).
 */
export async function* readChunks(file: string, opts: ChunkOptions = {}): AsyncGenerator<Buffer> {
  const st = await statFile(file);
  if (st.size === 0) throw new ImportError(file, 1, 'the file is empty');
  const gzip = await isGzipFile(file);
  const input = fs.createReadStream(file, { highWaterMark: READ_CHUNK_BYTES });
  // pipeline() forwards errors from either stream to the one we iterate, and tears both down when we stop early.
  const stream: AsyncIterable<Buffer> = gzip
    ? pipeline(input, zlib.createGunzip({ chunkSize: INFLATE_CHUNK_BYTES }), () => undefined)
    : input;
  const line = (): number => Math.max(1, opts.currentLine?.() ?? 1);
  const report = (bytesRead: number): void => opts.onProgress?.({ bytesRead, totalBytes: st.size });
  let first = true;
  let total = 0;
  let reported = 0;
  try {
    for await (const chunk of stream) {
      throwIfCancelled(opts.signal);
      let buf = chunk;
      if (first && buf.length > 0) {
        first = false;
        checkStartOfText(file, buf);
        if (hasUtf8Bom(buf)) buf = buf.subarray(3);
      }
      total += buf.length;
      if (input.bytesRead - reported >= PROGRESS_STEP_BYTES) {
        reported = input.bytesRead;
        report(reported);
      }
      if (buf.length > 0) yield buf;
    }
  } catch (err) {
    throw translateReadError(file, err, line());
  } finally {
    input.destroy();
  }
  if (total === 0) throw new ImportError(file, 1, gzip ? 'the file is empty (the gzip data holds nothing)' : 'the file is empty');
  report(st.size);
}

function checkStartOfText(file: string, head: Buffer): void {
  if (hasUtf16Bom(head)) throw new ImportError(file, 1, 'the file is UTF-16 text; save it as UTF-8 or plain ASCII');
  if (looksBinary(head)) {
    throw new ImportError(file, 1, `this is not a text file (${path.extname(file) || 'no extension'}); choose a FASTA, CSV, TSV or BED file`);
  }
}

/** zlib's errors in words; anything else (ImportError, CancelledError, I/O errors) passes through. */
export function translateReadError(file: string, err: unknown, line: number): unknown {
  if (err instanceof ImportError || !(err instanceof Error)) return err;
  const code = (err as NodeJS.ErrnoException).code ?? '';
  if (code === 'Z_BUF_ERROR' || /unexpected end of file/i.test(err.message)) {
    return new ImportError(file, line, 'the gzip data ends early; the file is incomplete or damaged');
  }
  if (code.startsWith('Z_') || code.startsWith('ERR_ZLIB')) {
    return new ImportError(file, line, `the gzip data is damaged (${err.message})`);
  }
  return fileSystemError(file, err);
}

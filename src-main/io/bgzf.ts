/**
 * Random access into a bgzip (BGZF) file. BGZF is gzip made of independent members ("blocks") of at most 64 KB of
 * data each, whose header carries the block's compressed size (BSIZE in the `BC` extra field). Knowing where each
 * block starts, in compressed and in uncompressed bytes, any uncompressed range is read by inflating only the one or
 * two blocks that hold it. That map comes from the `.gzi` index bgzip writes (`bgzip -i`), or from one pass over the
 * block headers (a few bytes per 64 KB: fast even for a whole genome).
 */
import type fs from 'node:fs';
import zlib from 'node:zlib';
import { ImportError } from './types';

export interface BgzfBlock {
  /** Offset of the block in the compressed file. */
  readonly coff: number;
  /** Offset of its first byte in the uncompressed data. */
  readonly uoff: number;
}

const HEADER_BYTES = 18;

/** The total size of the BGZF block whose header starts at `at`, or null when there is no BGZF header there. */
export function bgzfBlockSize(buf: Uint8Array, at = 0): number | null {
  if (buf.length < at + HEADER_BYTES) return null;
  if (buf[at] !== 0x1f || buf[at + 1] !== 0x8b || buf[at + 2] !== 8 || ((buf[at + 3] ?? 0) & 4) === 0) return null;
  const xlen = (buf[at + 10] ?? 0) | ((buf[at + 11] ?? 0) << 8);
  let p = at + 12;
  const xend = p + xlen;
  while (p + 4 <= xend && p + 4 <= buf.length) {
    const slen = (buf[p + 2] ?? 0) | ((buf[p + 3] ?? 0) << 8);
    if (buf[p] === 66 && buf[p + 1] === 67 && slen === 2 && p + 6 <= buf.length) {
      return ((buf[p + 4] ?? 0) | ((buf[p + 5] ?? 0) << 8)) + 1;
    }
    p += 4 + slen;
  }
  return null;
}

/** Parses a `.gzi` index: uint64 count, then (compressed offset, uncompressed offset) pairs, little-endian. */
export function parseGzi(gziFile: string, buf: Buffer): BgzfBlock[] {
  const bad = (): ImportError => new ImportError(gziFile, 0, 'this is not a bgzip index (.gzi); delete it so the blocks are found by scanning the reference');
  if (buf.length < 8) throw bad();
  const n = Number(buf.readBigUInt64LE(0));
  if (buf.length !== 8 + 16 * n) throw bad();
  const blocks: BgzfBlock[] = [{ coff: 0, uoff: 0 }];
  for (let i = 0; i < n; i++) {
    const coff = Number(buf.readBigUInt64LE(8 + 16 * i));
    const uoff = Number(buf.readBigUInt64LE(16 + 16 * i));
    const prev = blocks[blocks.length - 1];
    if (prev !== undefined && (coff < prev.coff || uoff < prev.uoff)) throw bad();
    if (coff !== 0) blocks.push({ coff, uoff });
  }
  return blocks;
}

/** Finds every block by walking the headers. Throws when the file is not BGZF throughout, or is cut short. */
export async function scanBgzfBlocks(file: string, fh: fs.promises.FileHandle, size: number): Promise<BgzfBlock[]> {
  const blocks: BgzfBlock[] = [];
  const window = Buffer.allocUnsafe(4 << 20);
  let winStart = 0;
  let winLen = 0;
  const ensure = async (from: number, bytes: number): Promise<boolean> => {
    if (from >= winStart && from + bytes <= winStart + winLen) return true;
    const { bytesRead } = await fh.read(window, 0, Math.min(window.length, size - from), from);
    winStart = from;
    winLen = bytesRead;
    return bytes <= winLen;
  };
  let coff = 0;
  let uoff = 0;
  while (coff < size) {
    const bsize = (await ensure(coff, HEADER_BYTES)) ? bgzfBlockSize(window.subarray(coff - winStart, winLen)) : null;
    if (bsize === null) {
      throw new ImportError(file, 0, `the data at byte ${coff} is not a bgzip block; compress the reference with bgzip or decompress it`);
    }
    if (!(await ensure(coff, bsize))) throw new ImportError(file, 0, 'the bgzip data ends early; the file is incomplete or damaged');
    blocks.push({ coff, uoff });
    uoff += window.readUInt32LE(coff - winStart + bsize - 4);
    coff += bsize;
  }
  return blocks;
}

/** Reads uncompressed byte ranges of a BGZF file, inflating only the blocks it needs (the last few are cached). */
export class BgzfReader {
  private readonly cache = new Map<number, Buffer>();
  private static readonly CACHE_BLOCKS = 16;

  constructor(
    private readonly file: string,
    private readonly fh: fs.promises.FileHandle,
    private readonly size: number,
    private readonly blocks: readonly BgzfBlock[],
  ) {}

  /** Uncompressed bytes [from, to). */
  async read(from: number, to: number): Promise<Buffer> {
    const out = Buffer.allocUnsafe(Math.max(0, to - from));
    let filled = 0;
    let i = this.blockAt(from);
    while (filled < out.length) {
      const block = this.blocks[i];
      if (block === undefined) throw new ImportError(this.file, 0, 'the reference ends before the position its index points to; delete its .fai/.gzi so they are rebuilt');
      const data = await this.inflate(i);
      const at = from + filled - block.uoff;
      if (at < data.length) filled += data.copy(out, filled, at, Math.min(data.length, at + out.length - filled));
      i++;
    }
    return out;
  }

  /** Index of the last block starting at or before uncompressed offset `u`. */
  private blockAt(u: number): number {
    let lo = 0;
    let hi = this.blocks.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.blocks[mid]?.uoff ?? Infinity) <= u) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  private async inflate(i: number): Promise<Buffer> {
    const cached = this.cache.get(i);
    if (cached !== undefined) {
      this.cache.delete(i); // re-insert: Map order is the LRU order
      this.cache.set(i, cached);
      return cached;
    }
    const start = this.blocks[i]?.coff ?? 0;
    const end = this.blocks[i + 1]?.coff ?? this.size;
    const compressed = Buffer.allocUnsafe(end - start);
    const { bytesRead } = await this.fh.read(compressed, 0, compressed.length, start);
    let data: Buffer;
    try {
      // gunzipSync reads every member in the range, so a sparse index (several blocks per entry) also works.
      data = zlib.gunzipSync(compressed.subarray(0, bytesRead));
    } catch (err) {
      throw new ImportError(this.file, 0, `the bgzip block at byte ${start} is damaged (${(err as Error).message})`);
    }
    this.cache.set(i, data);
    if (this.cache.size > BgzfReader.CACHE_BLOCKS) {
      const oldest = this.cache.keys().next();
      if (oldest.done !== true) this.cache.delete(oldest.value);
    }
    return data;
  }
}

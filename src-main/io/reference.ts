/**
 * A reference genome FASTA opened for random access: plain, or bgzip-compressed. Intervals are read through the
 * FASTA index (`.fai`) and, for bgzip, the block index (`.gzi`); both are used when they sit next to the file and built
 * in memory otherwise (never written next to the user's file). Built indices are cached for the process, keyed by
 * path, size and modification time, so importing several BED files against one genome scans it once.
 *
 * A reference compressed with plain gzip cannot be read in parts; it is refused with a message saying what to do.
 */
import fs from 'node:fs';
import path from 'node:path';
import { BgzfReader, bgzfBlockSize, parseGzi, scanBgzfBlocks, type BgzfBlock } from './bgzf';
import type { CancelSignal } from './cancel';
import { FaiBuilder, byteRange, readFaiFile, type FaiEntry, type FaiIndex } from './fasta-index';
import { openForReading, readChunks, readFileHead, statFile } from './read-chunks';
import { ImportError } from './types';

interface CachedIndex {
  readonly key: string;
  readonly fai: FaiIndex;
  readonly blocks: readonly BgzfBlock[] | null;
}

const indexCache = new Map<string, CachedIndex>();

/** Forget the indices built so far (tests; or after the user edited a reference in place). */
export function clearReferenceIndexCache(): void {
  indexCache.clear();
}

async function exists(file: string): Promise<boolean> {
  try {
    return (await fs.promises.stat(file)).isFile();
  } catch {
    return false;
  }
}

/** 'plain', 'bgzf', or 'gzip' (plain gzip, which has no random access). */
export async function compressionOf(file: string): Promise<'plain' | 'bgzf' | 'gzip'> {
  const head = await readFileHead(file, 64);
  if (head.length < 2 || head[0] !== 0x1f || head[1] !== 0x8b) return 'plain';
  return bgzfBlockSize(head) === null ? 'gzip' : 'bgzf';
}

function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

export class FastaReference {
  readonly name: string;

  private constructor(
    readonly file: string,
    private readonly fh: fs.promises.FileHandle,
    private readonly fai: FaiIndex,
    private readonly bgzf: BgzfReader | null,
  ) {
    this.name = path.basename(file);
  }

  /** Opens `file`, reading or building its indices. Errors name the reference file. */
  static async open(file: string, signal?: CancelSignal): Promise<FastaReference> {
    const st = await statFile(file);
    if (st.size === 0) throw new ImportError(file, 1, 'the reference file is empty');
    const kind = await compressionOf(file);
    if (kind === 'gzip') {
      throw new ImportError(
        file,
        0,
        `${path.basename(file)} is compressed with plain gzip, which cannot be read in parts; compress the reference with bgzip or decompress it`,
      );
    }
    const key = `${st.size}:${st.mtimeMs}`;
    const abs = path.resolve(file);
    const fh = await openForReading(file);
    try {
      let cached = indexCache.get(abs);
      if (cached === undefined || cached.key !== key) {
        const faiFile = `${file}.fai`;
        let fai: FaiIndex;
        if (await exists(faiFile)) fai = await readFaiFile(faiFile);
        else {
          // One streaming pass; readChunks inflates bgzip transparently, and offsets are uncompressed bytes.
          const builder = new FaiBuilder(file);
          for await (const chunk of readChunks(file, { signal })) builder.push(chunk);
          fai = builder.end();
        }
        let blocks: BgzfBlock[] | null = null;
        if (kind === 'bgzf') {
          const gziFile = `${file}.gzi`;
          blocks = (await exists(gziFile)) ? parseGzi(gziFile, await fs.promises.readFile(gziFile)) : await scanBgzfBlocks(file, fh, st.size);
        }
        cached = { key, fai, blocks };
        indexCache.set(abs, cached);
      }
      const reader = cached.blocks === null ? null : new BgzfReader(file, fh, st.size, cached.blocks);
      return new FastaReference(file, fh, cached.fai, reader);
    } catch (err) {
      await fh.close();
      throw err;
    }
  }

  /** Sequence names in index order. */
  sequenceNames(): string[] {
    return [...this.fai.keys()];
  }

  lengthOf(name: string): number | undefined {
    return this.fai.get(name)?.length;
  }

  /** "chr1, chr2, ... and 190 more": for messages about a name that is not there. */
  describeNames(max = 8): string {
    const names = this.sequenceNames();
    const shown = names.slice(0, max).join(', ');
    return names.length > max ? `${shown} and ${formatCount(names.length - max)} more` : shown;
  }

  /** Bases [start, end) of `name` exactly as in the file (case kept). The caller checks the bounds. */
  async fetch(name: string, start: number, end: number): Promise<string> {
    const e = this.fai.get(name);
    if (e === undefined) throw new ImportError(this.file, 0, `there is no sequence ${name}`);
    if (end <= start) return '';
    const { from, to } = byteRange(e, start, end);
    const raw = this.bgzf !== null ? await this.bgzf.read(from, to) : await this.readPlain(from, to);
    const seq = stripLineBreaks(raw);
    if (seq.length !== end - start) throw this.mismatch(e);
    return seq.toString('latin1');
  }

  async close(): Promise<void> {
    await this.fh.close();
  }

  private async readPlain(from: number, to: number): Promise<Buffer> {
    const buf = Buffer.allocUnsafe(to - from);
    let filled = 0;
    while (filled < buf.length) {
      const { bytesRead } = await this.fh.read(buf, filled, buf.length - filled, from + filled);
      if (bytesRead === 0) throw this.mismatch(null);
      filled += bytesRead;
    }
    return buf;
  }

  private mismatch(e: FaiEntry | null): ImportError {
    return new ImportError(
      this.file,
      0,
      `the index ${this.name}.fai does not match the file${e === null ? '' : ` (at ${e.name})`}; delete the .fai (and .gzi) so the index is rebuilt`,
    );
  }
}

/** The bytes without CR and LF (the ones between sequence lines). */
function stripLineBreaks(buf: Buffer): Buffer {
  if (buf.indexOf(10) < 0 && buf.indexOf(13) < 0) return buf;
  let n = 0;
  for (let i = 0; i < buf.length; i++) {
    const b = buf[i] ?? 0;
    if (b !== 10 && b !== 13) buf[n++] = b;
  }
  return buf.subarray(0, n);
}

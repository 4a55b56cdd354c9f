import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { expect } from 'vitest';
import { ImportError, readRecords, type RawRecord, type SourceSpec } from '../../../src-main/io';

/** The repository's shared real data (../shared/data beside the checkout). */
export const SHARED_DATA = path.resolve(__dirname, '../../../../shared/data');
export const REFERENCE_DIR = path.join(SHARED_DATA, 'reference_hg38_chr2_1-2333275');
export const REFERENCE = path.join(REFERENCE_DIR, 'chr2_1-2333275.fa.gz');

export function makeTempDir(): { dir: string; cleanup: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dnalm-io-'));
  return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

export async function readAll(spec: SourceSpec): Promise<RawRecord[]> {
  const out: RawRecord[] = [];
  for await (const r of readRecords(spec)) out.push(r);
  return out;
}

/** Runs `fn` and returns the ImportError it throws (failing the test when it throws nothing or something else). */
export async function importError(fn: () => Promise<unknown>): Promise<ImportError> {
  try {
    await fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ImportError);
    return err as ImportError;
  }
  throw new Error('expected an ImportError, but nothing was thrown');
}

export function hasTool(name: string): boolean {
  try {
    execFileSync(name, ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * BGZF (what `bgzip` writes) made with zlib: ≤ 64 KB pieces, each its own gzip member whose header carries the `BC`
 * extra field with the member's size, then the empty end-of-file block.
 */
export function bgzfCompress(data: Buffer, pieceBytes = 0xff00): Buffer {
  const blocks: Buffer[] = [];
  const block = (piece: Buffer): Buffer => {
    const gz = zlib.gzipSync(piece);
    const body = gz.subarray(10); // deflate data + CRC32 + ISIZE
    const header = Buffer.from([0x1f, 0x8b, 8, 4, 0, 0, 0, 0, 0, 0xff, 6, 0, 66, 67, 2, 0, 0, 0]);
    header.writeUInt16LE(header.length + body.length - 1, 16);
    return Buffer.concat([header, body]);
  };
  for (let i = 0; i < data.length; i += pieceBytes) blocks.push(block(data.subarray(i, i + pieceBytes)));
  blocks.push(block(Buffer.alloc(0)));
  return Buffer.concat(blocks);
}

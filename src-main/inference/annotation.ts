/** An annotation BED (e.g. the bundled chr2 TSS sets) read for one region: the sites that lie in it. */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { ApiError } from '../../src-shared/api';
import { isBedHeaderLine, isBedMetaLine, parseBedLine } from '../io/bed-intervals';
import { ImportError } from '../io/types';

export interface Site {
  readonly chrom: string;
  readonly start: number;
  readonly end: number;
  readonly name: string;
  readonly strand: '+' | '-' | '.';
}

/** Sites of `chrom` overlapping [start, end), sorted by start. Errors name the file and line. */
export function readSites(file: string, chrom: string, start: number, end: number): Site[] {
  let text: string;
  try {
    const raw = fs.readFileSync(file);
    text = (raw[0] === 0x1f && raw[1] === 0x8b ? zlib.gunzipSync(raw) : raw).toString('utf8');
  } catch (err) {
    throw new ApiError('INVALID_REQUEST', `The annotation ${file} cannot be read (${err instanceof Error ? err.message : String(err)}).`);
  }
  const out: Site[] = [];
  let firstData = true;
  const lines = text.split('\n');
  try {
    for (const [i, raw] of lines.entries()) {
      const line = raw.replace(/\r$/, '');
      if (isBedMetaLine(line)) continue;
      if (firstData && isBedHeaderLine(line)) {
        firstData = false;
        continue;
      }
      firstData = false;
      const iv = parseBedLine(path.basename(file), i + 1, line);
      if (iv.chrom !== chrom || iv.end <= start || iv.start >= end) continue;
      const strand = iv.strand === '+' || iv.strand === '-' ? iv.strand : '.';
      out.push({ chrom, start: iv.start, end: Math.max(iv.end, iv.start + 1), name: iv.name ?? `site${out.length + 1}`, strand });
    }
  } catch (err) {
    if (err instanceof ImportError) throw new ApiError('INVALID_REQUEST', `${err.message}. Fix the annotation BED or choose another.`);
    throw err;
  }
  return out.sort((a, b) => a.start - b.start || a.end - b.end);
}

// The reference files (DNABERT vocabularies, sample data) live in the workspace's shared data folder, next to the
// repository; DNALM_SHARED_DATA points elsewhere.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

export const SHARED_DATA = process.env['DNALM_SHARED_DATA'] ?? path.resolve(__dirname, '../../../../shared/data');

export function sharedFile(relative: string): string {
  const file = path.join(SHARED_DATA, relative);
  if (!fs.existsSync(file)) throw new Error(`Reference file ${file} is missing; set DNALM_SHARED_DATA to the shared data folder.`);
  return file;
}

export function readSharedText(relative: string): string {
  const buf = fs.readFileSync(sharedFile(relative));
  return (relative.endsWith('.gz') ? zlib.gunzipSync(buf) : buf).toString('utf8');
}

/** Data lines of a delimited text file (header dropped, CRLF tolerated, blank lines skipped), split on `sep`. */
export function readSharedTable(relative: string, sep: string): string[][] {
  const lines = readSharedText(relative).split(/\r?\n/).filter((l) => l.length > 0);
  return lines.slice(1).map((l) => l.split(sep));
}

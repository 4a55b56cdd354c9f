/**
 * BED lines and the window that is cut from the reference for each: 0-based half-open coordinates, then `flank` bases
 * added on both sides, then (optionally) resized around the centre to a fixed length.
 */
import { ImportError } from './types';

export interface BedInterval {
  readonly chrom: string;
  readonly start: number;
  readonly end: number;
  readonly name: string | null;
  /** '+', '-', '.', or null when the line has no strand column. */
  readonly strand: string | null;
  readonly line: number;
}

/** True for lines that carry no interval: blank, `#` comments, UCSC `track` and `browser` lines. */
export function isBedMetaLine(text: string): boolean {
  const t = text.trimStart();
  return t === '' || t.startsWith('#') || /^(track|browser)(\s|$)/.test(t);
}

/**
 * A column-name line such as `chrom<TAB>start<TAB>end` (spreadsheet exports have one): both coordinates are words.
 * Only the first data line is checked for this; later non-numeric coordinates are errors.
 */
export function isBedHeaderLine(text: string): boolean {
  const f = text.includes('\t') ? text.split('\t') : text.trim().split(/\s+/);
  return f.length >= 3 && /^[A-Za-z_]/.test((f[1] ?? '').trim()) && /^[A-Za-z_]/.test((f[2] ?? '').trim());
}

function coordinate(file: string, line: number, what: string, text: string | undefined): number {
  const t = (text ?? '').trim();
  if (!/^\d+$/.test(t)) {
    throw new ImportError(file, line, `the ${what} '${t}' is not a whole number (a BED line is chrom, start, end, ...; 0-based start)`);
  }
  const v = Number(t);
  if (!Number.isSafeInteger(v)) throw new ImportError(file, line, `the ${what} ${t} is too large`);
  return v;
}

/** One BED data line (tab-separated; whitespace-separated is accepted when the line has no tab). */
export function parseBedLine(file: string, line: number, text: string): BedInterval {
  const fields = text.includes('\t') ? text.split('\t') : text.trim().split(/\s+/);
  if (fields.length < 3) {
    throw new ImportError(file, line, `a BED line needs at least 3 fields (chrom, start, end); this one has ${fields.length}`);
  }
  const chrom = (fields[0] ?? '').trim();
  const start = coordinate(file, line, 'start', fields[1]);
  const end = coordinate(file, line, 'end', fields[2]);
  if (start > end) throw new ImportError(file, line, `the start ${start} is after the end ${end}`);
  const name = fields.length > 3 ? (fields[3] ?? '').trim() : '';
  const strandField = fields.length > 5 ? (fields[5] ?? '').trim() : null;
  if (strandField !== null && strandField !== '+' && strandField !== '-' && strandField !== '.') {
    throw new ImportError(file, line, `the strand '${strandField}' (column 6) must be +, - or .`);
  }
  return { chrom, start, end, name: name === '' ? null : name, strand: strandField, line };
}

/**
 * The window to extract: `flank` bases added on both sides, then resized to `resizeTo` around the centre. For odd
 * leftovers the centre is taken strand-aware (mirrored on '-'), so a 1-bp TSS lands at the same index of the
 * extracted (and, on '-', reverse-complemented) sequence whichever strand it is on.
 */
export function extractionWindow(iv: BedInterval, flank = 0, resizeTo?: number): { start: number; end: number } {
  let start = iv.start - flank;
  let end = iv.end + flank;
  if (resizeTo !== undefined) {
    const half = Math.floor(resizeTo / 2);
    if (iv.strand === '-') {
      const centre = end - Math.floor((end - start) / 2);
      end = centre + half;
      start = end - resizeTo;
    } else {
      const centre = start + Math.floor((end - start) / 2);
      start = centre - half;
      end = start + resizeTo;
    }
  }
  return { start, end };
}

/**
 * MEME motif format (version 4, the minimal form MEME suite tools and JASPAR export): `MEME version 4`, optional
 * `ALPHABET= ACGT`, `strands:`, `Background letter frequencies` followed by `A 0.25 C 0.25 ...`, then per motif
 * `MOTIF id [name]`, `letter-probability matrix: alength= 4 w= W nsites= N ...` and W rows of four probabilities.
 * Probabilities are turned back into counts with `nsites` (20, MEME's default, when absent).
 */
import { ImportError } from './types';
import { MOTIF_BASES, type MotifMatrix } from './motif-types';
import { checkColumns, parseCount } from './motif-parse';

const DEFAULT_NSITES = 20;

export function parseMeme(file: string, lines: readonly string[]): { motifs: MotifMatrix[]; background?: number[] } {
  const motifs: MotifMatrix[] = [];
  let background: number[] | undefined;
  let sawVersion = false;
  let i = 0;
  const next = (): string => (lines[i++] ?? '').trim();
  while (i < lines.length) {
    const text = next();
    const line = i;
    if (text === '') continue;
    if (/^MEME version\s+\d/.test(text)) {
      sawVersion = true;
    } else if (text.startsWith('ALPHABET')) {
      const alphabet = text.replace(/^ALPHABET\s*=?\s*/, '').split(/\s+/)[0]?.toUpperCase() ?? '';
      if (alphabet !== 'ACGT') throw new ImportError(file, line, `the alphabet is "${alphabet}"; only DNA motifs (ACGT) can be scanned`);
    } else if (text.startsWith('Background letter frequencies')) {
      background = readBackground(file, lines, i);
      while (i < lines.length && /^[ACGTacgt]\s+[\d.eE+-]+/.test((lines[i] ?? '').trim())) i++;
    } else if (text.startsWith('MOTIF')) {
      if (!sawVersion) throw new ImportError(file, line, 'a MOTIF comes before the "MEME version 4" line');
      const [, id = '', ...rest] = text.split(/\s+/);
      if (id === '') throw new ImportError(file, line, 'MOTIF has no id');
      // The matrix header may be preceded by other lines (URL, log-odds matrix of other tools): find it.
      while (i < lines.length && !(lines[i] ?? '').trim().startsWith('letter-probability matrix') && !(lines[i] ?? '').trim().startsWith('MOTIF')) i++;
      const headerText = (lines[i] ?? '').trim();
      if (!headerText.startsWith('letter-probability matrix')) throw new ImportError(file, line, `motif ${id} has no "letter-probability matrix" line`);
      i++;
      const header = readHeader(headerText);
      const width = header['w'];
      const nsites = header['nsites'] ?? DEFAULT_NSITES;
      if (header['alength'] !== undefined && header['alength'] !== 4) throw new ImportError(file, i, `motif ${id} has alength= ${header['alength']}; DNA motifs have 4`);
      const columns: number[][] = [];
      while (i < lines.length && (width === undefined || columns.length < width)) {
        const row = (lines[i] ?? '').trim();
        if (row === '' && width === undefined) break;
        if (row === '') {
          i++;
          continue;
        }
        if (!/^[\d.+-]/.test(row)) {
          if (width === undefined) break;
          throw new ImportError(file, i + 1, `motif ${id}: expected ${width} rows of probabilities, found ${columns.length} before "${row.slice(0, 30)}"`);
        }
        i++;
        const fields = row.split(/\s+/);
        if (fields.length !== 4) throw new ImportError(file, i, `motif ${id}: a row has ${fields.length} values; expected 4 (A C G T)`);
        columns.push(fields.map((f, k) => parseCount(f, file, i, `the ${MOTIF_BASES[k] ?? ''} probability of motif ${id}`) * nsites));
      }
      if (width !== undefined && columns.length < width) throw new ImportError(file, lastTextLine(lines, i), `motif ${id}: the file ends after ${columns.length} of ${width} rows`);
      checkColumns(columns, file, line, id);
      motifs.push({ id, name: rest.join(' ') || id, counts: columns, line });
    }
  }
  if (!sawVersion) throw new ImportError(file, 1, 'not a MEME motif file (no "MEME version" line)');
  return background === undefined ? { motifs } : { motifs, background };
}

function readHeader(text: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const m of text.matchAll(/(\w+)\s*=\s*([\d.eE+-]+)/g)) {
    const value = Number(m[2]);
    if (m[1] !== undefined && Number.isFinite(value)) out[m[1]] = value;
  }
  return out;
}

/** `A 0.25 C 0.25 G 0.25 T 0.25`, possibly spread over several lines, from line index `start`. */
function readBackground(file: string, lines: readonly string[], start: number): number[] {
  const values = new Map<string, number>();
  for (let i = start; i < lines.length && values.size < 4; i++) {
    const text = (lines[i] ?? '').trim();
    if (text === '') continue;
    const fields = text.split(/\s+/);
    if (fields.length % 2 !== 0) throw new ImportError(file, i + 1, 'background frequencies must be pairs such as "A 0.25 C 0.25"');
    for (let k = 0; k < fields.length; k += 2) {
      const base = (fields[k] ?? '').toUpperCase();
      if (!(MOTIF_BASES as readonly string[]).includes(base)) throw new ImportError(file, i + 1, `background letter "${fields[k] ?? ''}" is not A, C, G or T`);
      values.set(base, parseCount(fields[k + 1] ?? '', file, i + 1, `the background frequency of ${base}`));
    }
  }
  const bg = MOTIF_BASES.map((b) => values.get(b) ?? Number.NaN);
  if (bg.some((v) => !Number.isFinite(v))) throw new ImportError(file, start, 'the background frequencies do not give all of A, C, G and T');
  return bg;
}

/** The 1-based number of the last non-blank line at or before line `upTo` (1-based): where "the file ends". */
function lastTextLine(lines: readonly string[], upTo: number): number {
  let k = Math.min(upTo, lines.length);
  while (k > 1 && (lines[k - 1] ?? '').trim() === '') k--;
  return k;
}

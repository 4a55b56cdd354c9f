/** Pieces the three motif readers share: numbers, rows to columns, and the checks every matrix must pass. */
import { ImportError } from './types';
import { MOTIF_BASES } from './motif-types';

/** A count or probability: a finite number, not negative. */
export function parseCount(text: string, file: string, line: number, where: string): number {
  const value = Number(text);
  if (text === '' || !Number.isFinite(value)) throw new ImportError(file, line, `${where} is "${text}", not a number`);
  if (value < 0) throw new ImportError(file, line, `${where} is negative (${text})`);
  return value;
}

/** Rows per letter -> columns [width][A, C, G, T], checking equal lengths and that no column is empty. */
export function assembleCounts(rows: ReadonlyMap<string, readonly number[]>, file: string, line: number, id: string): number[][] {
  const width = rows.get('A')?.length ?? 0;
  for (const base of MOTIF_BASES) {
    const n = rows.get(base)?.length ?? 0;
    if (n !== width) throw new ImportError(file, line, `motif ${id}: row ${base} has ${n} columns but row A has ${width}`);
  }
  const columns: number[][] = [];
  for (let k = 0; k < width; k++) columns.push(MOTIF_BASES.map((b) => rows.get(b)?.[k] ?? 0));
  checkColumns(columns, file, line, id);
  return columns;
}

export function checkColumns(columns: readonly (readonly number[])[], file: string, line: number, id: string): void {
  if (columns.length === 0) throw new ImportError(file, line, `motif ${id} has no columns`);
  columns.forEach((col, k) => {
    if (col.reduce((a, b) => a + b, 0) <= 0) throw new ImportError(file, line, `motif ${id}: column ${k + 1} has no counts (all zero)`);
  });
}

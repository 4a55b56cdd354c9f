/**
 * TRANSFAC matrix format as JASPAR exports it: two-letter line codes, `AC` accession (our id), `ID` identifier, `NA`
 * name, `P0`/`PO` header naming the letter order, numbered rows `01 4.0 16.0 0.0 0.0 [consensus]`, `CC` comments,
 * `XX` separators, and `//` closing each matrix.
 */
import { ImportError } from './types';
import { MOTIF_BASES, type MotifMatrix } from './motif-types';
import { checkColumns, parseCount } from './motif-parse';

interface Pending {
  line: number;
  ac?: string;
  idName?: string;
  na?: string;
  order?: number[];
  columns: number[][];
}

export function parseTransfac(file: string, lines: readonly string[]): MotifMatrix[] {
  const motifs: MotifMatrix[] = [];
  let cur: Pending | null = null;
  const finish = (line: number): void => {
    if (cur === null) return;
    const id = cur.ac ?? cur.idName;
    if (id === undefined) throw new ImportError(file, cur.line, 'a matrix has neither an AC nor an ID line');
    if (cur.order === undefined) throw new ImportError(file, line, `matrix ${id} has no P0 line with its letters`);
    checkColumns(cur.columns, file, cur.line, id);
    const name = cur.na ?? (cur.ac !== undefined ? cur.idName : undefined) ?? id;
    motifs.push({ id, name, counts: cur.columns, line: cur.line });
    cur = null;
  };
  for (let i = 0; i < lines.length; i++) {
    const line = i + 1;
    const text = (lines[i] ?? '').replace(/\s+$/, '');
    if (text.trim() === '') continue;
    if (text.startsWith('//')) {
      finish(line);
      continue;
    }
    const code = text.slice(0, 2);
    const rest = text.slice(2).trim();
    if (!/^[A-Z0-9]{2}$/.test(code) || (text.length > 2 && !/\s/.test(text[2] ?? ''))) {
      throw new ImportError(file, line, `expected a TRANSFAC line such as "AC MA0004.1" or "01 4 16 0 0", found "${text.slice(0, 40)}"`);
    }
    cur ??= { line, columns: [] };
    if (code === 'AC') cur.ac = rest.split(/\s+/)[0] ?? '';
    else if (code === 'ID') cur.idName = rest;
    else if (code === 'NA') cur.na = rest;
    else if (code === 'P0' || code === 'PO') {
      const letters = rest.split(/\s+/).map((l) => l.toUpperCase());
      const order = MOTIF_BASES.map((b) => letters.indexOf(b));
      if (letters.length !== 4 || order.some((k) => k < 0)) throw new ImportError(file, line, `the ${code} line must name the letters A, C, G and T, found "${rest}"`);
      cur.order = order;
    } else if (/^\d\d$/.test(code)) {
      const order = cur.order;
      const where = cur.ac ?? cur.idName ?? 'matrix';
      if (order === undefined) throw new ImportError(file, line, `a matrix row comes before the P0 line of ${where}`);
      if (Number(code) !== cur.columns.length + 1) throw new ImportError(file, line, `row ${code} of ${where} is out of order (expected ${cur.columns.length + 1})`);
      const fields = rest.split(/\s+/);
      if (fields.length < 4) throw new ImportError(file, line, `row ${code} of ${where} has ${fields.length} values; expected 4`);
      cur.columns.push(order.map((k) => parseCount(fields[k] ?? '', file, line, `row ${code} of ${where}`)));
    }
    // CC, DE, XX, BF, BA and other codes are descriptive: nothing to read for scanning.
  }
  if (cur !== null) {
    const open: Pending = cur;
    if (open.columns.length > 0) throw new ImportError(file, lines.length, `matrix ${open.ac ?? open.idName ?? ''} is not closed with "//"`);
  }
  return motifs;
}

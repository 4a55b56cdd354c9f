/**
 * JASPAR matrix format: a header `>MA0004.1<TAB>Arnt`, then four rows `A  [ 4 19 0 ... ]` (brackets optional, rows in
 * any letter order). Blank lines between motifs are allowed.
 */
import { ImportError } from './types';
import { MOTIF_BASES, type MotifMatrix } from './motif-types';
import { assembleCounts, parseCount } from './motif-parse';

const ROW = /^([ACGTacgt])\s*\[?\s*([^\]]*?)\s*\]?\s*$/;

export function parseJaspar(file: string, lines: readonly string[]): MotifMatrix[] {
  const motifs: MotifMatrix[] = [];
  let i = 0;
  while (i < lines.length) {
    const header = (lines[i] ?? '').trim();
    if (header === '') {
      i++;
      continue;
    }
    const line = i + 1;
    if (!header.startsWith('>')) throw new ImportError(file, line, `expected a motif header such as ">MA0004.1 Arnt", found "${clip(header)}"`);
    const [id = '', ...rest] = header.slice(1).trim().split(/\s+/);
    if (id === '') throw new ImportError(file, line, 'the motif header has no id after ">"');
    const rows = new Map<string, number[]>();
    i++;
    while (rows.size < 4) {
      const text = (lines[i] ?? '').trim();
      if (i >= lines.length || text.startsWith('>')) {
        const missing = MOTIF_BASES.filter((b) => !rows.has(b)).join(', ');
        throw new ImportError(file, i + 1 > lines.length ? lines.length : i + 1, `motif ${id} has no row for ${missing}`);
      }
      i++;
      if (text === '') continue;
      const m = ROW.exec(text);
      if (!m) throw new ImportError(file, i, `expected a matrix row such as "A [ 4 19 0 ]" for motif ${id}, found "${clip(text)}"`);
      const base = (m[1] ?? '').toUpperCase();
      if (rows.has(base)) throw new ImportError(file, i, `motif ${id} has two rows for ${base}`);
      const fields = (m[2] ?? '').split(/\s+/).filter((f) => f !== '');
      rows.set(base, fields.map((f, k) => parseCount(f, file, i, `column ${k + 1} of row ${base} of motif ${id}`)));
    }
    motifs.push({ id, name: rest.join(' ') || id, counts: assembleCounts(rows, file, line, id), line });
  }
  return motifs;
}

function clip(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

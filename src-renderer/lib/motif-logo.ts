/**
 * Sequence logos from a motif's matrices: stacks of letters per position, each letter as tall as its share of the
 * column's information content (bits), the tallest on top; and the reverse complement of a [width][A, C, G, T] matrix.
 */

export const LOGO_BASES = ['A', 'C', 'G', 'T'] as const;
export type LogoBase = (typeof LOGO_BASES)[number];

/** The usual nucleotide colours: A green, C blue, G orange, T red. */
export const BASE_COLOURS: Readonly<Record<LogoBase, string>> = { A: '#109648', C: '#255c99', G: '#f7a21b', T: '#d62839' };

/** The matrix of the other strand: positions reversed, A<->T and C<->G swapped. */
export function reverseComplementMatrix(matrix: readonly (readonly number[])[]): number[][] {
  return [...matrix].reverse().map((col) => [col[3] ?? 0, col[2] ?? 0, col[1] ?? 0, col[0] ?? 0]);
}

/** IUPAC consensus of the other strand. */
export function reverseComplementConsensus(consensus: string): string {
  const pairs: Record<string, string> = { A: 'T', C: 'G', G: 'C', T: 'A', R: 'Y', Y: 'R', S: 'S', W: 'W', K: 'M', M: 'K', B: 'V', V: 'B', D: 'H', H: 'D', N: 'N' };
  return [...consensus].reverse().map((c) => pairs[c] ?? c).join('');
}

export interface LogoLetter {
  readonly base: LogoBase;
  readonly position: number;
  /** Bits from the bottom of the column to the bottom of this letter. */
  readonly y0: number;
  /** Height in bits. */
  readonly height: number;
}

/** Letters of every column, stacked smallest first (so the most frequent base is on top); letters under 0.01 bit are left out. */
export function logoLetters(heights: readonly (readonly number[])[]): LogoLetter[] {
  const out: LogoLetter[] = [];
  heights.forEach((col, position) => {
    const order = [0, 1, 2, 3].sort((a, b) => (col[a] ?? 0) - (col[b] ?? 0));
    let y = 0;
    for (const k of order) {
      const h = col[k] ?? 0;
      if (h < 0.01) continue;
      out.push({ base: LOGO_BASES[k] ?? 'A', position, y0: y, height: h });
      y += h;
    }
  });
  return out;
}

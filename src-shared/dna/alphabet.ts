/**
 * The DNA alphabet as the app understands it. Sequences are stored upper-case over A, C, G, T and N; soft-masked
 * (lower-case) bases are upper-cased, and the other IUPAC ambiguity codes are rejected, turned into N, or make their
 * record be dropped, as the user chooses at import.
 */
export const IUPAC_AMBIGUITY = 'RYSWKMBDHV';

export type BaseClass = 'acgt' | 'n' | 'iupac' | 'invalid';

const CLASS_BY_CODE = new Uint8Array(256).fill(3); // 0 acgt, 1 n, 2 iupac, 3 invalid
for (const c of 'ACGTacgt') CLASS_BY_CODE[c.charCodeAt(0)] = 0;
for (const c of 'Nn') CLASS_BY_CODE[c.charCodeAt(0)] = 1;
for (const c of IUPAC_AMBIGUITY + IUPAC_AMBIGUITY.toLowerCase()) CLASS_BY_CODE[c.charCodeAt(0)] = 2;
const CLASS_NAMES: readonly BaseClass[] = ['acgt', 'n', 'iupac', 'invalid'];

/** Class of one character code (0..255); any code above 255 is invalid. */
export function baseClass(code: number): BaseClass {
  return CLASS_NAMES[code < 256 ? (CLASS_BY_CODE[code] ?? 3) : 3] ?? 'invalid';
}

/** Numeric class (0 acgt, 1 n, 2 iupac, 3 invalid) for hot loops that cannot afford a string per base. */
export function baseClassCode(code: number): number {
  return code < 256 ? (CLASS_BY_CODE[code] ?? 3) : 3;
}

export interface SequenceProblem {
  /** 0-based index of the first offending character. */
  readonly index: number;
  readonly char: string;
  readonly kind: 'iupac' | 'invalid';
}

/** The first character that is not A/C/G/T/N (either case), or null. */
export function firstProblem(sequence: string): SequenceProblem | null {
  for (let i = 0; i < sequence.length; i++) {
    const cls = baseClassCode(sequence.charCodeAt(i));
    if (cls >= 2) return { index: i, char: sequence[i] ?? '', kind: cls === 2 ? 'iupac' : 'invalid' };
  }
  return null;
}

const COMPLEMENT: Record<string, string> = { A: 'T', C: 'G', G: 'C', T: 'A', N: 'N', R: 'Y', Y: 'R', S: 'S', W: 'W', K: 'M', M: 'K', B: 'V', V: 'B', D: 'H', H: 'D' };

/** Reverse complement of an upper-case sequence (IUPAC codes complemented too). */
export function reverseComplement(sequence: string): string {
  let out = '';
  for (let i = sequence.length - 1; i >= 0; i--) out += COMPLEMENT[sequence[i] ?? 'N'] ?? 'N';
  return out;
}

/** GC fraction over the unambiguous bases (N and IUPAC codes do not count), or null when there are none. */
export function gcFraction(sequence: string): number | null {
  let gc = 0;
  let acgt = 0;
  for (let i = 0; i < sequence.length; i++) {
    const c = sequence.charCodeAt(i) | 0x20; // lower-case
    if (c === 0x67 || c === 0x63) {
      gc++;
      acgt++;
    } else if (c === 0x61 || c === 0x74) acgt++;
  }
  return acgt === 0 ? null : gc / acgt;
}

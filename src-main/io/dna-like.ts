/**
 * "Does this text look like a DNA sequence?" — used to find the sequence column of a CSV/TSV and to tell a header
 * row from a data row. Deliberately strict enough that header words (`label`, `class`, `data`, even `seq`) fail.
 */
import { baseClassCode } from '../../src-shared/dna';

/** How many characters are looked at; a long field is judged by its start. */
const SAMPLE = 2000;

/**
 * At least 4 characters, every one a nucleotide letter (A/C/G/T/N or an IUPAC code, either case), and at least 90 %
 * of them A/C/G/T/N.
 */
export function looksLikeDna(text: string): boolean {
  const s = text.trim();
  if (s.length < 4) return false;
  const n = Math.min(s.length, SAMPLE);
  let plain = 0;
  for (let i = 0; i < n; i++) {
    const cls = baseClassCode(s.charCodeAt(i));
    if (cls === 3) return false;
    if (cls <= 1) plain++;
  }
  return plain >= 0.9 * n;
}

/**
 * Position frequency matrix -> probabilities, log-odds weights, consensus, information content and logo heights.
 *
 * Choices (the same as Biopython's `counts.normalize(pseudocounts={b: pc * bg[b]}).log_odds(bg)`, which the tests and
 * the benchmark compare against):
 * - Columns are normalised one by one: JASPAR publishes matrices whose columns sum to different totals.
 * - A pseudocount of `pc` (default 0.8) per column is split over the bases by the background:
 *   p[i][b] = (count[i][b] + pc * bg[b]) / (colsum[i] + pc). A base never seen at a position keeps a finite score.
 * - Weights are log2(p / bg): scores are in bits.
 * - Probabilities shown and the information content / logo use the raw column frequencies (no pseudocount) against a
 *   uniform background, as JASPAR draws its logos.
 */
import type { MotifDetail, MotifInfo } from '../../src-shared/api';
import type { MotifMatrix } from '../io/motif-types';

export const DEFAULT_PSEUDOCOUNT = 0.8;
export const UNIFORM_BACKGROUND: readonly number[] = [0.25, 0.25, 0.25, 0.25];

/** Log-odds weights of one motif, [width][A, C, G, T] in bits, with the extremes a window can score. */
export interface Pwm {
  readonly id: string;
  readonly name: string;
  readonly width: number;
  readonly weights: readonly (readonly number[])[];
  readonly maxScore: number;
  readonly minScore: number;
}

/** Column frequencies, each column summing to 1 (pseudocount 0: the matrix as published). */
export function probabilities(counts: readonly (readonly number[])[], pseudocount = 0, background: readonly number[] = UNIFORM_BACKGROUND): number[][] {
  return counts.map((col) => {
    const total = col.reduce((a, b) => a + b, 0) + pseudocount;
    return col.map((c, b) => (c + pseudocount * (background[b] ?? 0.25)) / total);
  });
}

/**
 * A strand-symmetric background from base counts [A, C, G, T]: both strands are scanned, so A and T (and C and G) get
 * the same frequency. Returns uniform when there is nothing to count.
 */
export function backgroundFromCounts(counts: readonly number[]): number[] {
  const [a = 0, c = 0, g = 0, t = 0] = counts;
  const total = a + c + g + t;
  if (total <= 0) return [...UNIFORM_BACKGROUND];
  const at = (a + t) / (2 * total);
  const cg = (c + g) / (2 * total);
  return [at, cg, cg, at];
}

export function checkBackground(background: readonly number[]): void {
  if (background.length !== 4 || background.some((v) => !(v > 0)) || Math.abs(background.reduce((x, y) => x + y, 0) - 1) > 1e-6) {
    throw new Error(`the background must be four positive frequencies summing to 1, got ${background.join(', ')}`);
  }
}

export function pwmOf(motif: MotifMatrix, pseudocount = DEFAULT_PSEUDOCOUNT, background: readonly number[] = UNIFORM_BACKGROUND): Pwm {
  checkBackground(background);
  if (!(pseudocount >= 0)) throw new Error(`the pseudocount must be 0 or more, got ${pseudocount}`);
  const weights = probabilities(motif.counts, pseudocount, background).map((col) => col.map((p, b) => Math.log2(p / (background[b] ?? 0.25))));
  let maxScore = 0;
  let minScore = 0;
  for (const col of weights) {
    maxScore += Math.max(...col);
    minScore += Math.min(...col);
  }
  return { id: motif.id, name: motif.name, width: weights.length, weights, maxScore, minScore };
}

/** The reverse-complement weights: scoring them on the forward strand gives the reverse strand's scores. */
export function reverseComplementWeights(weights: readonly (readonly number[])[]): number[][] {
  return weights
    .slice()
    .reverse()
    .map((col) => [col[3] ?? 0, col[2] ?? 0, col[1] ?? 0, col[0] ?? 0]);
}

export function reverseComplementCounts(counts: readonly (readonly number[])[]): number[][] {
  return reverseComplementWeights(counts);
}

const IUPAC: Readonly<Record<string, string>> = {
  A: 'A', C: 'C', G: 'G', T: 'T', AC: 'M', AG: 'R', AT: 'W', CG: 'S', CT: 'Y', GT: 'K', ACG: 'V', ACT: 'H', AGT: 'D', CGT: 'B', ACGT: 'N',
};
const LETTERS = ['A', 'C', 'G', 'T'];

/** IUPAC consensus by Cavener's rules (as Biopython's `degenerate_consensus`). */
export function consensusOf(counts: readonly (readonly number[])[]): string {
  return counts
    .map((col) => {
      const order = [0, 1, 2, 3].sort((x, y) => (col[y] ?? 0) - (col[x] ?? 0));
      const v = order.map((k) => col[k] ?? 0);
      const [v0 = 0, v1 = 0, v2 = 0, v3 = 0] = v;
      const total = v0 + v1 + v2 + v3;
      let key: number[];
      if (v0 > v1 + v2 + v3 && v0 > 2 * v1) key = order.slice(0, 1);
      else if (4 * (v0 + v1) > 3 * total) key = order.slice(0, 2);
      else if (v3 === 0) key = order.slice(0, 3);
      else key = [0, 1, 2, 3];
      return IUPAC[key.sort((x, y) => x - y).map((k) => LETTERS[k]).join('')] ?? 'N';
    })
    .join('');
}

/** Information content per column (bits, uniform background) of column frequencies. */
export function columnInformation(probs: readonly (readonly number[])[]): number[] {
  return probs.map((col) => 2 + col.reduce((acc, p) => acc + (p > 0 ? p * Math.log2(p) : 0), 0));
}

export function infoOf(motif: MotifMatrix): MotifInfo {
  const probs = probabilities(motif.counts);
  return {
    id: motif.id,
    name: motif.name,
    width: motif.counts.length,
    consensus: consensusOf(motif.counts),
    informationContent: columnInformation(probs).reduce((a, b) => a + b, 0),
  };
}

/** Everything the motif page shows for one motif; `reverseComplement` flips it to the other strand. */
export function detailOf(motif: MotifMatrix, options: { readonly pseudocount?: number; readonly background?: readonly number[]; readonly reverseComplement?: boolean } = {}): MotifDetail {
  const oriented: MotifMatrix = options.reverseComplement === true ? { ...motif, counts: reverseComplementCounts(motif.counts) } : motif;
  const probs = probabilities(oriented.counts);
  const ic = columnInformation(probs);
  const pwm = pwmOf(oriented, options.pseudocount ?? DEFAULT_PSEUDOCOUNT, options.background ?? UNIFORM_BACKGROUND);
  return {
    ...infoOf(oriented),
    probabilities: probs,
    logo: probs.map((col, i) => col.map((p) => p * (ic[i] ?? 0))),
    pwm: pwm.weights,
    maxScore: pwm.maxScore,
    minScore: pwm.minScore,
  };
}

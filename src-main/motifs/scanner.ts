/**
 * Log-odds scanning of both strands at every position. Each motif is compiled into look-up tables over 5-mers: the
 * score of a window is the sum of ceil(W / 5) table entries indexed by the 5-mer codes PackedSequences computed once
 * for all motifs. The reverse strand is scored with the reverse-complement weights on the same forward codes, in the
 * same pass. Scores are summed in double precision from float32 table entries (error well below 1e-5 bits).
 */
import { KMER, KMER_CODES, type PackedSequences } from './packed-sequences';
import { reverseComplementWeights, type Pwm } from './pwm';

export interface CompiledMotif {
  readonly pwm: Pwm;
  readonly blocks: number;
  /** Forward and reverse-complement tables, block after block (KMER_CODES entries each). */
  readonly forward: Float32Array;
  readonly reverse: Float32Array;
}

function tables(weights: readonly (readonly number[])[], blocks: number): Float32Array {
  const out = new Float32Array(blocks * KMER_CODES);
  for (let j = 0; j < blocks; j++) {
    const first = j * KMER;
    const span = Math.min(KMER, weights.length - first);
    for (let code = 0; code < KMER_CODES; code++) {
      let s = 0;
      for (let t = 0; t < span; t++) s += weights[first + t]?.[(code >> (2 * (KMER - 1 - t))) & 3] ?? 0;
      out[j * KMER_CODES + code] = s;
    }
  }
  return out;
}

export function compileMotif(pwm: Pwm): CompiledMotif {
  const blocks = Math.ceil(pwm.width / KMER);
  return { pwm, blocks, forward: tables(pwm.weights, blocks), reverse: tables(reverseComplementWeights(pwm.weights), blocks) };
}

/** How windows of one region are reduced to one number per motif. */
export type Reduction = { readonly kind: 'max' } | { readonly kind: 'sum'; readonly threshold: number };

/**
 * One motif over every region: out[r * stride + column] = the region's max score (both strands; the motif's minimum
 * possible score when the region has no full ACGT window), or the sum of the scores above the threshold (0 if none).
 */
export function scanMotif(seqs: PackedSequences, motif: CompiledMotif, reduction: Reduction, out: Float32Array, stride: number, column: number): void {
  for (let r = 0; r < seqs.rows; r++) {
    out[r * stride + column] =
      reduction.kind === 'max' ? regionMax(seqs, r, motif) : regionSum(seqs, r, motif, reduction.threshold);
  }
}

// The two reductions are separate loops so that each stays small and branch-light for the JIT (a shared loop with a
// mode test inside was 40 % slower).
function regionMax(seqs: PackedSequences, r: number, motif: CompiledMotif): number {
  const { kmers, segStart, segEnd, regionSeg } = seqs;
  const { forward: fwd, reverse: rev, blocks } = motif;
  const width = motif.pwm.width;
  let best = -Infinity;
  const segLast = regionSeg[r + 1] ?? 0;
  for (let g = regionSeg[r] ?? 0; g < segLast; g++) {
    const last = (segEnd[g] ?? 0) - width;
    for (let i = segStart[g] ?? 0; i <= last; i++) {
      let f = 0;
      let b = 0;
      for (let j = 0, p = i, o = 0; j < blocks; j++, p += KMER, o += KMER_CODES) {
        const c = o + (kmers[p] ?? 0);
        f += fwd[c] ?? 0;
        b += rev[c] ?? 0;
      }
      // Branches, not a max(): a new best is rare after the first windows, so they predict well and leave no
      // dependency chain from one window to the next.
      if (f > best) best = f;
      if (b > best) best = b;
    }
  }
  return best === -Infinity ? motif.pwm.minScore : best;
}

function regionSum(seqs: PackedSequences, r: number, motif: CompiledMotif, threshold: number): number {
  const { kmers, segStart, segEnd, regionSeg } = seqs;
  const { forward: fwd, reverse: rev, blocks } = motif;
  const width = motif.pwm.width;
  let sum = 0;
  const segLast = regionSeg[r + 1] ?? 0;
  for (let g = regionSeg[r] ?? 0; g < segLast; g++) {
    const last = (segEnd[g] ?? 0) - width;
    for (let i = segStart[g] ?? 0; i <= last; i++) {
      let f = 0;
      let b = 0;
      for (let j = 0, p = i, o = 0; j < blocks; j++, p += KMER, o += KMER_CODES) {
        const c = o + (kmers[p] ?? 0);
        f += fwd[c] ?? 0;
        b += rev[c] ?? 0;
      }
      if (f > threshold) sum += f;
      if (b > threshold) sum += b;
    }
  }
  return sum;
}

/**
 * Every window's score on both strands for region r (forward[i] scores the window starting at i on the + strand,
 * reverse[i] the reverse complement of that same window; NaN where the window is not all ACGT), like Biopython's
 * `pssm.calculate(seq)` and `pssm.reverse_complement().calculate(seq)`.
 */
export function scoreRegion(seqs: PackedSequences, r: number, motif: CompiledMotif): { forward: Float32Array; reverse: Float32Array } {
  const width = motif.pwm.width;
  const start = seqs.offsets[r] ?? 0;
  const n = Math.max(0, seqs.lengthOf(r) - width + 1);
  const forward = new Float32Array(n).fill(Number.NaN);
  const reverse = new Float32Array(n).fill(Number.NaN);
  const { kmers, segStart, segEnd, regionSeg } = seqs;
  for (let g = regionSeg[r] ?? 0; g < (regionSeg[r + 1] ?? 0); g++) {
    const last = (segEnd[g] ?? 0) - width;
    for (let i = segStart[g] ?? 0; i <= last; i++) {
      let f = 0;
      let b = 0;
      for (let j = 0, p = i, o = 0; j < motif.blocks; j++, p += KMER, o += KMER_CODES) {
        const c = o + (kmers[p] ?? 0);
        f += motif.forward[c] ?? 0;
        b += motif.reverse[c] ?? 0;
      }
      forward[i - start] = f;
      reverse[i - start] = b;
    }
  }
  return { forward, reverse };
}

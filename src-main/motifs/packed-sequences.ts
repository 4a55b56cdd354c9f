/**
 * Regions packed once for scanning with every motif: bases as 2-bit codes, the k-mer code starting at each position
 * (so a motif of width W costs ceil(W / K) table look-ups per window and strand instead of W additions), and the
 * stretches of each region that hold only A, C, G and T (a window touching an N or another letter is not scored).
 */

/** Bases per look-up table: 4^5 = 1024 entries of float32, two per block (both strands) stay in L1 cache. */
export const KMER = 5;
export const KMER_CODES = 1 << (2 * KMER);

const BASE_CODE = new Uint8Array(256).fill(4);
for (const [letter, code] of [['A', 0], ['C', 1], ['G', 2], ['T', 3]] as const) {
  BASE_CODE[letter.charCodeAt(0)] = code;
  BASE_CODE[letter.toLowerCase().charCodeAt(0)] = code;
}

export class PackedSequences {
  /** Number of regions. */
  readonly rows: number;
  /** K-mer code starting at each position of the concatenated regions (letters other than ACGT count as A). */
  readonly kmers: Uint16Array;
  /** ACGT-only stretches [segStart, segEnd) in concatenated coordinates; region r owns segments regionSeg[r]..regionSeg[r+1]-1. */
  readonly segStart: Int32Array;
  readonly segEnd: Int32Array;
  readonly regionSeg: Int32Array;
  /** Region r spans offsets[r]..offsets[r+1]-1. */
  readonly offsets: Float64Array;
  /** Counts of A, C, G, T over all regions (for a background from the corpus). */
  readonly baseCounts: readonly number[];

  constructor(sequences: readonly (string | Uint8Array)[]) {
    this.rows = sequences.length;
    let total = 0;
    for (const s of sequences) total += s.length;
    const codes = new Uint8Array(total + KMER);
    const offsets = new Float64Array(this.rows + 1);
    const counts = [0, 0, 0, 0, 0];
    const segS: number[] = [];
    const segE: number[] = [];
    const regionSeg = new Int32Array(this.rows + 1);
    let at = 0;
    sequences.forEach((seq, r) => {
      offsets[r] = at;
      regionSeg[r] = segS.length;
      let runStart = -1;
      const n = seq.length;
      for (let i = 0; i < n; i++) {
        const ch = typeof seq === 'string' ? seq.charCodeAt(i) : (seq[i] ?? 0);
        const c = ch < 256 ? (BASE_CODE[ch] ?? 4) : 4;
        codes[at + i] = c;
        counts[c] = (counts[c] ?? 0) + 1;
        if (c < 4) {
          if (runStart < 0) runStart = at + i;
        } else if (runStart >= 0) {
          segS.push(runStart);
          segE.push(at + i);
          runStart = -1;
        }
      }
      if (runStart >= 0) {
        segS.push(runStart);
        segE.push(at + n);
      }
      at += n;
    });
    offsets[this.rows] = at;
    regionSeg[this.rows] = segS.length;
    this.offsets = offsets;
    this.regionSeg = regionSeg;
    this.segStart = Int32Array.from(segS);
    this.segEnd = Int32Array.from(segE);
    this.baseCounts = counts.slice(0, 4);
    const kmers = new Uint16Array(total + KMER);
    const mask = KMER_CODES - 1;
    let code = 0;
    // Rolling code read backwards from the end so that kmers[i] covers i..i+K-1 (padding past the end is A).
    for (let i = total + KMER - 1; i >= 0; i--) {
      const c = codes[i] ?? 0;
      code = ((code >> 2) | ((c & 3) << (2 * (KMER - 1)))) & mask;
      kmers[i] = code;
    }
    this.kmers = kmers;
  }

  /** Length of region r. */
  lengthOf(r: number): number {
    return (this.offsets[r + 1] ?? 0) - (this.offsets[r] ?? 0);
  }
}

import type { DatasetStats, HistogramBin, LengthSummary } from '../../src-shared/api';

export const KMER_K = 6;
const TOP_KMERS = 20;
const GC_BINS = 20;
const MAX_LENGTH_BINS = 30;
const BASES = 'ACGT';

// A/C/G/T -> 0..3, everything else (N) -> -1, for the rolling k-mer code.
const CODE = new Int8Array(128).fill(-1);
CODE[0x41] = 0;
CODE[0x43] = 1;
CODE[0x47] = 2;
CODE[0x54] = 3;

// Per packed byte (base k at bits 2k): the number of C/G among its four bases, and its bases in reading order
// (first base in the high bits) for the rolling k-mer code.
const GC_OF_BYTE = new Uint8Array(256);
const REVERSED = new Uint8Array(256);
for (let v = 0; v < 256; v++) {
  let gc = 0;
  let rev = 0;
  for (let k = 0; k < 4; k++) {
    const b = (v >> (2 * k)) & 3;
    if (b === 1 || b === 2) gc++;
    rev = (rev << 2) | b;
  }
  GC_OF_BYTE[v] = gc;
  REVERSED[v] = rev;
}

// Packed byte -> its four bases as ASCII, base k at [4 * byte + k].
const UNPACK = new Uint8Array(1024);
for (let v = 0; v < 256; v++) for (let k = 0; k < 4; k++) UNPACK[v * 4 + k] = BASES.charCodeAt((v >> (2 * k)) & 3);

const ASCII = new Uint8Array([0x41, 0x43, 0x47, 0x54]);

/** Exact length counts: as many entries as distinct lengths, which stays small for real datasets. */
export class LengthCounter {
  readonly counts = new Map<number, number>();
  total = 0;

  add(length: number, times = 1): void {
    this.counts.set(length, (this.counts.get(length) ?? 0) + times);
    this.total += times;
  }

  summary(): LengthSummary {
    if (this.total === 0) return { min: 0, median: 0, max: 0, mean: 0 };
    const sorted = [...this.counts.entries()].sort((a, b) => a[0] - b[0]);
    let sum = 0;
    for (const [len, n] of sorted) sum += len * n;
    const at = (rank: number): number => {
      let seen = 0;
      for (const [len, n] of sorted) {
        seen += n;
        if (rank < seen) return len;
      }
      return sorted[sorted.length - 1]?.[0] ?? 0;
    };
    const half = Math.floor(this.total / 2);
    const median = this.total % 2 === 1 ? at(half) : (at(half - 1) + at(half)) / 2;
    return {
      min: sorted[0]?.[0] ?? 0,
      median,
      max: sorted[sorted.length - 1]?.[0] ?? 0,
      mean: Math.round((sum / this.total) * 100) / 100,
    };
  }

  /** One bin per length when there are few, else up to 30 bins of equal integer width; [start, end). */
  histogram(): HistogramBin[] {
    if (this.total === 0) return [];
    const { min, max } = this.summary();
    const width = Math.max(1, Math.ceil((max - min + 1) / MAX_LENGTH_BINS));
    const bins: HistogramBin[] = [];
    const counts: number[] = [];
    for (let start = min; start <= max; start += width) counts.push(0);
    for (const [len, n] of this.counts) {
      const b = Math.floor((len - min) / width);
      counts[b] = (counts[b] ?? 0) + n;
    }
    counts.forEach((count, b) => bins.push({ start: min + b * width, end: min + (b + 1) * width, count }));
    return bins;
  }
}

/**
 * Dataset statistics in bounded memory: exact length counts, a GC histogram of 20 bins and the 4096 6-mer counts in a
 * typed array, whatever the number of records.
 */
export class StatsAccumulator {
  readonly lengths = new LengthCounter();
  private readonly gc = new Float64Array(GC_BINS);
  private readonly kmers = new Float64Array(4 ** KMER_K);
  /** Counts of the hot loops (integer increments), moved into `kmers` before they could overflow. */
  private readonly recent = new Int32Array(4 ** KMER_K);
  private recentTotal = 0;

  add(sequence: string): void {
    this.lengths.add(sequence.length);
    const kmers = this.kmers;
    const mask = kmers.length - 1;
    let code = 0;
    let valid = 0;
    let gc = 0;
    let acgt = 0;
    for (let i = 0; i < sequence.length; i++) {
      const c = sequence.charCodeAt(i);
      const b = c < 128 ? (CODE[c] ?? -1) : -1;
      if (b < 0) {
        valid = 0;
        continue;
      }
      acgt++;
      if (b === 1 || b === 2) gc++;
      code = ((code << 2) | b) & mask;
      if (++valid >= KMER_K) kmers[code] = (kmers[code] ?? 0) + 1;
    }
    if (acgt > 0) {
      const bin = Math.min(GC_BINS - 1, Math.floor((gc / acgt) * GC_BINS));
      this.gc[bin] = (this.gc[bin] ?? 0) + 1;
    }
  }

  /** The same as `add` for a sequence of upper-case A/C/G/T/N bytes. */
  addBytes(bytes: Uint8Array, start: number, end: number): void {
    this.lengths.add(end - start);
    const kmers = this.kmers;
    const mask = kmers.length - 1;
    let code = 0;
    let valid = 0;
    let gc = 0;
    let acgt = 0;
    for (let i = start; i < end; i++) {
      const b = CODE[bytes[i] ?? 0] ?? -1;
      if (b < 0) {
        valid = 0;
        continue;
      }
      acgt++;
      if (b === 1 || b === 2) gc++;
      code = ((code << 2) | b) & mask;
      if (++valid >= KMER_K) kmers[code] = (kmers[code] ?? 0) + 1;
    }
    this.addGc(gc, acgt);
  }

  /**
   * The same as `add` for a sequence without N, given as `length` bases packed 2 bits each (base i in byte i >> 2 at
   * bits 2 * (i & 3), as stored in a `.seqs` record) from packed[start]. When `text` is given, the bases are also
   * written there as ASCII from `at` (the import's content hash needs them; one loop does both).
   */
  addPacked(packed: Uint8Array, start: number, length: number, text?: Uint8Array, at = 0): void {
    this.lengths.add(length);
    if (this.recentTotal + length > 1 << 30) this.flushRecent();
    this.recentTotal += length;
    const kmers = this.recent;
    const out = text ?? null;
    const full = length >> 2;
    // The first two bytes base by base (no k-mer ends before base 6), then whole bytes: four k-mers each.
    const head = Math.min(full, 2);
    let code = 0;
    let gc = 0;
    let i = 0;
    for (; i < head * 4; i++) {
      const b = ((packed[start + (i >> 2)] ?? 0) >> (2 * (i & 3))) & 3;
      if (b === 1 || b === 2) gc++;
      code = ((code << 2) | b) & 0xfff;
      if (i + 1 >= KMER_K) kmers[code] = (kmers[code] ?? 0) + 1;
      if (out !== null) out[at + i] = ASCII[b] ?? 0;
    }
    let r = code;
    let o = at + i;
    for (let p = start + head; p < start + full; p++, o += 4) {
      const v = packed[p] ?? 0;
      gc += GC_OF_BYTE[v] ?? 0;
      r = ((r << 8) | (REVERSED[v] ?? 0)) & 0x3fffff;
      const k0 = (r >>> 6) & 0xfff;
      const k1 = (r >>> 4) & 0xfff;
      const k2 = (r >>> 2) & 0xfff;
      const k3 = r & 0xfff;
      kmers[k0] = (kmers[k0] ?? 0) + 1;
      kmers[k1] = (kmers[k1] ?? 0) + 1;
      kmers[k2] = (kmers[k2] ?? 0) + 1;
      kmers[k3] = (kmers[k3] ?? 0) + 1;
      if (out !== null) {
        const u = v << 2;
        out[o] = UNPACK[u] ?? 0;
        out[o + 1] = UNPACK[u + 1] ?? 0;
        out[o + 2] = UNPACK[u + 2] ?? 0;
        out[o + 3] = UNPACK[u + 3] ?? 0;
      }
    }
    code = r & 0xfff;
    for (i = Math.max(i, full * 4); i < length; i++) {
      const b = ((packed[start + (i >> 2)] ?? 0) >> (2 * (i & 3))) & 3;
      if (b === 1 || b === 2) gc++;
      code = ((code << 2) | b) & 0xfff;
      if (i + 1 >= KMER_K) kmers[code] = (kmers[code] ?? 0) + 1;
      if (out !== null) out[at + i] = ASCII[b] ?? 0;
    }
    this.addGc(gc, length);
  }

  private flushRecent(): void {
    const recent = this.recent;
    for (let k = 0; k < recent.length; k++) this.kmers[k] = (this.kmers[k] ?? 0) + (recent[k] ?? 0);
    recent.fill(0);
    this.recentTotal = 0;
  }

  private addGc(gc: number, acgt: number): void {
    if (acgt > 0) {
      const bin = Math.min(GC_BINS - 1, Math.floor((gc / acgt) * GC_BINS));
      this.gc[bin] = (this.gc[bin] ?? 0) + 1;
    }
  }

  stats(): DatasetStats {
    this.flushRecent();
    const gcHistogram: HistogramBin[] = [...this.gc].map((count, b) => ({
      start: b / GC_BINS,
      end: (b + 1) / GC_BINS,
      count,
    }));
    const top: { code: number; count: number }[] = [];
    this.kmers.forEach((count, code) => {
      if (count > 0) top.push({ code, count });
    });
    top.sort((a, b) => b.count - a.count || a.code - b.code);
    return {
      lengthHistogram: this.lengths.histogram(),
      gcHistogram,
      topKmers: top.slice(0, TOP_KMERS).map(({ code, count }) => ({ kmer: kmerOf(code), count })),
      kmerK: KMER_K,
    };
  }
}

function kmerOf(code: number): string {
  let s = '';
  for (let i = KMER_K - 1; i >= 0; i--) s += BASES[(code >> (2 * i)) & 3];
  return s;
}

/** Writes `length` packed bases (from packed[start]) as ASCII A/C/G/T to out[at...]. */
export function unpackBases(packed: Uint8Array, start: number, length: number, out: Uint8Array, at: number): void {
  const full = length >> 2;
  let o = at;
  for (let b = 0; b < full; b++, o += 4) {
    const v = (packed[start + b] ?? 0) << 2;
    out[o] = UNPACK[v] ?? 0;
    out[o + 1] = UNPACK[v + 1] ?? 0;
    out[o + 2] = UNPACK[v + 2] ?? 0;
    out[o + 3] = UNPACK[v + 3] ?? 0;
  }
  for (let i = full * 4; i < length; i++) out[o++] = UNPACK[((packed[start + full] ?? 0) << 2) + (i & 3)] ?? 0;
}

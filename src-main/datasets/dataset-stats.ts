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

  stats(): DatasetStats {
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

/**
 * Pure interval arithmetic for scans: windows over the threshold merged into called regions, distances between
 * calls and annotated sites, precision/recall of calls against an annotation, and max-pooling a track for display.
 * Coordinates are 0-based half-open (BED).
 */

export interface Interval {
  readonly start: number;
  readonly end: number;
}

export interface ScoredInterval extends Interval {
  readonly score: number;
}

/**
 * Merges windows into regions as they come, in increasing start order: a window that begins at most `mergeGap`
 * bases after the current region's end joins it (overlapping windows always do); the region's score is its highest
 * window score. Regions shorter than `minLength` are dropped when they close. Memory: the open region only.
 */
export class RegionMerger {
  private open: { start: number; end: number; score: number } | null = null;
  private readonly done: ScoredInterval[] = [];

  constructor(
    private readonly mergeGap: number,
    private readonly minLength: number,
  ) {}

  add(start: number, end: number, score: number): void {
    const o = this.open;
    if (o !== null && start - o.end <= this.mergeGap) {
      o.end = Math.max(o.end, end);
      o.score = Math.max(o.score, score);
      return;
    }
    this.close();
    this.open = { start, end, score };
  }

  private close(): void {
    const o = this.open;
    if (o !== null && o.end - o.start >= this.minLength) this.done.push({ start: o.start, end: o.end, score: o.score });
    this.open = null;
  }

  finish(): ScoredInterval[] {
    this.close();
    return this.done;
  }
}

/** Windows scoring at or above `threshold` merged into regions (for tests and small inputs). */
export function mergeCalls(windows: readonly ScoredInterval[], threshold: number, mergeGap: number, minLength: number): ScoredInterval[] {
  const m = new RegionMerger(mergeGap, minLength);
  for (const w of [...windows].sort((a, b) => a.start - b.start)) if (w.score >= threshold) m.add(w.start, w.end, w.score);
  return m.finish();
}

/** Bases between two intervals; 0 when they overlap or touch. */
export function intervalDistance(a: Interval, b: Interval): number {
  if (a.end <= b.start) return b.start - a.end;
  if (b.end <= a.start) return a.start - b.end;
  return 0;
}

/**
 * For each query interval, the index of the nearest target and its distance (null without targets). Targets sorted
 * by start; a binary search finds the neighbourhood, then a bounded look left and right (targets may overlap).
 */
export function nearest(queries: readonly Interval[], targets: readonly Interval[]): ({ index: number; distance: number } | null)[] {
  const order = targets.map((_, i) => i).sort((a, b) => (targets[a]?.start ?? 0) - (targets[b]?.start ?? 0));
  const starts = order.map((i) => targets[i]?.start ?? 0);
  // Longest target: any target overlapping q starts no earlier than q.start - longest.
  const longest = targets.reduce((m, t) => Math.max(m, t.end - t.start), 0);
  return queries.map((q) => {
    if (order.length === 0) return null;
    let lo = 0;
    let hi = starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((starts[mid] ?? 0) < q.start) lo = mid + 1;
      else hi = mid;
    }
    let best: { index: number; distance: number } | null = null;
    const consider = (j: number): void => {
      const t = targets[order[j] ?? 0];
      if (!t) return;
      const d = intervalDistance(q, t);
      if (best === null || d < best.distance) best = { index: order[j] ?? 0, distance: d };
    };
    // Right: targets starting at or after q.start; the first one past q.end is the last that can be nearest.
    for (let j = lo; j < starts.length; j++) {
      consider(j);
      if ((starts[j] ?? 0) >= q.end) break;
    }
    // Left: targets starting before q.start; stop once they start too early to reach q or beat the best.
    for (let j = lo - 1; j >= 0; j--) {
      consider(j);
      const s = starts[j] ?? 0;
      const b = best as { distance: number } | null;
      if (s + longest < q.start - (b?.distance ?? Infinity)) break;
    }
    return best;
  });
}

export interface Overlap {
  /** Per call: distance to the nearest site and its index. */
  readonly callNearest: ({ index: number; distance: number } | null)[];
  /** Per site: within maxDistance of a call. */
  readonly siteNearCall: boolean[];
  /** Sites within maxDistance of a call / all sites (0 without sites). */
  readonly recall: number;
  /** Calls within maxDistance of a site / all calls (0 without calls). */
  readonly precision: number;
}

export function overlapCallsWithSites(calls: readonly Interval[], sites: readonly Interval[], maxDistance: number): Overlap {
  const callNearest = nearest(calls, sites);
  const siteNearest = nearest(sites, calls);
  const siteNearCall = siteNearest.map((n) => n !== null && n.distance <= maxDistance);
  const nearSites = siteNearCall.filter(Boolean).length;
  const goodCalls = callNearest.filter((n) => n !== null && n.distance <= maxDistance).length;
  return {
    callNearest,
    siteNearCall,
    recall: sites.length > 0 ? nearSites / sites.length : 0,
    precision: calls.length > 0 ? goodCalls / calls.length : 0,
  };
}

/**
 * Max-pools `values` (NaN = no value) into at most `maxPoints` bins of consecutive entries; returns the bin's first
 * index and its max (NaN when every entry of the bin is NaN).
 */
export function maxPool(values: Float32Array, maxPoints: number): { first: number[]; max: number[] } {
  const n = values.length;
  const bins = Math.max(1, Math.min(n, maxPoints));
  const per = Math.ceil(n / bins);
  const first: number[] = [];
  const max: number[] = [];
  for (let s = 0; s < n; s += per) {
    let m = NaN;
    for (let i = s; i < Math.min(n, s + per); i++) {
      const v = values[i] ?? NaN;
      if (!Number.isNaN(v) && (Number.isNaN(m) || v > m)) m = v;
    }
    first.push(s);
    max.push(m);
  }
  return { first, max };
}

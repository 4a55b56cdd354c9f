import { describe, expect, it } from 'vitest';
import { RegionMerger, intervalDistance, maxPool, mergeCalls, nearest, overlapCallsWithSites } from '../../../src-main/inference/regions';
import { binOf, mostlyN, windowCount } from '../../../src-main/inference/scan-task';

describe('called regions', () => {
  const w = (start: number, score: number) => ({ start, end: start + 100, score });

  it('merges overlapping windows over the threshold and keeps the highest score', () => {
    const calls = mergeCalls([w(0, 0.9), w(50, 0.7), w(100, 0.2), w(150, 0.8), w(200, 0.95)], 0.5, 0, 0);
    // Windows 0 and 50 cover [0, 150); 100 is under the threshold; 150 starts where that region ends (gap 0), so
    // it joins, and 200 overlaps: one region [0, 300) with the highest score.
    expect(calls).toEqual([{ start: 0, end: 300, score: 0.95 }]);
    expect(mergeCalls([w(0, 0.9), w(50, 0.7), w(100, 0.2), w(151, 0.8)], 0.5, 0, 0)).toEqual([
      { start: 0, end: 150, score: 0.9 },
      { start: 151, end: 251, score: 0.8 },
    ]);
  });

  it('merges calls separated by at most mergeGap bases, and only those', () => {
    const windows = [w(0, 0.9), w(130, 0.8), w(400, 0.7)];
    expect(mergeCalls(windows, 0.5, 30, 0)).toEqual([
      { start: 0, end: 230, score: 0.9 },
      { start: 400, end: 500, score: 0.7 },
    ]);
    expect(mergeCalls(windows, 0.5, 29, 0)).toEqual([
      { start: 0, end: 100, score: 0.9 },
      { start: 130, end: 230, score: 0.8 },
      { start: 400, end: 500, score: 0.7 },
    ]);
  });

  it('drops regions shorter than minLength', () => {
    expect(mergeCalls([w(0, 0.9), w(50, 0.9), w(500, 0.9)], 0.5, 0, 150)).toEqual([{ start: 0, end: 150, score: 0.9 }]);
  });

  it('streams the same regions as the batch function', () => {
    const m = new RegionMerger(10, 0);
    m.add(0, 100, 0.6);
    m.add(105, 205, 0.7);
    m.add(300, 400, 0.8);
    expect(m.finish()).toEqual(mergeCalls([w(0, 0.6), w(105, 0.7), w(300, 0.8)], 0.5, 10, 0));
  });
});

describe('distances to annotated sites', () => {
  it('measures the gap between half-open intervals (0 when they overlap or touch)', () => {
    expect(intervalDistance({ start: 0, end: 10 }, { start: 10, end: 11 })).toBe(0);
    expect(intervalDistance({ start: 0, end: 10 }, { start: 15, end: 16 })).toBe(5);
    expect(intervalDistance({ start: 20, end: 30 }, { start: 5, end: 6 })).toBe(14);
    expect(intervalDistance({ start: 0, end: 10 }, { start: 3, end: 4 })).toBe(0);
  });

  it('finds the nearest target, including long targets that start far to the left', () => {
    const targets = [
      { start: 500, end: 501 },
      { start: 0, end: 1000 }, // long, overlaps everything below 1000
      { start: 2000, end: 2001 },
    ];
    expect(nearest([{ start: 900, end: 950 }], targets)).toEqual([{ index: 1, distance: 0 }]);
    expect(nearest([{ start: 1500, end: 1600 }], targets)).toEqual([{ index: 2, distance: 400 }]);
    expect(nearest([{ start: 1, end: 2 }], [])).toEqual([null]);
  });

  it('gives precision and recall of calls against sites (hand-checked small case)', () => {
    // Calls: A [100,200), B [1000,1100), C [5000,5100). Sites: 150 (in A), 1250 (150 from B), 3000 (far), 5600 (500 from C).
    const calls = [
      { start: 100, end: 200 },
      { start: 1000, end: 1100 },
      { start: 5000, end: 5100 },
    ];
    const sites = [150, 1250, 3000, 5600].map((s) => ({ start: s, end: s + 1 }));
    const o = overlapCallsWithSites(calls, sites, 200);
    expect(o.callNearest.map((n) => n?.distance)).toEqual([0, 150, 500]);
    expect(o.siteNearCall).toEqual([true, true, false, false]);
    expect(o.recall).toBe(2 / 4);
    expect(o.precision).toBe(2 / 3);
    const wide = overlapCallsWithSites(calls, sites, 500);
    expect(wide.siteNearCall).toEqual([true, true, false, true]);
    expect(wide.precision).toBe(1);
  });
});

describe('scan windows', () => {
  it('counts windows that fit whole in the region', () => {
    expect(windowCount(50_000, 251, 50)).toBe(995);
    expect(windowCount(251, 251, 50)).toBe(1);
    expect(windowCount(250, 251, 50)).toBe(0);
  });

  it('draws a window on the stride-wide bin around its centre, so bedGraph intervals never overlap', () => {
    expect(binOf(1000, 251, 50)).toEqual({ start: 1100, end: 1150 });
    expect(binOf(1050, 251, 50).start).toBe(binOf(1000, 251, 50).end);
    expect(binOf(1000, 100, 200)).toEqual({ start: 1000, end: 1100 });
  });

  it('calls a window mostly N when more than half of it is not A/C/G/T', () => {
    expect(mostlyN('NNNNNACGT')).toBe(true);
    expect(mostlyN('NNNNACGTa')).toBe(false);
  });

  it('max-pools a track and treats NaN as no value', () => {
    const v = Float32Array.from([0.1, 0.5, NaN, NaN, 0.3, 0.2, 0.9]);
    expect(maxPool(v, 3)).toEqual({ first: [0, 3, 6], max: [0.5, 0.3, 0.9].map(Math.fround) });
    expect(maxPool(v, 100).max.length).toBe(7);
    expect(Number.isNaN(maxPool(Float32Array.from([NaN, NaN]), 1).max[0])).toBe(true);
  });
});

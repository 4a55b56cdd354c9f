/**
 * The masks actually drawn on real k-mer tokens (GUE prom_core sequences): DNABERT's overlapping-k-mer rule, the
 * RandomMask curriculum (span lengths inside each phase's bounds and growing), the rate, 80/10/10 and seeding.
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { CLS_ID, MASK_ID, PAD_ID, SEP_ID, UNK_ID, tokenizeBatch, vocabSize } from '../../../src-shared/dna';
import { applySpanMasking } from '../../../src-main/engine/training/masking';
import { maskSchedule, phaseAt } from '../../../src-main/engine/training/mask-schedule';
import { IGNORE_INDEX } from '../../../src-main/engine/training/task';
import { Rng } from '../../../src-main/engine/models/rng';

const root = path.resolve(__dirname, '../../..');
const k = 6;
const SPECIAL = [PAD_ID, UNK_ID, CLS_ID, SEP_ID, MASK_ID];

function sequences(n: number): string[] {
  const file = path.resolve(root, '../shared/data/gue_prom_300_tata/train.csv.gz');
  const lines = zlib.gunzipSync(fs.readFileSync(file)).toString('utf8').trim().split('\n').slice(1, n + 1);
  return lines.map((l) => l.split(',')[0] ?? '');
}

/** [rows][tokens] of 300-bp promoters: 295 6-mers + [CLS] + [SEP]. */
const rows = (() => {
  const enc = tokenizeBatch(sequences(200), { k, maxLength: 297 });
  return Array.from({ length: enc.batchSize }, (_, r) => enc.ids.slice(r * enc.seqLength, (r + 1) * enc.seqLength));
})();

/** Lengths of the runs of consecutive masked positions. */
function runs(labels: Int32Array): number[] {
  const out: number[] = [];
  let n = 0;
  for (const y of labels) {
    if (y !== IGNORE_INDEX) n++;
    else if (n > 0) {
      out.push(n);
      n = 0;
    }
  }
  if (n > 0) out.push(n);
  return out;
}

const options = (minSpan: number, maxSpan: number, rate = 0.15) => ({ maskTokenId: MASK_ID, vocabSize: vocabSize(k), specialIds: SPECIAL, minSpan, maxSpan, rate });

describe('span masking', () => {
  it('masks k consecutive tokens around each chosen centre (DNABERT, overlapping k-mers) and never a special token', () => {
    const rng = new Rng(1);
    for (const row of rows.slice(0, 50)) {
      const m = applySpanMasking(row, options(k, k), rng);
      for (const r of runs(m.labels)) expect(r).toBe(k);
      m.labels.forEach((y, i) => {
        if (y !== IGNORE_INDEX) {
          expect(SPECIAL).not.toContain(row[i]);
          expect(y).toBe(row[i]);
        }
      });
      // Every base of a masked centre is hidden: its k overlapping k-mers are all masked.
      expect(m.spans.every((s) => s === k)).toBe(true);
    }
  });

  it('draws the rate of the maskable tokens on average and replaces 80/10/10', () => {
    const rng = new Rng(7);
    let masked = 0;
    let maskable = 0;
    let asMask = 0;
    let kept = 0;
    let random = 0;
    for (let rep = 0; rep < 5; rep++) {
      for (const row of rows) {
        const m = applySpanMasking(row, options(6, 14), rng);
        maskable += row.filter((id) => !SPECIAL.includes(id)).length;
        m.labels.forEach((y, i) => {
          if (y === IGNORE_INDEX) return;
          masked++;
          if (m.tokens[i] === MASK_ID) asMask++;
          else if (m.tokens[i] === row[i]) kept++;
          else random++;
        });
      }
    }
    expect(masked / maskable).toBeGreaterThan(0.14);
    expect(masked / maskable).toBeLessThan(0.16);
    expect(asMask / masked).toBeGreaterThan(0.78);
    expect(asMask / masked).toBeLessThan(0.82);
    expect(kept / masked).toBeGreaterThan(0.085); // a random k-mer equal to the original counts as kept: 1 in 4096
    expect(kept / masked).toBeLessThan(0.115);
    expect(random / masked).toBeGreaterThan(0.085);
    expect(random / masked).toBeLessThan(0.115);
  });

  it('is reproducible from the seed and differs between seeds', () => {
    const a = applySpanMasking(rows[0]!, options(6, 10), new Rng(3));
    const b = applySpanMasking(rows[0]!, options(6, 10), new Rng(3));
    const c = applySpanMasking(rows[0]!, options(6, 10), new Rng(4));
    expect(Array.from(a.tokens)).toEqual(Array.from(b.tokens));
    expect(Array.from(a.labels)).toEqual(Array.from(b.labels));
    expect(Array.from(a.labels)).not.toEqual(Array.from(c.labels));
  });
});

describe('the RandomMask curriculum', () => {
  it('splits the steps into P even phases whose maximum span grows by `growth`, with the final-phase rate', () => {
    const schedule = maskSchedule({ masking: 'randommask', randomMask: { minSpan: 6, phases: 5, growth: 2, rate: 0.15, finalRate: 0.25 } }, 1000, k);
    expect(schedule.map((p) => [p.fromStep, p.toStep, p.minSpan, p.maxSpan, p.rate])).toEqual([
      [0, 200, 6, 6, 0.15],
      [200, 400, 6, 8, 0.15],
      [400, 600, 6, 10, 0.15],
      [600, 800, 6, 12, 0.15],
      [800, 1000, 6, 14, 0.25],
    ]);
    expect(maskSchedule({ masking: 'plain' }, 1000, 4)).toEqual([{ phase: 0, fromStep: 0, toStep: 1000, minSpan: 4, maxSpan: 4, rate: 0.15 }]);
  });

  it('draws span lengths inside each phase\'s bounds, longer in later phases, at each phase\'s rate', () => {
    const steps = 500;
    const schedule = maskSchedule({ masking: 'randommask', randomMask: { minSpan: 6, phases: 5, growth: 2, rate: 0.15, finalRate: 0.2 } }, steps, k);
    const means: number[] = [];
    for (const phase of schedule) {
      const lengths: number[] = [];
      let masked = 0;
      let maskable = 0;
      for (let step = phase.fromStep; step < phase.toStep; step += 10) {
        expect(phaseAt(schedule, step)).toBe(phase);
        const rng = new Rng(step);
        for (const row of rows.slice(0, 40)) {
          const m = applySpanMasking(row, options(phase.minSpan, phase.maxSpan, phase.rate), rng);
          const r = runs(m.labels);
          const sorted = (a: readonly number[]): number[] => [...a].sort((x, y) => x - y);
          expect(sorted(r)).toEqual(sorted(m.spans)); // spans never touch: each masked run is one span drawn
          lengths.push(...r);
          masked += r.reduce((a, b) => a + b, 0);
          maskable += row.filter((id) => !SPECIAL.includes(id)).length;
        }
      }
      expect(Math.min(...lengths)).toBeGreaterThanOrEqual(phase.minSpan);
      expect(Math.max(...lengths)).toBeLessThanOrEqual(phase.maxSpan);
      if (phase.maxSpan > phase.minSpan) expect(Math.max(...lengths)).toBe(phase.maxSpan); // the whole range is used
      expect(Math.abs(masked / maskable - phase.rate)).toBeLessThan(0.015);
      means.push(lengths.reduce((a, b) => a + b, 0) / lengths.length);
    }
    for (let p = 1; p < means.length; p++) expect(means[p]!).toBeGreaterThan(means[p - 1]!);
  });
});

import { describe, expect, it } from 'vitest';
import type { MotifMatrix } from '../../../src-main/io/motif-types';
import { PackedSequences, prepareScan, scanMatrixSync } from '../../../src-main/motifs/motif-scan';
import { backgroundFromCounts, columnInformation, consensusOf, detailOf, probabilities, pwmOf, reverseComplementWeights } from '../../../src-main/motifs/pwm';
import { compileMotif, scoreRegion } from '../../../src-main/motifs/scanner';

/** mulberry32 */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomMotif(id: string, width: number, next: () => number): MotifMatrix {
  return { id, name: id, line: 1, counts: Array.from({ length: width }, () => [0, 1, 2, 3].map(() => Math.floor(next() * 20) + (next() < 0.3 ? 0.5 : 0))) };
}

function randomDna(n: number, next: () => number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += 'ACGTacgtN'[Math.floor(next() * (next() < 0.02 ? 9 : 4))];
  return s;
}

const INDEX: Record<string, number> = { A: 0, C: 1, G: 2, T: 3 };

/** The definition, position by position: what the table look-ups must reproduce. */
function naive(seq: string, weights: readonly (readonly number[])[]): number[] {
  const up = seq.toUpperCase();
  const out: number[] = [];
  for (let i = 0; i + weights.length <= up.length; i++) {
    let s = 0;
    for (let j = 0; j < weights.length; j++) {
      const k = INDEX[up[i + j] ?? 'N'];
      if (k === undefined) {
        s = Number.NaN;
        break;
      }
      s += weights[j]?.[k] ?? 0;
    }
    out.push(s);
  }
  return out;
}

describe('PFM to PWM', () => {
  const arnt: MotifMatrix = { id: 'MA0004.1', name: 'Arnt', line: 1, counts: [[4, 16, 0, 0], [19, 0, 1, 0], [0, 20, 0, 0], [0, 0, 20, 0], [0, 0, 0, 20], [0, 0, 20, 0]] };

  it('normalises each column on its own and splits the pseudocount by the background', () => {
    const uneven: MotifMatrix = { id: 'u', name: 'u', line: 1, counts: [[10, 0, 0, 0], [0, 0, 0, 30]] };
    expect(probabilities(uneven.counts)).toEqual([[1, 0, 0, 0], [0, 0, 0, 1]]);
    const bg = [0.3, 0.2, 0.2, 0.3];
    const pwm = pwmOf(uneven, 0.8, bg);
    expect(2 ** (pwm.weights[0]?.[0] ?? 0) * 0.3).toBeCloseTo((10 + 0.8 * 0.3) / 10.8, 12);
    expect(2 ** (pwm.weights[1]?.[1] ?? 0) * 0.2).toBeCloseTo((0.8 * 0.2) / 30.8, 12);
    expect(pwm.maxScore).toBeCloseTo((pwm.weights[0]?.[0] ?? 0) + (pwm.weights[1]?.[3] ?? 0), 12);
  });

  it('gives consensus, information content and logo heights', () => {
    expect(consensusOf(arnt.counts)).toBe('CACGTG');
    expect(consensusOf([[5, 5, 0, 0], [3, 3, 3, 0], [1, 1, 1, 1]])).toBe('MVN');
    expect(columnInformation([[1, 0, 0, 0], [0.25, 0.25, 0.25, 0.25]])).toEqual([2, 0]);
    const d = detailOf(arnt);
    expect(d.informationContent).toBeCloseTo(10.99, 2);
    expect(d.logo[2]).toEqual([0, 2, 0, 0]);
    const rc = detailOf(arnt, { reverseComplement: true });
    expect(rc.consensus).toBe('CACGTG');
    expect(rc.probabilities[0]).toEqual(d.probabilities[5]?.slice().reverse());
  });

  it('takes a strand-symmetric background from the corpus', () => {
    expect(backgroundFromCounts([30, 20, 10, 40])).toEqual([0.35, 0.15, 0.15, 0.35]);
    expect(backgroundFromCounts([0, 0, 0, 0])).toEqual([0.25, 0.25, 0.25, 0.25]);
    expect(() => pwmOf(arnt, 0.8, [0.5, 0.5, 0, 0])).toThrow('background');
  });
});

describe('the table scanner', () => {
  it('matches the position-by-position definition on both strands for widths 1 to 23, lower case and N', () => {
    const next = rng(7);
    const seqs = [randomDna(700, next), randomDna(64, next), 'ACG', ''];
    const packed = new PackedSequences(seqs);
    for (let width = 1; width <= 23; width++) {
      const motif = pwmOf(randomMotif(`w${width}`, width, next));
      const compiled = compileMotif(motif);
      seqs.forEach((seq, r) => {
        const got = scoreRegion(packed, r, compiled);
        const fwd = naive(seq, motif.weights);
        const rev = naive(seq, reverseComplementWeights(motif.weights));
        expect(got.forward.length).toBe(fwd.length);
        fwd.forEach((v, i) => (Number.isNaN(v) ? expect(got.forward[i]).toBeNaN() : expect(got.forward[i]).toBeCloseTo(v, 4)));
        rev.forEach((v, i) => (Number.isNaN(v) ? expect(got.reverse[i]).toBeNaN() : expect(got.reverse[i]).toBeCloseTo(v, 4)));
      });
    }
  });

  it('reduces per region to the best window or the sum above the threshold, never across region ends', () => {
    const ebox: MotifMatrix = { id: 'E', name: 'ebox', line: 1, counts: [[0, 10, 0, 0], [10, 0, 0, 0], [0, 10, 0, 0], [0, 0, 10, 0], [0, 0, 0, 10], [0, 0, 10, 0]] };
    // Region 1 ends with CAC and region 2 starts with GTG: a window across the boundary would be a perfect hit.
    const regions = ['TTTTCACGTGTTTT', 'AAAAAAAACAC', 'GTGAAAAAAA', 'CANNGTG'];
    const packed = new PackedSequences(regions);
    const best = pwmOf(ebox).maxScore;
    const max = scanMatrixSync(packed, prepareScan([ebox], packed, { scoring: 'max', background: 'uniform' }));
    expect(max[0]).toBeCloseTo(best, 5);
    expect(max[1]).toBeLessThan(best - 5);
    expect(max[2]).toBeLessThan(best - 5);
    expect(max[3]).toBeCloseTo(pwmOf(ebox).minScore, 5); // no full ACGT window
    const sum = scanMatrixSync(packed, prepareScan([ebox], packed, { scoring: 'sum', background: 'uniform' }));
    // CACGTG is its own reverse complement: the hit counts once per strand.
    expect(sum[0]).toBeCloseTo(2 * best, 4);
    expect([sum[1], sum[2], sum[3]]).toEqual([0, 0, 0]);
    const low = scanMatrixSync(packed, prepareScan([ebox], packed, { scoring: 'sum', threshold: -100, background: 'uniform' }));
    expect(low[1]).toBeLessThan(0);
  });

  it('uses the base composition of the regions as the corpus background', () => {
    const packed = new PackedSequences(['AAAAAAAACG', 'TTTTTTTTGC']);
    expect(packed.baseCounts).toEqual([8, 2, 2, 8]);
    const prepared = prepareScan([{ id: 'a', name: 'a', line: 1, counts: [[1, 1, 1, 1]] }], packed, { scoring: 'max', background: 'corpus' });
    expect(prepared.background).toEqual([0.4, 0.1, 0.1, 0.4]);
  });
});

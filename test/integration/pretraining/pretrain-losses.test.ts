/**
 * Each pretraining loss falls on real data in a short run: windows of the hg38 chr2 region through the real Trainer
 * (wasm, two threads: data-parallel). SRM's region features are the motif-affinity matrix of the bundled JASPAR set.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MaskSchedulePhase } from '../../../src-shared/api';
import { Rng, deriveSeed } from '../../../src-main/engine/models/rng';
import { maskSchedule, phaseAt } from '../../../src-main/engine/training/mask-schedule';
import type { PretrainHeadsSpec } from '../../../src-main/engine/training/pretrain-task';
import { Trainer } from '../../../src-main/engine/training/trainer';
import { affinityMatrix } from '../../../src-main/motifs/affinity';
import { BUNDLED_MOTIFS_FILE } from '../../../src-main/motifs/motif-collection';
import { type Corpus, readCorpus, splitAnchors } from '../../../src-main/pretraining/corpus';
import { type BatchPlan, pretrainBatch, standardise, tokensFor } from '../../../src-main/pretraining/pretrain-batches';
import { buildWorkerScript, removeWorkerScript } from '../engine/support';

const root = path.resolve(__dirname, '../../..');
const fasta = path.resolve(root, '../shared/data/reference_hg38_chr2_1-2333275/chr2_1-2333275.fa.gz');
const k = 4;
const window = 96;
let workerScript = '';
let corpus: Corpus;

/** The corpus' motif affinities (bundled JASPAR 2024, max log-odds per motif, both strands), standardised. */
function affinities(c: Corpus): { values: Float32Array; rows: number; cols: number } {
  const m = affinityMatrix(c.tracks.flat(), { scoring: 'max', background: 'uniform' }, BUNDLED_MOTIFS_FILE);
  return { values: standardise(m.values, m.rows, m.motifIds.length), rows: m.rows, cols: m.motifIds.length };
}

beforeAll(async () => {
  workerScript = await buildWorkerScript();
  corpus = await readCorpus({ kind: 'fasta', path: fasta, region: { record: 'chr2', start: 1_000_000, end: 1_100_000 }, window, stride: window, bothStrands: false }, 1);
}, 120_000);
afterAll(() => removeWorkerScript(workerScript));

async function run(heads: PretrainHeadsSpec, plan: BatchPlan, steps: number, lr: number, data: Corpus = corpus, rate = 0.15, hidden = 64): Promise<Record<string, number[]>> {
  const trainer = await Trainer.create({
    task: {
      model: { kind: 'bert', config: { vocabSize: 4 ** k + 5, layers: 2, hidden, heads: 2, intermediate: 2 * hidden, hiddenDropout: 0, attentionDropout: 0 }, head: { kind: 'mlm' } },
      pretrain: heads,
    },
    seed: 3,
    threads: 2,
    optimizer: { lr, weightDecay: 0.01, clipNorm: 1 },
    workerScript,
  });
  const group = plan.srm?.regions ?? 1;
  const { train } = splitAnchors(data, 0.05, 3, group);
  const schedule: MaskSchedulePhase[] = maskSchedule({ masking: 'randommask', randomMask: { minSpan: k, phases: 2, growth: 2, rate } }, steps, k);
  const seen: Record<string, number[]> = {};
  try {
    for (let step = 0; step < steps; step++) {
      const rng = new Rng(deriveSeed(3, 'batch', step));
      const anchors = Array.from({ length: 32 }, () => train[rng.int(train.length)]!);
      const r = await trainer.trainStep(pretrainBatch(data, anchors, plan, phaseAt(schedule, 0), rng));
      for (const [name, v] of Object.entries(r.terms)) (seen[name] ??= []).push(v);
    }
  } finally {
    await trainer.close();
  }
  return seen;
}

const mean = (a: readonly number[]): number => a.reduce((x, y) => x + y, 0) / a.length;
const falls = (values: readonly number[] | undefined, by: number): void => {
  expect(values).toBeDefined();
  const v = values ?? [];
  const first = mean(v.slice(0, 5));
  const last = mean(v.slice(-5));
  expect(last, `from ${first.toFixed(3)} to ${last.toFixed(3)}`).toBeLessThan(first - by);
};

describe('pretraining losses on chr2 windows (wasm, 2 threads)', () => {
  it('reads the region as consecutive windows, hashed', () => {
    expect(corpus.summary.windows).toBe(Math.floor(100_000 / window) - corpus.summary.skippedN);
    expect(corpus.summary.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('MLM (RandomMask) and SRM (JASPAR affinities) fall, trained together with NGSP', async () => {
    const counts = affinities(corpus);
    expect(counts.cols).toBe(879);
    const plan: BatchPlan = { k, maxTokens: tokensFor(window, k), ngsp: true, srm: { regions: 4, motifs: counts.cols, values: counts.values } };
    const heads: PretrainHeadsSpec = {
      ngsp: true,
      srm: { regions: 4, motifs: counts.cols, hidden: 32, heads: 2, layers: 1, intermediate: 64, projection: 32, lambda: 0.5, temperature: { learnable: true, initial: 0.07 } },
    };
    const seen = await run(heads, plan, 150, 2e-3);
    for (const [n, v] of Object.entries(seen)) console.log(n, mean(v.slice(0, 5)).toFixed(3), mean(v.slice(-5)).toFixed(3));
    falls(seen['mlm'], 0.3);
    falls(seen['srm'], 0.3);
    expect(mean((seen['total'] ?? []).slice(-5))).toBeLessThan(mean((seen['total'] ?? []).slice(0, 5)));
  }, 600_000);

  it('NGSP\'s head learns when the segments carry a signal it can see (segments of two base alphabets)', async () => {
    // On real windows NGSP's signal within a short CPU run is composition (halves of one window share it, a random half
    // may not), and it is weak: on chr2 windows, GUE prom_core sequences and even the most GC- and AT-rich quarters of
    // chr2, the NGSP loss stayed at ln 2 for 500-800 steps of small models. This checks the head, the segment
    // embeddings and their gradients: segments drawn from {G, C} or from {A, T} make a random B wrong half the time in
    // a way the [CLS] can learn (75 % is the best accuracy), after a plateau while it learns to attend across segments.
    const rng = new Rng(1);
    const windows = Array.from({ length: 2000 }, (_, i) => Array.from({ length: 70 }, () => (i % 2 ? 'GGCC' : 'AATT')[rng.int(4)]).join(''));
    const twoAlphabets: Corpus = { tracks: [windows], summary: { windows: windows.length, bases: windows.length * 70, skippedN: 0, description: 'two alphabets', hash: '' } };
    const plan: BatchPlan = { k, maxTokens: tokensFor(70, k), ngsp: true, srm: null };
    // A low masking rate isolates NGSP (the MLM gradient would lengthen the plateau).
    const seen = await run({ ngsp: true, srm: null }, plan, 800, 2e-3, twoAlphabets, 0.01);
    const ngsp = seen['ngsp'] ?? [];
    const acc = seen['ngspAccuracy'] ?? [];
    console.log('ngsp by 100 steps', Array.from({ length: 8 }, (_, i) => mean(ngsp.slice(i * 100, (i + 1) * 100)).toFixed(3)).join(' '));
    expect(mean(ngsp.slice(-100))).toBeLessThan(mean(ngsp.slice(0, 100)) - 0.05);
    expect(mean(acc.slice(-100))).toBeGreaterThan(0.6);
  }, 900_000);
});

/**
 * Pretraining throughput: BERT-mini (4 layers, hidden 256, 4 heads, FFN 1024, k = 6, vocabulary 4101), batch 16 of
 * 128 tokens cut from the hg38 chr2 region, optimizer steps per second on 1 and 2 threads for
 *  - MLM with plain DNABERT masking (spans of k tokens, 15 %),
 *  - MLM with RandomMask (the last phase's spans, 6-14 tokens),
 *  - MLM + NGSP + SRM (RandomMask; SRM over groups of 10 regions),
 * next to the PyTorch peer in the same run (../shared/peers/bert_torch.py --mode train --mlm masked: the MLM head on
 * the masked tokens only, as ours). Prints a table (ms per step, tokens/s, ratio to the peer) and writes
 * bench-results/pretrain.json. Numbers, not assertions. BENCH_QUICK=1 runs fewer steps.
 *
 * SRM's region features: the motif-affinity matrix when the motif scanner is available, otherwise (noted in the
 * table) a stand-in of the same shape from 3-mer counts; the cost of the region encoder barely depends on the values.
 */
import fs from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { MaskSchedulePhase } from '../../src-shared/api';
import { Rng, deriveSeed } from '../../src-main/engine/models/rng';
import { maskSchedule } from '../../src-main/engine/training/mask-schedule';
import type { PretrainHeadsSpec } from '../../src-main/engine/training/pretrain-task';
import type { Batch } from '../../src-main/engine/training/task';
import { Trainer } from '../../src-main/engine/training/trainer';
import { type Corpus, readCorpus, splitAnchors } from '../../src-main/pretraining/corpus';
import { type BatchPlan, type RegionFeatures, pretrainBatch, standardise } from '../../src-main/pretraining/pretrain-batches';
import { ROOT, type PeerResult, buildWorkerScript, machine, median, runPeer, waitForQuiet, withContention } from './training-support';

const QUICK = process.env['BENCH_QUICK'] === '1';
const K = 6;
const WINDOW = 128 + K - 3; // 128 tokens with [CLS] and [SEP]
const BATCH = 16;

interface Row {
  readonly method: string;
  readonly engine: string;
  readonly threads: number;
  readonly msPerStep: number;
  readonly tokPerS: number;
  readonly vsPeer: number | null;
  readonly othersCores: number | null;
  readonly note?: string;
}

const rows: Row[] = [];
const peers: PeerResult[] = [];

async function regionFeatures(corpus: Corpus): Promise<{ features: RegionFeatures; note: string }> {
  const windows = corpus.tracks.flat();
  try {
    const { affinityMatrix } = await import('../../src-main/motifs/affinity');
    const { BUNDLED_MOTIFS_FILE } = await import('../../src-main/motifs/motif-collection');
    const m = affinityMatrix(windows, { scoring: 'max', background: 'uniform' }, BUNDLED_MOTIFS_FILE);
    return { features: { regions: 10, motifs: m.motifIds.length, values: standardise(m.values, m.rows, m.motifIds.length) }, note: `${m.motifIds.length} JASPAR motifs` };
  } catch {
    const code: Record<string, number> = { A: 0, C: 1, G: 2, T: 3 };
    const values = new Float32Array(windows.length * 64);
    windows.forEach((w, r) => {
      for (let i = 0; i + 3 <= w.length; i++) {
        const a = code[w[i]!];
        const b = code[w[i + 1]!];
        const c = code[w[i + 2]!];
        if (a !== undefined && b !== undefined && c !== undefined) values[r * 64 + a * 16 + b * 4 + c]! += 1;
      }
    });
    return { features: { regions: 10, motifs: 64, values: standardise(values, windows.length, 64) }, note: 'stand-in features (3-mer counts, 64 columns): the motif scanner was not available' };
  }
}

async function time(heads: PretrainHeadsSpec, batches: readonly Batch[], threads: number, workerScript: string, warmup: number): Promise<number> {
  const trainer = await Trainer.create({
    task: { model: { kind: 'bert', preset: 'mini', head: { kind: 'mlm' } }, pretrain: heads },
    seed: 1,
    threads,
    optimizer: { lr: 1e-4, weightDecay: 0.01, clipNorm: 1 },
    workerScript,
  });
  try {
    for (let i = 0; i < warmup; i++) await trainer.trainStep(batches[i % batches.length]!);
    const times: number[] = [];
    for (const b of batches) times.push((await trainer.trainStep(b)).ms);
    return median(times);
  } finally {
    await trainer.close();
  }
}

async function main(): Promise<void> {
  const workerScript = await buildWorkerScript();
  const fasta = path.resolve(ROOT, '../shared/data/reference_hg38_chr2_1-2333275/chr2_1-2333275.fa.gz');
  const corpus = await readCorpus({ kind: 'fasta', path: fasta, region: { record: 'chr2', start: 1_000_000, end: 1_400_000 }, window: WINDOW, stride: WINDOW, bothStrands: false }, 1);
  const { features, note } = await regionFeatures(corpus);
  const { train } = splitAnchors(corpus, 0.05, 1, 10);
  const steps = QUICK ? 3 : 6;
  const plainPhase: MaskSchedulePhase = maskSchedule({ masking: 'plain' }, 100, K)[0]!;
  const rmPhase: MaskSchedulePhase = maskSchedule({ masking: 'randommask' }, 100, K).at(-1)!;
  const batchesFor = (plan: BatchPlan, phase: MaskSchedulePhase): Batch[] =>
    Array.from({ length: steps }, (_, s) => {
      const rng = new Rng(deriveSeed(1, 'bench', s));
      return pretrainBatch(corpus, Array.from({ length: BATCH }, () => train[rng.int(train.length)]!), plan, phase, rng);
    });
  const mlmPlan: BatchPlan = { k: K, maxTokens: 128, ngsp: false, srm: null };
  const allPlan: BatchPlan = { k: K, maxTokens: 128, ngsp: true, srm: features };
  const srm = { regions: 10, motifs: features.motifs, hidden: 64, heads: 4, layers: 1, intermediate: 128, projection: 128, lambda: 0.5, temperature: { learnable: true, initial: 0.07 } };
  const cases = [
    { method: 'MLM, plain masking (k-token spans)', heads: { ngsp: false, srm: null }, batches: batchesFor(mlmPlan, plainPhase) },
    { method: 'MLM, RandomMask (last phase, spans 6-14)', heads: { ngsp: false, srm: null }, batches: batchesFor(mlmPlan, rmPhase) },
    { method: 'MLM (RandomMask) + NGSP + SRM', heads: { ngsp: true, srm }, batches: batchesFor(allPlan, rmPhase), note },
  ];

  let peerMs: number | null = null;
  for (let run = 0; run < (QUICK ? 1 : 2); run++) {
    await waitForQuiet(1.8, QUICK ? 5_000 : 30_000);
    const r = runPeer('bert_torch.py', ['--config', 'mini', '--mode', 'train', '--mlm', 'masked', '--threads', '1', '--batch', String(BATCH), '--seq', '128'], { OPENBLAS_NUM_THREADS: '2' });
    peers.push(r);
    if (r.ok && r.json) peerMs = Math.min(peerMs ?? Infinity, Number(r.json['median_ms']));
  }
  if (peerMs !== null) rows.push({ method: 'MLM (random ids, 15 % of tokens)', engine: 'PyTorch (peer)', threads: 1, msPerStep: peerMs, tokPerS: (BATCH * 128 * 1000) / peerMs, vsPeer: 1, othersCores: null });
  for (const c of cases) {
    for (const threads of [1, 2]) {
      await waitForQuiet(1.8, QUICK ? 5_000 : 30_000);
      const { value, othersCores } = await withContention(() => time(c.heads, c.batches, threads, workerScript, 2));
      rows.push({
        method: c.method,
        engine: 'ours (wasm)',
        threads,
        msPerStep: value,
        tokPerS: (BATCH * 128 * 1000) / value,
        vsPeer: peerMs === null ? null : peerMs / value,
        othersCores: Number(othersCores.toFixed(2)),
        ...(c.note ? { note: c.note } : {}),
      });
    }
  }
  fs.rmSync(workerScript, { force: true });

  const fmt = (v: number, d = 1): string => (Number.isFinite(v) ? v.toFixed(d) : '-');
  console.log('\n' + ['method'.padEnd(42), 'engine'.padEnd(16), 'thr', 'ms/step'.padStart(9), 'tok/s'.padStart(8), 'vs peer'.padStart(8), 'others'.padStart(7)].join(' '));
  for (const r of rows) {
    console.log(
      [r.method.padEnd(42), r.engine.padEnd(16), String(r.threads).padStart(3), fmt(r.msPerStep).padStart(9), fmt(r.tokPerS, 0).padStart(8), (r.vsPeer === null ? '-' : `${fmt(r.vsPeer, 2)}x`).padStart(8), (r.othersCores === null ? '' : fmt(r.othersCores, 2)).padStart(7)].join(' '),
    );
  }
  console.log(`BERT-mini, batch ${BATCH} x 128 tokens (k = ${K}); SRM: ${note}.`);
  console.log('others: cores other processes kept busy during our measurement (this machine is shared).');
  for (const p of peers) console.log(`  ${p.command} -> ${p.json ? `median ${String(p.json['median_ms'])} ms` : p.error}`);
  const out = path.join(ROOT, 'bench-results');
  fs.mkdirSync(out, { recursive: true });
  fs.writeFileSync(path.join(out, 'pretrain.json'), JSON.stringify({ meta: { ...machine(), tfjs: tf.version.tfjs, quick: QUICK, batch: BATCH, tokens: 128, k: K, srmFeatures: note }, rows, peers }, null, 2));
  console.log(`wrote ${path.join(out, 'pretrain.json')}`);
}

void main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});

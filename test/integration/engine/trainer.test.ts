/**
 * The training step end to end on the wasm backend with our kernels: the loss goes down on real promoter sequences,
 * no tensor leaks from step to step, and training on two threads gives the weights of one thread on the whole batch.
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../../src-main/engine/models/rng';
import { applyMlmMasking } from '../../../src-main/engine/training/masking';
import { type Batch, type TaskSpec, sliceBatch } from '../../../src-main/engine/training/task';
import { Trainer, parallelism, shardRanges } from '../../../src-main/engine/training/trainer';
import { buildWorkerScript, cnnBatch, type Example, kmerBatch, readExamples, removeWorkerScript } from './support';

let workerScript = '';
let examples: Example[] = [];

beforeAll(async () => {
  workerScript = await buildWorkerScript();
  examples = readExamples('gb_human_nontata_promoters', 200);
}, 60_000);

afterAll(() => removeWorkerScript(workerScript));

/** The same rows in a seeded random order, cut into batches. */
function batches(all: Batch, size: number, seed: number): Batch[] {
  const rng = new Rng(seed);
  const order = Array.from({ length: all.size }, (_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const rows = order.map((i) => sliceBatch(all, i, i + 1));
  const out: Batch[] = [];
  for (let s = 0; s + size <= rows.length; s += size) {
    const part = rows.slice(s, s + size);
    const cat = (pick: (b: Batch) => Int32Array): Int32Array => Int32Array.from(part.flatMap((b) => [...pick(b)]));
    out.push({ size, length: all.length, tokens: cat((b) => b.tokens), labels: cat((b) => b.labels) });
  }
  return out;
}

const TINY_BERT = { vocabSize: 69, hidden: 32, layers: 2, heads: 4, intermediate: 64, maxPositions: 64 };

function mlmBatch(source: Batch, seed: number): Batch {
  const { tokens, labels } = applyMlmMasking(source.tokens, { maskTokenId: 4, vocabSize: 69, specialIds: [0, 1, 2, 3, 4] }, new Rng(seed));
  return { ...source, tokens, labels };
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i]! - b[i]!));
  return d;
}

describe('training on real promoter sequences (gb_human_nontata_promoters, 200 sequences)', () => {
  it('lowers the CNN loss within a few epochs, without leaking tensors', async () => {
    const all = cnnBatch(examples, 251);
    const trainer = await Trainer.create({
      task: { model: { kind: 'cnn', config: { length: 251 } } },
      seed: 1,
      threads: 1,
      optimizer: { lr: 1e-3, weightDecay: 0 },
    });
    try {
      const before = await trainer.evaluate(all);
      const counts: number[] = [];
      for (let epoch = 0; epoch < 3; epoch++) {
        for (const b of batches(all, 40, epoch)) {
          const r = await trainer.trainStep(b);
          expect(Number.isFinite(r.loss)).toBe(true);
          counts.push(tf.memory().numTensors);
        }
      }
      const after = await trainer.evaluate(all);
      expect(after).toBeLessThan(before * 0.9);
      expect(new Set(counts.slice(1)).size).toBe(1); // the same number of live tensors after every step
    } finally {
      await trainer.close();
    }
  });

  it('lowers a small BERT MLM loss on 3-mer tokens, without leaking tensors', async () => {
    const source = kmerBatch(examples.slice(0, 32), 3, 48);
    const trainer = await Trainer.create({
      task: { model: { kind: 'bert', config: { ...TINY_BERT, hiddenDropout: 0, attentionDropout: 0 }, head: { kind: 'mlm' } } },
      seed: 2,
      threads: 1,
      optimizer: { lr: 1e-2, clipNorm: 1 },
    });
    try {
      const fixed = mlmBatch(source, 99);
      const before = await trainer.evaluate(fixed);
      const counts: number[] = [];
      for (let step = 0; step < 20; step++) {
        const r = await trainer.trainStep(mlmBatch(source, step));
        expect(r.clipScale).toBeLessThanOrEqual(1);
        counts.push(tf.memory().numTensors);
      }
      expect(before).toBeCloseTo(Math.log(69), 1); // uniform over the vocabulary at the start
      expect(await trainer.evaluate(fixed)).toBeLessThan(before - 0.2);
      expect(new Set(counts.slice(1)).size).toBe(1);
    } finally {
      await trainer.close();
    }
  });
});

describe('determinism', () => {
  it('resumes from weights and optimizer state exactly as if never stopped (dropout on)', async () => {
    const source = kmerBatch(examples.slice(0, 8), 3, 24);
    const options = { task: { model: { kind: 'bert', config: TINY_BERT, head: { kind: 'mlm' } } } as TaskSpec, seed: 4, threads: 1, optimizer: { lr: 1e-3 } };
    const straight = await Trainer.create(options);
    const first = await Trainer.create(options);
    try {
      for (let step = 0; step < 3; step++) await straight.trainStep(mlmBatch(source, step));
      for (let step = 0; step < 2; step++) await first.trainStep(mlmBatch(source, step));
      const resumed = await Trainer.create({ ...options, weights: first.weights.slice() });
      try {
        resumed.optimizer.restore(first.optimizer.state());
        expect(resumed.step).toBe(2);
        await resumed.trainStep(mlmBatch(source, 2));
        expect(resumed.weights).toEqual(straight.weights);
      } finally {
        await resumed.close();
      }
    } finally {
      await Promise.all([straight.close(), first.close()]);
    }
  });
});

describe('data-parallel training over worker threads', () => {
  it('reports the cores it computes on', async () => {
    const p = parallelism();
    expect(p.cores).toBeGreaterThanOrEqual(1);
    expect(p.defaultThreads).toBeGreaterThanOrEqual(1);
    expect(shardRanges(7, 3)).toEqual([[0, 3], [3, 5], [5, 7]]);
  });

  it.each<[string, TaskSpec, (b: Batch, step: number) => Batch]>([
    [
      'BERT MLM (shards hold different numbers of masked tokens)',
      { model: { kind: 'bert', config: { ...TINY_BERT, hiddenDropout: 0, attentionDropout: 0 }, head: { kind: 'mlm' } } },
      (b, step) => mlmBatch(b, step),
    ],
    [
      'BERT classification with class weights, [CLS] pooling',
      {
        model: { kind: 'bert', config: { ...TINY_BERT, hiddenDropout: 0, attentionDropout: 0 }, head: { kind: 'classification', numClasses: 2, pooling: 'cls', classifierDropout: 0 } },
        classWeights: [1, 3],
      },
      (b) => b,
    ],
  ])('gives the weights of one thread on the whole batch, on two threads (%s)', async (_name, task, prepare) => {
    const source = kmerBatch(examples.slice(0, 16), 3, 32);
    const options = { task, seed: 5, optimizer: { lr: 1e-3, clipNorm: 1 }, workerScript };
    const one = await Trainer.create({ ...options, threads: 1 });
    const two = await Trainer.create({ ...options, threads: 2 });
    try {
      expect(two.threads).toBe(2);
      expect(one.weights).toEqual(two.weights);
      for (let step = 0; step < 3; step++) {
        const b = prepare(source, step);
        const [r1, r2] = [await one.trainStep(b), await two.trainStep(b)];
        expect(r2.loss).toBeCloseTo(r1.loss, 4);
        expect(r2.gradNorm).toBeCloseTo(r1.gradNorm, 3);
      }
      expect(maxAbsDiff(one.weights, two.weights)).toBeLessThan(1e-5);
      const probe = prepare(source, 7);
      const [l1, l2] = [await one.logits(probe), await two.logits(probe)];
      expect(l2.shape).toEqual(l1.shape);
      expect(maxAbsDiff(l1.values, l2.values)).toBeLessThan(1e-4);
    } finally {
      await Promise.all([one.close(), two.close()]);
    }
  });

  it('trains the CNN on two threads (BatchNorm statistics per shard, running averages combined)', async () => {
    const all = cnnBatch(examples.slice(0, 64), 251);
    const trainer = await Trainer.create({ task: { model: { kind: 'cnn', config: { length: 251 } } }, seed: 3, threads: 2, optimizer: { lr: 1e-3 }, workerScript });
    try {
      const before = await trainer.evaluate(all);
      for (let step = 0; step < 6; step++) await trainer.trainStep(all);
      expect(await trainer.evaluate(all)).toBeLessThan(before);
      const running = trainer.namedWeights().get('cnn.1.running_var')!;
      expect([...running].some((v) => v !== 1)).toBe(true); // moved away from its initial value of 1
    } finally {
      await trainer.close();
    }
  });

  it('fails with a readable message when a thread cannot start', async () => {
    await expect(
      Trainer.create({ task: { model: { kind: 'cnn' } }, seed: 1, threads: 2, optimizer: { lr: 1e-3 }, workerScript: `${workerScript}.missing` }),
    ).rejects.toThrow(/training thread|Cannot find module/);
  });
});

/**
 * The ONNX exporter against the engine: for each architecture the app trains, the logits and probabilities from
 * ONNX Runtime (onnxruntime-node, installed here) equal those of the TensorFlow.js forward pass that training
 * evaluation uses, on real promoter sequences, padding included.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createOnnxRunner, onnxUnavailableReason } from '../../../src-main/inference/onnx/onnx-runner';
import { loadOnnxRuntime } from '../../../src-main/inference/onnx/onnx-runtime';
import { probabilitiesOf } from '../../../src-main/training/evaluation';
import { setupWasm } from '../../unit/engine/helpers';
import { type TestModel, bertModel, cnnModel, maxAbsDiff, promoterSequences, tfjsLogits } from './onnx-support';

const TOL = 1e-4;

/** Runs both engines on the same batch; returns logits and probabilities of each. */
async function bothEngines(model: TestModel, sequences: readonly string[]) {
  const batch = model.batch(sequences);
  const runner = await createOnnxRunner(model);
  if (!runner) throw new Error(`ONNX Runtime did not run the model: ${onnxUnavailableReason()}`);
  try {
    const onnx = await runner.logits(batch);
    const tfjs = tfjsLogits(model, batch);
    const outputs = model.config.outputs;
    return {
      backend: runner.backend,
      onnx,
      tfjs,
      pOnnx: probabilitiesOf(onnx, outputs, batch.labels).probabilities,
      pTfjs: probabilitiesOf(tfjs, outputs, batch.labels).probabilities,
    };
  } finally {
    runner.dispose();
  }
}

function spread(values: ArrayLike<number>): number {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < values.length; i++) {
    lo = Math.min(lo, values[i]!);
    hi = Math.max(hi, values[i]!);
  }
  return hi - lo;
}

describe('ONNX Runtime and TensorFlow.js give the same predictions', () => {
  let sequences: string[];
  beforeAll(async () => {
    // This machine has onnxruntime-node installed: its absence is a failure here, not a reason to skip.
    const runtime = loadOnnxRuntime();
    if ('error' in runtime) throw new Error(`onnxruntime-node must be installed for these tests: ${runtime.error}`);
    await setupWasm();
    sequences = promoterSequences(48);
  });

  it.each(['embedding', 'onehot'] as const)('CNN with %s input, binary (one sigmoid logit)', async (input) => {
    const model = cnnModel(input, 251, ['non-promoter', 'promoter'], 11);
    const r = await bothEngines(model, sequences);
    expect(r.backend).toMatch(/^onnxruntime-node 1\.\d+\.\d+ \(cpu\)$/);
    expect(r.onnx.length).toBe(sequences.length);
    expect(spread(r.pTfjs)).toBeGreaterThan(0.05); // the model tells the sequences apart: a meaningful comparison
    expect(maxAbsDiff(r.pOnnx, r.pTfjs)).toBeLessThan(TOL);
    expect(maxAbsDiff(r.onnx, r.tfjs) / Math.max(1, spread(r.tfjs))).toBeLessThan(TOL);
  });

  it('CNN with three classes (softmax) and sequences shorter than its input (padding ids)', async () => {
    const model = cnnModel('embedding', 300, ['a', 'b', 'c'], 12);
    const short = sequences.map((s, i) => s.slice(0, 150 + i));
    const r = await bothEngines(model, short);
    expect(r.onnx.length).toBe(short.length * 3);
    expect(maxAbsDiff(r.pOnnx, r.pTfjs)).toBeLessThan(TOL);
  });

  it.each(['cls', 'mean'] as const)('BERT with %s pooling on padded batches of different lengths', async (pooling) => {
    const model = bertModel(pooling, 64, ['non-promoter', 'promoter'], 13);
    // 20 to 67 bases: from 20 tokens with 44 padding to truncated at 64 tokens.
    const varied = sequences.map((s, i) => s.slice(i, i + 20 + i));
    const r = await bothEngines(model, varied);
    expect(r.onnx.length).toBe(varied.length * 2);
    expect(spread(r.pTfjs)).toBeGreaterThan(0.05);
    expect(maxAbsDiff(r.pOnnx, r.pTfjs)).toBeLessThan(TOL);
    expect(maxAbsDiff(r.onnx, r.tfjs) / Math.max(1, spread(r.tfjs))).toBeLessThan(TOL);
  });

  it('BERT gives each sequence the same logits whatever else is in its batch (padding is masked)', async () => {
    const model = bertModel('cls', 64, ['x', 'y', 'z'], 14);
    const runner = await createOnnxRunner(model);
    if (!runner) throw new Error(`ONNX Runtime did not run the model: ${onnxUnavailableReason()}`);
    try {
      const together = await runner.logits(model.batch(sequences.slice(0, 8).map((s, i) => s.slice(0, 25 + 10 * i))));
      const alone = await runner.logits(model.batch([sequences[3]!.slice(0, 55)]));
      expect(maxAbsDiff(together.subarray(9, 12), alone)).toBeLessThan(TOL);
    } finally {
      runner.dispose();
    }
  });
});

/** The fast layer ops (hand-written gradients) give the same values and gradients as plain tfjs ops. */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { dropoutMask, fastOps, stockOps, type OpSet } from '../../../src-main/engine/models/ops';
import { Rng } from '../../../src-main/engine/models/rng';
import { expectClose, randomArray, randomInts, setupWasm } from './helpers';

beforeAll(setupWasm, 60_000);

/** Value and gradients of sum(op(inputs) * probe) for both op sets. */
function compare(build: (ops: OpSet, xs: tf.Tensor[]) => tf.Tensor, inputs: tf.Tensor[], tol = 1e-4): void {
  const run = (ops: OpSet): Float32Array[] =>
    tf.tidy(() => {
      const probe = (y: tf.Tensor): tf.Tensor => tf.mul(y, tf.sin(tf.range(0, y.size).reshape(y.shape)));
      const value = build(ops, inputs);
      const grads = tf.grads((...xs: tf.Tensor[]) => tf.sum(probe(build(ops, xs))))(inputs);
      return [value, ...grads].map((t) => Float32Array.from(t.dataSync()));
    });
  expectClose(run(fastOps), run(stockOps), tol);
}

describe('fast ops match stock tfjs ops', () => {
  it('linear layers with PyTorch [out, in] weights, narrow and wide', () => {
    for (const [n, inn, out] of [[9, 6, 4], [7, 4, 11]] as const) {
      const x = tf.tensor2d(randomArray(n * inn, 1), [n, inn]);
      const w = tf.tensor2d(randomArray(out * inn, 2), [out, inn]);
      const b = tf.tensor1d(randomArray(out, 3));
      compare((ops, [a, c, d]) => ops.linear(a as tf.Tensor2D, c as tf.Tensor2D, d as tf.Tensor1D), [x, w, b]);
      compare((ops, [a, c]) => ops.linear(a as tf.Tensor2D, c as tf.Tensor2D), [x, w]);
      tf.dispose([x, w, b]);
    }
  });

  it('GELU (tanh approximation)', () => {
    const x = tf.tensor2d(randomArray(8 * 16, 4, 3), [8, 16]);
    compare((ops, [a]) => ops.gelu(a as tf.Tensor2D), [x], 1e-5);
    // PyTorch's gelu(approximate='tanh') at a few points
    const y = tf.tidy(() => fastOps.gelu(tf.tensor2d([-3, -1, 0, 0.5, 2], [1, 5])).dataSync());
    expectClose([Float32Array.from(y)], [Float32Array.from([-0.0036374, -0.1588080, 0, 0.3457140, 1.9545977])], 1e-6);
    x.dispose();
  });

  it('layer norm and batch norm', () => {
    const x = tf.tensor2d(randomArray(12 * 10, 5, 2), [12, 10]);
    const g = tf.tensor1d(randomArray(10, 6));
    const b = tf.tensor1d(randomArray(10, 7));
    compare((ops, [a, c, d]) => ops.layerNorm(a as tf.Tensor2D, c as tf.Tensor1D, d as tf.Tensor1D, 1e-12), [x, g, b]);
    compare((ops, [a, c, d]) => ops.batchNormTrain(a as tf.Tensor2D, c as tf.Tensor1D, d as tf.Tensor1D, 1e-5).y, [x, g, b]);
    const stats = (ops: OpSet): Float32Array[] =>
      tf.tidy(() => {
        const r = ops.batchNormTrain(x as tf.Tensor2D, g, b, 1e-5);
        return [r.mean, r.variance].map((t) => Float32Array.from(t.dataSync()));
      });
    expectClose(stats(fastOps), stats(stockOps), 1e-5);
    tf.dispose([x, g, b]);
  });

  it('softmax cross-entropy, including very confident logits', () => {
    const logits = randomArray(6 * 9, 8, 4);
    logits[3] = 80; // exp would overflow without the max shift
    const x = tf.tensor2d(logits, [6, 9]);
    const labels = tf.tensor1d(randomInts(6, 9, 9), 'int32');
    compare((ops, [a]) => ops.crossEntropy(a as tf.Tensor2D, labels), [x]);
    tf.dispose([x, labels]);
  });

  it('convolutions with PyTorch [out, in, k] weights', () => {
    const x = tf.tensor3d(randomArray(2 * 20 * 3, 10), [2, 20, 3]);
    const w = tf.tensor3d(randomArray(4 * 3 * 5, 11, 0.5), [4, 3, 5]);
    const b = tf.tensor1d(randomArray(4, 12));
    compare((ops, [a, c, d]) => ops.conv1d(a as tf.Tensor3D, c as tf.Tensor3D, d as tf.Tensor1D), [x, w, b]);
    tf.dispose([x, w, b]);
  });
});

describe('dropout masks', () => {
  it('drop the requested fraction, scale the rest, and repeat for the same seed', () => {
    const values = (seed: number): Float32Array => tf.tidy(() => Float32Array.from(dropoutMask([100, 1000], 0.1, new Rng(seed)).dataSync()));
    const a = values(1);
    const dropped = a.filter((v) => v === 0).length / a.length;
    expect(dropped).toBeGreaterThan(0.095);
    expect(dropped).toBeLessThan(0.105);
    expect(a.every((v) => v === 0 || Math.abs(v - 1 / 0.9) < 1e-6)).toBe(true);
    expect(values(1)).toEqual(a);
    expect(values(2)).not.toEqual(a);
  });
});

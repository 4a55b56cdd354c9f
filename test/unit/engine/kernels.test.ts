/**
 * Our wasm kernels against the plain-JS cpu backend on random inputs: the kernels tfjs-wasm lacks (embedding and
 * convolution gradients) and the faster replacements (matmul with transposes and batches, transposes, reductions,
 * gathers, max-pool gradients), each through the public ops and their gradients.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { installWasmKernels, installedWasmKernels, uninstallWasmKernels } from '../../../src-main/engine/kernels';
import { expectClose, onBoth, randomArray, randomInts, setupWasm } from './helpers';

beforeAll(setupWasm, 60_000);

const sizeOf = (shape: readonly number[]): number => shape.reduce((p, q) => p * q, 1);

describe('kernels tfjs-wasm lacks', () => {
  it('trains an embedding: the gather gradient (UnsortedSegmentSum) matches the cpu backend', async () => {
    const table = randomArray(50 * 12, 1);
    const ids = randomInts(64, 50, 2); // repeats: rows that receive several gradients
    const dy = randomArray(64 * 12, 3);
    const r = await onBoth(() => {
      const g = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.gather(t, tf.tensor1d(ids, 'int32')), tf.tensor2d(dy, [64, 12]))));
      return g(tf.tensor2d(table, [50, 12]));
    });
    expectClose(r.wasm, r.cpu, 1e-5);
  });

  it('sums segments of a multi-dimensional tensor and drops out-of-range ids', async () => {
    const x = randomArray(6 * 4 * 3, 4);
    const ids = Int32Array.from([0, 2, 2, -1, 5, 7]); // -1 and 7 are outside 5 segments
    const wasm = tf.tidy(() => tf.unsortedSegmentSum(tf.tensor3d(x, [6, 4, 3]), tf.tensor1d(ids, 'int32'), 5).dataSync());
    const want = new Float32Array(5 * 12);
    ids.forEach((s, r) => {
      if (s < 0 || s >= 5) return;
      for (let j = 0; j < 12; j++) want[s * 12 + j]! += x[r * 12 + j]!;
    });
    expectClose([Float32Array.from(wasm)], [want], 1e-6);
  });

  it.each([
    ['conv1d valid', [3, 1, 40, 5], [1, 7, 5, 4], 1, 'valid'],
    ['conv1d same', [2, 1, 33, 6], [1, 4, 6, 3], 1, 'same'],
    ['conv2d 3x3 same, stride 2', [2, 9, 11, 3], [3, 3, 3, 4], 2, 'same'],
    ['conv2d 2x3 valid', [2, 6, 7, 2], [2, 3, 2, 5], 1, 'valid'],
  ] as const)('trains a convolution (%s): filter and input gradients match the cpu backend', async (_name, xShape, wShape, stride, pad) => {
    const x = randomArray(sizeOf(xShape), 5);
    const w = randomArray(sizeOf(wShape), 6, 0.3);
    const r = await onBoth(() => {
      const xt = tf.tensor4d(x, [...xShape]);
      const wt = tf.tensor4d(w, [...wShape]);
      const loss = (a: tf.Tensor, b: tf.Tensor): tf.Scalar =>
        tf.sum(tf.sin(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, stride, pad as 'same' | 'valid')));
      return tf.grads(loss)([xt, wt]);
    });
    expectClose(r.wasm, r.cpu, 1e-4);
  });
});

describe('faster replacements', () => {
  it.each([
    [[7, 5], [5, 3], false, false],
    [[7, 5], [3, 5], false, true],
    [[5, 7], [5, 3], true, false],
    [[5, 7], [3, 5], true, true],
    [[3, 5], [11, 5], false, true], // few rows times a transposed weight: computed as (b a^T)^T
    [[4, 6, 5], [4, 5, 3], false, false],
    [[4, 6, 5], [4, 3, 5], false, true],
    [[2, 3, 6, 5], [5, 4], false, false], // shared right operand
    [[6, 5], [2, 5, 4], false, false], // shared left operand
    [[2, 3, 5, 6], [3, 4, 5], true, true],
  ] as const)('matMul %j x %j (transposeA %s, transposeB %s) matches the cpu backend', async (sa, sb, ta, tb) => {
    const a = randomArray(sizeOf(sa), 7);
    const b = randomArray(sizeOf(sb), 8);
    // tfjs-core's matMul gradient does not reduce broadcast batch dimensions: gradients only for equal batch shapes.
    const withGrads = sa.slice(0, -2).join() === sb.slice(0, -2).join();
    const r = await onBoth(() => {
      const at = tf.tensor(a, [...sa]);
      const bt = tf.tensor(b, [...sb]);
      const y = tf.matMul(at, bt, ta, tb);
      if (!withGrads) return y;
      const [ga, gb] = tf.grads((p: tf.Tensor, q: tf.Tensor) => tf.sum(tf.square(tf.matMul(p, q, ta, tb))))([at, bt]);
      return [y, ga!, gb!];
    });
    expectClose(r.wasm, r.cpu, 1e-5);
  });

  it('broadcasts batch dimensions as numpy does (the cpu backend does not)', () => {
    const a = randomArray(3 * 1 * 6 * 5, 13);
    const b = randomArray(2 * 5 * 4, 14);
    const got = tf.tidy(() => tf.matMul(tf.tensor4d(a, [3, 1, 6, 5]), tf.tensor3d(b, [2, 5, 4])).dataSync());
    const want = new Float32Array(3 * 2 * 6 * 4);
    for (let i = 0; i < 3; i++)
      for (let j = 0; j < 2; j++)
        for (let r = 0; r < 6; r++)
          for (let c = 0; c < 4; c++) {
            let acc = 0;
            for (let k = 0; k < 5; k++) acc += a[(i * 6 + r) * 5 + k]! * b[(j * 5 + k) * 4 + c]!;
            want[((i * 2 + j) * 6 + r) * 4 + c] = acc;
          }
    expectClose([Float32Array.from(got)], [want], 1e-5);
  });

  it.each([
    [[37, 29], [1, 0]],
    [[3, 17, 9], [0, 2, 1]],
    [[4, 5, 3, 6], [0, 2, 1, 3]],
    [[4, 5, 3, 6], [0, 2, 3, 1]],
    [[6, 4, 5], [2, 1, 0]],
    [[2, 1, 3, 4], [3, 1, 0, 2]],
  ] as const)('transposes %j by %j like the cpu backend', async (shape, perm) => {
    const x = randomArray(sizeOf(shape), 9);
    const r = await onBoth(() => tf.transpose(tf.tensor(x, [...shape]), [...perm]));
    expectClose(r.wasm, r.cpu, 0);
    const ints = await onBoth(() => tf.transpose(tf.tensor(x, [...shape]).toInt(), [...perm]).toFloat());
    expectClose(ints.wasm, ints.cpu, 0);
  });

  it('sums and averages over leading axes (bias gradients) like the cpu backend', async () => {
    const x = randomArray(5 * 7 * 3, 10);
    const r = await onBoth(() => {
      const t = tf.tensor3d(x, [5, 7, 3]);
      return [tf.sum(t, 0), tf.sum(t, [0, 1], true), tf.mean(t, [1, 0]), tf.sum(t, 2), tf.mean(t, [0, 2])];
    });
    expectClose(r.wasm, r.cpu, 1e-6);
  });

  it('gathers rows, columns and scalars like the cpu backend', async () => {
    const x = randomArray(9 * 4 * 5, 11);
    const r = await onBoth(() => {
      const t = tf.tensor3d(x, [9, 4, 5]);
      const rows = tf.tensor2d(Int32Array.from([8, 0, 3, 3, 1, 7]), [2, 3], 'int32');
      return [tf.gather(t, rows), tf.gather(t, tf.tensor1d([3, 0, 3], 'int32'), 1), tf.gather(tf.reshape(t, [-1]), tf.tensor1d([5, 179, 0], 'int32'))];
    });
    expectClose(r.wasm, r.cpu, 0);
    expect(() => tf.gather(tf.zeros([3, 2]), tf.tensor1d([3], 'int32'))).toThrow(/index value 3/);
  });

  it('routes max-pool gradients to the first maximum like the cpu backend', async () => {
    const x = randomArray(2 * 3 * 11 * 4, 12);
    x[5] = x[9]!; // a tie inside a window
    const r = await onBoth(() =>
      tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.maxPool(t as tf.Tensor4D, [2, 3], [1, 2], 'same'), tf.range(1, 2 * 3 * 6 * 4 + 1).reshape([2, 3, 6, 4]))))(
        tf.tensor4d(x, [2, 3, 11, 4]),
      ),
    );
    expectClose(r.wasm, r.cpu, 1e-6);
  });

  it('restores the stock kernels when uninstalled and ours when installed again', () => {
    expect(installedWasmKernels()).toEqual(expect.arrayContaining(['BatchMatMul', 'Conv2DBackpropFilter', 'UnsortedSegmentSum']));
    uninstallWasmKernels({ fast: true, missing: false });
    expect(installedWasmKernels()).toEqual(['Conv2DBackpropFilter', 'UnsortedSegmentSum']);
    const y = tf.tidy(() => tf.matMul(tf.ones([2, 3]), tf.ones([2, 3]), false, true).dataSync());
    expect([...y]).toEqual([3, 3, 3, 3]);
    installWasmKernels();
    expect(installedWasmKernels()).toContain('BatchMatMul');
  });
});

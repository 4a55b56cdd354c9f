import type { SelftestParams, SelftestResult } from '../../src-shared/api';
import { chooseBackend } from './backend';
import type { TaskContext } from './task-context';

const DEFAULT_SIZE = 256;
const DEFAULT_REPEATS = 30;

function clampInt(value: unknown, fallback: number, min: number, max: number): number {
  const n = typeof value === 'number' && Number.isFinite(value) ? Math.round(value) : fallback;
  return Math.min(Math.max(n, min), max);
}

/** Plain-JS product of two row-major n x n matrices: the reference the engine's result is checked against. */
function referenceMatmul(a: Float32Array, b: Float32Array, n: number): Float64Array {
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let k = 0; k < n; k++) {
      const aik = a[i * n + k] ?? 0;
      for (let j = 0; j < n; j++) out[i * n + j] = (out[i * n + j] ?? 0) + aik * (b[k * n + j] ?? 0);
    }
  return out;
}

/**
 * Proves the compute path end to end: TensorFlow.js loads on the best backend available, computes a correct product,
 * and how fast a matmul runs (the operation that dominates training).
 */
export async function runSelftest(params: SelftestParams, ctx: TaskContext): Promise<SelftestResult> {
  const size = clampInt(params.size, DEFAULT_SIZE, 8, 4096);
  const repeats = clampInt(params.repeats, DEFAULT_REPEATS, 1, 1_000_000);
  const total = repeats + 2;

  ctx.progress(0, total, 'Loading the compute engine');
  const { tf, backend, attempts } = await chooseBackend();
  ctx.progress(1, total, `Engine loaded on ${backend}`);
  await ctx.checkpoint();

  const n = 16;
  const a = Float32Array.from({ length: n * n }, (_, i) => Math.sin(i));
  const b = Float32Array.from({ length: n * n }, (_, i) => Math.cos(i * 0.5));
  const product = tf.tidy(() => tf.matMul(tf.tensor2d(a, [n, n]), tf.tensor2d(b, [n, n])));
  const got = await product.data();
  product.dispose();
  const expected = referenceMatmul(a, b, n);
  let maxAbsError = 0;
  for (let i = 0; i < expected.length; i++) maxAbsError = Math.max(maxAbsError, Math.abs((got[i] ?? NaN) - (expected[i] ?? 0)));
  if (!(maxAbsError < 1e-3)) throw new Error(`The ${backend} backend computed a wrong matrix product (max error ${maxAbsError}).`);
  ctx.progress(2, total, 'Checked a product against a reference');

  const x = tf.randomNormal([size, size], 0, 1, 'float32', 1);
  const y = tf.randomNormal([size, size], 0, 1, 'float32', 2);
  const times: number[] = [];
  try {
    for (let r = 0; r < repeats; r++) {
      await ctx.checkpoint();
      const t0 = performance.now();
      const z = tf.matMul(x, y);
      await z.data();
      z.dispose();
      const ms = performance.now() - t0;
      times.push(ms);
      ctx.progress(r + 3, total, `Timing ${size}x${size} matrix products (${r + 1}/${repeats})`, { msPerMatmul: ms });
    }
  } finally {
    x.dispose();
    y.dispose();
  }
  // The first product includes kernel set-up; report the median of the rest.
  const steady = (times.length > 1 ? times.slice(1) : times).sort((p, q) => p - q);
  const msPerMatmul = steady[Math.floor(steady.length / 2)] ?? 0;
  const gflops = msPerMatmul > 0 ? (2 * size ** 3) / (msPerMatmul * 1e6) : 0;
  return {
    backend,
    attempts,
    tfjsVersion: tf.version.tfjs,
    matmul: { size, repeats, msPerMatmul: Number(msPerMatmul.toFixed(3)), gflops: Number(gflops.toFixed(2)) },
    maxAbsError,
  };
}

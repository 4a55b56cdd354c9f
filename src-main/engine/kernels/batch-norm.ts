/**
 * Training-mode batch normalisation over the rows of x [n, c] as two fused JavaScript kernels (forward and
 * gradient), for the wasm backend. Composed from tfjs ops it is 13 kernels forward and 11 backward, each a pass over
 * the activations plus the engine's per-op cost; the CNN's activations are small (n x 16), so those costs dominated.
 * Statistics accumulate in float64. Kernel names are ours: DnalmBatchNorm, DnalmBatchNormGrad.
 */
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { asWasmBackend, f32 } from './wasm-internals';

export const BATCH_NORM = 'DnalmBatchNorm';
export const BATCH_NORM_GRAD = 'DnalmBatchNormGrad';

interface Attrs {
  eps: number;
}

/** Outputs y = (x - mean) / sqrt(var + eps) * gamma + beta, mean [c] and the biased variance [c]. */
const forward: KernelFunc = ({ inputs, backend, attrs }) => {
  const wasm = asWasmBackend(backend);
  const x = inputs['x'] as TensorInfo;
  const [n, c] = x.shape as [number, number];
  const { eps } = attrs as unknown as Attrs;
  const yInfo = wasm.makeOutput([n, c], 'float32');
  const meanInfo = wasm.makeOutput([c], 'float32');
  const varInfo = wasm.makeOutput([c], 'float32');
  const xs = f32(wasm, x);
  const gamma = f32(wasm, inputs['gamma'] as TensorInfo);
  const beta = f32(wasm, inputs['beta'] as TensorInfo);
  const y = f32(wasm, yInfo);
  const acc = new Float64Array(c);
  for (let i = 0; i < n; i++) for (let j = 0, o = i * c; j < c; j++) acc[j]! += xs[o + j]!;
  const mean = new Float64Array(c);
  for (let j = 0; j < c; j++) mean[j] = acc[j]! / n;
  acc.fill(0);
  for (let i = 0; i < n; i++) {
    for (let j = 0, o = i * c; j < c; j++) {
      const d = xs[o + j]! - mean[j]!;
      acc[j]! += d * d;
    }
  }
  const scale = new Float64Array(c);
  const shift = new Float64Array(c);
  const meanOut = f32(wasm, meanInfo);
  const varOut = f32(wasm, varInfo);
  for (let j = 0; j < c; j++) {
    const variance = acc[j]! / n;
    meanOut[j] = mean[j]!;
    varOut[j] = variance;
    scale[j] = gamma[j]! / Math.sqrt(variance + eps);
    shift[j] = beta[j]! - mean[j]! * scale[j]!;
  }
  for (let i = 0; i < n; i++) for (let j = 0, o = i * c; j < c; j++) y[o + j] = xs[o + j]! * scale[j]! + shift[j]!;
  return [yInfo, meanInfo, varInfo];
};

/** dx, dgamma, dbeta from dy, x, gamma and the forward's mean and variance. */
const gradient: KernelFunc = ({ inputs, backend, attrs }) => {
  const wasm = asWasmBackend(backend);
  const x = inputs['x'] as TensorInfo;
  const [n, c] = x.shape as [number, number];
  const { eps } = attrs as unknown as Attrs;
  const dxInfo = wasm.makeOutput([n, c], 'float32');
  const dgInfo = wasm.makeOutput([c], 'float32');
  const dbInfo = wasm.makeOutput([c], 'float32');
  const xs = f32(wasm, x);
  const dy = f32(wasm, inputs['dy'] as TensorInfo);
  const gamma = f32(wasm, inputs['gamma'] as TensorInfo);
  const mean = f32(wasm, inputs['mean'] as TensorInfo);
  const variance = f32(wasm, inputs['variance'] as TensorInfo);
  const rstd = new Float64Array(c);
  for (let j = 0; j < c; j++) rstd[j] = 1 / Math.sqrt(variance[j]! + eps);
  const sumDy = new Float64Array(c);
  const sumDyXhat = new Float64Array(c);
  for (let i = 0; i < n; i++) {
    for (let j = 0, o = i * c; j < c; j++) {
      const g = dy[o + j]!;
      sumDy[j]! += g;
      sumDyXhat[j]! += g * (xs[o + j]! - mean[j]!) * rstd[j]!;
    }
  }
  const dg = f32(wasm, dgInfo);
  const db = f32(wasm, dbInfo);
  const k = new Float64Array(c);
  const a = new Float64Array(c);
  const b = new Float64Array(c);
  for (let j = 0; j < c; j++) {
    dg[j] = sumDyXhat[j]!;
    db[j] = sumDy[j]!;
    // dx = gamma rstd (dy - mean(dy) - xhat mean(dy xhat)), xhat = (x - mean) rstd
    k[j] = gamma[j]! * rstd[j]!;
    a[j] = (sumDyXhat[j]! / n) * rstd[j]!;
    b[j] = sumDy[j]! / n - a[j]! * mean[j]!;
  }
  const dx = f32(wasm, dxInfo);
  for (let i = 0; i < n; i++) {
    for (let j = 0, o = i * c; j < c; j++) dx[o + j] = k[j]! * (dy[o + j]! - xs[o + j]! * a[j]! - b[j]!);
  }
  return [dxInfo, dgInfo, dbInfo];
};

export const batchNormConfigs: readonly KernelConfig[] = [
  { kernelName: BATCH_NORM, backendName: 'wasm', kernelFunc: forward },
  { kernelName: BATCH_NORM_GRAD, backendName: 'wasm', kernelFunc: gradient },
];

/**
 * Our kernels for TensorFlow.js's WebAssembly backend (see ARCHITECTURE.md, engine). Two groups:
 *  - missing: kernels wasm 4.22 lacks and training needs (UnsortedSegmentSum = the embedding gradient,
 *    Conv2DBackpropFilter = the conv filter gradient). Without them those gradients throw on wasm.
 *  - fast: replacements for stock kernels that fall off XNNPACK or thrash the cache (BatchMatMul with transpose flags or
 *    a batch dimension, large 2-D transposes, reductions over leading axes, row gathers, the
 *    input gradient of stride-1 convolutions, max-pool gradients, clones that copy). Each delegates to the stock kernel for
 *    the cases it does not speed up, so results are the same up to float rounding. With them come fused kernels of
 *    our own (batch norm forward and gradient) that the fast ops call when they are installed.
 * Install once per thread after the wasm backend is loaded; `uninstallWasmKernels` restores stock tfjs (benchmarks).
 */
import '@tensorflow/tfjs-backend-wasm';
import { getKernel, registerKernel, unregisterKernel } from '@tensorflow/tfjs';
import type { KernelConfig } from '@tensorflow/tfjs';
import { makeBatchMatMulKernel } from './batch-matmul';
import { batchNormConfigs } from './batch-norm';
import { conv2DBackpropFilterConfig } from './conv2d-backprop-filter';
import { makeConv2DBackpropInputKernel } from './conv2d-backprop-input';
import { makeGatherKernel } from './gather';
import { makeIdentityKernel } from './identity';
import { makeMaxPoolGradKernel } from './max-pool-grad';
import { makeMeanKernel, makeSumKernel } from './reduce';
import { makeTransposeKernel } from './transpose';
import { unsortedSegmentSumConfig } from './unsorted-segment-sum';

export interface WasmKernelOptions {
  /** UnsortedSegmentSum and Conv2DBackpropFilter (needed to train embeddings and convolutions at all). */
  readonly missing?: boolean;
  /** Replacements for BatchMatMul, Transpose, Sum, Mean, GatherV2, Conv2DBackpropInput, MaxPoolGrad, Identity. */
  readonly fast?: boolean;
}

const BACKEND = 'wasm';
const MISSING: readonly KernelConfig[] = [unsortedSegmentSumConfig, conv2DBackpropFilterConfig];
const FAST: Readonly<Record<string, (stock: KernelConfig) => KernelConfig>> = {
  BatchMatMul: makeBatchMatMulKernel,
  Transpose: makeTransposeKernel,
  Sum: makeSumKernel,
  Mean: makeMeanKernel,
  GatherV2: makeGatherKernel,
  Conv2DBackpropInput: (stock) => makeConv2DBackpropInputKernel(stock, () => getKernel('Conv2D', BACKEND)),
  MaxPoolGrad: makeMaxPoolGradKernel,
  Identity: makeIdentityKernel,
};

/** Stock kernels we replaced, to restore them. */
const replaced = new Map<string, KernelConfig>();
const added = new Set<string>();
let fused = false;

function register(config: KernelConfig): void {
  if (getKernel(config.kernelName, BACKEND)) unregisterKernel(config.kernelName, BACKEND);
  registerKernel(config);
}

export function installWasmKernels(options: WasmKernelOptions = {}): void {
  const { missing = true, fast = true } = options;
  if (missing) {
    for (const config of MISSING) {
      if (added.has(config.kernelName)) continue;
      if (getKernel(config.kernelName, BACKEND)) continue; // a later tfjs has its own: keep it
      registerKernel(config);
      added.add(config.kernelName);
    }
  }
  if (fast) {
    if (!fused) {
      for (const config of batchNormConfigs) register(config);
      fused = true;
    }
    for (const [name, make] of Object.entries(FAST)) {
      if (replaced.has(name)) continue;
      const stock = getKernel(name, BACKEND);
      if (!stock) throw new Error(`The wasm backend has no ${name} kernel to speed up.`);
      register(make(stock));
      replaced.set(name, stock);
    }
  }
}

export function uninstallWasmKernels(options: WasmKernelOptions = {}): void {
  const { missing = true, fast = true } = options;
  if (fast) {
    for (const stock of replaced.values()) register(stock);
    replaced.clear();
    if (fused) for (const config of batchNormConfigs) unregisterKernel(config.kernelName, BACKEND);
    fused = false;
  }
  if (missing) {
    for (const name of added) unregisterKernel(name, BACKEND);
    added.clear();
  }
}

/** Names of the kernels of ours now registered for wasm (for run records and the UI). */
export function installedWasmKernels(): string[] {
  return [...added, ...replaced.keys(), ...(fused ? batchNormConfigs.map((c) => c.kernelName) : [])].sort();
}

/** Whether our fused kernels (batch norm) can run on the active backend. */
export function hasFusedKernels(backendName: string): boolean {
  return fused && backendName === BACKEND;
}

export { BATCH_NORM, BATCH_NORM_GRAD } from './batch-norm';

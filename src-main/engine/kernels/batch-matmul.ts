/**
 * BatchMatMul for the wasm backend that always reaches XNNPACK. The stock kernel calls XNNPACK only for a single
 * non-transposed product; a transpose flag or a batch dimension falls back to a scalar triple loop that runs at about
 * 2 GFLOP/s instead of 25-30 (the backward pass of every dense layer and all of attention). Here transposes are made
 * explicit (a blocked copy, a few ms) and a batch is either folded into the rows (shared right operand) or split into
 * per-matrix XNNPACK calls over views of the operands' memory (no copies).
 *
 * Since b always enters as a fresh view, XNNPACK packs it on every call (one pass over b, small next to the product).
 */
import type { BatchMatMulAttrs, KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { transposeLastTwo } from './transpose';
import {
  type WasmBackend,
  asWasmBackend,
  f32,
  makeView,
  memoryOffsetOf,
  releaseView,
  sizeFromShape,
  wasmIdOf,
} from './wasm-internals';

type XnnMatMul = (
  aId: number,
  aShape: Uint8Array,
  aRank: number,
  bId: number,
  bShape: Uint8Array,
  bRank: number,
  transposeA: boolean,
  transposeB: boolean,
  outId: number,
) => void;

const cwrapped = new WeakMap<object, XnnMatMul>();

function xnnMatMul(backend: WasmBackend): XnnMatMul {
  let fn = cwrapped.get(backend.wasm);
  if (!fn) {
    fn = backend.wasm.cwrap('BatchMatMul', null, [
      'number', 'array', 'number', 'number', 'array', 'number', 'number', 'number', 'number',
    ]) as XnnMatMul;
    cwrapped.set(backend.wasm, fn);
  }
  return fn;
}

function shapeBytes(shape: number[]): Uint8Array {
  return new Uint8Array(new Int32Array(shape).buffer);
}

/** out[m x n] = a[m x k] @ b[k x n] for tensors (or views) already in the right layout. */
function gemm(backend: WasmBackend, aId: number, bId: number, outId: number, m: number, k: number, n: number): void {
  xnnMatMul(backend)(aId, shapeBytes([1, m, k]), 3, bId, shapeBytes([1, k, n]), 3, false, false, outId);
}

/** Row-major strides of the batch dimensions, with 0 where a dimension is broadcast. */
function broadcastStrides(outer: readonly number[], outOuter: readonly number[]): number[] {
  const padded = [...new Array<number>(outOuter.length - outer.length).fill(1), ...outer];
  const strides = new Array<number>(padded.length).fill(0);
  let stride = 1;
  for (let d = padded.length - 1; d >= 0; d--) {
    strides[d] = padded[d] === 1 ? 0 : stride;
    stride *= padded[d]!;
  }
  return strides;
}

/** The product of float32 `a` and `b` without transposes: [...batchA, m, k] @ [...batchB, k, n]. */
export function fastMatMul(backend: WasmBackend, a: TensorInfo, b: TensorInfo): TensorInfo {
  const m = a.shape[a.shape.length - 2]!;
  const k = a.shape[a.shape.length - 1]!;
  const n = b.shape[b.shape.length - 1]!;
  if (b.shape[b.shape.length - 2] !== k) {
    throw new Error(`Error in matMul: inner shapes (${k}) and (${b.shape[b.shape.length - 2]}) of tensors with shapes ${a.shape} and ${b.shape} must match.`);
  }
  const outerA = a.shape.slice(0, -2);
  const outerB = b.shape.slice(0, -2);
  const rank = Math.max(outerA.length, outerB.length);
  const outOuter: number[] = [];
  for (let d = 0; d < rank; d++) {
    const da = outerA[d - (rank - outerA.length)] ?? 1;
    const db = outerB[d - (rank - outerB.length)] ?? 1;
    if (da !== db && da !== 1 && db !== 1) throw new Error(`Error in matMul: batch shapes ${outerA} and ${outerB} do not broadcast.`);
    outOuter.push(Math.max(da, db));
  }
  const out = backend.makeOutput([...outOuter, m, n], 'float32');
  const batchA = sizeFromShape(outerA);
  const batchB = sizeFromShape(outerB);
  const batch = sizeFromShape(outOuter);
  if (batch === 0 || m === 0 || n === 0) return out;
  if (k === 0) {
    f32(backend, out).fill(0);
    return out;
  }
  const fn = xnnMatMul(backend);
  const outId = wasmIdOf(backend, out);
  if (batchB === 1 && batchA === batch) {
    // One right operand for all: the batch is just more rows. b goes in as a fresh view: XNNPACK caches its packed
    // copy of b by tensor id and not by shape, and a reshape keeps the id, so reusing the id could pick a stale one.
    const bView = makeView(backend, [k, n], memoryOffsetOf(backend, b));
    try {
      fn(wasmIdOf(backend, a), shapeBytes([1, batch * m, k]), 3, wasmIdOf(backend, bView), shapeBytes([1, k, n]), 3, false, false, outId);
    } finally {
      releaseView(backend, bView);
    }
    return out;
  }
  const aBase = memoryOffsetOf(backend, a);
  const bBase = memoryOffsetOf(backend, b);
  const outBase = memoryOffsetOf(backend, out);
  const stridesA = broadcastStrides(outerA, outOuter);
  const stridesB = broadcastStrides(outerB, outOuter);
  const index = new Array<number>(outOuter.length).fill(0);
  for (let i = 0; i < batch; i++) {
    let ia = 0;
    let ib = 0;
    for (let d = 0; d < index.length; d++) {
      ia += index[d]! * stridesA[d]!;
      ib += index[d]! * stridesB[d]!;
    }
    const aView = batchA === 1 ? a : makeView(backend, [m, k], aBase + ia * m * k * 4);
    const bView = makeView(backend, [k, n], bBase + ib * k * n * 4);
    const outView = makeView(backend, [m, n], outBase + i * m * n * 4);
    try {
      gemm(backend, wasmIdOf(backend, aView), wasmIdOf(backend, bView), wasmIdOf(backend, outView), m, k, n);
    } finally {
      if (aView !== a) releaseView(backend, aView);
      releaseView(backend, bView);
      releaseView(backend, outView);
    }
    for (let d = index.length - 1; d >= 0; d--) {
      index[d]!++;
      if (index[d]! < outOuter[d]!) break;
      index[d] = 0;
    }
  }
  return out;
}

/**
 * a [m, k] @ b^T for b [n, k] with few rows m (a dense layer on a small batch): computed as (b a^T)^T, so that the
 * operands copied and packed are a and the [n, m] result, not the large weight matrix b.
 */
function fewRowsTimesTransposed(backend: WasmBackend, a: TensorInfo, b: TensorInfo): TensorInfo {
  const aT = transposeLastTwo(backend, a); // [k, m]
  try {
    const outT = fastMatMul(backend, b, aT); // [n, m]
    try {
      return transposeLastTwo(backend, outT);
    } finally {
      backend.disposeData(outT.dataId);
    }
  } finally {
    backend.disposeData(aT.dataId);
  }
}

export function makeBatchMatMulKernel(stock: KernelConfig): KernelConfig {
  const kernelFunc: KernelFunc = (args) => {
    const { inputs, backend, attrs } = args;
    const a = inputs['a'] as TensorInfo;
    const b = inputs['b'] as TensorInfo;
    if (a.dtype !== 'float32' || b.dtype !== 'float32') return stock.kernelFunc(args);
    const { transposeA, transposeB } = attrs as unknown as BatchMatMulAttrs;
    const wasm = asWasmBackend(backend);
    if (transposeB && !transposeA && a.shape.length === 2 && b.shape.length === 2 && 2 * a.shape[0]! < b.shape[0]!) {
      return fewRowsTimesTransposed(wasm, a, b);
    }
    const at = transposeA ? transposeLastTwo(wasm, a) : a;
    const bt = transposeB ? transposeLastTwo(wasm, b) : b;
    try {
      return fastMatMul(wasm, at, bt);
    } finally {
      if (at !== a) wasm.disposeData(at.dataId);
      if (bt !== b) wasm.disposeData(bt.dataId);
    }
  };
  return { kernelName: stock.kernelName, backendName: 'wasm', kernelFunc, ...(stock.setupFunc ? { setupFunc: stock.setupFunc } : {}) };
}

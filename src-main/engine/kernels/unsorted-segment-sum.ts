/**
 * UnsortedSegmentSum for the wasm backend, which has none: it is the gradient of `gather`, so without it an embedding
 * cannot be trained on WebAssembly. out[segmentIds[i], ...] += x[i, ...]; ids outside [0, numSegments) are dropped,
 * as in TensorFlow. A single pass in JavaScript over the heap, accumulating in float32 like the other backends.
 */
import type { KernelConfig, KernelFunc, TensorInfo, UnsortedSegmentSumAttrs } from '@tensorflow/tfjs';
import { asWasmBackend, f32, indexView, sizeFromShape } from './wasm-internals';

const kernelFunc: KernelFunc = ({ inputs, backend, attrs }) => {
  const wasm = asWasmBackend(backend);
  const x = inputs['x'] as TensorInfo;
  const segmentIds = inputs['segmentIds'] as TensorInfo;
  const { numSegments } = attrs as unknown as UnsortedSegmentSumAttrs;
  if (x.dtype !== 'float32') throw new Error(`UnsortedSegmentSum on wasm supports float32, not ${x.dtype}.`);
  const innerShape = x.shape.slice(segmentIds.shape.length);
  const inner = sizeFromShape(innerShape);
  const rows = sizeFromShape(segmentIds.shape);
  const out = wasm.makeOutput([numSegments, ...innerShape], 'float32');
  const dst = f32(wasm, out);
  const src = f32(wasm, x);
  const ids = indexView(wasm, segmentIds);
  dst.fill(0);
  for (let r = 0; r < rows; r++) {
    const s = ids[r]!;
    if (!(s >= 0 && s < numSegments)) continue;
    const from = r * inner;
    const to = s * inner;
    for (let j = 0; j < inner; j++) dst[to + j]! += src[from + j]!;
  }
  return out;
};

export const unsortedSegmentSumConfig: KernelConfig = { kernelName: 'UnsortedSegmentSum', backendName: 'wasm', kernelFunc };

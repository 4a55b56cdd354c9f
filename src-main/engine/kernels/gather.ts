/**
 * GatherV2 (embedding lookups) for the wasm backend as row copies. The stock C++ kernel computes an index per element
 * and takes 15 ms to gather 2048 rows of 256 floats; copying whole rows takes under 1 ms. batchDims > 0 and string
 * tensors go to the stock kernel.
 */
import { util } from '@tensorflow/tfjs';
import type { GatherV2Attrs, KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { asWasmBackend, indexView, memoryOffsetOf, sizeFromShape } from './wasm-internals';

export function makeGatherKernel(stock: KernelConfig): KernelConfig {
  const kernelFunc: KernelFunc = (args) => {
    const { inputs, backend, attrs } = args;
    const x = inputs['x'] as TensorInfo;
    const indices = inputs['indices'] as TensorInfo;
    const { axis, batchDims } = attrs as unknown as GatherV2Attrs;
    if ((batchDims ?? 0) !== 0 || (x.dtype !== 'float32' && x.dtype !== 'int32')) {
      return stock.kernelFunc(args);
    }
    const wasm = asWasmBackend(backend);
    const ax = util.parseAxisParam(axis, x.shape)[0]!;
    const outer = sizeFromShape(x.shape.slice(0, ax));
    const dim = x.shape[ax]!;
    const inner = sizeFromShape(x.shape.slice(ax + 1));
    const count = sizeFromShape(indices.shape);
    const out = wasm.makeOutput([...x.shape.slice(0, ax), ...indices.shape, ...x.shape.slice(ax + 1)], x.dtype);
    const ids = indexView(wasm, indices);
    for (let i = 0; i < count; i++) {
      const id = ids[i]!;
      if (!(id >= 0 && id < dim)) throw new Error(`GatherV2: the index value ${id} is not in [0, ${dim - 1}]`);
    }
    if (out.shape.some((d) => d === 0)) return out;
    const heap = wasm.wasm.HEAPU8;
    const src = memoryOffsetOf(wasm, x);
    const dst = memoryOffsetOf(wasm, out);
    const rowBytes = inner * 4;
    if (inner >= 16) {
      for (let o = 0; o < outer; o++) {
        for (let i = 0; i < count; i++) {
          const from = src + ((o * dim + ids[i]!) * inner) * 4;
          heap.copyWithin(dst + (o * count + i) * rowBytes, from, from + rowBytes);
        }
      }
    } else {
      const s = new Int32Array(heap.buffer, src, outer * dim * inner); // bit copies: dtype does not matter
      const d = new Int32Array(heap.buffer, dst, outer * count * inner);
      for (let o = 0; o < outer; o++) {
        for (let i = 0; i < count; i++) {
          const from = (o * dim + ids[i]!) * inner;
          const to = (o * count + i) * inner;
          for (let j = 0; j < inner; j++) d[to + j] = s[from + j]!;
        }
      }
    }
    return out;
  };
  return { kernelName: stock.kernelName, backendName: 'wasm', kernelFunc, ...(stock.setupFunc ? { setupFunc: stock.setupFunc } : {}) };
}

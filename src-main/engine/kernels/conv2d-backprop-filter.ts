/**
 * Conv2DBackpropFilter for the wasm backend, which has none (so no convolution could be trained on WebAssembly).
 * dW[kh, kw, ci, co] = sum over (b, oh, ow) of x[b, oh*sh + kh - pt, ow*sw + kw - pl, ci] * dy[b, oh, ow, co].
 * 1-D convolutions (height 1, stride 1: every conv1d): the transposed patch matrix colsT [kw*ci, b*ow] is assembled
 * from contiguous runs of x transposed per sequence ([ci, w]), then dW = colsT dy runs on XNNPACK with the narrow dy
 * packed (0.7 ms for a 16-channel CNN layer at 3648 positions, against 1.7 ms for dy^T cols).
 * Other shapes: cols [b*oh*ow, kh*kw*ci] from whole window rows (contiguous in NHWC), dW = (dy^T cols)^T.
 * NHWC only, like the wasm Conv2D.
 */
import { backend_util } from '@tensorflow/tfjs';
import type { Conv2DBackpropFilterAttrs, KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { fastMatMul } from './batch-matmul';
import { transposeLastTwo } from './transpose';
import { type WasmBackend, asWasmBackend, f32, memoryOffsetOf } from './wasm-internals';

const kernelFunc: KernelFunc = ({ inputs, backend, attrs }) => {
  const wasm = asWasmBackend(backend);
  const x = inputs['x'] as TensorInfo;
  const dy = inputs['dy'] as TensorInfo;
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as unknown as Conv2DBackpropFilterAttrs;
  if (dataFormat === 'NCHW') throw new Error('Conv2DBackpropFilter on wasm supports NHWC only.');
  const info = backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filterShape,
    strides,
    1,
    pad,
    dimRoundingMode,
    false,
    'channelsLast',
  );
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels } = info;
  const { filterHeight, filterWidth, strideHeight, strideWidth } = info;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  const n = batchSize * outHeight * outWidth;
  if (inHeight === 1 && filterHeight === 1 && strideWidth === 1) {
    return conv1dFilterGrad(wasm, x, dy, filterShape, batchSize, inWidth, inChannels, outWidth, outChannels, filterWidth, left);
  }
  const width = filterHeight * filterWidth * inChannels;
  const segment = filterWidth * inChannels; // one window row
  const cols = wasm.makeOutput([n, width], 'float32');
  const dy2d: TensorInfo = { dataId: dy.dataId, shape: [n, outChannels], dtype: 'float32' };
  const temps: TensorInfo[] = [cols];
  try {
    const heap = wasm.wasm.HEAPU8;
    const dst = f32(wasm, cols);
    const src = f32(wasm, x);
    const srcBase = memoryOffsetOf(wasm, x);
    const dstBase = memoryOffsetOf(wasm, cols);
    let row = 0;
    for (let b = 0; b < batchSize; b++) {
      for (let oh = 0; oh < outHeight; oh++) {
        for (let ow = 0; ow < outWidth; ow++, row++) {
          const iw0 = ow * strideWidth - left;
          for (let kh = 0; kh < filterHeight; kh++) {
            const ih = oh * strideHeight + kh - top;
            const to = row * width + kh * segment;
            if (ih < 0 || ih >= inHeight) {
              dst.fill(0, to, to + segment);
            } else if (iw0 >= 0 && iw0 + filterWidth <= inWidth) {
              const from = ((b * inHeight + ih) * inWidth + iw0) * inChannels;
              heap.copyWithin(dstBase + to * 4, srcBase + from * 4, srcBase + (from + segment) * 4);
            } else {
              for (let kw = 0; kw < filterWidth; kw++) {
                const iw = iw0 + kw;
                const inside = iw >= 0 && iw < inWidth;
                const from = ((b * inHeight + ih) * inWidth + iw) * inChannels;
                for (let ci = 0; ci < inChannels; ci++) dst[to + kw * inChannels + ci] = inside ? src[from + ci]! : 0;
              }
            }
          }
        }
      }
    }
    const dyT = transposeLastTwo(wasm, dy2d); // [cout, n]
    temps.push(dyT);
    const dwT = fastMatMul(wasm, dyT, cols); // [cout, width]
    temps.push(dwT);
    const dw = transposeLastTwo(wasm, dwT); // [width, cout]
    return { ...dw, shape: [...filterShape] };
  } finally {
    for (const t of temps) wasm.disposeData(t.dataId);
  }
};

function conv1dFilterGrad(
  wasm: WasmBackend,
  x: TensorInfo,
  dy: TensorInfo,
  filterShape: number[],
  batch: number,
  inWidth: number,
  cin: number,
  outWidth: number,
  cout: number,
  k: number,
  left: number,
): TensorInfo {
  const n = batch * outWidth;
  const xT = transposeLastTwo(wasm, { dataId: x.dataId, shape: [batch, inWidth, cin], dtype: 'float32' }); // [b, ci, w]
  const colsT = wasm.makeOutput([k * cin, n], 'float32');
  try {
    const src = f32(wasm, xT);
    const dst = f32(wasm, colsT);
    for (let kw = 0; kw < k; kw++) {
      // output position ow reads input position ow + kw - left; [lo, hi) are the ones inside the input
      const shift = kw - left;
      const lo = Math.max(0, -shift);
      const hi = Math.min(outWidth, inWidth - shift);
      for (let ci = 0; ci < cin; ci++) {
        const rowBase = (kw * cin + ci) * n;
        for (let b = 0; b < batch; b++) {
          const to = rowBase + b * outWidth;
          const from = (b * cin + ci) * inWidth + shift;
          if (lo > 0) dst.fill(0, to, to + lo);
          if (hi > lo) dst.set(src.subarray(from + lo, from + hi), to + lo);
          if (hi < outWidth) dst.fill(0, to + Math.max(hi, lo), to + outWidth);
        }
      }
    }
    const dw = fastMatMul(wasm, colsT, { dataId: dy.dataId, shape: [n, cout], dtype: 'float32' }); // [k*ci, co]
    return { ...dw, shape: [...filterShape] };
  } finally {
    wasm.disposeData(xT.dataId);
    wasm.disposeData(colsT.dataId);
  }
}

export const conv2DBackpropFilterConfig: KernelConfig = { kernelName: 'Conv2DBackpropFilter', backendName: 'wasm', kernelFunc };

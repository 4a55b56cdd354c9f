/**
 * Conv2DBackpropInput (the input gradient of a convolution) for stride 1 as a forward convolution on XNNPACK: the
 * gradient of a valid/padded correlation is the correlation of dy, padded by (k - 1 - pad), with the filter rotated
 * 180 degrees and its channel axes swapped. The stock wasm kernel is a scalar loop (2 GFLOP/s: 7 ms for a 16-channel
 * layer of the CNN against under 1 ms here). Strided convolutions go to the stock kernel.
 */
import { backend_util } from '@tensorflow/tfjs';
import type { Conv2DBackpropInputAttrs, KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { asWasmBackend, f32 } from './wasm-internals';

export function makeConv2DBackpropInputKernel(stock: KernelConfig, conv2d: () => KernelConfig): KernelConfig {
  const kernelFunc: KernelFunc = (args) => {
    const { inputs, backend, attrs } = args;
    const dy = inputs['dy'] as TensorInfo;
    const filter = inputs['filter'] as TensorInfo;
    const { strides, pad, dataFormat, dimRoundingMode, inputShape } = attrs as unknown as Conv2DBackpropInputAttrs;
    if (dataFormat === 'NCHW' || dy.dtype !== 'float32') return stock.kernelFunc(args);
    const info = backend_util.computeConv2DInfo(
      inputShape,
      filter.shape as [number, number, number, number],
      strides,
      1,
      pad,
      dimRoundingMode,
      false,
      'channelsLast',
    );
    const { filterHeight: kh, filterWidth: kw, inChannels: cin, outChannels: cout } = info;
    const p = info.padInfo;
    const pads = [kh - 1 - p.top, kh - 1 - p.bottom, kw - 1 - p.left, kw - 1 - p.right];
    if (info.strideHeight !== 1 || info.strideWidth !== 1 || pads.some((v) => v < 0)) return stock.kernelFunc(args);
    const wasm = asWasmBackend(backend);
    // rotated[i, j, co, ci] = filter[kh-1-i, kw-1-j, ci, co]
    const rotated = wasm.makeOutput([kh, kw, cout, cin], 'float32');
    try {
      const src = f32(wasm, filter);
      const dst = f32(wasm, rotated);
      for (let i = 0; i < kh; i++) {
        for (let j = 0; j < kw; j++) {
          const from = ((kh - 1 - i) * kw + (kw - 1 - j)) * cin * cout;
          const to = (i * kw + j) * cout * cin;
          for (let ci = 0; ci < cin; ci++) {
            for (let co = 0; co < cout; co++) dst[to + co * cin + ci] = src[from + ci * cout + co]!;
          }
        }
      }
      const out = conv2d().kernelFunc({
        inputs: { x: dy, filter: rotated },
        backend,
        attrs: {
          strides: [1, 1],
          pad: [[0, 0], [pads[0]!, pads[1]!], [pads[2]!, pads[3]!], [0, 0]],
          dataFormat: 'NHWC',
          dilations: [1, 1],
        },
      }) as TensorInfo;
      if (out.shape.join() !== inputShape.join()) {
        wasm.disposeData(out.dataId);
        return stock.kernelFunc(args);
      }
      return out;
    } finally {
      wasm.disposeData(rotated.dataId);
    }
  };
  return { kernelName: stock.kernelName, backendName: 'wasm', kernelFunc, ...(stock.setupFunc ? { setupFunc: stock.setupFunc } : {}) };
}

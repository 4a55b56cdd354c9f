/**
 * The genomic_benchmarks CNN (src-main/engine/models/cnn.ts) as an ONNX graph, in inference mode:
 *   ids -> one-hot rows (Gather from a constant table) -> 3 x [Conv1d -> BatchNormalization (running statistics)
 *   -> ReLU -> MaxPool(2)] -> Flatten (channel-major, as PyTorch) -> Gemm -> ReLU -> Gemm -> logits.
 * An embedding input is folded into the first convolution as the engine does (conv(E[ids], W) = conv(onehot(ids), E.W)):
 * the same function with vocab (6) instead of 100 input channels.
 */
import type { CnnConfig } from '../../engine/models/cnn';
import { GraphBuilder } from './graph-builder';
import { DataType, type OnnxGraph } from './onnx-proto';
import type { SavedWeights } from './saved-weights';

const ONEHOT_CHANNELS = 4;

/** The first convolution's input table [vocab, channels] and filter [out, channels, k]. */
function firstLayer(c: CnnConfig, w: SavedWeights): { table: Float32Array; channels: number; filter: Float32Array } {
  const w0 = w.get('cnn.0.weight');
  const [cout, cin, k] = w0.shape as [number, number, number];
  const V = c.vocabSize;
  if (c.input === 'onehot') {
    // tf.oneHot(ids, 4): ids 0..3 select a channel; the others (N, padding) are all zero.
    const table = new Float32Array(V * ONEHOT_CHANNELS);
    for (let v = 0; v < Math.min(V, ONEHOT_CHANNELS); v++) table[v * ONEHOT_CHANNELS + v] = 1;
    return { table, channels: ONEHOT_CHANNELS, filter: w0.values };
  }
  const emb = w.get('emb.weight').values; // [V, cin]
  const filter = new Float32Array(cout * V * k);
  for (let o = 0; o < cout; o++) {
    for (let v = 0; v < V; v++) {
      for (let j = 0; j < k; j++) {
        let s = 0;
        for (let ch = 0; ch < cin; ch++) s += emb[v * cin + ch]! * w0.values[(o * cin + ch) * k + j]!;
        filter[(o * V + v) * k + j] = s;
      }
    }
  }
  const table = new Float32Array(V * V);
  for (let v = 0; v < V; v++) table[v * V + v] = 1;
  return { table, channels: V, filter };
}

export function cnnGraph(c: CnnConfig, w: SavedWeights): OnnxGraph {
  const g = new GraphBuilder();
  const ids = g.input('input_ids');
  const first = firstLayer(c, w);
  const table = g.weight('input_table', [c.vocabSize, first.channels], first.table);
  let x = g.op('Gather', [table, ids], { axis: 0 }); // [N, L, C]
  x = g.op('Transpose', [x], { perm: [0, 2, 1] }); // [N, C, L]: ONNX convolutions are channels-first
  for (let i = 0; i < c.convLayers; i++) {
    const conv = `cnn.${i * 4}`;
    const bn = `cnn.${i * 4 + 1}`;
    const shape = w.get(`${conv}.weight`).shape;
    const filter =
      i === 0 ? g.weight(`${conv}.weight`, [c.filters, first.channels, c.kernelSize], first.filter) : g.weight(`${conv}.weight`, shape, w.get(`${conv}.weight`).values);
    const bias = g.weight(`${conv}.bias`, [c.filters], w.get(`${conv}.bias`).values);
    x = g.op('Conv', [x, filter, bias], { kernel_shape: [c.kernelSize] });
    const p = (name: string): string => g.weight(`${bn}.${name}`, [c.filters], w.get(`${bn}.${name}`).values);
    x = g.op('BatchNormalization', [x, p('weight'), p('bias'), p('running_mean'), p('running_var')], { epsilon: { f: c.batchNormEps } });
    x = g.op('Relu', [x]);
    x = g.op('MaxPool', [x], { kernel_shape: [2], strides: [2] });
  }
  x = g.op('Flatten', [x], { axis: 1 });
  const dense = (name: string, input: string): string => {
    const t = w.get(`${name}.weight`);
    return g.op('Gemm', [input, g.weight(`${name}.weight`, t.shape, t.values), g.weight(`${name}.bias`, [t.shape[0]!], w.get(`${name}.bias`).values)], { transB: 1 });
  };
  x = g.op('Relu', [dense('dense.0', x)]);
  const logits = g.output(dense('dense.3', x), 'logits');
  return g.graph(
    'dnalm_cnn',
    [{ name: ids, elemType: DataType.INT64, shape: ['batch', c.length], doc: 'Base ids: A C G T = 0..3, other 4, padding 5.' }],
    [{ name: logits, elemType: DataType.FLOAT, shape: ['batch', c.outputs], doc: c.outputs === 1 ? 'Logit of class 1 (sigmoid).' : 'Class logits (softmax).' }],
  );
}

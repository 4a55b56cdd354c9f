/**
 * A BERT classifier (src-main/engine/models/bert.ts) as an ONNX graph, in inference mode (no dropout):
 *   word + position (first L rows) + token type 0 embeddings -> LayerNorm -> layers x [self-attention with the
 *   additive mask (1 - mask) * -10000 -> dense -> residual + LayerNorm -> dense -> GELU (tanh) -> dense -> residual +
 *   LayerNorm] -> [CLS] pooler (dense + tanh) or masked mean -> classifier -> logits.
 * Linear weights are stored transposed ([in, out]) for MatMul; the sequence length is dynamic (up to the positions).
 *
 * Two flavours of the same function:
 *  - 'portable' (the exported file): standard ONNX operators only, readable by any ONNX tool. GELU is written as
 *    0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))), the pattern ONNX Runtime fuses into one kernel;
 *  - 'onnxruntime' (the app's runner): each layer in ONNX Runtime's fused contrib operators — Attention (one QKV
 *    product, the padding mask as -10000), SkipLayerNormalization (residual + bias + LayerNorm) and FastGelu (bias +
 *    GELU tanh) — which its run-time optimizer does not find in the portable graph by itself.
 */
import type { BertConfig, BertHead } from '../../engine/models/bert';
import { GraphBuilder } from './graph-builder';
import { DataType, MS_DOMAIN, type OnnxGraph } from './onnx-proto';
import { type SavedWeights, transposed } from './saved-weights';

type ClassificationHead = Extract<BertHead, { kind: 'classification' }>;
export type GraphFlavour = 'portable' | 'onnxruntime';

/** Helpers bound to one graph and one model's weights. */
class BertWriter {
  constructor(
    readonly g: GraphBuilder,
    readonly c: BertConfig,
    readonly w: SavedWeights,
  ) {}

  param(name: string): string {
    const t = this.w.get(name);
    return this.g.weight(name, t.shape, t.values);
  }

  /** x @ W^T without the bias. */
  matmul(input: string, name: string): string {
    const t = transposed(this.w.get(`${name}.weight`));
    return this.g.op('MatMul', [input, this.g.weight(`${name}.weight_t`, t.dims, t.values)]);
  }

  linear(input: string, name: string): string {
    return this.g.op('Add', [this.matmul(input, name), this.param(`${name}.bias`)]);
  }

  layerNorm(input: string, name: string): string {
    return this.g.op('LayerNormalization', [input, this.param(`${name}.weight`), this.param(`${name}.bias`)], { axis: -1, epsilon: { f: this.c.layerNormEps } });
  }
}

function portableLayers(b: BertWriter, input: string, maskFloat: string): string {
  const { g, c } = b;
  const H = c.hidden;
  const dh = H / c.heads;
  // Additive mask [N, 1, 1, L]: 0 for tokens, -10000 for padding.
  const maskAdd = g.op('Unsqueeze', [g.op('Mul', [g.op('Sub', [g.scalar('one_f', 1), maskFloat]), g.scalar('mask_value', -10000)]), g.ints('axes_1_2', [1, 2])]);
  const headsShape = g.ints('heads_shape', [0, 0, c.heads, dh]);
  const hiddenShape = g.ints('hidden_shape', [0, 0, H]);
  const scale = g.scalar('attention_scale', 1 / Math.sqrt(dh));
  const half = g.scalar('half', 0.5);
  const geluA = g.scalar('gelu_a', 0.044715);
  const geluB = g.scalar('gelu_b', Math.sqrt(2 / Math.PI));
  const three = g.scalar('three', 3);
  const oneF = g.scalar('gelu_one', 1);
  const gelu = (t: string): string => {
    const inner = g.op('Mul', [g.op('Add', [t, g.op('Mul', [g.op('Pow', [t, three]), geluA])]), geluB]);
    return g.op('Mul', [g.op('Mul', [t, half]), g.op('Add', [g.op('Tanh', [inner]), oneF])]);
  };
  let x = input;
  for (let i = 0; i < c.layers; i++) {
    const l = `bert.encoder.layer.${i}`;
    const split = (t: string, perm: number[]): string => g.op('Transpose', [g.op('Reshape', [t, headsShape])], { perm });
    const q = split(g.op('Mul', [b.linear(x, `${l}.attention.self.query`), scale]), [0, 2, 1, 3]); // [N, nh, L, dh]
    const kT = split(b.linear(x, `${l}.attention.self.key`), [0, 2, 3, 1]); // [N, nh, dh, L]
    const v = split(b.linear(x, `${l}.attention.self.value`), [0, 2, 1, 3]); // [N, nh, L, dh]
    const scores = g.op('Add', [g.op('MatMul', [q, kT]), maskAdd]);
    const probs = g.op('Softmax', [scores], { axis: -1 });
    const ctx = g.op('Reshape', [g.op('Transpose', [g.op('MatMul', [probs, v])], { perm: [0, 2, 1, 3] }), hiddenShape]);
    x = b.layerNorm(g.op('Add', [x, b.linear(ctx, `${l}.attention.output.dense`)]), `${l}.attention.output.LayerNorm`);
    const ffn = b.linear(gelu(b.linear(x, `${l}.intermediate.dense`)), `${l}.output.dense`);
    x = b.layerNorm(g.op('Add', [x, ffn]), `${l}.output.LayerNorm`);
  }
  return x;
}

/** [in, 3 out]: the columns of W_q^T, W_k^T and W_v^T side by side; the three biases one after another. */
function packedQkv(w: SavedWeights, prefix: string, H: number): { weight: Float32Array; bias: Float32Array } {
  const names = ['query', 'key', 'value'];
  const parts = names.map((p) => transposed(w.get(`${prefix}.${p}.weight`)).values);
  const weight = new Float32Array(H * 3 * H);
  for (let i = 0; i < H; i++) parts.forEach((t, j) => weight.set(t.subarray(i * H, (i + 1) * H), i * 3 * H + j * H));
  const bias = new Float32Array(3 * H);
  names.forEach((p, j) => bias.set(w.get(`${prefix}.${p}.bias`).values, j * H));
  return { weight, bias };
}

function fusedLayers(b: BertWriter, input: string, maskInt32: string): string {
  const { g, c, w } = b;
  const H = c.hidden;
  const eps = { f: c.layerNormEps };
  const skipLayerNorm = (t: string, skip: string, norm: string, bias: string): string =>
    g.op('SkipLayerNormalization', [t, skip, b.param(`${norm}.weight`), b.param(`${norm}.bias`), b.param(`${bias}.bias`)], { epsilon: eps }, undefined, MS_DOMAIN);
  let x = input;
  for (let i = 0; i < c.layers; i++) {
    const l = `bert.encoder.layer.${i}`;
    const qkv = packedQkv(w, `${l}.attention.self`, H);
    const attention = g.op(
      'Attention',
      [x, g.weight(`${l}.attention.self.qkv_weight`, [H, 3 * H], qkv.weight), g.weight(`${l}.attention.self.qkv_bias`, [3 * H], qkv.bias), maskInt32],
      { num_heads: c.heads, mask_filter_value: { f: -10000 } },
      undefined,
      MS_DOMAIN,
    );
    x = skipLayerNorm(b.matmul(attention, `${l}.attention.output.dense`), x, `${l}.attention.output.LayerNorm`, `${l}.attention.output.dense`);
    const hidden = g.op('FastGelu', [b.matmul(x, `${l}.intermediate.dense`), b.param(`${l}.intermediate.dense.bias`)], {}, undefined, MS_DOMAIN);
    x = skipLayerNorm(b.matmul(hidden, `${l}.output.dense`), x, `${l}.output.LayerNorm`, `${l}.output.dense`);
  }
  return x;
}

export function bertGraph(c: BertConfig, head: ClassificationHead, w: SavedWeights, flavour: GraphFlavour = 'portable'): OnnxGraph {
  const g = new GraphBuilder();
  const b = new BertWriter(g, c, w);
  const H = c.hidden;
  const ids = g.input('input_ids');
  const mask = g.input('attention_mask');

  // Embeddings: positions 0..L-1 sliced to the batch's length.
  const zero = g.ints('zero', [0]);
  const length = g.op('Slice', [g.op('Shape', [ids]), g.ints('one', [1]), g.ints('two', [2])]); // [L]
  const positions = g.op('Slice', [b.param('bert.embeddings.position_embeddings.weight'), zero, length, zero]); // [L, H]
  const typeRow = g.weight('token_type_0', [H], w.get('bert.embeddings.token_type_embeddings.weight').values.subarray(0, H));
  let emb = g.op('Add', [g.op('Gather', [b.param('bert.embeddings.word_embeddings.weight'), ids], { axis: 0 }), positions]);
  emb = g.op('Add', [emb, typeRow]);
  let x = b.layerNorm(emb, 'bert.embeddings.LayerNorm'); // [N, L, H]

  let maskFloatName: string | null = null;
  const maskFloat = (): string => (maskFloatName ??= g.op('Cast', [mask], { to: DataType.FLOAT }));
  x = flavour === 'onnxruntime' ? fusedLayers(b, x, g.op('Cast', [mask], { to: DataType.INT32 })) : portableLayers(b, x, maskFloat());

  let pooled: string;
  if (head.pooling === 'cls') {
    const first = g.op('Gather', [x, g.ints('cls_index', [0], [])], { axis: 1 }); // [N, H]
    pooled = g.op('Tanh', [b.linear(first, 'bert.pooler.dense')]);
  } else {
    const m = g.op('Unsqueeze', [maskFloat(), g.ints('axis_2', [2])]); // [N, L, 1]
    const axis1 = g.ints('axis_1', [1]);
    const sum = g.op('ReduceSum', [g.op('Mul', [x, m]), axis1], { keepdims: 0 }); // [N, H]
    const count = g.op('Max', [g.op('ReduceSum', [m, axis1], { keepdims: 0 }), g.scalar('min_count', 1)]); // [N, 1]
    pooled = g.op('Div', [sum, count]);
  }
  const logits = g.output(b.linear(pooled, 'classifier'), 'logits');
  return g.graph(
    'dnalm_bert',
    [
      { name: ids, elemType: DataType.INT64, shape: ['batch', 'sequence'], doc: 'k-mer token ids with [CLS] first and [SEP] last, then padding.' },
      { name: mask, elemType: DataType.INT64, shape: ['batch', 'sequence'], doc: '1 for tokens, 0 for padding.' },
    ],
    [{ name: logits, elemType: DataType.FLOAT, shape: ['batch', head.numClasses], doc: 'Class logits (softmax).' }],
  );
}

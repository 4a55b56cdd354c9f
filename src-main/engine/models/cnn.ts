/**
 * The genomic_benchmarks baseline CNN, as `../shared/peers/cnn_torch.py`:
 *   embedding(vocab, 100) or one-hot(4) -> 3 x [Conv1d(16, k=8) -> BatchNorm -> ReLU -> MaxPool(2)] -> flatten
 *   -> Linear(512) -> ReLU -> Dropout(0.3) -> Linear(outputs).
 * Parameter names and shapes are the peer's state_dict (Conv1d weight [out, in, k], Linear [out, in], flatten in
 * channel-major order), so weights load from and save to PyTorch unchanged.
 *
 * `foldEmbedding` (on by default) computes the first convolution of the embedded sequence as a convolution of the
 * one-hot sequence with the filter E.W (E the embedding [vocab, 100], W the filter): the same function of the same
 * parameters with the same gradients, 100/vocab times fewer multiply-adds in the layer that dominates the model.
 */
import * as tf from '@tensorflow/tfjs';
import { ParamLayout, type ParamMap, type ParamSpec, torchDefault } from './params';
import type { OpSet } from './ops';
import type { Rng } from './rng';

export interface CnnConfig {
  /** Sequence length the dense layer is sized for (the peer: 250). */
  readonly length: number;
  /** 'embed': token ids through a learned embedding; 'onehot': ids 0..3 as one-hot (others all zero). */
  readonly input: 'embed' | 'onehot';
  readonly vocabSize: number;
  readonly embeddingDim: number;
  readonly filters: number;
  readonly kernelSize: number;
  readonly convLayers: number;
  readonly denseUnits: number;
  readonly dropout: number;
  /** 1: one logit (binary, sigmoid cross-entropy, as the peer); >= 2: softmax over classes. */
  readonly outputs: number;
  readonly foldEmbedding: boolean;
  readonly batchNormEps: number;
  readonly batchNormMomentum: number;
}

export const CNN_DEFAULTS: CnnConfig = {
  length: 250,
  input: 'embed',
  vocabSize: 6,
  embeddingDim: 100,
  filters: 16,
  kernelSize: 8,
  convLayers: 3,
  denseUnits: 512,
  dropout: 0.3,
  outputs: 1,
  foldEmbedding: true,
  batchNormEps: 1e-5,
  batchNormMomentum: 0.1,
};

export function cnnConfig(overrides: Partial<CnnConfig> = {}): CnnConfig {
  return { ...CNN_DEFAULTS, ...overrides };
}

/** Length after each conv (valid) + pool(2, floor) stage. */
export function cnnFlatLength(c: CnnConfig): number {
  let n = c.length;
  for (let i = 0; i < c.convLayers; i++) n = Math.floor((n - c.kernelSize + 1) / 2);
  if (n < 1) throw new Error(`Sequences of length ${c.length} are too short for ${c.convLayers} convolutions of width ${c.kernelSize}.`);
  return n;
}

const ONEHOT_CHANNELS = 4;

export function cnnParamSpecs(c: CnnConfig): ParamSpec[] {
  const specs: ParamSpec[] = [];
  const p = (name: string, shape: number[], init: ParamSpec['init'], decay: boolean): void => {
    specs.push({ name, shape, init, trainable: true, decay });
  };
  if (c.input === 'embed') p('emb.weight', [c.vocabSize, c.embeddingDim], { kind: 'normal', std: 1 }, true);
  let cin = c.input === 'embed' ? c.embeddingDim : ONEHOT_CHANNELS;
  for (let i = 0; i < c.convLayers; i++) {
    const conv = `cnn.${i * 4}`;
    const bn = `cnn.${i * 4 + 1}`;
    p(`${conv}.weight`, [c.filters, cin, c.kernelSize], torchDefault(cin * c.kernelSize), true);
    p(`${conv}.bias`, [c.filters], torchDefault(cin * c.kernelSize), false);
    p(`${bn}.weight`, [c.filters], { kind: 'ones' }, false);
    p(`${bn}.bias`, [c.filters], { kind: 'zeros' }, false);
    specs.push({ name: `${bn}.running_mean`, shape: [c.filters], init: { kind: 'zeros' }, trainable: false, decay: false });
    specs.push({ name: `${bn}.running_var`, shape: [c.filters], init: { kind: 'ones' }, trainable: false, decay: false });
    cin = c.filters;
  }
  const flat = cnnFlatLength(c) * c.filters;
  p('dense.0.weight', [c.denseUnits, flat], torchDefault(flat), true);
  p('dense.0.bias', [c.denseUnits], torchDefault(flat), false);
  p('dense.3.weight', [c.outputs, c.denseUnits], torchDefault(c.denseUnits), true);
  p('dense.3.bias', [c.outputs], torchDefault(c.denseUnits), false);
  return specs;
}

export interface CnnForward {
  /** [batch, outputs] */
  readonly logits: tf.Tensor2D;
  /** Updated BatchNorm running statistics (training only), by parameter name. */
  readonly buffers: Record<string, tf.Tensor>;
}

export class Cnn {
  readonly layout: ParamLayout;

  constructor(
    readonly config: CnnConfig,
    readonly ops: OpSet,
  ) {
    this.layout = new ParamLayout(cnnParamSpecs(config));
  }

  /** tokens [batch, length] int32. Call inside tf.tidy. */
  forward(params: ParamMap, tokens: tf.Tensor2D, training: boolean, rng: Rng): CnnForward {
    const c = this.config;
    const ops = this.ops;
    const P = (name: string): tf.Tensor => {
      const t = params[name];
      if (!t) throw new Error(`missing parameter ${name}`);
      return t;
    };
    const [batch, length] = tokens.shape;
    if (length !== c.length) throw new Error(`The CNN expects sequences of length ${c.length}, got ${length}.`);
    const buffers: Record<string, tf.Tensor> = {};
    let x: tf.Tensor3D;
    let w0 = P('cnn.0.weight') as tf.Tensor3D;
    if (c.input === 'onehot') {
      x = tf.oneHot(tokens, ONEHOT_CHANNELS).toFloat() as tf.Tensor3D;
    } else if (c.foldEmbedding) {
      // conv(E[tokens], W) = conv(onehot(tokens), E.W): fold the embedding into the filter.
      x = tf.oneHot(tokens, c.vocabSize).toFloat() as tf.Tensor3D;
      const emb = P('emb.weight') as tf.Tensor2D; // [vocab, dim]
      const [cout, cin, k] = w0.shape;
      const w2 = tf.reshape(tf.transpose(w0, [0, 2, 1]), [cout * k, cin]); // [(o, k), c]
      const folded = tf.matMul(w2, emb, false, true); // [(o, k), vocab]
      w0 = tf.transpose(tf.reshape(folded, [cout, k, c.vocabSize]), [0, 2, 1]) as tf.Tensor3D; // [o, vocab, k]
    } else {
      x = tf.reshape(tf.gather(P('emb.weight'), tf.reshape(tokens, [-1])), [batch, length, c.embeddingDim]) as tf.Tensor3D;
    }
    for (let i = 0; i < c.convLayers; i++) {
      const conv = `cnn.${i * 4}`;
      const bn = `cnn.${i * 4 + 1}`;
      const w = i === 0 ? w0 : (P(`${conv}.weight`) as tf.Tensor3D);
      const y = ops.conv1d(x, w, P(`${conv}.bias`) as tf.Tensor1D);
      const [b, l, ch] = y.shape;
      const flat = tf.reshape(y, [b * l, ch]) as tf.Tensor2D;
      let normed: tf.Tensor2D;
      if (training) {
        const r = ops.batchNormTrain(flat, P(`${bn}.weight`) as tf.Tensor1D, P(`${bn}.bias`) as tf.Tensor1D, c.batchNormEps);
        normed = r.y;
        const m = c.batchNormMomentum;
        const n = b * l;
        // PyTorch keeps the unbiased variance in running_var.
        buffers[`${bn}.running_mean`] = tf.add(tf.mul(P(`${bn}.running_mean`), 1 - m), tf.mul(r.mean, m));
        buffers[`${bn}.running_var`] = tf.add(tf.mul(P(`${bn}.running_var`), 1 - m), tf.mul(r.variance, (m * n) / Math.max(n - 1, 1)));
      } else {
        normed = tf.batchNorm(flat, P(`${bn}.running_mean`), P(`${bn}.running_var`), P(`${bn}.bias`), P(`${bn}.weight`), c.batchNormEps) as tf.Tensor2D;
      }
      const act = tf.relu(tf.reshape(normed, [b, 1, l, ch])) as tf.Tensor4D;
      const pooled = tf.maxPool(act, [1, 2], [1, 2], 'valid');
      x = tf.reshape(pooled, [b, pooled.shape[2], ch]) as tf.Tensor3D;
    }
    // Flatten channel-major like PyTorch's [batch, channels, length].
    const flat = tf.reshape(tf.transpose(x, [0, 2, 1]), [batch, -1]) as tf.Tensor2D;
    let h: tf.Tensor2D = tf.relu(ops.linear(flat, P('dense.0.weight') as tf.Tensor2D, P('dense.0.bias') as tf.Tensor1D));
    if (training) h = ops.dropout(h, c.dropout, rng);
    const logits = ops.linear(h, P('dense.3.weight') as tf.Tensor2D, P('dense.3.bias') as tf.Tensor1D);
    return { logits, buffers };
  }
}

/**
 * A BERT encoder as `../shared/peers/bert_torch.py` and Hugging Face `BertModel`: learned positions, token types,
 * post-LayerNorm blocks, GELU (tanh approximation by default, as the peer), with
 *  - an MLM head tied to the word embeddings (`BertForMaskedLM`: transform dense -> GELU -> LayerNorm -> E^T + bias),
 *  - or a classification head on [CLS] (`BertForSequenceClassification`: pooler dense + tanh -> dropout -> classifier)
 *    or on the masked mean of the tokens.
 * Parameter names and shapes are Hugging Face's (Linear weights [out, in]), so DNABERT checkpoints map one to one.
 */
import * as tf from '@tensorflow/tfjs';
import { ParamLayout, type ParamMap, type ParamSpec } from './params';
import type { OpSet } from './ops';
import type { Rng } from './rng';

export interface BertConfig {
  readonly vocabSize: number;
  readonly hidden: number;
  readonly layers: number;
  readonly heads: number;
  readonly intermediate: number;
  readonly maxPositions: number;
  readonly typeVocabSize: number;
  readonly layerNormEps: number;
  readonly hiddenDropout: number;
  readonly attentionDropout: number;
  readonly initStd: number;
}

export type BertHead =
  | { readonly kind: 'mlm' }
  | { readonly kind: 'classification'; readonly numClasses: number; readonly pooling: 'cls' | 'mean'; readonly classifierDropout?: number };

/** DNABERT-6 vocabulary (4^6 k-mers + 5 special tokens) and positions. */
const DNABERT = { vocabSize: 4101, maxPositions: 512, typeVocabSize: 2, layerNormEps: 1e-12, initStd: 0.02 };

export const BERT_PRESETS = {
  /** The peer's "mini": 4 layers, hidden 256, 4 heads, FFN 1024. */
  mini: { ...DNABERT, hidden: 256, layers: 4, heads: 4, intermediate: 1024, hiddenDropout: 0.1, attentionDropout: 0.1 },
  /** DNABERT-base: 12 layers, hidden 768, 12 heads, FFN 3072. */
  base: { ...DNABERT, hidden: 768, layers: 12, heads: 12, intermediate: 3072, hiddenDropout: 0.1, attentionDropout: 0.1 },
} satisfies Record<string, BertConfig>;

export function bertConfig(overrides: Partial<BertConfig> = {}, preset: keyof typeof BERT_PRESETS = 'mini'): BertConfig {
  const c = { ...BERT_PRESETS[preset], ...overrides };
  if (c.hidden % c.heads !== 0) throw new Error(`hidden size ${c.hidden} is not a multiple of ${c.heads} heads`);
  return c;
}

export function bertParamSpecs(c: BertConfig, head: BertHead): ParamSpec[] {
  const specs: ParamSpec[] = [];
  const normal = { kind: 'normal', std: c.initStd } as const;
  const weight = (name: string, shape: number[], decay = true): void => {
    specs.push({ name, shape, init: normal, trainable: true, decay });
  };
  const bias = (name: string, size: number): void => {
    specs.push({ name, shape: [size], init: { kind: 'zeros' }, trainable: true, decay: false });
  };
  const norm = (prefix: string): void => {
    specs.push({ name: `${prefix}.weight`, shape: [c.hidden], init: { kind: 'ones' }, trainable: true, decay: false });
    bias(`${prefix}.bias`, c.hidden);
  };
  const dense = (prefix: string, out: number, inn: number): void => {
    weight(`${prefix}.weight`, [out, inn]);
    bias(`${prefix}.bias`, out);
  };
  const H = c.hidden;
  weight('bert.embeddings.word_embeddings.weight', [c.vocabSize, H]);
  weight('bert.embeddings.position_embeddings.weight', [c.maxPositions, H]);
  weight('bert.embeddings.token_type_embeddings.weight', [c.typeVocabSize, H]);
  norm('bert.embeddings.LayerNorm');
  for (let i = 0; i < c.layers; i++) {
    const l = `bert.encoder.layer.${i}`;
    dense(`${l}.attention.self.query`, H, H);
    dense(`${l}.attention.self.key`, H, H);
    dense(`${l}.attention.self.value`, H, H);
    dense(`${l}.attention.output.dense`, H, H);
    norm(`${l}.attention.output.LayerNorm`);
    dense(`${l}.intermediate.dense`, c.intermediate, H);
    dense(`${l}.output.dense`, H, c.intermediate);
    norm(`${l}.output.LayerNorm`);
  }
  if (head.kind === 'mlm') {
    dense('cls.predictions.transform.dense', H, H);
    norm('cls.predictions.transform.LayerNorm');
    bias('cls.predictions.bias', c.vocabSize); // the decoder weight is the word embedding matrix
  } else {
    if (head.pooling === 'cls') dense('bert.pooler.dense', H, H);
    dense('classifier', head.numClasses, H);
  }
  return specs;
}

export interface BertInputs {
  /** [batch, length] int32 token ids. */
  readonly ids: tf.Tensor2D;
  /** [batch, length] 1 for tokens, 0 for padding; absent = no padding. */
  readonly attentionMask?: tf.Tensor2D;
  /** [batch, length] segment ids; absent = all 0. */
  readonly tokenTypes?: tf.Tensor2D;
}

export class Bert {
  readonly layout: ParamLayout;

  constructor(
    readonly config: BertConfig,
    readonly head: BertHead,
    readonly ops: OpSet,
  ) {
    this.layout = new ParamLayout(bertParamSpecs(config, head));
  }

  /** The encoder's last hidden states as [batch * length, hidden]. Call inside tf.tidy. */
  encode(params: ParamMap, inputs: BertInputs, training: boolean, rng: Rng): tf.Tensor2D {
    const c = this.config;
    const ops = this.ops;
    const P = (name: string): tf.Tensor => {
      const t = params[name];
      if (!t) throw new Error(`missing parameter ${name}`);
      return t;
    };
    const [B, L] = inputs.ids.shape;
    if (L > c.maxPositions) throw new Error(`Sequences of ${L} tokens exceed the model's ${c.maxPositions} positions.`);
    const H = c.hidden;
    const nh = c.heads;
    const dh = H / nh;
    const T = B * L;
    const drop = <X extends tf.Tensor>(x: X, rate: number): X => (training ? ops.dropout(x, rate, rng) : x);

    const words = tf.gather(P('bert.embeddings.word_embeddings.weight'), tf.reshape(inputs.ids, [-1])); // [T, H]
    const positions = tf.slice(P('bert.embeddings.position_embeddings.weight'), [0, 0], [L, H]); // [L, H]
    const typeTable = P('bert.embeddings.token_type_embeddings.weight');
    let emb = tf.add(tf.reshape(words, [B, L, H]), positions);
    emb = inputs.tokenTypes
      ? tf.add(emb, tf.reshape(tf.gather(typeTable, tf.reshape(inputs.tokenTypes, [-1])), [B, L, H]))
      : tf.add(emb, tf.slice(typeTable, [0, 0], [1, H]));
    const embLn = P('bert.embeddings.LayerNorm.weight');
    let x = ops.layerNorm(tf.reshape(emb, [T, H]) as tf.Tensor2D, embLn as tf.Tensor1D, P('bert.embeddings.LayerNorm.bias') as tf.Tensor1D, c.layerNormEps);
    x = drop(x, c.hiddenDropout);

    // Additive mask [B, 1, 1, L]: 0 for tokens, -10000 for padding (Hugging Face's classic value).
    const maskAdd = inputs.attentionMask
      ? tf.reshape(tf.mul(tf.sub(1, tf.cast(inputs.attentionMask, 'float32')), -10000), [B, 1, 1, L])
      : null;
    const scale = 1 / Math.sqrt(dh);
    for (let i = 0; i < c.layers; i++) {
      const l = `bert.encoder.layer.${i}`;
      const lin = (input: tf.Tensor2D, name: string): tf.Tensor2D =>
        ops.linear(input, P(`${name}.weight`) as tf.Tensor2D, P(`${name}.bias`) as tf.Tensor1D);
      const q = tf.mul(lin(x, `${l}.attention.self.query`), scale);
      const k = lin(x, `${l}.attention.self.key`);
      const v = lin(x, `${l}.attention.self.value`);
      const qh = tf.transpose(tf.reshape(q, [B, L, nh, dh]), [0, 2, 1, 3]); // [B, nh, L, dh]
      const khT = tf.transpose(tf.reshape(k, [B, L, nh, dh]), [0, 2, 3, 1]); // [B, nh, dh, L]
      const vh = tf.transpose(tf.reshape(v, [B, L, nh, dh]), [0, 2, 1, 3]); // [B, nh, L, dh]
      let scores = tf.matMul(qh, khT); // [B, nh, L, L]
      if (maskAdd) scores = tf.add(scores, maskAdd);
      const probs = drop(tf.softmax(scores), c.attentionDropout);
      const ctx = tf.reshape(tf.transpose(tf.matMul(probs, vh), [0, 2, 1, 3]), [T, H]) as tf.Tensor2D;
      const attn = drop(lin(ctx, `${l}.attention.output.dense`), c.hiddenDropout);
      x = ops.layerNorm(tf.add(x, attn), P(`${l}.attention.output.LayerNorm.weight`) as tf.Tensor1D, P(`${l}.attention.output.LayerNorm.bias`) as tf.Tensor1D, c.layerNormEps);
      const ffn = drop(lin(ops.gelu(lin(x, `${l}.intermediate.dense`)), `${l}.output.dense`), c.hiddenDropout);
      x = ops.layerNorm(tf.add(x, ffn), P(`${l}.output.LayerNorm.weight`) as tf.Tensor1D, P(`${l}.output.LayerNorm.bias`) as tf.Tensor1D, c.layerNormEps);
    }
    return x;
  }

  /**
   * The attention probabilities of every layer, each [batch, heads, length, length], for explanations (inference
   * only: no dropout). The same computation as `encode`, kept as a separate method so that training's forward pass
   * stays exactly as it is. Call inside tf.tidy.
   */
  attentionMaps(params: ParamMap, inputs: BertInputs): tf.Tensor4D[] {
    const c = this.config;
    const ops = this.ops;
    const P = (name: string): tf.Tensor => {
      const t = params[name];
      if (!t) throw new Error(`missing parameter ${name}`);
      return t;
    };
    const [B, L] = inputs.ids.shape;
    if (L > c.maxPositions) throw new Error(`Sequences of ${L} tokens exceed the model's ${c.maxPositions} positions.`);
    const H = c.hidden;
    const nh = c.heads;
    const dh = H / nh;
    const T = B * L;
    const words = tf.gather(P('bert.embeddings.word_embeddings.weight'), tf.reshape(inputs.ids, [-1]));
    const positions = tf.slice(P('bert.embeddings.position_embeddings.weight'), [0, 0], [L, H]);
    const typeTable = P('bert.embeddings.token_type_embeddings.weight');
    let emb = tf.add(tf.reshape(words, [B, L, H]), positions);
    emb = inputs.tokenTypes
      ? tf.add(emb, tf.reshape(tf.gather(typeTable, tf.reshape(inputs.tokenTypes, [-1])), [B, L, H]))
      : tf.add(emb, tf.slice(typeTable, [0, 0], [1, H]));
    let x = ops.layerNorm(tf.reshape(emb, [T, H]) as tf.Tensor2D, P('bert.embeddings.LayerNorm.weight') as tf.Tensor1D, P('bert.embeddings.LayerNorm.bias') as tf.Tensor1D, c.layerNormEps);
    const maskAdd = inputs.attentionMask
      ? tf.reshape(tf.mul(tf.sub(1, tf.cast(inputs.attentionMask, 'float32')), -10000), [B, 1, 1, L])
      : null;
    const scale = 1 / Math.sqrt(dh);
    const maps: tf.Tensor4D[] = [];
    for (let i = 0; i < c.layers; i++) {
      const l = `bert.encoder.layer.${i}`;
      const lin = (input: tf.Tensor2D, name: string): tf.Tensor2D =>
        ops.linear(input, P(`${name}.weight`) as tf.Tensor2D, P(`${name}.bias`) as tf.Tensor1D);
      const q = tf.mul(lin(x, `${l}.attention.self.query`), scale);
      const k = lin(x, `${l}.attention.self.key`);
      const v = lin(x, `${l}.attention.self.value`);
      const qh = tf.transpose(tf.reshape(q, [B, L, nh, dh]), [0, 2, 1, 3]);
      const khT = tf.transpose(tf.reshape(k, [B, L, nh, dh]), [0, 2, 3, 1]);
      const vh = tf.transpose(tf.reshape(v, [B, L, nh, dh]), [0, 2, 1, 3]);
      let scores = tf.matMul(qh, khT);
      if (maskAdd) scores = tf.add(scores, maskAdd);
      const probs = tf.softmax(scores) as tf.Tensor4D;
      maps.push(probs);
      const ctx = tf.reshape(tf.transpose(tf.matMul(probs, vh), [0, 2, 1, 3]), [T, H]) as tf.Tensor2D;
      x = ops.layerNorm(tf.add(x, lin(ctx, `${l}.attention.output.dense`)), P(`${l}.attention.output.LayerNorm.weight`) as tf.Tensor1D, P(`${l}.attention.output.LayerNorm.bias`) as tf.Tensor1D, c.layerNormEps);
      const ffn = lin(ops.gelu(lin(x, `${l}.intermediate.dense`)), `${l}.output.dense`);
      x = ops.layerNorm(tf.add(x, ffn), P(`${l}.output.LayerNorm.weight`) as tf.Tensor1D, P(`${l}.output.LayerNorm.bias`) as tf.Tensor1D, c.layerNormEps);
    }
    return maps;
  }

  /**
   * MLM logits [rows, vocab] for the hidden states at `positions` (flat indices into [batch * length]): only the
   * masked tokens go through the head, which is what the loss needs.
   */
  mlmLogits(params: ParamMap, hidden: tf.Tensor2D, positions: tf.Tensor1D): tf.Tensor2D {
    if (this.head.kind !== 'mlm') throw new Error('this model has no MLM head');
    const ops = this.ops;
    const P = (name: string): tf.Tensor => params[name]!;
    const h = tf.gather(hidden, positions) as tf.Tensor2D;
    const t = ops.gelu(ops.linear(h, P('cls.predictions.transform.dense.weight') as tf.Tensor2D, P('cls.predictions.transform.dense.bias') as tf.Tensor1D));
    const n = ops.layerNorm(t, P('cls.predictions.transform.LayerNorm.weight') as tf.Tensor1D, P('cls.predictions.transform.LayerNorm.bias') as tf.Tensor1D, this.config.layerNormEps);
    return ops.linear(n, P('bert.embeddings.word_embeddings.weight') as tf.Tensor2D, P('cls.predictions.bias') as tf.Tensor1D);
  }

  /** Classification logits [batch, classes]. `attentionMask` weights the mean pooling. */
  classify(params: ParamMap, hidden: tf.Tensor2D, batch: number, attentionMask: tf.Tensor2D | undefined, training: boolean, rng: Rng): tf.Tensor2D {
    const head = this.head;
    if (head.kind !== 'classification') throw new Error('this model has no classification head');
    const ops = this.ops;
    const P = (name: string): tf.Tensor => params[name]!;
    const H = this.config.hidden;
    const L = hidden.shape[0] / batch;
    let pooled: tf.Tensor2D;
    if (head.pooling === 'cls') {
      const first = tf.gather(hidden, tf.range(0, batch * L, L, 'int32')) as tf.Tensor2D;
      pooled = tf.tanh(ops.linear(first, P('bert.pooler.dense.weight') as tf.Tensor2D, P('bert.pooler.dense.bias') as tf.Tensor1D));
    } else {
      const h3 = tf.reshape(hidden, [batch, L, H]);
      if (attentionMask) {
        const m = tf.reshape(tf.cast(attentionMask, 'float32'), [batch, L, 1]);
        pooled = tf.div(tf.sum(tf.mul(h3, m), 1), tf.maximum(tf.sum(m, 1), 1)) as tf.Tensor2D;
      } else {
        pooled = tf.mean(h3, 1) as tf.Tensor2D;
      }
    }
    const rate = head.classifierDropout ?? this.config.hiddenDropout;
    if (training && rate > 0) pooled = ops.dropout(pooled, rate, rng);
    return ops.linear(pooled, P('classifier.weight') as tf.Tensor2D, P('classifier.bias') as tf.Tensor1D);
  }
}

/**
 * A training task: a model, its loss and its batches, described by a plain-JSON spec so that every data-parallel
 * replica (one per thread) builds the same one.
 *
 * Losses are weighted sums divided by the whole batch's weight (`lossWeight`), so that the gradients of the shards
 * add up to the gradient of the whole batch, whatever the shards hold (class weights, masked-token counts).
 */
import * as tf from '@tensorflow/tfjs';
import type { BERT_PRESETS} from '../models/bert';
import { Bert, type BertConfig, type BertHead, bertConfig } from '../models/bert';
import { Cnn, type CnnConfig, cnnConfig } from '../models/cnn';
import { fastOps, type OpSet, stockOps } from '../models/ops';
import type { ParamLayout, ParamMap } from '../models/params';
import type { Rng } from '../models/rng';
import { type PretrainHeadsSpec, PretrainTask } from './pretrain-task';

export type ModelSpec =
  | { readonly kind: 'cnn'; readonly config?: Partial<CnnConfig> }
  | {
      readonly kind: 'bert';
      readonly preset?: keyof typeof BERT_PRESETS;
      readonly config?: Partial<BertConfig>;
      readonly head: BertHead;
    };

export interface TaskSpec {
  readonly model: ModelSpec;
  /** Loss weight per class (classification); absent = 1 for all. */
  readonly classWeights?: readonly number[];
  /** 'fast' (default): our custom-gradient ops; 'stock': plain tfjs ops (benchmark baseline). */
  readonly ops?: 'fast' | 'stock';
  /** Pretraining (a BERT with the MLM head): the extra objectives; see pretrain-task.ts. */
  readonly pretrain?: PretrainHeadsSpec;
}

/** Label of a token that is not predicted (MLM), as in PyTorch and Hugging Face. */
export const IGNORE_INDEX = -100;

/** A batch of token sequences, row-major. Structured-cloneable (worker messages). */
export interface Batch {
  readonly size: number;
  readonly length: number;
  /** [size * length] token ids. */
  readonly tokens: Int32Array;
  /** [size * length] 1 = token, 0 = padding. */
  readonly attentionMask?: Int32Array;
  /** [size * length] segment ids. */
  readonly tokenTypes?: Int32Array;
  /** Classification: [size] class ids. MLM: [size * length] original ids at masked positions, IGNORE_INDEX elsewhere. */
  readonly labels: Int32Array;
  /** Per-row real-valued inputs, row-major [size * featuresPerRow] (pretraining: the region affinity vectors). */
  readonly features?: Float32Array;
}

/** Rows [start, end) of a batch (copies: they travel to other threads). */
export function sliceBatch(batch: Batch, start: number, end: number): Batch {
  const L = batch.length;
  const perRow = batch.size > 0 ? batch.labels.length / batch.size : 1; // 1 (classification) or L (MLM)
  const part = (a: Int32Array, width: number): Int32Array => a.slice(start * width, end * width);
  return {
    size: end - start,
    length: L,
    tokens: part(batch.tokens, L),
    ...(batch.attentionMask ? { attentionMask: part(batch.attentionMask, L) } : {}),
    ...(batch.tokenTypes ? { tokenTypes: part(batch.tokenTypes, L) } : {}),
    labels: part(batch.labels, perRow),
    ...(batch.features ? { features: batch.features.slice(start * (batch.features.length / batch.size), end * (batch.features.length / batch.size)) } : {}),
  };
}

export interface LossResult {
  /** Sum of weighted per-item losses divided by the denominator. */
  readonly loss: tf.Scalar;
  /** New values for non-trainable state (BatchNorm running statistics). */
  readonly buffers: Record<string, tf.Tensor>;
  /** Parts of the loss to report (each divided by the same denominator, so shards add up), e.g. mlm, ngsp, srm. */
  readonly terms?: Record<string, tf.Scalar>;
}

export interface Task {
  readonly spec: TaskSpec;
  readonly layout: ParamLayout;
  /** Total weight of the batch's loss terms: the denominator of the mean loss. */
  lossWeight(batch: Batch): number;
  /** Call inside tf.tidy / gradients. */
  loss(params: ParamMap, batch: Batch, training: boolean, denominator: number, rng: Rng): LossResult;
  /** Logits: [size, classes] (classification) or [masked tokens, vocab] (MLM). Call inside tf.tidy. */
  logits(params: ParamMap, batch: Batch, rng: Rng): tf.Tensor2D;
}

function opsOf(spec: TaskSpec): OpSet {
  return spec.ops === 'stock' ? stockOps : fastOps;
}

function ids2d(a: Int32Array, batch: Batch): tf.Tensor2D {
  return tf.tensor2d(a, [batch.size, batch.length], 'int32');
}

/** Per-class weights as a lookup, checked against the number of classes. */
function classWeightOf(spec: TaskSpec, numClasses: number): (label: number) => number {
  const w = spec.classWeights;
  if (!w) return () => 1;
  if (w.length !== numClasses) throw new Error(`${w.length} class weights given for ${numClasses} classes.`);
  return (label) => w[label] ?? 0;
}

function checkLabels(labels: Int32Array, numClasses: number, rows?: number): void {
  if (rows !== undefined && labels.length !== rows) throw new Error(`${labels.length} labels for ${rows} sequences.`);
  for (const y of labels) {
    if (!(y >= 0 && y < numClasses)) throw new Error(`Label ${y} is outside the ${numClasses} classes of the model.`);
  }
}

/** Weighted classification loss: softmax cross-entropy, or sigmoid cross-entropy for a single logit. */
function classificationLoss(ops: OpSet, logits: tf.Tensor2D, labels: Int32Array, weights: Float32Array, denominator: number): tf.Scalar {
  const w = tf.tensor1d(weights);
  let perItem: tf.Tensor1D;
  if (logits.shape[1] === 1) {
    const z = tf.reshape(logits, [-1]) as tf.Tensor1D;
    const y = tf.tensor1d(Float32Array.from(labels));
    // softplus(z) - y z, written to stay finite for large |z|
    perItem = tf.add(tf.sub(tf.relu(z), tf.mul(z, y)), tf.log1p(tf.exp(tf.neg(tf.abs(z)))));
  } else {
    perItem = ops.crossEntropy(logits, tf.tensor1d(labels, 'int32'));
  }
  return tf.div(tf.sum(tf.mul(perItem, w)), denominator) as tf.Scalar;
}

class CnnTask implements Task {
  readonly model: Cnn;
  readonly layout: ParamLayout;
  private readonly classWeight: (label: number) => number;
  private readonly numClasses: number;

  constructor(readonly spec: TaskSpec & { model: { kind: 'cnn' } }) {
    this.model = new Cnn(cnnConfig(spec.model.config), opsOf(spec));
    this.layout = this.model.layout;
    this.numClasses = Math.max(2, this.model.config.outputs);
    this.classWeight = classWeightOf(spec, this.numClasses);
  }

  lossWeight(batch: Batch): number {
    let total = 0;
    for (const y of batch.labels) total += this.classWeight(y);
    return total;
  }

  loss(params: ParamMap, batch: Batch, training: boolean, denominator: number, rng: Rng): LossResult {
    checkLabels(batch.labels, this.numClasses, batch.size);
    const { logits, buffers } = this.model.forward(params, ids2d(batch.tokens, batch), training, rng);
    const weights = Float32Array.from(batch.labels, (y) => this.classWeight(y));
    return { loss: classificationLoss(this.model.ops, logits, batch.labels, weights, denominator), buffers };
  }

  logits(params: ParamMap, batch: Batch, rng: Rng): tf.Tensor2D {
    return this.model.forward(params, ids2d(batch.tokens, batch), false, rng).logits;
  }
}

class BertTask implements Task {
  readonly model: Bert;
  readonly layout: ParamLayout;
  private readonly classWeight: (label: number) => number;

  constructor(readonly spec: TaskSpec & { model: { kind: 'bert' } }) {
    const m = spec.model;
    this.model = new Bert(bertConfig(m.config, m.preset ?? 'mini'), m.head, opsOf(spec));
    this.layout = this.model.layout;
    this.classWeight = m.head.kind === 'classification' ? classWeightOf(spec, m.head.numClasses) : () => 1;
  }

  private inputs(batch: Batch): { ids: tf.Tensor2D; attentionMask?: tf.Tensor2D; tokenTypes?: tf.Tensor2D } {
    return {
      ids: ids2d(batch.tokens, batch),
      ...(batch.attentionMask ? { attentionMask: ids2d(batch.attentionMask, batch) } : {}),
      ...(batch.tokenTypes ? { tokenTypes: ids2d(batch.tokenTypes, batch) } : {}),
    };
  }

  /** Flat positions of predicted tokens and their labels. */
  private masked(batch: Batch): { positions: Int32Array; labels: Int32Array } {
    if (batch.labels.length !== batch.size * batch.length) {
      throw new Error(`MLM batches carry one label per token (${batch.size * batch.length}), not ${batch.labels.length}.`);
    }
    const positions: number[] = [];
    batch.labels.forEach((y, i) => {
      if (y !== IGNORE_INDEX) positions.push(i);
    });
    const p = Int32Array.from(positions);
    return { positions: p, labels: Int32Array.from(p, (i) => batch.labels[i]!) };
  }

  lossWeight(batch: Batch): number {
    if (this.model.head.kind === 'mlm') return this.masked(batch).positions.length;
    let total = 0;
    for (const y of batch.labels) total += this.classWeight(y);
    return total;
  }

  loss(params: ParamMap, batch: Batch, training: boolean, denominator: number, rng: Rng): LossResult {
    const head = this.model.head;
    const inputs = this.inputs(batch);
    const hidden = this.model.encode(params, inputs, training, rng);
    if (head.kind === 'mlm') {
      let { positions, labels } = this.masked(batch);
      let weights = new Float32Array(positions.length).fill(1);
      if (positions.length === 0) {
        // Keep every parameter in the graph (a zero gradient, not a missing one) when a shard has nothing masked.
        positions = Int32Array.of(0);
        labels = Int32Array.of(0);
        weights = Float32Array.of(0);
      }
      checkLabels(labels, this.model.config.vocabSize);
      const logits = this.model.mlmLogits(params, hidden, tf.tensor1d(positions, 'int32'));
      const perItem = this.model.ops.crossEntropy(logits, tf.tensor1d(labels, 'int32'));
      return { loss: tf.div(tf.sum(tf.mul(perItem, tf.tensor1d(weights))), denominator) as tf.Scalar, buffers: {} };
    }
    checkLabels(batch.labels, head.numClasses, batch.size);
    const logits = this.model.classify(params, hidden, batch.size, inputs.attentionMask, training, rng);
    const weights = Float32Array.from(batch.labels, (y) => this.classWeight(y));
    return { loss: classificationLoss(this.model.ops, logits, batch.labels, weights, denominator), buffers: {} };
  }

  logits(params: ParamMap, batch: Batch, rng: Rng): tf.Tensor2D {
    const inputs = this.inputs(batch);
    const hidden = this.model.encode(params, inputs, false, rng);
    if (this.model.head.kind === 'mlm') return this.model.mlmLogits(params, hidden, tf.tensor1d(this.masked(batch).positions, 'int32'));
    return this.model.classify(params, hidden, batch.size, inputs.attentionMask, false, rng);
  }
}

export function createTask(spec: TaskSpec): Task {
  if (spec.pretrain) return new PretrainTask(spec as TaskSpec & { model: { kind: 'bert' }; pretrain: PretrainHeadsSpec });
  return spec.model.kind === 'cnn'
    ? new CnnTask(spec as TaskSpec & { model: { kind: 'cnn' } })
    : new BertTask(spec as TaskSpec & { model: { kind: 'bert' } });
}

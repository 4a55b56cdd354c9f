/**
 * The pretraining task of the seeds: BERT with its MLM head (masked genome modelling, any masking), plus
 *  - NGSP (GeneBERT eq. 2): [CLS] -> pooler -> 2 classes, "segment B follows segment A", Hugging Face
 *    `BertForPreTraining` names (`bert.pooler.dense`, `cls.seq_relationship`); segments carry token types 0/1;
 *  - SRM (GeneBERT eq. 3): a small transformer over the `regions` region tokens (each a motif-affinity vector
 *    projected to the region width) gives a region embedding; the sequence [CLS] gives a sequence embedding; both
 *    are projected and L2-normalised and aligned by InfoNCE over the batch in both directions, with a learnable
 *    (CLIP's log-scale parameter) or fixed temperature.
 * L = L_mgm + L_ngsp + lambda * L_srm, each switchable.
 *
 * Batches: `labels` holds L + 1 values per row: the L MLM labels (IGNORE_INDEX where not masked), then the NGSP
 * label (1 = B follows A; 0 when NGSP is off). `features` holds regions x motifs standardised affinities per row.
 *
 * Data parallelism: the trainer divides every loss by the whole batch's weight, here its number of rows, so each
 * term is a mean over rows and the shards add up exactly for MLM (a per-row mean over its masked tokens) and NGSP.
 * InfoNCE couples the rows of a batch: each thread contrasts the rows of its own shard (as distributed CLIP without
 * an all-gather), so with T threads SRM sees batch/T negatives per row. The loss is still a proper contrastive loss.
 */
import * as tf from '@tensorflow/tfjs';
import { Bert, type BertConfig, bertConfig, bertParamSpecs } from '../models/bert';
import { fastOps, type OpSet, stockOps } from '../models/ops';
import { ParamLayout, type ParamMap, type ParamSpec } from '../models/params';
import type { Rng } from '../models/rng';
import { type Batch, IGNORE_INDEX, type LossResult, type Task, type TaskSpec } from './task';

export interface SrmSpec {
  /** Region tokens per sample (GeneBERT: 10 consecutive regions). */
  readonly regions: number;
  /** Affinity vector length (motifs). */
  readonly motifs: number;
  /** Region encoder width, heads, layers and FFN size. */
  readonly hidden: number;
  readonly heads: number;
  readonly layers: number;
  readonly intermediate: number;
  /** Width of the shared embedding space. */
  readonly projection: number;
  readonly lambda: number;
  readonly temperature: { readonly learnable: boolean; readonly initial: number };
}

export interface PretrainHeadsSpec {
  readonly ngsp: boolean;
  readonly srm: SrmSpec | null;
}

/** CLIP caps the learnable logit scale at 100 (temperature 0.01) for stability. */
const MAX_LOGIT_SCALE = Math.log(100);

export function srmParamSpecs(s: SrmSpec, bertHidden: number, initStd: number): ParamSpec[] {
  const specs: ParamSpec[] = [];
  const normal = { kind: 'normal', std: initStd } as const;
  const dense = (prefix: string, out: number, inn: number): void => {
    specs.push({ name: `${prefix}.weight`, shape: [out, inn], init: normal, trainable: true, decay: true });
    specs.push({ name: `${prefix}.bias`, shape: [out], init: { kind: 'zeros' }, trainable: true, decay: false });
  };
  const norm = (prefix: string, size: number): void => {
    specs.push({ name: `${prefix}.weight`, shape: [size], init: { kind: 'ones' }, trainable: true, decay: false });
    specs.push({ name: `${prefix}.bias`, shape: [size], init: { kind: 'zeros' }, trainable: true, decay: false });
  };
  const H = s.hidden;
  dense('srm.region.input', H, s.motifs);
  specs.push({ name: 'srm.region.position', shape: [s.regions, H], init: normal, trainable: true, decay: false });
  norm('srm.region.input_norm', H);
  for (let i = 0; i < s.layers; i++) {
    const l = `srm.region.layer.${i}`;
    dense(`${l}.query`, H, H);
    dense(`${l}.key`, H, H);
    dense(`${l}.value`, H, H);
    dense(`${l}.attention_output`, H, H);
    norm(`${l}.attention_norm`, H);
    dense(`${l}.intermediate`, s.intermediate, H);
    dense(`${l}.output`, H, s.intermediate);
    norm(`${l}.output_norm`, H);
  }
  dense('srm.region.projection', s.projection, H);
  dense('srm.sequence.projection', s.projection, bertHidden);
  if (s.temperature.learnable) {
    specs.push({ name: 'srm.logit_scale', shape: [1], init: { kind: 'zeros' }, trainable: true, decay: false });
  }
  return specs;
}

export function ngspParamSpecs(hidden: number, initStd: number): ParamSpec[] {
  const normal = { kind: 'normal', std: initStd } as const;
  return [
    { name: 'bert.pooler.dense.weight', shape: [hidden, hidden], init: normal, trainable: true, decay: true },
    { name: 'bert.pooler.dense.bias', shape: [hidden], init: { kind: 'zeros' }, trainable: true, decay: false },
    { name: 'cls.seq_relationship.weight', shape: [2, hidden], init: normal, trainable: true, decay: true },
    { name: 'cls.seq_relationship.bias', shape: [2], init: { kind: 'zeros' }, trainable: true, decay: false },
  ];
}

/** The layout of a pretraining model: the BERT-with-MLM-head parameters first, then the NGSP and SRM heads. */
export function pretrainLayout(config: BertConfig, heads: PretrainHeadsSpec): ParamLayout {
  const specs = bertParamSpecs(config, { kind: 'mlm' });
  if (heads.ngsp) specs.push(...ngspParamSpecs(config.hidden, config.initStd));
  if (heads.srm) specs.push(...srmParamSpecs(heads.srm, config.hidden, config.initStd));
  return new ParamLayout(specs);
}

export class PretrainTask implements Task {
  readonly model: Bert;
  readonly layout: ParamLayout;
  readonly heads: PretrainHeadsSpec;
  private readonly ops: OpSet;

  constructor(readonly spec: TaskSpec & { model: { kind: 'bert' }; pretrain: PretrainHeadsSpec }) {
    const m = spec.model;
    if (m.head.kind !== 'mlm') throw new Error('A pretraining task needs the BERT MLM head.');
    this.ops = spec.ops === 'stock' ? stockOps : fastOps;
    this.model = new Bert(bertConfig(m.config, m.preset ?? 'mini'), m.head, this.ops);
    this.heads = spec.pretrain;
    this.layout = pretrainLayout(this.model.config, this.heads);
  }

  lossWeight(batch: Batch): number {
    return batch.size;
  }

  /** Per-row MLM positions (flat, into [size * length]), their labels and 1 / (masked tokens of the row). */
  private masked(batch: Batch): { positions: Int32Array; labels: Int32Array; weights: Float32Array } {
    const L = batch.length;
    const per = L + 1;
    if (batch.labels.length !== batch.size * per) {
      throw new Error(`Pretraining batches carry ${per} labels per row (${batch.size * per}), not ${batch.labels.length}.`);
    }
    const positions: number[] = [];
    const labels: number[] = [];
    const weights: number[] = [];
    for (let r = 0; r < batch.size; r++) {
      const first = positions.length;
      for (let i = 0; i < L; i++) {
        const y = batch.labels[r * per + i]!;
        if (y === IGNORE_INDEX) continue;
        positions.push(r * L + i);
        labels.push(y);
      }
      const n = positions.length - first;
      for (let j = 0; j < n; j++) weights.push(1 / n);
    }
    return { positions: Int32Array.from(positions), labels: Int32Array.from(labels), weights: Float32Array.from(weights) };
  }

  private ngspLabels(batch: Batch): Int32Array {
    const per = batch.length + 1;
    return Int32Array.from({ length: batch.size }, (_, r) => batch.labels[r * per + batch.length]!);
  }

  private inputs(batch: Batch): { ids: tf.Tensor2D; attentionMask?: tf.Tensor2D; tokenTypes?: tf.Tensor2D } {
    const shape: [number, number] = [batch.size, batch.length];
    return {
      ids: tf.tensor2d(batch.tokens, shape, 'int32'),
      ...(batch.attentionMask ? { attentionMask: tf.tensor2d(batch.attentionMask, shape, 'int32') } : {}),
      ...(batch.tokenTypes ? { tokenTypes: tf.tensor2d(batch.tokenTypes, shape, 'int32') } : {}),
    };
  }

  /** Hidden state of [CLS] (row starts) [size, hidden]. */
  private clsOf(hidden: tf.Tensor2D, batch: Batch): tf.Tensor2D {
    return tf.gather(hidden, tf.range(0, batch.size * batch.length, batch.length, 'int32')) as tf.Tensor2D;
  }

  /** The region encoder: [size * regions, motifs] -> [size, projection], L2-normalised. */
  private regionEmbedding(params: ParamMap, features: Float32Array, size: number, s: SrmSpec): tf.Tensor2D {
    const ops = this.ops;
    const P = (name: string): tf.Tensor => params[name]!;
    const lin = (x: tf.Tensor2D, name: string): tf.Tensor2D => ops.linear(x, P(`${name}.weight`) as tf.Tensor2D, P(`${name}.bias`) as tf.Tensor1D);
    const ln = (x: tf.Tensor2D, name: string): tf.Tensor2D => ops.layerNorm(x, P(`${name}.weight`) as tf.Tensor1D, P(`${name}.bias`) as tf.Tensor1D, 1e-5);
    const R = s.regions;
    const H = s.hidden;
    const nh = s.heads;
    const dh = H / nh;
    const T = size * R;
    const input = tf.tensor2d(features, [T, s.motifs]);
    let x = tf.reshape(tf.add(tf.reshape(lin(input, 'srm.region.input'), [size, R, H]), P('srm.region.position')), [T, H]) as tf.Tensor2D;
    x = ln(x, 'srm.region.input_norm');
    for (let i = 0; i < s.layers; i++) {
      const l = `srm.region.layer.${i}`;
      const heads = (t: tf.Tensor2D): tf.Tensor4D => tf.transpose(tf.reshape(t, [size, R, nh, dh]), [0, 2, 1, 3]);
      const q = heads(tf.mul(lin(x, `${l}.query`), 1 / Math.sqrt(dh)));
      const k = heads(lin(x, `${l}.key`));
      const v = heads(lin(x, `${l}.value`));
      const probs = tf.softmax(tf.matMul(q, k, false, true));
      const ctx = tf.reshape(tf.transpose(tf.matMul(probs, v), [0, 2, 1, 3]), [T, H]) as tf.Tensor2D;
      x = ln(tf.add(x, lin(ctx, `${l}.attention_output`)), `${l}.attention_norm`);
      x = ln(tf.add(x, lin(ops.gelu(lin(x, `${l}.intermediate`)), `${l}.output`)), `${l}.output_norm`);
    }
    const pooled = tf.mean(tf.reshape(x, [size, R, H]), 1) as tf.Tensor2D;
    return l2normalize(lin(pooled, 'srm.region.projection'));
  }

  private srmLogits(params: ParamMap, cls: tf.Tensor2D, batch: Batch, s: SrmSpec): tf.Tensor2D {
    if (!batch.features || batch.features.length !== batch.size * s.regions * s.motifs) {
      throw new Error(`SRM batches carry ${s.regions} x ${s.motifs} affinities per row.`);
    }
    const P = (name: string): tf.Tensor => params[name]!;
    const seq = l2normalize(this.ops.linear(cls, P('srm.sequence.projection.weight') as tf.Tensor2D, P('srm.sequence.projection.bias') as tf.Tensor1D));
    const reg = this.regionEmbedding(params, batch.features, batch.size, s);
    const scale = s.temperature.learnable
      ? tf.exp(tf.minimum(tf.add(P('srm.logit_scale'), Math.log(1 / s.temperature.initial)), MAX_LOGIT_SCALE))
      : tf.scalar(1 / s.temperature.initial);
    return tf.mul(tf.matMul(seq, reg, false, true), scale) as tf.Tensor2D; // [size, size]: sequence i vs region j
  }

  loss(params: ParamMap, batch: Batch, training: boolean, denominator: number, rng: Rng): LossResult {
    const ops = this.ops;
    const inputs = this.inputs(batch);
    const hidden = this.model.encode(params, inputs, training, rng);
    const terms: Record<string, tf.Scalar> = {};
    let { positions, labels, weights } = this.masked(batch);
    if (positions.length === 0) {
      // Keep every MLM parameter in the graph (a zero gradient, not a missing one) when a shard has nothing masked.
      positions = Int32Array.of(0);
      labels = Int32Array.of(0);
      weights = Float32Array.of(0);
    }
    const mlmLogits = this.model.mlmLogits(params, hidden, tf.tensor1d(positions, 'int32'));
    const w = tf.tensor1d(weights);
    const y = tf.tensor1d(labels, 'int32');
    terms['mlm'] = tf.div(tf.sum(tf.mul(ops.crossEntropy(mlmLogits, y), w)), denominator) as tf.Scalar;
    terms['mlmAccuracy'] = tf.div(tf.sum(tf.mul(tf.cast(tf.equal(tf.argMax(mlmLogits, 1), y), 'float32'), w)), denominator) as tf.Scalar;
    let total: tf.Scalar = terms['mlm'];
    const needCls = this.heads.ngsp || this.heads.srm !== null;
    const cls = needCls ? this.clsOf(hidden, batch) : null;
    if (this.heads.ngsp && cls) {
      const P = (name: string): tf.Tensor => params[name]!;
      const pooled = tf.tanh(ops.linear(cls, P('bert.pooler.dense.weight') as tf.Tensor2D, P('bert.pooler.dense.bias') as tf.Tensor1D));
      const logits = ops.linear(pooled, P('cls.seq_relationship.weight') as tf.Tensor2D, P('cls.seq_relationship.bias') as tf.Tensor1D);
      const target = tf.tensor1d(this.ngspLabels(batch), 'int32');
      terms['ngsp'] = tf.div(tf.sum(ops.crossEntropy(logits, target)), denominator) as tf.Scalar;
      terms['ngspAccuracy'] = tf.div(tf.sum(tf.cast(tf.equal(tf.argMax(logits, 1), target), 'float32')), denominator) as tf.Scalar;
      total = tf.add(total, terms['ngsp']);
    }
    const s = this.heads.srm;
    if (s && cls) {
      const logits = this.srmLogits(params, cls, batch, s);
      if (batch.size < 2) {
        // One row has no negatives to contrast with: no SRM signal, but every parameter stays in the graph.
        terms['srm'] = tf.mul(tf.sum(logits), 0) as tf.Scalar;
        terms['srmAccuracy'] = tf.scalar(0);
      } else {
        const diagonal = tf.range(0, batch.size, 1, 'int32');
        const perRow = tf.mul(tf.add(ops.crossEntropy(logits, diagonal), ops.crossEntropy(tf.transpose(logits) as tf.Tensor2D, diagonal)), 0.5);
        terms['srm'] = tf.div(tf.sum(perRow), denominator) as tf.Scalar;
        terms['srmAccuracy'] = tf.div(tf.sum(tf.cast(tf.equal(tf.argMax(logits, 1), diagonal), 'float32')), denominator) as tf.Scalar;
      }
      total = tf.add(total, tf.mul(terms['srm'], s.lambda));
    }
    terms['total'] = total;
    return { loss: total, buffers: {}, terms };
  }

  /** MLM logits of the masked tokens (the pretraining task predicts nothing else row-wise). */
  logits(params: ParamMap, batch: Batch, rng: Rng): tf.Tensor2D {
    const hidden = this.model.encode(params, this.inputs(batch), false, rng);
    return this.model.mlmLogits(params, hidden, tf.tensor1d(this.masked(batch).positions, 'int32'));
  }
}

function l2normalize(x: tf.Tensor2D): tf.Tensor2D {
  return tf.div(x, tf.sqrt(tf.add(tf.sum(tf.square(x), 1, true), 1e-12))) as tf.Tensor2D;
}

/**
 * Model shapes, parameter names (PyTorch / Hugging Face, so weights can be exchanged), seeded initialization and the
 * CNN's folded first layer.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { Bert, type BertConfig, bertConfig, bertParamSpecs } from '../../../src-main/engine/models/bert';
import { Cnn, cnnConfig, cnnParamSpecs } from '../../../src-main/engine/models/cnn';
import { fastOps } from '../../../src-main/engine/models/ops';
import { ParamLayout } from '../../../src-main/engine/models/params';
import { Rng } from '../../../src-main/engine/models/rng';
import { expectClose, randomInts, setupWasm } from './helpers';

beforeAll(setupWasm, 60_000);

const TINY_BERT: Partial<BertConfig> = { vocabSize: 37, hidden: 16, layers: 2, heads: 4, intermediate: 24, maxPositions: 20 };

describe('the genomic_benchmarks CNN', () => {
  it("has the peer's parameters: names, shapes and count (cnn_torch.py: 223,465)", () => {
    const specs = cnnParamSpecs(cnnConfig());
    const trainable = specs.filter((s) => s.trainable);
    expect(trainable.map((s) => `${s.name} ${s.shape.join('x')}`)).toEqual([
      'emb.weight 6x100',
      'cnn.0.weight 16x100x8', 'cnn.0.bias 16', 'cnn.1.weight 16', 'cnn.1.bias 16',
      'cnn.4.weight 16x16x8', 'cnn.4.bias 16', 'cnn.5.weight 16', 'cnn.5.bias 16',
      'cnn.8.weight 16x16x8', 'cnn.8.bias 16', 'cnn.9.weight 16', 'cnn.9.bias 16',
      'dense.0.weight 512x400', 'dense.0.bias 512', 'dense.3.weight 1x512', 'dense.3.bias 1',
    ]);
    expect(new ParamLayout(specs).trainableSize).toBe(223_465);
    expect(specs.filter((s) => !s.trainable).map((s) => s.name)).toContain('cnn.9.running_var');
  });

  it.each([
    ['embedding input, one logit', { input: 'embed' as const, outputs: 1 }],
    ['one-hot input, three classes', { input: 'onehot' as const, outputs: 3, length: 60 }],
  ])('maps [batch, length] tokens to [batch, outputs] logits (%s)', (_name, overrides) => {
    const config = cnnConfig(overrides);
    const model = new Cnn(config, fastOps);
    const params = model.layout.toTensors(model.layout.initialize(1));
    const out = tf.tidy(() => {
      const tokens = tf.tensor2d(randomInts(5 * config.length, 4, 2), [5, config.length], 'int32');
      const train = model.forward(params, tokens, true, new Rng(1));
      const infer = model.forward(params, tokens, false, new Rng(1));
      return { train: train.logits.shape, infer: infer.logits.shape, buffers: Object.keys(train.buffers).length };
    });
    expect(out.train).toEqual([5, config.outputs]);
    expect(out.infer).toEqual([5, config.outputs]);
    expect(out.buffers).toBe(6); // running mean and variance of 3 BatchNorms
    tf.dispose(params);
  });

  it('computes the same function and gradients with the embedding folded into the first filter', () => {
    const run = (foldEmbedding: boolean): Float32Array[] => {
      const model = new Cnn(cnnConfig({ foldEmbedding, length: 60, dropout: 0 }), fastOps);
      const flat = model.layout.initialize(3);
      const params = model.layout.toTensors(flat);
      const names = ['emb.weight', 'cnn.0.weight', 'cnn.4.weight'];
      const result = tf.tidy(() => {
        const tokens = tf.tensor2d(randomInts(4 * 60, 6, 4), [4, 60], 'int32');
        const f = (...xs: tf.Tensor[]): tf.Scalar => {
          const map = { ...params, ...Object.fromEntries(names.map((n, i) => [n, xs[i]!])) };
          return tf.sum(tf.sin(model.forward(map, tokens, true, new Rng(1)).logits));
        };
        const { value, grads } = tf.valueAndGrads(f)(names.map((n) => params[n]!));
        return [value, ...grads].map((t) => Float32Array.from(t.dataSync()));
      });
      tf.dispose(params);
      return result;
    };
    expectClose(run(true), run(false), 1e-4);
  });
});

describe('the BERT encoder', () => {
  it("uses Hugging Face's parameter names and [out, in] Linear shapes", () => {
    const names = bertParamSpecs(bertConfig(TINY_BERT), { kind: 'mlm' }).map((s) => `${s.name} ${s.shape.join('x')}`);
    expect(names.slice(0, 5)).toEqual([
      'bert.embeddings.word_embeddings.weight 37x16',
      'bert.embeddings.position_embeddings.weight 20x16',
      'bert.embeddings.token_type_embeddings.weight 2x16',
      'bert.embeddings.LayerNorm.weight 16',
      'bert.embeddings.LayerNorm.bias 16',
    ]);
    expect(names).toEqual(
      expect.arrayContaining([
        'bert.encoder.layer.0.attention.self.query.weight 16x16',
        'bert.encoder.layer.0.attention.self.key.bias 16',
        'bert.encoder.layer.0.attention.self.value.weight 16x16',
        'bert.encoder.layer.0.attention.output.dense.weight 16x16',
        'bert.encoder.layer.0.attention.output.LayerNorm.weight 16',
        'bert.encoder.layer.1.intermediate.dense.weight 24x16',
        'bert.encoder.layer.1.output.dense.weight 16x24',
        'bert.encoder.layer.1.output.LayerNorm.bias 16',
        'cls.predictions.transform.dense.weight 16x16',
        'cls.predictions.transform.LayerNorm.weight 16',
        'cls.predictions.bias 37',
      ]),
    );
    expect(names.some((n) => n.startsWith('cls.predictions.decoder.weight'))).toBe(false); // tied to word embeddings
    const cls = bertParamSpecs(bertConfig(TINY_BERT), { kind: 'classification', numClasses: 3, pooling: 'cls' }).map((s) => `${s.name} ${s.shape.join('x')}`);
    expect(cls.slice(-4)).toEqual(['bert.pooler.dense.weight 16x16', 'bert.pooler.dense.bias 16', 'classifier.weight 3x16', 'classifier.bias 3']);
  });

  it("has the peer's mini parameter count (bert_torch.py: 4,410,885) plus token-type embeddings", () => {
    const layout = new ParamLayout(bertParamSpecs(bertConfig({}, 'mini'), { kind: 'mlm' }));
    expect(layout.trainableSize).toBe(4_410_885 + 2 * 256);
  });

  it('gives [batch * length, hidden] states, MLM logits for the chosen positions and class logits', () => {
    const shapes = (head: ConstructorParameters<typeof Bert>[1]): number[][] => {
      const model = new Bert(bertConfig(TINY_BERT), head, fastOps);
      const params = model.layout.toTensors(model.layout.initialize(1));
      const out = tf.tidy(() => {
        const ids = tf.tensor2d(randomInts(3 * 12, 37, 5), [3, 12], 'int32');
        const mask = tf.tensor2d(Int32Array.from({ length: 36 }, (_, i) => (i % 12 < 9 ? 1 : 0)), [3, 12], 'int32');
        const hidden = model.encode(params, { ids, attentionMask: mask }, true, new Rng(1));
        const logits = head.kind === 'mlm'
          ? model.mlmLogits(params, hidden, tf.tensor1d([0, 5, 30], 'int32'))
          : model.classify(params, hidden, 3, mask, true, new Rng(2));
        return [hidden.shape, logits.shape];
      });
      tf.dispose(params);
      return out;
    };
    expect(shapes({ kind: 'mlm' })).toEqual([[36, 16], [3, 37]]);
    expect(shapes({ kind: 'classification', numClasses: 2, pooling: 'cls' })).toEqual([[36, 16], [3, 2]]);
    expect(shapes({ kind: 'classification', numClasses: 5, pooling: 'mean' })).toEqual([[36, 16], [3, 5]]);
  });

  it('ignores padded positions: what padding holds does not change the real tokens', () => {
    const model = new Bert(bertConfig({ ...TINY_BERT, hiddenDropout: 0, attentionDropout: 0 }), { kind: 'mlm' }, fastOps);
    const params = model.layout.toTensors(model.layout.initialize(2));
    const mask = Int32Array.from({ length: 10 }, (_, i) => (i < 6 ? 1 : 0));
    const run = (padId: number): Float32Array =>
      tf.tidy(() => {
        const ids = Int32Array.from({ length: 10 }, (_, i) => (i < 6 ? 5 + i : padId));
        const h = model.encode(params, { ids: tf.tensor2d(ids, [1, 10], 'int32'), attentionMask: tf.tensor2d(mask, [1, 10], 'int32') }, false, new Rng(0));
        return Float32Array.from(tf.slice(h, [0, 0], [6, 16]).dataSync());
      });
    expectClose([run(0)], [run(30)], 1e-5);
    tf.dispose(params);
  });
});

describe('seeded initialization', () => {
  it('gives the same weights for the same seed and different ones for another', () => {
    const layout = new ParamLayout(bertParamSpecs(bertConfig(TINY_BERT), { kind: 'mlm' }));
    const a = layout.initialize(7);
    expect(layout.initialize(7)).toEqual(a);
    expect(layout.initialize(8)).not.toEqual(a);
    const ln = layout.get('bert.encoder.layer.1.output.LayerNorm.weight');
    expect([...a.subarray(ln.offset, ln.offset + ln.size)].every((v) => v === 1)).toBe(true);
    const q = layout.get('bert.encoder.layer.0.attention.self.query.weight');
    const values = a.subarray(q.offset, q.offset + q.size);
    const std = Math.sqrt(values.reduce((s, v) => s + v * v, 0) / values.length);
    expect(std).toBeGreaterThan(0.015);
    expect(std).toBeLessThan(0.025);
  });
});

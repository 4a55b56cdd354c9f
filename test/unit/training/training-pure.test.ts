/** The pure parts of training: settings validation, schedules, the validation hold-out, curves and the compare table. */
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../src-shared/api';
import { evaluateClassification } from '../../../src-shared/metrics';
import { balancedClassWeights, encodeCnn, epochOrder, stratifiedHoldOut } from '../../../src-main/training/data';
import { evaluationResult, probabilitiesOf, subsampleCurve } from '../../../src-main/training/evaluation';
import { learningRateAt } from '../../../src-main/training/fit';
import { bertPlan, cnnPlan } from '../../../src-main/training/model-plan';
import { compareTable } from '../../../src-main/training/run-repository';
import { armSettings, parseCompareSettings, parseTrainSettings } from '../../../src-main/training/settings';

const cnn = { datasetId: 1, model: { architecture: 'cnn' }, epochs: 2, batchSize: 8, learningRate: 0.001, seed: 1 };

describe('settings validation', () => {
  it('accepts complete settings and fills nothing it should not', () => {
    expect(parseTrainSettings(cnn)).toEqual(cnn);
  });

  it.each([
    [{ ...cnn, datasetId: 'x' }, /dataset/],
    [{ ...cnn, epochs: 0 }, /epochs/],
    [{ ...cnn, learningRate: -1 }, /learning rate/],
    [{ ...cnn, model: { architecture: 'rnn' } }, /architecture/],
    [{ ...cnn, model: { architecture: 'bert', preset: 'huge', init: { from: 'random' } } }, /preset/],
    [{ ...cnn, model: { architecture: 'bert', k: 7, init: { from: 'random' } } }, /k/],
    [{ ...cnn, model: { architecture: 'bert', hidden: 30, heads: 4, init: { from: 'random' } } }, /multiple/],
    [{ ...cnn, validationFraction: 0 }, /validation fraction/],
    [null, /object/],
  ])('refuses %j', (value, message) => {
    expect(() => parseTrainSettings(value)).toThrow(ApiError);
    expect(() => parseTrainSettings(value)).toThrow(message);
  });

  it('builds each arm of a compare experiment with seed + repeat', () => {
    const c = parseCompareSettings({ datasetId: 1, arms: ['cnn', 'bert-pretrained'], pretrainedModelId: 4, repeats: 2, seed: 10 });
    expect(armSettings(c, 'cnn', 1).seed).toBe(11);
    expect(armSettings(c, 'bert-pretrained', 0).model).toMatchObject({ architecture: 'bert', init: { from: 'model', modelId: 4 } });
    expect(() => parseCompareSettings({ datasetId: 1, arms: ['bert-pretrained'], repeats: 1 })).toThrow(/pretrained model/);
    expect(() => parseCompareSettings({ datasetId: 1, arms: ['cnn', 'cnn'], repeats: 1 })).toThrow(/once/);
  });
});

describe('model plans', () => {
  it('sizes the CNN to the longest sequence and uses one logit for two classes', () => {
    const p = cnnPlan({ architecture: 'cnn' }, ['a', 'b'], 251);
    expect(p.input).toEqual({ kind: 'cnn', length: 251 });
    expect(p.outputs).toBe(1);
    expect(cnnPlan({ architecture: 'cnn' }, ['a', 'b', 'c'], 5000).input).toEqual({ kind: 'cnn', length: 1000 });
  });

  it('fits the k-mers of the longest sequence plus [CLS] and [SEP], and freezes what the mode says', () => {
    const p = bertPlan({ architecture: 'bert', preset: 'cpu-quick', fineTune: { mode: 'top-layers', layers: 1 } }, ['a', 'b'], 101);
    expect(p.input).toEqual({ kind: 'kmer', k: 6, maxTokens: 98 });
    expect(p.frozenPrefixes).toEqual(['bert.embeddings.', 'bert.encoder.layer.0.', 'bert.encoder.layer.1.', 'bert.encoder.layer.2.']);
  });
});

describe('data', () => {
  it('holds out a seeded stratified fraction of each class', () => {
    const labels = [...Array<number>(80).fill(0), ...Array<number>(20).fill(1)];
    const a = stratifiedHoldOut(labels, 0.1, 3);
    expect(a.held.filter((i) => labels[i] === 0)).toHaveLength(8);
    expect(a.held.filter((i) => labels[i] === 1)).toHaveLength(2);
    expect(stratifiedHoldOut(labels, 0.1, 3)).toEqual(a);
    expect(stratifiedHoldOut(labels, 0.1, 4).held).not.toEqual(a.held);
  });

  it('shuffles per epoch as a function of seed and epoch only', () => {
    expect(epochOrder(50, 1, 2)).toEqual(epochOrder(50, 1, 2));
    expect(epochOrder(50, 1, 2)).not.toEqual(epochOrder(50, 1, 3));
    expect([...epochOrder(50, 1, 2)].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
  });

  it('encodes bases for the CNN, cutting and padding', () => {
    expect([...encodeCnn(['ACGTNa', 'GG'], { kind: 'cnn', length: 4 })]).toEqual([0, 1, 2, 3, 2, 2, 5, 5]);
  });

  it('weights classes as scikit-learn does', () => {
    expect(balancedClassWeights([0, 0, 0, 1], 2)).toEqual([4 / 6, 2]);
  });
});

describe('schedules', () => {
  it('warms up linearly, then decays linearly or by cosine', () => {
    expect(learningRateAt(1, 0, 100, 0.1, 'linear')).toBeCloseTo(0.1);
    expect(learningRateAt(1, 9, 100, 0.1, 'linear')).toBeCloseTo(1);
    expect(learningRateAt(1, 55, 100, 0.1, 'linear')).toBeCloseTo(0.5);
    expect(learningRateAt(1, 55, 100, 0.1, 'cosine')).toBeCloseTo(0.5);
    expect(learningRateAt(1, 50, 100, 0, 'constant')).toBe(1);
  });
});

describe('evaluation', () => {
  it('turns one logit into two-class probabilities and evaluates them as evaluateClassification', () => {
    const labels = Int32Array.from([0, 1, 1, 0, 1]);
    const { probabilities, loss } = probabilitiesOf(Float32Array.from([-2, 1, 0.5, 0.3, -0.1]), 1, labels);
    expect(loss).toBeGreaterThan(0);
    const r = evaluationResult('test', ['n', 'p'], labels, probabilities);
    const ref = evaluateClassification(labels, probabilities, 2);
    expect(r.accuracy).toBe(ref.accuracy);
    expect(r.mcc).toBe(ref.mcc);
    expect(r.roc?.x[0]).toBe(0);
  });

  it('subsamples curves to at most 200 points, keeping the ends', () => {
    const x = Array.from({ length: 1000 }, (_, i) => i);
    const c = subsampleCurve(x, x);
    expect(c.x).toHaveLength(200);
    expect(c.x[0]).toBe(0);
    expect(c.x[199]).toBe(999);
  });

  it('summarises repeats as mean and sample standard deviation', () => {
    const t = (accuracy: number) => ({ accuracy, f1: 0.5, mcc: 0.1, rocAuc: null, prAuc: 0.7 }) as never;
    const table = compareTable(['cnn'], [{ arm: 'cnn', test: t(0.8) }, { arm: 'cnn', test: t(0.9) }]);
    const acc = table.find((r) => r.metric === 'accuracy');
    expect(acc?.mean).toBeCloseTo(0.85);
    expect(acc?.sd).toBeCloseTo(Math.sqrt(0.005));
    expect(table.find((r) => r.metric === 'rocAuc')).toBeUndefined();
  });
});

import { describe, expect, it } from 'vitest';
import {
  accuracy,
  averagePrecision,
  averagePrecisionOneVsRest,
  binaryPrecisionRecallF1,
  chooseThreshold,
  classScores,
  confusionMatrix,
  evaluateClassification,
  matthewsCorrcoef,
  oneVsRest,
  precisionRecallCurve,
  precisionRecallF1,
  predictLabels,
  rocAuc,
  rocAucOneVsRest,
  rocCurve,
  thresholdCounts,
} from '../../../src-shared/metrics';

describe('label metrics', () => {
  const yTrue = [1, 1, 0, 0, 1];
  const yPred = [1, 0, 0, 1, 1];

  it('counts the confusion matrix with true classes as rows', () => {
    expect(confusionMatrix(yTrue, yPred, 2)).toEqual([
      [1, 1],
      [1, 2],
    ]);
    expect(accuracy(yTrue, yPred)).toBeCloseTo(0.6, 15);
  });

  it('gives precision, recall and F1 of the positive class and MCC for two classes', () => {
    const s = binaryPrecisionRecallF1(yTrue, yPred);
    expect(s.precision).toBeCloseTo(2 / 3, 15);
    expect(s.recall).toBeCloseTo(2 / 3, 15);
    expect(s.f1).toBeCloseTo(2 / 3, 15);
    expect(s.support).toBe(3);
    expect(matthewsCorrcoef(yTrue, yPred, 2)).toBeCloseTo((2 * 1 - 1 * 1) / Math.sqrt(3 * 3 * 2 * 2), 15);
  });

  it('scores a class that is never predicted with precision 0, and averages over every class', () => {
    const r = precisionRecallF1([0, 1, 2, 2], [0, 1, 1, 1], 3);
    expect(r.perClass[2]).toEqual({ precision: 0, recall: 0, f1: 0, support: 2 });
    expect(r.perClass[1]).toEqual({ precision: 1 / 3, recall: 1, f1: 0.5, support: 1 });
    expect(r.macro.precision).toBeCloseTo((1 + 1 / 3 + 0) / 3, 15);
    expect(r.weighted.recall).toBeCloseTo((1 * 1 + 1 * 1 + 0 * 2) / 4, 15);
  });

  it('returns MCC 0 when it is undefined (one true or one predicted class)', () => {
    expect(matthewsCorrcoef([0, 0, 0], [0, 1, 0], 2)).toBe(0);
    expect(matthewsCorrcoef([0, 1, 2], [1, 1, 1], 3)).toBe(0);
    expect(matthewsCorrcoef([0, 1, 2], [0, 1, 2], 3)).toBe(1);
  });

  it('refuses labels outside 0..numClasses-1, mismatched lengths and empty input', () => {
    expect(() => confusionMatrix([0, 3], [0, 1], 3)).toThrow(/true label 1 is 3/);
    expect(() => confusionMatrix([0, 1.5], [0, 1], 3)).toThrow(RangeError);
    expect(() => confusionMatrix([0, 1], [0], 2)).toThrow(/do not match/);
    expect(() => accuracy([], [])).toThrow(/no samples/);
    expect(() => confusionMatrix([0], [0], 1)).toThrow(/at least 2/);
  });
});

describe('predictLabels', () => {
  it('predicts class 1 when its probability reaches the threshold', () => {
    const probs = new Float32Array([0.5, 0.5, 0.8, 0.2, 0.3, 0.7]);
    expect(Array.from(predictLabels(probs, 2))).toEqual([1, 0, 1]);
    expect(Array.from(predictLabels(probs, 2, { threshold: 0.6 }))).toEqual([0, 0, 1]);
  });

  it('takes the most probable class for more classes, the lowest index on a tie', () => {
    expect(Array.from(predictLabels([0.2, 0.4, 0.4, 0.5, 0.1, 0.4], 3))).toEqual([1, 0]);
    expect(() => predictLabels([0.2, 0.4, 0.4], 3, { threshold: 0.5 })).toThrow(/two classes only/);
    expect(() => predictLabels([0.2, NaN], 2)).toThrow(/finite/);
    expect(() => predictLabels([0.2, 0.3, 0.5], 2)).toThrow(/multiple of 2/);
  });
});

describe('ranking metrics (the examples of the scikit-learn documentation)', () => {
  const y = [0, 0, 1, 1];
  const scores = [0.1, 0.4, 0.35, 0.8];

  it('computes the ROC curve from the top threshold down, starting at Infinity', () => {
    expect(rocCurve(y, scores)).toEqual({
      fpr: [0, 0, 0.5, 0.5, 1],
      tpr: [0, 0.5, 0.5, 1, 1],
      thresholds: [Infinity, 0.8, 0.4, 0.35, 0.1],
    });
    expect(rocAuc(y, scores)).toBe(0.75);
  });

  it('computes the precision-recall curve with increasing thresholds and a last point (0, 1)', () => {
    const pr = precisionRecallCurve(y, scores);
    expect(pr?.thresholds).toEqual([0.1, 0.35, 0.4, 0.8]);
    expect(pr?.recall).toEqual([1, 1, 0.5, 0.5, 0]);
    expect(pr?.precision.map((v) => Number(v.toFixed(12)))).toEqual([0.5, 0.666666666667, 0.5, 1, 1]);
    expect(averagePrecision(y, scores)).toBeCloseTo(0.8333333333333333, 15);
  });

  it('makes one point of tied scores and counts a tie as half in the AUC', () => {
    expect(rocAuc([0, 1], [0.5, 0.5])).toBe(0.5);
    const counts = thresholdCounts([1, 0, 1, 0, 1], [0.9, 0.5, 0.5, 0.5, 0.1]);
    expect(Array.from(counts.thresholds)).toEqual([0.9, 0.5, 0.1]);
    expect(Array.from(counts.tps)).toEqual([1, 2, 3]);
    expect(Array.from(counts.fps)).toEqual([0, 2, 2]);
  });

  it('drops collinear ROC points only when asked', () => {
    const yy = [1, 1, 1, 0, 0, 0];
    const ss = [0.9, 0.8, 0.7, 0.3, 0.2, 0.1];
    expect(rocCurve(yy, ss)?.thresholds).toHaveLength(7);
    expect(rocCurve(yy, ss, { dropIntermediate: true })?.thresholds).toEqual([Infinity, 0.9, 0.7, 0.1]);
  });

  it('returns null where a score is undefined: one class only', () => {
    expect(rocAuc([0, 0], [0.1, 0.2])).toBeNull();
    expect(rocCurve([1, 1], [0.1, 0.2])).toBeNull();
    expect(averagePrecision([0, 0], [0.1, 0.2])).toBeNull();
    expect(precisionRecallCurve([0, 0], [0.1, 0.2])).toBeNull();
    expect(averagePrecision([1, 1], [0.1, 0.2])).toBe(1);
    expect(chooseThreshold([1, 1], [0.1, 0.2])).toBeNull();
  });

  it('refuses non-binary labels and non-finite scores', () => {
    expect(() => rocAuc([0, 2], [0.1, 0.2])).toThrow(RangeError);
    expect(() => rocAuc([0, 1], [0.1, Infinity])).toThrow(/finite/);
  });

  it('averages one-vs-rest scores over classes, null when a class has no sample', () => {
    const labels = [0, 1, 2, 2];
    const probs = [0.8, 0.1, 0.1, 0.2, 0.7, 0.1, 0.1, 0.2, 0.7, 0.3, 0.3, 0.4];
    const auc = rocAucOneVsRest(labels, probs, 3);
    expect(auc.perClass).toEqual([1, 1, 1]);
    expect(auc.macro).toBe(1);
    const missing = rocAucOneVsRest([0, 1, 1, 0], probs, 3);
    expect(missing.perClass[2]).toBeNull();
    expect(missing.macro).toBeNull();
    expect(averagePrecisionOneVsRest([0, 1, 1, 0], probs, 3).macro).toBeNull();
    const ovr = oneVsRest(labels, probs, 3, 2);
    expect(Array.from(ovr.labels)).toEqual([0, 0, 1, 1]);
    expect(Array.from(ovr.scores)).toEqual([0.1, 0.1, 0.7, 0.4]);
    expect(Array.from(classScores(probs, 3, 0))).toEqual([0.8, 0.2, 0.1, 0.3]);
  });
});

describe('chooseThreshold', () => {
  it('finds the threshold that maximises F1, Youden J or MCC', () => {
    const y = [0, 0, 1, 0, 1, 1];
    const s = [0.1, 0.2, 0.3, 0.4, 0.6, 0.9];
    expect(chooseThreshold(y, s, 'f1')).toEqual({ threshold: 0.3, value: 6 / 7 });
    expect(chooseThreshold(y, s, 'youden')?.threshold).toBe(0.6);
    expect(chooseThreshold(y, s, 'youden')?.value).toBeCloseTo(2 / 3, 15);
    expect(chooseThreshold(y, s, 'mcc')?.threshold).toBe(0.6);
  });
});

describe('evaluateClassification', () => {
  it('reports binary metrics at the chosen threshold', () => {
    const labels = new Int32Array([0, 0, 1, 1]);
    const probs = new Float32Array([0.9, 0.1, 0.6, 0.4, 0.65, 0.35, 0.2, 0.8]);
    const r = evaluateClassification(labels, probs, 2);
    expect(r.threshold).toBe(0.5);
    expect(r.confusionMatrix).toEqual([
      [2, 0],
      [1, 1],
    ]);
    expect(r.binary).toEqual({ precision: 1, recall: 0.5, f1: 2 / 3, support: 2 });
    expect(r.accuracy).toBe(0.75);
    expect(r.rocAuc).toBe(0.75);
    expect(r.perClassRocAuc[1]).toBe(0.75);
    const low = evaluateClassification(labels, probs, 2, { threshold: 0.3 });
    expect(low.threshold).toBe(0.3);
    expect(low.binary?.recall).toBe(1);
  });

  it('reports macro and weighted scores without a threshold for more classes', () => {
    const r = evaluateClassification([0, 1, 2, 2], [0.8, 0.1, 0.1, 0.2, 0.7, 0.1, 0.1, 0.2, 0.7, 0.3, 0.3, 0.4], 3);
    expect(r.threshold).toBeNull();
    expect(r.binary).toBeNull();
    expect(r.accuracy).toBe(1);
    expect(r.macro).toEqual({ precision: 1, recall: 1, f1: 1 });
    expect(r.mcc).toBe(1);
    expect(r.rocAuc).toBe(1);
    expect(r.averagePrecision).toBe(1);
  });

  it('refuses a probability matrix of the wrong size', () => {
    expect(() => evaluateClassification([0, 1], [0.5, 0.5, 0.5], 2)).toThrow(/expected 2 samples x 2 classes/);
  });
});

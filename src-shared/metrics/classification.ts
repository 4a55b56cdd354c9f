/**
 * Metrics on predicted labels, as scikit-learn computes them with `labels=range(numClasses)` and `zero_division=0`:
 * a class that is never predicted has precision 0, a class with no true sample has recall 0, and F1 is 0 when
 * precision and recall are both 0.
 */
import { checkLabels, checkNumClasses, checkSameLength, type Labels } from './input';

/** `matrix[t][p]`: samples of true class t predicted as p (rows true, columns predicted, as sklearn's). */
export type ConfusionMatrix = number[][];

export interface ClassScores {
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  /** True samples of the class. */
  readonly support: number;
}

export interface AveragedScores {
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
}

export interface PrecisionRecallF1 {
  /** Index = class. */
  readonly perClass: readonly ClassScores[];
  /** Unweighted mean over all numClasses classes (sklearn `average='macro'` with `labels=range(numClasses)`). */
  readonly macro: AveragedScores;
  /** Mean weighted by support (sklearn `average='weighted'`). */
  readonly weighted: AveragedScores;
}

function checkPair(yTrue: Labels, yPred: Labels, numClasses: number): void {
  checkNumClasses(numClasses);
  checkSameLength(yTrue, yPred, 'true and predicted labels');
  checkLabels(yTrue, numClasses, 'true label');
  checkLabels(yPred, numClasses, 'predicted label');
}

export function confusionMatrix(yTrue: Labels, yPred: Labels, numClasses: number): ConfusionMatrix {
  checkPair(yTrue, yPred, numClasses);
  const matrix = Array.from({ length: numClasses }, () => new Array<number>(numClasses).fill(0));
  for (let i = 0; i < yTrue.length; i++) {
    const row = matrix[yTrue[i] ?? 0];
    if (row) row[yPred[i] ?? 0] = (row[yPred[i] ?? 0] ?? 0) + 1;
  }
  return matrix;
}

const cell = (m: ConfusionMatrix, t: number, p: number): number => m[t]?.[p] ?? 0;
const ratio = (num: number, den: number): number => (den === 0 ? 0 : num / den);

/** Fraction of samples whose predicted label is the true one. */
export function accuracyFromConfusion(m: ConfusionMatrix): number {
  let correct = 0;
  let total = 0;
  m.forEach((row, t) => {
    row.forEach((v) => (total += v));
    correct += row[t] ?? 0;
  });
  return ratio(correct, total);
}

export function accuracy(yTrue: Labels, yPred: Labels): number {
  checkSameLength(yTrue, yPred, 'true and predicted labels');
  if (yTrue.length === 0) throw new RangeError('no samples to evaluate');
  let correct = 0;
  for (let i = 0; i < yTrue.length; i++) if (yTrue[i] === yPred[i]) correct++;
  return correct / yTrue.length;
}

/** Precision, recall and F1 of one class from the confusion matrix. */
export function classScoresFromConfusion(m: ConfusionMatrix, c: number): ClassScores {
  const tp = cell(m, c, c);
  let predicted = 0;
  let support = 0;
  for (let j = 0; j < m.length; j++) {
    predicted += cell(m, j, c);
    support += cell(m, c, j);
  }
  const fp = predicted - tp;
  const fn = support - tp;
  return { precision: ratio(tp, predicted), recall: ratio(tp, support), f1: ratio(2 * tp, 2 * tp + fp + fn), support };
}

export function precisionRecallF1FromConfusion(m: ConfusionMatrix): PrecisionRecallF1 {
  const perClass = m.map((_, c) => classScoresFromConfusion(m, c));
  const total = perClass.reduce((a, s) => a + s.support, 0);
  const average = (weight: (s: ClassScores) => number, norm: number): AveragedScores => ({
    precision: ratio(
      perClass.reduce((a, s) => a + weight(s) * s.precision, 0),
      norm,
    ),
    recall: ratio(
      perClass.reduce((a, s) => a + weight(s) * s.recall, 0),
      norm,
    ),
    f1: ratio(
      perClass.reduce((a, s) => a + weight(s) * s.f1, 0),
      norm,
    ),
  });
  return { perClass, macro: average(() => 1, perClass.length), weighted: average((s) => s.support, total) };
}

/** Per-class, macro and weighted precision, recall and F1. */
export function precisionRecallF1(yTrue: Labels, yPred: Labels, numClasses: number): PrecisionRecallF1 {
  return precisionRecallF1FromConfusion(confusionMatrix(yTrue, yPred, numClasses));
}

/** Binary precision, recall and F1 of the positive class 1 (sklearn `average='binary'`, `pos_label=1`). */
export function binaryPrecisionRecallF1(yTrue: Labels, yPred: Labels): ClassScores {
  return classScoresFromConfusion(confusionMatrix(yTrue, yPred, 2), 1);
}

/**
 * Matthews correlation coefficient from the confusion matrix, with sklearn's multi-class generalisation (Gorodkin's
 * R_K), which for two classes is the usual (tp*tn - fp*fn) / sqrt(...). 0 when it is undefined (all samples in one
 * true class, or all predicted as one class), as sklearn returns.
 */
export function mccFromConfusion(m: ConfusionMatrix): number {
  const k = m.length;
  let correct = 0;
  let n = 0;
  const t = new Array<number>(k).fill(0);
  const p = new Array<number>(k).fill(0);
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      const v = cell(m, i, j);
      t[i] = (t[i] ?? 0) + v;
      p[j] = (p[j] ?? 0) + v;
      n += v;
      if (i === j) correct += v;
    }
  }
  let tp = 0;
  let pp = 0;
  let tt = 0;
  for (let i = 0; i < k; i++) {
    tp += (t[i] ?? 0) * (p[i] ?? 0);
    pp += (p[i] ?? 0) * (p[i] ?? 0);
    tt += (t[i] ?? 0) * (t[i] ?? 0);
  }
  const covTP = correct * n - tp;
  const covPP = n * n - pp;
  const covTT = n * n - tt;
  return covPP * covTT === 0 ? 0 : covTP / Math.sqrt(covTT * covPP);
}

export function matthewsCorrcoef(yTrue: Labels, yPred: Labels, numClasses: number): number {
  return mccFromConfusion(confusionMatrix(yTrue, yPred, numClasses));
}

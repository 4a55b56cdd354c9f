/**
 * Threshold-free metrics on scores: ROC and precision-recall curves, ROC-AUC and average precision, as scikit-learn
 * defines them. Labels are binary (1 positive, 0 negative); a sample is predicted positive at threshold t when its
 * score is >= t. Tied scores form one point (sklearn's `_binary_clf_curve`).
 *
 * Curves are `number[]`s, ready for JSON and charts, in sklearn's order:
 * - ROC: thresholds decreasing, starting at Infinity (the point (0, 0), sklearn >= 1.3; 1.2 put max score + 1 there).
 *   All distinct scores are kept unless `dropIntermediate` (sklearn's default, true there) drops collinear points.
 * - Precision-recall: thresholds increasing, and one last point (recall 0, precision 1) that has no threshold
 *   (sklearn >= 1.1, which keeps the thresholds below the one that reaches full recall).
 */
import { checkBinaryLabels, checkFinite, checkLabels, checkNumClasses, checkProbabilities, checkSameLength, oneVsRest } from './input';
import type { Labels, ProbabilityMatrix, Scores } from './input';

export interface ThresholdCounts {
  /** Distinct scores, decreasing. */
  readonly thresholds: Float64Array;
  /** Positives scoring >= thresholds[i]. */
  readonly tps: Float64Array;
  /** Negatives scoring >= thresholds[i]. */
  readonly fps: Float64Array;
  readonly positives: number;
  readonly negatives: number;
}

export interface RocCurve {
  readonly fpr: number[];
  readonly tpr: number[];
  readonly thresholds: number[];
}

export interface PrecisionRecallCurve {
  readonly precision: number[];
  readonly recall: number[];
  /** One fewer than points: the last point (recall 0, precision 1) has none. */
  readonly thresholds: number[];
}

export interface RocCurveOptions {
  /** Drop the points that lie on a straight segment, as sklearn's `drop_intermediate=True`. Default false. */
  readonly dropIntermediate?: boolean;
}

function checkBinary(yTrue: Labels, scores: Scores): void {
  checkSameLength(yTrue, scores, 'labels and scores');
  checkBinaryLabels(yTrue);
  checkFinite(scores, 'score');
}

/**
 * True and false positives at every distinct score. The scores of each class are sorted apart (typed-array sorts
 * are native) and merged from the top.
 */
export function thresholdCounts(yTrue: Labels, scores: Scores): ThresholdCounts {
  checkBinary(yTrue, scores);
  let positives = 0;
  for (let i = 0; i < yTrue.length; i++) positives += yTrue[i] === 1 ? 1 : 0;
  const negatives = yTrue.length - positives;
  const pos = new Float64Array(positives);
  const neg = new Float64Array(negatives);
  for (let i = 0, a = 0, b = 0; i < yTrue.length; i++) {
    if (yTrue[i] === 1) pos[a++] = scores[i] ?? 0;
    else neg[b++] = scores[i] ?? 0;
  }
  pos.sort();
  neg.sort();
  const thresholds: number[] = [];
  const tps: number[] = [];
  const fps: number[] = [];
  let a = positives - 1;
  let b = negatives - 1;
  while (a >= 0 || b >= 0) {
    const t = Math.max(a >= 0 ? (pos[a] ?? 0) : -Infinity, b >= 0 ? (neg[b] ?? 0) : -Infinity);
    while (a >= 0 && pos[a] === t) a--;
    while (b >= 0 && neg[b] === t) b--;
    thresholds.push(t);
    tps.push(positives - 1 - a);
    fps.push(negatives - 1 - b);
  }
  return { thresholds: Float64Array.from(thresholds), tps: Float64Array.from(tps), fps: Float64Array.from(fps), positives, negatives };
}

/** ROC curve points; null when only one class is present (rates undefined, sklearn returns NaN). */
export function rocCurve(yTrue: Labels, scores: Scores, options: RocCurveOptions = {}): RocCurve | null {
  const c = thresholdCounts(yTrue, scores);
  if (c.positives === 0 || c.negatives === 0) return null;
  let keep = Array.from(c.thresholds.keys());
  if (options.dropIntermediate === true && keep.length > 2) {
    const second = (v: Float64Array, i: number): number => (v[i + 1] ?? 0) - 2 * (v[i] ?? 0) + (v[i - 1] ?? 0);
    keep = keep.filter((i) => i === 0 || i === keep.length - 1 || second(c.fps, i) !== 0 || second(c.tps, i) !== 0);
  }
  return {
    fpr: [0, ...keep.map((i) => (c.fps[i] ?? 0) / c.negatives)],
    tpr: [0, ...keep.map((i) => (c.tps[i] ?? 0) / c.positives)],
    thresholds: [Infinity, ...keep.map((i) => c.thresholds[i] ?? 0)],
  };
}

/** Area under the ROC curve from counts (trapezoids in integer arithmetic, one division); null when undefined. */
export function rocAucFromCounts(c: ThresholdCounts): number | null {
  if (c.positives === 0 || c.negatives === 0) return null;
  let area = 0;
  let prevTp = 0;
  let prevFp = 0;
  for (let i = 0; i < c.thresholds.length; i++) {
    const tp = c.tps[i] ?? 0;
    const fp = c.fps[i] ?? 0;
    area += (fp - prevFp) * (tp + prevTp);
    prevTp = tp;
    prevFp = fp;
  }
  return area / (2 * c.positives * c.negatives);
}

/** ROC-AUC of binary labels (sklearn `roc_auc_score`); null when only one class is present. */
export function rocAuc(yTrue: Labels, scores: Scores): number | null {
  return rocAucFromCounts(thresholdCounts(yTrue, scores));
}

/**
 * Precision-recall curve; null when there is no positive sample (recall undefined; sklearn sets it to 1 and warns).
 * Precision at a threshold that nothing reaches would be 0/0, but every threshold is a score, so it never happens.
 */
export function precisionRecallCurve(yTrue: Labels, scores: Scores): PrecisionRecallCurve | null {
  const c = thresholdCounts(yTrue, scores);
  if (c.positives === 0) return null;
  const precision: number[] = [];
  const recall: number[] = [];
  const thresholds: number[] = [];
  for (let i = c.thresholds.length - 1; i >= 0; i--) {
    const tp = c.tps[i] ?? 0;
    precision.push(tp / (tp + (c.fps[i] ?? 0)));
    recall.push(tp / c.positives);
    thresholds.push(c.thresholds[i] ?? 0);
  }
  precision.push(1);
  recall.push(0);
  return { precision, recall, thresholds };
}

/**
 * Average precision (sklearn `average_precision_score`): sum over thresholds of (R_n - R_(n-1)) * P_n, the step-wise
 * area under the precision-recall curve, no interpolation. Null when there is no positive sample (sklearn warns and
 * returns 0 there).
 */
export function averagePrecisionFromCounts(c: ThresholdCounts): number | null {
  if (c.positives === 0) return null;
  let sum = 0;
  let prevTp = 0;
  for (let i = 0; i < c.thresholds.length; i++) {
    const tp = c.tps[i] ?? 0;
    if (tp !== prevTp) sum += (tp - prevTp) * (tp / (tp + (c.fps[i] ?? 0)));
    prevTp = tp;
  }
  return sum / c.positives;
}

export function averagePrecision(yTrue: Labels, scores: Scores): number | null {
  return averagePrecisionFromCounts(thresholdCounts(yTrue, scores));
}

export interface OneVsRest {
  /** Mean over classes; null when any class's score is undefined (sklearn raises for ROC-AUC then). */
  readonly macro: number | null;
  /** Index = class: that class against all others. */
  readonly perClass: readonly (number | null)[];
}

function oneVsRestScore(
  yTrue: Labels,
  probabilities: ProbabilityMatrix,
  numClasses: number,
  score: (c: ThresholdCounts) => number | null,
): OneVsRest {
  checkNumClasses(numClasses);
  checkLabels(yTrue, numClasses);
  checkProbabilities(yTrue, probabilities, numClasses);
  const perClass: (number | null)[] = [];
  for (let c = 0; c < numClasses; c++) {
    const ovr = oneVsRest(yTrue, probabilities, numClasses, c);
    perClass.push(score(thresholdCounts(ovr.labels, ovr.scores)));
  }
  const macro = perClass.some((v) => v === null) ? null : perClass.reduce<number>((a, v) => a + (v ?? 0), 0) / numClasses;
  return { macro, perClass };
}

/**
 * One-vs-rest ROC-AUC of every class and their unweighted mean (sklearn `roc_auc_score(multi_class='ovr',
 * average='macro')`; sklearn also insists that rows sum to 1, this does not).
 */
export function rocAucOneVsRest(yTrue: Labels, probabilities: ProbabilityMatrix, numClasses: number): OneVsRest {
  return oneVsRestScore(yTrue, probabilities, numClasses, rocAucFromCounts);
}

/** One-vs-rest average precision of every class and their unweighted mean (sklearn `average_precision_score` on
 * binarized labels, `average='macro'`). */
export function averagePrecisionOneVsRest(yTrue: Labels, probabilities: ProbabilityMatrix, numClasses: number): OneVsRest {
  return oneVsRestScore(yTrue, probabilities, numClasses, averagePrecisionFromCounts);
}

/** Values this close count as a tie (MCC can round differently for mathematically equal values). */
const TIE_TOLERANCE = 1e-12;

export type ThresholdCriterion = 'f1' | 'youden' | 'mcc';

export interface ThresholdChoice {
  /** Predict positive when score >= threshold. */
  readonly threshold: number;
  /** The criterion's value there. */
  readonly value: number;
}

/**
 * The score threshold that maximises a criterion on these labels: F1 of the positive class, Youden's J
 * (TPR - FPR) or MCC. Candidates are the distinct scores; on a tie (within 1e-12) the highest threshold wins. Null
 * when only one class is present. Choose it on validation data, not on the test set it will be reported on.
 */
export function chooseThreshold(yTrue: Labels, scores: Scores, criterion: ThresholdCriterion = 'f1'): ThresholdChoice | null {
  const c = thresholdCounts(yTrue, scores);
  const P = c.positives;
  const N = c.negatives;
  if (P === 0 || N === 0) return null;
  const value = (tp: number, fp: number): number => {
    const fn = P - tp;
    const tn = N - fp;
    if (criterion === 'f1') return (2 * tp) / (2 * tp + fp + fn);
    // One division of integers, so that thresholds with equal J compare equal.
    if (criterion === 'youden') return (tp * N - fp * P) / (P * N);
    const den = (tp + fp) * (tp + fn) * (tn + fp) * (tn + fn);
    return den === 0 ? 0 : (tp * tn - fp * fn) / Math.sqrt(den);
  };
  let best: ThresholdChoice | null = null;
  for (let i = 0; i < c.thresholds.length; i++) {
    const v = value(c.tps[i] ?? 0, c.fps[i] ?? 0);
    if (best === null || v > best.value + TIE_TOLERANCE) best = { threshold: c.thresholds[i] ?? 0, value: v };
  }
  return best;
}

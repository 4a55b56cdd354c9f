/**
 * Every classification metric the app shows for one evaluation, from true labels and predicted probabilities.
 */
import {
  accuracyFromConfusion,
  classScoresFromConfusion,
  confusionMatrix,
  mccFromConfusion,
  precisionRecallF1FromConfusion,
  type AveragedScores,
  type ClassScores,
  type ConfusionMatrix,
} from './classification';
import { DEFAULT_THRESHOLD, checkLabels, checkNumClasses, checkProbabilities, classScores, predictLabels } from './input';
import type { Labels, PredictOptions, ProbabilityMatrix } from './input';
import { averagePrecisionOneVsRest, averagePrecisionFromCounts, rocAucFromCounts, rocAucOneVsRest, thresholdCounts } from './ranking';

export interface ClassificationReport {
  readonly numSamples: number;
  readonly numClasses: number;
  /** The class-1 probability threshold used for the predictions (two classes); null for argmax (more classes). */
  readonly threshold: number | null;
  readonly confusionMatrix: ConfusionMatrix;
  readonly accuracy: number;
  /** Two classes: precision, recall and F1 of the positive class 1. Null for more classes (see macro). */
  readonly binary: ClassScores | null;
  readonly perClass: readonly ClassScores[];
  readonly macro: AveragedScores;
  readonly weighted: AveragedScores;
  readonly mcc: number;
  /** Two classes: ROC-AUC of the class-1 probability; more: one-vs-rest macro. Null when undefined. */
  readonly rocAuc: number | null;
  /** Two classes: average precision (PR-AUC) of class 1; more: one-vs-rest macro. Null when undefined. */
  readonly averagePrecision: number | null;
  /** One-vs-rest per class (for two classes, class 1's entry equals rocAuc). */
  readonly perClassRocAuc: readonly (number | null)[];
  readonly perClassAveragePrecision: readonly (number | null)[];
}

/**
 * All metrics at once. `probabilities` is the row-major [n, numClasses] output of the model; predicted labels come
 * from `predictLabels` (threshold on class 1 for two classes, argmax otherwise).
 */
export function evaluateClassification(
  yTrue: Labels,
  probabilities: ProbabilityMatrix,
  numClasses: number,
  options: PredictOptions = {},
): ClassificationReport {
  checkNumClasses(numClasses);
  checkLabels(yTrue, numClasses);
  checkProbabilities(yTrue, probabilities, numClasses);
  const yPred = predictLabels(probabilities, numClasses, options);
  const matrix = confusionMatrix(yTrue, yPred, numClasses);
  const prf = precisionRecallF1FromConfusion(matrix);
  const rocOvr = rocAucOneVsRest(yTrue, probabilities, numClasses);
  const apOvr = averagePrecisionOneVsRest(yTrue, probabilities, numClasses);
  let rocAuc = rocOvr.macro;
  let averagePrecision = apOvr.macro;
  if (numClasses === 2) {
    const counts = thresholdCounts(yTrue, classScores(probabilities, 2, 1));
    rocAuc = rocAucFromCounts(counts);
    averagePrecision = averagePrecisionFromCounts(counts);
  }
  return {
    numSamples: yTrue.length,
    numClasses,
    threshold: numClasses === 2 ? (options.threshold ?? DEFAULT_THRESHOLD) : null,
    confusionMatrix: matrix,
    accuracy: accuracyFromConfusion(matrix),
    binary: numClasses === 2 ? classScoresFromConfusion(matrix, 1) : null,
    perClass: prf.perClass,
    macro: prf.macro,
    weighted: prf.weighted,
    mcc: mccFromConfusion(matrix),
    rocAuc,
    averagePrecision,
    perClassRocAuc: rocOvr.perClass,
    perClassAveragePrecision: apOvr.perClass,
  };
}

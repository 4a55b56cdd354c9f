/**
 * Shapes the metric functions take, their validation, and turning probabilities into predicted labels.
 *
 * Labels are class indices 0 .. numClasses - 1. Probabilities are a row-major [n, numClasses] matrix given flat
 * (a Float32Array straight from the model, or a number[]); row i holds sample i's class probabilities.
 */

/** Class indices, one per sample. */
export type Labels = ArrayLike<number>;
/** One score per sample (binary ranking metrics: the positive class's probability, or any score where higher means
 * more likely positive). */
export type Scores = ArrayLike<number>;
/** Row-major [n, numClasses] class probabilities, flat. */
export type ProbabilityMatrix = ArrayLike<number>;

export function checkNumClasses(numClasses: number): void {
  if (!Number.isInteger(numClasses) || numClasses < 2) {
    throw new RangeError(`numClasses must be an integer of at least 2; got ${String(numClasses)}`);
  }
}

/** Throws a RangeError unless there is at least one label and every one is an integer in 0 .. numClasses - 1. */
export function checkLabels(labels: Labels, numClasses: number, what = 'label'): void {
  if (labels.length === 0) throw new RangeError('no samples to evaluate');
  for (let i = 0; i < labels.length; i++) {
    const y = labels[i];
    if (y === undefined || !Number.isInteger(y) || y < 0 || y >= numClasses) {
      throw new RangeError(`${what} ${i} is ${String(y)}; expected an integer class index in 0..${numClasses - 1}`);
    }
  }
}

export function checkSameLength(a: ArrayLike<unknown>, b: ArrayLike<unknown>, what: string): void {
  if (a.length !== b.length) throw new RangeError(`${what}: ${a.length} and ${b.length} samples do not match`);
}

/** Throws a RangeError unless the matrix has numClasses finite values per label. */
export function checkProbabilities(labels: Labels, probabilities: ProbabilityMatrix, numClasses: number): void {
  if (probabilities.length !== labels.length * numClasses) {
    throw new RangeError(
      `probabilities hold ${probabilities.length} values; expected ${labels.length} samples x ${numClasses} classes = ${labels.length * numClasses}`,
    );
  }
  checkFinite(probabilities, 'probability');
}

export function checkFinite(values: ArrayLike<number>, what: string): void {
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === undefined || !Number.isFinite(v)) throw new RangeError(`${what} ${i} is ${String(v)}; expected a finite number`);
  }
}

/** Binary labels: 1 is the positive class, 0 the negative one. */
export function checkBinaryLabels(labels: Labels): void {
  checkLabels(labels, 2);
}

export interface PredictOptions {
  /**
   * Binary only: a sample is predicted positive (class 1) when its class-1 probability is >= threshold (default 0.5),
   * the same rule the ROC and precision-recall curves use for their thresholds.
   */
  readonly threshold?: number;
}

export const DEFAULT_THRESHOLD = 0.5;

/**
 * Predicted class per sample: for two classes, class-1 probability >= threshold; for more, the most probable class
 * (the lowest index on a tie, as numpy's argmax).
 */
export function predictLabels(probabilities: ProbabilityMatrix, numClasses: number, options: PredictOptions = {}): Int32Array {
  checkNumClasses(numClasses);
  if (probabilities.length % numClasses !== 0) {
    throw new RangeError(`probabilities hold ${probabilities.length} values, not a multiple of ${numClasses} classes`);
  }
  checkFinite(probabilities, 'probability');
  const n = probabilities.length / numClasses;
  const out = new Int32Array(n);
  if (numClasses === 2) {
    const threshold = options.threshold ?? DEFAULT_THRESHOLD;
    if (Number.isNaN(threshold)) throw new RangeError('threshold is NaN');
    for (let i = 0; i < n; i++) out[i] = (probabilities[2 * i + 1] ?? 0) >= threshold ? 1 : 0;
    return out;
  }
  if (options.threshold !== undefined) throw new RangeError('a threshold applies to two classes only');
  for (let i = 0; i < n; i++) {
    let best = 0;
    let bestValue = probabilities[i * numClasses] ?? 0;
    for (let c = 1; c < numClasses; c++) {
      const v = probabilities[i * numClasses + c] ?? 0;
      if (v > bestValue) {
        best = c;
        bestValue = v;
      }
    }
    out[i] = best;
  }
  return out;
}

/** Column `classIndex` of the probability matrix (for two classes, column 1 is the positive-class score). */
export function classScores(probabilities: ProbabilityMatrix, numClasses: number, classIndex = 1): Float64Array {
  checkNumClasses(numClasses);
  if (!Number.isInteger(classIndex) || classIndex < 0 || classIndex >= numClasses) {
    throw new RangeError(`class ${String(classIndex)} is not in 0..${numClasses - 1}`);
  }
  const n = Math.floor(probabilities.length / numClasses);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = probabilities[i * numClasses + classIndex] ?? NaN;
  return out;
}

/** One-vs-rest view of class `classIndex`: binary labels (1 for that class) and that class's probabilities. */
export function oneVsRest(
  labels: Labels,
  probabilities: ProbabilityMatrix,
  numClasses: number,
  classIndex: number,
): { labels: Uint8Array; scores: Float64Array } {
  const scores = classScores(probabilities, numClasses, classIndex);
  const binary = new Uint8Array(labels.length);
  for (let i = 0; i < labels.length; i++) binary[i] = labels[i] === classIndex ? 1 : 0;
  return { labels: binary, scores };
}

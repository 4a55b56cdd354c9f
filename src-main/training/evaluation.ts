/** Logits -> probabilities, loss and the EvaluationResult stored with a run (pure; no TensorFlow.js). */
import type { CurvePoints, EvaluationResult } from '../../src-shared/api';
import { classScores, evaluateClassification, precisionRecallCurve, rocCurve } from '../../src-shared/metrics';

/**
 * Row-major [n, classes] probabilities from [n, outputs] logits: one output is the class-1 logit (sigmoid), more are
 * softmax logits. Also the mean cross-entropy of the true labels (float64, numerically stable).
 */
export function probabilitiesOf(logits: Float32Array, outputs: number, labels: Int32Array): { probabilities: Float64Array; loss: number; classes: number } {
  const n = labels.length;
  const classes = outputs === 1 ? 2 : outputs;
  const probabilities = new Float64Array(n * classes);
  let loss = 0;
  for (let i = 0; i < n; i++) {
    const y = labels[i] ?? 0;
    if (outputs === 1) {
      const z = logits[i] ?? 0;
      const p = 1 / (1 + Math.exp(-z));
      probabilities[2 * i] = 1 - p;
      probabilities[2 * i + 1] = p;
      loss += Math.max(z, 0) - z * y + Math.log1p(Math.exp(-Math.abs(z)));
    } else {
      let max = -Infinity;
      for (let c = 0; c < outputs; c++) max = Math.max(max, logits[i * outputs + c] ?? 0);
      let sum = 0;
      for (let c = 0; c < outputs; c++) sum += Math.exp((logits[i * outputs + c] ?? 0) - max);
      for (let c = 0; c < outputs; c++) probabilities[i * outputs + c] = Math.exp((logits[i * outputs + c] ?? 0) - max) / sum;
      loss += Math.log(sum) + max - (logits[i * outputs + y] ?? 0);
    }
  }
  return { probabilities, loss: n > 0 ? loss / n : 0, classes };
}

/** At most `max` points of a curve, evenly spaced along it, the first and last kept. */
export function subsampleCurve(x: readonly number[], y: readonly number[], max = 200): CurvePoints {
  if (x.length <= max) return { x: [...x], y: [...y] };
  const xs: number[] = [];
  const ys: number[] = [];
  for (let j = 0; j < max; j++) {
    const i = Math.round((j * (x.length - 1)) / (max - 1));
    xs.push(x[i] ?? 0);
    ys.push(y[i] ?? 0);
  }
  return { x: xs, y: ys };
}

export function evaluationResult(split: string, classes: readonly string[], labels: Int32Array, probabilities: Float64Array): EvaluationResult {
  const k = classes.length;
  const r = evaluateClassification(labels, probabilities, k);
  const scores = r.binary ?? r.macro;
  const base: EvaluationResult = {
    split,
    classes,
    accuracy: r.accuracy,
    precision: scores.precision,
    recall: scores.recall,
    f1: scores.f1,
    mcc: r.mcc,
    rocAuc: r.rocAuc,
    prAuc: r.averagePrecision,
    confusionMatrix: r.confusionMatrix,
    perClass: r.perClass.map((c, i) => ({ label: classes[i] ?? String(i), precision: c.precision, recall: c.recall, f1: c.f1, support: c.support })),
  };
  if (k !== 2) return base;
  const positive = classScores(probabilities, 2, 1);
  const roc = rocCurve(labels, positive, { dropIntermediate: true });
  const pr = precisionRecallCurve(labels, positive);
  return {
    ...base,
    ...(roc ? { roc: subsampleCurve(roc.fpr, roc.tpr) } : {}),
    ...(pr ? { pr: subsampleCurve(pr.recall, pr.precision) } : {}),
  };
}

// Compares src-shared/metrics with scikit-learn on seeded prediction sets: the TypeScript side writes the cases as
// JSON, sklearn_reference.py computes the same metrics with sklearn, and every number must agree to 1e-9.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  chooseThreshold,
  classScores,
  evaluateClassification,
  predictLabels,
  precisionRecallCurve,
  rocCurve,
  type ThresholdCriterion,
} from '../../../src-shared/metrics';

const PYTHON = '/usr/bin/python3';
const SCRIPT = path.join(__dirname, 'sklearn_reference.py');
const TOLERANCE = 1e-9;

const probe = spawnSync(PYTHON, ['-c', 'import sklearn'], { encoding: 'utf8' });
const hasSklearn = probe.status === 0;
if (!hasSklearn) {
  console.warn(`SKIPPED metrics-vs-sklearn tests: ${PYTHON} cannot import sklearn (apt-get install -y python3-sklearn).`);
}

interface Case {
  readonly name: string;
  readonly numClasses: number;
  readonly labels: Int32Array;
  readonly probabilities: Float32Array | number[];
  readonly threshold?: number;
}

/** mulberry32: small, seeded, good enough for test data. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function gaussian(next: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
}

/** Binary labels with the given positive rate and class-1 probabilities that separate them imperfectly. */
function binaryCase(name: string, seed: number, n: number, positiveRate: number, quantum: number | null, threshold?: number): Case {
  const next = rng(seed);
  const labels = new Int32Array(n);
  const p1: number[] = [];
  for (let i = 0; i < n; i++) {
    labels[i] = next() < positiveRate ? 1 : 0;
    const p = 1 / (1 + Math.exp(-(1.2 * (2 * (labels[i] ?? 0) - 1) + 1.3 * gaussian(next))));
    p1.push(quantum === null ? p : Math.round(p / quantum) * quantum);
  }
  // Rounded scores are plain doubles (many ties, 0.5 among them); the others go through float32 like model output.
  const flat = p1.flatMap((p) => [1 - p, p]);
  return { name, numClasses: 2, labels, probabilities: quantum === null ? Float32Array.from(flat) : flat, ...(threshold === undefined ? {} : { threshold }) };
}

/** Multi-class softmax probabilities, float32; `suppress` keeps one class's probability below the others. */
function multiClassCase(name: string, seed: number, n: number, numClasses: number, opts: { absent?: number; suppress?: number } = {}): Case {
  const next = rng(seed);
  const labels = new Int32Array(n);
  const probabilities = new Float32Array(n * numClasses);
  for (let i = 0; i < n; i++) {
    let y = Math.floor(next() * numClasses);
    if (y === opts.absent) y = (y + 1) % numClasses;
    labels[i] = y;
    const logits = Array.from({ length: numClasses }, (_, c) => (c === y ? 1.0 : 0) + gaussian(next) - (c === opts.suppress ? 6 : 0));
    // Quantise the logits a little so that some probabilities tie.
    const exps = logits.map((l) => Math.exp(Math.round(l * 8) / 8));
    const sum = exps.reduce((a, b) => a + b, 0);
    exps.forEach((e, c) => (probabilities[i * numClasses + c] = e / sum));
  }
  return { name, numClasses, labels, probabilities };
}

const CASES: Case[] = [
  binaryCase('binary, balanced, float32 scores', 1, 300, 0.5, null),
  binaryCase('binary, imbalanced (8% positive), tied scores', 2, 500, 0.08, 0.05),
  binaryCase('binary, tied scores, threshold 0.3', 3, 200, 0.3, 0.1, 0.3),
  binaryCase('binary, only negatives', 4, 50, 0, 0.05),
  binaryCase('binary, nothing predicted positive', 5, 80, 0.4, null, 0.9999),
  multiClassCase('3 classes', 6, 300, 3),
  multiClassCase('3 classes, class 2 never predicted', 7, 240, 3, { suppress: 2 }),
  multiClassCase('4 classes, class 3 absent from the labels', 8, 200, 4, { absent: 3 }),
];

interface SklearnResult {
  readonly predicted: number[];
  readonly confusionMatrix: number[][];
  readonly accuracy: number;
  readonly perClass: { precision: number; recall: number; f1: number; support: number }[];
  readonly macro: { precision: number; recall: number; f1: number };
  readonly weighted: { precision: number; recall: number; f1: number };
  readonly binary: { precision: number; recall: number; f1: number; support: number } | null;
  readonly mcc: number;
  readonly rocAuc: number | null;
  readonly averagePrecision: number | null;
  readonly perClassRocAuc: (number | null)[];
  readonly perClassAveragePrecision: (number | null)[];
  readonly roc?: { fpr: number[]; tpr: number[]; thresholds: number[] } | null;
  readonly rocDropped?: { fpr: number[]; tpr: number[]; thresholds: number[] } | null;
  readonly pr?: { precision: number[]; recall: number[]; thresholds: number[] } | null;
  readonly thresholdCandidates?: { threshold: number; f1: number; mcc: number; youden: number }[];
}

/** Deep comparison with an absolute tolerance on numbers; null must match null, and array lengths must agree. */
function expectClose(actual: unknown, expected: unknown, where: string): void {
  if (typeof expected === 'number') {
    expect(typeof actual, where).toBe('number');
    expect(Math.abs((actual as number) - expected), `${where}: ${String(actual)} vs sklearn ${expected}`).toBeLessThanOrEqual(TOLERANCE);
  } else if (expected === null || typeof expected !== 'object') {
    expect(actual, where).toEqual(expected);
  } else if (Array.isArray(expected)) {
    expect(Array.isArray(actual) || ArrayBuffer.isView(actual), `${where} is an array`).toBe(true);
    const list = Array.from(actual as ArrayLike<unknown>);
    expect(list.length, `${where}.length`).toBe(expected.length);
    expected.forEach((v, i) => expectClose(list[i], v, `${where}[${i}]`));
  } else {
    for (const [key, v] of Object.entries(expected)) expectClose((actual as Record<string, unknown>)[key], v, `${where}.${key}`);
  }
}

describe.skipIf(!hasSklearn)(`metrics agree with scikit-learn (${PYTHON})`, () => {
  let tmp = '';
  let version = '';
  let results: SklearnResult[] = [];

  beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dnalm-metrics-'));
    const input = path.join(tmp, 'cases.json');
    const cases = CASES.map((c) => ({ ...c, labels: Array.from(c.labels), probabilities: Array.from(c.probabilities) }));
    fs.writeFileSync(input, JSON.stringify({ cases }));
    const run = spawnSync(PYTHON, [SCRIPT, input], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    if (run.status !== 0) throw new Error(`sklearn_reference.py failed (${String(run.status)}):\n${run.stderr}`);
    const parsed = JSON.parse(run.stdout) as { sklearn: string; results: SklearnResult[] };
    version = parsed.sklearn;
    results = parsed.results;
  });

  afterAll(() => {
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('ran sklearn on every case', () => {
    expect(version).toMatch(/^\d+\.\d+/);
    expect(results).toHaveLength(CASES.length);
  });

  describe.each(CASES.map((c, i) => [c.name, i] as const))('%s', (_name, index) => {
    const c = CASES[index] as Case;
    const ref = (): SklearnResult => results[index] as SklearnResult;
    const options = c.threshold === undefined ? {} : { threshold: c.threshold };

    it('predicts the same labels', () => {
      expect(Array.from(predictLabels(c.probabilities, c.numClasses, options))).toEqual(ref().predicted);
    });

    it('gives the same confusion matrix, accuracy, precision, recall, F1 and MCC', () => {
      const report = evaluateClassification(c.labels, c.probabilities, c.numClasses, options);
      const { confusionMatrix, accuracy, perClass, macro, weighted, binary, mcc } = ref();
      expectClose(report, { confusionMatrix, accuracy, perClass, macro, weighted, binary, mcc }, 'report');
    });

    it('gives the same ROC-AUC and average precision (null where sklearn leaves them undefined)', () => {
      const report = evaluateClassification(c.labels, c.probabilities, c.numClasses, options);
      const { rocAuc, averagePrecision, perClassRocAuc, perClassAveragePrecision } = ref();
      expectClose(report, { rocAuc, averagePrecision, perClassRocAuc, perClassAveragePrecision }, 'report');
    });

    // Curves and threshold choice are binary; the multi-class cases cover them per class through the OvR scores.
    if (c.numClasses !== 2) return;

    it('gives the same ROC and precision-recall curve points', () => {
      const scores = classScores(c.probabilities, 2, 1);
      const r = ref();
      for (const [key, dropIntermediate] of [['roc', false], ['rocDropped', true]] as const) {
        const curve = rocCurve(c.labels, scores, { dropIntermediate });
        const expected = r[key] ?? null;
        if (expected === null) {
          expect(curve).toBeNull();
          continue;
        }
        expect(curve?.thresholds[0]).toBe(Infinity);
        expectClose({ ...curve, thresholds: curve?.thresholds.slice(1) }, expected, key);
      }
      expectClose(precisionRecallCurve(c.labels, scores), r.pr ?? null, 'pr');
    });

    it('chooses the threshold that maximises F1, MCC or Youden J, the highest on a tie', () => {
      const scores = classScores(c.probabilities, 2, 1);
      const candidates = ref().thresholdCandidates;
      for (const criterion of ['f1', 'mcc', 'youden'] as ThresholdCriterion[]) {
        const choice = chooseThreshold(c.labels, scores, criterion);
        if (candidates === undefined) {
          expect(choice).toBeNull();
          continue;
        }
        const best = Math.max(...candidates.map((row) => row[criterion]));
        const expected = candidates.find((row) => row[criterion] >= best - 1e-12);
        expect(choice?.threshold, criterion).toBe(expected?.threshold);
        expectClose(choice?.value, best, criterion);
      }
    });
  });
});

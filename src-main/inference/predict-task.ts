/**
 * Predict (in the engine worker): sequences in, class probabilities out, in batches with progress and cancellation
 * points; rows written to the staging folder, summary returned for main to commit.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { PredictResult, PredictSettings } from '../../src-shared/api';
import { confusionMatrix, mccFromConfusion } from '../../src-shared/metrics';
import type { TaskContext } from '../engine/task-context';
import { writeFileAtomicSync } from '../project/atomic-write';
import { createRunner, loadModel } from './create-runner';
import type { InferenceJob, StagedPrediction } from './job-params';
import { assertClassifier, checkSequenceFits, encodeForModel } from './model-input';
import { describePredictInput, parsePastedText, readPredictInput, type InputRecord } from './predict-inputs';
import { FILES, bytesOf, type RowColumns } from './prediction-files';
import { probabilitiesFromLogits } from './scoring';

export const DEFAULT_BATCH = 64;

export async function runPredict(job: InferenceJob, ctx: TaskContext): Promise<StagedPrediction> {
  const settings = job.settings as unknown as PredictSettings;
  const t0 = performance.now();
  const model = loadModel(job.modelDir);
  const config = model.config;
  assertClassifier(config, job.modelName);
  const classes = config.classes;
  const k = classes.length;
  const threshold = settings.threshold ?? 0.5;
  const batchSize = settings.batchSize ?? DEFAULT_BATCH;
  // Progress: records of a dataset or pasted text (known ahead), bytes of a file.
  const input = settings.input;
  const knownTotal = input.kind === 'dataset' ? (job.dataset?.records ?? 0) : input.kind === 'text' ? [...parsePastedText(input.text)].length : null;
  ctx.progress(0, knownTotal ?? 0, 'Loading the model');
  const runner = await createRunner(model, settings.engine ?? 'auto');
  const signal = { cancelled: false };
  const hash = crypto.createHash('sha256');
  const cols: { ids: string[]; lengths: number[]; labels: (string | null)[]; splits: (string | null)[] } = { ids: [], lengths: [], labels: [], splits: [] };
  const probs: number[] = [];
  let anyLabel = false;
  let anySplit = false;
  let bytes = { read: 0, total: 0 };
  const report = (): void => {
    const n = cols.ids.length;
    const message = `${n.toLocaleString('en-US')} sequences scored`;
    if (knownTotal !== null) ctx.progress(n, Math.max(knownTotal, n), message);
    else ctx.progress(bytes.read, Math.max(1, bytes.total), message);
  };
  try {
    let batch: InputRecord[] = [];
    const flush = async (): Promise<void> => {
      if (batch.length === 0) return;
      await ctx.checkpoint();
      const logits = await runner.logits(encodeForModel(config, batch.map((r) => r.sequence)));
      const p = probabilitiesFromLogits(logits, config.outputs, batch.length);
      for (const v of p) probs.push(v);
      batch = [];
      report();
    };
    for await (const r of readPredictInput(input, job.dataset ?? null, signal, (read, total) => (bytes = { read, total }))) {
      checkSequenceFits(config, job.modelName, r.id, r.where, r.sequence.length, settings.truncate === true);
      hash.update(`${r.id}\t${r.sequence.toUpperCase()}\n`);
      cols.ids.push(r.id);
      cols.lengths.push(r.sequence.length);
      cols.labels.push(r.label ?? null);
      cols.splits.push(r.split ?? null);
      anyLabel ||= r.label !== undefined;
      anySplit ||= r.split !== undefined;
      batch.push(r);
      if (batch.length >= batchSize) await flush();
    }
    await flush();
  } finally {
    signal.cancelled = true;
    runner.dispose();
  }
  const n = cols.ids.length;
  if (n === 0) throw new Error('The input holds no sequences.');

  const counts: Record<string, number> = Object.fromEntries(classes.map((c) => [c, 0]));
  const predicted = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    if (k === 2) best = (probs[2 * i + 1] ?? 0) >= threshold ? 1 : 0;
    else for (let c = 1; c < k; c++) if ((probs[i * k + c] ?? 0) > (probs[i * k + best] ?? 0)) best = c;
    predicted[i] = best;
    const name = classes[best] ?? '';
    counts[name] = (counts[name] ?? 0) + 1;
  }
  let agreement: PredictResult['agreement'];
  if (anyLabel) {
    const index = new Map(classes.map((c, i) => [c, i]));
    const truth: number[] = [];
    const pred: number[] = [];
    cols.labels.forEach((l, i) => {
      const y = l === null ? undefined : index.get(l);
      if (y !== undefined) {
        truth.push(y);
        pred.push(predicted[i] ?? 0);
      }
    });
    if (truth.length > 0) {
      const m = confusionMatrix(Int32Array.from(truth), Int32Array.from(pred), k);
      let correct = 0;
      for (let c = 0; c < k; c++) correct += m[c]?.[c] ?? 0;
      agreement = { accuracy: correct / truth.length, mcc: mccFromConfusion(m) };
    }
  }

  fs.mkdirSync(job.stagingDir, { recursive: true });
  const columns: RowColumns = { ids: cols.ids, lengths: cols.lengths, ...(anyLabel ? { labels: cols.labels } : {}), ...(anySplit ? { splits: cols.splits } : {}) };
  writeFileAtomicSync(path.join(job.stagingDir, FILES.rows), JSON.stringify(columns));
  writeFileAtomicSync(path.join(job.stagingDir, FILES.probabilities), bytesOf(Float32Array.from(probs)));

  const result: PredictResult = { kind: 'predict', settings, threshold, counts, ...(agreement ? { agreement } : {}) };
  return {
    kind: 'predict',
    name: job.name,
    inputHash: hash.digest('hex'),
    inputDescription: describePredictInput(settings.input, n, job.dataset ?? null),
    engine: runner.engine,
    backend: runner.backend,
    count: n,
    seconds: (performance.now() - t0) / 1000,
    result,
    stagingDir: job.stagingDir,
  };
}

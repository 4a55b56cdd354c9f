/**
 * The training loop, inside the engine worker: epochs x batches over the engine's Trainer, learning-rate warm-up and
 * decay, validation and a checkpoint after every epoch, early stopping that restores the best weights, then the test
 * evaluation and the saved model. Everything random (initialization, data order, dropout) is a function of the seed,
 * the epoch and the step, and every epoch's checkpoint carries the optimizer state and the step: a resumed run
 * continues exactly where the uninterrupted one would be.
 */
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { ApiError, type EpochRecord, type TrainSettings } from '../../src-shared/api';
import { mccFromConfusion, confusionMatrix, predictLabels } from '../../src-shared/metrics';
import type { ParamLayout } from '../engine/models/params';
import type { Trainer } from '../engine/training/trainer';
import {
  type CheckpointData,
  type RunOutcome,
  type SavedModelConfig,
  readCheckpoint,
  readModel,
  writeCheckpoint,
  writeHistory,
  writeModel,
  writeOutcome,
} from './artifacts';
import { type EncodedSplit, balancedClassWeights, batchCount, batchesOf, encodeSplit, epochOrder, gatherBatch, loadDataset } from './data';
import { evaluationResult, probabilitiesOf } from './evaluation';
import { CNN_BASE_IDS, type ModelPlan, planFor } from './model-plan';
import { effective } from './settings';

/** What the worker receives for one run (built by main in training-jobs.ts). */
export interface TrainJob {
  readonly runId: number;
  readonly artifactsDir: string;
  readonly runDir: string;
  readonly modelDir: string;
  readonly datasetFile: string;
  readonly classes: readonly string[];
  readonly settings: TrainSettings;
  /** Model folder of the pretrained model (BERT init from model). */
  readonly pretrainedDir?: string;
  /** Continue from the run's checkpoint. */
  readonly resume: boolean;
  /** Tests: the bundled replica-thread script (default: next to the engine bundle). */
  readonly workerScript?: string;
}

/** The task context as the loop sees it (the compare job shifts the steps of each run into its own total). */
export interface FitContext {
  progress(step: number, total: number, message: string, metrics?: Record<string, number>): void;
  checkpoint(): Promise<void>;
  log?(message: string): void;
}

export interface PreparedRun {
  readonly plan: ModelPlan;
  readonly train: EncodedSplit;
  readonly validation: EncodedSplit;
  readonly test: EncodedSplit;
  readonly stepsPerEpoch: number;
  readonly totalSteps: number;
}

export function prepareRun(job: TrainJob): PreparedRun {
  const e = effective(job.settings);
  const raw = loadDataset(job.datasetFile, job.classes, job.settings.seed, e.validationFraction);
  if (raw.train.labels.length === 0) throw new ApiError('INVALID_REQUEST', 'The dataset has no labelled training sequences.');
  if (raw.test.labels.length === 0) throw new ApiError('INVALID_REQUEST', 'The dataset has no test split to evaluate on.');
  if (raw.validation.labels.length === 0) throw new ApiError('INVALID_REQUEST', 'The validation split is empty; use a larger validation fraction.');
  const plan = planFor(job.settings, job.classes, raw.longest);
  const stepsPerEpoch = batchCount(raw.train.labels.length, job.settings.batchSize);
  return {
    plan,
    train: encodeSplit(raw.train, plan.input),
    validation: encodeSplit(raw.validation, plan.input),
    test: encodeSplit(raw.test, plan.input),
    stepsPerEpoch,
    totalSteps: stepsPerEpoch * job.settings.epochs,
  };
}

/** Learning rate at optimizer step `step` (0-based) of `total`. */
export function learningRateAt(base: number, step: number, total: number, warmup: number, schedule: 'linear' | 'cosine' | 'constant'): number {
  const warm = Math.round(warmup * total);
  if (step < warm) return (base * (step + 1)) / warm;
  if (schedule === 'constant') return base;
  const progress = Math.min(1, (step - warm) / Math.max(1, total - warm));
  return schedule === 'linear' ? base * (1 - progress) : base * 0.5 * (1 + Math.cos(Math.PI * progress));
}

/** Parameter ranges (offset, size) held at their initial values. */
function frozenRanges(layout: ParamLayout, prefixes: readonly string[]): [number, number][] {
  if (prefixes.length === 0) return [];
  return layout.entries.filter((e) => prefixes.some((p) => e.name.startsWith(p))).map((e) => [e.offset, e.size]);
}

/** Initial weights from a saved model, by parameter name and shape (the encoder of a pretrained BERT). */
export function loadPretrained(layout: ParamLayout, seed: number, dir: string): { weights: Float32Array; loaded: number } {
  const weights = layout.initialize(seed);
  const source = readModel(dir);
  const byName = new Map(source.config.layout.map((e) => [e.name, e]));
  let loaded = 0;
  for (const e of layout.entries) {
    if (!e.name.startsWith('bert.')) continue; // the encoder (and pooler); the classifier head stays new
    const s = byName.get(e.name);
    if (!s || s.size !== e.size || s.shape.join('x') !== e.shape.join('x')) continue;
    weights.set(source.weights.subarray(s.offset, s.offset + s.size), e.offset);
    loaded++;
  }
  if (loaded === 0) {
    throw new ApiError('INVALID_REQUEST', 'The pretrained model shares no encoder weights with this BERT (different sizes or k?).');
  }
  return { weights, loaded };
}

interface EvalOut {
  readonly loss: number;
  readonly probabilities: Float64Array;
}

async function predict(trainer: Trainer, split: EncodedSplit, outputs: number, batchSize: number, ctx: FitContext): Promise<EvalOut> {
  const all = new Float32Array(split.size * outputs);
  for (let s = 0; s < split.size; s += batchSize) {
    await ctx.checkpoint();
    const rows = Array.from({ length: Math.min(batchSize, split.size - s) }, (_, i) => s + i);
    const { values } = await trainer.logits(gatherBatch(split, rows));
    all.set(values, s * outputs);
  }
  const { probabilities, loss } = probabilitiesOf(all, outputs, split.labels);
  return { loss, probabilities };
}

function accuracyAndMcc(labels: Int32Array, probabilities: Float64Array, classes: number): { accuracy: number; mcc: number } {
  const predicted = predictLabels(probabilities, classes);
  const m = confusionMatrix(labels, predicted, classes);
  let correct = 0;
  for (let c = 0; c < classes; c++) correct += m[c]?.[c] ?? 0;
  return { accuracy: labels.length > 0 ? correct / labels.length : 0, mcc: mccFromConfusion(m) };
}

function savedConfig(plan: ModelPlan, layout: ParamLayout, runId: number): SavedModelConfig {
  const input = plan.input;
  return {
    format: 'dnalm-model',
    version: 1,
    architecture: plan.architecture,
    role: 'classifier',
    spec: plan.spec,
    classes: plan.classes,
    input,
    maxLength: input.kind === 'cnn' ? input.length : null,
    k: input.kind === 'kmer' ? input.k : null,
    maxTokens: input.kind === 'kmer' ? input.maxTokens : null,
    tokenizer:
      input.kind === 'cnn'
        ? { kind: 'bases', ids: { A: CNN_BASE_IDS.A, C: CNN_BASE_IDS.C, G: CNN_BASE_IDS.G, T: CNN_BASE_IDS.T, other: CNN_BASE_IDS.other }, pad: CNN_BASE_IDS.pad, truncation: 'right' }
        : { kind: 'kmer', k: input.k, overlapping: true, addSpecial: true, maxLength: input.maxTokens, truncation: 'right' },
    outputs: plan.outputs,
    parameters: layout.trainableSize,
    layout: layout.entries.map((e) => ({ name: e.name, shape: e.shape, offset: e.offset, size: e.size })),
    runId,
    createdAt: new Date().toISOString(),
  };
}

/** Runs (or resumes) one training run to its end; writes result.json in the run folder and returns the outcome. */
export async function fitRun(job: TrainJob, ctx: FitContext, prepared: PreparedRun = prepareRun(job)): Promise<RunOutcome> {
  const { Trainer, defaultThreads } = await import('../engine/training/trainer');
  const { createTask } = await import('../engine/training/task');
  const s = job.settings;
  const e = effective(s);
  const { plan, train, validation, stepsPerEpoch, totalSteps } = prepared;
  const numClasses = plan.classes.length;
  const classWeights = e.classWeights === 'balanced' ? balancedClassWeights(train.labels, numClasses) : undefined;
  const taskSpec = { model: plan.spec, ...(classWeights ? { classWeights } : {}) };
  const layout = createTask(taskSpec).layout;

  fs.mkdirSync(job.runDir, { recursive: true });
  let checkpoint: CheckpointData | null = null;
  if (job.resume) {
    checkpoint = readCheckpoint(job.runDir);
    if (!checkpoint) throw new ApiError('INVALID_REQUEST', 'This run has no checkpoint to resume from; start it again instead.');
    if (checkpoint.weights.length !== layout.size) throw new ApiError('INTERNAL', 'The checkpoint does not fit this model.');
  } else {
    // A fresh start: whatever an earlier attempt left in the folder is not ours.
    for (const entry of fs.readdirSync(job.runDir)) fs.rmSync(path.join(job.runDir, entry), { recursive: true, force: true });
  }

  let initial: Float32Array | undefined;
  let pretrainedTensors: number | undefined;
  if (checkpoint) initial = checkpoint.weights;
  else if (job.pretrainedDir !== undefined) {
    const p = loadPretrained(layout, s.seed, job.pretrainedDir);
    initial = p.weights;
    pretrainedTensors = p.loaded;
    ctx.log?.(`Loaded ${p.loaded} pretrained tensors.`);
  }

  const trainer = await Trainer.create({
    task: taskSpec,
    seed: s.seed,
    threads: s.threads ?? defaultThreads(),
    optimizer: { lr: s.learningRate, weightDecay: e.weightDecay, clipNorm: e.clipNorm },
    ...(job.workerScript === undefined ? {} : { workerScript: job.workerScript }),
    ...(initial === undefined ? {} : { weights: initial }),
  });
  try {
    const frozen = frozenRanges(layout, plan.frozenPrefixes);
    const frozenValues = frozen.map(([o, n]) => trainer.weights.slice(o, o + n));
    let history: EpochRecord[] = [];
    let bestValLoss = Infinity;
    let bestEpoch = 0;
    let badEpochs = 0;
    let best = trainer.weights.slice();
    let startEpoch = 1;
    let stopped = false;
    if (checkpoint) {
      const st = checkpoint.state;
      trainer.optimizer.restore({ step: st.trainerStep, m: checkpoint.adamM, v: checkpoint.adamV });
      // The Trainer numbers its steps from 0 (dropout masks are drawn per step); a resumed run continues the count.
      // TODO(engine): a Trainer option for the first step number instead of this write to a private field.
      (trainer as unknown as { stepCount: number }).stepCount = st.trainerStep;
      history = [...st.history];
      bestValLoss = st.bestValLoss;
      bestEpoch = st.bestEpoch;
      badEpochs = st.badEpochs;
      best = checkpoint.best.slice();
      startEpoch = st.epoch + 1;
      stopped = st.stopped;
    }
    const evalBatch = plan.architecture === 'cnn' ? 512 : Math.max(8, s.batchSize * 2);
    let lastReport = 0;
    for (let epoch = startEpoch; epoch <= s.epochs && !stopped; epoch++) {
      const t0 = performance.now();
      const order = epochOrder(train.size, s.seed, epoch);
      let lossSum = 0;
      let rows = 0;
      let b = 0;
      let lr = s.learningRate;
      for (const batch of batchesOf(train, order, s.batchSize)) {
        await ctx.checkpoint();
        const global = (epoch - 1) * stepsPerEpoch + b;
        lr = learningRateAt(s.learningRate, global, totalSteps, e.warmup, e.schedule);
        const r = await trainer.trainStep(batch, { lr });
        if (frozen.length > 0) {
          const w = trainer.weights.slice();
          frozen.forEach(([o], i) => w.set(frozenValues[i] ?? new Float32Array(0), o));
          trainer.setWeights(w);
        }
        if (!Number.isFinite(r.loss)) throw new ApiError('INTERNAL', `Training diverged at epoch ${epoch} (the loss is not finite); lower the learning rate.`);
        lossSum += r.loss * batch.size;
        rows += batch.size;
        b++;
        const now = performance.now();
        if (now - lastReport > 250 || b === stepsPerEpoch) {
          lastReport = now;
          ctx.progress(global + 1, totalSteps, `Epoch ${epoch}/${s.epochs} · step ${b}/${stepsPerEpoch}`, { epoch, trainLoss: lossSum / rows });
        }
      }
      const val = await predict(trainer, validation, plan.outputs, evalBatch, ctx);
      const { accuracy, mcc } = accuracyAndMcc(validation.labels, val.probabilities, numClasses);
      const record: EpochRecord = {
        epoch,
        trainLoss: rows > 0 ? lossSum / rows : 0,
        valLoss: val.loss,
        valAccuracy: accuracy,
        valMcc: mcc,
        learningRate: lr,
        seconds: (performance.now() - t0) / 1000,
      };
      history.push(record);
      if (val.loss < bestValLoss) {
        bestValLoss = val.loss;
        bestEpoch = epoch;
        badEpochs = 0;
        best = trainer.weights.slice();
      } else {
        badEpochs++;
      }
      stopped = e.patience !== null && badEpochs >= e.patience;
      writeCheckpoint(job.runDir, {
        state: {
          version: 1,
          epoch,
          trainerStep: trainer.step,
          dir: '',
          bestValLoss,
          bestEpoch,
          badEpochs,
          stopped,
          history,
          rng: { seed: s.seed, nextEpoch: epoch + 1, nextStep: trainer.step },
        },
        weights: trainer.weights,
        best,
        adamM: trainer.optimizer.state().m,
        adamV: trainer.optimizer.state().v,
      });
      ctx.progress(epoch * stepsPerEpoch, totalSteps, `Epoch ${epoch}/${s.epochs} done${stopped ? ' · early stop' : ''}`, {
        epoch,
        trainLoss: record.trainLoss,
        valLoss: record.valLoss,
        valAccuracy: record.valAccuracy,
        valMcc: record.valMcc,
        learningRate: record.learningRate,
      });
    }

    // The best weights (lowest validation loss) are the model; without early stopping, the last ones.
    if (e.patience !== null && bestEpoch > 0) trainer.setWeights(best);
    ctx.progress(totalSteps, totalSteps, 'Evaluating on the test split', {});
    const test = await predict(trainer, prepared.test, plan.outputs, evalBatch, ctx);
    const result = evaluationResult('test', plan.classes, prepared.test.labels, test.probabilities);
    const config = savedConfig(plan, layout, job.runId);
    const modelBytes = writeModel(job.modelDir, config, trainer.weights);
    writeHistory(job.runDir, history, bestEpoch || null);
    const outcome: RunOutcome = {
      runId: job.runId,
      epochsDone: history.length,
      bestEpoch: bestEpoch || null,
      history,
      test: result,
      backend: trainer.backend,
      threads: trainer.threads,
      modelPath: path.relative(job.artifactsDir, job.modelDir).split(path.sep).join('/'),
      parameters: layout.trainableSize,
      modelBytes,
      architecture: plan.architecture,
      classes: plan.classes,
      modelConfig: config,
      ...(pretrainedTensors === undefined ? {} : { pretrainedTensors }),
    };
    writeOutcome(job.runDir, outcome);
    return outcome;
  } finally {
    await trainer.close();
  }
}

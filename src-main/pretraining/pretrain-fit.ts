/**
 * The pretraining loop, inside the engine worker: the corpus, the curriculum, optimizer steps over the data-parallel
 * Trainer with per-loss progress, validation losses and a checkpoint every `evalEvery` steps, then the pretrained
 * model. Everything random (initialization, sample order, NGSP negatives, masks, dropout) is a function of the seed
 * and the step, and a checkpoint carries the optimizer state, so a resumed run continues where it stopped.
 *
 *   runs/<id>/pretrain-checkpoint.json   names the last complete ckpt-<step>/ (weights.f32, adam-m.f32, adam-v.f32)
 *   runs/<id>/pretrain-history.json      the points so far (read by main when a run stops early)
 *   runs/<id>/pretrain-result.json       written last: PretrainOutcome
 *   models/pretrain-<id>/                model.json + weights.f32 (BERT with its MLM head, role 'pretrained'), and
 *                                        heads.json + heads.f32 (the NGSP and SRM heads, not needed for fine-tuning)
 */
import fs from 'node:fs';
import path from 'node:path';
import { ApiError, type CorpusSummary, type MaskSchedulePhase, type MotifFeatureSettings, type PretrainPoint, type PretrainSettings } from '../../src-shared/api';
import { Rng, deriveSeed } from '../engine/models/rng';
import { phaseAt } from '../engine/training/mask-schedule';
import type { PretrainHeadsSpec } from '../engine/training/pretrain-task';
import type { Trainer } from '../engine/training/trainer';
import { writeAndFlush, writeFileAtomicSync } from '../project/atomic-write';
import { type SavedModelConfig, readFloats, writeModel } from '../training/artifacts';
import { learningRateAt } from '../training/fit';
import { type Anchor, type Corpus, type DatasetFile, readCorpus, splitAnchors } from './corpus';
import { type BatchPlan, type RegionFeatures, pretrainBatch, standardise } from './pretrain-batches';
import { type PretrainPlan, pretrainPlan, srmSpec } from './pretrain-plan';

export interface PretrainJob {
  readonly runId: number;
  readonly artifactsDir: string;
  readonly runDir: string;
  readonly modelDir: string;
  readonly settings: PretrainSettings;
  readonly resume: boolean;
  readonly dataset?: DatasetFile;
  /** The bundled motif collection (SRM without a motif file). */
  readonly motifsBundledPath?: string;
  readonly workerScript?: string;
}

export interface PretrainContext {
  progress(step: number, total: number, message: string, metrics?: Record<string, number>): void;
  checkpoint(): Promise<void>;
  log?(message: string): void;
}

export interface PretrainOutcome {
  readonly runId: number;
  readonly stepsDone: number;
  readonly history: readonly PretrainPoint[];
  readonly corpus: CorpusSummary;
  readonly schedule: readonly MaskSchedulePhase[];
  readonly backend: string;
  readonly threads: number;
  /** Relative to artifacts/. */
  readonly modelPath: string;
  readonly parameters: number;
  readonly modelBytes: number;
  readonly modelConfig: SavedModelConfig;
  /** Tokens per second of the optimizer steps (rows x tokens per row / wall time). */
  readonly tokensPerSecond: number;
}

interface CheckpointState {
  readonly version: 1;
  readonly step: number;
  readonly dir: string;
  readonly history: readonly PretrainPoint[];
  readonly corpusHash: string;
}

const CHECKPOINT = 'pretrain-checkpoint.json';
const HISTORY = 'pretrain-history.json';
const RESULT = 'pretrain-result.json';
const bytesOf = (a: Float32Array): Uint8Array => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

export function readPretrainCheckpointState(runDir: string): CheckpointState | null {
  try {
    const s = JSON.parse(fs.readFileSync(path.join(runDir, CHECKPOINT), 'utf8')) as CheckpointState;
    if (s.version !== 1 || !fs.existsSync(path.join(runDir, s.dir, 'weights.f32'))) return null;
    return s;
  } catch {
    return null;
  }
}

export function readPretrainHistory(runDir: string): PretrainPoint[] {
  try {
    const h = JSON.parse(fs.readFileSync(path.join(runDir, HISTORY), 'utf8')) as unknown;
    return Array.isArray(h) ? (h as PretrainPoint[]) : [];
  } catch {
    return [];
  }
}

export function readPretrainOutcome(runDir: string): PretrainOutcome | null {
  try {
    return JSON.parse(fs.readFileSync(path.join(runDir, RESULT), 'utf8')) as PretrainOutcome;
  } catch {
    return null;
  }
}

/** Complete folder first, then the JSON that names it: a worker killed at any moment leaves the last one usable. */
function writeCheckpoint(runDir: string, state: Omit<CheckpointState, 'dir'>, weights: Float32Array, m: Float32Array, v: Float32Array): void {
  const name = `ckpt-${state.step}`;
  const temp = path.join(runDir, `${name}.tmp-${process.pid}`);
  fs.rmSync(temp, { recursive: true, force: true });
  fs.mkdirSync(temp, { recursive: true });
  writeAndFlush(path.join(temp, 'weights.f32'), bytesOf(weights));
  writeAndFlush(path.join(temp, 'adam-m.f32'), bytesOf(m));
  writeAndFlush(path.join(temp, 'adam-v.f32'), bytesOf(v));
  const final = path.join(runDir, name);
  fs.rmSync(final, { recursive: true, force: true });
  fs.renameSync(temp, final);
  writeFileAtomicSync(path.join(runDir, CHECKPOINT), JSON.stringify({ ...state, dir: name }));
  writeFileAtomicSync(path.join(runDir, HISTORY), JSON.stringify(state.history));
  for (const entry of fs.readdirSync(runDir)) {
    if (entry.startsWith('ckpt-') && entry !== name) fs.rmSync(path.join(runDir, entry), { recursive: true, force: true });
  }
}

const DEFAULT_MOTIFS: MotifFeatureSettings = { scoring: 'max', background: 'uniform' };

/** The corpus' motif-affinity matrix, standardised per motif (GeneBERT's region features). */
async function regionFeatures(corpus: Corpus, job: PretrainJob, group: number, ctx: PretrainContext): Promise<RegionFeatures> {
  const { affinityMatrix } = await import('../motifs/affinity');
  const windows = corpus.tracks.flat();
  ctx.progress(0, job.settings.steps, `Scanning ${windows.length} windows for motif affinities`, {});
  let m;
  try {
    m = affinityMatrix(windows, job.settings.objectives.motifs ?? DEFAULT_MOTIFS, job.motifsBundledPath ?? '');
  } catch (err) {
    throw new ApiError('INVALID_REQUEST', `The motif affinities for sequence-region matching could not be computed: ${err instanceof Error ? err.message : String(err)}`);
  }
  const motifs = m.motifIds.length;
  if (m.rows !== windows.length || motifs === 0) throw new ApiError('INTERNAL', 'The motif scan returned a matrix of the wrong shape.');
  return { regions: group, motifs, values: standardise(m.values, m.rows, motifs) };
}

/** A fixed validation set: the held-out anchors, masked with the seed (each phase its own masks). */
function validationBatches(corpus: Corpus, anchors: readonly Anchor[], plan: BatchPlan, phase: MaskSchedulePhase, seed: number, batchSize: number) {
  const rng = new Rng(deriveSeed(seed, 'validation', phase.phase));
  const out = [];
  const max = Math.min(anchors.length, Math.max(batchSize * 4, 64));
  for (let s = 0; s < max; s += batchSize) out.push(pretrainBatch(corpus, anchors.slice(s, Math.min(max, s + batchSize)), plan, phase, rng));
  return out;
}

function savedConfig(plan: PretrainPlan, layout: { entries: readonly { name: string; shape: readonly number[]; size: number }[] }, parameters: number, runId: number): SavedModelConfig {
  let offset = 0;
  const entries = layout.entries.map((e) => {
    const out = { name: e.name, shape: [...e.shape], offset, size: e.size };
    offset += e.size;
    return out;
  });
  const k = plan.spec.config?.vocabSize === undefined ? 6 : kOfVocab(plan.spec.config.vocabSize);
  return {
    format: 'dnalm-model',
    version: 1,
    architecture: 'bert',
    role: 'pretrained',
    spec: plan.spec,
    classes: [],
    input: { kind: 'kmer', k, maxTokens: plan.maxTokens },
    maxLength: null,
    k,
    maxTokens: plan.maxTokens,
    tokenizer: { kind: 'kmer', k, overlapping: true, addSpecial: true, maxLength: plan.maxTokens, truncation: 'right' },
    outputs: plan.spec.config?.vocabSize ?? 0,
    parameters,
    layout: entries,
    runId,
    createdAt: new Date().toISOString(),
  };
}

function kOfVocab(v: number): 3 | 4 | 5 | 6 {
  for (const k of [3, 4, 5, 6] as const) if (4 ** k + 5 === v) return k;
  throw new Error(`No k-mer size has a vocabulary of ${v}.`);
}

/** Mean of each term over the steps since the last report. */
class TermMeans {
  private sums: Record<string, number> = {};
  private n = 0;
  add(terms: Readonly<Record<string, number>>): void {
    for (const [k, v] of Object.entries(terms)) this.sums[k] = (this.sums[k] ?? 0) + v;
    this.n++;
  }
  take(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [k, v] of Object.entries(this.sums)) out[k] = v / Math.max(1, this.n);
    this.sums = {};
    this.n = 0;
    return out;
  }
  get count(): number {
    return this.n;
  }
}

export async function pretrainRun(job: PretrainJob, ctx: PretrainContext): Promise<PretrainOutcome> {
  const { Trainer, defaultThreads } = await import('../engine/training/trainer');
  const { pretrainLayout } = await import('../engine/training/pretrain-task');
  const { bertConfig, bertParamSpecs } = await import('../engine/models/bert');
  const { ParamLayout } = await import('../engine/models/params');
  const s = job.settings;
  const o = s.objectives;
  const plan = pretrainPlan(s);
  ctx.progress(0, s.steps, 'Reading the corpus', {});
  const corpus = await readCorpus(s.corpus, s.seed, job.dataset);
  const { train, validation } = splitAnchors(corpus, plan.validationFraction, s.seed, plan.group);
  if (train.length === 0) throw new ApiError('INVALID_REQUEST', 'The corpus has no training samples left after the validation split; use a larger corpus.');
  ctx.log?.(`Corpus: ${corpus.summary.description}; ${corpus.summary.windows} windows (${corpus.summary.skippedN} mostly N skipped), ${train.length} training and ${validation.length} validation samples.`);
  const srm = o.srm ? await regionFeatures(corpus, job, plan.group, ctx) : null;
  const heads: PretrainHeadsSpec = { ngsp: o.ngsp, srm: srm ? srmSpec(s, srm.motifs) : null };
  const k = s.model.k;
  const batchPlan: BatchPlan = { k, maxTokens: plan.maxTokens, ngsp: o.ngsp, srm };
  const task = { model: plan.spec, pretrain: heads };
  const layout = pretrainLayout(bertConfig(plan.spec.config, plan.spec.preset ?? 'mini'), heads);

  fs.mkdirSync(job.runDir, { recursive: true });
  let state: CheckpointState | null = null;
  let weights: Float32Array | undefined;
  let adam: { m: Float32Array; v: Float32Array } | undefined;
  if (job.resume) {
    state = readPretrainCheckpointState(job.runDir);
    if (!state) throw new ApiError('INVALID_REQUEST', 'This pretraining run has no checkpoint to resume from; start it again instead.');
    if (state.corpusHash !== corpus.summary.hash) {
      throw new ApiError('INVALID_REQUEST', 'The corpus files changed since this run started (their hash differs), so it cannot be resumed; start a new run.');
    }
    const dir = path.join(job.runDir, state.dir);
    weights = readFloats(path.join(dir, 'weights.f32'));
    if (weights.length !== layout.size) throw new ApiError('INTERNAL', 'The checkpoint does not fit this model.');
    adam = { m: readFloats(path.join(dir, 'adam-m.f32')), v: readFloats(path.join(dir, 'adam-v.f32')) };
  } else {
    for (const entry of fs.readdirSync(job.runDir)) fs.rmSync(path.join(job.runDir, entry), { recursive: true, force: true });
  }

  const trainer: Trainer = await Trainer.create({
    task,
    seed: s.seed,
    threads: s.threads ?? defaultThreads(),
    optimizer: { lr: s.learningRate, weightDecay: s.weightDecay ?? 0.01, clipNorm: 1 },
    ...(job.workerScript === undefined ? {} : { workerScript: job.workerScript }),
    ...(weights === undefined ? {} : { weights }),
  });
  try {
    const history: PretrainPoint[] = state ? [...state.history] : [];
    const start = state?.step ?? 0;
    if (adam && state) trainer.optimizer.restore({ step: state.step, m: adam.m, v: adam.v });
    const reportEvery = Math.max(1, Math.min(25, Math.round(s.steps / 100)));
    const means = new TermMeans();
    let tokens = 0;
    let ms = 0;
    const validate = async (step: number): Promise<void> => {
      if (validation.length === 0) return;
      const phase = phaseAt(plan.schedule, Math.max(0, step - 1));
      const sums: Record<string, number> = {};
      let rows = 0;
      for (const b of validationBatches(corpus, validation, batchPlan, phase, s.seed, s.batchSize)) {
        await ctx.checkpoint();
        const r = await trainer.evaluateTerms(b);
        for (const [name, v] of Object.entries(r.terms)) sums[name] = (sums[name] ?? 0) + v * b.size;
        rows += b.size;
      }
      const values: Record<string, number> = {};
      for (const [name, v] of Object.entries(sums)) values[name] = v / rows;
      history.push({ step, split: 'validation', values });
      ctx.progress(step, s.steps, `Step ${step}/${s.steps} · validation`, prefixed('val', values));
    };
    for (let step = start; step < s.steps; step++) {
      await ctx.checkpoint();
      const phase = phaseAt(plan.schedule, step);
      const rng = new Rng(deriveSeed(s.seed, 'pretrain-batch', step));
      const anchors = Array.from({ length: s.batchSize }, () => train[rng.int(train.length)]!);
      const batch = pretrainBatch(corpus, anchors, batchPlan, phase, rng);
      const lr = learningRateAt(s.learningRate, step, s.steps, s.warmup ?? 0.06, 'linear');
      const r = await trainer.trainStep(batch, { lr });
      if (!Number.isFinite(r.loss)) throw new ApiError('INTERNAL', `Pretraining diverged at step ${step + 1} (the loss is not finite); lower the learning rate.`);
      tokens += batch.size * batch.length;
      ms += r.ms;
      means.add({ ...r.terms, phase: phase.phase, learningRate: lr });
      const done = step + 1;
      if (done % reportEvery === 0 || done === s.steps) {
        const values = means.take();
        history.push({ step: done, split: 'train', values });
        ctx.progress(done, s.steps, `Step ${done}/${s.steps} · phase ${phase.phase + 1}/${plan.schedule.length}`, values);
      }
      if (done % plan.evalEvery === 0 || done === s.steps) {
        await validate(done);
        const st = trainer.optimizer.state();
        writeCheckpoint(job.runDir, { version: 1, step: done, history, corpusHash: corpus.summary.hash }, trainer.weights, st.m, st.v);
      }
    }

    // The model: BERT with its MLM head in the layout fine-tuning and export read; the other heads beside it.
    const bertLayout = new ParamLayout(bertParamSpecs(bertConfig(plan.spec.config, plan.spec.preset ?? 'mini'), { kind: 'mlm' }));
    const named = trainer.namedWeights();
    const bertWeights = new Float32Array(bertLayout.size);
    for (const e of bertLayout.entries) bertWeights.set(named.get(e.name)!, e.offset);
    const config = savedConfig(plan, bertLayout, bertLayout.trainableSize, job.runId);
    fs.rmSync(job.modelDir, { recursive: true, force: true });
    const modelBytes = writeModel(job.modelDir, config, bertWeights);
    const extra = layout.entries.filter((e) => !bertLayout.has(e.name));
    if (extra.length > 0) {
      const values = new Float32Array(extra.reduce((n, e) => n + e.size, 0));
      let offset = 0;
      const entries = extra.map((e) => {
        values.set(named.get(e.name)!, offset);
        const out = { name: e.name, shape: e.shape, offset, size: e.size };
        offset += e.size;
        return out;
      });
      writeFileAtomicSync(path.join(job.modelDir, 'heads.f32'), bytesOf(values));
      writeFileAtomicSync(path.join(job.modelDir, 'heads.json'), JSON.stringify({ heads, layout: entries }, null, 1));
    }
    const outcome: PretrainOutcome = {
      runId: job.runId,
      stepsDone: s.steps,
      history,
      corpus: corpus.summary,
      schedule: plan.schedule,
      backend: trainer.backend,
      threads: trainer.threads,
      modelPath: path.relative(job.artifactsDir, job.modelDir).split(path.sep).join('/'),
      parameters: layout.trainableSize,
      modelBytes,
      modelConfig: config,
      tokensPerSecond: ms > 0 ? tokens / (ms / 1000) : 0,
    };
    writeFileAtomicSync(path.join(job.runDir, RESULT), JSON.stringify(outcome));
    return outcome;
  } finally {
    await trainer.close();
  }
}

function prefixed(prefix: string, values: Readonly<Record<string, number>>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(values)) out[`${prefix}${k[0]!.toUpperCase()}${k.slice(1)}`] = v;
  return out;
}

/**
 * The files of a run and of a saved model, inside the project's artifacts folder:
 *
 *   runs/<runId>/checkpoint.json   the commit point of the last completed epoch: names its ckpt-<epoch>/ folder
 *   runs/<runId>/ckpt-<epoch>/     weights.f32, best.f32 (best weights so far), adam-m.f32, adam-v.f32
 *   runs/<runId>/history.json      the epochs done and the best epoch (read by main when a run stops early)
 *   runs/<runId>/result.json       written last, when the run has finished: RunOutcome
 *   models/run-<runId>/            model.json (architecture, classes, tokenizer, parameter layout) + weights.f32
 *
 * Every file is written to a temporary name and renamed; a checkpoint folder is complete before checkpoint.json
 * names it, so a worker killed at any moment leaves the previous checkpoint usable.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { EpochRecord, EvaluationResult } from '../../src-shared/api';
import { writeAndFlush, writeFileAtomicSync } from '../project/atomic-write';
import type { ModelSpec } from '../engine/training/task';
import type { CnnInput, KmerInput } from './model-plan';

export const RUNS_DIR = 'runs';
export const MODELS_DIR = 'models';

export function runDirOf(artifactsDir: string, runId: number): string {
  return path.join(artifactsDir, RUNS_DIR, String(runId));
}

export function modelDirOf(artifactsDir: string, runId: number): string {
  return path.join(artifactsDir, MODELS_DIR, `run-${runId}`);
}

export interface CheckpointState {
  readonly version: 1;
  /** Epochs completed (1-based epoch number of the last one). */
  readonly epoch: number;
  /** Optimizer steps taken so far (the dropout stream is a function of seed and step). */
  readonly trainerStep: number;
  readonly dir: string;
  readonly bestValLoss: number;
  readonly bestEpoch: number;
  readonly badEpochs: number;
  /** Early stopping ended training after this epoch. */
  readonly stopped: boolean;
  readonly history: readonly EpochRecord[];
  /** Data order and dropout are functions of these: nothing else carries random state between epochs. */
  readonly rng: { readonly seed: number; readonly nextEpoch: number; readonly nextStep: number };
}

export interface CheckpointData {
  readonly state: CheckpointState;
  readonly weights: Float32Array;
  readonly best: Float32Array;
  readonly adamM: Float32Array;
  readonly adamV: Float32Array;
}

const bytesOf = (a: Float32Array): Uint8Array => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

export function readFloats(file: string): Float32Array {
  const buf = fs.readFileSync(file);
  const out = new Float32Array(buf.byteLength / 4);
  new Uint8Array(out.buffer).set(buf);
  return out;
}

export function writeCheckpoint(runDir: string, data: CheckpointData): void {
  fs.mkdirSync(runDir, { recursive: true });
  const name = `ckpt-${data.state.epoch}`;
  const final = path.join(runDir, name);
  const temp = path.join(runDir, `${name}.tmp-${process.pid}`);
  fs.rmSync(temp, { recursive: true, force: true });
  fs.mkdirSync(temp);
  writeAndFlush(path.join(temp, 'weights.f32'), bytesOf(data.weights));
  writeAndFlush(path.join(temp, 'best.f32'), bytesOf(data.best));
  writeAndFlush(path.join(temp, 'adam-m.f32'), bytesOf(data.adamM));
  writeAndFlush(path.join(temp, 'adam-v.f32'), bytesOf(data.adamV));
  fs.rmSync(final, { recursive: true, force: true });
  fs.renameSync(temp, final);
  writeFileAtomicSync(path.join(runDir, 'checkpoint.json'), JSON.stringify({ ...data.state, dir: name }));
  writeHistory(runDir, data.state.history, data.state.bestEpoch);
  for (const entry of fs.readdirSync(runDir)) {
    if (entry.startsWith('ckpt-') && entry !== name) fs.rmSync(path.join(runDir, entry), { recursive: true, force: true });
  }
}

export function readCheckpointState(runDir: string): CheckpointState | null {
  try {
    const state = JSON.parse(fs.readFileSync(path.join(runDir, 'checkpoint.json'), 'utf8')) as CheckpointState;
    if (state.version !== 1 || !fs.existsSync(path.join(runDir, state.dir, 'weights.f32'))) return null;
    return state;
  } catch {
    return null;
  }
}

export function readCheckpoint(runDir: string): CheckpointData | null {
  const state = readCheckpointState(runDir);
  if (!state) return null;
  const dir = path.join(runDir, state.dir);
  return {
    state,
    weights: readFloats(path.join(dir, 'weights.f32')),
    best: readFloats(path.join(dir, 'best.f32')),
    adamM: readFloats(path.join(dir, 'adam-m.f32')),
    adamV: readFloats(path.join(dir, 'adam-v.f32')),
  };
}

export interface HistoryFile {
  readonly epochs: readonly EpochRecord[];
  readonly bestEpoch: number | null;
}

export function writeHistory(runDir: string, epochs: readonly EpochRecord[], bestEpoch: number | null): void {
  writeFileAtomicSync(path.join(runDir, 'history.json'), JSON.stringify({ epochs, bestEpoch } satisfies HistoryFile));
}

export function readHistory(runDir: string): HistoryFile {
  try {
    const h = JSON.parse(fs.readFileSync(path.join(runDir, 'history.json'), 'utf8')) as HistoryFile;
    return { epochs: Array.isArray(h.epochs) ? h.epochs : [], bestEpoch: typeof h.bestEpoch === 'number' ? h.bestEpoch : null };
  } catch {
    return { epochs: [], bestEpoch: null };
  }
}

/** What a model folder's model.json says: enough for the predict issue to rebuild the model and its input. */
export interface SavedModelConfig {
  readonly format: 'dnalm-model';
  readonly version: 1;
  readonly architecture: 'cnn' | 'bert';
  readonly role: 'classifier' | 'pretrained';
  /** The engine's model spec (createTask({ model: spec })). */
  readonly spec: ModelSpec;
  readonly classes: readonly string[];
  readonly input: CnnInput | KmerInput;
  /** CNN: bases per sequence; BERT: null. */
  readonly maxLength: number | null;
  /** BERT: k-mer size and tokens per sequence; CNN: null. */
  readonly k: number | null;
  readonly maxTokens: number | null;
  readonly tokenizer:
    | { readonly kind: 'bases'; readonly ids: Readonly<Record<string, number>>; readonly pad: number; readonly truncation: 'right' }
    | { readonly kind: 'kmer'; readonly k: number; readonly overlapping: true; readonly addSpecial: true; readonly maxLength: number; readonly truncation: 'right' };
  /** Binary CNN: one logit, sigmoid = P(class 1); otherwise softmax over classes. */
  readonly outputs: number;
  readonly parameters: number;
  /** weights.f32 holds these parameters one after another (float32, little-endian), Hugging Face / PyTorch names. */
  readonly layout: readonly { readonly name: string; readonly shape: readonly number[]; readonly offset: number; readonly size: number }[];
  readonly runId: number | null;
  readonly createdAt: string;
}

export function writeModel(dir: string, config: SavedModelConfig, weights: Float32Array): number {
  fs.mkdirSync(dir, { recursive: true });
  writeFileAtomicSync(path.join(dir, 'weights.f32'), bytesOf(weights));
  writeFileAtomicSync(path.join(dir, 'model.json'), JSON.stringify(config, null, 1));
  return weights.byteLength + Buffer.byteLength(JSON.stringify(config, null, 1));
}

export function readModel(dir: string): { config: SavedModelConfig; weights: Float32Array } {
  const config = JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8')) as SavedModelConfig;
  if (config.format !== 'dnalm-model') throw new Error(`${dir} does not hold a DNA LM Studio model.`);
  return { config, weights: readFloats(path.join(dir, 'weights.f32')) };
}

/** Written by the worker when a run has finished; main commits it to the project. */
export interface RunOutcome {
  readonly runId: number;
  readonly epochsDone: number;
  readonly bestEpoch: number | null;
  readonly history: readonly EpochRecord[];
  readonly test: EvaluationResult;
  readonly backend: string;
  readonly threads: number;
  /** Relative to artifacts/. */
  readonly modelPath: string;
  readonly parameters: number;
  readonly modelBytes: number;
  readonly architecture: 'cnn' | 'bert';
  readonly classes: readonly string[];
  readonly modelConfig: SavedModelConfig;
  /** How many pretrained tensors were loaded (init from model). */
  readonly pretrainedTensors?: number;
}

export function writeOutcome(runDir: string, outcome: RunOutcome): void {
  writeFileAtomicSync(path.join(runDir, 'result.json'), JSON.stringify(outcome));
}

export function readOutcome(runDir: string): RunOutcome | null {
  try {
    return JSON.parse(fs.readFileSync(path.join(runDir, 'result.json'), 'utf8')) as RunOutcome;
  } catch {
    return null;
  }
}

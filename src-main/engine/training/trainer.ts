/**
 * Data-parallel training over worker threads. WebAssembly in Node is single-threaded, so one backend per thread:
 * the leader (the thread that creates the Trainer) runs replica 0, each worker thread one more. Every step, each
 * replica computes the gradient of its rows of the batch against the same weights; the leader adds the gradients,
 * clips, applies AdamW once and writes the new weights into the shared buffer that all replicas read at the next
 * step. Identical weights everywhere by construction; with dropout off, N threads give the 1-thread result up to
 * float rounding (BatchNorm statistics are per shard, as in PyTorch's DistributedDataParallel).
 */
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import type * as tf from '@tensorflow/tfjs';
import { chooseBackend } from '../backend';
import { type WasmKernelOptions, installWasmKernels, uninstallWasmKernels } from '../kernels';
import type { ParamLayout } from '../models/params';
import { AdamW, type AdamWOptions, type UpdateStats } from './adamw';
import type { FromReplica, ReplicaInit, ToReplica } from './protocol';
import { Replica } from './replica';
import { type Batch, type Task, type TaskSpec, createTask, sliceBatch } from './task';

export interface TrainerOptions {
  readonly task: TaskSpec;
  /** Fixes initialization and dropout. */
  readonly seed: number;
  readonly optimizer: AdamWOptions;
  /** Threads (= cores) to train on; default `defaultThreads()`. */
  readonly threads?: number;
  /** 'ours' (default): our wasm kernels; 'stock': stock tfjs-wasm plus only the kernels it lacks (benchmarks). */
  readonly kernels?: 'ours' | 'stock';
  /** The bundled replica-thread entry (src-main/engine/training/worker-thread.ts); default next to this bundle. */
  readonly workerScript?: string;
  /** Initial weights (flat, in the layout's order) instead of the seeded initialization. */
  readonly weights?: Float32Array;
}

export interface StepResult {
  readonly step: number;
  /** Mean loss over the batch (weighted as the task defines). */
  readonly loss: number;
  readonly gradNorm: number;
  readonly clipScale: number;
  /** No update: nothing in the batch carries loss weight (e.g. no masked token). */
  readonly skipped: boolean;
  /**
   * Wall time of the step, and its parts: the leader's own shard, waiting for the other threads, the update; and the
   * gradient time of each thread (leader first).
   */
  readonly ms: number;
  readonly parts: { readonly gradMs: number; readonly waitMs: number; readonly updateMs: number; readonly threadMs: readonly number[] };
  /** The batch's reported loss terms (tasks that report them: pretraining's mlm, ngsp, srm, total), summed over shards. */
  readonly terms: Readonly<Record<string, number>>;
}

/** How many cores the machine offers, and how many training will use by default. */
export interface Parallelism {
  readonly cores: number;
  readonly defaultThreads: number;
}

/** Replica threads beyond this bring little: the batch is split thinner and the leader's reduction is serial. */
const MAX_DEFAULT_THREADS = 8;

export function parallelism(): Parallelism {
  const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  return { cores, defaultThreads: Math.max(1, Math.min(cores, MAX_DEFAULT_THREADS)) };
}

export function defaultThreads(): number {
  return parallelism().defaultThreads;
}

export function defaultWorkerScript(): string {
  return path.join(__dirname, 'training-worker.cjs');
}

function kernelOptions(kind: 'ours' | 'stock'): WasmKernelOptions {
  return kind === 'stock' ? { missing: true, fast: false } : { missing: true, fast: true };
}

/** Splits `n` rows into `parts` contiguous ranges as even as possible. */
export function shardRanges(n: number, parts: number): [number, number][] {
  const ranges: [number, number][] = [];
  let start = 0;
  for (let p = 0; p < parts; p++) {
    const size = Math.floor(n / parts) + (p < n % parts ? 1 : 0);
    ranges.push([start, start + size]);
    start += size;
  }
  return ranges;
}

function addTerms(into: Record<string, number>, more: Readonly<Record<string, number>> | undefined): void {
  for (const [k, v] of Object.entries(more ?? {})) into[k] = (into[k] ?? 0) + v;
}

type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;

interface Pending {
  resolve(m: FromReplica): void;
  reject(err: Error): void;
}

/** A replica in a worker thread, as seen from the leader. */
class RemoteReplica {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private failure: Error | null = null;

  private constructor(
    readonly worker: Worker,
    readonly out: Float32Array,
  ) {
    worker.on('message', (m: FromReplica) => {
      if (m.type === 'ready') return;
      const id = m.id;
      if (id === undefined) {
        if (m.type === 'error') this.fail(new Error(`A training thread failed: ${m.message}`));
        return;
      }
      const p = this.pending.get(id);
      if (!p) return;
      this.pending.delete(id);
      if (m.type === 'error') p.reject(new Error(m.message));
      else p.resolve(m);
    });
    worker.on('error', (err) => this.fail(new Error(`A training thread crashed: ${err.message}`)));
    worker.on('exit', (code) => this.fail(new Error(`A training thread exited (code ${code}).`)));
  }

  static async start(script: string, init: ReplicaInit): Promise<RemoteReplica> {
    const worker = new Worker(script, { workerData: init });
    const ready = new Promise<void>((resolve, reject) => {
      const onMessage = (m: FromReplica): void => {
        if (m.type === 'ready') resolve();
        else if (m.type === 'error' && m.id === undefined) reject(new Error(`A training thread could not start: ${m.message}`));
      };
      worker.on('message', onMessage);
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`A training thread exited while starting (code ${code}).`)));
    });
    const replica = new RemoteReplica(worker, new Float32Array(init.out));
    try {
      await ready;
    } catch (err) {
      await worker.terminate();
      throw err;
    }
    return replica;
  }

  private fail(err: Error): void {
    if (this.failure) return;
    this.failure = err;
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
  }

  request(m: WithoutId<ToReplica>): Promise<FromReplica> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise<FromReplica>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ ...m, id });
    });
  }

  async close(): Promise<void> {
    this.failure ??= new Error('The trainer was closed.');
    await this.worker.terminate();
  }
}

export class Trainer {
  private closed = false;
  /** One request at a time: a step updates the weights the other requests read. */
  private busy = false;

  private constructor(
    readonly task: Task,
    readonly layout: ParamLayout,
    /** The current weights, flat in the layout's order (shared with the replica threads; read-only for callers). */
    readonly weights: Float32Array,
    private readonly local: Replica,
    private readonly localOut: Float32Array,
    private readonly remotes: readonly RemoteReplica[],
    readonly optimizer: AdamW,
    readonly backend: string,
  ) {}

  static async create(options: TrainerOptions): Promise<Trainer> {
    const threads = Math.max(1, Math.floor(options.threads ?? defaultThreads()));
    const kernels = kernelOptions(options.kernels ?? 'ours');
    const { backend } = await chooseBackend(['wasm']);
    if (kernels.fast) installWasmKernels(kernels);
    else {
      uninstallWasmKernels({ fast: true, missing: false });
      installWasmKernels(kernels);
    }
    const task = createTask(options.task);
    const layout = task.layout;
    const bytes = layout.size * 4;
    const weights = new Float32Array(new SharedArrayBuffer(bytes));
    if (options.weights) {
      if (options.weights.length !== layout.size) throw new Error(`${options.weights.length} weights given for a model of ${layout.size}.`);
      weights.set(options.weights);
    } else {
      layout.initialize(options.seed, weights);
    }
    const script = options.workerScript ?? defaultWorkerScript();
    const remotes: RemoteReplica[] = [];
    try {
      for (let index = 1; index < threads; index++) {
        const init: ReplicaInit = { task: options.task, seed: options.seed, index, kernels, weights: weights.buffer as SharedArrayBuffer, out: new SharedArrayBuffer(bytes) };
        remotes.push(await RemoteReplica.start(script, init));
      }
    } catch (err) {
      await Promise.all(remotes.map((r) => r.close()));
      throw err;
    }
    const local = new Replica(task, options.seed, 0);
    return new Trainer(task, layout, weights, local, new Float32Array(bytes / 4), remotes, new AdamW(layout, options.optimizer), backend);
  }

  /** Threads (cores) this trainer computes on. */
  get threads(): number {
    return 1 + this.remotes.length;
  }

  /**
   * Optimizer steps taken: the optimizer's own count, so restoring its state (a resumed run) restores this too, and
   * with it the dropout streams, which are seeded by (seed, step, thread).
   */
  get step(): number {
    return this.optimizer.step;
  }

  /** Splits a batch over the replicas (never more replicas than rows). */
  private shards(batch: Batch): Batch[] {
    const parts = Math.max(1, Math.min(this.threads, batch.size));
    if (parts === 1) return [batch];
    return shardRanges(batch.size, parts).map(([s, e]) => sliceBatch(batch, s, e));
  }

  private check(): void {
    if (this.closed) throw new Error('The trainer was closed.');
    if (this.busy) throw new Error('The trainer is already running a step; await it before the next one.');
  }

  /** Runs one request with the trainer marked busy. */
  private async exclusive<T>(f: () => Promise<T>): Promise<T> {
    this.check();
    this.busy = true;
    try {
      return await f();
    } finally {
      this.busy = false;
    }
  }

  /** One optimizer step on `batch`: gradients on all threads, summed, clipped, AdamW. `lr` overrides the base rate. */
  trainStep(batch: Batch, options: { readonly lr?: number } = {}): Promise<StepResult> {
    return this.exclusive(() => this.runStep(batch, options.lr));
  }

  private async runStep(batch: Batch, lr: number | undefined): Promise<StepResult> {
    const t0 = performance.now();
    const denominator = this.task.lossWeight(batch);
    const step = this.optimizer.step;
    if (!(denominator > 0)) {
      return { step, loss: 0, gradNorm: 0, clipScale: 1, skipped: true, ms: performance.now() - t0, parts: { gradMs: 0, waitMs: 0, updateMs: 0, threadMs: [] }, terms: {} };
    }
    const shards = this.shards(batch);
    const remote = shards.slice(1).map((shard, i) =>
      this.remotes[i]!.request({ type: 'grad', batch: shard, denominator, step, training: true }),
    );
    // The leader's shard runs while the other threads work on theirs.
    const t1 = performance.now();
    let loss = this.local.gradients(this.weights, shards[0]!, denominator, step, true, this.localOut);
    const terms = { ...this.local.lastTerms };
    const t2 = performance.now();
    const replies = await Promise.all(remote);
    const t3 = performance.now();
    const threadMs = [t2 - t1];
    for (const r of replies) {
      if (r.type !== 'done') continue;
      loss += r.loss;
      addTerms(terms, r.terms);
      threadMs.push(r.ms);
    }
    const outs = [this.localOut, ...this.remotes.slice(0, shards.length - 1).map((r) => r.out)];
    const norm = this.reduce(outs, shards.map((s) => s.size / batch.size));
    const stats: UpdateStats = this.optimizer.update(this.weights, this.localOut, lr, norm);
    this.copyBuffers(this.localOut);
    const t4 = performance.now();
    const parts = { gradMs: t2 - t1, waitMs: t3 - t2, updateMs: t4 - t3, threadMs };
    return { step, loss, gradNorm: stats.gradNorm, clipScale: stats.clipScale, skipped: false, ms: t4 - t0, parts, terms };
  }

  /**
   * outs[0] := the sum of the replicas' gradients (non-trainable entries: the average of their values, weighted by
   * rows), in one pass that also returns the global norm of the summed gradient.
   */
  private reduce(outs: Float32Array[], rowShares: number[]): number | undefined {
    if (outs.length === 1) return undefined;
    const total = outs[0]!;
    let squares = 0;
    for (const e of this.layout.entries) {
      const end = e.offset + e.size;
      if (e.trainable) {
        const last = outs[outs.length - 1]!;
        for (let r = 1; r < outs.length - 1; r++) {
          const o = outs[r]!;
          for (let i = e.offset; i < end; i++) total[i]! += o[i]!;
        }
        for (let i = e.offset; i < end; i++) {
          const g = total[i]! + last[i]!;
          total[i] = g;
          squares += g * g;
        }
      } else {
        for (let i = e.offset; i < end; i++) {
          let v = 0;
          for (let r = 0; r < outs.length; r++) v += outs[r]![i]! * rowShares[r]!;
          total[i] = v;
        }
      }
    }
    return Math.sqrt(squares);
  }

  private copyBuffers(from: Float32Array): void {
    for (const e of this.layout.entries) {
      if (!e.trainable) this.weights.set(from.subarray(e.offset, e.offset + e.size), e.offset);
    }
  }

  /** Mean loss of a batch in inference mode (no dropout), computed on all threads. */
  evaluate(batch: Batch): Promise<number> {
    return this.exclusive(async () => (await this.runEvaluate(batch)).loss);
  }

  /** Mean loss of a batch in inference mode and its reported terms (pretraining: mlm, ngsp, srm, total). */
  evaluateTerms(batch: Batch): Promise<{ loss: number; terms: Record<string, number> }> {
    return this.exclusive(() => this.runEvaluate(batch));
  }

  private async runEvaluate(batch: Batch): Promise<{ loss: number; terms: Record<string, number> }> {
    const denominator = this.task.lossWeight(batch);
    if (!(denominator > 0)) return { loss: 0, terms: {} };
    const shards = this.shards(batch);
    const remote = shards.slice(1).map((shard, i) => this.remotes[i]!.request({ type: 'evaluate', batch: shard, denominator }));
    let loss = this.local.evaluate(this.weights, shards[0]!, denominator);
    const terms = { ...this.local.lastTerms };
    for (const r of await Promise.all(remote)) {
      if (r.type !== 'done') continue;
      loss += r.loss;
      addTerms(terms, r.terms);
    }
    return { loss, terms };
  }

  /**
   * Inference-mode logits, computed on all threads: [batch, classes] for classification, [masked tokens, vocab] for
   * MLM (tokens in batch order).
   */
  logits(batch: Batch): Promise<{ values: Float32Array; shape: [number, number] }> {
    return this.exclusive(() => this.runLogits(batch));
  }

  private async runLogits(batch: Batch): Promise<{ values: Float32Array; shape: [number, number] }> {
    const shards = this.shards(batch);
    const remote = shards.slice(1).map((shard, i) => this.remotes[i]!.request({ type: 'logits', batch: shard }));
    const parts = [this.local.logits(this.weights, shards[0]!)];
    for (const r of await Promise.all(remote)) if (r.type === 'logits') parts.push({ values: r.values, shape: r.shape });
    const rows = parts.reduce((n, p) => n + p.shape[0], 0);
    const cols = parts[0]!.shape[1];
    const values = new Float32Array(rows * cols);
    let offset = 0;
    for (const p of parts) {
      values.set(p.values, offset);
      offset += p.values.length;
    }
    return { values, shape: [rows, cols] };
  }

  /** Replaces the weights (e.g. from a checkpoint); the replicas see them at their next request. */
  setWeights(flat: Float32Array): void {
    this.check();
    if (flat.length !== this.layout.size) throw new Error(`${flat.length} weights given for a model of ${this.layout.size}.`);
    this.weights.set(flat);
  }

  /** Copies of the weights by PyTorch / Hugging Face parameter name. */
  namedWeights(): Map<string, Float32Array> {
    return this.layout.toNamedArrays(this.weights);
  }

  /** One tensor per parameter name (new tensors on this thread's backend; the caller disposes them). */
  paramTensors(): Record<string, tf.Tensor> {
    return this.layout.toTensors(this.weights);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all(this.remotes.map((r) => r.close()));
  }
}

/**
 * One model replica: computes the gradient of its shard of a batch from the shared weights. Runs in any thread (the
 * leader's own and each worker thread), on that thread's TensorFlow.js backend.
 */
import * as tf from '@tensorflow/tfjs';
import { asWasmBackend } from '../kernels/wasm-internals';
import { Rng, deriveSeed } from '../models/rng';
import type { Batch, Task } from './task';

/** Copies a tensor's values into `out` at `offset`, straight from the wasm heap when possible. */
function copyOut(t: tf.Tensor, out: Float32Array, offset: number): void {
  if (tf.getBackend() === 'wasm') {
    out.set(asWasmBackend(tf.backend()).typedArrayFromHeap(t) as Float32Array, offset);
  } else {
    out.set(t.dataSync() as Float32Array, offset);
  }
}

/** Reads the values of a loss's reported terms (and disposes nothing: the caller owns the tensors). */
function termValues(terms: Record<string, tf.Tensor> | undefined): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [name, t] of Object.entries(terms ?? {})) out[name] = t.dataSync()[0]!;
  return out;
}

export class Replica {
  /** The reported parts of the loss of the last gradients / evaluate call (pretraining: mlm, ngsp, srm, total). */
  lastTerms: Record<string, number> = {};

  constructor(
    readonly task: Task,
    readonly seed: number,
    readonly index: number,
  ) {}

  /**
   * Writes d(loss)/d(weights) for this shard into the trainable entries of `out` and the new values of non-trainable
   * state (BatchNorm statistics) into its other entries. Returns the shard's loss (its share of the batch mean).
   */
  gradients(weights: Float32Array, batch: Batch, denominator: number, step: number, training: boolean, out: Float32Array): number {
    const layout = this.task.layout;
    const trainable = layout.entries.filter((e) => e.trainable);
    const rng = new Rng(deriveSeed(this.seed, 'dropout', step, this.index));
    const params = layout.toTensors(weights);
    let buffers: Record<string, tf.Tensor> = {};
    let terms: Record<string, tf.Tensor> = {};
    try {
      const f = (...xs: tf.Tensor[]): tf.Scalar => {
        const map: Record<string, tf.Tensor> = { ...params };
        trainable.forEach((e, i) => {
          map[e.name] = xs[i]!;
        });
        const r = this.task.loss(map, batch, training, denominator, rng);
        buffers = r.buffers;
        terms = r.terms ?? {};
        for (const t of [...Object.values(buffers), ...Object.values(terms)]) tf.keep(t);
        return r.loss;
      };
      const { value, grads } = tf.valueAndGrads(f)(trainable.map((e) => params[e.name]!));
      try {
        trainable.forEach((e, i) => copyOut(grads[i]!, out, e.offset));
        for (const e of layout.entries) {
          if (e.trainable) continue;
          const t = buffers[e.name];
          if (t) copyOut(t, out, e.offset);
          else out.set(weights.subarray(e.offset, e.offset + e.size), e.offset);
        }
        this.lastTerms = termValues(terms);
        return value.dataSync()[0]!;
      } finally {
        value.dispose();
        tf.dispose(grads);
      }
    } finally {
      tf.dispose(buffers);
      tf.dispose(terms);
      tf.dispose(params);
    }
  }

  /** The loss of a batch in inference mode (no dropout, running statistics), divided by `denominator`. */
  evaluate(weights: Float32Array, batch: Batch, denominator: number): number {
    const params = this.task.layout.toTensors(weights);
    try {
      return tf.tidy(() => {
        const r = this.task.loss(params, batch, false, denominator, new Rng(0));
        this.lastTerms = termValues(r.terms);
        return r.loss.dataSync()[0]!;
      });
    } finally {
      tf.dispose(params);
    }
  }

  /** Logits in inference mode: [rows, columns] row-major. */
  logits(weights: Float32Array, batch: Batch): { values: Float32Array; shape: [number, number] } {
    const params = this.task.layout.toTensors(weights);
    try {
      const t = tf.tidy(() => this.task.logits(params, batch, new Rng(0)));
      try {
        return { values: new Float32Array(t.dataSync()), shape: [t.shape[0], t.shape[1]] }; // a copy we own
      } finally {
        t.dispose();
      }
    } finally {
      tf.dispose(params);
    }
  }
}

/**
 * Parameters as one flat Float32Array with a named layout. The flat form is what the optimizer updates and what the
 * data-parallel replicas share; the names and shapes are PyTorch's (state_dict order and [out, in] Linear weights),
 * so weights can be exchanged with Hugging Face and PyTorch checkpoints.
 */
import * as tf from '@tensorflow/tfjs';
import { Rng, deriveSeed } from './rng';

export type Init =
  | { readonly kind: 'normal'; readonly std: number }
  | { readonly kind: 'uniform'; readonly bound: number }
  | { readonly kind: 'zeros' }
  | { readonly kind: 'ones' };

export interface ParamSpec {
  readonly name: string;
  readonly shape: readonly number[];
  readonly init: Init;
  /** Trained by the optimizer. False for state such as BatchNorm running statistics ("buffers" in PyTorch). */
  readonly trainable: boolean;
  /** Subject to weight decay (not biases and norm scales, as in Hugging Face's AdamW recipe). */
  readonly decay: boolean;
}

export interface ParamEntry extends ParamSpec {
  readonly offset: number;
  readonly size: number;
}

export type ParamMap = Readonly<Record<string, tf.Tensor>>;

export class ParamLayout {
  readonly entries: readonly ParamEntry[];
  readonly size: number;
  private readonly byName: Map<string, ParamEntry>;

  constructor(specs: readonly ParamSpec[]) {
    let offset = 0;
    const entries: ParamEntry[] = [];
    for (const spec of specs) {
      const size = spec.shape.reduce((n, d) => n * d, 1);
      entries.push({ ...spec, offset, size });
      offset += size;
    }
    this.entries = entries;
    this.size = offset;
    this.byName = new Map(entries.map((e) => [e.name, e]));
    if (this.byName.size !== entries.length) throw new Error('duplicate parameter names');
  }

  get(name: string): ParamEntry {
    const entry = this.byName.get(name);
    if (!entry) throw new Error(`no parameter named ${name}`);
    return entry;
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  /** Number of trainable scalars. */
  get trainableSize(): number {
    return this.entries.reduce((n, e) => n + (e.trainable ? e.size : 0), 0);
  }

  /** Seeded initial values. Each parameter draws from its own stream (seed, name): adding one moves no other. */
  initialize(seed: number, into: Float32Array = new Float32Array(this.size)): Float32Array {
    for (const e of this.entries) {
      const view = into.subarray(e.offset, e.offset + e.size);
      const init = e.init;
      switch (init.kind) {
        case 'zeros':
          view.fill(0);
          break;
        case 'ones':
          view.fill(1);
          break;
        case 'normal': {
          const rng = new Rng(deriveSeed(seed, e.name));
          for (let i = 0; i < view.length; i++) view[i] = rng.normal() * init.std;
          break;
        }
        case 'uniform': {
          const rng = new Rng(deriveSeed(seed, e.name));
          for (let i = 0; i < view.length; i++) view[i] = (rng.uniform() * 2 - 1) * init.bound;
          break;
        }
      }
    }
    return into;
  }

  /** One tensor per parameter, copied from the flat values (new tensors, owned by the caller). */
  toTensors(flat: Float32Array): Record<string, tf.Tensor> {
    const out: Record<string, tf.Tensor> = {};
    // wasm copies values into its heap; the JS backends keep the array, which the optimizer later updates in place.
    const copy = tf.getBackend() !== 'wasm';
    for (const e of this.entries) {
      const values = copy ? flat.slice(e.offset, e.offset + e.size) : flat.subarray(e.offset, e.offset + e.size);
      out[e.name] = tf.tensor(values, [...e.shape], 'float32');
    }
    return out;
  }

  /** Copies of each parameter's values by name (for export and tests). */
  toNamedArrays(flat: Float32Array): Map<string, Float32Array> {
    return new Map(this.entries.map((e) => [e.name, flat.slice(e.offset, e.offset + e.size)]));
  }
}

/** PyTorch's default for Linear and Conv weights and biases: U(-1/sqrt(fan_in), 1/sqrt(fan_in)). */
export function torchDefault(fanIn: number): Init {
  return { kind: 'uniform', bound: 1 / Math.sqrt(fanIn) };
}

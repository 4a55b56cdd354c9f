/**
 * AdamW (decoupled weight decay, as torch.optim.AdamW) with gradient clipping by global norm, over the flat parameter
 * vector. Plain JavaScript on purpose: one fused pass over every scalar (about 2 ns each), deterministic, and shared
 * by every thread count, so 1 and N threads apply the identical update to identical gradients.
 */
import type { ParamLayout } from '../models/params';

export interface AdamWOptions {
  readonly lr: number;
  readonly beta1?: number;
  readonly beta2?: number;
  readonly eps?: number;
  /** Decoupled weight decay, applied to parameters whose spec says `decay` (default 0.01, as PyTorch). */
  readonly weightDecay?: number;
  /** Clip the gradient to this global L2 norm; 0 or absent = no clipping. */
  readonly clipNorm?: number;
}

export interface AdamWState {
  readonly step: number;
  readonly m: Float32Array;
  readonly v: Float32Array;
}

export interface UpdateStats {
  /** Global L2 norm of the gradient before clipping. */
  readonly gradNorm: number;
  /** Factor the gradient was scaled by (1 = not clipped). */
  readonly clipScale: number;
}

interface Range {
  readonly start: number;
  readonly end: number;
  readonly decay: boolean;
}

export class AdamW {
  readonly lr: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  readonly weightDecay: number;
  readonly clipNorm: number;
  private m: Float32Array;
  private v: Float32Array;
  private t = 0;
  private readonly ranges: readonly Range[];

  constructor(layout: ParamLayout, options: AdamWOptions) {
    this.lr = options.lr;
    this.beta1 = options.beta1 ?? 0.9;
    this.beta2 = options.beta2 ?? 0.999;
    this.eps = options.eps ?? 1e-8;
    this.weightDecay = options.weightDecay ?? 0.01;
    this.clipNorm = options.clipNorm ?? 0;
    this.m = new Float32Array(layout.size);
    this.v = new Float32Array(layout.size);
    // Adjacent trainable parameters with the same decay are merged into one loop.
    const ranges: Range[] = [];
    for (const e of layout.entries) {
      if (!e.trainable) continue;
      const last = ranges[ranges.length - 1];
      if (last && last.end === e.offset && last.decay === e.decay) ranges[ranges.length - 1] = { ...last, end: e.offset + e.size };
      else ranges.push({ start: e.offset, end: e.offset + e.size, decay: e.decay });
    }
    this.ranges = ranges;
  }

  get step(): number {
    return this.t;
  }

  /** Global L2 norm of the trainable part of `grads` (float64 accumulation). */
  gradNorm(grads: Float32Array): number {
    let sum = 0;
    for (const { start, end } of this.ranges) {
      for (let i = start; i < end; i++) {
        const g = grads[i]!;
        sum += g * g;
      }
    }
    return Math.sqrt(sum);
  }

  /**
   * One step: clips `grads` by global norm, then updates `weights` in place. `lr` overrides the base rate; `norm` is
   * the gradient's global norm when the caller has it already (computed while summing the replicas' gradients).
   */
  update(weights: Float32Array, grads: Float32Array, lr: number = this.lr, norm?: number): UpdateStats {
    const gradNorm = norm ?? this.gradNorm(grads);
    if (!Number.isFinite(gradNorm)) throw new Error('The gradient is not finite (NaN or infinity): training diverged.');
    const clipScale = this.clipNorm > 0 ? Math.min(1, this.clipNorm / (gradNorm + 1e-6)) : 1;
    this.t++;
    const b1 = this.beta1;
    const b2 = this.beta2;
    // w -= lr * mhat / (sqrt(vhat) + eps) with mhat = m / (1 - b1^t), vhat = v / (1 - b2^t), rearranged so that the
    // loop does one sqrt and one division: w -= s * m / (sqrt(v) + e).
    const root = Math.sqrt(1 - b2 ** this.t);
    const s = (lr / (1 - b1 ** this.t)) * root;
    const e = this.eps * root;
    const c1 = 1 - b1;
    const c2 = 1 - b2;
    const m = this.m;
    const v = this.v;
    for (const { start, end, decay } of this.ranges) {
      const shrink = decay ? 1 - lr * this.weightDecay : 1;
      for (let i = start; i < end; i++) {
        const g = grads[i]! * clipScale;
        const mi = b1 * m[i]! + c1 * g;
        const vi = b2 * v[i]! + c2 * g * g;
        m[i] = mi;
        v[i] = vi;
        weights[i] = weights[i]! * shrink - (s * mi) / (Math.sqrt(vi) + e);
      }
    }
    return { gradNorm, clipScale };
  }

  /** Moments and step count (for checkpoints). */
  state(): AdamWState {
    return { step: this.t, m: this.m.slice(), v: this.v.slice() };
  }

  restore(state: AdamWState): void {
    if (state.m.length !== this.m.length || state.v.length !== this.v.length) throw new Error('optimizer state does not fit this model');
    this.t = state.step;
    this.m = state.m.slice();
    this.v = state.v.slice();
  }
}

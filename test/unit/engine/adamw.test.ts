/** AdamW as torch.optim.AdamW (decoupled decay, bias correction), with clipping by global norm. */
import { describe, expect, it } from 'vitest';
import { ParamLayout } from '../../../src-main/engine/models/params';
import { AdamW } from '../../../src-main/engine/training/adamw';

const layout = new ParamLayout([
  { name: 'w', shape: [3], init: { kind: 'zeros' }, trainable: true, decay: true },
  { name: 'running', shape: [1], init: { kind: 'zeros' }, trainable: false, decay: false },
  { name: 'b', shape: [2], init: { kind: 'zeros' }, trainable: true, decay: false },
]);

/** torch.optim.AdamW's update, written out in float64. */
function reference(steps: number[][], weights: number[], lr: number, wd: number, clip: number): number[] {
  const w = [...weights];
  const m = w.map(() => 0);
  const v = w.map(() => 0);
  const [b1, b2, eps] = [0.9, 0.999, 1e-8];
  steps.forEach((grad, t0) => {
    const t = t0 + 1;
    const trainable = [0, 1, 2, 4, 5];
    const norm = Math.sqrt(trainable.reduce((s, i) => s + grad[i]! ** 2, 0));
    const scale = clip > 0 ? Math.min(1, clip / (norm + 1e-6)) : 1;
    for (const i of trainable) {
      const g = grad[i]! * scale;
      if (i < 3) w[i]! *= 1 - lr * wd;
      m[i] = b1 * m[i]! + (1 - b1) * g;
      v[i] = b2 * v[i]! + (1 - b2) * g * g;
      w[i]! -= (lr * (m[i]! / (1 - b1 ** t))) / (Math.sqrt(v[i]! / (1 - b2 ** t)) + eps);
    }
  });
  return w;
}

describe('AdamW', () => {
  it('matches torch.optim.AdamW, decays only decayed parameters and leaves buffers alone', () => {
    const grads = [
      [0.5, -1, 2, 99, 0.1, -0.3],
      [0.4, -0.5, 1, 99, 0.2, 0.3],
      [-0.2, 0.1, 0.3, 99, 0.05, -0.1],
    ];
    const start = [1, -2, 0.5, 7, 0.3, -0.4];
    const weights = Float32Array.from(start);
    const opt = new AdamW(layout, { lr: 0.01, weightDecay: 0.1 });
    for (const g of grads) opt.update(weights, Float32Array.from(g));
    const want = reference(grads, start, 0.01, 0.1, 0);
    [...weights].forEach((w, i) => expect(w).toBeCloseTo(want[i]!, 6));
    expect(weights[3]).toBe(7);
    expect(opt.step).toBe(3);
  });

  it('clips the gradient to the global norm and reports the norm before clipping', () => {
    const start = [1, -2, 0.5, 0, 0.3, -0.4];
    const weights = Float32Array.from(start);
    const opt = new AdamW(layout, { lr: 0.01, weightDecay: 0, clipNorm: 1 });
    const g = [3, 4, 0, 50, 0, 0];
    const stats = opt.update(weights, Float32Array.from(g));
    expect(stats.gradNorm).toBeCloseTo(5, 6); // the buffer's slot does not count
    expect(stats.clipScale).toBeCloseTo(0.2, 6);
    const want = reference([g], start, 0.01, 0, 1);
    [...weights].forEach((w, i) => expect(w).toBeCloseTo(want[i]!, 6));
    expect(() => opt.update(weights, Float32Array.from([NaN, 0, 0, 0, 0, 0]))).toThrow(/diverged/);
  });

  it('saves and restores its moments for checkpoints', () => {
    const a = new AdamW(layout, { lr: 0.01 });
    const w1 = Float32Array.from([1, 2, 3, 0, 4, 5]);
    a.update(w1, Float32Array.from([1, 1, 1, 0, 1, 1]));
    const b = new AdamW(layout, { lr: 0.01 });
    b.restore(a.state());
    const w2 = w1.slice();
    const g = Float32Array.from([0.3, -0.2, 0.1, 0, 0.5, 0.2]);
    a.update(w1, g);
    b.update(w2, g);
    expect(w2).toEqual(w1);
  });
});

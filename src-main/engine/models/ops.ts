/**
 * The layer operations the models are written in, in two sets with the same maths:
 *  - `stock`: plain tfjs ops and tfjs's automatic gradients (what a tf.layers model would run; the benchmark baseline);
 *  - `fast`: hand-written gradients (tf.customGrad) that keep the work on XNNPACK and avoid tfjs-wasm's slow kernels
 *    (tanh and exp are scalar libm loops; autodiff through moments() and broadcasting adds produces many small ops).
 * Tests check that both sets give the same values and gradients.
 */
import * as tf from '@tensorflow/tfjs';
import { BATCH_NORM, BATCH_NORM_GRAD, hasFusedKernels } from '../kernels';
import type { Rng } from './rng';

export interface OpSet {
  readonly name: 'fast' | 'stock';
  /** x [n, in] @ w^T + b with a PyTorch-layout weight w [out, in]. */
  linear(x: tf.Tensor2D, w: tf.Tensor2D, b?: tf.Tensor1D): tf.Tensor2D;
  /** GELU, tanh approximation (PyTorch `approximate='tanh'`, the peers' default). */
  gelu(x: tf.Tensor2D): tf.Tensor2D;
  /** LayerNorm over the last axis of x [n, d]. */
  layerNorm(x: tf.Tensor2D, gamma: tf.Tensor1D, beta: tf.Tensor1D, eps: number): tf.Tensor2D;
  /** BatchNorm with batch statistics over the rows of x [n, c]; also returns them (biased variance). */
  batchNormTrain(x: tf.Tensor2D, gamma: tf.Tensor1D, beta: tf.Tensor1D, eps: number): { y: tf.Tensor2D; mean: tf.Tensor1D; variance: tf.Tensor1D };
  /** Valid 1-D convolution of x [b, l, cin] with a PyTorch-layout weight w [cout, cin, k] -> [b, l - k + 1, cout]. */
  conv1d(x: tf.Tensor3D, w: tf.Tensor3D, b: tf.Tensor1D): tf.Tensor3D;
  /** Inverted dropout (scaled by 1 / (1 - rate)); a no-op for rate 0. */
  dropout<T extends tf.Tensor>(x: T, rate: number, rng: Rng): T;
  /** Per-row softmax cross-entropy of logits [n, c] against integer labels [n] -> [n]. */
  crossEntropy(logits: tf.Tensor2D, labels: tf.Tensor1D): tf.Tensor1D;
}

// gelu_tanh(x) = 0.5 x (1 + tanh(z)), z = sqrt(2/pi) (x + 0.044715 x^3); 0.5 (1 + tanh(z)) = sigmoid(2z).
const GELU_C1 = 2 * Math.sqrt(2 / Math.PI);
const GELU_C2 = GELU_C1 * 0.044715;

type Grad = (dy: tf.Tensor, saved: tf.Tensor[]) => tf.Tensor | tf.Tensor[];
type Fwd = { value: tf.Tensor; gradFunc: Grad };
// tf.customGrad's declared type only admits one shape of function; ours take a fixed number of tensors.
function custom<A extends tf.Tensor[]>(f: (...args: [...A, tf.GradSaveFunc]) => Fwd): (...args: A) => tf.Tensor {
  return tf.customGrad(f as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as (...args: A) => tf.Tensor;
}

/**
 * dW [out, in] for y = x w^T, from dy [n, out] and x [n, in]. XNNPACK packs the right operand of every product and
 * runs best when it is narrow (a wide one overflows the L2 cache: 18 against 28 GFLOP/s for n = 2048, 1024 wide), so
 * the narrower of in / out goes on the right: dy^T x when in <= out, else (x^T dy)^T. The wasm kernel makes the
 * transposes explicit copies.
 */
function linearWeightGrad(dy: tf.Tensor2D, x: tf.Tensor2D): tf.Tensor2D {
  const out = dy.shape[1];
  const inn = x.shape[1];
  return inn <= out ? tf.matMul(dy, x, true, false) : (tf.transpose(tf.matMul(x, dy, true, false)) as tf.Tensor2D);
}

const fastLinearBias = custom<[tf.Tensor2D, tf.Tensor2D, tf.Tensor1D]>((x, w, b, save) => {
  save([x, w]);
  return {
    value: tf.add(tf.matMul(x, w, false, true), b),
    gradFunc: (dy, [xs, ws]) => [tf.matMul(dy as tf.Tensor2D, ws as tf.Tensor2D), linearWeightGrad(dy as tf.Tensor2D, xs as tf.Tensor2D), tf.sum(dy, 0)],
  };
});

const fastLinear = custom<[tf.Tensor2D, tf.Tensor2D]>((x, w, save) => {
  save([x, w]);
  return {
    value: tf.matMul(x, w, false, true),
    gradFunc: (dy, [xs, ws]) => [tf.matMul(dy as tf.Tensor2D, ws as tf.Tensor2D), linearWeightGrad(dy as tf.Tensor2D, xs as tf.Tensor2D)],
  };
});

const fastGelu = custom<[tf.Tensor]>((x, save) => {
  const x2 = tf.square(x);
  const s = tf.sigmoid(tf.mul(x, tf.add(tf.mul(x2, GELU_C2), GELU_C1)));
  save([x, s]);
  return {
    value: tf.mul(x, s),
    // d/dx [x s(u)] = s + x s (1 - s) u',  u' = c1 + 3 c2 x^2
    gradFunc: (dy, [xs, ss]) => {
      const x_ = xs!;
      const s_ = ss!;
      const du = tf.add(tf.mul(tf.square(x_), 3 * GELU_C2), GELU_C1);
      const ds = tf.sub(s_, tf.square(s_));
      return tf.mul(dy, tf.add(s_, tf.mul(tf.mul(x_, ds), du)));
    },
  };
});

/** Normalises rows (axis 1, layer norm) or columns (axis 0, batch norm) of x; returns y = xhat * gamma + beta. */
function makeFastNorm(axis: 0 | 1, eps: number): (x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor) => tf.Tensor {
  return custom<[tf.Tensor, tf.Tensor, tf.Tensor]>((x, gamma, beta, save) => {
    const mean = tf.mean(x, axis, true);
    const xc = tf.sub(x, mean);
    const variance = tf.mean(tf.square(xc), axis, true);
    const rstd = tf.rsqrt(tf.add(variance, eps));
    const xhat = tf.mul(xc, rstd);
    save([xhat, rstd, gamma]);
    return {
      value: tf.add(tf.mul(xhat, gamma), beta),
      gradFunc: (dy, [xh, rs, g]) => {
        const xh_ = xh!;
        const dxhat = tf.mul(dy, g!);
        const dx = tf.mul(
          rs!,
          tf.sub(tf.sub(dxhat, tf.mean(dxhat, axis, true)), tf.mul(xh_, tf.mean(tf.mul(dxhat, xh_), axis, true))),
        );
        // gamma and beta run along the columns in both cases: their gradients sum over rows.
        return [dx, tf.sum(tf.mul(dy, xh_), 0), tf.sum(dy, 0)];
      },
    };
  });
}

const layerNormCache = new Map<number, ReturnType<typeof makeFastNorm>>();
const batchNormCache = new Map<number, ReturnType<typeof makeFastNorm>>();
function cached(cache: Map<number, ReturnType<typeof makeFastNorm>>, axis: 0 | 1, eps: number): ReturnType<typeof makeFastNorm> {
  let f = cache.get(eps);
  if (!f) {
    f = makeFastNorm(axis, eps);
    cache.set(eps, f);
  }
  return f;
}

/** Fills a tensor's worth of keep/drop decisions: 0 or 1 / (1 - rate), two decisions per 32-bit draw. */
export function dropoutMask(shape: readonly number[], rate: number, rng: Rng): tf.Tensor {
  const size = shape.reduce((n, d) => n * d, 1);
  const values = new Float32Array(size);
  const keep = 1 / (1 - rate);
  const threshold = Math.round(rate * 65536); // drop when a 16-bit draw is below it (resolution 1.5e-5)
  let i = 0;
  for (; i + 1 < size; i += 2) {
    const r = rng.nextUint32();
    values[i] = (r & 0xffff) < threshold ? 0 : keep;
    values[i + 1] = r >>> 16 < threshold ? 0 : keep;
  }
  if (i < size) values[i] = (rng.nextUint32() & 0xffff) < threshold ? 0 : keep;
  return tf.tensor(values, [...shape], 'float32');
}

const fastCrossEntropy = custom<[tf.Tensor2D, tf.Tensor1D]>((logits, labels, save) => {
  const numClasses = logits.shape[1];
  const max = tf.max(logits, 1, true);
  const shifted = tf.sub(logits, max);
  const e = tf.exp(shifted);
  const s = tf.sum(e, 1, true);
  const oneHot = tf.oneHot(tf.cast(labels, 'int32'), numClasses);
  const picked = tf.sum(tf.mul(shifted, oneHot), 1);
  save([e, s, oneHot]);
  return {
    value: tf.sub(tf.log(tf.reshape(s, [-1])), picked),
    gradFunc: (dy, [es, ss, oh]) => [tf.mul(tf.sub(tf.div(es!, ss!), oh!), tf.reshape(dy, [-1, 1])), tf.zerosLike(labels)],
  };
});

/** Batch norm on our fused kernels: statistics come out of the forward kernel (no second pass for them). */
function fusedBatchNorm(x: tf.Tensor2D, gamma: tf.Tensor1D, beta: tf.Tensor1D, eps: number): ReturnType<OpSet['batchNormTrain']> {
  let stats: tf.Tensor[] = [];
  const op = custom<[tf.Tensor, tf.Tensor, tf.Tensor]>((xs, g, b, save) => {
    const [y, mean, variance] = tf.engine().runKernel(BATCH_NORM, { x: xs, gamma: g, beta: b }, { eps }) as tf.Tensor[];
    // The custom op returns one tensor; the statistics leave its scope kept and are handed over below.
    stats = [tf.keep(mean!.clone()), tf.keep(variance!.clone())];
    save([xs, g, mean!, variance!]);
    return {
      value: y!,
      gradFunc: (dy, [xv, gv, mv, vv]) =>
        tf.engine().runKernel(BATCH_NORM_GRAD, { dy, x: xv!, gamma: gv!, mean: mv!, variance: vv! }, { eps }) as tf.Tensor[],
    };
  });
  const y = op(x, gamma, beta) as tf.Tensor2D;
  const [mean, variance] = stats.map((t) => {
    const owned = t.clone();
    t.dispose();
    return owned as tf.Tensor1D;
  });
  return { y, mean: mean!, variance: variance! };
}

export const fastOps: OpSet = {
  name: 'fast',
  linear: (x, w, b) => (b ? fastLinearBias(x, w, b) : fastLinear(x, w)) as tf.Tensor2D,
  gelu: (x) => fastGelu(x) as tf.Tensor2D,
  layerNorm: (x, gamma, beta, eps) => cached(layerNormCache, 1, eps)(x, gamma, beta) as tf.Tensor2D,
  batchNormTrain: (x, gamma, beta, eps) => {
    if (hasFusedKernels(tf.getBackend())) return fusedBatchNorm(x, gamma, beta, eps);
    // Statistics for the running averages; the op recomputes them inside its own gradient scope.
    const { mean, variance } = tf.moments(x, 0);
    const y = cached(batchNormCache, 0, eps)(x, gamma, beta) as tf.Tensor2D;
    return { y, mean: mean as tf.Tensor1D, variance: variance as tf.Tensor1D };
  },
  conv1d: (x, w, b) => {
    // As a 2-D convolution of height 1 with the bias fused in (one XNNPACK call).
    const [batch, length, cin] = x.shape;
    const [cout, , k] = w.shape;
    const filter = tf.reshape(tf.transpose(w, [2, 1, 0]), [1, k, cin, cout]) as tf.Tensor4D;
    const y = tf.fused.conv2d({ x: tf.reshape(x, [batch, 1, length, cin]) as tf.Tensor4D, filter, strides: 1, pad: 'valid', bias: b });
    return tf.reshape(y, [batch, length - k + 1, cout]) as tf.Tensor3D;
  },
  dropout: <T extends tf.Tensor>(x: T, rate: number, rng: Rng): T => (rate > 0 ? (tf.mul(x, dropoutMask(x.shape, rate, rng)) as T) : x),
  crossEntropy: (logits, labels) => fastCrossEntropy(logits, labels) as tf.Tensor1D,
};

export const stockOps: OpSet = {
  name: 'stock',
  linear: (x, w, b) => {
    const y = tf.matMul(x, w, false, true) as tf.Tensor2D;
    return b ? (tf.add(y, b) as tf.Tensor2D) : y;
  },
  gelu: (x) => {
    const z = tf.mul(tf.add(x, tf.mul(tf.pow(x, 3), 0.044715)), Math.sqrt(2 / Math.PI));
    return tf.mul(tf.mul(x, 0.5), tf.add(tf.tanh(z), 1)) as tf.Tensor2D;
  },
  layerNorm: (x, gamma, beta, eps) => {
    const { mean, variance } = tf.moments(x, 1, true);
    return tf.add(tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, eps))), gamma), beta) as tf.Tensor2D;
  },
  batchNormTrain: (x, gamma, beta, eps) => {
    const { mean, variance } = tf.moments(x, 0);
    const y = tf.batchNorm(x, mean, variance, beta, gamma, eps) as tf.Tensor2D;
    return { y, mean: mean as tf.Tensor1D, variance: variance as tf.Tensor1D };
  },
  conv1d: (x, w, b) => tf.add(tf.conv1d(x, tf.transpose(w, [2, 1, 0]) as tf.Tensor3D, 1, 'valid'), b) as tf.Tensor3D,
  dropout: <T extends tf.Tensor>(x: T, rate: number, rng: Rng): T => (rate > 0 ? (tf.dropout(x, rate, undefined, rng.nextUint32()) as T) : x),
  crossEntropy: (logits, labels) => {
    const logp = tf.logSoftmax(logits);
    return tf.neg(tf.sum(tf.mul(logp, tf.oneHot(tf.cast(labels, 'int32'), logits.shape[1])), 1)) as tf.Tensor1D;
  },
};

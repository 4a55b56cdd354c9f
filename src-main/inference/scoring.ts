/** Logits -> class probabilities (pure): one output is the class-1 logit (sigmoid), more are softmax logits. */

/** Row-major [n, classes] probabilities from [n, outputs] logits (as training's evaluation computes them). */
export function probabilitiesFromLogits(logits: Float32Array, outputs: number, n: number): Float64Array {
  const classes = outputs === 1 ? 2 : outputs;
  const out = new Float64Array(n * classes);
  for (let i = 0; i < n; i++) {
    if (outputs === 1) {
      const p = 1 / (1 + Math.exp(-(logits[i] ?? 0)));
      out[2 * i] = 1 - p;
      out[2 * i + 1] = p;
      continue;
    }
    let max = -Infinity;
    for (let c = 0; c < outputs; c++) max = Math.max(max, logits[i * outputs + c] ?? 0);
    let sum = 0;
    for (let c = 0; c < outputs; c++) sum += Math.exp((logits[i * outputs + c] ?? 0) - max);
    for (let c = 0; c < outputs; c++) out[i * outputs + c] = Math.exp((logits[i * outputs + c] ?? 0) - max) / sum;
  }
  return out;
}

/** log(p / (1 - p)), finite at 0 and 1 (clamped to 1e-7 .. 1 - 1e-7). */
export function logit(p: number): number {
  const q = Math.min(1 - 1e-7, Math.max(1e-7, p));
  return Math.log(q / (1 - q));
}

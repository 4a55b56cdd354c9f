/**
 * A saved model's weights by parameter name, checked against the layout the engine would build for its spec: the
 * exporter reads exactly the tensors the TensorFlow.js forward pass reads, or refuses the model.
 */
import type { SavedModelConfig } from '../../training/artifacts';

export interface SavedTensor {
  readonly shape: readonly number[];
  readonly values: Float32Array;
}

export class SavedWeights {
  private readonly byName: Map<string, SavedTensor>;

  constructor(config: SavedModelConfig, weights: Float32Array) {
    this.byName = new Map();
    for (const e of config.layout) {
      const size = e.shape.reduce((n, d) => n * d, 1);
      if (size !== e.size || e.offset < 0 || e.offset + e.size > weights.length) {
        throw new Error(`The weights file does not hold the parameter ${e.name} that model.json describes (damaged or truncated).`);
      }
      this.byName.set(e.name, { shape: e.shape, values: weights.subarray(e.offset, e.offset + e.size) });
    }
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  get(name: string): SavedTensor {
    const t = this.byName.get(name);
    if (!t) throw new Error(`The model has no parameter ${name}.`);
    return t;
  }

  /** Every parameter the engine's layout names must be here with the same shape. */
  checkAgainst(expected: readonly { readonly name: string; readonly shape: readonly number[] }[]): void {
    for (const e of expected) {
      const t = this.byName.get(e.name);
      if (!t) throw new Error(`The model has no parameter ${e.name}, which its architecture needs.`);
      if (t.shape.join('x') !== e.shape.join('x')) {
        throw new Error(`The parameter ${e.name} has shape [${t.shape.join(', ')}]; the architecture needs [${e.shape.join(', ')}].`);
      }
    }
  }
}

/** w [out, in] (PyTorch Linear) -> [in, out], the right operand of a MatMul. */
export function transposed(t: SavedTensor): { dims: [number, number]; values: Float32Array } {
  const [out, inn] = t.shape as [number, number];
  const v = new Float32Array(out * inn);
  for (let o = 0; o < out; o++) for (let i = 0; i < inn; i++) v[i * out + o] = t.values[o * inn + i]!;
  return { dims: [inn, out], values: v };
}

/**
 * BERT's masked-language-model corruption (Devlin et al.): choose `probability` of the maskable tokens; of those,
 * 80 % become [MASK], 10 % a random token, 10 % stay. Labels hold the original id at chosen positions and
 * IGNORE_INDEX elsewhere. Seeded: the same rng state gives the same masks.
 */
import type { Rng } from '../models/rng';
import { IGNORE_INDEX } from './task';

export interface MlmMaskingOptions {
  readonly maskTokenId: number;
  readonly vocabSize: number;
  /** Ids never chosen nor used as random replacements ([PAD], [CLS], [SEP], ...). */
  readonly specialIds: readonly number[];
  readonly probability?: number;
}

export function applyMlmMasking(tokens: Int32Array, options: MlmMaskingOptions, rng: Rng): { tokens: Int32Array; labels: Int32Array } {
  const p = options.probability ?? 0.15;
  const special = new Set(options.specialIds);
  const firstRegular = Math.max(-1, ...options.specialIds.filter((id) => id < options.vocabSize)) + 1;
  const out = tokens.slice();
  const labels = new Int32Array(tokens.length).fill(IGNORE_INDEX);
  for (let i = 0; i < tokens.length; i++) {
    const id = tokens[i]!;
    if (special.has(id) || rng.uniform() >= p) continue;
    labels[i] = id;
    const r = rng.uniform();
    if (r < 0.8) out[i] = options.maskTokenId;
    else if (r < 0.9) out[i] = firstRegular + rng.int(options.vocabSize - firstRegular);
  }
  return { tokens: out, labels };
}

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

export interface SpanMaskingOptions extends MlmMaskingOptions {
  /** Shortest and longest span in tokens; a span's length is uniform in [minSpan, maxSpan]. */
  readonly minSpan: number;
  readonly maxSpan: number;
  /** Fraction of the maskable tokens to mask (the `probability` of the token-level masking is ignored). */
  readonly rate: number;
}

export interface SpanMasking {
  readonly tokens: Int32Array;
  readonly labels: Int32Array;
  /** Lengths of the spans drawn, in the order drawn. */
  readonly spans: readonly number[];
}

/** Spans rejected in a row (overlapping, touching or crossing a special token) before giving up on more. */
const MAX_REJECTIONS = 64;

/**
 * Span masking of one row of overlapping k-mer tokens: DNABERT's rule and RandomMask's curriculum.
 *
 * With overlapping k-mers, every base is seen by k consecutive tokens, so masking one token alone leaves its bases
 * visible in its neighbours and the model only learns to copy them. DNABERT therefore masks a span of k tokens centred
 * on each chosen token (`minSpan = maxSpan = k`); RandomMask draws the span length uniformly in [minSpan, maxSpan]
 * and lets maxSpan grow with the phase. Spans are centred on a uniformly chosen maskable token, lie inside one run of
 * maskable tokens (never over [CLS]/[SEP]/[PAD]) and neither overlap nor touch, so each span drawn is one masked run.
 * Spans are added until `rate` of the maskable tokens are masked; the last span is kept with the probability that
 * makes the expected masked count equal to the target, so the rate is unbiased. Replacement is BERT's 80/10/10.
 */
export function applySpanMasking(tokens: Int32Array, options: SpanMaskingOptions, rng: Rng): SpanMasking {
  const special = new Set(options.specialIds);
  const firstRegular = Math.max(-1, ...options.specialIds.filter((id) => id < options.vocabSize)) + 1;
  const n = tokens.length;
  const maskable = new Uint8Array(n);
  let count = 0;
  for (let i = 0; i < n; i++) {
    if (!special.has(tokens[i]!)) {
      maskable[i] = 1;
      count++;
    }
  }
  const out = tokens.slice();
  const labels = new Int32Array(n).fill(IGNORE_INDEX);
  const spans: number[] = [];
  const minSpan = Math.max(1, Math.floor(options.minSpan));
  const maxSpan = Math.max(minSpan, Math.floor(options.maxSpan));
  const target = options.rate * count;
  let masked = 0;
  let rejections = 0;
  const positions: number[] = [];
  for (let i = 0; i < n; i++) if (maskable[i]) positions.push(i);
  while (masked < target && rejections < MAX_REJECTIONS && positions.length > 0) {
    const s = minSpan + rng.int(maxSpan - minSpan + 1);
    const centre = positions[rng.int(positions.length)]!;
    const start = centre - Math.floor((s - 1) / 2);
    const end = start + s;
    let ok = start >= 0 && end <= n;
    for (let i = Math.max(0, start - 1); ok && i < Math.min(n, end + 1); i++) {
      const inside = i >= start && i < end;
      if (inside && !maskable[i]) ok = false;
      if (labels[i] !== IGNORE_INDEX) ok = false; // overlaps or touches an earlier span
    }
    if (!ok) {
      rejections++;
      continue;
    }
    if (masked + s > target && rng.uniform() >= (target - masked) / s) break;
    for (let i = start; i < end; i++) {
      labels[i] = tokens[i]!;
      const r = rng.uniform();
      if (r < 0.8) out[i] = options.maskTokenId;
      else if (r < 0.9) out[i] = firstRegular + rng.int(options.vocabSize - firstRegular);
    }
    spans.push(s);
    masked += s;
  }
  return { tokens: out, labels, spans };
}

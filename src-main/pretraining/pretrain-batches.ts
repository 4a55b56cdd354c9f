/**
 * From corpus samples to the pretraining task's batches (see engine/training/pretrain-task.ts): overlapping k-mer
 * tokens ([CLS] A [SEP] B [SEP] with token types 0/1 for NGSP, [CLS] window [SEP] otherwise), span masking as the
 * schedule's phase says, the NGSP label, and the standardised motif affinities of the sample's region group.
 * Everything random comes from the `rng` passed in, which the loop seeds by (seed, step).
 */
import type { MaskSchedulePhase } from '../../src-shared/api';
import { CLS_ID, MASK_ID, PAD_ID, SEP_ID, UNK_ID, tokenizeBatch, tokenizePairBatch, vocabSize } from '../../src-shared/dna';
import type { KmerSize } from '../../src-shared/dna';
import type { Rng } from '../engine/models/rng';
import { applySpanMasking } from '../engine/training/masking';
import type { Batch } from '../engine/training/task';
import { type Anchor, type Corpus, groupStart, ngspPair, windowOffsets } from './corpus';

export interface RegionFeatures {
  /** Region tokens per sample. */
  readonly regions: number;
  readonly motifs: number;
  /** [corpus windows, motifs], standardised per motif; rows in windowOffsets order. */
  readonly values: Float32Array;
}

export interface BatchPlan {
  readonly k: KmerSize;
  /** Tokens per row (with the special tokens). */
  readonly maxTokens: number;
  readonly ngsp: boolean;
  readonly srm: RegionFeatures | null;
}

export const SPECIAL_IDS = [PAD_ID, UNK_ID, CLS_ID, SEP_ID, MASK_ID] as const;

/** Tokens per row for windows of `window` bases: [CLS] + k-mers + [SEP]; an NGSP pair has fewer k-mers. */
export function tokensFor(window: number, k: number): number {
  return window - k + 1 + 2;
}

/** Each motif column scaled to mean 0 and standard deviation 1 over the corpus (constant columns become 0). */
export function standardise(values: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(values.length);
  for (let c = 0; c < cols; c++) {
    let sum = 0;
    let sq = 0;
    for (let r = 0; r < rows; r++) {
      const v = values[r * cols + c]!;
      sum += v;
      sq += v * v;
    }
    const mean = sum / Math.max(1, rows);
    const sd = Math.sqrt(Math.max(0, sq / Math.max(1, rows) - mean * mean));
    for (let r = 0; r < rows; r++) out[r * cols + c] = sd > 1e-9 ? (values[r * cols + c]! - mean) / sd : 0;
  }
  return out;
}

export function pretrainBatch(corpus: Corpus, anchors: readonly Anchor[], plan: BatchPlan, phase: MaskSchedulePhase, rng: Rng): Batch {
  const B = anchors.length;
  const L = plan.maxTokens;
  const follows = new Int32Array(B);
  let enc;
  if (plan.ngsp) {
    const pairs = anchors.map((a, r) => {
      const p = ngspPair(corpus, a, rng);
      follows[r] = p.follows ? 1 : 0;
      return [p.first, p.second] as const;
    });
    enc = tokenizePairBatch(pairs, { k: plan.k, maxLength: L });
  } else {
    enc = tokenizeBatch(
      anchors.map((a) => corpus.tracks[a.track]![a.index]!),
      { k: plan.k, maxLength: L },
    );
  }
  const tokens = new Int32Array(B * L);
  const labels = new Int32Array(B * (L + 1));
  const masking = { maskTokenId: MASK_ID, vocabSize: vocabSize(plan.k), specialIds: SPECIAL_IDS, minSpan: phase.minSpan, maxSpan: phase.maxSpan, rate: phase.rate };
  for (let r = 0; r < B; r++) {
    const m = applySpanMasking(enc.ids.subarray(r * L, (r + 1) * L), masking, rng);
    tokens.set(m.tokens, r * L);
    labels.set(m.labels, r * (L + 1));
    labels[r * (L + 1) + L] = follows[r]!;
  }
  const batch: Batch = { size: B, length: L, tokens, attentionMask: enc.attentionMask, tokenTypes: enc.tokenTypeIds, labels };
  const srm = plan.srm;
  if (!srm) return batch;
  const offsets = windowOffsets(corpus);
  const features = new Float32Array(B * srm.regions * srm.motifs);
  anchors.forEach((a, r) => {
    const first = offsets[a.track]! + groupStart(corpus, a, srm.regions);
    features.set(srm.values.subarray(first * srm.motifs, (first + srm.regions) * srm.motifs), r * srm.regions * srm.motifs);
  });
  return { ...batch, features };
}

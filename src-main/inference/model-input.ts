/**
 * From DNA to a model's input exactly as training encoded it (src-main/training/data.ts): CNN base ids cut/padded to
 * the model's length, or DNABERT k-mer tokens with [CLS]/[SEP] and padding to maxTokens. Also the checks that turn a
 * model/input mismatch into a sentence the user can act on.
 */
import { ApiError } from '../../src-shared/api';
import { maxBasesFor, tokenizeBatch } from '../../src-shared/dna';
import type { SavedModelConfig } from '../training/artifacts';
import { encodeCnn } from '../training/data';
import type { ModelInputBatch } from './runner';

/** Longest sequence (in bases) the model reads whole: CNN its length; BERT maxTokens - 2 + k - 1. */
export function modelInputLength(config: SavedModelConfig): number {
  if (config.input.kind === 'cnn') return config.input.length;
  return maxBasesFor(config.input.maxTokens, { k: config.input.k, overlapping: true, addSpecial: true });
}

/** Shortest sequence that gives the model at least one real token (BERT needs one whole k-mer). */
export function modelMinLength(config: SavedModelConfig): number {
  return config.input.kind === 'cnn' ? 1 : config.input.k;
}

/** Rows of equal length for the runner; sequences must already fit (see checkSequenceFits). */
export function encodeForModel(config: SavedModelConfig, sequences: readonly string[]): ModelInputBatch {
  const input = config.input;
  if (input.kind === 'cnn') return { size: sequences.length, length: input.length, tokens: encodeCnn(sequences, input) };
  const enc = tokenizeBatch(sequences, { k: input.k, maxLength: input.maxTokens, truncation: 'right' });
  return { size: sequences.length, length: input.maxTokens, tokens: enc.ids, attentionMask: enc.attentionMask };
}

/** Only classifiers predict: a pretrained (MLM) model has no head that gives class probabilities. */
export function assertClassifier(config: SavedModelConfig, name: string): void {
  const head = config.spec.kind === 'bert' ? config.spec.head : null;
  if (config.role !== 'classifier' || (head !== null && head.kind !== 'classification')) {
    throw new ApiError(
      'INVALID_REQUEST',
      `The model "${name}" is a pretrained language model without a classification head; fine-tune it on a labelled dataset (Train page, or dnalm train --pretrained) and predict with that model.`,
    );
  }
  if (config.classes.length < 2) throw new ApiError('INVALID_REQUEST', `The model "${name}" has fewer than two classes.`);
}

/** A k the user states (CLI --k, a k-mer input) must be the model's. */
export function assertK(config: SavedModelConfig, name: string, k: number | undefined): void {
  if (k === undefined) return;
  if (config.input.kind === 'cnn') {
    throw new ApiError('INVALID_REQUEST', `The model "${name}" is a CNN that reads bases, not ${k}-mers; leave out the k-mer size or choose a BERT model.`);
  }
  if (config.input.k !== k) {
    throw new ApiError('INVALID_REQUEST', `The model "${name}" reads ${config.input.k}-mers, not ${k}-mers; choose a model trained with k = ${k} or use k = ${config.input.k}.`);
  }
}

/** `truncate`: longer sequences are allowed (the encoder cuts them at the end, as training did). */
export function checkSequenceFits(config: SavedModelConfig, modelName: string, id: string, where: string, length: number, truncate = false): void {
  const max = modelInputLength(config);
  if (length > max && !truncate) {
    throw new ApiError(
      'INVALID_REQUEST',
      `${where}: the sequence "${id}" has ${length.toLocaleString('en-US')} bases but the model "${modelName}" reads at most ${max}; cut it, scan it with a window of ${max} (Scan, or dnalm scan), or let the model read only its first ${max} bases, as in training (truncate, dnalm predict --truncate).`,
    );
  }
  const min = modelMinLength(config);
  if (length < min) {
    throw new ApiError('INVALID_REQUEST', `${where}: the sequence "${id}" has ${length} bases; the model "${modelName}" needs at least ${min}.`);
  }
}

/** The class a track or a variant score follows: default the last one (binary: the positive class). */
export function resolveClassIndex(config: SavedModelConfig, classIndex: number | undefined): number {
  const n = config.classes.length;
  const c = classIndex ?? n - 1;
  if (!Number.isInteger(c) || c < 0 || c >= n) {
    throw new ApiError('INVALID_REQUEST', `classIndex must be 0..${n - 1} (the model's classes are ${config.classes.join(', ')}).`);
  }
  return c;
}


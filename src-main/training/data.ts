/**
 * A dataset's `.seqs` file as training data: train / validation / test splits with label ids in the dataset's class
 * order, encoded once for the model (CNN base ids or DNABERT k-mer tokens), and cut into seeded batches per epoch.
 */
import { tokenizeBatch } from '../../src-shared/dna';
import { SequenceFileReader } from '../datasets/sequence-store';
import type { Batch } from '../engine/training/task';
import { Rng, deriveSeed } from '../engine/models/rng';
import { CNN_BASE_IDS, type CnnInput, type KmerInput } from './model-plan';

export interface RawSplit {
  readonly sequences: string[];
  readonly labels: number[];
}

export interface RawData {
  readonly classes: readonly string[];
  readonly train: RawSplit;
  readonly validation: RawSplit;
  readonly test: RawSplit;
  /** Where the validation split came from. */
  readonly validationSource: 'dataset' | 'held-out';
  readonly longest: number;
}

/** Encoded rows of one split: [size, length] ids (+ attention mask for k-mers) and labels. */
export interface EncodedSplit {
  readonly size: number;
  readonly length: number;
  readonly tokens: Int32Array;
  readonly attentionMask?: Int32Array;
  readonly labels: Int32Array;
}

function readSplit(reader: SequenceFileReader, name: string, classIndex: Map<string, number>): RawSplit {
  const sequences: string[] = [];
  const labels: number[] = [];
  for (const r of reader.splitRecords(name)) {
    const y = classIndex.get(r.label);
    if (y === undefined) continue; // unlabelled records cannot be trained on
    sequences.push(r.sequence);
    labels.push(y);
  }
  return { sequences, labels };
}

/** A seeded stratified sample of `fraction` of each class (at least one per class when the class has two). */
export function stratifiedHoldOut(labels: readonly number[], fraction: number, seed: number): { keep: number[]; held: number[] } {
  const byClass = new Map<number, number[]>();
  labels.forEach((y, i) => byClass.set(y, [...(byClass.get(y) ?? []), i]));
  const rng = new Rng(deriveSeed(seed, 'validation'));
  const heldSet = new Set<number>();
  for (const y of [...byClass.keys()].sort((a, b) => a - b)) {
    const idx = byClass.get(y) ?? [];
    shuffleInPlace(idx, rng);
    const n = idx.length < 2 ? 0 : Math.max(1, Math.round(idx.length * fraction));
    for (const i of idx.slice(0, n)) heldSet.add(i);
  }
  const keep: number[] = [];
  const held: number[] = [];
  labels.forEach((_, i) => (heldSet.has(i) ? held : keep).push(i));
  return { keep, held };
}

export function shuffleInPlace<T>(a: T[], rng: Rng): void {
  for (let i = a.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = a[i] as T;
    a[i] = a[j] as T;
    a[j] = t;
  }
}

const pick = (s: RawSplit, idx: readonly number[]): RawSplit => ({
  sequences: idx.map((i) => s.sequences[i] ?? ''),
  labels: idx.map((i) => s.labels[i] ?? 0),
});

/**
 * Reads the splits. Validation: the dataset's split named `validation`, else a seeded stratified `validationFraction`
 * of train. Test: the split named `test`.
 */
export function loadDataset(file: string, classes: readonly string[], seed: number, validationFraction: number): RawData {
  const reader = SequenceFileReader.open(file);
  try {
    const classIndex = new Map(classes.map((c, i) => [c, i]));
    const train = readSplit(reader, 'train', classIndex);
    const test = readSplit(reader, 'test', classIndex);
    let validation: RawSplit;
    let trainOut = train;
    let validationSource: RawData['validationSource'] = 'dataset';
    if (reader.splitRange('validation')) {
      validation = readSplit(reader, 'validation', classIndex);
    } else {
      const { keep, held } = stratifiedHoldOut(train.labels, validationFraction, seed);
      validation = pick(train, held);
      trainOut = pick(train, keep);
      validationSource = 'held-out';
    }
    let longest = 0;
    for (const s of [trainOut, validation, test]) for (const q of s.sequences) longest = Math.max(longest, q.length);
    return { classes, train: trainOut, validation, test, validationSource, longest };
  } finally {
    reader.close();
  }
}

const CNN_CODE = new Int32Array(256).fill(CNN_BASE_IDS.other);
CNN_CODE[0x41] = CNN_BASE_IDS.A;
CNN_CODE[0x43] = CNN_BASE_IDS.C;
CNN_CODE[0x47] = CNN_BASE_IDS.G;
CNN_CODE[0x54] = CNN_BASE_IDS.T;
CNN_CODE[0x61] = CNN_BASE_IDS.A;
CNN_CODE[0x63] = CNN_BASE_IDS.C;
CNN_CODE[0x67] = CNN_BASE_IDS.G;
CNN_CODE[0x74] = CNN_BASE_IDS.T;

/** CNN input: base ids, cut at `length` or padded with the pad id. */
export function encodeCnn(sequences: readonly string[], input: CnnInput): Int32Array {
  const L = input.length;
  const out = new Int32Array(sequences.length * L).fill(CNN_BASE_IDS.pad);
  sequences.forEach((s, r) => {
    const n = Math.min(L, s.length);
    for (let i = 0; i < n; i++) out[r * L + i] = CNN_CODE[s.charCodeAt(i) & 0xff] ?? CNN_BASE_IDS.other;
  });
  return out;
}

export function encodeSplit(split: RawSplit, input: CnnInput | KmerInput): EncodedSplit {
  const labels = Int32Array.from(split.labels);
  if (input.kind === 'cnn') {
    return { size: labels.length, length: input.length, tokens: encodeCnn(split.sequences, input), labels };
  }
  const enc = tokenizeBatch(split.sequences, { k: input.k, maxLength: input.maxTokens, truncation: 'right' });
  return { size: labels.length, length: input.maxTokens, tokens: enc.ids, attentionMask: enc.attentionMask, labels };
}

/** Rows `rows` of a split as one batch (copies). */
export function gatherBatch(split: EncodedSplit, rows: readonly number[]): Batch {
  const L = split.length;
  const tokens = new Int32Array(rows.length * L);
  const mask = split.attentionMask ? new Int32Array(rows.length * L) : undefined;
  const labels = new Int32Array(rows.length);
  rows.forEach((row, i) => {
    tokens.set(split.tokens.subarray(row * L, row * L + L), i * L);
    if (mask && split.attentionMask) mask.set(split.attentionMask.subarray(row * L, row * L + L), i * L);
    labels[i] = split.labels[row] ?? 0;
  });
  return { size: rows.length, length: L, tokens, ...(mask ? { attentionMask: mask } : {}), labels };
}

/** The order of the training rows in epoch `epoch` (1-based): a function of the seed and the epoch only. */
export function epochOrder(size: number, seed: number, epoch: number): number[] {
  const order = Array.from({ length: size }, (_, i) => i);
  shuffleInPlace(order, new Rng(deriveSeed(seed, 'order', epoch)));
  return order;
}

export function batchCount(size: number, batchSize: number): number {
  return Math.ceil(size / batchSize);
}

/** Consecutive rows in order, `batchSize` at a time (the last batch may be smaller). */
export function* batchesOf(split: EncodedSplit, order: readonly number[], batchSize: number): Generator<Batch> {
  for (let s = 0; s < order.length; s += batchSize) yield gatherBatch(split, order.slice(s, s + batchSize));
}

/** 'balanced' class weights: n / (classes * count of the class), as scikit-learn. */
export function balancedClassWeights(labels: readonly number[] | Int32Array, numClasses: number): number[] {
  const counts = new Array<number>(numClasses).fill(0);
  for (const y of labels) counts[y] = (counts[y] ?? 0) + 1;
  return counts.map((c) => (c > 0 ? labels.length / (numClasses * c) : 0));
}

/**
 * The pretraining corpus: unlabelled windows cut from a FASTA, from BED regions over a reference, or from a dataset's
 * training sequences, kept in "tracks" of consecutive windows (one per record and strand, or per BED chromosome and
 * strand) because NGSP and GeneBERT's region groups need neighbours. Windows mostly N (more than half) are skipped.
 * The windows as drawn are hashed (SHA-256, with the seed) and the hash is recorded with the run.
 *
 * Only a dataset's `train` split is read: pretraining on the sequences a fine-tuned model is later tested on would
 * leak the test set into the comparison.
 */
import crypto from 'node:crypto';
import { ApiError, type CorpusSource, type CorpusSummary } from '../../src-shared/api';
import { reverseComplement } from '../../src-shared/dna';
import { SequenceFileReader } from '../datasets/sequence-store';
import { ImportError, readRecords } from '../io';
import { Rng, deriveSeed } from '../engine/models/rng';

export interface Corpus {
  /** Consecutive windows, in genome order along each track. */
  readonly tracks: readonly (readonly string[])[];
  readonly summary: CorpusSummary;
}

/** A training sample: the window at `index` of track `track` (and, for SRM, the group of regions it starts). */
export interface Anchor {
  readonly track: number;
  readonly index: number;
}

/** Windows with more than this fraction of N (or other non-ACGT) are skipped. */
export const MAX_N_FRACTION = 0.5;

function nFraction(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i) | 0x20; // lower case
    if (c !== 0x61 && c !== 0x63 && c !== 0x67 && c !== 0x74) n++;
  }
  return s.length === 0 ? 1 : n / s.length;
}

function bad(message: string): never {
  throw new ApiError('INVALID_REQUEST', message);
}

async function asApiError<T>(f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (err) {
    if (err instanceof ImportError) throw new ApiError('INVALID_REQUEST', err.message);
    throw err;
  }
}

class Builder {
  readonly tracks: string[][] = [];
  skippedN = 0;

  /** Cuts `sequence` into windows of `window` bases every `stride` bases into a new track (and its reverse strand). */
  cut(sequence: string, window: number, stride: number, bothStrands: boolean): void {
    const forward: string[] = [];
    for (let start = 0; start + window <= sequence.length; start += stride) this.keep(forward, sequence.slice(start, start + window).toUpperCase());
    this.push(forward, bothStrands);
  }

  keep(into: string[], w: string): void {
    if (nFraction(w) > MAX_N_FRACTION) this.skippedN++;
    else into.push(w);
  }

  /** A track of consecutive windows; its reverse strand is the reverse complements in reverse order. */
  push(track: string[], bothStrands: boolean): void {
    if (track.length === 0) return;
    this.tracks.push(track);
    if (bothStrands) this.tracks.push(track.map(reverseComplement).reverse());
  }
}

function checkWindow(window: number, stride?: number): void {
  if (!Number.isInteger(window) || window < 16 || window > 4096) bad(`The corpus window must be a whole number of bases between 16 and 4096; got ${window}.`);
  if (stride !== undefined && (!Number.isInteger(stride) || stride < 1)) bad(`The corpus stride must be a whole number of bases of at least 1; got ${stride}.`);
}

async function fastaCorpus(source: Extract<CorpusSource, { kind: 'fasta' }>, b: Builder): Promise<string> {
  checkWindow(source.window, source.stride);
  const names: string[] = [];
  let found = false;
  await asApiError(async () => {
    for await (const r of readRecords({ path: source.path, format: 'fasta' })) {
      const name = r.id.split(/\s/)[0] ?? r.id;
      names.push(name);
      if (!source.region) {
        b.cut(r.sequence, source.window, source.stride, source.bothStrands);
        continue;
      }
      if (name !== source.region.record) continue;
      found = true;
      const { start, end } = source.region;
      if (!(start >= 0 && end > start && end <= r.sequence.length)) {
        bad(`${source.path}: the region ${name}:${start}-${end} is outside the record (${r.sequence.length} bases); give 0-based start-end inside it.`);
      }
      b.cut(r.sequence.slice(start, end), source.window, source.stride, source.bothStrands);
    }
  });
  if (names.length === 0) bad(`${source.path}: the file holds no FASTA records.`);
  if (source.region && !found) bad(`${source.path}: there is no record named "${source.region.record}" (the file has ${names.slice(0, 8).join(', ')}${names.length > 8 ? ', ...' : ''}).`);
  const where = source.region ? `${source.region.record}:${source.region.start}-${source.region.end}` : `${names.length} record${names.length === 1 ? '' : 's'}`;
  return `${basename(source.path)} ${where}, windows of ${source.window} bp every ${source.stride} bp${source.bothStrands ? ', both strands' : ''}`;
}

async function bedCorpus(source: Extract<CorpusSource, { kind: 'bed' }>, b: Builder): Promise<string> {
  checkWindow(source.window);
  const byChrom = new Map<string, string[]>();
  let regions = 0;
  await asApiError(async () => {
    for await (const r of readRecords({ path: source.bedPath, format: 'bed', reference: source.referencePath, resizeTo: source.window, reverseComplementMinus: false })) {
      regions++;
      const chrom = r.chrom ?? '';
      const list = byChrom.get(chrom) ?? [];
      byChrom.set(chrom, list);
      b.keep(list, r.sequence.toUpperCase());
    }
  });
  if (regions === 0) bad(`${source.bedPath}: the BED file holds no regions.`);
  for (const list of byChrom.values()) b.push(list, source.bothStrands);
  return `${regions} regions of ${basename(source.bedPath)} over ${basename(source.referencePath)}, resized to ${source.window} bp around their centre${source.bothStrands ? ', both strands' : ''}`;
}

function datasetCorpus(source: Extract<CorpusSource, { kind: 'dataset' }>, file: string, name: string, b: Builder): string {
  checkWindow(source.window, source.stride);
  const reader = SequenceFileReader.open(file);
  let records = 0;
  try {
    if (!reader.splitRange('train')) bad(`The dataset "${name}" has no train split to pretrain on.`);
    const track: string[] = [];
    for (const r of reader.splitRecords('train')) {
      records++;
      const s = r.sequence.toUpperCase();
      if (s.length <= source.window) b.keep(track, s);
      else for (let start = 0; start + source.window <= s.length; start += source.stride) b.keep(track, s.slice(start, start + source.window));
    }
    b.push(track, false);
  } finally {
    reader.close();
  }
  return `${records} train sequences of the dataset "${name}" (labels ignored), windows of ${source.window} bp`;
}

function basename(p: string): string {
  return p.split(/[\\/]/).pop() ?? p;
}

/** Where a dataset source's sequences are (main resolves the dataset id to its .seqs file). */
export interface DatasetFile {
  readonly file: string;
  readonly name: string;
}

export async function readCorpus(source: CorpusSource, seed: number, dataset?: DatasetFile): Promise<Corpus> {
  const b = new Builder();
  let description: string;
  switch (source.kind) {
    case 'fasta':
      description = await fastaCorpus(source, b);
      break;
    case 'bed':
      description = await bedCorpus(source, b);
      break;
    case 'dataset':
      if (!dataset) bad('The dataset of the corpus was not found.');
      description = datasetCorpus(source, dataset.file, dataset.name, b);
      break;
  }
  const windows = b.tracks.reduce((n, t) => n + t.length, 0);
  if (windows === 0) bad(`The corpus is empty: ${description} gave no window with at least half A/C/G/T bases.`);
  const hash = crypto.createHash('sha256');
  hash.update(`seed ${seed}\n`);
  let bases = 0;
  for (const t of b.tracks) {
    hash.update('>\n');
    for (const w of t) {
      hash.update(w);
      hash.update('\n');
      bases += w.length;
    }
  }
  return { tracks: b.tracks, summary: { windows, bases, skippedN: b.skippedN, description, hash: hash.digest('hex') } };
}

/**
 * The samples, split into training and held-out validation anchors (a seeded fraction, at least one when the corpus
 * has two samples or more). With `group` > 1 (GeneBERT's region groups) only tracks with at least `group` windows
 * give samples, and a sample's group is the `group` consecutive windows from its anchor (shifted back at a track's end).
 */
export function splitAnchors(corpus: Corpus, validationFraction: number, seed: number, group = 1): { train: Anchor[]; validation: Anchor[] } {
  const all: Anchor[] = [];
  corpus.tracks.forEach((t, track) => {
    if (t.length < group) return;
    for (let index = 0; index < t.length; index++) all.push({ track, index });
  });
  if (all.length === 0) bad(`No track of the corpus has ${group} consecutive windows, which a GeneBERT sample needs; use a larger region or a smaller group.`);
  const rng = new Rng(deriveSeed(seed, 'corpus-validation'));
  const held = all.length < 2 ? 0 : Math.max(1, Math.round(all.length * validationFraction));
  const order = all.map((_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const isHeld = new Uint8Array(all.length);
  for (const i of order.slice(0, held)) isHeld[i] = 1;
  return { train: all.filter((_, i) => !isHeld[i]), validation: all.filter((_, i) => isHeld[i]) };
}

/** First window of an anchor's region group. */
export function groupStart(corpus: Corpus, a: Anchor, group: number): number {
  const len = corpus.tracks[a.track]?.length ?? 0;
  return Math.max(0, Math.min(a.index, len - group));
}

/** Global index of a window (tracks laid end to end): the row of the corpus' affinity matrix. */
export function windowOffsets(corpus: Corpus): number[] {
  const offsets: number[] = [];
  let n = 0;
  for (const t of corpus.tracks) {
    offsets.push(n);
    n += t.length;
  }
  return offsets;
}

/**
 * A next-genome-segment pair (GeneBERT's NGSP): segment A is the first half of the anchor's window; with probability
 * 1/2, B is the true next segment (the second half), otherwise the second half of a random window of the corpus.
 */
export function ngspPair(corpus: Corpus, a: Anchor, rng: Rng): { first: string; second: string; follows: boolean } {
  const w = corpus.tracks[a.track]![a.index]!;
  const half = Math.floor(w.length / 2);
  const first = w.slice(0, half);
  if (rng.uniform() < 0.5) return { first, second: w.slice(half), follows: true };
  let other = w;
  for (let tries = 0; tries < 8 && other === w; tries++) {
    const t = corpus.tracks[rng.int(corpus.tracks.length)]!;
    other = t[rng.int(t.length)]!;
  }
  const h = Math.floor(other.length / 2);
  return { first, second: other.slice(h), follows: false };
}

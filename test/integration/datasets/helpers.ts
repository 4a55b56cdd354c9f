import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import type { ImportOptions } from '../../../src-shared/api';
import type { DatasetIo } from '../../../src-main/datasets/dataset-io';
import type { ImportContext } from '../../../src-main/datasets/import-pipeline';
import type { RawRecord } from '../../../src-main/io/types';

export const root = path.resolve(__dirname, '../../..');
export const sharedData = path.resolve(root, '../shared/data');

export const quiet: ImportContext = { progress: () => undefined, checkpoint: async () => undefined };

/** Options as the wizard would send them, for a `<split>.csv.gz` folder with a label column. */
export function csvOptions(paths: string[], overrides: Partial<ImportOptions> = {}): ImportOptions {
  return {
    paths,
    format: 'auto',
    name: 'test set',
    labels: { from: 'column', column: 'label' },
    ambiguous: 'to-n',
    invalid: 'reject',
    duplicates: 'keep',
    leakage: 'keep',
    split: { mode: 'given' },
    ...overrides,
  };
}

/** Writes `<dir>/<split>.csv.gz` files from rows of [sequence, label]. */
export function writeSplitFolder(dir: string, splits: Record<string, readonly (readonly [string, string])[]>): string {
  fs.mkdirSync(dir, { recursive: true });
  for (const [split, rows] of Object.entries(splits)) {
    const text = ['sequence,label', ...rows.map(([s, l]) => `${s},${l}`)].join('\n') + '\n';
    fs.writeFileSync(path.join(dir, `${split}.csv.gz`), zlib.gzipSync(text));
  }
  return dir;
}

/** Random DNA, reproducible. */
export function randomDna(seed: number, length: number): string {
  let x = seed >>> 0 || 1;
  let s = '';
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    s += 'ACGT'[x & 3];
  }
  return s;
}

/** Readers that serve records from memory: for cases no file format expresses directly (e.g. BED chromosomes). */
export function memoryIo(records: readonly Omit<RawRecord, 'file'>[]): DatasetIo {
  const file = '/virtual/records.bed';
  const full = records.map((r) => ({ ...r, file }));
  return {
    detectSources: () => ({ sources: [{ path: file, format: 'bed' }], format: 'bed' }),
    readRecords: async function* () {
      yield* full;
    },
    previewRecords: () => ({ records: full.slice(0, 20), columns: [], hasHeader: false }),
  };
}

export function sha256(file: string): string {
  return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

/** Every file under a folder with its size and hash: "nothing changed" means this is equal before and after. */
export function listing(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, e.name);
      const rel = path.relative(dir, full);
      if (e.isDirectory()) {
        out[`${rel}/`] = 'dir';
        walk(full);
      } else out[rel] = sha256(full);
    }
  };
  if (fs.existsSync(dir)) walk(dir);
  return out;
}

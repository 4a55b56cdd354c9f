/** Test support: a bundled replica-thread entry (threads cannot run TypeScript) and a small real dataset. */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { build } from 'esbuild';
import type { Batch } from '../../../src-main/engine/training/task';

const root = path.resolve(__dirname, '../../..');

/** Bundles src-main/engine/training/worker-thread.ts (under node_modules so that packages resolve from there). */
export async function buildWorkerScript(): Promise<string> {
  const outfile = path.join(root, 'node_modules/.cache/dnalm-test', `training-worker-${process.pid}.cjs`);
  await build({
    entryPoints: [path.join(root, 'src-main/engine/training/worker-thread.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    packages: 'external',
    logLevel: 'warning',
  });
  return outfile;
}

export function removeWorkerScript(file: string): void {
  fs.rmSync(file, { force: true });
}

export interface Example {
  readonly sequence: string;
  readonly label: number;
}

/** The first `n` rows of a genomic_benchmarks CSV (sequence,label with label positive/negative or an integer). */
export function readExamples(dataset: string, n: number): Example[] {
  const file = path.resolve(root, '../shared/data', dataset, 'train.csv.gz');
  const lines = zlib.gunzipSync(fs.readFileSync(file)).toString('utf8').split('\n');
  const out: Example[] = [];
  for (const line of lines.slice(1)) {
    if (out.length >= n) break;
    const [sequence, label] = line.trim().split(',');
    if (!sequence || label === undefined) continue;
    out.push({ sequence, label: label === 'positive' ? 1 : label === 'negative' ? 0 : Number(label) });
  }
  return out;
}

const BASE: Record<string, number> = { A: 0, C: 1, G: 2, T: 3 };

/** CNN tokens: A C G T = 0..3, anything else 4. */
export function cnnBatch(examples: readonly Example[], length: number): Batch {
  const tokens = new Int32Array(examples.length * length);
  examples.forEach((e, r) => {
    for (let i = 0; i < length; i++) tokens[r * length + i] = BASE[e.sequence[i] ?? 'N'] ?? 4;
  });
  return { size: examples.length, length, tokens, labels: Int32Array.from(examples, (e) => e.label) };
}

/** Overlapping k-mer ids (5 special tokens first, then 4^k k-mers) with [CLS] in front: DNABERT's scheme. */
export function kmerBatch(examples: readonly Example[], k: number, length: number): Batch {
  const tokens = new Int32Array(examples.length * length);
  examples.forEach((e, r) => {
    tokens[r * length] = 2; // [CLS]
    for (let i = 1; i < length; i++) {
      let id = 0;
      for (let j = 0; j < k; j++) id = id * 4 + (BASE[e.sequence[i - 1 + j] ?? 'A'] ?? 0);
      tokens[r * length + i] = 5 + id;
    }
  });
  return { size: examples.length, length, tokens, labels: Int32Array.from(examples, (e) => e.label) };
}

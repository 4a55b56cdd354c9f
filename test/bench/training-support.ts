/**
 * Helpers of training.bench.ts: the bundled replica thread, the PyTorch peers, synthetic batches like the peers',
 * FLOP counts, and conv1d variants for the im2col comparison.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import * as tf from '@tensorflow/tfjs';
import { build } from 'esbuild';
import { Rng } from '../../src-main/engine/models/rng';
import { applyMlmMasking } from '../../src-main/engine/training/masking';
import type { Batch } from '../../src-main/engine/training/task';

export const ROOT = path.resolve(__dirname, '../..');

/** Bundles the replica-thread entry; `npm run build` does not (yet) produce dist/main/training-worker.cjs. */
export async function buildWorkerScript(): Promise<string> {
  const outfile = path.join(ROOT, 'node_modules/.cache/dnalm-bench/training-worker.cjs');
  await build({
    entryPoints: [path.join(ROOT, 'src-main/engine/training/worker-thread.ts')],
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

export interface PeerResult {
  readonly ok: boolean;
  readonly command: string;
  readonly json: Record<string, unknown> | null;
  readonly error?: string;
}

/** Runs a peer script with Debian's Python (which has torch); its last stdout line is one JSON object. */
export function runPeer(script: string, args: string[], env: Record<string, string>): PeerResult {
  const file = path.resolve(ROOT, '../shared/peers', script);
  const command = `${Object.entries(env).map(([k, v]) => `${k}=${v}`).join(' ')} /usr/bin/python3 ${path.relative(ROOT, file)} ${args.join(' ')}`;
  if (!fs.existsSync('/usr/bin/python3') || !fs.existsSync(file)) return { ok: false, command, json: null, error: 'python3 or the peer script is missing' };
  const r = spawnSync('/usr/bin/python3', [file, ...args], { env: { ...process.env, ...env }, encoding: 'utf8', timeout: 600_000 });
  const last = r.stdout?.trim().split('\n').pop() ?? '';
  try {
    // Python's json.dumps writes NaN (the forward mode's loss), which JSON.parse rejects.
    return { ok: r.status === 0, command, json: JSON.parse(last.replace(/\bNaN\b/g, 'null')) as Record<string, unknown> };
  } catch {
    return { ok: false, command, json: null, error: (r.stderr || r.stdout || String(r.error)).trim().split('\n').pop() ?? 'failed' };
  }
}

/** The peers' BERT batch: random k-mer ids (5..4100), 15 % masked (80/10/10). */
export function bertMlmBatch(batch: number, seq: number, seed: number): Batch {
  const rng = new Rng(seed);
  const tokens = Int32Array.from({ length: batch * seq }, () => 5 + rng.int(4096));
  const m = applyMlmMasking(tokens, { maskTokenId: 4, vocabSize: 4101, specialIds: [0, 1, 2, 3, 4] }, rng);
  return { size: batch, length: seq, tokens: m.tokens, labels: m.labels };
}

export function bertClassBatch(batch: number, seq: number, seed: number): Batch {
  const rng = new Rng(seed);
  return {
    size: batch,
    length: seq,
    tokens: Int32Array.from({ length: batch * seq }, () => 5 + rng.int(4096)),
    labels: Int32Array.from({ length: batch }, () => rng.int(2)),
  };
}

/** The peer's CNN batch: bases 0..3, binary labels. */
export function cnnBatch(batch: number, length: number, seed: number): Batch {
  const rng = new Rng(seed);
  return {
    size: batch,
    length,
    tokens: Int32Array.from({ length: batch * length }, () => rng.int(4)),
    labels: Int32Array.from({ length: batch }, () => rng.int(2)),
  };
}

/** bert_torch.py's count: encoder forward FLOPs and the MLM head over `predicted` tokens. */
export function bertFlops(layers: number, hidden: number, ffn: number, batch: number, seq: number, predicted: number, vocab: number): { fwd: number; train: number } {
  const T = batch * seq;
  const enc = layers * (2 * T * hidden * hidden * 4 + 2 * T * hidden * ffn * 2 + 2 * batch * seq * seq * hidden * 2);
  const head = 2 * predicted * hidden * hidden + 2 * predicted * hidden * vocab;
  return { fwd: enc, train: 3 * (enc + head) };
}

/** The genomic_benchmarks CNN's multiply-adds x 2 (embedding input, as the peer computes it). */
export function cnnFlops(batch: number, length: number): { fwd: number; train: number } {
  let n = length;
  let cin = 100;
  let fwd = 0;
  for (let i = 0; i < 3; i++) {
    const out = n - 8 + 1;
    fwd += 2 * batch * out * cin * 8 * 16;
    cin = 16;
    n = Math.floor(out / 2);
  }
  fwd += 2 * batch * n * 16 * 512 + 2 * batch * 512;
  return { fwd, train: 3 * fwd };
}

/** conv1d of x [b, l, cin] with w [k, cin, cout] as im2col (k shifted slices side by side) times the filter. */
export function conv1dIm2col(x: tf.Tensor3D, w: tf.Tensor3D): tf.Tensor3D {
  const [b, l, cin] = x.shape;
  const [k, , cout] = w.shape;
  const out = l - k + 1;
  const cols = tf.concat(Array.from({ length: k }, (_, i) => tf.slice(x, [0, i, 0], [b, out, cin])), 2);
  return tf.reshape(tf.matMul(tf.reshape(cols, [b * out, k * cin]), tf.reshape(w, [k * cin, cout])), [b, out, cout]);
}

export function machine(): Record<string, unknown> {
  return {
    date: new Date().toISOString(),
    cpus: os.cpus().length,
    cpu: os.cpus()[0]?.model ?? '',
    node: process.version,
    loadavg: os.loadavg().map((v) => Number(v.toFixed(2))),
  };
}

export function cpuTimes(): { idle: number; total: number } {
  let idle = 0;
  let total = 0;
  for (const c of os.cpus()) {
    idle += c.times.idle;
    total += c.times.user + c.times.nice + c.times.sys + c.times.irq + c.times.idle;
  }
  return { idle, total };
}

/**
 * Waits (up to `maxMs`) for a second in which the other processes leave at least `cores` cores idle: this machine is
 * shared, and a busy neighbour halves a 2-thread measurement. Returns the idle cores seen last.
 */
export async function waitForQuiet(cores: number, maxMs = 30_000): Promise<number> {
  const start = Date.now();
  for (;;) {
    const a = cpuTimes();
    await new Promise((r) => setTimeout(r, 1000));
    const b = cpuTimes();
    const idleCores = ((b.idle - a.idle) / Math.max(1, b.total - a.total)) * os.cpus().length;
    if (idleCores >= cores || Date.now() - start > maxMs) return idleCores;
  }
}

/** Cores kept busy by other processes while `f` ran (total busy time minus this process's own CPU time). */
export async function withContention<T>(f: () => Promise<T>): Promise<{ value: T; othersCores: number }> {
  const c0 = cpuTimes();
  const own0 = process.cpuUsage();
  const t0 = performance.now();
  const value = await f();
  const wallMs = performance.now() - t0;
  const own = process.cpuUsage(own0);
  const c1 = cpuTimes();
  const busyMs = c1.total - c0.total - (c1.idle - c0.idle);
  const othersCores = Math.max(0, (busyMs - (own.user + own.system) / 1000) / wallMs);
  return { value, othersCores };
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
}

/**
 * Scan benchmark: a classifier slid along GRCh38 chr2:1-2,333,275 (the bundled reference region), forward strand only,
 * stride 50, batch 64 — the genomic_benchmarks CNN (window 200 bases) and BERT-mini (4 layers, hidden 256, 6-mers,
 * 128 tokens = [CLS] + 126 k-mers + [SEP], so a window of 131 bases) — side by side in one run:
 *  - ours on ONNX Runtime (onnxruntime-node, the graph our exporter writes from the saved weights),
 *  - ours on TensorFlow.js WebAssembly (the training engine's forward pass),
 *  - the PyTorch peer (test/bench/peers/scan_torch.py: the architecture of ../shared/peers/{cnn,bert}_torch.py with
 *    the app's classification head, the same saved weights, eval mode, no_grad; torch intra-op 1 and 2 threads with
 *    OPENBLAS_NUM_THREADS=2, the faster of the two is the reference for the ratios),
 *  - and the app's scan job itself (runScan: region reading, encoding, ONNX Runtime, track and calls) end to end.
 * The CNN scans the whole region. BERT would take most of an hour per engine here (2 shared cores), so every BERT
 * engine scans the same fixed stretch (1,024 windows from base 1,000,000; tfjs-WASM the first 512 of them) and the
 * whole-region time is extrapolated from its rate. The engines take turns, three rounds, and each row is the median
 * round (the machine is shared: turns spread its busy spells over all engines). Each engine runs in its own process (peak RSS per engine). Every one times encoding + inference after one warm-up
 * batch. bp/s counts the region's bases advanced: windows x stride / s. The PyTorch peer's probabilities are checked
 * against ours. Prints a table and writes bench-results/scan.json. Numbers, not assertions. BENCH_QUICK=1 runs a
 * fixed subset of windows everywhere.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { performance } from 'node:perf_hooks';
import { tokenizeBatch } from '../../src-shared/dna';
import type { ScanSettings } from '../../src-shared/api';
import type { WorkerChannel } from '../../src-main/engine/worker-channel';
import { TaskContext } from '../../src-main/engine/task-context';
import { createTask } from '../../src-main/engine/training/task';
import { createOnnxRunner } from '../../src-main/inference/onnx/onnx-runner';
import type { InferenceRunner, LoadedModel, ModelInputBatch } from '../../src-main/inference/runner';
import { type SavedModelConfig, readModel, writeModel } from '../../src-main/training/artifacts';
import { encodeCnn } from '../../src-main/training/data';
import { type ModelPlan, bertPlan, cnnPlan } from '../../src-main/training/model-plan';
import { savedModelConfig } from '../integration/support/saved-model';
import { ROOT, cpuTimes, machine, waitForQuiet } from './training-support';

const QUICK = process.env['BENCH_QUICK'] === '1';
const REGION_LENGTH = 2_333_275;
const FASTA = path.resolve(ROOT, '../shared/data/reference_hg38_chr2_1-2333275/chr2_1-2333275.fa.gz');
const STRIDE = 50;
const BATCH = 64;
const CNN_WINDOW = 200;
const BERT_TOKENS = 128;
const K = 6;
const BERT_WINDOW = BERT_TOKENS - 2 + K - 1; // 131
const BERT_FIRST = 20_000;
const BERT_SUBSET = 1024;
const TFJS_BERT_SUBSET = 512;
const QUICK_SUBSET = 256;
const ROUNDS = QUICK ? 1 : 3;
/** A probability is recorded every PROBE windows, to compare engines. */
const PROBE = 1000;

interface EngineResult {
  readonly engine: string;
  readonly windows: number;
  readonly seconds: number;
  readonly cpuSeconds: number;
  readonly peakRssMb: number;
  readonly probes: readonly number[];
}

// ---------------------------------------------------------------- child: one engine over the windows

function readRegion(): string {
  const text = zlib.gunzipSync(fs.readFileSync(FASTA)).toString('latin1');
  return text
    .split('\n')
    .filter((l) => !l.startsWith('>'))
    .join('')
    .toUpperCase();
}

function encode(config: SavedModelConfig, seqs: string[]): ModelInputBatch {
  const input = config.input;
  if (input.kind === 'cnn') return { size: seqs.length, length: input.length, tokens: encodeCnn(seqs, input) };
  const enc = tokenizeBatch(seqs, { k: input.k, maxLength: input.maxTokens, truncation: 'right' });
  return { size: seqs.length, length: input.maxTokens, tokens: enc.ids, attentionMask: enc.attentionMask };
}

function positive(config: SavedModelConfig, logits: Float32Array, rows: number): Float64Array {
  const o = config.outputs;
  return Float64Array.from({ length: rows }, (_, i) => {
    if (o === 1) return 1 / (1 + Math.exp(-logits[i]!));
    let max = -Infinity;
    for (let c = 0; c < o; c++) max = Math.max(max, logits[i * o + c]!);
    let sum = 0;
    for (let c = 0; c < o; c++) sum += Math.exp(logits[i * o + c]! - max);
    return Math.exp(logits[i * o + o - 1]! - max) / sum;
  });
}

async function makeRunner(engine: string, model: LoadedModel): Promise<InferenceRunner> {
  if (engine === 'onnx') {
    const r = await createOnnxRunner(model);
    if (!r) throw new Error('onnxruntime-node is not installed');
    return r;
  }
  const { TfjsRunner } = await import('../../src-main/inference/tfjs-runner');
  return TfjsRunner.create(model);
}

/** Our runner over windows [first, first + limit) cut here: encoding + logits, timed after a warm-up batch. */
async function childRunner(engine: string, dir: string, first: number, limit: number): Promise<EngineResult> {
  const model = { ...readModel(dir), dir };
  const config = model.config;
  const window = config.input.kind === 'cnn' ? config.input.length : BERT_WINDOW;
  const region = readRegion();
  let n = Math.floor((region.length - window) / STRIDE) + 1;
  if (limit > 0) n = Math.min(n, first + limit);
  const runner = await makeRunner(engine, model);
  const cut = (b: number): string[] => Array.from({ length: Math.min(BATCH, n - b) }, (_, i) => region.slice((b + i) * STRIDE, (b + i) * STRIDE + window));
  await runner.logits(encode(config, cut(first))); // warm-up
  const probes: number[] = [];
  const t0 = performance.now();
  for (let b = first; b < n; b += BATCH) {
    const seqs = cut(b);
    const p = positive(config, await runner.logits(encode(config, seqs)), seqs.length);
    const done = b - first;
    for (let i = (PROBE - (done % PROBE)) % PROBE; i < p.length; i += PROBE) probes.push(p[i]!);
  }
  const seconds = (performance.now() - t0) / 1000;
  const backend = runner.backend;
  runner.dispose();
  return { engine: backend, windows: n - first, seconds, cpuSeconds: 0, peakRssMb: 0, probes };
}

/** The app's scan job (src-main/inference/scan-task.ts) over the region, ONNX Runtime, forward strand. */
async function childScanJob(dir: string, first: number, limit: number): Promise<EngineResult> {
  const { runScan } = await import('../../src-main/inference/scan-task');
  const config = readModel(dir).config;
  const window = config.input.kind === 'cnn' ? config.input.length : BERT_WINDOW;
  const staging = fs.mkdtempSync(path.join(os.tmpdir(), 'dnalm-scan-bench-'));
  const source: ScanSettings['source'] =
    limit > 0 ? { kind: 'file', path: FASTA, record: 'chr2', start: first * STRIDE, end: (first + limit - 1) * STRIDE + window } : { kind: 'file', path: FASTA, record: 'chr2' };
  const settings: ScanSettings = { modelId: 1, source, window, stride: STRIDE, strands: 'forward', threshold: 0.9, mergeGap: 100, minLength: 0, engine: 'onnx', batchSize: BATCH };
  const silent = { post: () => undefined } as unknown as WorkerChannel;
  try {
    const t0 = performance.now();
    const staged = await runScan(
      { kind: 'scan', settings: settings as unknown as Record<string, unknown>, modelId: 1, modelName: 'bench', modelDir: dir, stagingDir: staging, artifactsDir: staging, name: 'bench' },
      new TaskContext(silent),
    );
    const seconds = (performance.now() - t0) / 1000;
    return { engine: `scan job: ${staged.backend}`, windows: staged.count, seconds, cpuSeconds: 0, peakRssMb: 0, probes: [] };
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

async function child(args: string[]): Promise<void> {
  const [mode, engine, dir, firstText, limitText] = args;
  const first = Number(firstText ?? 0);
  const limit = Number(limitText ?? 0);
  const r = mode === 'scanjob' ? await childScanJob(dir!, first, limit) : await childRunner(engine!, dir!, first, limit);
  const cpu = process.cpuUsage();
  console.log(JSON.stringify({ ...r, cpuSeconds: (cpu.user + cpu.system) / 1e6, peakRssMb: process.resourceUsage().maxRSS / 1024 }));
}

// ---------------------------------------------------------------- parent: models, runs, table

interface Row {
  readonly model: string;
  readonly engine: string;
  readonly windows: number;
  readonly seconds: number;
  /** The whole region's windows at this rate (measured when the whole region was scanned). */
  readonly regionSeconds: number;
  readonly windowsPerS: number;
  readonly bpPerS: number;
  readonly vsPeer: number | null;
  readonly peakRssMb: number;
  readonly othersCores: number;
  /** windows/s of every round. */
  readonly rounds: readonly number[];
  readonly note: string;
  readonly maxProbeDiff: number | null;
  readonly probes: readonly number[];
}

function savedConfig(plan: ModelPlan): { config: SavedModelConfig; weights: Float32Array } {
  const layout = createTask({ model: plan.spec }).layout;
  return { config: savedModelConfig(plan, layout), weights: layout.initialize(7) };
}

/** Runs `command` to its end; its last stdout line is JSON. Also the cores other processes kept busy meanwhile. */
function measure(command: string, args: string[], env: Record<string, string> = {}): { json: Record<string, unknown> | null; error?: string; othersCores: number; wall: number } {
  const c0 = cpuTimes();
  const t0 = performance.now();
  const r = spawnSync(command, args, { env: { ...process.env, ...env }, encoding: 'utf8', timeout: 3_600_000, maxBuffer: 64 << 20 });
  const wall = performance.now() - t0;
  const c1 = cpuTimes();
  const last = r.stdout?.trim().split('\n').pop() ?? '';
  let json: Record<string, unknown> | null = null;
  try {
    json = JSON.parse(last) as Record<string, unknown>;
  } catch {
    return { json: null, error: (r.stderr || r.stdout || String(r.error)).trim().split('\n').slice(-3).join(' | '), othersCores: 0, wall };
  }
  const own = Number(json['cpuSeconds'] ?? json['cpu_s'] ?? 0) * 1000;
  const busy = c1.total - c0.total - (c1.idle - c0.idle);
  return { json, othersCores: Math.max(0, (busy - own) / wall), wall };
}

async function main(): Promise<void> {
  const self = process.argv[1]!;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dnalm-scan-bench-'));
  const rows: Row[] = [];
  const errors: string[] = [];
  try {
    const models = [
      { name: 'CNN', window: CNN_WINDOW, plan: cnnPlan({ architecture: 'cnn', input: 'embedding', maxLength: CNN_WINDOW }, ['other', 'promoter'], CNN_WINDOW) },
      {
        name: 'BERT-mini',
        window: BERT_WINDOW,
        plan: bertPlan({ architecture: 'bert', preset: 'cpu-quick', k: K, maxTokens: BERT_TOKENS, pooling: 'cls', init: { from: 'random' } }, ['other', 'promoter'], BERT_WINDOW),
      },
    ];
    for (const m of models) {
      const dir = path.join(tmp, m.name);
      const { config, weights } = savedConfig(m.plan);
      writeModel(dir, config, weights);
      const bert = m.name !== 'CNN';
      const first = bert ? BERT_FIRST : 0;
      const all = QUICK ? QUICK_SUBSET : bert ? BERT_SUBSET : 0;
      const tfjsLimit = bert ? Math.min(all, TFJS_BERT_SUBSET) : all;
      // PyTorch twice (torch intra-op 1 and 2 threads, OpenBLAS 2): the better one is the reference.
      const runs: { engine: string; cmd: string; args: string[]; env?: Record<string, string>; limit: number }[] = [
        ...[1, 2].map((threads) => ({
          engine: 'pytorch',
          cmd: '/usr/bin/python3',
          args: [path.join(ROOT, 'test/bench/peers/scan_torch.py'), '--model', dir, '--fasta', FASTA, '--window', String(m.window), '--stride', String(STRIDE), '--batch', String(BATCH), '--threads', String(threads), '--first', String(first), '--limit', String(all), '--probe-every', String(PROBE)],
          env: { OPENBLAS_NUM_THREADS: '2' },
          limit: all,
        })),
        { engine: 'onnx', cmd: process.execPath, args: [self, 'child', 'runner', 'onnx', dir, String(first), String(all)], limit: all },
        { engine: 'tfjs', cmd: process.execPath, args: [self, 'child', 'runner', 'tfjs', dir, String(first), String(tfjsLimit)], limit: tfjsLimit },
        { engine: 'scanjob', cmd: process.execPath, args: [self, 'child', 'scanjob', 'onnx', dir, String(first), String(all)], limit: all },
      ];
      // Engines take turns, ROUNDS times: on a machine shared with other work, each then sees the same mix of
      // busy and quiet spells. Each row is the median round.
      const samples: { rate: number; seconds: number; windows: number; others: number; rss: number; engine: string; threads: unknown; probes: number[] }[][] = runs.map(() => []);
      for (let round = 0; round < ROUNDS; round++) {
        for (const [index, run] of runs.entries()) {
          const quiet = await waitForQuiet(1.8, QUICK ? 2_000 : 10_000);
          const r = measure(run.cmd, run.args, run.env);
          if (!r.json) {
            errors.push(`${m.name} ${run.engine}: ${r.error}`);
            console.log(`${m.name} ${run.engine} round ${round + 1}: failed: ${r.error}`);
            continue;
          }
          const j = r.json;
          const windows = Number(j['windows']);
          const seconds = Number(j['seconds']);
          samples[index]!.push({
            rate: windows / seconds,
            seconds,
            windows,
            others: r.othersCores,
            rss: Number(j['peakRssMb'] ?? j['peak_rss_mb']),
            engine: String(j['engine']),
            threads: j['threads'],
            probes: (j['probes'] as number[] | undefined) ?? [],
          });
          console.log(`${m.name} ${run.engine} round ${round + 1}: ${windows} windows in ${seconds.toFixed(1)} s, ${(windows / seconds).toFixed(1)} windows/s (idle cores before ${quiet.toFixed(2)}, others ${r.othersCores.toFixed(2)})`);
        }
      }
      const medianOf = (list: (typeof samples)[number]) => [...list].sort((a, b) => a.rate - b.rate)[Math.floor(list.length / 2)];
      const peerRuns = runs.map((run, i) => (run.engine === 'pytorch' ? medianOf(samples[i]!) : undefined)).filter((x) => x !== undefined);
      // The peer's better setting (torch intra-op 1 or 2 threads) is the reference.
      const peer = peerRuns.reduce<(typeof peerRuns)[number] | undefined>((best, x) => (best === undefined || x.rate > best.rate ? x : best), undefined);
      runs.forEach((run, i) => {
        const med = medianOf(samples[i]!);
        if (!med) return;
        const isPeer = run.engine === 'pytorch';
        let maxProbeDiff: number | null = null;
        if (!isPeer && peer && med.probes.length > 0) {
          maxProbeDiff = 0;
          for (let p = 0; p < Math.min(med.probes.length, peer.probes.length); p++) maxProbeDiff = Math.max(maxProbeDiff, Math.abs(med.probes[p]! - peer.probes[p]!));
        }
        const notes: string[] = [];
        if (isPeer) notes.push(`torch intra-op ${String(med.threads)}, OPENBLAS_NUM_THREADS=2`);
        if (run.limit > 0) notes.push(`windows ${first.toLocaleString('en-US')}-${(first + med.windows - 1).toLocaleString('en-US')} (bases from ${(first * STRIDE).toLocaleString('en-US')}); whole region extrapolated`);
        if (run.engine === 'scanjob') notes.push('the app\'s scan job end to end: reads the region, skips mostly-N windows, writes track + calls');
        if (QUICK) notes.push('BENCH_QUICK');
        const list = samples[i]!;
        rows.push({
          model: m.name,
          engine: med.engine,
          windows: med.windows,
          seconds: med.seconds,
          regionSeconds: (Math.floor((REGION_LENGTH - m.window) / STRIDE) + 1) / med.rate,
          windowsPerS: med.rate,
          bpPerS: med.rate * STRIDE,
          vsPeer: isPeer || !peer ? null : med.rate / peer.rate,
          peakRssMb: Math.max(...list.map((x) => x.rss)),
          othersCores: Number(med.others.toFixed(2)),
          rounds: list.map((x) => Number(x.rate.toFixed(1))),
          note: notes.join('; '),
          maxProbeDiff,
          probes: med.probes,
        });
      });
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  print(rows);
  const out = path.join(ROOT, 'bench-results');
  fs.mkdirSync(out, { recursive: true });
  const meta = { ...machine(), region: 'GRCh38 chr2:1-2,333,275 (forward strand)', stride: STRIDE, batch: BATCH, cnnWindow: CNN_WINDOW, bertWindow: BERT_WINDOW, bertTokens: BERT_TOKENS, quick: QUICK };
  fs.writeFileSync(path.join(out, 'scan.json'), JSON.stringify({ meta, rows: rows.map(({ probes: _p, ...r }) => r), errors }, null, 2));
  console.log(`\nwrote ${path.relative(ROOT, path.join(out, 'scan.json'))}`);
  if (errors.length > 0) process.exitCode = 1;
}

function print(rows: readonly Row[]): void {
  const fmt = (v: number, d = 0): string => v.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
  console.log(
    '\n' +
      ['model'.padEnd(10), 'engine'.padEnd(58), 'windows'.padStart(8), 's'.padStart(7), 'region s'.padStart(8), 'windows/s'.padStart(10), 'bp/s'.padStart(10), 'vs torch'.padStart(8), 'RSS MB'.padStart(7), 'others'.padStart(6), 'Δp'.padStart(8)].join(' '),
  );
  for (const r of rows) {
    console.log(
      [
        r.model.padEnd(10),
        r.engine.slice(0, 58).padEnd(58),
        fmt(r.windows).padStart(8),
        fmt(r.seconds, 1).padStart(7),
        fmt(r.regionSeconds).padStart(8),
        fmt(r.windowsPerS, 1).padStart(10),
        fmt(r.bpPerS).padStart(10),
        (r.vsPeer === null ? '—' : `${r.vsPeer.toFixed(2)}x`).padStart(8),
        fmt(r.peakRssMb).padStart(7),
        r.othersCores.toFixed(2).padStart(6),
        (r.maxProbeDiff === null ? '—' : r.maxProbeDiff.toExponential(1)).padStart(8),
      ].join(' ') + `  rounds ${r.rounds.join(' / ')}` + (r.note ? `  (${r.note})` : ''),
    );
  }
  console.log('Δp: largest difference of P(promoter) from the PyTorch peer, every 1000th window. others: cores busy with other processes (median round).');
}

if (process.argv[2] === 'child') {
  child(process.argv.slice(3)).catch((err: unknown) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
    process.exit(1);
  });
} else {
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}

/**
 * Explanations of one prediction (in the engine worker): in-silico saturation mutagenesis (every position changed to
 * each of the other bases, the change in the class probability) and, for BERT, the attention of every layer and head.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ApiError, type ExplainResult, type ExplainSettings } from '../../src-shared/api';
import { idToToken } from '../../src-shared/dna';
import type { TaskContext } from '../engine/task-context';
import { writeFileAtomicSync } from '../project/atomic-write';
import { createRunner, createTfjsRunner, loadModel } from './create-runner';
import type { InferenceJob, StagedPrediction } from './job-params';
import { assertClassifier, checkSequenceFits, encodeForModel, resolveClassIndex } from './model-input';
import { parsePastedText } from './predict-inputs';
import { FILES, bytesOf } from './prediction-files';
import { probabilitiesFromLogits } from './scoring';

const BASES = ['A', 'C', 'G', 'T'] as const;
const BATCH = 64;

/** Every single-base change of `seq`: position i, base b (A C G T order), skipping the base already there. */
export function mutants(seq: string): { position: number; base: number; sequence: string }[] {
  const out: { position: number; base: number; sequence: string }[] = [];
  for (let i = 0; i < seq.length; i++) {
    for (let b = 0; b < 4; b++) {
      if (seq[i] === BASES[b]) continue;
      out.push({ position: i, base: b, sequence: seq.slice(0, i) + BASES[b] + seq.slice(i + 1) });
    }
  }
  return out;
}

export async function runExplain(job: InferenceJob, ctx: TaskContext): Promise<StagedPrediction> {
  const settings = job.settings as unknown as ExplainSettings;
  const t0 = performance.now();
  const model = loadModel(job.modelDir);
  const config = model.config;
  assertClassifier(config, job.modelName);
  const classIndex = resolveClassIndex(config, settings.classIndex);
  const records = [...parsePastedText(settings.sequence)];
  if (records.length !== 1 || !records[0]) throw new ApiError('INVALID_REQUEST', `Explain reads one sequence; the input holds ${records.length}.`);
  const seq = records[0].sequence.toUpperCase();
  checkSequenceFits(config, job.modelName, records[0].id, 'explain', seq.length);
  if (settings.attention === true && config.architecture !== 'bert') {
    throw new ApiError('INVALID_REQUEST', `The model "${job.modelName}" is a CNN; attention maps exist only for BERT models (the mutagenesis map works for both).`);
  }
  const all = mutants(seq);
  const total = all.length + 1;
  ctx.progress(0, total, 'Loading the model');
  const runner = await createRunner(model, settings.engine ?? 'auto');
  const k = config.outputs === 1 ? 2 : config.outputs;
  const probabilityOf = async (seqs: string[]): Promise<Float64Array> => {
    const p = probabilitiesFromLogits(await runner.logits(encodeForModel(config, seqs)), config.outputs, seqs.length);
    return Float64Array.from({ length: seqs.length }, (_, i) => p[i * k + classIndex] ?? 0);
  };
  const ism = Array.from({ length: seq.length }, () => [0, 0, 0, 0]);
  let base: number;
  try {
    base = (await probabilityOf([seq]))[0] ?? 0;
    for (let s = 0; s < all.length; s += BATCH) {
      await ctx.checkpoint();
      const part = all.slice(s, s + BATCH);
      const p = await probabilityOf(part.map((m) => m.sequence));
      part.forEach((m, j) => {
        const row = ism[m.position];
        if (row) row[m.base] = (p[j] ?? 0) - base;
      });
      ctx.progress(s + part.length + 1, total, `${s + part.length} of ${all.length} mutations scored`);
    }
  } finally {
    runner.dispose();
  }

  fs.mkdirSync(job.stagingDir, { recursive: true });
  let attention: ExplainResult['attention'];
  if (settings.attention === true && config.input.kind === 'kmer') {
    await ctx.checkpoint();
    const tfjs = await createTfjsRunner(model);
    try {
      const input = encodeForModel(config, [seq]);
      const maps = tfjs.attention(input);
      const mask = input.attentionMask ?? new Int32Array(input.length).fill(1);
      let n = 0;
      while (n < input.length && (mask[n] ?? 0) === 1) n++;
      const tokens = Array.from(input.tokens.subarray(0, n), (id) => idToToken(id, config.input.kind === 'kmer' ? config.input.k : 6));
      // Only the real tokens (no padding): [layer][head][query][key], stored as float32 in attention.f32.
      const full = maps.length; // tokens per row, padding included
      const flat = new Float32Array(maps.layers * maps.heads * n * n);
      let at = 0;
      for (const layer of maps.weights) {
        for (const head of layer) {
          for (let q = 0; q < n; q++) {
            flat.set(head.subarray(q * full, q * full + n), at);
            at += n;
          }
        }
      }
      writeFileAtomicSync(path.join(job.stagingDir, FILES.attention), bytesOf(flat));
      attention = { tokens, layers: maps.layers, heads: maps.heads, weights: [] }; // weights are read back from attention.f32
    } finally {
      tfjs.dispose();
    }
  }
  const result: ExplainResult = {
    kind: 'explain',
    settings,
    sequence: seq,
    className: config.classes[classIndex] ?? '',
    probability: base,
    ism,
    ...(attention ? { attention } : {}),
  };
  return {
    kind: 'explain',
    name: job.name,
    inputHash: crypto.createHash('sha256').update(`${records[0].id}\t${seq}\n`).digest('hex'),
    inputDescription: `${records[0].id} (${seq.length} bp)`,
    engine: runner.engine,
    backend: runner.backend,
    count: all.length,
    seconds: (performance.now() - t0) / 1000,
    result,
    stagingDir: job.stagingDir,
  };
}

/**
 * Variant effects (in the engine worker): for each variant the model's probability of one class on the reference
 * window and on the same window carrying the ALT allele; delta and log-odds ratio. Every REF is checked against the
 * reference before anything is scored: a mismatch names the file, the line and both bases, and nothing is stored.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ApiError, type VariantResult, type VariantRow, type VariantSettings } from '../../src-shared/api';
import type { TaskContext } from '../engine/task-context';
import { FastaReference } from '../io';
import { writeFileAtomicSync } from '../project/atomic-write';
import { createRunner, loadModel } from './create-runner';
import type { InferenceJob, StagedPrediction } from './job-params';
import { assertClassifier, encodeForModel, modelInputLength, modelMinLength, resolveClassIndex } from './model-input';
import { FILES } from './prediction-files';
import { logit, probabilitiesFromLogits } from './scoring';
import { applyVariant, readVariants, variantWindow, type ParsedVariant } from './variant-input';

const BATCH = 32;

interface Prepared {
  readonly v: ParsedVariant;
  readonly ref: string;
  readonly alt: string;
}

export async function runVariants(job: InferenceJob, ctx: TaskContext): Promise<StagedPrediction> {
  const settings = job.settings as unknown as VariantSettings;
  const t0 = performance.now();
  const model = loadModel(job.modelDir);
  const config = model.config;
  assertClassifier(config, job.modelName);
  const classIndex = resolveClassIndex(config, settings.classIndex);
  const maxWindow = modelInputLength(config);
  const window = settings.window ?? maxWindow;
  if (!Number.isInteger(window) || window > maxWindow || window < modelMinLength(config)) {
    throw new ApiError('INVALID_REQUEST', `The window must be ${modelMinLength(config)}-${maxWindow} bases for the model "${job.modelName}"; got ${window}.`);
  }
  const variants = readVariants(settings.variants);
  ctx.progress(0, variants.length, 'Checking the variants against the reference');
  const refName = path.basename(settings.referencePath);
  const reference = await FastaReference.open(settings.referencePath);
  const prepared: Prepared[] = [];
  const hash = crypto.createHash('sha256').update(`${refName}\n`);
  try {
    for (const v of variants) {
      const length = reference.lengthOf(v.chrom);
      const at = `${v.file}, line ${v.line}`;
      if (length === undefined) {
        throw new ApiError('INVALID_REQUEST', `${at}: the reference ${refName} has no sequence named ${v.chrom} (it has ${reference.describeNames()}).`);
      }
      if (v.pos - 1 + v.ref.length > length) {
        throw new ApiError('INVALID_REQUEST', `${at}: ${v.chrom}:${v.pos} lies outside the reference ${refName}; ${v.chrom} has ${length.toLocaleString('en-US')} bases.`);
      }
      if (length < window) throw new ApiError('INVALID_REQUEST', `${at}: ${v.chrom} is shorter (${length} bases) than the window (${window}).`);
      const found = (await reference.fetch(v.chrom, v.pos - 1, v.pos - 1 + v.ref.length)).toUpperCase();
      if (found !== v.ref) {
        throw new ApiError(
          'INVALID_REQUEST',
          `${at}: the REF of ${v.chrom}:${v.pos} is ${v.ref} but the reference ${refName} has ${found} there; check that the variants and the reference are the same assembly (e.g. hg38).`,
        );
      }
      const w = variantWindow(v.pos, v.ref.length, window, length);
      const extra = Math.max(0, v.ref.length - v.alt.length);
      const bases = (await reference.fetch(v.chrom, w.start, Math.min(length, w.end + extra))).toUpperCase();
      prepared.push({ v, ...applyVariant(bases, w.start, v, window) });
      hash.update(`${v.chrom}\t${v.pos}\t${v.ref}\t${v.alt}\n`);
    }
  } finally {
    await reference.close();
  }

  const runner = await createRunner(model, settings.engine ?? 'auto');
  const rows: VariantRow[] = [];
  const k = config.outputs === 1 ? 2 : config.outputs;
  try {
    for (let s = 0; s < prepared.length; s += BATCH) {
      await ctx.checkpoint();
      const part = prepared.slice(s, s + BATCH);
      const seqs = part.flatMap((p) => [p.ref, p.alt]);
      const logits = await runner.logits(encodeForModel(config, seqs));
      const probs = probabilitiesFromLogits(logits, config.outputs, seqs.length);
      part.forEach((p, j) => {
        const refP = probs[2 * j * k + classIndex] ?? 0;
        const altP = probs[(2 * j + 1) * k + classIndex] ?? 0;
        rows.push({
          index: s + j,
          id: p.v.id,
          chrom: p.v.chrom,
          pos: p.v.pos,
          ref: p.v.ref,
          alt: p.v.alt,
          refProbability: refP,
          altProbability: altP,
          delta: altP - refP,
          logOddsRatio: logit(altP) - logit(refP),
        });
      });
      ctx.progress(rows.length, prepared.length, `${rows.length} of ${prepared.length} variants scored`);
    }
  } finally {
    runner.dispose();
  }
  fs.mkdirSync(job.stagingDir, { recursive: true });
  writeFileAtomicSync(path.join(job.stagingDir, FILES.variants), JSON.stringify(rows));
  const result: VariantResult = { kind: 'variants', settings, className: config.classes[classIndex] ?? '', window };
  const source = settings.variants.kind === 'file' ? path.basename(settings.variants.path) : 'a pasted list';
  return {
    kind: 'variants',
    name: job.name,
    inputHash: hash.digest('hex'),
    inputDescription: `${rows.length} variant${rows.length === 1 ? '' : 's'} from ${source} on ${refName}`,
    engine: runner.engine,
    backend: runner.backend,
    count: rows.length,
    seconds: (performance.now() - t0) / 1000,
    result,
    stagingDir: job.stagingDir,
  };
}

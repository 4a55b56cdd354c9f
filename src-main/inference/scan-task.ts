/**
 * Scan (in the engine worker): a model slid along a long sequence with a window and a stride, on one or both strands,
 * in batches. Memory stays flat in the region's length: the region is read in chunks of windows, scores are appended
 * to the track files as they come, and called regions are merged as the windows pass.
 */
import crypto from 'node:crypto';
import path from 'node:path';
import { ApiError, type AnnotationSite, type CalledRegion, type ScanResult, type ScanSettings } from '../../src-shared/api';
import { reverseComplement } from '../../src-shared/dna';
import type { TaskContext } from '../engine/task-context';
import { readSites } from './annotation';
import { createRunner, loadModel } from './create-runner';
import type { InferenceJob, StagedPrediction } from './job-params';
import { assertClassifier, encodeForModel, modelInputLength, modelMinLength, resolveClassIndex } from './model-input';
import { FILES, Float32Appender, LineWriter } from './prediction-files';
import { RegionMerger, overlapCallsWithSites, type ScoredInterval } from './regions';
import { openScanSource } from './scan-source';
import { probabilitiesFromLogits } from './scoring';

/** Windows read per chunk of the region: bounds the bases held at once (chunk * stride + window). */
const CHUNK_WINDOWS = 2048;

export function windowCount(length: number, window: number, stride: number): number {
  return length < window ? 0 : Math.floor((length - window) / stride) + 1;
}

/** More than half the window is not A/C/G/T: no score (an assembly gap, not a prediction). */
export function mostlyN(seq: string): boolean {
  let other = 0;
  for (let i = 0; i < seq.length; i++) {
    const c = seq.charCodeAt(i) | 0x20;
    if (c !== 0x61 && c !== 0x63 && c !== 0x67 && c !== 0x74) other++;
  }
  return other * 2 > seq.length;
}

/** The bedGraph interval a window's score is drawn on: the stride-wide bin around its centre (no overlaps). */
export function binOf(windowStart: number, window: number, stride: number): { start: number; end: number } {
  if (stride >= window) return { start: windowStart, end: windowStart + window };
  const start = windowStart + Math.floor((window - stride) / 2);
  return { start, end: start + stride };
}

export async function runScan(job: InferenceJob, ctx: TaskContext): Promise<StagedPrediction> {
  const settings = job.settings as unknown as ScanSettings;
  const t0 = performance.now();
  const model = loadModel(job.modelDir);
  const config = model.config;
  assertClassifier(config, job.modelName);
  const classIndex = resolveClassIndex(config, settings.classIndex);
  const maxWindow = modelInputLength(config);
  const window = settings.window ?? maxWindow;
  if (!Number.isInteger(window) || window > maxWindow || window < modelMinLength(config)) {
    throw new ApiError('INVALID_REQUEST', `The window must be ${modelMinLength(config)}-${maxWindow} bases for the model "${job.modelName}" (it reads at most ${maxWindow}); got ${window}.`);
  }
  const stride = settings.stride;
  const both = settings.strands === 'both';
  const batchSize = settings.batchSize ?? 64;

  const region = await openScanSource(settings.source);
  const { chrom, start, end } = region;
  const total = windowCount(end - start, window, stride);
  if (total === 0) {
    await region.close();
    throw new ApiError('INVALID_REQUEST', `The region ${region.description} (${end - start} bases) is shorter than the window (${window}).`);
  }
  const sites = settings.annotation ? readSites(settings.annotation.path, chrom, start, end) : null;

  ctx.progress(0, total, 'Loading the model');
  const runner = await createRunner(model, settings.engine ?? 'auto');
  const forward = new Float32Appender(path.join(job.stagingDir, FILES.forward));
  const reverse = both ? new Float32Appender(path.join(job.stagingDir, FILES.reverse)) : null;
  const bedGraph = new LineWriter(path.join(job.stagingDir, FILES.bedGraph));
  bedGraph.line(`track type=bedGraph name="${(job.name || 'scan').replace(/"/g, "'")}" description="P(${config.classes[classIndex]}) per window of ${window} bp, stride ${stride}"`);
  const fwdMerger = new RegionMerger(settings.mergeGap, settings.minLength);
  const revMerger = both ? new RegionMerger(settings.mergeGap, settings.minLength) : null;
  const hash = crypto.createHash('sha256').update(`${chrom}:${start}-${end}\n`);
  let hashedTo = start;
  let skipped = 0;
  let done = 0;
  const outputs = config.outputs;
  const k = outputs === 1 ? 2 : outputs;

  const score = async (seqs: string[]): Promise<Float64Array> => {
    const logits = await runner.logits(encodeForModel(config, seqs));
    const p = probabilitiesFromLogits(logits, outputs, seqs.length);
    return Float64Array.from({ length: seqs.length }, (_, i) => p[i * k + classIndex] ?? 0);
  };

  try {
    for (let first = 0; first < total; first += CHUNK_WINDOWS) {
      const count = Math.min(CHUNK_WINDOWS, total - first);
      const from = start + first * stride;
      const to = start + (first + count - 1) * stride + window;
      const bases = (await region.fetch(from, to)).toUpperCase();
      if (to > hashedTo) {
        hash.update(bases.slice(hashedTo - from));
        hashedTo = to;
      }
      const fwd = new Float32Array(count).fill(NaN);
      const rev = both ? new Float32Array(count).fill(NaN) : null;
      for (let b = 0; b < count; b += batchSize) {
        await ctx.checkpoint();
        const idx: number[] = [];
        const seqs: string[] = [];
        for (let i = b; i < Math.min(count, b + batchSize); i++) {
          const s = bases.slice(i * stride, i * stride + window);
          if (mostlyN(s)) {
            skipped++;
            continue;
          }
          idx.push(i);
          seqs.push(s);
        }
        if (seqs.length > 0) {
          const f = await score(seqs);
          idx.forEach((i, j) => (fwd[i] = f[j] ?? NaN));
          if (rev) {
            const r = await score(seqs.map(reverseComplement));
            idx.forEach((i, j) => (rev[i] = r[j] ?? NaN));
          }
        }
        done = first + Math.min(count, b + batchSize);
        ctx.progress(done, total, `${done.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} windows`, { windows: done });
      }
      for (let i = 0; i < count; i++) {
        const ws = from + i * stride;
        const f = fwd[i] ?? NaN;
        const r = rev ? (rev[i] ?? NaN) : NaN;
        if (Number.isNaN(f)) continue;
        const bin = binOf(ws, window, stride);
        bedGraph.line(`${chrom}\t${bin.start}\t${bin.end}\t${(rev ? Math.max(f, r) : f).toFixed(5)}`);
        if (f >= settings.threshold) fwdMerger.add(ws, ws + window, f);
        if (revMerger && r >= settings.threshold) revMerger.add(ws, ws + window, r);
      }
      forward.append(fwd);
      reverse?.append(rev ?? new Float32Array(0));
    }
  } finally {
    forward.close();
    reverse?.close();
    bedGraph.close();
    runner.dispose();
    await region.close();
  }

  const strandOf = (s: '+' | '-'): '+' | '-' | '.' => (both ? s : '.');
  const raw: (ScoredInterval & { strand: '+' | '-' | '.' })[] = [
    ...fwdMerger.finish().map((c) => ({ ...c, strand: strandOf('+') })),
    ...(revMerger ? revMerger.finish().map((c) => ({ ...c, strand: strandOf('-') })) : []),
  ].sort((a, b) => a.start - b.start || a.end - b.end);

  let calls: CalledRegion[];
  let annotation: ScanResult['annotation'];
  if (sites !== null && settings.annotation) {
    const o = overlapCallsWithSites(raw, sites, settings.annotation.maxDistance);
    calls = raw.map((c, i) => {
      const n = o.callNearest[i] ?? null;
      return { chrom, ...c, nearestSite: n?.distance ?? null, nearestName: n === null ? null : (sites[n.index]?.name ?? null) };
    });
    const annotated: AnnotationSite[] = sites.map((s, i) => ({ ...s, nearCall: o.siteNearCall[i] ?? false }));
    annotation = { path: settings.annotation.path, maxDistance: settings.annotation.maxDistance, sites: annotated, recall: o.recall, precision: o.precision };
  } else {
    calls = raw.map((c) => ({ chrom, ...c, nearestSite: null, nearestName: null }));
  }
  const bed = new LineWriter(path.join(job.stagingDir, FILES.bed));
  calls.forEach((c, i) => bed.line(`${chrom}\t${c.start}\t${c.end}\tcall${i + 1}\t${Math.round(c.score * 1000)}\t${c.strand}`));
  bed.close();

  const result: ScanResult = {
    kind: 'scan',
    settings,
    chrom,
    start,
    end,
    window,
    stride,
    windows: total,
    skipped,
    calls,
    ...(annotation ? { annotation } : {}),
    files: { bedGraph: FILES.bedGraph, bed: FILES.bed },
  };
  return {
    kind: 'scan',
    name: job.name,
    inputHash: hash.digest('hex'),
    inputDescription: `${region.description}${both ? ' (both strands)' : ''}`,
    engine: runner.engine,
    backend: runner.backend,
    count: total,
    seconds: (performance.now() - t0) / 1000,
    result,
    stagingDir: job.stagingDir,
  };
}

/** `dnalm predict | scan | variants`: a trained model on sequences, along a region, and on variants, as jobs. */
import fs from 'node:fs';
import path from 'node:path';
import {
  ApiError,
  Invoke,
  isErrorCode,
  type JobDto,
  type PredictionDetail,
  type PredictionSummary,
  type ScanResult,
  type VariantRow,
} from '../../src-shared/api';
import { findDataset } from '../datasets/dataset-repository';
import { allPredictionRows, allVariantRows, getPrediction } from '../inference/prediction-repository';
import { assertK } from '../inference/model-input';
import { forkChildProcess } from '../jobs/worker-process';
import { defaultUserDataDir } from '../paths';
import type { ProjectStore } from '../project';
import { AppService } from '../service/app-service';
import { readModel } from '../training/artifacts';
import { getModel } from '../training/run-repository';
import type { ParsedArgs } from './args';
import type { Output } from './commands';

export const INFERENCE_VALUED_FLAGS = [
  'fasta',
  'csv',
  'split',
  'threshold',
  'engine',
  'out',
  'region',
  'window',
  'stride',
  'strands',
  'merge-gap',
  'min-length',
  'annotation',
  'max-distance',
  'vcf',
  'variants',
  'class-index',
];

export const INFERENCE_USAGE = `  dnalm predict PROJECT --model ID (--fasta F | --csv F | --dataset NAME|ID [--split S]) [--threshold X]
                 [--engine auto|onnx|tfjs] [--k K] [--batch-size N] [--truncate] [--name N] [--out OUT.csv] [--json]
                                           class probabilities for sequences, stored as a prediction record
                                           (--truncate: sequences longer than the model are cut, as in training)
  dnalm scan PROJECT --model ID --fasta F [--region chr:start-end] [--window N] --stride N
                 [--strands forward|both] [--threshold X] [--merge-gap N] [--min-length N]
                 [--annotation BED [--max-distance N]] [--engine E] [--name N] [--json]
                                           slide the model along a sequence: score track (bedGraph), called
                                           regions (BED) and their distance to annotated sites
  dnalm variants PROJECT --model ID --reference F (--vcf F | --variants "chr2:264032 A>G; ...") [--window N]
                 [--engine E] [--name N] [--out OUT.csv] [--json]
                                           ref/alt probabilities, difference and log-odds ratio per variant`;

const bad = (message: string): never => {
  throw new ApiError('INVALID_REQUEST', message);
};

function text(args: ParsedArgs, name: string): string | undefined {
  const v = args.flags.get(name);
  if (v === true) bad(`--${name} needs a value.`);
  return v === true ? undefined : v;
}

function int(args: ParsedArgs, name: string, min = 1): number | undefined {
  const v = text(args, name);
  if (v === undefined) return undefined;
  const n = Number(v.replace(/,/g, ''));
  if (!Number.isInteger(n) || n < min) bad(`--${name} must be a whole number of at least ${min}.`);
  return n;
}

function real(args: ParsedArgs, name: string): number | undefined {
  const v = text(args, name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n)) bad(`--${name} must be a number.`);
  return n;
}

function defined(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}

/** `chr2:240,001-290,000` (1-based, inclusive, as genome browsers) -> 0-based half-open; `chr2` alone: the whole record. */
export function parseRegion(region: string): { record: string; start?: number; end?: number } {
  const m = /^([^:\s]+)(?::([\d,]+)-([\d,]+))?$/.exec(region.trim());
  if (!m) return bad(`--region must be chr:start-end (1-based, e.g. chr2:240001-290000) or a sequence name; got "${region}".`);
  const [, record = '', s, e] = m;
  if (s === undefined || e === undefined) return { record };
  const start = Number(s.replace(/,/g, ''));
  const end = Number(e.replace(/,/g, ''));
  if (start < 1 || end < start) bad(`--region ${region}: the start must be at least 1 and not after the end.`);
  return { record, start: start - 1, end };
}

interface Session {
  readonly service: AppService;
  readonly store: ProjectStore;
}

async function openSession(project: string | undefined, usage: string): Promise<Session> {
  if (!project) bad(`Give the project folder: ${usage}`);
  const service = new AppService({ host: 'cli', userDataDir: defaultUserDataDir(), launcher: forkChildProcess });
  await service.call(Invoke.projectOpen, { path: path.resolve(project ?? '') });
  const store = service.currentProject;
  if (!store) throw new ApiError('INTERNAL', 'The project did not open.');
  return { service, store };
}

/** Runs a job to its end with progress lines on stderr; Ctrl-C cancels it (nothing is stored then). */
async function runJob(session: Session, kind: 'predict' | 'scan' | 'variants', params: Record<string, unknown>, out: Output): Promise<PredictionSummary> {
  const jobs = session.service.jobManager();
  const job = await session.service.call(Invoke.jobsStart, { kind, params } as never);
  let last = '';
  const poll = setInterval(() => {
    const p = jobs.get(job.id).progress;
    const line = `${String(Math.round(p.fraction * 100)).padStart(3)}%  ${p.message}`;
    if (line !== last) out.progress(line);
    last = line;
  }, 1000);
  const onSignal = (): void => {
    out.progress('Cancelling… (nothing is stored)');
    try {
      jobs.cancel(job.id);
    } catch {
      // already finished
    }
  };
  process.on('SIGINT', onSignal);
  let done: JobDto;
  try {
    done = await jobs.waitFor(job.id);
  } finally {
    clearInterval(poll);
    process.off('SIGINT', onSignal);
  }
  if (done.status === 'cancelled') bad(`The ${kind} job was cancelled; nothing was stored.`);
  if (done.status !== 'success') {
    const code = done.error && isErrorCode(done.error.code) ? done.error.code : 'INTERNAL';
    throw new ApiError(code, `${done.error?.message ?? 'The job failed.'} Nothing was stored.`);
  }
  return done.result as PredictionSummary;
}

function modelId(args: ParsedArgs, session: Session, usage: string): number {
  const id = int(args, 'model') ?? bad(`Give the model's number with --model: ${usage}`);
  const { summary, dir } = getModel(session.store, id);
  assertK(readModel(dir).config, summary.name, int(args, 'k', 1));
  return id;
}

/** RFC 4180 field; text that a spreadsheet would run as a formula gets a leading apostrophe. */
function csvField(v: string | number): string {
  let s = String(v);
  if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function writeCsv(file: string, header: readonly string[], rows: readonly (readonly (string | number)[])[]): void {
  const text = [header, ...rows].map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
  const target = path.resolve(file);
  const temp = `${target}.tmp-${process.pid}`;
  fs.writeFileSync(temp, text);
  fs.renameSync(temp, target);
}

function header(d: PredictionDetail): string {
  return `Prediction ${d.id}: ${d.name} — ${d.inputDescription}; model ${d.modelName} (${d.engine}, ${d.backend}), ${d.seconds.toFixed(1)} s`;
}

export async function predict(args: ParsedArgs, out: Output): Promise<void> {
  const usage = 'dnalm predict PROJECT --model ID (--fasta F | --csv F | --dataset NAME|ID)';
  const session = await openSession(args.positional[1], usage);
  try {
    const model = modelId(args, session, usage);
    const fasta = text(args, 'fasta');
    const csv = text(args, 'csv');
    const dataset = text(args, 'dataset');
    if ([fasta, csv, dataset].filter((v) => v !== undefined).length !== 1) bad(`Give exactly one input, --fasta, --csv or --dataset: ${usage}`);
    const split = text(args, 'split');
    const input =
      dataset !== undefined
        ? { kind: 'dataset', datasetId: findDataset(session.store, dataset).summary.id, ...defined({ split }) }
        : { kind: 'file', path: path.resolve(fasta ?? csv ?? '') };
    const params = defined({
      modelId: model,
      input,
      threshold: real(args, 'threshold'),
      engine: text(args, 'engine'),
      batchSize: int(args, 'batch-size'),
      name: text(args, 'name'),
      truncate: args.flags.has('truncate') ? true : undefined,
    });
    const summary = await runJob(session, 'predict', params, out);
    const detail = getPrediction(session.store, summary.id);
    const { classes, rows } = allPredictionRows(session.store, summary.id);
    const target = text(args, 'out');
    if (target !== undefined) {
      const labelled = rows.some((r) => r.label !== undefined);
      writeCsv(
        target,
        ['id', 'length', ...(labelled ? ['label', 'split'] : []), 'predicted', 'score', ...classes.map((c) => `p_${c}`)],
        rows.map((r) => [r.id, r.length, ...(labelled ? [r.label ?? '', r.split ?? ''] : []), r.predicted, r.score, ...r.probabilities]),
      );
    }
    const result = detail.result.kind === 'predict' ? detail.result : null;
    const counts = Object.entries(result?.counts ?? {}).map(([c, n]) => `${c} ${n}`).join(', ');
    const agreement = result?.agreement ? `\n  against the labels: accuracy ${(result.agreement.accuracy * 100).toFixed(2)} %, MCC ${result.agreement.mcc.toFixed(4)}` : '';
    out.print(
      `${header(detail)}\n  predicted (threshold ${result?.threshold ?? 0.5}): ${counts}${agreement}\n  input SHA-256 ${detail.inputHash}${target === undefined ? '' : `\n  rows written to ${path.resolve(target)}`}`,
      { ...detail, ...(target === undefined ? {} : { out: path.resolve(target) }) },
    );
  } finally {
    await session.service.shutdown();
  }
}

function describeScan(d: PredictionDetail, r: ScanResult): string {
  const lines = [
    header(d),
    `  ${r.windows.toLocaleString('en-US')} windows of ${r.window} bp, stride ${r.stride} (${r.skipped} skipped, mostly N); ${r.calls.length} called regions`,
  ];
  for (const c of r.calls.slice(0, 20)) {
    const near = c.nearestSite === null ? '' : `  nearest site ${c.nearestName ?? ''} at ${c.nearestSite} bp`;
    lines.push(`  ${c.chrom}:${c.start + 1}-${c.end} ${c.strand} score ${c.score.toFixed(3)}${near}`);
  }
  if (r.calls.length > 20) lines.push(`  … and ${r.calls.length - 20} more (see the BED file)`);
  if (r.annotation) {
    const a = r.annotation;
    const near = a.sites.filter((s) => s.nearCall).length;
    lines.push(
      `  annotation ${path.basename(a.path)}: ${near} of ${a.sites.length} sites within ${a.maxDistance} bp of a call (recall ${a.recall.toFixed(3)}), precision ${a.precision.toFixed(3)}`,
    );
  }
  lines.push(`  files: artifacts/${r.files.bedGraph}, artifacts/${r.files.bed}`);
  return lines.join('\n');
}

export async function scan(args: ParsedArgs, out: Output): Promise<void> {
  const usage = 'dnalm scan PROJECT --model ID --fasta F [--region chr:start-end] --stride N';
  const session = await openSession(args.positional[1], usage);
  try {
    const model = modelId(args, session, usage);
    const fasta = text(args, 'fasta') ?? bad(`Give the FASTA file with --fasta: ${usage}`);
    const regionText = text(args, 'region');
    const region = regionText === undefined ? {} : parseRegion(regionText);
    const annotation = text(args, 'annotation');
    const params = defined({
      modelId: model,
      source: { kind: 'file', path: path.resolve(fasta), ...region },
      window: int(args, 'window'),
      stride: int(args, 'stride') ?? bad(`Give the stride with --stride: ${usage}`),
      strands: text(args, 'strands') ?? 'forward',
      threshold: real(args, 'threshold'),
      mergeGap: int(args, 'merge-gap', 0),
      minLength: int(args, 'min-length', 0),
      classIndex: int(args, 'class-index', 0),
      annotation: annotation === undefined ? undefined : { path: path.resolve(annotation), maxDistance: int(args, 'max-distance', 0) ?? 500 },
      engine: text(args, 'engine'),
      batchSize: int(args, 'batch-size'),
      name: text(args, 'name'),
    });
    const summary = await runJob(session, 'scan', params, out);
    const detail = getPrediction(session.store, summary.id);
    if (detail.result.kind !== 'scan') throw new ApiError('INTERNAL', 'The scan stored another kind of result.');
    out.print(describeScan(detail, detail.result), detail);
  } finally {
    await session.service.shutdown();
  }
}

function describeVariants(d: PredictionDetail, rows: readonly VariantRow[]): string {
  const cls = d.result.kind === 'variants' ? d.result.className : '';
  const lines = [header(d), `  P(${cls}) ref -> alt, delta, log-odds ratio:`];
  for (const r of rows.slice(0, 50)) {
    lines.push(`  ${r.id.padEnd(28)} ${r.refProbability.toFixed(4)} -> ${r.altProbability.toFixed(4)}  ${r.delta >= 0 ? '+' : ''}${r.delta.toFixed(4)}  ${r.logOddsRatio.toFixed(3)}`);
  }
  if (rows.length > 50) lines.push(`  … and ${rows.length - 50} more`);
  return lines.join('\n');
}

export async function variants(args: ParsedArgs, out: Output): Promise<void> {
  const usage = 'dnalm variants PROJECT --model ID --reference F (--vcf F | --variants "chr2:264032 A>G")';
  const session = await openSession(args.positional[1], usage);
  try {
    const model = modelId(args, session, usage);
    const reference = text(args, 'reference') ?? bad(`Give the reference FASTA with --reference: ${usage}`);
    const vcf = text(args, 'vcf');
    const list = text(args, 'variants');
    if ((vcf === undefined) === (list === undefined)) bad(`Give either --vcf or --variants: ${usage}`);
    const params = defined({
      modelId: model,
      referencePath: path.resolve(reference),
      variants: vcf !== undefined ? { kind: 'file', path: path.resolve(vcf) } : { kind: 'text', text: (list ?? '').replace(/;/g, '\n') },
      window: int(args, 'window'),
      classIndex: int(args, 'class-index', 0),
      engine: text(args, 'engine'),
      name: text(args, 'name'),
    });
    const summary = await runJob(session, 'variants', params, out);
    const detail = getPrediction(session.store, summary.id);
    const rows = allVariantRows(session.store, summary.id);
    const target = text(args, 'out');
    if (target !== undefined) {
      writeCsv(
        target,
        ['id', 'chrom', 'pos', 'ref', 'alt', 'ref_probability', 'alt_probability', 'delta', 'log_odds_ratio'],
        rows.map((r) => [r.id, r.chrom, r.pos, r.ref, r.alt, r.refProbability, r.altProbability, r.delta, r.logOddsRatio]),
      );
    }
    out.print(describeVariants(detail, rows), { ...detail, rows });
  } finally {
    await session.service.shutdown();
  }
}

/** `dnalm predict | scan | variants`: a trained model on sequences, along a region, and on variants, as jobs. */
import fs from 'node:fs';
import path from 'node:path';
import { ApiError, type PredictionDetail, type PredictionSummary, type ScanResult, type VariantRow } from '../../src-shared/api';
import { findDataset } from '../datasets/dataset-repository';
import { allPredictionRows, allVariantRows, getPrediction } from '../inference/prediction-repository';
import { assertK } from '../inference/model-input';
import { readModel } from '../training/artifacts';
import { getModel } from '../training/run-repository';
import type { ParsedArgs } from './args';
import type { Output } from './commands';
import { bad, bool, defined, int, real, text } from './flags';
import { requireSuccess, runJob, withSession, type Session } from './job-session';

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

/** Runs a prediction job to its end; Ctrl-C cancels it, and a job that did not finish stores nothing. */
async function runPrediction(session: Session, kind: 'predict' | 'scan' | 'variants', params: Record<string, unknown>, out: Output): Promise<PredictionSummary> {
  const done = await runJob(session, kind, params, out, { onCancel: 'nothing is stored' });
  requireSuccess(done, {
    cancelled: `The ${kind} job was cancelled; nothing was stored.`,
    failed: (reason) => `${reason ?? 'The job failed.'} Nothing was stored.`,
  });
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
  const body = [header, ...rows].map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
  const target = path.resolve(file);
  const temp = `${target}.tmp-${process.pid}`;
  fs.writeFileSync(temp, body);
  fs.renameSync(temp, target);
}

function header(d: PredictionDetail): string {
  return `Prediction ${d.id}: ${d.name} — ${d.inputDescription}; model ${d.modelName} (${d.engine}, ${d.backend}), ${d.seconds.toFixed(1)} s`;
}

export async function predict(args: ParsedArgs, out: Output): Promise<void> {
  const usage = 'dnalm predict PROJECT --model ID (--fasta F | --csv F | --dataset NAME|ID)';
  await withSession(args.positional[1], usage, async (session) => {
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
      truncate: bool(args, 'truncate') ? true : undefined,
    });
    const summary = await runPrediction(session, 'predict', params, out);
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
  });
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
  await withSession(args.positional[1], usage, async (session) => {
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
    const summary = await runPrediction(session, 'scan', params, out);
    const detail = getPrediction(session.store, summary.id);
    if (detail.result.kind !== 'scan') throw new ApiError('INTERNAL', 'The scan stored another kind of result.');
    out.print(describeScan(detail, detail.result), detail);
  });
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
  await withSession(args.positional[1], usage, async (session) => {
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
    const summary = await runPrediction(session, 'variants', params, out);
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
  });
}

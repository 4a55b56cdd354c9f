/**
 * `dnalm pretrain`: pretraining from the seeds (plain DNABERT masking or RandomMask, NGSP, GeneBERT's SRM) as a job in
 * the compute engine, and `dnalm pretrain-ablation` (GeneBERT Table 5: pretrain each combination, fine-tune each).
 */
import path from 'node:path';
import { ApiError, type AblationSummary, type CorpusSource, type JobDto, type JobProgress, type PretrainObjectives, type PretrainSummary } from '../../src-shared/api';
import { findDataset } from '../datasets/dataset-repository';
import type { ProjectStore } from '../project';
import { getPretrain } from '../pretraining/pretrain-repository';
import type { ParsedArgs } from './args';
import type { Output } from './commands';
import { bad, bool, defined, int, real, text } from './flags';
import { endingOf, requireSuccess, runJob, withSession } from './job-session';

export const PRETRAIN_VALUED_FLAGS = [
  'corpus',
  'method',
  'motifs',
  'steps',
  'batch',
  'k',
  'preset',
  'layers',
  'hidden',
  'heads',
  'intermediate',
  'lr',
  'seed',
  'threads',
  'window',
  'stride',
  'eval-every',
  'warmup',
  'min-span',
  'phases',
  'growth',
  'rate',
  'final-rate',
  'lambda',
  'temperature',
  'region-group',
  'validation-fraction',
  'resume',
  'name',
  'arms',
  'dataset',
  'repeats',
  'epochs',
  'batch-size',
  'ft-lr',
];

export const PRETRAIN_USAGE = `  dnalm pretrain PROJECT --corpus fasta:FILE[:RECORD:START-END] | bed:BED:REFERENCE | dataset:NAME|ID
                 --method mlm[,randommask][,ngsp][,srm] [--motifs FILE] [--steps N] [--batch B] [--lr X] [--k 3..6]
                 [--preset cpu-quick|paper] [--layers N --hidden N --heads N --intermediate N] [--window BP]
                 [--stride BP] [--both-strands] [--min-span N --phases P --growth G --rate R --final-rate R]
                 [--lambda L] [--temperature T] [--fixed-temperature] [--region-group N] [--eval-every N]
                 [--validation-fraction F] [--seed S] [--threads N] [--name N] [--json]
  dnalm pretrain PROJECT --resume RUN_ID [--json]
                                           pretrain a BERT as a job (per-loss progress on stderr); the result is
                                           a 'pretrained' model for dnalm train --model bert --pretrained ID
  dnalm pretrain-ablation PROJECT --corpus ... --dataset D --arms mlm;randommask;randommask,ngsp,srm
                 [--repeats N] [--epochs N] [--batch-size N] [--ft-lr X] [pretrain options]
                                           GeneBERT Table 5: pretrain each arm on the same corpus and budget, then
                                           fine-tune BERT from random weights and each pretrained model`;

/** `fasta:FILE[:RECORD:START-END]`, `bed:BED:REFERENCE` or `dataset:NAME|ID`. */
export function parseCorpusFlag(value: string, store: ProjectStore, args: ParsedArgs): CorpusSource {
  const window = int(args, 'window', 16) ?? 128;
  const stride = int(args, 'stride') ?? window;
  const bothStrands = bool(args, 'both-strands');
  const colon = value.indexOf(':');
  const kind = colon < 0 ? '' : value.slice(0, colon);
  const rest = colon < 0 ? '' : value.slice(colon + 1);
  if (kind === 'fasta') {
    const m = /^(.*):([^:]+):(\d[\d,]*)-(\d[\d,]*)$/.exec(rest);
    if (m) {
      const num = (s: string): number => Number(s.replace(/,/g, ''));
      return { kind: 'fasta', path: path.resolve(m[1] ?? ''), region: { record: m[2] ?? '', start: num(m[3] ?? '0'), end: num(m[4] ?? '0') }, window, stride, bothStrands };
    }
    if (rest === '') bad('--corpus fasta: needs a file, e.g. fasta:chr2.fa.gz or fasta:chr2.fa.gz:chr2:0-1000000.');
    return { kind: 'fasta', path: path.resolve(rest), window, stride, bothStrands };
  }
  if (kind === 'bed') {
    const i = rest.lastIndexOf(':');
    if (i <= 0) bad('--corpus bed: needs the BED file and the reference FASTA, e.g. bed:peaks.bed:genome.fa.');
    return { kind: 'bed', bedPath: path.resolve(rest.slice(0, i)), referencePath: path.resolve(rest.slice(i + 1)), window, bothStrands };
  }
  if (kind === 'dataset') {
    if (rest === '') bad('--corpus dataset: needs a dataset name or number.');
    return { kind: 'dataset', datasetId: findDataset(store, rest).summary.id, window, stride };
  }
  return bad(`--corpus must be fasta:FILE[:RECORD:START-END], bed:BED:REFERENCE or dataset:NAME|ID; got "${value}".`);
}

/** `mlm[,randommask][,ngsp][,srm]` (MLM is always on; randommask picks the curriculum over plain DNABERT masking). */
export function parseMethod(value: string, args: ParsedArgs): PretrainObjectives {
  const parts = value.split(/[,+]/).map((p) => p.trim().toLowerCase()).filter((p) => p !== '');
  const known = ['mlm', 'mgm', 'plain', 'randommask', 'ngsp', 'srm'];
  for (const p of parts) if (!known.includes(p)) bad(`--method: "${p}" is not a method; use mlm, randommask, ngsp and srm.`);
  const randomMask = parts.includes('randommask');
  const srm = parts.includes('srm');
  const temperature = real(args, 'temperature');
  const motifs = text(args, 'motifs');
  return {
    masking: randomMask ? 'randommask' : 'plain',
    ...(randomMask
      ? { randomMask: defined({ minSpan: int(args, 'min-span'), phases: int(args, 'phases'), growth: int(args, 'growth', 0), rate: real(args, 'rate'), finalRate: real(args, 'final-rate') }) as never }
      : {}),
    ngsp: parts.includes('ngsp'),
    srm,
    ...defined({ srmLambda: real(args, 'lambda'), regionGroup: int(args, 'region-group') }),
    ...(temperature === undefined && !bool(args, 'fixed-temperature') ? {} : { temperature: { learnable: !bool(args, 'fixed-temperature'), initial: temperature ?? 0.07 } }),
    ...(srm && motifs !== undefined ? { motifs: { path: path.resolve(motifs), scoring: 'max', background: 'uniform' } } : {}),
  };
}

function pretrainCore(args: ParsedArgs, store: ProjectStore, usage: string): Record<string, unknown> {
  const corpus = parseCorpusFlag(text(args, 'corpus') ?? bad(`Give the corpus: ${usage}`), store, args);
  const custom = ['layers', 'hidden', 'heads', 'intermediate'].some((f) => args.flags.has(f));
  return {
    corpus,
    model: {
      preset: custom ? 'custom' : (text(args, 'preset') ?? 'cpu-quick'),
      k: int(args, 'k', 3) ?? 6,
      ...defined({ layers: int(args, 'layers'), hidden: int(args, 'hidden'), heads: int(args, 'heads'), intermediate: int(args, 'intermediate') }),
    },
    steps: int(args, 'steps') ?? 1000,
    batchSize: int(args, 'batch', 2) ?? 32,
    learningRate: real(args, 'lr') ?? 5e-4,
    seed: int(args, 'seed', 0) ?? 42,
    ...defined({
      warmup: real(args, 'warmup'),
      evalEvery: int(args, 'eval-every'),
      validationFraction: real(args, 'validation-fraction'),
      threads: int(args, 'threads'),
    }),
  };
}

const LOSS_NAMES = ['mlm', 'ngsp', 'srm', 'total', 'valMlm', 'valNgsp', 'valSrm', 'valTotal', 'trainLoss', 'valLoss', 'valMcc'];

/** Every loss the job reports (pretraining and, in an ablation, fine-tuning), for the progress line. */
function lossMetrics(m: JobProgress['metrics']): string[] {
  return LOSS_NAMES.filter((n) => m[n] !== undefined).map((n) => `${n} ${(m[n] ?? 0).toFixed(4)}`);
}

function describePretrain(r: PretrainSummary): string {
  const lastOf = (split: 'train' | 'validation'): string => {
    const p = [...r.history].reverse().find((h) => h.split === split);
    if (!p) return '—';
    return ['mlm', 'ngsp', 'srm', 'total', 'mlmAccuracy', 'ngspAccuracy', 'srmAccuracy']
      .filter((n) => p.values[n] !== undefined)
      .map((n) => `${n} ${(p.values[n] ?? 0).toFixed(4)}`)
      .join('  ');
  };
  const firstTrain = r.history.find((h) => h.split === 'train');
  return [
    `Pretraining ${r.id}: ${r.name} — ${r.status}, ${r.stepsDone} steps on ${r.backend ?? '?'}`,
    ...(r.corpus ? [`  corpus: ${r.corpus.description}; ${r.corpus.windows} windows, ${r.corpus.bases} bases, ${r.corpus.skippedN} mostly-N skipped; sha256 ${r.corpus.hash.slice(0, 16)}…`] : []),
    `  schedule: ${r.schedule.map((p) => `steps ${p.fromStep}-${p.toStep} spans ${p.minSpan}-${p.maxSpan} rate ${p.rate}`).join('; ')}`,
    ...(firstTrain ? [`  first train point (step ${firstTrain.step}): ${Object.entries(firstTrain.values).filter(([n]) => ['mlm', 'ngsp', 'srm', 'total'].includes(n)).map(([n, v]) => `${n} ${v.toFixed(4)}`).join('  ')}`] : []),
    `  last train point: ${lastOf('train')}`,
    `  last validation: ${lastOf('validation')}`,
    `  model: ${r.modelId ?? '—'}${r.modelId === null ? '' : ` (fine-tune with: dnalm train PROJECT --model bert --k ${r.settings.model.k} --pretrained ${r.modelId} ...)`}`,
  ].join('\n');
}

/** A new pretraining's settings from the flags, or the run to resume with --resume. */
function pretrainParams(args: ParsedArgs, store: ProjectStore, usage: string): Record<string, unknown> {
  const resume = int(args, 'resume');
  if (resume !== undefined) return { resumeRunId: resume };
  return {
    settings: {
      ...pretrainCore(args, store, usage),
      objectives: parseMethod(text(args, 'method') ?? 'mlm,randommask', args),
      ...defined({ name: text(args, 'name') }),
    },
  };
}

export async function pretrain(args: ParsedArgs, out: Output): Promise<void> {
  const usage = 'dnalm pretrain PROJECT --corpus fasta:FILE | bed:BED:REF | dataset:ID --method mlm[,randommask][,ngsp][,srm]';
  await withSession(args.positional[1], usage, async (session) => {
    const watch = { metrics: lossMetrics, onCancel: 'the last checkpoint is kept, resume with dnalm pretrain PROJECT --resume RUN_ID' };
    const done = await runJob(session, 'pretrain', pretrainParams(args, session.store, usage), out, watch);
    const runId = typeof done.params['runId'] === 'number' ? done.params['runId'] : null;
    const hint = runId === null ? '' : `The run is number ${runId}; resume it with dnalm pretrain PROJECT --resume ${runId}.`;
    requireSuccess(done, endingOf('pretraining', hint));
    const summary = getPretrain(session.store, (jobsResult(done).result as PretrainSummary).id);
    out.print(describePretrain(summary), summary);
  });
}

function jobsResult(done: JobDto): JobDto {
  if (typeof done.result !== 'object' || done.result === null || typeof (done.result as { id?: unknown }).id !== 'number') {
    throw new ApiError('INTERNAL', 'The pretraining job finished without a result.');
  }
  return done;
}

function describeAblation(a: AblationSummary): string {
  const lines = [`Ablation ${a.id}: ${a.name} — ${a.status}; pretraining runs ${a.pretrainIds.join(', ')}`];
  const c = a.compare;
  if (!c) return lines.join('\n');
  lines.push(`  fine-tuning (compare ${c.id}): ${'arm'.padEnd(48)}${'metric'.padEnd(10)}mean ± sd (n)`);
  for (const r of c.table) lines.push(`  ${(r.label ?? r.arm).padEnd(62)}${r.metric.padEnd(10)}${r.mean.toFixed(4)} ± ${r.sd.toFixed(4)} (${r.n})`);
  return lines.join('\n');
}

export async function pretrainAblation(args: ParsedArgs, out: Output): Promise<void> {
  const usage = 'dnalm pretrain-ablation PROJECT --corpus ... --dataset D --arms mlm;randommask;randommask,ngsp,srm';
  await withSession(args.positional[1], usage, async (session) => {
    const dataset = findDataset(session.store, text(args, 'dataset') ?? bad(`Give the dataset: ${usage}`));
    const arms = (text(args, 'arms') ?? 'mlm;randommask;randommask,ngsp,srm').split(';').map((a) => a.trim()).filter((a) => a !== '');
    const params = {
      pretrain: pretrainCore(args, session.store, usage),
      arms: arms.map((a) => ({ label: a, objectives: parseMethod(a, args) })),
      datasetId: dataset.summary.id,
      repeats: int(args, 'repeats') ?? 3,
      fineTune: { epochs: int(args, 'epochs') ?? 5, batchSize: int(args, 'batch-size') ?? 32, learningRate: real(args, 'ft-lr') ?? 1e-4 },
      ...defined({ name: text(args, 'name') }),
    };
    const done = await runJob(session, 'ablation', params, out, { metrics: lossMetrics, onCancel: 'the last checkpoint is kept' });
    requireSuccess(done, endingOf('ablation', 'Finished runs are kept.'));
    out.print(describeAblation(done.result as AblationSummary), done.result);
  });
}

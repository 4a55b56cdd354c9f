import type { BertModelSettings, CompareArm, CompareSummary, EvaluationResult, JobProgress, RunDetail, RunSummary } from '../../src-shared/api';
import { findDataset } from '../datasets/dataset-repository';
import { getModel, getRunDetail } from '../training/run-repository';
import type { ParsedArgs } from './args';
import type { Output } from './commands';
import { bad, defined, int, real, text } from './flags';
import { endingOf, requireSuccess, runJob, withSession, withStore, type JobWatch, type Session } from './job-session';

/** Flags of `dnalm train | evaluate | compare` that take a value. */
export const TRAINING_VALUED_FLAGS = [
  'dataset',
  'model',
  'preset',
  'epochs',
  'batch-size',
  'lr',
  'seed',
  'patience',
  'threads',
  'run',
  'resume',
  'arms',
  'pretrained',
  'max-length',
  'max-tokens',
  'k',
  'layers',
  'hidden',
  'heads',
  'intermediate',
  'validation-fraction',
  'class-weights',
  'schedule',
  'warmup',
  'fine-tune',
];

export const TRAINING_USAGE = `  dnalm train PROJECT --dataset NAME|ID --model cnn|bert [--preset cpu-quick|paper] [--epochs N]
                 [--batch-size N] [--lr X] [--seed S] [--patience N|off] [--threads N] [--max-length N]
                 [--k 3..6] [--max-tokens N] [--layers N --hidden N --heads N --intermediate N]
                 [--pretrained MODEL_ID] [--fine-tune full|frozen-encoder|top-N] [--schedule linear|cosine|constant]
                 [--warmup F] [--class-weights none|balanced] [--validation-fraction F] [--name N] [--json]
  dnalm train PROJECT --resume RUN_ID [--json]
                                           train a model as a job in the compute engine (progress on stderr),
                                           evaluate it on the test split and store run, epochs, metrics and model
  dnalm evaluate PROJECT --run ID [--json] print a run's stored test metrics
  dnalm compare PROJECT --dataset D --arms cnn,bert-random[,bert-pretrained --pretrained MODEL_ID[,MODEL_ID...]] --repeats N
                 [--epochs N] [--batch-size N] [--lr X] [--seed S] [--threads N] [--json]
                                           the seed-003 study: every arm x repeats, then mean ± sd per metric`;

function sharedSettings(args: ParsedArgs): Record<string, unknown> {
  const patienceText = text(args, 'patience');
  return defined({
    epochs: int(args, 'epochs'),
    batchSize: int(args, 'batch-size'),
    learningRate: real(args, 'lr'),
    earlyStoppingPatience: patienceText === 'off' ? null : int(args, 'patience'),
    threads: int(args, 'threads'),
    validationFraction: real(args, 'validation-fraction'),
    classWeights: text(args, 'class-weights'),
    schedule: text(args, 'schedule'),
    warmup: real(args, 'warmup'),
  });
}

function bertModel(args: ParsedArgs): Omit<BertModelSettings, 'init'> & Record<string, unknown> {
  const custom = ['layers', 'hidden', 'heads', 'intermediate'].some((f) => args.flags.has(f));
  const ft = text(args, 'fine-tune');
  let fineTune: unknown;
  if (ft === 'full' || ft === 'frozen-encoder') fineTune = { mode: ft };
  else if (ft !== undefined && /^top-\d+$/.test(ft)) fineTune = { mode: 'top-layers', layers: Number(ft.slice(4)) };
  else if (ft !== undefined) bad('--fine-tune must be full, frozen-encoder or top-N (e.g. top-2).');
  return {
    architecture: 'bert',
    preset: custom ? 'custom' : ((text(args, 'preset') ?? 'cpu-quick') as BertModelSettings['preset']),
    ...defined({
      k: int(args, 'k', 3),
      maxTokens: int(args, 'max-tokens'),
      layers: int(args, 'layers'),
      hidden: int(args, 'hidden'),
      heads: int(args, 'heads'),
      intermediate: int(args, 'intermediate'),
      fineTune,
    }),
  };
}

/** Loss and validation metrics of the current epoch, for the progress line. */
function epochMetrics(m: JobProgress['metrics']): string[] {
  return [
    m['trainLoss'] === undefined ? '' : `loss ${m['trainLoss'].toFixed(4)}`,
    m['valLoss'] === undefined ? '' : `val loss ${m['valLoss'].toFixed(4)} acc ${((m['valAccuracy'] ?? 0) * 100).toFixed(1)}% mcc ${(m['valMcc'] ?? 0).toFixed(3)}`,
  ].filter((s) => s !== '');
}

const TRAIN_WATCH: JobWatch = {
  metrics: epochMetrics,
  onCancel: 'the last finished epoch is kept; resume with dnalm train PROJECT --resume RUN_ID',
};

const pct = (v: number | null): string => (v === null ? '—' : `${(v * 100).toFixed(2)} %`);
const dec = (v: number | null): string => (v === null ? '—' : v.toFixed(4));

export function describeTest(t: EvaluationResult): string {
  return [
    `Test (${t.split}, ${t.perClass.reduce((a, c) => a + c.support, 0)} sequences, classes ${t.classes.join(', ')}):`,
    `  accuracy ${pct(t.accuracy)}   F1 ${dec(t.f1)}   MCC ${dec(t.mcc)}   ROC-AUC ${dec(t.rocAuc)}   PR-AUC ${dec(t.prAuc)}`,
    `  precision ${dec(t.precision)}   recall ${dec(t.recall)}`,
    `  confusion matrix (rows true, columns predicted): ${t.confusionMatrix.map((r) => `[${r.join(' ')}]`).join(' ')}`,
  ].join('\n');
}

function describeRun(r: RunDetail): string {
  const h = r.history.map(
    (e) =>
      `  epoch ${String(e.epoch).padStart(2)}  train loss ${e.trainLoss.toFixed(4)}  val loss ${e.valLoss.toFixed(4)}  ` +
      `val acc ${(e.valAccuracy * 100).toFixed(2)} %  val MCC ${e.valMcc.toFixed(3)}  lr ${e.learningRate.toExponential(2)}  ${e.seconds.toFixed(1)} s`,
  );
  return [
    `Run ${r.id}: ${r.name} — ${r.status}`,
    `  ${r.architecture.toUpperCase()} on ${r.datasetName}, seed ${r.seed}, ${r.threads ?? '?'} threads (${r.backend ?? '?'}), ${r.epochsDone} epochs, best epoch ${r.bestEpoch ?? '—'}, model ${r.modelId ?? '—'}`,
    ...h,
    ...(r.test ? [describeTest(r.test)] : ['  no test metrics stored']),
  ].join('\n');
}

/** A new run's settings from the flags, or the run to resume with --resume. */
function trainParams(args: ParsedArgs, store: Session['store'], usage: string): Record<string, unknown> {
  const resume = int(args, 'resume');
  if (resume !== undefined) return { resumeRunId: resume };
  const which = text(args, 'dataset') ?? bad(`Give the dataset: ${usage}`);
  const dataset = findDataset(store, which);
  const model = text(args, 'model') ?? 'cnn';
  const pretrained = int(args, 'pretrained');
  let modelSettings: Record<string, unknown>;
  if (model === 'cnn') modelSettings = { architecture: 'cnn', ...defined({ maxLength: int(args, 'max-length') }) };
  else if (model === 'bert') modelSettings = { ...bertModel(args), init: pretrained === undefined ? { from: 'random' } : { from: 'model', modelId: pretrained } };
  else return bad('--model must be cnn or bert.');
  return {
    settings: {
      datasetId: dataset.summary.id,
      model: modelSettings,
      seed: int(args, 'seed', 0) ?? 42,
      ...defined({ name: text(args, 'name') }),
      ...sharedSettings(args),
    },
  };
}

export async function train(args: ParsedArgs, out: Output): Promise<void> {
  const usage = 'dnalm train PROJECT --dataset NAME|ID --model cnn|bert [options]';
  await withSession(args.positional[1], usage, async (session) => {
    const done = await runJob(session, 'train', trainParams(args, session.store, usage), out, TRAIN_WATCH);
    const runId = typeof done.params['runId'] === 'number' ? done.params['runId'] : null;
    const hint = runId === null ? '' : `The run is number ${runId}; resume it with dnalm train PROJECT --resume ${runId}.`;
    requireSuccess(done, endingOf('training', hint));
    const detail = getRunDetail(session.store, (done.result as RunSummary).id);
    out.print(describeRun(detail), detail);
  });
}

export async function evaluate(args: ParsedArgs, out: Output): Promise<void> {
  const usage = 'dnalm evaluate PROJECT --run ID';
  const project = args.positional[1] ?? bad(`Give the project folder: ${usage}`);
  const runId = int(args, 'run') ?? bad(`Give the run: ${usage}`);
  await withStore(project, true, (store) => {
    const detail = getRunDetail(store, runId);
    if (!detail.test) bad(`Run ${runId} has no test metrics (status ${detail.status}).`);
    out.print(describeRun(detail), { runId: detail.id, status: detail.status, test: detail.test, bestEpoch: detail.bestEpoch, epochsDone: detail.epochsDone });
  });
}

function describeCompare(c: CompareSummary): string {
  const lines = [`Compare ${c.id}: ${c.name} — ${c.status}; runs ${c.runIds.join(', ')}`, `  ${'arm'.padEnd(16)}${'metric'.padEnd(10)}mean ± sd (n)`];
  const armOf = (r: CompareSummary['table'][number]): string => (r.label === undefined ? r.arm : `${r.arm}: ${r.label}`);
  const width = Math.max(16, ...c.table.map((r) => armOf(r).length + 2));
  for (const r of c.table) lines.push(`  ${armOf(r).padEnd(width)}${r.metric.padEnd(10)}${r.mean.toFixed(4)} ± ${r.sd.toFixed(4)} (${r.n})`);
  return lines.join('\n');
}

/** The compare job's parameters: the arms, their shared settings and the pretrained models to fine-tune. */
function compareParams(args: ParsedArgs, store: Session['store'], usage: string): Record<string, unknown> {
  const which = text(args, 'dataset') ?? bad(`Give the dataset: ${usage}`);
  const dataset = findDataset(store, which);
  const arms = (text(args, 'arms') ?? 'cnn,bert-random').split(',').map((a) => a.trim()) as CompareArm[];
  // --pretrained ID, or several (ID,ID,...): one bert-pretrained arm per model.
  const pretrainedList = (text(args, 'pretrained') ?? '').split(',').filter((s) => s.trim() !== '').map((s) => (/^\d+$/.test(s.trim()) ? Number(s.trim()) : bad('--pretrained must be a model number or a comma-separated list of them.')));
  for (const id of pretrainedList) getModel(store, id);
  const pretrained = pretrainedList[0];
  const shared = sharedSettings(args);
  return {
    datasetId: dataset.summary.id,
    arms,
    repeats: int(args, 'repeats') ?? 3,
    seed: int(args, 'seed', 0) ?? 42,
    ...defined({ name: text(args, 'name'), pretrainedModelId: pretrained, pretrainedModelIds: pretrainedList.length > 1 ? pretrainedList : undefined }),
    cnn: { ...shared, ...defined({ model: args.flags.has('max-length') ? { architecture: 'cnn', maxLength: int(args, 'max-length') } : undefined }) },
    bert: { ...shared, model: bertModel(args) },
  };
}

export async function compare(args: ParsedArgs, out: Output): Promise<void> {
  const usage = 'dnalm compare PROJECT --dataset D --arms cnn,bert-random[,bert-pretrained] --repeats N';
  await withSession(args.positional[1], usage, async (session) => {
    const done = await runJob(session, 'compare', compareParams(args, session.store, usage), out, TRAIN_WATCH);
    requireSuccess(done, endingOf('compare experiment', 'Finished arms are kept as runs.'));
    const summary = done.result as CompareSummary;
    out.print(describeCompare(summary), summary);
  });
}

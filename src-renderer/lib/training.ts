import type { DatasetSummary } from '../../src-shared/api/datasets';
import type { JobDto } from '../../src-shared/api/dto';
import type {
  BertModelSettings,
  BertPreset,
  CompareArm,
  CompareRow,
  CompareSummary,
  EvaluationResult,
  ModelArchitecture,
  RunStatus,
  RunSummary,
  TrainSettings,
} from '../../src-shared/api/training';
import { formatNumber } from './format';
import type { NumberText } from './import-options';

/** How long the form waits after the last change before asking for a new pre-flight estimate. */
export const PREFLIGHT_DEBOUNCE_MS = 400;

export type Schedule = NonNullable<TrainSettings['schedule']>;
export type FineTuneMode = 'full' | 'top-layers' | 'frozen-encoder';
export type KmerK = 3 | 4 | 5 | 6;

/** The Train form's state. Number fields hold what the inputs hold: a number, or '' when left empty. */
export interface TrainDraft {
  datasetId: number | null;
  name: string;
  architecture: ModelArchitecture;
  preset: BertPreset;
  layers: NumberText;
  hidden: NumberText;
  heads: NumberText;
  intermediate: NumberText;
  k: KmerK;
  init: 'random' | 'model';
  pretrainedModelId: number | null;
  fineTune: FineTuneMode;
  topLayers: NumberText;
  epochs: NumberText;
  batchSize: NumberText;
  learningRate: NumberText;
  weightDecay: NumberText;
  /** Percent of the steps (0..50). */
  warmupPct: NumberText;
  schedule: Schedule;
  clipNorm: NumberText;
  classWeights: 'none' | 'balanced';
  /** '' = no early stopping. */
  patience: NumberText;
  /** Percent of train held out when the dataset has no validation split. */
  validationPct: NumberText;
  seed: NumberText;
  /** '' = all cores. */
  threads: NumberText;
}

/** The hyper-parameters each model family starts with (genomic_benchmarks CNN; DNABERT fine-tuning). */
export const FAMILY_DEFAULTS: Readonly<
  Record<ModelArchitecture, Pick<TrainDraft, 'epochs' | 'batchSize' | 'learningRate' | 'weightDecay' | 'warmupPct' | 'schedule' | 'clipNorm'>>
> = {
  cnn: { epochs: 10, batchSize: 64, learningRate: 0.001, weightDecay: 0, warmupPct: 0, schedule: 'constant', clipNorm: 0 },
  bert: { epochs: 5, batchSize: 32, learningRate: 0.0001, weightDecay: 0.01, warmupPct: 10, schedule: 'linear', clipNorm: 1 },
};

/** Sizes of the presets (layers x hidden, heads, intermediate). */
export const BERT_PRESETS: Readonly<Record<Exclude<BertPreset, 'custom'>, { layers: number; hidden: number; heads: number; intermediate: number }>> = {
  'cpu-quick': { layers: 4, hidden: 256, heads: 4, intermediate: 1024 },
  paper: { layers: 12, hidden: 768, heads: 12, intermediate: 3072 },
};

export function defaultDraft(datasetId: number | null = null): TrainDraft {
  return {
    datasetId,
    name: '',
    architecture: 'cnn',
    preset: 'cpu-quick',
    layers: 4,
    hidden: 256,
    heads: 4,
    intermediate: 1024,
    k: 6,
    init: 'random',
    pretrainedModelId: null,
    fineTune: 'full',
    topLayers: 2,
    ...FAMILY_DEFAULTS.cnn,
    classWeights: 'none',
    patience: '',
    validationPct: 10,
    seed: 42,
    threads: '',
  };
}

const VALIDATION_SPLITS = ['validation', 'valid', 'val', 'dev'];

/** Whether the dataset has its own validation split (else part of train is held out). */
export function hasValidationSplit(dataset: Pick<DatasetSummary, 'splits'> | undefined): boolean {
  return dataset !== undefined && dataset.splits.some((s) => VALIDATION_SPLITS.includes(s.toLowerCase()));
}

function num(value: NumberText | undefined | null): number | undefined {
  if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) return undefined;
  const n = typeof value === 'number' ? value : Number(value);
  return Number.isFinite(n) ? n : undefined;
}

function int(value: NumberText | undefined | null): number | undefined {
  const n = num(value);
  return n === undefined ? undefined : Math.round(n);
}

/** The problems that keep the form from being sent, in words; empty when it can be sent. */
export function draftProblems(draft: TrainDraft, dataset: DatasetSummary | undefined): string[] {
  const problems: string[] = [];
  if (draft.datasetId === null || dataset === undefined) problems.push('Choose a dataset.');
  const epochs = int(draft.epochs);
  if (epochs === undefined || epochs < 1) problems.push('Epochs must be at least 1.');
  const batch = int(draft.batchSize);
  if (batch === undefined || batch < 1) problems.push('Batch size must be at least 1.');
  const lr = num(draft.learningRate);
  if (lr === undefined || lr <= 0) problems.push('The learning rate must be above 0.');
  if (int(draft.seed) === undefined) problems.push('Enter a seed (any whole number).');
  if (draft.architecture === 'bert') {
    if (draft.init === 'model' && draft.pretrainedModelId === null) problems.push('Choose the pretrained model to start from.');
    if (draft.preset === 'custom') {
      const layers = int(draft.layers);
      const hidden = int(draft.hidden);
      const heads = int(draft.heads);
      if (layers === undefined || layers < 1 || hidden === undefined || hidden < 1 || heads === undefined || heads < 1) {
        problems.push('Custom sizes: layers, hidden size and heads must be at least 1.');
      } else if (hidden % heads !== 0) {
        problems.push('Custom sizes: the hidden size must be a multiple of the number of heads.');
      }
    }
    if (draft.fineTune === 'top-layers') {
      const top = int(draft.topLayers);
      if (top === undefined || top < 1) problems.push('Fine-tune at least 1 top layer.');
    }
  }
  if (dataset !== undefined && !hasValidationSplit(dataset)) {
    const v = num(draft.validationPct);
    if (v === undefined || v <= 0 || v >= 50) problems.push('The validation share must be between 0 and 50%.');
  }
  return problems;
}

function bertModel(draft: TrainDraft): BertModelSettings {
  const init: BertModelSettings['init'] =
    draft.init === 'model' && draft.pretrainedModelId !== null ? { from: 'model', modelId: draft.pretrainedModelId } : { from: 'random' };
  const fineTune: NonNullable<BertModelSettings['fineTune']> =
    draft.fineTune === 'top-layers'
      ? { mode: 'top-layers', layers: int(draft.topLayers) ?? 1 }
      : draft.fineTune === 'frozen-encoder'
        ? { mode: 'frozen-encoder' }
        : { mode: 'full' };
  const sizes =
    draft.preset === 'custom'
      ? {
          layers: int(draft.layers) ?? 4,
          hidden: int(draft.hidden) ?? 256,
          heads: int(draft.heads) ?? 4,
          ...(int(draft.intermediate) === undefined ? {} : { intermediate: int(draft.intermediate) }),
        }
      : {};
  return { architecture: 'bert', preset: draft.preset, ...sizes, k: draft.k, init, fineTune };
}

/**
 * The TrainSettings the form describes (null while it has problems). Fields left empty are left out so the engine's
 * defaults apply; the validation share is sent only when the dataset has no validation split.
 */
export function draftToSettings(draft: TrainDraft, dataset: DatasetSummary | undefined): TrainSettings | null {
  if (dataset === undefined || draft.datasetId === null || draftProblems(draft, dataset).length > 0) return null;
  const name = draft.name.trim();
  const threads = int(draft.threads);
  const patience = int(draft.patience);
  return {
    datasetId: draft.datasetId,
    ...(name === '' ? {} : { name }),
    model: draft.architecture === 'cnn' ? { architecture: 'cnn' } : bertModel(draft),
    epochs: int(draft.epochs)!,
    batchSize: int(draft.batchSize)!,
    learningRate: num(draft.learningRate)!,
    weightDecay: num(draft.weightDecay) ?? 0,
    warmup: (num(draft.warmupPct) ?? 0) / 100,
    schedule: draft.schedule,
    clipNorm: num(draft.clipNorm) ?? 0,
    classWeights: draft.classWeights,
    earlyStoppingPatience: patience === undefined || patience <= 0 ? null : patience,
    seed: int(draft.seed)!,
    ...(hasValidationSplit(dataset) ? {} : { validationFraction: (num(draft.validationPct) ?? 10) / 100 }),
    ...(threads === undefined || threads <= 0 ? {} : { threads }),
  };
}

export const PRESET_LABELS: Readonly<Record<BertPreset, string>> = {
  'cpu-quick': 'CPU quick — BERT-mini, 4 layers × 256',
  paper: 'Paper — DNABERT-base, 12 layers × 768',
  custom: 'Custom sizes',
};

export const SCHEDULE_LABELS: Readonly<Record<Schedule, string>> = {
  linear: 'linear decay to 0',
  cosine: 'cosine decay to 0',
  constant: 'constant',
};

export const ARCHITECTURE_LABELS: Readonly<Record<ModelArchitecture, string>> = {
  cnn: 'CNN baseline',
  bert: 'k-mer BERT',
};

export const ARM_LABELS: Readonly<Record<CompareArm, string>> = {
  cnn: 'CNN',
  'bert-random': 'BERT from random weights',
  'bert-pretrained': 'BERT pretrained',
};

export const COMPARE_METRICS: readonly CompareRow['metric'][] = ['accuracy', 'f1', 'mcc', 'rocAuc', 'prAuc'];

export const METRIC_LABELS: Readonly<Record<string, string>> = {
  accuracy: 'Accuracy',
  precision: 'Precision',
  recall: 'Recall',
  f1: 'F1',
  mcc: 'MCC',
  rocAuc: 'ROC-AUC',
  prAuc: 'PR-AUC',
};

/** What each metric means, in a sentence. */
export const METRIC_HELP: Readonly<Record<string, string>> = {
  accuracy: 'Share of test sequences given the right class.',
  precision: 'Of the sequences called a class, the share that really are (two classes: of the positive class; more: macro average).',
  recall: 'Of the sequences of a class, the share that were found (two classes: of the positive class; more: macro average).',
  f1: 'Balance of precision and recall (two classes: of the positive class; more: macro average).',
  mcc: 'Matthews correlation: 1 perfect, 0 no better than chance; fair when classes are unbalanced.',
  rocAuc: 'How well scores rank positives above negatives: 0.5 chance, 1 perfect.',
  prAuc: 'Average precision over all thresholds; sensitive to how rare the positive class is.',
};

/**
 * The help text for one run's metric: with two classes, precision/recall/F1 are those of the positive (second) class,
 * as scikit-learn reports them; with more, their macro average. Saying which keeps the number honest.
 */
export function metricHelp(key: string, classes: readonly string[]): string {
  if (key !== 'precision' && key !== 'recall' && key !== 'f1') return METRIC_HELP[key] ?? '';
  const what = {
    precision: 'Of the sequences called',
    recall: 'Of the sequences of',
    f1: 'Balance of precision and recall for',
  }[key];
  if (classes.length === 2) {
    const positive = classes[1] ?? '1';
    const tail = key === 'precision' ? `"${positive}", the share that really are.` : key === 'recall' ? `class "${positive}", the share that were found.` : `class "${positive}".`;
    return `${what} ${tail} (Two classes: "${positive}" counts as the positive class; the other class is in the table beside.)`;
  }
  return `${METRIC_HELP[key] ?? ''}`.replace(/ \(two classes:[^)]*\)/, ' (macro average over classes).');
}

export const RUN_STATUS_BADGE: Readonly<Record<RunStatus, { label: string; tone: 'neutral' | 'info' | 'success' | 'danger' | 'warning' }>> = {
  running: { label: 'Running', tone: 'info' },
  success: { label: 'Finished', tone: 'success' },
  failure: { label: 'Failed', tone: 'danger' },
  cancelled: { label: 'Cancelled', tone: 'warning' },
};

/** A score 0..1 with three decimals; '–' when missing. */
export function formatMetric(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–';
  return value.toFixed(3);
}

/** "0.861 ± 0.012". */
export function formatMeanSd(row: Pick<CompareRow, 'mean' | 'sd'>): string {
  return `${formatMetric(row.mean)} ± ${formatMetric(row.sd)}`;
}

/** A learning rate as people write it: 0.001 → "1e-3", 0.0002 → "2e-4". */
export function formatLearningRate(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (value >= 0.01) return formatNumber(value);
  const [mantissa, exponent] = value.toExponential().split('e');
  return `${Number(mantissa).toString()}e${Number(exponent)}`;
}

/** The settings of a run as label/value rows, all of them, in words. */
export function describeSettings(
  settings: TrainSettings,
  modelName: (id: number) => string | undefined = () => undefined,
): { label: string; value: string }[] {
  const rows: { label: string; value: string }[] = [];
  const m = settings.model;
  if (m.architecture === 'cnn') {
    rows.push({ label: 'Model', value: 'CNN baseline (genomic_benchmarks)' });
    rows.push({ label: 'Bases read', value: m.maxLength === undefined ? 'the longest sequence, at most 1,000' : `${m.maxLength}` });
    if (m.input !== undefined) rows.push({ label: 'Input', value: m.input === 'onehot' ? 'one-hot bases' : 'embedded bases' });
  } else {
    const preset = m.preset === 'custom' ? null : BERT_PRESETS[m.preset];
    const layers = m.layers ?? preset?.layers;
    const hidden = m.hidden ?? preset?.hidden;
    const heads = m.heads ?? preset?.heads;
    rows.push({ label: 'Model', value: `k-mer BERT, ${PRESET_LABELS[m.preset]}` });
    rows.push({
      label: 'Size',
      value: `${layers ?? '?'} layers, hidden ${hidden ?? '?'}, ${heads ?? '?'} heads${m.intermediate === undefined && preset === null ? '' : `, intermediate ${m.intermediate ?? preset?.intermediate}`}`,
    });
    rows.push({ label: 'k-mers', value: `${m.k ?? 6}-mers, overlapping (DNABERT vocabulary)` });
    rows.push({ label: 'Tokens', value: m.maxTokens === undefined ? 'enough for the dataset, at most 512' : `${m.maxTokens}` });
    if (m.pooling !== undefined) rows.push({ label: 'Pooling', value: m.pooling === 'cls' ? 'the [CLS] token' : 'mean of all tokens' });
    const start = m.init.from === 'random' ? 'random weights' : `model #${m.init.modelId}`;
    const name = m.init.from === 'model' ? modelName(m.init.modelId) : undefined;
    rows.push({ label: 'Start', value: name === undefined ? start : `${start}, "${name}"` });
    const ft = m.fineTune ?? { mode: 'full' as const };
    rows.push({
      label: 'Fine-tuning',
      value: ft.mode === 'full' ? 'all layers' : ft.mode === 'top-layers' ? `the top ${ft.layers} layers and the classifier` : 'the classifier only (encoder frozen)',
    });
  }
  rows.push(
    { label: 'Epochs', value: String(settings.epochs) },
    { label: 'Batch size', value: String(settings.batchSize) },
    { label: 'Learning rate', value: formatLearningRate(settings.learningRate) },
    { label: 'Weight decay', value: formatNumber(settings.weightDecay ?? 0) },
    { label: 'Warm-up', value: `${Math.round((settings.warmup ?? 0) * 100)}% of the steps` },
    { label: 'Schedule', value: SCHEDULE_LABELS[settings.schedule ?? 'constant'] },
    { label: 'Gradient clipping', value: settings.clipNorm === undefined || settings.clipNorm === 0 ? 'off' : `global norm ${formatNumber(settings.clipNorm)}` },
    { label: 'Class weights', value: settings.classWeights === 'balanced' ? 'balanced (rare classes count more)' : 'none' },
    {
      label: 'Early stopping',
      value:
        settings.earlyStoppingPatience === undefined || settings.earlyStoppingPatience === null
          ? 'off'
          : `after ${settings.earlyStoppingPatience} epochs without improvement (best weights kept)`,
    },
  );
  if (settings.validationFraction !== undefined) {
    rows.push({ label: 'Validation', value: `${Math.round(settings.validationFraction * 100)}% of train held out` });
  }
  rows.push(
    { label: 'Seed', value: String(settings.seed) },
    { label: 'Threads', value: settings.threads === undefined ? 'all cores' : String(settings.threads) },
  );
  return rows;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** A train job's result (unknown on the wire). */
export function asRunSummary(value: unknown): RunSummary | null {
  if (!isRecord(value) || typeof value['id'] !== 'number' || typeof value['architecture'] !== 'string') return null;
  return value as unknown as RunSummary;
}

/** A compare job's result. */
export function asCompareSummary(value: unknown): CompareSummary | null {
  if (!isRecord(value) || typeof value['id'] !== 'number' || !Array.isArray(value['table'])) return null;
  return value as unknown as CompareSummary;
}

/**
 * The run a train job works on: its result, the run id the service put in its params, the run it resumes, or else the
 * newest run of the same dataset created since the job was.
 */
export function runIdOfJob(job: JobDto, runs: readonly RunSummary[]): number | null {
  const result = asRunSummary(job.result);
  if (result !== null) return result.id;
  const params = job.params;
  if (typeof params['runId'] === 'number') return params['runId'];
  if (typeof params['resumeRunId'] === 'number') return params['resumeRunId'];
  const settings = isRecord(params['settings']) ? params['settings'] : null;
  const datasetId = settings !== null && typeof settings['datasetId'] === 'number' ? settings['datasetId'] : null;
  const since = Date.parse(job.createdAt);
  const candidates = runs.filter(
    (r) => r.compareId === null && (datasetId === null || r.datasetId === datasetId) && !(Date.parse(r.createdAt) < since - 1000),
  );
  if (candidates.length === 0) return null;
  return candidates.reduce((a, b) => (b.id > a.id ? b : a)).id;
}

/** The test metrics as rows of the metrics table. */
export function testMetricsRows(test: EvaluationResult): { key: string; label: string; value: number | null }[] {
  return (['accuracy', 'precision', 'recall', 'f1', 'mcc', 'rocAuc', 'prAuc'] as const).map((key) => ({
    key,
    label: METRIC_LABELS[key]!,
    value: test[key],
  }));
}

/**
 * The PDF of a training run and of a compare experiment: what was trained on which data (with its content hash), how,
 * on what, and how well — the record a lab notebook needs to reproduce or cite the result.
 */
import type { Content, TDocumentDefinitions } from 'pdfmake/interfaces';
import type { CompareArm, CompareRow, CompareSummary, DatasetSummary, EvaluationResult, RunDetail, RunSummary, TrainSettings } from '../../src-shared/api';
import {
  type LineageModel,
  type ReportMeta,
  PAGE_WIDTH,
  chart,
  dataTable,
  fmt,
  fmtDate,
  fmtInt,
  keyValueTable,
  licenceSection,
  lineageSection,
  labelled,
  paragraph,
  reportDocument,
  section,
} from './report-parts';
import { errorBarChart, lineChart } from './svg-charts';

export interface RunReportInput {
  readonly meta: ReportMeta;
  readonly run: RunDetail;
  /** Null when the dataset was deleted after training. */
  readonly dataset: DatasetSummary | null;
  readonly model: LineageModel | null;
  /** The experiment this run is an arm of, with its other runs. */
  readonly compare: { readonly summary: CompareSummary; readonly runs: readonly RunSummary[] } | null;
}

export const METRIC_LABELS: Readonly<Record<CompareRow['metric'], string>> = {
  accuracy: 'Accuracy',
  f1: 'F1',
  mcc: 'MCC',
  rocAuc: 'ROC-AUC',
  prAuc: 'PR-AUC',
};

export const ARM_LABELS: Readonly<Record<CompareArm, string>> = {
  cnn: 'CNN',
  'bert-random': 'BERT (random init)',
  'bert-pretrained': 'BERT (pretrained)',
};

export function datasetSection(dataset: DatasetSummary | null, datasetId: number): Content[] {
  if (!dataset) return section('Data', paragraph(`Dataset ${datasetId} is no longer in the project; its content hash cannot be shown.`));
  const out: Content[] = section(
    'Data',
    keyValueTable([
      ['Dataset', `${dataset.id} "${dataset.name}"`],
      ['Content hash (SHA-256)', dataset.contentHash],
      ['Records', fmtInt(dataset.records)],
      ['Classes', dataset.classes.join(', ')],
      ['Splits', dataset.splitDescription || dataset.splits.join(', ')],
      ['Sequence length', `${fmtInt(dataset.lengths.min)}–${fmtInt(dataset.lengths.max)} (median ${fmtInt(dataset.lengths.median)})`],
      ['Imported', fmtDate(dataset.createdAt)],
      ...(dataset.licence ? ([['Licence', dataset.licence]] as [string, string][]) : []),
    ]),
  );
  const splits = dataset.splits.length > 0 ? dataset.splits : Object.keys(dataset.counts);
  const rows = splits.map((s) => [s, ...dataset.classes.map((c) => fmtInt(dataset.counts[s]?.[c] ?? 0)), fmtInt(Object.values(dataset.counts[s] ?? {}).reduce((a, b) => a + b, 0))]);
  out.push(dataTable(['split', ...dataset.classes, 'total'], rows));
  return out;
}

function modelDescription(s: TrainSettings): string {
  const m = s.model;
  if (m.architecture === 'cnn') return `CNN (genomic_benchmarks), input ${m.input ?? 'embedding'}, max length ${m.maxLength ?? 'dataset longest'}`;
  const sizes = m.preset === 'custom' ? `${m.layers ?? '?'} layers x ${m.hidden ?? '?'} hidden, ${m.heads ?? '?'} heads` : m.preset;
  const init = m.init.from === 'model' ? `fine-tuned from model ${m.init.modelId}` : 'random init';
  const tune = m.fineTune ? (m.fineTune.mode === 'top-layers' ? `top ${m.fineTune.layers} layers` : m.fineTune.mode) : 'full';
  return `BERT ${sizes}, k = ${m.k ?? 6}, ${m.maxTokens ?? 'auto'} tokens, ${m.pooling ?? 'cls'} pooling, ${init}, fine-tuning ${tune}`;
}

function settingsSection(run: RunDetail): Content[] {
  const s = run.settings;
  const opt = (v: unknown, fallback: string): string => (v === undefined || v === null ? fallback : String(v));
  return section(
    'Settings',
    keyValueTable([
      ['Model', modelDescription(s)],
      ['Epochs', `${run.epochsDone} done of ${s.epochs} (best epoch ${run.bestEpoch ?? '—'})`],
      ['Batch size', String(s.batchSize)],
      ['Learning rate', `${s.learningRate} (${opt(s.schedule, 'linear')} schedule, warm-up ${opt(s.warmup, '0')})`],
      ['Weight decay', opt(s.weightDecay, 'default')],
      ['Gradient clipping', opt(s.clipNorm, 'default')],
      ['Class weights', opt(s.classWeights, 'none')],
      ['Early stopping patience', opt(s.earlyStoppingPatience, 'off')],
      ['Validation fraction', opt(s.validationFraction, 'dataset split')],
      ['Seed', String(run.seed)],
      ['Backend', run.backend ?? '—'],
      ['Threads', run.threads === null ? '—' : String(run.threads)],
      ['Status', run.status],
      ['Started / finished', `${fmtDate(run.createdAt)} / ${run.finishedAt ? fmtDate(run.finishedAt) : '—'}`],
    ]),
  );
}

export function metricsTable(test: EvaluationResult): Content {
  const binary = test.classes.length === 2;
  const which = binary ? `class ${test.classes[1] ?? ''}` : 'macro average';
  return dataTable(
    ['metric', 'value'],
    [
      ['Accuracy', test.accuracy],
      [`Precision (${which})`, test.precision],
      [`Recall (${which})`, test.recall],
      [`F1 (${which})`, test.f1],
      ['MCC', test.mcc],
      ['ROC-AUC', test.rocAuc ?? '—'],
      ['PR-AUC (average precision)', test.prAuc ?? '—'],
    ],
    { fontSize: 10 },
  );
}

function metricsSection(test: EvaluationResult | null, status: string): Content[] {
  if (!test) return section('Test metrics', paragraph(`This run has no test metrics (status: ${status}).`));
  const out: Content[] = section(`Test metrics (split "${test.split}")`, metricsTable(test));
  out.push(labelled('Per class', dataTable(['class', 'precision', 'recall', 'F1', 'support'], test.perClass.map((c) => [c.label, c.precision, c.recall, c.f1, fmtInt(c.support)]))));
  out.push(
    labelled(
      'Confusion matrix (rows: true class, columns: predicted)',
      dataTable(['true \\ predicted', ...test.classes], test.confusionMatrix.map((row, i) => [test.classes[i] ?? String(i), ...row.map((v) => fmtInt(v))])),
    ),
  );
  const curves: Content[] = [];
  const half = { width: PAGE_WIDTH / 2 - 6, height: 230 };
  const pts = (c: { x: readonly number[]; y: readonly number[] }): [number, number][] => c.x.map((x, i) => [x, c.y[i] ?? NaN]);
  if (test.roc) {
    curves.push(
      chart(
        lineChart(
          {
            title: `ROC (AUC ${fmt(test.rocAuc)})`,
            xName: 'false positive rate',
            yName: 'true positive rate',
            xRange: [0, 1],
            yRange: [0, 1],
            series: [
              { name: 'model', points: pts(test.roc) },
              { name: 'chance', points: [[0, 0], [1, 1]], dashed: true },
            ],
          },
          half,
        ),
        half.width,
      ),
    );
  }
  if (test.pr) {
    curves.push(
      chart(
        lineChart({ title: `Precision-recall (AP ${fmt(test.prAuc)})`, xName: 'recall', yName: 'precision', xRange: [0, 1], yRange: [0, 1], series: [{ name: 'model', points: pts(test.pr) }] }, half),
        half.width,
      ),
    );
  }
  if (curves.length > 0) out.push({ columns: curves, columnGap: 12, unbreakable: true });
  return out;
}

function historySection(run: RunDetail): Content[] {
  if (run.history.length === 0) return [];
  const h = run.history;
  const half = { width: PAGE_WIDTH / 2 - 6, height: 210 };
  const series = (name: string, pick: (e: (typeof h)[number]) => number) => ({ name, points: h.map((e): [number, number] => [e.epoch, pick(e)]).filter((p) => Number.isFinite(p[1])) });
  return section(
    'Training history',
    {
      columns: [
        chart(lineChart({ title: 'Loss', xName: 'epoch', yName: 'loss', series: [series('train', (e) => e.trainLoss), series('validation', (e) => e.valLoss)] }, half), half.width),
        chart(
          lineChart({ title: 'Validation', xName: 'epoch', yName: 'value', yRange: [-1, 1], series: [series('accuracy', (e) => e.valAccuracy), series('MCC', (e) => e.valMcc)] }, half),
          half.width,
        ),
      ],
      columnGap: 12,
      unbreakable: true,
    },
    dataTable(
      ['epoch', 'train loss', 'val loss', 'val accuracy', 'val MCC', 'learning rate', 'seconds'],
      h.map((e) => [String(e.epoch), e.trainLoss, e.valLoss, e.valAccuracy, e.valMcc, Number.isFinite(e.learningRate) ? e.learningRate.toExponential(2) : '—', fmt(e.seconds, 1)]),
      { fontSize: 8 },
    ),
  );
}

export function compareTableContent(rows: readonly CompareRow[]): Content {
  const arms = [...new Set(rows.map((r) => r.arm))];
  const metrics = (Object.keys(METRIC_LABELS) as CompareRow['metric'][]).filter((m) => rows.some((r) => r.metric === m));
  const body = arms.map((arm) => [
    ARM_LABELS[arm],
    ...metrics.map((m) => {
      const r = rows.find((x) => x.arm === arm && x.metric === m);
      return r ? `${fmt(r.mean)} ± ${fmt(r.sd)}` : '—';
    }),
    String(Math.max(0, ...rows.filter((r) => r.arm === arm).map((r) => r.n))),
  ]);
  return dataTable(['arm', ...metrics.map((m) => METRIC_LABELS[m]), 'n'], body);
}

export function compareChart(rows: readonly CompareRow[], width: number): Content {
  const arms = [...new Set(rows.map((r) => r.arm))];
  const metrics = (Object.keys(METRIC_LABELS) as CompareRow['metric'][]).filter((m) => rows.some((r) => r.metric === m));
  const size = { width, height: 250 };
  const svg = errorBarChart(
    {
      title: 'Mean ± standard deviation over repeats',
      categories: metrics.map((m) => METRIC_LABELS[m]),
      yName: 'value',
      series: arms.map((arm) => ({
        name: ARM_LABELS[arm],
        mean: metrics.map((m) => rows.find((r) => r.arm === arm && r.metric === m)?.mean ?? NaN),
        sd: metrics.map((m) => rows.find((r) => r.arm === arm && r.metric === m)?.sd ?? 0),
      })),
    },
    size,
  );
  return chart(svg, width);
}

export function buildRunReport(input: RunReportInput): TDocumentDefinitions {
  const { run } = input;
  const content: Content[] = [
    ...datasetSection(input.dataset, run.datasetId),
    ...settingsSection(run),
    ...metricsSection(run.test, run.status),
    ...historySection(run),
  ];
  if (input.compare) {
    const c = input.compare.summary;
    content.push(
      ...section(
        `Compare experiment ${c.id} "${c.name}"`,
        paragraph(`This run is one of ${c.runIds.length} runs of the experiment (${c.settings.repeats} repeats per arm, first seed ${c.settings.seed}).`),
        compareTableContent(c.table),
      ),
    );
  }
  content.push(...lineageSection(input.model), ...licenceSection(input.meta, [input.model], [datasetLineage(input.dataset)]));
  return reportDocument(`Training run ${run.id}: ${run.name}`, `${run.architecture.toUpperCase()} on dataset "${run.datasetName}", seed ${run.seed}`, input.meta, content);
}

export interface CompareReportInput {
  readonly meta: ReportMeta;
  readonly compare: CompareSummary;
  readonly runs: readonly RunSummary[];
  readonly dataset: DatasetSummary | null;
}

export function buildCompareReport(input: CompareReportInput): TDocumentDefinitions {
  const c = input.compare;
  const s = c.settings;
  const content: Content[] = [
    ...datasetSection(input.dataset, c.datasetId),
    ...section(
      'Design',
      keyValueTable([
      ['Arms', s.arms.map((a) => ARM_LABELS[a]).join(', ')],
      ['Repeats per arm', String(s.repeats)],
      ['Seeds', `${s.seed} to ${s.seed + s.repeats - 1} (repeat i uses seed + i)`],
      ['CNN settings', `${s.cnn.epochs} epochs, batch ${s.cnn.batchSize}, learning rate ${s.cnn.learningRate}`],
      ['BERT settings', `${s.bert.epochs} epochs, batch ${s.bert.batchSize}, learning rate ${s.bert.learningRate}`],
      ...(s.pretrainedModelId !== undefined ? ([['Pretrained model', String(s.pretrainedModelId)]] as [string, string][]) : []),
      ['Status', c.status],
      ['Started', fmtDate(c.createdAt)],
      ]),
    ),
    ...section(
      'Results on the test split (mean ± sd, sample standard deviation)',
      c.table.length > 0 ? compareTableContent(c.table) : paragraph('No run of this experiment has finished.'),
    ),
  ];
  if (c.table.length > 0) content.push(compareChart(c.table, PAGE_WIDTH));
  content.push(
    ...section(
      'Runs',
      dataTable(
      ['run', 'model', 'seed', 'status', 'backend', 'accuracy', 'F1', 'MCC', 'ROC-AUC', 'PR-AUC'],
        input.runs.map((r) => [String(r.id), r.architecture, String(r.seed), r.status, r.backend ?? '—', r.test?.accuracy ?? '—', r.test?.f1 ?? '—', r.test?.mcc ?? '—', r.test?.rocAuc ?? '—', r.test?.prAuc ?? '—']),
        { fontSize: 8 },
      ),
    ),
  );
  content.push(...licenceSection(input.meta, [], [datasetLineage(input.dataset)]));
  return reportDocument(`Compare experiment ${c.id}: ${c.name}`, `${s.arms.map((a) => ARM_LABELS[a]).join(' vs ')} on dataset "${c.datasetName}"`, input.meta, content);
}

function datasetLineage(d: DatasetSummary | null): { id: number; name: string; contentHash: string; records: number; licence: string } | null {
  return d ? { id: d.id, name: d.name, contentHash: d.contentHash, records: d.records, licence: d.licence } : null;
}

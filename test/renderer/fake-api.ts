// A fake host for renderer tests: a Transport whose handlers answer in memory, wrapped by the real createApi so the
// client code (argument shapes, Result unwrapping, ApiError re-creation) is exercised exactly as in the app.
import { createApi, type DnaLmApi, type DroppedFile, type Transport } from '../../src-shared/api/client';
import type { EventChannel, EventMap, InvokeChannel, RequestOf, ResponseOf } from '../../src-shared/api/channels';
import { ApiError, fail, ok, type Result } from '../../src-shared/api/errors';
import type { AppInfo, JobDto, ProjectSummary, RecentProject } from '../../src-shared/api/dto';
import type {
  DatasetDetail,
  DatasetSummary,
  ImportOptions,
  ImportPreview,
  ImportReport,
} from '../../src-shared/api/datasets';
import type {
  CompareRow,
  CompareSummary,
  EvaluationResult,
  ModelSummary,
  PreflightEstimate,
  RunDetail,
  RunSummary,
  TrainSettings,
} from '../../src-shared/api/training';
import type {
  PredictionDetail,
  PredictionRow,
  PredictionSummary,
  ScanResult,
  ScanTrack,
} from '../../src-shared/api/inference';
import type { ReportRecord } from '../../src-shared/api/reports';
import type { MotifCollection, MotifDetail, MotifScanSummary } from '../../src-shared/api/motifs';
import type { AblationSummary, PretrainPreflight, PretrainSettings, PretrainSummary } from '../../src-shared/api/pretraining';

export type Handlers = { [C in InvokeChannel]?: (request: RequestOf<C>) => ResponseOf<C> | Promise<ResponseOf<C>> };

export interface Call {
  readonly channel: InvokeChannel;
  readonly request: unknown;
}

export class FakeTransport implements Transport {
  readonly calls: Call[] = [];
  /** Files handed to resolveDroppedFile, in order. */
  readonly dropped: DroppedFile[] = [];
  /** Answers resolveDroppedFile; the default puts every file under /uploads. Replace it to delay or fail. */
  resolveDropped: (file: DroppedFile) => string | Promise<string> = (file) => `/uploads/${file.name}`;
  private readonly listeners = new Map<EventChannel, Set<(payload: unknown) => void>>();

  constructor(public handlers: Handlers) {}

  async resolveDroppedFile(file: DroppedFile): Promise<string> {
    this.dropped.push(file);
    return this.resolveDropped(file);
  }

  async invoke(channel: InvokeChannel, request: unknown): Promise<Result<unknown>> {
    this.calls.push({ channel, request });
    const handler = this.handlers[channel] as ((request: unknown) => unknown) | undefined;
    if (handler === undefined) return fail({ code: 'UNKNOWN_COMMAND', message: `No fake handler for ${channel}` });
    try {
      return ok(await handler(request));
    } catch (err) {
      if (err instanceof ApiError) return fail(err.toData());
      throw err;
    }
  }

  subscribe(channel: EventChannel, listener: (payload: unknown) => void): () => void {
    let set = this.listeners.get(channel);
    if (set === undefined) {
      set = new Set();
      this.listeners.set(channel, set);
    }
    set.add(listener);
    return () => set.delete(listener);
  }

  emit<E extends EventChannel>(channel: E, payload: EventMap[E]): void {
    for (const listener of this.listeners.get(channel) ?? []) listener(payload);
  }

  callsTo(channel: InvokeChannel): unknown[] {
    return this.calls.filter((c) => c.channel === channel).map((c) => c.request);
  }
}

export function appInfo(nativeDialogs = false): AppInfo {
  return {
    appName: 'DNA LM Studio',
    version: '0.1.0',
    host: nativeDialogs ? 'electron' : 'web',
    versions: {},
    capabilities: { nativeDialogs },
    dataLicences: [],
  };
}

export function projectSummary(overrides: Partial<ProjectSummary> = {}): ProjectSummary {
  return {
    path: '/data/projects/promoters',
    name: 'promoters',
    schemaVersion: 1,
    createdAt: '2025-01-15T10:00:00.000Z',
    createdWithVersion: '0.1.0',
    isDemo: false,
    description: '',
    counts: { datasets: 0, runs: 0, models: 0, predictions: 0, jobs: 0 },
    ...overrides,
  };
}

export function recentProject(overrides: Partial<RecentProject> = {}): RecentProject {
  return { path: '/data/projects/promoters', name: 'promoters', openedAt: '2025-01-15T10:00:00.000Z', exists: true, ...overrides };
}

export function job(overrides: Partial<JobDto> = {}, progress: Partial<JobDto['progress']> = {}): JobDto {
  return {
    id: 1,
    kind: 'selftest',
    title: 'Engine self-test',
    state: 'running',
    status: null,
    params: {},
    createdAt: '2025-01-15T10:00:00.000Z',
    startedAt: '2025-01-15T10:00:01.000Z',
    finishedAt: null,
    error: null,
    result: null,
    workerPid: 4242,
    ...overrides,
    progress: { fraction: 0, step: 0, total: 10, etaSeconds: null, message: '', metrics: {}, ...progress },
  };
}

export interface FakeApi {
  readonly api: DnaLmApi;
  readonly transport: FakeTransport;
}

/** Builds a fake api with sensible defaults (web host: no native dialogs, no project open) and installs it. */
export function installFakeApi(handlers: Handlers = {}, options: { nativeDialogs?: boolean } = {}): FakeApi {
  const unsupported = (): never => {
    throw new ApiError('UNSUPPORTED', 'Folder dialogs are not available in the browser. Type the folder path instead.');
  };
  const transport = new FakeTransport({
    'app:info': () => appInfo(options.nativeDialogs ?? false),
    'engine:status': () => ({ backend: null, checkedAt: null }),
    'project:current': () => null,
    'project:recent': () => [],
    'project:close': () => null,
    'jobs:list': () => [],
    'datasets:list': () => [],
    'runs:list': () => [],
    'models:list': () => [],
    'compare:list': () => [],
    'predictions:list': () => [],
    'inference:status': () => ({ onnx: false, onnxVersion: null, detail: 'ONNX Runtime is not installed.' }),
    'reports:list': () => [],
    'pretrain:list': () => [],
    'ablation:list': () => [],
    'motifs:load': () => motifCollection(),
    'motifScans:list': () => [],
    'training:preflight': () => preflightEstimate(),
    'models:importHf': (request) => importedModel({ ...(request.name === undefined ? {} : { name: request.name }), licence: request.licence }),
    'models:exportHf': ({ path }) => hfExport(path),
    'dialog:chooseNewProject': unsupported,
    'dialog:chooseProject': unsupported,
    'dialog:chooseImportFiles': unsupported,
    'dialog:chooseExportFile': unsupported,
    ...handlers,
  });
  const api = createApi(transport);
  window.api = api;
  return { api, transport };
}

/** Import options as the service would suggest them for a small labelled CSV. */
export function importOptions(overrides: Partial<ImportOptions> = {}): ImportOptions {
  return {
    paths: ['/data/promoters.csv'],
    format: 'csv',
    name: 'promoters',
    labels: { from: 'column', column: 'label' },
    sequenceColumn: 'sequence',
    header: 'yes',
    ambiguous: 'to-n',
    invalid: 'reject',
    duplicates: 'keep',
    leakage: 'drop-from-train',
    split: { mode: 'random', seed: 42, train: 0.8, validation: 0.1, test: 0.1 },
    ...overrides,
  };
}

export function importPreview(overrides: Partial<ImportPreview> = {}): ImportPreview {
  return {
    format: 'csv',
    sources: [{ path: '/data/promoters.csv', format: 'csv', split: null, label: null, bytes: 20_480 }],
    columns: ['id', 'sequence', 'label'],
    hasHeader: true,
    records: [
      { id: 'p1', sequence: 'TATAAAAGGCGCGCTATAAAAGGCGCGCTATAAAAGGCGCGCTATAAAAGGCGCGCTATAAAAGGCGCGC', label: 'promoter', split: null, line: 2 },
      { id: 'n1', sequence: 'ACGTACGTACGT', label: 'background', split: null, line: 3 },
    ],
    suggested: importOptions(),
    ...overrides,
  };
}

export function importReport(overrides: Partial<ImportReport> = {}): ImportReport {
  return {
    records: 1000,
    bytes: 20_480,
    files: [{ path: '/data/promoters.csv', bytes: 20_480, records: 1000 }],
    issues: [],
    issueCounts: {},
    accepted: 1000,
    dropped: 0,
    blocked: false,
    lengths: { min: 100, median: 200, max: 300, mean: 201.5 },
    counts: {
      train: { promoter: 400, background: 400 },
      validation: { promoter: 50, background: 50 },
      test: { promoter: 50, background: 50 },
    },
    ...overrides,
  };
}

export function datasetSummary(overrides: Partial<DatasetSummary> = {}): DatasetSummary {
  return {
    id: 1,
    name: 'promoters',
    description: 'Human promoters vs. background',
    createdAt: '2025-01-15T10:00:00.000Z',
    contentHash: 'a3f5c2d9e8b7a6f5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1',
    records: 1000,
    classes: ['background', 'promoter'],
    splits: ['train', 'validation', 'test'],
    counts: {
      train: { promoter: 400, background: 400 },
      validation: { promoter: 50, background: 50 },
      test: { promoter: 50, background: 50 },
    },
    lengths: { min: 100, median: 200, max: 300, mean: 201.5 },
    sources: [{ path: '/data/promoters.csv', bytes: 20_480 }],
    options: importOptions(),
    splitDescription: 'random stratified 80/10/10, seed 42',
    licence: '',
    storedBytes: 10_240,
    ...overrides,
  };
}

export function datasetDetail(overrides: Partial<DatasetDetail> = {}): DatasetDetail {
  return {
    ...datasetSummary(),
    stats: {
      lengthHistogram: [
        { start: 100, end: 200, count: 600 },
        { start: 200, end: 300, count: 400 },
      ],
      gcHistogram: [
        { start: 0.3, end: 0.4, count: 300 },
        { start: 0.4, end: 0.5, count: 700 },
      ],
      topKmers: [
        { kmer: 'TATAAA', count: 90 },
        { kmer: 'GCGCGC', count: 70 },
      ],
      kmerK: 6,
    },
    ...overrides,
  };
}

export function preflightEstimate(overrides: Partial<PreflightEstimate> = {}): PreflightEstimate {
  return {
    parameters: 1_234_567,
    memoryBytes: 500_000_000,
    memoryLimitBytes: 4_000_000_000,
    stepsPerEpoch: 400,
    secondsPerEpoch: 90,
    backend: 'tfjs-node',
    threads: 8,
    fits: true,
    advice: null,
    ...overrides,
  };
}

/** A binary test evaluation (promoter vs background) with curves. */
export function evaluation(overrides: Partial<EvaluationResult> = {}): EvaluationResult {
  return {
    split: 'test',
    classes: ['background', 'promoter'],
    accuracy: 0.861,
    precision: 0.86,
    recall: 0.859,
    f1: 0.858,
    mcc: 0.72,
    rocAuc: 0.93,
    prAuc: 0.92,
    confusionMatrix: [
      [41, 9],
      [5, 45],
    ],
    perClass: [
      { label: 'background', precision: 0.891, recall: 0.82, f1: 0.854, support: 50 },
      { label: 'promoter', precision: 0.833, recall: 0.9, f1: 0.865, support: 50 },
    ],
    roc: { x: [0, 0.1, 0.3, 1], y: [0, 0.7, 0.9, 1] },
    pr: { x: [0, 0.5, 0.9, 1], y: [1, 0.95, 0.85, 0.5] },
    ...overrides,
  };
}

export function trainSettings(overrides: Partial<TrainSettings> = {}): TrainSettings {
  return {
    datasetId: 1,
    model: { architecture: 'cnn' },
    epochs: 3,
    batchSize: 64,
    learningRate: 0.001,
    weightDecay: 0,
    warmup: 0,
    schedule: 'constant',
    clipNorm: 0,
    classWeights: 'none',
    earlyStoppingPatience: null,
    seed: 7,
    ...overrides,
  };
}

export function runSummary(overrides: Partial<RunSummary> = {}): RunSummary {
  return {
    id: 5,
    name: 'CNN on promoters',
    datasetId: 1,
    datasetName: 'promoters',
    architecture: 'cnn',
    status: 'success',
    seed: 7,
    backend: 'tfjs-node',
    threads: 8,
    createdAt: '2025-01-16T09:00:00.000Z',
    finishedAt: '2025-01-16T09:10:00.000Z',
    epochsDone: 3,
    bestEpoch: 2,
    test: evaluation(),
    modelId: 11,
    compareId: null,
    ...overrides,
  };
}

export function runDetail(overrides: Partial<RunDetail> = {}): RunDetail {
  return {
    ...runSummary(),
    settings: trainSettings(),
    history: [1, 2, 3].map((epoch) => ({
      epoch,
      trainLoss: 0.7 - epoch * 0.1,
      valLoss: 0.65 - epoch * 0.05,
      valAccuracy: 0.7 + epoch * 0.05,
      valMcc: 0.4 + epoch * 0.1,
      learningRate: 0.001,
      seconds: 60,
    })),
    resumable: false,
    ...overrides,
  };
}

export function modelSummary(overrides: Partial<ModelSummary> = {}): ModelSummary {
  return {
    id: 11,
    name: 'CNN promoters',
    architecture: 'cnn',
    role: 'classifier',
    runId: 5,
    datasetName: 'promoters',
    classes: ['background', 'promoter'],
    parameters: 465_000,
    sizeBytes: 1_900_000,
    createdAt: '2025-01-16T09:10:00.000Z',
    licence: 'CC BY 4.0',
    ...overrides,
  };
}

export function compareSummary(overrides: Partial<CompareSummary> = {}): CompareSummary {
  return {
    id: 3,
    name: 'CNN vs BERT on promoters',
    datasetId: 1,
    datasetName: 'promoters',
    settings: {
      datasetId: 1,
      arms: ['cnn', 'bert-random'],
      repeats: 3,
      seed: 1,
      cnn: { epochs: 10, batchSize: 64, learningRate: 0.001 },
      bert: { epochs: 5, batchSize: 32, learningRate: 0.0001, model: { architecture: 'bert', preset: 'cpu-quick', k: 6 } },
    },
    status: 'success',
    createdAt: '2025-01-17T09:00:00.000Z',
    runIds: [21, 22, 23, 24, 25, 26],
    table: [
      { arm: 'cnn', metric: 'accuracy', mean: 0.861, sd: 0.012, n: 3 },
      { arm: 'cnn', metric: 'mcc', mean: 0.722, sd: 0.025, n: 3 },
      { arm: 'bert-random', metric: 'accuracy', mean: 0.802, sd: 0.031, n: 3 },
      { arm: 'bert-random', metric: 'mcc', mean: 0.604, sd: 0.06, n: 3 },
    ],
    ...overrides,
  };
}

/** A DNABERT-6 checkpoint as models:importHf reports it: a pretrained BERT encoder with its licence. */
export function importedModel(overrides: Partial<ModelSummary> = {}): ModelSummary {
  return modelSummary({
    id: 30,
    name: 'DNABERT-6',
    architecture: 'bert',
    role: 'pretrained',
    runId: null,
    datasetName: null,
    classes: [],
    parameters: 89_191_685,
    sizeBytes: 356_766_740,
    createdAt: '2025-01-18T09:00:00.000Z',
    licence: 'Apache-2.0',
    ...overrides,
  });
}

/** What models:exportHf answers for a folder. */
export function hfExport(path = '/exports/dnabert'): { path: string; files: readonly string[] } {
  return { path, files: ['config.json', 'vocab.txt', 'model.safetensors', 'README.md', 'continue_pretraining.py'] };
}

/** Pretraining settings as the Pretrain form sends them for a tiny RandomMask run on the bundled chr2 region. */
export function pretrainSettings(overrides: Partial<PretrainSettings> = {}): PretrainSettings {
  return {
    corpus: {
      kind: 'fasta',
      path: 'resources/data/reference_hg38_chr2_1-2333275/chr2_1-2333275.fa.gz',
      region: { record: 'chr2', start: 1_000_000, end: 1_020_000 },
      window: 128,
      stride: 64,
      bothStrands: true,
    },
    model: { preset: 'custom', layers: 2, hidden: 32, heads: 2, intermediate: 64, k: 6 },
    objectives: { masking: 'randommask', randomMask: { minSpan: 6, phases: 5, growth: 2, rate: 0.15 }, ngsp: false, srm: false },
    steps: 100,
    batchSize: 16,
    learningRate: 0.0005,
    warmup: 0.1,
    validationFraction: 0.05,
    evalEvery: 20,
    seed: 42,
    ...overrides,
  };
}

/** A RandomMask schedule of 5 phases over `steps` (as the service draws it: 0-based phases). */
export function maskSchedule(steps = 100, phases = 5): PretrainPreflight['schedule'] {
  return Array.from({ length: phases }, (_, p) => ({
    phase: p,
    fromStep: Math.round((p * steps) / phases),
    toStep: Math.round(((p + 1) * steps) / phases),
    minSpan: 6,
    maxSpan: 6 + 2 * p,
    rate: 0.15,
  }));
}

export function pretrainPreflight(overrides: Partial<PretrainPreflight> = {}): PretrainPreflight {
  return {
    parameters: 310_000,
    memoryBytes: 120_000_000,
    secondsTotal: 95,
    corpus: { windows: 620, bases: 79_360, skippedN: 3, description: 'chr2:1,000,001-1,020,000, both strands', hash: 'c0ffee'.repeat(10) + 'abcd' },
    schedule: maskSchedule(),
    fits: true,
    advice: null,
    ...overrides,
  };
}

export function pretrainSummary(overrides: Partial<PretrainSummary> = {}): PretrainSummary {
  return {
    id: 7,
    name: 'RandomMask on chr2',
    status: 'success',
    settings: pretrainSettings(),
    corpus: pretrainPreflight().corpus,
    schedule: maskSchedule(),
    stepsDone: 100,
    history: [20, 40, 60, 80, 100].flatMap((step) => [
      { step, split: 'train' as const, values: { mlm: 8 - step / 50, total: 8 - step / 50 } },
      { step, split: 'validation' as const, values: { mlm: 8.2 - step / 50, total: 8.2 - step / 50 } },
    ]),
    modelId: 31,
    backend: 'wasm',
    createdAt: '2025-01-19T09:00:00.000Z',
    finishedAt: '2025-01-19T09:05:00.000Z',
    resumable: false,
    ...overrides,
  };
}

/** An ablation with two pretrained arms and the random baseline, its compare rows labelled per arm. */
export function ablationSummary(overrides: Partial<AblationSummary> = {}): AblationSummary {
  const settings = pretrainSettings();
  const { objectives: _objectives, name: _name, ...pretrain } = settings;
  const row = (arm: CompareRow['arm'], metric: 'mcc' | 'accuracy', mean: number, sd: number, model?: { id: number; name: string }): CompareRow => ({
    arm,
    ...(model === undefined ? {} : { modelId: model.id, label: model.name }),
    metric,
    mean,
    sd,
    n: 3,
  });
  const mgm = { id: 31, name: 'pretraining 8 (MLM)' };
  const rm = { id: 32, name: 'pretraining 9 (RandomMask)' };
  return {
    id: 4,
    name: 'Ablation on promoters',
    status: 'success',
    settings: {
      pretrain,
      arms: [
        { label: 'MGM', objectives: { masking: 'plain', ngsp: false, srm: false } },
        { label: 'RandomMask', objectives: settings.objectives },
      ],
      datasetId: 1,
      repeats: 3,
      fineTune: { epochs: 3, batchSize: 32, learningRate: 0.0001 },
    },
    pretrainIds: [8, 9],
    compare: compareSummary({
      id: 12,
      name: 'Ablation fine-tuning',
      settings: { ...compareSummary().settings, arms: ['bert-random', 'bert-pretrained'], pretrainedModelIds: [mgm.id, rm.id] },
      table: [
        row('bert-random', 'mcc', 0.31, 0.05),
        row('bert-random', 'accuracy', 0.655, 0.02),
        row('bert-pretrained', 'mcc', 0.402, 0.03, mgm),
        row('bert-pretrained', 'accuracy', 0.7, 0.015, mgm),
        row('bert-pretrained', 'mcc', 0.451, 0.021, rm),
        row('bert-pretrained', 'accuracy', 0.725, 0.01, rm),
      ],
    }),
    createdAt: '2025-01-20T09:00:00.000Z',
    ...overrides,
  };
}

/** A prediction record's summary (a predict run over 3 pasted sequences unless overridden). */
export function predictionSummary(overrides: Partial<PredictionSummary> = {}): PredictionSummary {
  return {
    id: 40,
    kind: 'predict',
    name: 'candidates batch 1',
    modelId: 11,
    modelName: 'CNN promoters',
    classes: ['background', 'promoter'],
    inputHash: 'b1946ac92492d2347c6235b4d2611184b1946ac92492d2347c6235b4d2611184',
    inputDescription: '3 pasted sequences',
    engine: 'tfjs',
    backend: 'wasm',
    count: 3,
    seconds: 0.4,
    createdAt: '2025-01-19T09:00:00.000Z',
    ...overrides,
  };
}

export function predictDetail(overrides: Partial<PredictionDetail> = {}): PredictionDetail {
  return {
    ...predictionSummary(),
    result: {
      kind: 'predict',
      settings: { modelId: 11, input: { kind: 'text', text: 'ACGT' }, threshold: 0.5 },
      threshold: 0.5,
      counts: { background: 1, promoter: 2 },
    },
    ...overrides,
  };
}

export function predictionRow(index: number, score: number): PredictionRow {
  return {
    index,
    id: `seq${index + 1}`,
    length: 251,
    probabilities: [1 - score, score],
    predicted: score >= 0.5 ? 'promoter' : 'background',
    score,
  };
}

/** A scan of chr2:200,001-300,000 on both strands with two calls and three EPDnew sites, one near a call. */
export function scanResult(overrides: Partial<ScanResult> = {}): ScanResult {
  return {
    kind: 'scan',
    settings: {
      modelId: 11,
      source: { kind: 'file', path: 'resources/data/reference_hg38_chr2_1-2333275/chr2_1-2333275.fa.gz', record: 'chr2', start: 200_000, end: 300_000 },
      stride: 50,
      strands: 'both',
      threshold: 0.9,
      mergeGap: 100,
      minLength: 0,
      annotation: { path: 'resources/data/reference_hg38_chr2_1-2333275/tss_epdnew_hg38.bed', maxDistance: 500 },
    },
    chrom: 'chr2',
    start: 200_000,
    end: 300_000,
    window: 251,
    stride: 50,
    windows: 3990,
    skipped: 0,
    calls: [
      { chrom: 'chr2', start: 263_900, end: 264_300, score: 0.97, strand: '-', nearestSite: 0, nearestName: 'SH3YL1' },
      { chrom: 'chr2', start: 230_000, end: 230_251, score: 0.92, strand: '+', nearestSite: 34_031, nearestName: 'SH3YL1' },
    ],
    annotation: {
      path: 'resources/data/reference_hg38_chr2_1-2333275/tss_epdnew_hg38.bed',
      maxDistance: 500,
      sites: [
        { chrom: 'chr2', start: 264_031, end: 264_032, name: 'SH3YL1', strand: '-', nearCall: true },
        { chrom: 'chr2', start: 264_809, end: 264_810, name: 'SH3YL1', strand: '-', nearCall: false },
        { chrom: 'chr2', start: 264_946, end: 264_947, name: 'ACP1', strand: '+', nearCall: false },
      ],
      recall: 1 / 3,
      precision: 0.5,
    },
    files: { bedGraph: 'predictions/41/track.bedGraph', bed: 'predictions/41/calls.bed' },
    ...overrides,
  };
}

export function scanDetail(result: ScanResult = scanResult()): PredictionDetail {
  return {
    ...predictionSummary({ id: 41, kind: 'scan', name: 'chr2 scan', inputDescription: 'chr2:200,001-300,000 (both strands)', count: 3990 }),
    result,
  };
}

/** A track of `points` windows evenly over [start, end). */
export function scanTrack(start = 200_000, end = 300_000, points = 100): ScanTrack {
  const step = (end - start) / points;
  const positions = Array.from({ length: points }, (_, i) => Math.round(start + step * (i + 0.5)));
  return {
    start,
    end,
    positions,
    forward: positions.map((_, i) => (i % 10) / 10),
    reverse: positions.map((_, i) => ((i + 5) % 10) / 10),
  };
}

export function reportRecord(overrides: Partial<ReportRecord> = {}): ReportRecord {
  return { path: '/reports/chr2-scan.pdf', format: 'pdf', title: 'Scan: chr2 scan', createdAt: '2025-01-19T10:00:00.000Z', bytes: 84_000, ...overrides };
}

/** A two-motif collection (Arnt and a 3-wide toy motif) with what the motif page needs. */
export function motifCollection(overrides: Partial<MotifCollection> = {}): MotifCollection {
  return {
    path: '/app/resources/data/jaspar2024_core_vertebrates_nr/JASPAR2024_CORE_vertebrates_non-redundant_pfms_jaspar.txt',
    format: 'jaspar',
    bundled: true,
    licence: 'JASPAR 2024 CORE vertebrates, non-redundant (879 matrices), CC BY 4.0',
    motifs: [
      { id: 'MA0004.1', name: 'Arnt', width: 6, consensus: 'CACGTG', informationContent: 10.99 },
      { id: 'MA0069.1', name: 'PAX6', width: 14, consensus: 'TTCACGCWTSANTK', informationContent: 13.8 },
      { id: 'MA0071.1', name: 'RORA', width: 10, consensus: 'TCAAGGTCAN', informationContent: 12.4 },
    ],
    ...overrides,
  };
}

/** A motif AAG (column 1 certain A, column 2 A/C, column 3 G): easy to check the logo and the reverse complement. */
export function motifDetail(overrides: Partial<MotifDetail> = {}): MotifDetail {
  return {
    id: 'MA0004.1',
    name: 'Arnt',
    width: 3,
    consensus: 'AMG',
    informationContent: 5,
    probabilities: [
      [1, 0, 0, 0],
      [0.5, 0.5, 0, 0],
      [0, 0, 1, 0],
    ],
    logo: [
      [2, 0, 0, 0],
      [0.5, 0.5, 0, 0],
      [0, 0, 2, 0],
    ],
    pwm: [
      [1.9, -3, -3, -3],
      [1, 1, -3, -3],
      [-3, -3, 1.9, -3],
    ],
    maxScore: 4.8,
    minScore: -9,
    ...overrides,
  };
}

export function motifScanSummary(overrides: Partial<MotifScanSummary> = {}): MotifScanSummary {
  return {
    id: 1,
    name: 'peaks × JASPAR 2024 (max)',
    settings: { regions: { kind: 'bed', bedPath: '/data/peaks.bed', referencePath: '/data/hg38.fa.gz' }, scoring: 'max', background: 'uniform' },
    regions: 30,
    motifs: 879,
    seconds: 4.2,
    matrixPath: 'motif-scans/1/matrix.tsv',
    createdAt: '2025-01-15T11:00:00.000Z',
    ...overrides,
  };
}

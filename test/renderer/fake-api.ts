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
  CompareSummary,
  EvaluationResult,
  ModelSummary,
  PreflightEstimate,
  RunDetail,
  RunSummary,
  TrainSettings,
} from '../../src-shared/api/training';

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

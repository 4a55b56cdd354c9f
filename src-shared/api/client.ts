import { Events, Invoke, type EventChannel, type EventMap, type InvokeChannel, type RequestOf, type ResponseOf } from './channels';
import type { ImportOptions } from './datasets';
import type { SelftestParams } from './dto';
import type { CompareSettings, TrainSettings } from './training';
import type { ExplainSettings, PredictSettings, ScanSettings, VariantSettings } from './inference';
import type { MotifScanSettings } from './motifs';
import type { AblationSettings, PretrainSettings } from './pretraining';
import type { CsvOptions, CsvTable, ReportSubject } from './reports';
import { unwrap, type Result } from './errors';

/**
 * What carries messages: Electron IPC in the preload, a WebSocket in the browser. The API below is the same for both,
 * so renderer code cannot tell which host it runs under.
 */
export interface Transport {
  invoke(channel: InvokeChannel, request: unknown): Promise<Result<unknown>>;
  subscribe(channel: EventChannel, listener: (payload: unknown) => void): () => void;
  /**
   * Turns a file the user dropped on the window into a path the service can read: Electron knows the dropped file's
   * path; the browser has none, so the web transport uploads the file to the host and returns where it landed.
   */
  resolveDroppedFile(file: DroppedFile): Promise<string>;
}

/** The part of a DOM File the transports need (src-shared has no DOM types). */
export interface DroppedFile {
  readonly name: string;
  readonly size: number;
}

async function call<C extends InvokeChannel>(t: Transport, channel: C, request: RequestOf<C>): Promise<ResponseOf<C>> {
  return unwrap((await t.invoke(channel, request)) as Result<ResponseOf<C>>);
}

function on<E extends EventChannel>(t: Transport, channel: E, listener: (payload: EventMap[E]) => void): () => void {
  return t.subscribe(channel, (payload) => listener(payload as EventMap[E]));
}

/**
 * The renderer's whole view of the application: named methods grouped by domain. There is deliberately no generic
 * `invoke(channel)`: the allow-list is this object.
 */
export function createApi(t: Transport) {
  return {
    app: {
      info: () => call(t, Invoke.appInfo, undefined),
    },
    engine: {
      status: () => call(t, Invoke.engineStatus, undefined),
      onStatus: (listener: (s: EventMap[typeof Events.engineStatus]) => void) => on(t, Events.engineStatus, listener),
    },
    project: {
      create: (path: string, description?: string) =>
        call(t, Invoke.projectCreate, description === undefined ? { path } : { path, description }),
      open: (path: string) => call(t, Invoke.projectOpen, { path }),
      openDemo: () => call(t, Invoke.projectOpenDemo, undefined),
      close: () => call(t, Invoke.projectClose, undefined),
      current: () => call(t, Invoke.projectCurrent, undefined),
      recent: () => call(t, Invoke.projectRecent, undefined),
      forgetRecent: (path: string) => call(t, Invoke.projectForgetRecent, { path }),
      onChanged: (listener: (p: EventMap[typeof Events.projectChanged]) => void) =>
        on(t, Events.projectChanged, listener),
    },
    dialog: {
      chooseNewProject: () => call(t, Invoke.dialogChooseNewProject, undefined),
      chooseProject: () => call(t, Invoke.dialogChooseProject, undefined),
      chooseImportFiles: (folders = false) => call(t, Invoke.dialogChooseImportFiles, { folders }),
      chooseExportFile: (defaultName: string) => call(t, Invoke.dialogChooseExportFile, { defaultName }),
    },
    files: {
      resolveDropped: (file: DroppedFile) => t.resolveDroppedFile(file),
    },
    datasets: {
      list: () => call(t, Invoke.datasetsList, undefined),
      get: (id: number) => call(t, Invoke.datasetsGet, { id }),
      records: (query: RequestOf<typeof Invoke.datasetsRecords>) => call(t, Invoke.datasetsRecords, query),
      preview: (paths: readonly string[], format?: ImportOptions['format']) =>
        call(t, Invoke.datasetsPreview, format === undefined ? { paths } : { paths, format }),
      /** Starts a validation job; its result is an ImportReport. */
      validate: (options: ImportOptions) => call(t, Invoke.jobsStart, { kind: 'dataset-validate', params: options }),
      /** Starts an import job; its result is the new DatasetSummary. */
      import: (options: ImportOptions) => call(t, Invoke.jobsStart, { kind: 'dataset-import', params: options }),
      update: (id: number, changes: { name?: string; description?: string }) =>
        call(t, Invoke.datasetsUpdate, { id, ...changes }),
      delete: (id: number) => call(t, Invoke.datasetsDelete, { id }),
      export: (request: RequestOf<typeof Invoke.datasetsExport>) => call(t, Invoke.datasetsExport, request),
      onChanged: (listener: (datasets: EventMap[typeof Events.datasetsChanged]) => void) =>
        on(t, Events.datasetsChanged, listener),
    },
    training: {
      preflight: (settings: TrainSettings) => call(t, Invoke.trainingPreflight, { settings }),
      /** Starts a training job; its result is the RunSummary. */
      start: (settings: TrainSettings) => call(t, Invoke.jobsStart, { kind: 'train', params: { settings } }),
      /** Continues a cancelled or interrupted run from its last checkpoint. */
      resume: (runId: number) => call(t, Invoke.jobsStart, { kind: 'train', params: { resumeRunId: runId } }),
      /** Starts a compare experiment (seed 003: CNN / BERT random / BERT pretrained x repeats). */
      compare: (settings: CompareSettings) => call(t, Invoke.jobsStart, { kind: 'compare', params: settings }),
    },
    runs: {
      list: () => call(t, Invoke.runsList, undefined),
      get: (id: number) => call(t, Invoke.runsGet, { id }),
      delete: (id: number) => call(t, Invoke.runsDelete, { id }),
      onChanged: (listener: (runs: EventMap[typeof Events.runsChanged]) => void) => on(t, Events.runsChanged, listener),
    },
    models: {
      list: () => call(t, Invoke.modelsList, undefined),
      delete: (id: number) => call(t, Invoke.modelsDelete, { id }),
      /** Imports a Hugging Face BERT checkpoint folder; the result is the new model. */
      importHf: (request: RequestOf<typeof Invoke.modelsImportHf>) => call(t, Invoke.modelsImportHf, request),
      /** Exports a BERT model as a Hugging Face folder. */
      exportHf: (id: number, path: string) => call(t, Invoke.modelsExportHf, { id, path }),
      /** Writes a model as an .onnx file. */
      exportOnnx: (id: number, path: string) => call(t, Invoke.modelsExportOnnx, { id, path }),
      onChanged: (listener: (models: EventMap[typeof Events.modelsChanged]) => void) => on(t, Events.modelsChanged, listener),
    },
    inference: {
      status: () => call(t, Invoke.inferenceStatus, undefined),
      /** Each starts a job whose result is the new PredictionSummary. */
      predict: (settings: PredictSettings) => call(t, Invoke.jobsStart, { kind: 'predict', params: settings }),
      scan: (settings: ScanSettings) => call(t, Invoke.jobsStart, { kind: 'scan', params: settings }),
      variants: (settings: VariantSettings) => call(t, Invoke.jobsStart, { kind: 'variants', params: settings }),
      explain: (settings: ExplainSettings) => call(t, Invoke.jobsStart, { kind: 'explain', params: settings }),
    },
    predictions: {
      list: () => call(t, Invoke.predictionsList, undefined),
      get: (id: number) => call(t, Invoke.predictionsGet, { id }),
      rows: (query: RequestOf<typeof Invoke.predictionsRows>) => call(t, Invoke.predictionsRows, query),
      variants: (query: RequestOf<typeof Invoke.predictionsVariants>) => call(t, Invoke.predictionsVariants, query),
      track: (query: RequestOf<typeof Invoke.predictionsTrack>) => call(t, Invoke.predictionsTrack, query),
      delete: (id: number) => call(t, Invoke.predictionsDelete, { id }),
      onChanged: (listener: (p: EventMap[typeof Events.predictionsChanged]) => void) => on(t, Events.predictionsChanged, listener),
    },
    reports: {
      pdf: (subject: ReportSubject, path: string) => call(t, Invoke.reportsPdf, { subject, path }),
      csv: (table: CsvTable, path: string, options?: CsvOptions) =>
        call(t, Invoke.reportsCsv, options === undefined ? { table, path } : { table, path, options }),
      list: () => call(t, Invoke.reportsList, undefined),
      onChanged: (listener: (r: EventMap[typeof Events.reportsChanged]) => void) => on(t, Events.reportsChanged, listener),
    },
    pretrain: {
      preflight: (settings: PretrainSettings) => call(t, Invoke.pretrainPreflight, { settings }),
      /** Starts a pretraining job; its result is the PretrainSummary. */
      start: (settings: PretrainSettings) => call(t, Invoke.jobsStart, { kind: 'pretrain', params: { settings } }),
      resume: (runId: number) => call(t, Invoke.jobsStart, { kind: 'pretrain', params: { resumeRunId: runId } }),
      list: () => call(t, Invoke.pretrainList, undefined),
      get: (id: number) => call(t, Invoke.pretrainGet, { id }),
      /** The ablation experiment (GeneBERT Table 5). */
      ablation: (settings: AblationSettings) => call(t, Invoke.jobsStart, { kind: 'ablation', params: settings }),
      ablations: () => call(t, Invoke.ablationList, undefined),
      getAblation: (id: number) => call(t, Invoke.ablationGet, { id }),
      onChanged: (listener: (p: EventMap[typeof Events.pretrainChanged]) => void) => on(t, Events.pretrainChanged, listener),
    },
    motifs: {
      load: (path?: string) => call(t, Invoke.motifsLoad, path === undefined ? {} : { path }),
      get: (id: string, path?: string) => call(t, Invoke.motifsGet, path === undefined ? { id } : { id, path }),
      /** Starts a motif-affinity scan job; its result is the MotifScanSummary. */
      scan: (settings: MotifScanSettings) => call(t, Invoke.jobsStart, { kind: 'motif-scan', params: settings }),
      scans: () => call(t, Invoke.motifScansList, undefined),
      top: (query: RequestOf<typeof Invoke.motifScansTop>) => call(t, Invoke.motifScansTop, query),
    },
    compare: {
      list: () => call(t, Invoke.compareList, undefined),
      get: (id: number) => call(t, Invoke.compareGet, { id }),
    },
    jobs: {
      list: () => call(t, Invoke.jobsList, undefined),
      startSelftest: (params: SelftestParams = {}) =>
        call(t, Invoke.jobsStart, { kind: 'selftest', params }),
      cancel: (id: number) => call(t, Invoke.jobsCancel, { id }),
      onUpdate: (listener: (job: EventMap[typeof Events.jobUpdate]) => void) => on(t, Events.jobUpdate, listener),
    },
  };
}

export type DnaLmApi = ReturnType<typeof createApi>;

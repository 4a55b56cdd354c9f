import type {
  DatasetDetail,
  DatasetRecordsPage,
  DatasetRecordsQuery,
  DatasetSummary,
  ImportOptions,
  ImportPreview,
} from './datasets';
import type { CompareSettings, CompareSummary, ModelSummary, PreflightEstimate, RunDetail, RunSummary, TrainSettings } from './training';
import type {
  ExplainSettings,
  PredictionDetail,
  PredictionRowsPage,
  PredictionRowsQuery,
  PredictionSummary,
  PredictSettings,
  ScanSettings,
  ScanTrack,
  VariantRowsPage,
  VariantSettings,
} from './inference';
import type { MotifCollection, MotifDetail, MotifScanSettings, MotifScanSummary, MotifScanTop } from './motifs';
import type { AblationSettings, AblationSummary, PretrainPreflight, PretrainSettings, PretrainSummary } from './pretraining';
import type { CsvOptions, CsvTable, ReportFile, ReportRecord, ReportSubject } from './reports';
import type {
  AppInfo,
  EngineStatus,
  JobDto,
  JobKind,
  ProjectSummary,
  RecentProject,
  SelftestParams,
} from './dto';

/**
 * Channel names. Use these constants instead of raw string literals so that "Find references" on any of them shows
 * every caller and every handler.
 */
export const Invoke = {
  appInfo: 'app:info',
  engineStatus: 'engine:status',
  projectCreate: 'project:create',
  projectOpen: 'project:open',
  projectOpenDemo: 'project:openDemo',
  projectClose: 'project:close',
  projectCurrent: 'project:current',
  projectRecent: 'project:recent',
  projectForgetRecent: 'project:forgetRecent',
  dialogChooseNewProject: 'dialog:chooseNewProject',
  dialogChooseProject: 'dialog:chooseProject',
  dialogChooseImportFiles: 'dialog:chooseImportFiles',
  dialogChooseExportFile: 'dialog:chooseExportFile',
  datasetsList: 'datasets:list',
  datasetsGet: 'datasets:get',
  datasetsRecords: 'datasets:records',
  datasetsPreview: 'datasets:preview',
  datasetsUpdate: 'datasets:update',
  datasetsDelete: 'datasets:delete',
  datasetsExport: 'datasets:export',
  trainingPreflight: 'training:preflight',
  runsList: 'runs:list',
  runsGet: 'runs:get',
  runsDelete: 'runs:delete',
  modelsList: 'models:list',
  modelsDelete: 'models:delete',
  modelsImportHf: 'models:importHf',
  modelsExportHf: 'models:exportHf',
  compareList: 'compare:list',
  compareGet: 'compare:get',
  modelsExportOnnx: 'models:exportOnnx',
  inferenceStatus: 'inference:status',
  predictionsList: 'predictions:list',
  predictionsGet: 'predictions:get',
  predictionsRows: 'predictions:rows',
  predictionsVariants: 'predictions:variants',
  predictionsTrack: 'predictions:track',
  predictionsDelete: 'predictions:delete',
  reportsPdf: 'reports:pdf',
  reportsCsv: 'reports:csv',
  reportsList: 'reports:list',
  pretrainPreflight: 'pretrain:preflight',
  pretrainList: 'pretrain:list',
  pretrainGet: 'pretrain:get',
  ablationList: 'ablation:list',
  ablationGet: 'ablation:get',
  motifsLoad: 'motifs:load',
  motifsGet: 'motifs:get',
  motifScansList: 'motifScans:list',
  motifScansTop: 'motifScans:top',
  jobsList: 'jobs:list',
  jobsStart: 'jobs:start',
  jobsCancel: 'jobs:cancel',
} as const;

export const Events = {
  jobUpdate: 'job:update',
  projectChanged: 'project:changed',
  engineStatus: 'engine:status',
  datasetsChanged: 'datasets:changed',
  runsChanged: 'runs:changed',
  modelsChanged: 'models:changed',
  predictionsChanged: 'predictions:changed',
  pretrainChanged: 'pretrain:changed',
  reportsChanged: 'reports:changed',
} as const;

export type InvokeChannel = (typeof Invoke)[keyof typeof Invoke];
export type EventChannel = (typeof Events)[keyof typeof Events];

/** Each kind of job with its parameters. */
export type JobStartRequest =
  | { readonly kind: 'selftest'; readonly params: SelftestParams }
  /** Reads the input and reports what an import would do, storing nothing. Result: ImportReport. */
  | { readonly kind: 'dataset-validate'; readonly params: ImportOptions }
  /** Imports into the project; all or nothing. Result: DatasetSummary. */
  | { readonly kind: 'dataset-import'; readonly params: ImportOptions }
  /** Trains a model (a new run, or the rest of a cancelled one from its last checkpoint). Result: RunSummary. */
  | { readonly kind: 'train'; readonly params: { readonly settings: TrainSettings } | { readonly resumeRunId: number } }
  /** The seed-003 study: every arm x repeats, then mean ± sd per metric. Result: CompareSummary. */
  | { readonly kind: 'compare'; readonly params: CompareSettings }
  /** Probabilities for sequences. Result: PredictionSummary. */
  | { readonly kind: 'predict'; readonly params: PredictSettings }
  /** A model slid along a long sequence: track, calls, annotation overlap. Result: PredictionSummary. */
  | { readonly kind: 'scan'; readonly params: ScanSettings }
  /** Ref/alt probabilities of variants on a reference. Result: PredictionSummary. */
  | { readonly kind: 'variants'; readonly params: VariantSettings }
  /** In-silico saturation mutagenesis (and BERT attention maps) of one sequence. Result: PredictionSummary. */
  | { readonly kind: 'explain'; readonly params: ExplainSettings }
  /** Pretrains a BERT (a new run, or the rest of a cancelled one). Result: PretrainSummary. */
  | { readonly kind: 'pretrain'; readonly params: { readonly settings: PretrainSettings } | { readonly resumeRunId: number } }
  /** GeneBERT Table 5: pretrain each combination of losses, fine-tune each. Result: AblationSummary. */
  | { readonly kind: 'ablation'; readonly params: AblationSettings }
  /** Motif affinity matrix (regions x motifs). Result: MotifScanSummary. */
  | { readonly kind: 'motif-scan'; readonly params: MotifScanSettings };

// Keeps JOB_KINDS and JobStartRequest in step.
export type JobKindCheck = JobStartRequest['kind'] extends JobKind ? (JobKind extends JobStartRequest['kind'] ? true : never) : never;

export type DatasetExportFormat = 'csv' | 'fasta';

/** Every command: its request and its response. The service must implement exactly these (checked by the compiler). */
export interface InvokeMap {
  [Invoke.appInfo]: { request: void; response: AppInfo };
  [Invoke.engineStatus]: { request: void; response: EngineStatus };
  [Invoke.projectCreate]: { request: { path: string; description?: string }; response: ProjectSummary };
  [Invoke.projectOpen]: { request: { path: string }; response: ProjectSummary };
  [Invoke.projectOpenDemo]: { request: void; response: ProjectSummary };
  [Invoke.projectClose]: { request: void; response: null };
  [Invoke.projectCurrent]: { request: void; response: ProjectSummary | null };
  [Invoke.projectRecent]: { request: void; response: readonly RecentProject[] };
  [Invoke.projectForgetRecent]: { request: { path: string }; response: readonly RecentProject[] };
  /** Native file dialogs exist only under Electron; the web host answers UNSUPPORTED and the UI asks for a path. */
  [Invoke.dialogChooseNewProject]: { request: void; response: string | null };
  [Invoke.dialogChooseProject]: { request: void; response: string | null };
  [Invoke.dialogChooseImportFiles]: { request: { folders: boolean }; response: readonly string[] | null };
  [Invoke.dialogChooseExportFile]: { request: { defaultName: string }; response: string | null };
  [Invoke.datasetsList]: { request: void; response: readonly DatasetSummary[] };
  [Invoke.datasetsGet]: { request: { id: number }; response: DatasetDetail };
  [Invoke.datasetsRecords]: { request: DatasetRecordsQuery; response: DatasetRecordsPage };
  /** Sniffs the input (format, header, columns, first records) and suggests import options. Quick: reads the heads only. */
  [Invoke.datasetsPreview]: { request: { paths: readonly string[]; format?: ImportOptions['format'] }; response: ImportPreview };
  [Invoke.datasetsUpdate]: { request: { id: number; name?: string; description?: string }; response: DatasetSummary };
  [Invoke.datasetsDelete]: { request: { id: number }; response: null };
  [Invoke.datasetsExport]: {
    request: { id: number; format: DatasetExportFormat; path: string; split?: string };
    response: { path: string; records: number };
  };
  /** Parameters, memory and time per epoch before starting; refuses (fits: false) what cannot run here. */
  [Invoke.trainingPreflight]: { request: { settings: TrainSettings }; response: PreflightEstimate };
  [Invoke.runsList]: { request: void; response: readonly RunSummary[] };
  [Invoke.runsGet]: { request: { id: number }; response: RunDetail };
  [Invoke.runsDelete]: { request: { id: number }; response: null };
  [Invoke.modelsList]: { request: void; response: readonly ModelSummary[] };
  [Invoke.modelsDelete]: { request: { id: number }; response: null };
  /**
   * Imports a Hugging Face BERT checkpoint folder (config.json, vocab.txt, model.safetensors or pytorch_model.bin) as a
   * 'pretrained' model, or a 'classifier' when it has a classification head. The licence must be given and confirmed.
   */
  [Invoke.modelsImportHf]: { request: { path: string; name?: string; licence: string; licenceConfirmed: boolean }; response: ModelSummary };
  /** Writes a BERT model as a Hugging Face folder (config.json, vocab.txt, model.safetensors, README model card, recipe). */
  [Invoke.modelsExportHf]: { request: { id: number; path: string }; response: { path: string; files: readonly string[] } };
  [Invoke.compareList]: { request: void; response: readonly CompareSummary[] };
  [Invoke.compareGet]: { request: { id: number }; response: CompareSummary };
  /** Writes a model as ONNX (opset 17) for ONNX Runtime or other tools. */
  [Invoke.modelsExportOnnx]: { request: { id: number; path: string }; response: { path: string; bytes: number } };
  /** Which inference engines this installation has (ONNX Runtime is optional). */
  [Invoke.inferenceStatus]: { request: void; response: { onnx: boolean; onnxVersion: string | null; detail: string } };
  [Invoke.predictionsList]: { request: void; response: readonly PredictionSummary[] };
  [Invoke.predictionsGet]: { request: { id: number }; response: PredictionDetail };
  [Invoke.predictionsRows]: { request: PredictionRowsQuery; response: PredictionRowsPage };
  [Invoke.predictionsVariants]: {
    request: { id: number; offset: number; limit: number; sortBy?: 'index' | 'delta' | 'absDelta'; descending?: boolean };
    response: VariantRowsPage;
  };
  /** A stretch of a scan's track, reduced to at most maxPoints per strand. */
  [Invoke.predictionsTrack]: { request: { id: number; start?: number; end?: number; maxPoints?: number }; response: ScanTrack };
  [Invoke.predictionsDelete]: { request: { id: number }; response: null };
  /** Writes a PDF report (atomically) to path. */
  [Invoke.reportsPdf]: { request: { subject: ReportSubject; path: string }; response: ReportFile };
  /** Writes one table as CSV (RFC 4180, formula-injection guard) to path. */
  [Invoke.reportsCsv]: { request: { table: CsvTable; path: string; options?: CsvOptions }; response: ReportFile };
  [Invoke.reportsList]: { request: void; response: readonly ReportRecord[] };
  /** Corpus size, parameters, memory, time and the masking schedule before a pretraining run. */
  [Invoke.pretrainPreflight]: { request: { settings: PretrainSettings }; response: PretrainPreflight };
  [Invoke.pretrainList]: { request: void; response: readonly PretrainSummary[] };
  [Invoke.pretrainGet]: { request: { id: number }; response: PretrainSummary };
  [Invoke.ablationList]: { request: void; response: readonly AblationSummary[] };
  [Invoke.ablationGet]: { request: { id: number }; response: AblationSummary };
  /** Reads a motif file (default: the bundled JASPAR set). */
  [Invoke.motifsLoad]: { request: { path?: string }; response: MotifCollection };
  [Invoke.motifsGet]: { request: { path?: string; id: string; background?: 'uniform' }; response: MotifDetail };
  [Invoke.motifScansList]: { request: void; response: readonly MotifScanSummary[] };
  [Invoke.motifScansTop]: { request: { id: number; offset: number; limit: number; top?: number }; response: { total: number; rows: readonly MotifScanTop[] } };
  [Invoke.jobsList]: { request: void; response: readonly JobDto[] };
  [Invoke.jobsStart]: { request: JobStartRequest; response: JobDto };
  [Invoke.jobsCancel]: { request: { id: number }; response: JobDto };
}

/** Pushes from main to the renderer. */
export interface EventMap {
  [Events.jobUpdate]: JobDto;
  [Events.projectChanged]: ProjectSummary | null;
  [Events.engineStatus]: EngineStatus;
  [Events.datasetsChanged]: readonly DatasetSummary[];
  [Events.runsChanged]: readonly RunSummary[];
  [Events.modelsChanged]: readonly ModelSummary[];
  [Events.predictionsChanged]: readonly PredictionSummary[];
  [Events.pretrainChanged]: readonly PretrainSummary[];
  [Events.reportsChanged]: readonly ReportRecord[];
}

export type RequestOf<C extends InvokeChannel> = InvokeMap[C]['request'];
export type ResponseOf<C extends InvokeChannel> = InvokeMap[C]['response'];

export const INVOKE_CHANNELS: readonly InvokeChannel[] = Object.values(Invoke);
export const EVENT_CHANNELS: readonly EventChannel[] = Object.values(Events);

export function isInvokeChannel(value: unknown): value is InvokeChannel {
  return typeof value === 'string' && (INVOKE_CHANNELS as readonly string[]).includes(value);
}

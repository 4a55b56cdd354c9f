/**
 * Pretraining from the seeds: masked genome modelling (plain DNABERT masking or the RandomMask curriculum), next
 * genome segment prediction (NGSP) and GeneBERT's sequence-region matching (SRM) against a motif-affinity matrix.
 * A pretraining run is a `runs` row of kind 'pretrain'; its result is a model of role 'pretrained'.
 */
import type { BertPreset, CompareSummary, RunStatus } from './training';

/** Unlabelled sequence to pretrain on. Windows are cut with a stride; windows mostly N are skipped. */
export type CorpusSource =
  /** Windows along every record of a FASTA (plain/gzip/bgzip); optionally one region `record:start-end` (0-based half-open). */
  | {
      readonly kind: 'fasta';
      readonly path: string;
      readonly region?: { readonly record: string; readonly start: number; readonly end: number };
      readonly window: number;
      readonly stride: number;
      readonly bothStrands: boolean;
    }
  /** GeneBERT's setting: regions of a BED (e.g. ATAC-seq peaks) over a reference, resized to `window` around their centre. */
  | { readonly kind: 'bed'; readonly bedPath: string; readonly referencePath: string; readonly window: number; readonly bothStrands: boolean }
  /** The sequences of a dataset (labels ignored), cut into windows when longer. */
  | { readonly kind: 'dataset'; readonly datasetId: number; readonly window: number; readonly stride: number };

export interface RandomMaskSettings {
  /** Shortest consecutive masked span in bases (paper: 6). */
  readonly minSpan: number;
  /** Curriculum phases over the run (paper: 5); the maximum span grows by `growth` at each phase. */
  readonly phases: number;
  readonly growth: number;
  /** Masking rate (paper: 0.15). */
  readonly rate: number;
  /** Optional higher rate in the last phase (0 or absent = same rate). */
  readonly finalRate?: number;
}

export interface MotifFeatureSettings {
  /** JASPAR, MEME or TRANSFAC file; default the bundled JASPAR 2024 CORE vertebrates non-redundant set. */
  readonly path?: string;
  readonly scoring: 'max' | 'sum';
  /** Log-odds score above which a hit counts for 'sum' (bits); default 0.8 x the motif's best score. */
  readonly threshold?: number;
  readonly background: 'uniform' | 'corpus';
  readonly pseudocount?: number;
}

export interface PretrainObjectives {
  /** Masked genome modelling is always on. */
  readonly masking: 'plain' | 'randommask';
  readonly randomMask?: RandomMaskSettings;
  /** Next genome segment prediction on [CLS]. */
  readonly ngsp: boolean;
  /** GeneBERT sequence-region matching (InfoNCE both directions). */
  readonly srm: boolean;
  /** Weight of the SRM loss (paper: 0.5). */
  readonly srmLambda?: number;
  readonly temperature?: { readonly learnable: boolean; readonly initial: number };
  /** Regions per GeneBERT sample (paper: 10). */
  readonly regionGroup?: number;
  readonly motifs?: MotifFeatureSettings;
}

export interface PretrainSettings {
  readonly name?: string;
  readonly corpus: CorpusSource;
  readonly model: {
    readonly preset: BertPreset;
    readonly layers?: number;
    readonly hidden?: number;
    readonly heads?: number;
    readonly intermediate?: number;
    readonly k: 3 | 4 | 5 | 6;
  };
  readonly objectives: PretrainObjectives;
  /** Budget: optimizer steps (the curriculum's phases divide these). */
  readonly steps: number;
  readonly batchSize: number;
  readonly learningRate: number;
  readonly warmup?: number;
  readonly weightDecay?: number;
  /** Held-out fraction of the corpus for validation losses. */
  readonly validationFraction?: number;
  /** Steps between checkpoints and validation. */
  readonly evalEvery?: number;
  readonly seed: number;
  readonly threads?: number;
}

/** The masking schedule, drawn before the run starts. */
export interface MaskSchedulePhase {
  readonly phase: number;
  readonly fromStep: number;
  readonly toStep: number;
  readonly minSpan: number;
  readonly maxSpan: number;
  readonly rate: number;
}

export interface CorpusSummary {
  readonly windows: number;
  readonly bases: number;
  readonly skippedN: number;
  readonly description: string;
  /** SHA-256 of the windows as drawn (with the seed). */
  readonly hash: string;
}

export interface PretrainPoint {
  readonly step: number;
  readonly split: 'train' | 'validation';
  /** Losses that are on: mlm, ngsp, srm, total; NGSP accuracy; MLM accuracy on masked tokens. */
  readonly values: Readonly<Record<string, number>>;
}

export interface PretrainPreflight {
  readonly parameters: number;
  readonly memoryBytes: number;
  readonly secondsTotal: number;
  readonly corpus: CorpusSummary | null;
  readonly schedule: readonly MaskSchedulePhase[];
  readonly fits: boolean;
  readonly advice: string | null;
}

export interface PretrainSummary {
  readonly id: number;
  readonly name: string;
  readonly status: RunStatus;
  readonly settings: PretrainSettings;
  readonly corpus: CorpusSummary | null;
  readonly schedule: readonly MaskSchedulePhase[];
  readonly stepsDone: number;
  readonly history: readonly PretrainPoint[];
  readonly modelId: number | null;
  readonly backend: string | null;
  readonly createdAt: string;
  readonly finishedAt: string | null;
  readonly resumable: boolean;
}

/** One combination of the paper's ablation (GeneBERT Table 5). */
export interface AblationArm {
  readonly label: string;
  readonly objectives: PretrainObjectives;
}

/** Pretrain each arm on the same corpus and budget, then fine-tune each (and BERT from random weights) on a dataset. */
export interface AblationSettings {
  readonly name?: string;
  readonly pretrain: Omit<PretrainSettings, 'objectives' | 'name'>;
  readonly arms: readonly AblationArm[];
  readonly datasetId: number;
  readonly repeats: number;
  readonly fineTune: { readonly epochs: number; readonly batchSize: number; readonly learningRate: number };
}

export interface AblationSummary {
  readonly id: number;
  readonly name: string;
  readonly status: RunStatus;
  readonly settings: AblationSettings;
  readonly pretrainIds: readonly number[];
  /** The fine-tuning compare experiment (arms: BERT random + one per pretrained model). */
  readonly compare: CompareSummary | null;
  readonly createdAt: string;
}

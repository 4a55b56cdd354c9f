/** Training, evaluation, runs and models: shapes that cross the boundary (seed 003's study lives on these). */
import type { EngineBackend } from './dto';

export type ModelArchitecture = 'cnn' | 'bert';

export interface CnnModelSettings {
  readonly architecture: 'cnn';
  /** Sequences are cut or padded to this many bases (default: the dataset's longest, at most 1,000). */
  readonly maxLength?: number;
  /** The genomic_benchmarks CNN embeds bases (default) or reads them one-hot. */
  readonly input?: 'embedding' | 'onehot';
}

export type BertPreset = 'cpu-quick' | 'paper' | 'custom';

export interface BertModelSettings {
  readonly architecture: 'bert';
  /** cpu-quick: 4 layers x 256 (BERT-mini); paper: DNABERT-base 12 x 768; custom: the sizes below. */
  readonly preset: BertPreset;
  readonly layers?: number;
  readonly hidden?: number;
  readonly heads?: number;
  readonly intermediate?: number;
  /** Overlapping k-mers, DNABERT vocabulary. */
  readonly k?: 3 | 4 | 5 | 6;
  /** Tokens per sequence including [CLS] and [SEP] (default: enough for the dataset, at most 512). */
  readonly maxTokens?: number;
  readonly pooling?: 'cls' | 'mean';
  /** Start from random weights, or from a pretrained model of this project. */
  readonly init: { readonly from: 'random' } | { readonly from: 'model'; readonly modelId: number };
  readonly fineTune?: { readonly mode: 'full' } | { readonly mode: 'top-layers'; readonly layers: number } | { readonly mode: 'frozen-encoder' };
}

export interface TrainSettings {
  readonly datasetId: number;
  readonly name?: string;
  readonly model: CnnModelSettings | BertModelSettings;
  readonly epochs: number;
  readonly batchSize: number;
  readonly learningRate: number;
  readonly weightDecay?: number;
  /** Fraction of the steps spent warming the learning rate up from 0. */
  readonly warmup?: number;
  readonly schedule?: 'linear' | 'cosine' | 'constant';
  /** Gradient clipping by global norm (0 = off). */
  readonly clipNorm?: number;
  /** 'balanced': weights inversely proportional to class frequency in train. */
  readonly classWeights?: 'none' | 'balanced';
  /** Stop when the validation loss has not improved for this many epochs, and restore the best weights. */
  readonly earlyStoppingPatience?: number | null;
  /** Fixes initialization, data order and dropout. */
  readonly seed: number;
  /** When the dataset has no validation split: this fraction of train (stratified, seeded) is held out. */
  readonly validationFraction?: number;
  /** Threads (cores) to train on; default all. */
  readonly threads?: number;
}

export interface PreflightEstimate {
  readonly parameters: number;
  /** Memory training needs (weights, optimizer state, activations for one batch). */
  readonly memoryBytes: number;
  /** What the backend can use (4 GB for WebAssembly). */
  readonly memoryLimitBytes: number;
  readonly stepsPerEpoch: number;
  readonly secondsPerEpoch: number;
  readonly backend: EngineBackend;
  readonly threads: number;
  readonly fits: boolean;
  /** A sentence saying what to do instead when it does not fit or would take very long. */
  readonly advice: string | null;
}

export interface EpochRecord {
  readonly epoch: number;
  readonly trainLoss: number;
  readonly valLoss: number;
  readonly valAccuracy: number;
  readonly valMcc: number;
  readonly learningRate: number;
  readonly seconds: number;
}

export interface CurvePoints {
  readonly x: readonly number[];
  readonly y: readonly number[];
}

/** Test-split evaluation, stored with the run. */
export interface EvaluationResult {
  readonly split: string;
  readonly classes: readonly string[];
  readonly accuracy: number;
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  readonly mcc: number;
  readonly rocAuc: number | null;
  readonly prAuc: number | null;
  readonly confusionMatrix: readonly (readonly number[])[];
  readonly perClass: readonly { readonly label: string; readonly precision: number; readonly recall: number; readonly f1: number; readonly support: number }[];
  /** Binary: of the positive class; multi-class: absent. */
  readonly roc?: CurvePoints;
  readonly pr?: CurvePoints;
}

export type RunStatus = 'running' | 'success' | 'failure' | 'cancelled';

export interface RunSummary {
  readonly id: number;
  readonly name: string;
  readonly datasetId: number;
  readonly datasetName: string;
  readonly architecture: ModelArchitecture;
  readonly status: RunStatus;
  readonly seed: number;
  readonly backend: string | null;
  readonly threads: number | null;
  readonly createdAt: string;
  readonly finishedAt: string | null;
  readonly epochsDone: number;
  readonly bestEpoch: number | null;
  readonly test: EvaluationResult | null;
  readonly modelId: number | null;
  /** Set when the run is one arm of a compare experiment. */
  readonly compareId: number | null;
}

export interface RunDetail extends RunSummary {
  readonly settings: TrainSettings;
  readonly history: readonly EpochRecord[];
  /** Can be resumed from its last checkpoint (cancelled or failed with a checkpoint). */
  readonly resumable: boolean;
}

export interface ModelSummary {
  readonly id: number;
  readonly name: string;
  readonly architecture: ModelArchitecture;
  /** 'classifier' (trained on a dataset) or 'pretrained' (an encoder for fine-tuning). */
  readonly role: 'classifier' | 'pretrained';
  readonly runId: number | null;
  readonly datasetName: string | null;
  readonly classes: readonly string[];
  readonly parameters: number;
  readonly sizeBytes: number;
  readonly createdAt: string;
  readonly licence: string;
}

export type CompareArm = 'cnn' | 'bert-random' | 'bert-pretrained';

export interface CompareSettings {
  readonly datasetId: number;
  readonly name?: string;
  readonly arms: readonly CompareArm[];
  /** The model the 'bert-pretrained' arm starts from. */
  readonly pretrainedModelId?: number;
  /**
   * Several pretrained models: one 'bert-pretrained' arm per model (e.g. a pretraining ablation); when given, it
   * replaces `pretrainedModelId`. The table then has one row group per model, with its `modelId` and `label`.
   */
  readonly pretrainedModelIds?: readonly number[];
  readonly repeats: number;
  /** First seed; repeat i uses seed + i. */
  readonly seed: number;
  /** Settings shared by every arm (epochs, batch size, learning rate...). */
  readonly cnn: Omit<TrainSettings, 'datasetId' | 'seed' | 'model'> & { readonly model?: CnnModelSettings };
  readonly bert: Omit<TrainSettings, 'datasetId' | 'seed' | 'model'> & { readonly model?: Omit<BertModelSettings, 'init'> };
}

export interface CompareRow {
  readonly arm: CompareArm;
  /** 'bert-pretrained' with several pretrained models: which model, and its name. */
  readonly modelId?: number;
  readonly label?: string;
  readonly metric: 'accuracy' | 'f1' | 'mcc' | 'rocAuc' | 'prAuc';
  readonly mean: number;
  readonly sd: number;
  readonly n: number;
}

export interface CompareSummary {
  readonly id: number;
  readonly name: string;
  readonly datasetId: number;
  readonly datasetName: string;
  readonly settings: CompareSettings;
  readonly status: RunStatus;
  readonly createdAt: string;
  readonly runIds: readonly number[];
  readonly table: readonly CompareRow[];
}

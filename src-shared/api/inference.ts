/**
 * Using a trained model: predictions on sequences, scans along a long sequence, variant effects, explanations
 * (in-silico saturation mutagenesis, attention maps). Every result is stored in the project as a prediction record
 * (table `predictions`, the bulky part under artifacts/predictions/<id>/) with its model and an input hash.
 */

/** Which inference engine ran (or should run) a job: ONNX Runtime when installed, else TensorFlow.js. */
export type InferenceEngine = 'onnx' | 'tfjs';
export type InferenceEnginePreference = 'auto' | InferenceEngine;

/** Where the sequences to predict come from. */
export type PredictInput =
  /** Pasted text: FASTA, or one sequence per line (optionally `name<TAB or ,>sequence`). */
  | { readonly kind: 'text'; readonly text: string }
  /** A FASTA (plain/gzip) or CSV/TSV file; for tables, the sequence column (name or 0-based index; default: sniffed). */
  | { readonly kind: 'file'; readonly path: string; readonly sequenceColumn?: string | number; readonly idColumn?: string | number }
  /** A dataset of the project (all splits, or one); its labels are kept next to the predictions. */
  | { readonly kind: 'dataset'; readonly datasetId: number; readonly split?: string };

export interface PredictSettings {
  readonly modelId: number;
  readonly input: PredictInput;
  readonly name?: string;
  /** Probability of the positive class (binary) at or above which a sequence is called positive; default 0.5. */
  readonly threshold?: number;
  readonly engine?: InferenceEnginePreference;
  readonly batchSize?: number;
  /**
   * Sequences longer than the model reads are cut at the end, as training cut them; without this they are refused
   * (naming the sequence), since the model would not see their end.
   */
  readonly truncate?: boolean;
}

/** Where a scan reads its sequence. Coordinates are 0-based half-open, as BED; 1-based `chr:start-end` is parsed in the UI/CLI. */
export type ScanSource =
  | { readonly kind: 'file'; readonly path: string; readonly record?: string; readonly start?: number; readonly end?: number }
  | { readonly kind: 'text'; readonly text: string; readonly name?: string };

export interface ScanSettings {
  readonly modelId: number;
  readonly source: ScanSource;
  readonly name?: string;
  /** Window in bases; default the model's input length (CNN: its length; BERT: maxTokens - 2 + k - 1). */
  readonly window?: number;
  readonly stride: number;
  readonly strands: 'forward' | 'both';
  /** The class whose probability is the track; default the last class (binary: the positive class). */
  readonly classIndex?: number;
  /** Windows scoring at or above this are merged into called regions. */
  readonly threshold: number;
  /** Calls closer than this many bases are merged. */
  readonly mergeGap: number;
  /** Called regions shorter than this are dropped. */
  readonly minLength: number;
  /** An annotation BED drawn beneath the track and compared with the calls. */
  readonly annotation?: { readonly path: string; readonly maxDistance: number };
  readonly engine?: InferenceEnginePreference;
  readonly batchSize?: number;
}

/** Variants on a reference: a VCF, or lines `chr:pos ref>alt` (1-based pos). */
export type VariantSource = { readonly kind: 'file'; readonly path: string } | { readonly kind: 'text'; readonly text: string };

export interface VariantSettings {
  readonly modelId: number;
  readonly referencePath: string;
  readonly variants: VariantSource;
  readonly name?: string;
  /** Window centred on the variant; default the model's input length. */
  readonly window?: number;
  readonly classIndex?: number;
  readonly engine?: InferenceEnginePreference;
}

export interface ExplainSettings {
  readonly modelId: number;
  /** At most the model's input length. */
  readonly sequence: string;
  readonly name?: string;
  readonly classIndex?: number;
  /** BERT only: also the attention maps of every layer and head. */
  readonly attention?: boolean;
  readonly engine?: InferenceEnginePreference;
}

export type PredictionKind = 'predict' | 'scan' | 'variants' | 'explain';

export interface PredictionSummary {
  readonly id: number;
  readonly kind: PredictionKind;
  readonly name: string;
  readonly modelId: number;
  readonly modelName: string;
  readonly classes: readonly string[];
  /** SHA-256 of the input (sequences, region, variant list) as the engine read it. */
  readonly inputHash: string;
  /** One line for lists and reports: "412 sequences from promoters.fa", "chr2:1-2,333,275 (both strands)". */
  readonly inputDescription: string;
  readonly engine: InferenceEngine;
  readonly backend: string;
  /** Sequences, windows or variants scored. */
  readonly count: number;
  readonly seconds: number;
  readonly createdAt: string;
}

export interface PredictionRow {
  /** 0-based position in the input. */
  readonly index: number;
  readonly id: string;
  readonly length: number;
  /** Per class, in the model's class order. */
  readonly probabilities: readonly number[];
  readonly predicted: string;
  /** Binary: P(positive); multi-class: the predicted class's probability. */
  readonly score: number;
  /** From a dataset input: the true label. */
  readonly label?: string;
  readonly split?: string;
}

export interface PredictResult {
  readonly kind: 'predict';
  readonly settings: PredictSettings;
  readonly threshold: number;
  /** Counts per predicted class. */
  readonly counts: Readonly<Record<string, number>>;
  /** With a labelled dataset input: accuracy and MCC against the labels. */
  readonly agreement?: { readonly accuracy: number; readonly mcc: number };
}

export interface CalledRegion {
  readonly chrom: string;
  readonly start: number;
  readonly end: number;
  /** Highest window score inside. */
  readonly score: number;
  readonly strand: '+' | '-' | '.';
  /** Distance to the nearest annotated site (0 = overlaps); null without annotation. */
  readonly nearestSite: number | null;
  readonly nearestName: string | null;
}

export interface AnnotationSite {
  readonly chrom: string;
  readonly start: number;
  readonly end: number;
  readonly name: string;
  readonly strand: '+' | '-' | '.';
  /** Within maxDistance of a call. */
  readonly nearCall: boolean;
}

export interface ScanResult {
  readonly kind: 'scan';
  readonly settings: ScanSettings;
  readonly chrom: string;
  readonly start: number;
  readonly end: number;
  readonly window: number;
  readonly stride: number;
  readonly windows: number;
  /** Windows skipped because they are mostly N. */
  readonly skipped: number;
  readonly calls: readonly CalledRegion[];
  readonly annotation?: {
    readonly path: string;
    readonly maxDistance: number;
    readonly sites: readonly AnnotationSite[];
    /** Sites within maxDistance of a call / all sites in the region. */
    readonly recall: number;
    /** Calls within maxDistance of a site / all calls. */
    readonly precision: number;
  };
  /** Files under the prediction's folder (relative to artifacts/): bedGraph of the track, BED of the calls. */
  readonly files: { readonly bedGraph: string; readonly bed: string };
}

/** A stretch of the score track, at most maxPoints per strand (max-pooled when zoomed out). */
export interface ScanTrack {
  readonly start: number;
  readonly end: number;
  /** Window centres. */
  readonly positions: readonly number[];
  readonly forward: readonly number[];
  readonly reverse: readonly number[] | null;
}

export interface VariantRow {
  readonly index: number;
  readonly id: string;
  readonly chrom: string;
  /** 1-based, as VCF. */
  readonly pos: number;
  readonly ref: string;
  readonly alt: string;
  readonly refProbability: number;
  readonly altProbability: number;
  /** alt - ref. */
  readonly delta: number;
  /** log(alt/(1-alt)) - log(ref/(1-ref)). */
  readonly logOddsRatio: number;
}

export interface VariantResult {
  readonly kind: 'variants';
  readonly settings: VariantSettings;
  readonly className: string;
  readonly window: number;
}

export interface ExplainResult {
  readonly kind: 'explain';
  readonly settings: ExplainSettings;
  readonly sequence: string;
  readonly className: string;
  readonly probability: number;
  /** [position][A, C, G, T]: probability with that base minus the original (0 at the original base). */
  readonly ism: readonly (readonly number[])[];
  /** BERT with attention requested. */
  readonly attention?: {
    readonly tokens: readonly string[];
    readonly layers: number;
    readonly heads: number;
    /** [layer][head][query][key]. */
    readonly weights: readonly (readonly (readonly (readonly number[])[])[])[];
  };
}

export type PredictionResult = PredictResult | ScanResult | VariantResult | ExplainResult;

export interface PredictionDetail extends PredictionSummary {
  readonly result: PredictionResult;
}

export interface PredictionRowsQuery {
  readonly id: number;
  readonly offset: number;
  readonly limit: number;
  readonly sortBy?: 'index' | 'score';
  readonly descending?: boolean;
  /** Only rows predicted as this class. */
  readonly predicted?: string;
  /** Substring of the id. */
  readonly search?: string;
}

export interface PredictionRowsPage {
  readonly total: number;
  readonly rows: readonly PredictionRow[];
}

export interface VariantRowsPage {
  readonly total: number;
  readonly rows: readonly VariantRow[];
}

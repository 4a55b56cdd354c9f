/** Motif collections (JASPAR, MEME, TRANSFAC), sequence logos and motif-affinity scans (GeneBERT's region features). */

export type MotifFormat = 'jaspar' | 'meme' | 'transfac';

export interface MotifInfo {
  /** Matrix id, e.g. MA0004.1. */
  readonly id: string;
  /** TF name, e.g. Arnt. */
  readonly name: string;
  readonly width: number;
  /** IUPAC consensus. */
  readonly consensus: string;
  /** Total information content (bits). */
  readonly informationContent: number;
}

export interface MotifCollection {
  readonly path: string;
  readonly format: MotifFormat;
  /** True for the JASPAR 2024 set shipped with the app. */
  readonly bundled: boolean;
  readonly licence: string;
  readonly motifs: readonly MotifInfo[];
}

export interface MotifDetail extends MotifInfo {
  /** Probabilities per position [width][A, C, G, T], each column normalised to 1. */
  readonly probabilities: readonly (readonly number[])[];
  /** Information content per position and base for the logo (bits), [width][A, C, G, T]. */
  readonly logo: readonly (readonly number[])[];
  /** Log-odds (bits) against the background, [width][A, C, G, T]. */
  readonly pwm: readonly (readonly number[])[];
  readonly maxScore: number;
  readonly minScore: number;
}

export interface MotifScanSettings {
  readonly name?: string;
  /** Default: the bundled JASPAR set. */
  readonly motifsPath?: string;
  /** Regions: a BED over a reference, or every record of a FASTA, or a dataset's sequences. */
  readonly regions:
    | { readonly kind: 'bed'; readonly bedPath: string; readonly referencePath: string }
    | { readonly kind: 'fasta'; readonly path: string }
    | { readonly kind: 'dataset'; readonly datasetId: number };
  readonly scoring: 'max' | 'sum';
  readonly threshold?: number;
  readonly background: 'uniform' | 'corpus';
  readonly pseudocount?: number;
}

export interface MotifScanSummary {
  readonly id: number;
  readonly name: string;
  readonly settings: MotifScanSettings;
  readonly regions: number;
  readonly motifs: number;
  readonly seconds: number;
  /** The (regions x motifs) matrix as TSV, relative to artifacts/. */
  readonly matrixPath: string;
  readonly createdAt: string;
}

/** A page of the matrix for display: the top motifs per region. */
export interface MotifScanTop {
  readonly region: string;
  readonly top: readonly { readonly motif: string; readonly name: string; readonly score: number }[];
}

/**
 * Transcription-factor motifs as read from JASPAR, MEME or TRANSFAC files: position frequency matrices with the place
 * each one was found, before any conversion to probabilities or log-odds (src-main/motifs does that).
 */
import type { MotifFormat } from '../../src-shared/api';

/** Bases in matrix column order. Every reader reorders the file's letters into this order. */
export const MOTIF_BASES = ['A', 'C', 'G', 'T'] as const;

export interface MotifMatrix {
  /** Matrix id (JASPAR `MA0004.1`, MEME motif id, TRANSFAC AC). */
  readonly id: string;
  /** TF name (JASPAR name, MEME alternate name, TRANSFAC ID/NA); the id when the file gives none. */
  readonly name: string;
  /**
   * Counts per position, [width][A, C, G, T], as in the file. MEME files hold probabilities: they are given back as
   * counts by multiplying with `nsites` (MEME's default 20 when absent), so that pseudocounts weigh the same for all
   * three formats. Columns may sum to different totals (JASPAR publishes them so); consumers normalise per column.
   */
  readonly counts: readonly (readonly number[])[];
  /** 1-based line where the motif starts. */
  readonly line: number;
}

export interface MotifFileContents {
  readonly path: string;
  readonly format: MotifFormat;
  readonly motifs: readonly MotifMatrix[];
  /** MEME's `Background letter frequencies` [A, C, G, T], when the file has them. */
  readonly background?: readonly number[];
}

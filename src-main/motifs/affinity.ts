/**
 * Motif-affinity features of regions: the (regions x motifs) matrix GeneBERT's sequence-region matching aligns the
 * sequence embedding with. Used by the motif-scan job and by pretraining (SRM).
 */
import type { MotifFeatureSettings } from '../../src-shared/api';
import { BUNDLED_MOTIFS_FILE, loadMotifFile } from './motif-collection';
import { PackedSequences, prepareScan, scanMatrixSync } from './motif-scan';

/** Row-major [sequences.length, motifs] float32 matrix, and the motif ids in column order. */
export interface AffinityMatrix {
  readonly rows: number;
  readonly motifIds: readonly string[];
  readonly values: Float32Array;
}

/**
 * Scores every sequence against every motif of the collection (both strands, log-odds in bits) and reduces per motif
 * by the chosen scoring: 'max' = best window on either strand (the motif's lowest possible score when a sequence has
 * no full ACGT window), 'sum' = sum of window scores above the threshold (default 0.8 x the motif's best score; 0 when
 * none). `settings.path` wins over `bundledPath` (the bundled JASPAR file; '' stands for it too). Throws ApiError
 * IMPORT_REJECTED for a bad motif file. About 13 ms of CPU per motif per 2.3 Mb of sequence.
 */
export function affinityMatrix(sequences: readonly string[], settings: MotifFeatureSettings, bundledPath: string): AffinityMatrix {
  const contents = loadMotifFile(settings.path ?? (bundledPath === '' ? BUNDLED_MOTIFS_FILE : bundledPath));
  const seqs = new PackedSequences(sequences);
  const prepared = prepareScan(contents.motifs, seqs, settings);
  return { rows: sequences.length, motifIds: contents.motifs.map((m) => m.id), values: scanMatrixSync(seqs, prepared) };
}

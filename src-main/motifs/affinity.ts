/**
 * Motif-affinity features of regions: the (regions x motifs) matrix GeneBERT's sequence-region matching aligns the
 * sequence embedding with. Used by the motif-scan job and by pretraining (SRM).
 */
import type { MotifFeatureSettings } from '../../src-shared/api';

/** Row-major [sequences.length, motifs] float32 matrix, and the motif ids in column order. */
export interface AffinityMatrix {
  readonly rows: number;
  readonly motifIds: readonly string[];
  readonly values: Float32Array;
}

/**
 * Scores every sequence against every motif of the collection (both strands, log-odds in bits) and reduces per motif
 * by the chosen scoring (max, or sum of hits above the threshold). Implemented by the motif scanner.
 */
export function affinityMatrix(_sequences: readonly string[], _settings: MotifFeatureSettings, _bundledPath: string): AffinityMatrix {
  throw new Error('motif affinity is not implemented yet');
}

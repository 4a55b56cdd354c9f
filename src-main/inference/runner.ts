/**
 * The one interface both inference engines implement: token batches in, logits out. Predict, scan, variants and
 * explain are written against it, so they run unchanged on ONNX Runtime (when installed) or TensorFlow.js.
 */
import type { InferenceEngine } from '../../src-shared/api';
import type { SavedModelConfig } from '../training/artifacts';

/** A saved model as read from artifacts/models/<name>/ (model.json + weights.f32). */
export interface LoadedModel {
  readonly config: SavedModelConfig;
  readonly weights: Float32Array;
  /** Folder it was read from (absolute). */
  readonly dir: string;
}

/** Rows of equal length: CNN base ids, or BERT k-mer token ids with [CLS]/[SEP] and padding. */
export interface ModelInputBatch {
  readonly size: number;
  readonly length: number;
  /** [size * length] */
  readonly tokens: Int32Array;
  /** BERT: [size * length] 1 = token, 0 = padding. */
  readonly attentionMask?: Int32Array;
}

export interface InferenceRunner {
  readonly engine: InferenceEngine;
  /** Human-readable, stored with every prediction: "onnxruntime-node 1.23.2 (cpu)", "tfjs wasm". */
  readonly backend: string;
  /** Logits, row-major [size, outputs] (outputs = config.outputs). */
  logits(batch: ModelInputBatch): Promise<Float32Array>;
  dispose(): void;
}

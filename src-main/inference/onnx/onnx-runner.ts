/**
 * ONNX Runtime inference (optional dependency onnxruntime-node). Returns null when ONNX Runtime is not installed or
 * cannot run this model, and the caller falls back to TensorFlow.js.
 */
import type { InferenceRunner, LoadedModel } from '../runner';

export async function createOnnxRunner(_model: LoadedModel): Promise<InferenceRunner | null> {
  return null;
}

/**
 * Loads a saved model and picks its inference engine: ONNX Runtime when asked for (or 'auto') and able to run it,
 * else TensorFlow.js. Runs in the engine worker only (it loads TensorFlow.js).
 */
import { ApiError, type InferenceEnginePreference } from '../../src-shared/api';
import { readModel } from '../training/artifacts';
import { createOnnxRunner } from './onnx/onnx-runner';
import type { InferenceRunner, LoadedModel } from './runner';
import { TfjsRunner } from './tfjs-runner';

export function loadModel(dir: string): LoadedModel {
  const { config, weights } = readModel(dir);
  return { config, weights, dir };
}

export async function createRunner(model: LoadedModel, preference: InferenceEnginePreference = 'auto'): Promise<InferenceRunner> {
  if (preference === 'auto' || preference === 'onnx') {
    const onnx = await createOnnxRunner(model);
    if (onnx) return onnx;
    if (preference === 'onnx') {
      throw new ApiError(
        'UNSUPPORTED',
        'ONNX Runtime is not installed here (or cannot run this model); choose the TensorFlow.js engine, or install onnxruntime-node (npm install onnxruntime-node).',
      );
    }
  }
  return TfjsRunner.create(model);
}

/** The TensorFlow.js runner, for what only it offers (attention maps). */
export async function createTfjsRunner(model: LoadedModel): Promise<TfjsRunner> {
  return TfjsRunner.create(model);
}

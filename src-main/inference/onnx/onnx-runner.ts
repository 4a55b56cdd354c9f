/**
 * ONNX Runtime inference (optional dependency onnxruntime-node). Returns null when ONNX Runtime is not installed or
 * cannot run this model, and the caller falls back to TensorFlow.js. The graph is built in memory from the saved
 * weights each time (milliseconds, and never stale) in the 'onnxruntime' flavour (BERT layers as ONNX Runtime's fused
 * operators), then run on the CPU with one intra-op thread per core.
 */
import os from 'node:os';
import type { InferenceRunner, LoadedModel, ModelInputBatch } from '../runner';
import { OnnxExportError, buildOnnxModel } from './onnx-export';
import { type OrtModule, type OrtSession, type OrtTensor, loadOnnxRuntime } from './onnx-runtime';

/** Int32 ids as the int64 tensor the graph takes: low words the values, high words their sign (little-endian). */
function toInt64(values: Int32Array): BigInt64Array {
  const out = new BigInt64Array(values.length);
  const words = new Int32Array(out.buffer);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    words[2 * i] = v;
    words[2 * i + 1] = v < 0 ? -1 : 0;
  }
  return out;
}

let lastReason: string | null = null;

/** Why the last createOnnxRunner returned null (for logs and the backend line of a job). */
export function onnxUnavailableReason(): string | null {
  return lastReason;
}

class OnnxRunner implements InferenceRunner {
  readonly engine = 'onnx' as const;

  constructor(
    private readonly ort: OrtModule,
    private readonly session: OrtSession,
    private readonly model: LoadedModel,
    readonly backend: string,
  ) {}

  async logits(batch: ModelInputBatch): Promise<Float32Array> {
    const outputs = this.model.config.outputs;
    if (batch.size === 0) return new Float32Array(0);
    if (batch.tokens.length !== batch.size * batch.length) throw new Error(`A batch of ${batch.size} x ${batch.length} tokens holds ${batch.tokens.length}.`);
    const dims = [batch.size, batch.length];
    const feeds: Record<string, OrtTensor> = { input_ids: this.tensor(batch.tokens, dims) };
    if (this.model.config.architecture === 'bert') {
      feeds['attention_mask'] = this.tensor(batch.attentionMask ?? new Int32Array(batch.tokens.length).fill(1), dims);
    } else if (batch.length !== this.model.config.maxLength) {
      throw new Error(`The CNN reads ${this.model.config.maxLength} bases per sequence, not ${batch.length}.`);
    }
    const result = await this.session.run(feeds);
    const logits = result['logits'];
    if (!logits || !(logits.data instanceof Float32Array) || logits.data.length !== batch.size * outputs) {
      throw new Error('ONNX Runtime returned logits of an unexpected shape.');
    }
    const values = Float32Array.from(logits.data);
    for (const t of [...Object.values(feeds), ...Object.values(result)]) t.dispose?.();
    return values;
  }

  private tensor(values: Int32Array, dims: number[]): OrtTensor {
    return new this.ort.Tensor('int64', toInt64(values), dims);
  }

  dispose(): void {
    void this.session.release();
  }
}

export async function createOnnxRunner(model: LoadedModel, threads = os.availableParallelism()): Promise<InferenceRunner | null> {
  const runtime = loadOnnxRuntime();
  if ('error' in runtime) {
    lastReason = runtime.error;
    return null;
  }
  let bytes: Uint8Array;
  try {
    bytes = (await buildOnnxModel(model.config, model.weights, 'onnxruntime')).bytes;
  } catch (err) {
    if (!(err instanceof OnnxExportError)) throw err;
    lastReason = err.message;
    return null;
  }
  const session = await runtime.ort.InferenceSession.create(bytes, {
    executionProviders: ['cpu'],
    intraOpNumThreads: Math.max(1, threads),
    interOpNumThreads: 1,
    graphOptimizationLevel: 'all',
    executionMode: 'sequential',
    // Idle pool threads sleep instead of spinning: the app shares the cores with its UI and whatever else the user
    // runs, and spinning threads lose more than they gain once a core is busy (measured in the scan benchmark).
    extra: { session: { intra_op: { allow_spinning: '0' } } },
  });
  lastReason = null;
  return new OnnxRunner(runtime.ort, session, model, `onnxruntime-node ${runtime.version} (cpu)`);
}

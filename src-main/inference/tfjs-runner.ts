/**
 * TensorFlow.js inference over a saved model: the same task code and WebAssembly kernels that trained and evaluated
 * it (src-main/engine/training/task.ts), so its probabilities are the evaluation's. Weights become tensors once, when
 * the runner is made, not per batch.
 */
import type * as tfType from '@tensorflow/tfjs';
import { chooseBackend } from '../engine/backend';
import { installWasmKernels } from '../engine/kernels';
import { Bert, bertConfig } from '../engine/models/bert';
import { fastOps } from '../engine/models/ops';
import type { ParamMap } from '../engine/models/params';
import { Rng } from '../engine/models/rng';
import { createTask, type Task } from '../engine/training/task';
import type { InferenceRunner, LoadedModel, ModelInputBatch } from './runner';

/** Attention probabilities of one sequence: [layer][head] each a row-major [length x length] matrix. */
export interface AttentionMaps {
  readonly layers: number;
  readonly heads: number;
  readonly length: number;
  readonly weights: Float32Array[][];
}

export class TfjsRunner implements InferenceRunner {
  readonly engine = 'tfjs' as const;

  private constructor(
    private readonly tf: typeof tfType,
    readonly backend: string,
    private readonly model: LoadedModel,
    private readonly task: Task,
    private readonly params: ParamMap,
  ) {}

  static async create(model: LoadedModel): Promise<TfjsRunner> {
    const { tf, backend } = await chooseBackend(['wasm']);
    installWasmKernels({ missing: true, fast: true });
    const task = createTask({ model: model.config.spec });
    if (task.layout.size !== model.weights.length) {
      throw new Error(`The model in ${model.dir} holds ${model.weights.length} weights; its architecture needs ${task.layout.size}.`);
    }
    return new TfjsRunner(tf, `tfjs ${backend}`, model, task, task.layout.toTensors(model.weights));
  }

  async logits(batch: ModelInputBatch): Promise<Float32Array> {
    const tf = this.tf;
    const t = tf.tidy(() =>
      this.task.logits(
        this.params,
        {
          size: batch.size,
          length: batch.length,
          tokens: batch.tokens,
          ...(batch.attentionMask ? { attentionMask: batch.attentionMask } : {}),
          labels: new Int32Array(0),
        },
        new Rng(0),
      ),
    );
    try {
      return new Float32Array(await t.data());
    } finally {
      t.dispose();
    }
  }

  /** BERT only: every layer's and head's attention for one tokenized sequence. */
  attention(batch: ModelInputBatch): AttentionMaps {
    const spec = this.model.config.spec;
    if (spec.kind !== 'bert') throw new Error('Attention maps exist only for BERT models.');
    const tf = this.tf;
    const bert = new Bert(bertConfig(spec.config, spec.preset ?? 'mini'), spec.head, fastOps);
    const L = batch.length;
    const maps = tf.tidy(() =>
      bert.attentionMaps(this.params, {
        ids: tf.tensor2d(batch.tokens.subarray(0, L), [1, L], 'int32'),
        ...(batch.attentionMask ? { attentionMask: tf.tensor2d(batch.attentionMask.subarray(0, L), [1, L], 'int32') } : {}),
      }),
    );
    try {
      const heads = bert.config.heads;
      const weights = maps.map((m) => {
        const all = m.dataSync() as Float32Array; // [1, heads, L, L]
        return Array.from({ length: heads }, (_, h) => all.slice(h * L * L, (h + 1) * L * L));
      });
      return { layers: maps.length, heads, length: L, weights };
    } finally {
      tf.dispose(maps);
    }
  }

  dispose(): void {
    this.tf.dispose(Object.values(this.params));
  }
}

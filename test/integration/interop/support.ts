/** The PyTorch reference (bert_reference.py) and the app's forward pass, for the interop tests. */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { Bert, bertConfig } from '../../../src-main/engine/models/bert';
import { fastOps } from '../../../src-main/engine/models/ops';
import { Rng } from '../../../src-main/engine/models/rng';
import type { SavedModelConfig } from '../../../src-main/training/artifacts';

export const PYTHON = '/usr/bin/python3';
export const SCRIPT = path.join(__dirname, 'bert_reference.py');

export function python(...args: string[]): string {
  const r = spawnSync(PYTHON, [SCRIPT, ...args], { encoding: 'utf8', timeout: 120_000 });
  if (r.status !== 0) throw new Error(`bert_reference.py ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout;
}

export interface Inputs {
  readonly input_ids: number[][];
  readonly attention_mask: number[][];
  readonly token_type_ids: number[][];
}

export interface Outputs {
  readonly hidden: number[] | Float32Array;
  readonly logits: number[] | Float32Array;
}

/** Hidden states [B * L * H] and logits (MLM: every position [B * L * V]; classifier: [B * C]) from the app's BERT. */
export async function appForward(config: SavedModelConfig, weights: Float32Array, inputs: Inputs): Promise<{ hidden: Float32Array; logits: Float32Array }> {
  await tf.setBackend('cpu');
  if (config.spec.kind !== 'bert') throw new Error('not a BERT');
  const model = new Bert(bertConfig(config.spec.config ?? {}, config.spec.preset ?? 'mini'), config.spec.head, fastOps);
  const B = inputs.input_ids.length;
  const L = inputs.input_ids[0]?.length ?? 0;
  const params = model.layout.toTensors(weights.subarray(0, model.layout.size));
  const [hidden, logits] = tf.tidy(() => {
    const ids = tf.tensor2d(inputs.input_ids.flat(), [B, L], 'int32');
    const attentionMask = tf.tensor2d(inputs.attention_mask.flat(), [B, L], 'int32');
    const tokenTypes = tf.tensor2d(inputs.token_type_ids.flat(), [B, L], 'int32');
    const h = model.encode(params, { ids, attentionMask, tokenTypes }, false, new Rng(1));
    const out =
      model.head.kind === 'mlm'
        ? model.mlmLogits(params, h, tf.range(0, B * L, 1, 'int32') as tf.Tensor1D)
        : model.classify(params, h, B, attentionMask, false, new Rng(1));
    return [h, out];
  });
  const result = { hidden: Float32Array.from(hidden.dataSync()), logits: Float32Array.from(logits.dataSync()) };
  tf.dispose([hidden, logits, ...Object.values(params)]);
  return result;
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

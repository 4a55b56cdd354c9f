/**
 * Saved models for the ONNX tests, made the way a training run saves them (model-plan -> engine layout -> model.json),
 * with weights from the engine's seeded initializer moved away from it (noise on every tensor, BatchNorm statistics
 * of a model that has seen data), so that every parameter changes the logits. Sequences are real promoter-set DNA.
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { tokenizeBatch } from '../../../src-shared/dna';
import type { ParamLayout } from '../../../src-main/engine/models/params';
import { Rng } from '../../../src-main/engine/models/rng';
import { Replica } from '../../../src-main/engine/training/replica';
import { type Batch, createTask } from '../../../src-main/engine/training/task';
import { encodeCnn } from '../../../src-main/training/data';
import { type ModelPlan, bertPlan, cnnPlan } from '../../../src-main/training/model-plan';
import type { LoadedModel } from '../../../src-main/inference/runner';
import { ROOT } from '../support/dnalm-cli';
import { savedModelConfig } from '../support/saved-model';

/** The first `n` sequences of the bundled human non-TATA promoter training set. */
export function promoterSequences(n: number): string[] {
  const text = zlib.gunzipSync(fs.readFileSync(path.join(ROOT, 'resources/data/gb_human_nontata_promoters/train.csv.gz'))).toString('utf8');
  return text
    .split(/\r?\n/)
    .slice(1)
    .filter((l) => l.length > 0)
    .slice(0, n)
    .map((l) => l.split(',')[0]!);
}

/** Initial weights plus noise; BatchNorm running variances stay positive. */
function trainedLike(layout: ParamLayout, seed: number): Float32Array {
  const w = layout.initialize(seed);
  const rng = new Rng(seed + 1);
  for (const e of layout.entries) {
    for (let i = e.offset; i < e.offset + e.size; i++) {
      if (e.name.endsWith('running_var')) w[i] = 0.5 + rng.uniform();
      else w[i] = w[i]! + rng.normal() * 0.1;
    }
  }
  return w;
}

export interface TestModel extends LoadedModel {
  readonly plan: ModelPlan;
  /** Encodes sequences the way training and prediction do. */
  batch(sequences: readonly string[]): Batch;
}

export function cnnModel(input: 'embedding' | 'onehot', length: number, classes: readonly string[], seed: number): TestModel {
  const plan = cnnPlan({ architecture: 'cnn', input, maxLength: length }, classes, length);
  const layout = createTask({ model: plan.spec }).layout;
  return {
    plan,
    config: savedModelConfig(plan, layout),
    weights: trainedLike(layout, seed),
    dir: '',
    batch: (sequences) => ({
      size: sequences.length,
      length,
      tokens: encodeCnn(sequences, { kind: 'cnn', length }),
      labels: new Int32Array(sequences.length),
    }),
  };
}

export function bertModel(pooling: 'cls' | 'mean', maxTokens: number, classes: readonly string[], seed: number): TestModel {
  const plan = bertPlan({ architecture: 'bert', preset: 'custom', layers: 2, hidden: 64, heads: 4, intermediate: 128, k: 3, maxTokens, pooling }, classes, maxTokens);
  const layout = createTask({ model: plan.spec }).layout;
  return {
    plan,
    config: savedModelConfig(plan, layout),
    weights: trainedLike(layout, seed),
    dir: '',
    batch: (sequences) => {
      const enc = tokenizeBatch(sequences, { k: 3, maxLength: maxTokens, truncation: 'right' });
      return { size: sequences.length, length: maxTokens, tokens: enc.ids, attentionMask: enc.attentionMask, labels: new Int32Array(sequences.length) };
    },
  };
}

/** Logits from the engine's inference forward pass, as training evaluation computes them (Trainer.logits -> Replica). */
export function tfjsLogits(model: TestModel, batch: Batch): Float32Array {
  const replica = new Replica(createTask({ model: model.plan.spec }), 0, 0);
  return replica.logits(model.weights, batch).values;
}

/** Largest absolute difference. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i]! - b[i]!));
  return d;
}

/** A pretrained (MLM-head) BERT as pretraining or a checkpoint import saves it: no classification head. */
export function pretrainedBertModel(seed: number): LoadedModel {
  const plan = bertPlan({ architecture: 'bert', preset: 'custom', layers: 1, hidden: 32, heads: 2, intermediate: 64, k: 3, maxTokens: 32 }, [], 32);
  if (plan.spec.kind !== 'bert') throw new Error('bertPlan made a CNN');
  const spec = { ...plan.spec, head: { kind: 'mlm' } } as const;
  const layout = createTask({ model: spec }).layout;
  return { config: { ...savedModelConfig({ ...plan, spec }, layout), role: 'pretrained', classes: [] }, weights: trainedLike(layout, seed), dir: '' };
}

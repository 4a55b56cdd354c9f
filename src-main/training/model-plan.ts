/**
 * From the user's model settings and the dataset to the engine's model spec and the input encoding: the one place
 * that decides sequence lengths, vocabulary and head, shared by the preflight (main) and the training loop (worker).
 * Plain data only: nothing here loads TensorFlow.js.
 */
import type { BertModelSettings, CnnModelSettings, TrainSettings } from '../../src-shared/api';
import { vocabSize } from '../../src-shared/dna';
import type { ModelSpec } from '../engine/training/task';
import { MAX_BERT_TOKENS, MAX_CNN_LENGTH } from './settings';

export interface CnnInput {
  readonly kind: 'cnn';
  /** Bases per sequence: longer ones are cut at the end, shorter ones padded. */
  readonly length: number;
}

export interface KmerInput {
  readonly kind: 'kmer';
  readonly k: 3 | 4 | 5 | 6;
  /** Tokens per sequence including [CLS] and [SEP]. */
  readonly maxTokens: number;
}

export interface ModelPlan {
  readonly architecture: 'cnn' | 'bert';
  readonly spec: ModelSpec;
  readonly input: CnnInput | KmerInput;
  readonly classes: readonly string[];
  /** Model outputs: 1 logit (binary CNN, as genomic_benchmarks) or one per class. */
  readonly outputs: number;
  /** Fine-tuning: parameter-name prefixes kept at their initial values. */
  readonly frozenPrefixes: readonly string[];
}

/** CNN token ids: A C G T = 0..3, any other base (N) 4, padding 5 (vocabulary of 6, the engine's default). */
export const CNN_BASE_IDS = { A: 0, C: 1, G: 2, T: 3, other: 4, pad: 5 } as const;

export function cnnPlan(m: CnnModelSettings, classes: readonly string[], longest: number): ModelPlan {
  const length = m.maxLength ?? Math.max(32, Math.min(MAX_CNN_LENGTH, longest));
  const outputs = classes.length === 2 ? 1 : classes.length;
  return {
    architecture: 'cnn',
    spec: { kind: 'cnn', config: { length, outputs, input: m.input === 'onehot' ? 'onehot' : 'embed', vocabSize: 6 } },
    input: { kind: 'cnn', length },
    classes,
    outputs,
    frozenPrefixes: [],
  };
}

export function bertPlan(m: BertModelSettings | Omit<BertModelSettings, 'init'>, classes: readonly string[], longest: number): ModelPlan {
  const k = m.k ?? 6;
  const maxTokens = m.maxTokens ?? Math.max(8, Math.min(MAX_BERT_TOKENS, longest - k + 1 + 2));
  const preset = m.preset === 'paper' ? 'base' : 'mini';
  const config = {
    vocabSize: vocabSize(k),
    ...(m.layers === undefined ? {} : { layers: m.layers }),
    ...(m.hidden === undefined ? {} : { hidden: m.hidden }),
    ...(m.heads === undefined ? {} : { heads: m.heads }),
    ...(m.intermediate === undefined ? {} : { intermediate: m.intermediate }),
  };
  const layers = m.layers ?? (preset === 'base' ? 12 : 4);
  let frozenPrefixes: string[] = [];
  const ft = m.fineTune;
  if (ft?.mode === 'frozen-encoder') frozenPrefixes = ['bert.embeddings.', 'bert.encoder.'];
  else if (ft?.mode === 'top-layers') {
    const trainFrom = Math.max(0, layers - ft.layers);
    frozenPrefixes = ['bert.embeddings.', ...Array.from({ length: trainFrom }, (_, i) => `bert.encoder.layer.${i}.`)];
  }
  return {
    architecture: 'bert',
    spec: {
      kind: 'bert',
      preset,
      config,
      head: { kind: 'classification', numClasses: classes.length, pooling: m.pooling ?? 'cls' },
    },
    input: { kind: 'kmer', k, maxTokens },
    classes,
    outputs: classes.length,
    frozenPrefixes,
  };
}

export function planFor(settings: TrainSettings, classes: readonly string[], longest: number): ModelPlan {
  return settings.model.architecture === 'cnn' ? cnnPlan(settings.model, classes, longest) : bertPlan(settings.model, classes, longest);
}

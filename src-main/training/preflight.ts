/**
 * Before a run starts: parameters, memory, steps and time per epoch, and whether it can run here at all. The time
 * comes from the throughput measured by `npm run bench -- training` (bench-results/training.json, rows "ours", this
 * engine on a 2-core machine), scaled by the model's multiply-adds per token.
 */
import os from 'node:os';
import type { PreflightEstimate, TrainSettings } from '../../src-shared/api';
import type { DatasetSummary } from '../../src-shared/api';
import { type ModelPlan, planFor } from './model-plan';
import { effective } from './settings';

/** WebAssembly's memory limit (wasm32: 4 GiB per instance, one instance per training thread). */
export const WASM_LIMIT_BYTES = 4 * 1024 ** 3;

/** Measured training / inference throughput (tokens per second), bench-results/training.json, "ours". */
const THROUGHPUT = {
  cnn: { train: { 1: 437_245, 2: 509_437 }, inference: { 1: 2_267_030, 2: 2_393_276 } },
  // BERT-mini (4 x 256, FFN 1024) on 128-token sequences.
  bertMini: { train: { 1: 981, 2: 1_801 }, inference: { 1: 3_699, 2: 6_675 } },
} as const;
const BERT_MINI_REF = { layers: 4, hidden: 256, intermediate: 1024, tokens: 128 };

/** Multiply-adds per token of a BERT encoder. */
function bertCostPerToken(layers: number, hidden: number, intermediate: number, tokens: number): number {
  return layers * (4 * hidden * hidden + 2 * hidden * intermediate + 2 * tokens * hidden);
}

function rate(table: { readonly 1: number; readonly 2: number }, threads: number): number {
  if (threads <= 1) return table[1];
  // Beyond the two measured threads, assume 80 % efficiency per added thread.
  return table[2] * (1 + 0.8 * (threads - 2) / 2);
}

export interface PlanCounts {
  readonly train: number;
  readonly validation: number;
  readonly test: number;
}

/** Train / validation / test records as the run will see them (validation held out of train when absent). */
export function splitCounts(dataset: DatasetSummary, validationFraction: number): PlanCounts {
  const count = (split: string): number => Object.values(dataset.counts[split] ?? {}).reduce((a, b) => a + b, 0);
  const train = count('train');
  if (dataset.splits.includes('validation')) return { train, validation: count('validation'), test: count('test') };
  let held = 0;
  for (const n of Object.values(dataset.counts['train'] ?? {})) held += n < 2 ? 0 : Math.max(1, Math.round(n * validationFraction));
  return { train: train - held, validation: held, test: count('test') };
}

interface Sizes {
  readonly parameters: number;
  readonly activationsPerRow: number;
  readonly layers: number;
  readonly hidden: number;
  readonly intermediate: number;
}

async function sizesOf(plan: ModelPlan): Promise<Sizes> {
  const { ParamLayout } = await import('../engine/models/params');
  if (plan.spec.kind === 'cnn') {
    const { cnnConfig, cnnParamSpecs } = await import('../engine/models/cnn');
    const c = cnnConfig(plan.spec.config);
    const layout = new ParamLayout(cnnParamSpecs(c));
    // Per row: the one-hot input, and per conv stage the conv, BatchNorm, ReLU and pool outputs (and their gradients).
    const perRow = c.length * c.vocabSize + c.convLayers * c.length * c.filters * 6 + c.denseUnits * 4;
    return { parameters: layout.trainableSize, activationsPerRow: perRow * 4 * 2, layers: c.convLayers, hidden: c.filters, intermediate: c.denseUnits };
  }
  const { bertConfig, bertParamSpecs } = await import('../engine/models/bert');
  const c = bertConfig(plan.spec.config, plan.spec.preset ?? 'mini');
  const layout = new ParamLayout(bertParamSpecs(c, plan.spec.head));
  const L = plan.input.kind === 'kmer' ? plan.input.maxTokens : 128;
  // Per layer and row: ~14 hidden-sized tensors (q, k, v, context, norms, residuals, dropout masks), 4 attention maps
  // per head (scores, softmax, dropout mask and output), 3 FFN-sized ones (dense, GELU, dropout); doubled for backprop.
  const perLayer = L * c.hidden * 14 + c.heads * L * L * 4 + L * c.intermediate * 3;
  return { parameters: layout.trainableSize, activationsPerRow: (perLayer * c.layers + L * c.hidden * 4) * 4 * 2, layers: c.layers, hidden: c.hidden, intermediate: c.intermediate };
}

export function defaultTrainingThreads(): number {
  const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  return Math.max(1, Math.min(cores, 8));
}

export function formatBytes(n: number): string {
  return n >= 1024 ** 3 ? `${(n / 1024 ** 3).toFixed(1)} GB` : `${Math.round(n / 1024 ** 2)} MB`;
}

export async function preflight(settings: TrainSettings, dataset: DatasetSummary): Promise<PreflightEstimate & { readonly warning: string | null }> {
  const e = effective(settings);
  const plan = planFor(settings, dataset.classes, dataset.lengths.max);
  const threads = settings.threads ?? defaultTrainingThreads();
  const sizes = await sizesOf(plan);
  const counts = splitCounts(dataset, e.validationFraction);
  const stepsPerEpoch = Math.ceil(counts.train / settings.batchSize);
  // Weights, gradients and AdamW's two moments (float32 each), plus one batch of activations.
  const memoryBytes = sizes.parameters * 4 * 4 + sizes.activationsPerRow * settings.batchSize;
  const tokensPerRow = plan.input.kind === 'cnn' ? plan.input.length : plan.input.maxTokens;
  let trainRate: number;
  let inferRate: number;
  if (plan.architecture === 'cnn') {
    trainRate = rate(THROUGHPUT.cnn.train, threads);
    inferRate = rate(THROUGHPUT.cnn.inference, threads);
  } else {
    const ref = bertCostPerToken(BERT_MINI_REF.layers, BERT_MINI_REF.hidden, BERT_MINI_REF.intermediate, BERT_MINI_REF.tokens);
    const cost = bertCostPerToken(sizes.layers, sizes.hidden, sizes.intermediate, tokensPerRow);
    trainRate = (rate(THROUGHPUT.bertMini.train, threads) * ref) / cost;
    inferRate = (rate(THROUGHPUT.bertMini.inference, threads) * ref) / cost;
  }
  const secondsPerEpoch = (counts.train * tokensPerRow) / trainRate + (counts.validation * tokensPerRow) / inferRate;
  const fits = memoryBytes <= WASM_LIMIT_BYTES;
  let advice: string | null = null;
  let warning: string | null = null;
  if (!fits) {
    advice =
      `Training this model needs about ${formatBytes(memoryBytes)}, more than the ${formatBytes(WASM_LIMIT_BYTES)} WebAssembly can use: ` +
      (plan.architecture === 'bert'
        ? 'use the CPU quick preset, freeze the encoder, or a GPU workstation.'
        : 'use a smaller batch size or shorter sequences.');
  } else if (secondsPerEpoch > 3600) {
    warning = `One epoch would take about ${(secondsPerEpoch / 3600).toFixed(1)} hours on ${threads} thread${threads === 1 ? '' : 's'}; consider the CPU quick preset, fewer sequences or a GPU workstation.`;
    advice = warning;
  }
  return {
    parameters: sizes.parameters,
    memoryBytes,
    memoryLimitBytes: WASM_LIMIT_BYTES,
    stepsPerEpoch,
    secondsPerEpoch,
    backend: 'wasm',
    threads,
    fits,
    advice,
    warning,
  };
}

/**
 * The estimate shown before a pretraining run: parameters, memory against WebAssembly's 4 GB, time from measured
 * throughput, the corpus as it will be read (windows, bases, hash) and the masking schedule the UI draws.
 */
import type { PretrainPreflight, PretrainSettings } from '../../src-shared/api';
import { WASM_LIMIT_BYTES, defaultTrainingThreads, formatBytes } from '../training/preflight';
import { type DatasetFile, readCorpus } from './corpus';
import { pretrainPlan, srmSpec } from './pretrain-plan';

/**
 * Pretraining throughput (tokens/s) of BERT-mini, 128 tokens, batch 16, on this machine's 2 cores: MLM training as
 * measured by `npm run bench -- training` on quiet cores (988 on 1 thread, 1,902 on 2). The pretraining bench
 * (`npm run bench -- pretrain`) runs the same encoder; span masking, NGSP's pooler and SRM's small region encoder
 * change the step time by little next to it.
 */
export const PRETRAIN_THROUGHPUT = { 1: 990, 2: 1_900 } as const;
const REF = { layers: 4, hidden: 256, intermediate: 1024, tokens: 128 };
/** Motifs in the bundled JASPAR 2024 set (the SRM input width when no motif file is given). */
const BUNDLED_MOTIF_COUNT = 879;

function costPerToken(layers: number, hidden: number, intermediate: number, tokens: number): number {
  return layers * (4 * hidden * hidden + 2 * hidden * intermediate + 2 * tokens * hidden);
}

function rate(threads: number): number {
  if (threads <= 1) return PRETRAIN_THROUGHPUT[1];
  return PRETRAIN_THROUGHPUT[2] * (1 + (0.8 * (threads - 2)) / 2);
}

export async function pretrainPreflight(settings: PretrainSettings, dataset?: DatasetFile, readCorpusToo = true): Promise<PretrainPreflight> {
  const plan = pretrainPlan(settings);
  const { bertConfig } = await import('../engine/models/bert');
  const { pretrainLayout } = await import('../engine/training/pretrain-task');
  const c = bertConfig(plan.spec.config, plan.spec.preset ?? 'mini');
  const o = settings.objectives;
  const layout = pretrainLayout(c, { ngsp: o.ngsp, srm: o.srm ? srmSpec(settings, BUNDLED_MOTIF_COUNT) : null });
  const L = plan.maxTokens;
  const perLayer = L * c.hidden * 14 + c.heads * L * L * 4 + L * c.intermediate * 3;
  // MLM logits only for the masked tokens (about 15-25 % of a row), each a vocabulary-wide row and its gradient.
  const mlmRow = Math.ceil(L * 0.25) * c.vocabSize * 2;
  const activationsPerRow = (perLayer * c.layers + L * c.hidden * 4 + mlmRow) * 4 * 2;
  const memoryBytes = layout.trainableSize * 4 * 4 + activationsPerRow * settings.batchSize;
  const threads = settings.threads ?? defaultTrainingThreads();
  const tokensPerSecond = (rate(threads) * costPerToken(REF.layers, REF.hidden, REF.intermediate, REF.tokens)) / costPerToken(c.layers, c.hidden, c.intermediate, L);
  const trainTokens = settings.steps * settings.batchSize * L;
  const evals = Math.ceil(settings.steps / plan.evalEvery);
  const secondsTotal = trainTokens / tokensPerSecond + (evals * Math.max(64, settings.batchSize * 4) * L) / (tokensPerSecond * 3);
  const corpus = readCorpusToo ? (await readCorpus(settings.corpus, settings.seed, dataset)).summary : null;
  const fits = memoryBytes <= WASM_LIMIT_BYTES;
  let advice: string | null = null;
  if (!fits) advice = `Pretraining this model needs about ${formatBytes(memoryBytes)}, more than the ${formatBytes(WASM_LIMIT_BYTES)} WebAssembly can use: use the CPU quick preset or a smaller batch.`;
  else if (secondsTotal > 6 * 3600) advice = `This budget would take about ${(secondsTotal / 3600).toFixed(1)} hours on ${threads} thread${threads === 1 ? '' : 's'}; fewer steps or the CPU quick preset finish sooner.`;
  else if (corpus && corpus.windows < settings.batchSize * 4) advice = `The corpus has only ${corpus.windows} windows; the model will see each one many times.`;
  return { parameters: layout.trainableSize, memoryBytes, secondsTotal, corpus, schedule: plan.schedule, fits, advice };
}

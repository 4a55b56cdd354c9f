/**
 * Training and compare settings as they arrive from a renderer, the web host or the CLI: every field is checked
 * (the compiler's types are a promise, not a guarantee) and the defaults are filled in, so that the worker receives
 * one complete, plain-JSON description of the run.
 */
import type {
  BertModelSettings,
  CnnModelSettings,
  CompareArm,
  CompareSettings,
  TrainSettings,
} from '../../src-shared/api';
import { bad, record, int, optInt, num, optNum, optChoice, optName } from '../service/settings-fields';

export const MAX_CNN_LENGTH = 1000;
export const MAX_BERT_TOKENS = 512;

export function parseCnnModel(value: unknown): CnnModelSettings {
  const r = record(value, 'The CNN settings');
  const maxLength = optInt(r, 'maxLength', 32, 10_000, 'The CNN sequence length');
  const input = optChoice(r, 'input', ['embedding', 'onehot'] as const, 'The CNN input');
  return { architecture: 'cnn', ...(maxLength === undefined ? {} : { maxLength }), ...(input === undefined ? {} : { input }) };
}

type BertModelNoInit = Omit<BertModelSettings, 'init'>;

function parseBertCore(r: Record<string, unknown>): BertModelNoInit {
  const preset = optChoice(r, 'preset', ['cpu-quick', 'paper', 'custom'] as const, 'The BERT preset') ?? 'cpu-quick';
  const layers = optInt(r, 'layers', 1, 48, 'The number of layers');
  const hidden = optInt(r, 'hidden', 8, 4096, 'The hidden size');
  const heads = optInt(r, 'heads', 1, 64, 'The number of attention heads');
  const intermediate = optInt(r, 'intermediate', 8, 16384, 'The feed-forward size');
  const k = optInt(r, 'k', 3, 6, 'k (the k-mer size)') as 3 | 4 | 5 | 6 | undefined;
  const maxTokens = optInt(r, 'maxTokens', 8, MAX_BERT_TOKENS, 'The number of tokens per sequence');
  const pooling = optChoice(r, 'pooling', ['cls', 'mean'] as const, 'The pooling');
  if (hidden !== undefined && heads !== undefined && hidden % heads !== 0) bad(`The hidden size ${hidden} must be a multiple of the ${heads} heads.`);
  let fineTune: BertModelSettings['fineTune'];
  if (r['fineTune'] !== undefined && r['fineTune'] !== null) {
    const f = record(r['fineTune'], 'The fine-tuning mode');
    const mode = optChoice(f, 'mode', ['full', 'top-layers', 'frozen-encoder'] as const, 'The fine-tuning mode');
    if (mode === 'top-layers') fineTune = { mode, layers: int(f, 'layers', 0, 48, 'The number of layers to fine-tune') };
    else if (mode === 'frozen-encoder') fineTune = { mode };
    else if (mode === 'full') fineTune = { mode };
    else bad('The fine-tuning mode must be full, top-layers or frozen-encoder.');
  }
  return {
    architecture: 'bert',
    preset,
    ...(layers === undefined ? {} : { layers }),
    ...(hidden === undefined ? {} : { hidden }),
    ...(heads === undefined ? {} : { heads }),
    ...(intermediate === undefined ? {} : { intermediate }),
    ...(k === undefined ? {} : { k }),
    ...(maxTokens === undefined ? {} : { maxTokens }),
    ...(pooling === undefined ? {} : { pooling }),
    ...(fineTune === undefined ? {} : { fineTune }),
  };
}

export function parseBertModel(value: unknown): BertModelSettings {
  const r = record(value, 'The BERT settings');
  const core = parseBertCore(r);
  const init = record(r['init'] ?? { from: 'random' }, 'The BERT initialization');
  if (init['from'] === 'random') return { ...core, init: { from: 'random' } };
  if (init['from'] === 'model') return { ...core, init: { from: 'model', modelId: int(init, 'modelId', 1, Number.MAX_SAFE_INTEGER, 'The pretrained model') } };
  return bad('The BERT initialization must be from "random" or from "model".');
}

function parseModel(value: unknown): CnnModelSettings | BertModelSettings {
  const r = record(value, 'The model settings');
  if (r['architecture'] === 'cnn') return parseCnnModel(r);
  if (r['architecture'] === 'bert') return parseBertModel(r);
  return bad('The model architecture must be cnn or bert.');
}

type SharedTrainFields = Omit<TrainSettings, 'datasetId' | 'seed' | 'model'>;

function parseShared(r: Record<string, unknown>, defaults: { epochs: number; batchSize: number; learningRate: number }): SharedTrainFields {
  const name = optName(r);
  const weightDecay = optNum(r, 'weightDecay', 0, 1, 'The weight decay');
  const warmup = optNum(r, 'warmup', 0, 0.5, 'The warm-up fraction');
  const schedule = optChoice(r, 'schedule', ['linear', 'cosine', 'constant'] as const, 'The learning-rate schedule');
  const clipNorm = optNum(r, 'clipNorm', 0, 1e6, 'The gradient clipping norm');
  const classWeights = optChoice(r, 'classWeights', ['none', 'balanced'] as const, 'The class weights');
  let earlyStoppingPatience: number | null | undefined;
  if (r['earlyStoppingPatience'] === null) earlyStoppingPatience = null;
  else earlyStoppingPatience = optInt(r, 'earlyStoppingPatience', 1, 1000, 'The early-stopping patience');
  const validationFraction = optNum(r, 'validationFraction', 0, 0.5, 'The validation fraction', true);
  const threads = optInt(r, 'threads', 1, 64, 'The number of threads');
  return {
    ...(name === undefined ? {} : { name }),
    epochs: r['epochs'] === undefined ? defaults.epochs : int(r, 'epochs', 1, 1000, 'The number of epochs'),
    batchSize: r['batchSize'] === undefined ? defaults.batchSize : int(r, 'batchSize', 1, 4096, 'The batch size'),
    learningRate: r['learningRate'] === undefined ? defaults.learningRate : num(r, 'learningRate', 0, 1, 'The learning rate', true),
    ...(weightDecay === undefined ? {} : { weightDecay }),
    ...(warmup === undefined ? {} : { warmup }),
    ...(schedule === undefined ? {} : { schedule }),
    ...(clipNorm === undefined ? {} : { clipNorm }),
    ...(classWeights === undefined ? {} : { classWeights }),
    ...(earlyStoppingPatience === undefined ? {} : { earlyStoppingPatience }),
    ...(validationFraction === undefined ? {} : { validationFraction }),
    ...(threads === undefined ? {} : { threads }),
  };
}

function seedOf(r: Record<string, unknown>): number {
  return r['seed'] === undefined ? 42 : int(r, 'seed', 0, 0xffffffff, 'The seed');
}

export function parseTrainSettings(value: unknown): TrainSettings {
  const r = record(value, 'The training settings');
  const datasetId = int(r, 'datasetId', 1, Number.MAX_SAFE_INTEGER, 'The dataset');
  const model = parseModel(r['model']);
  const defaults = model.architecture === 'cnn' ? CNN_TRAIN_DEFAULTS : BERT_TRAIN_DEFAULTS;
  return { datasetId, model, seed: seedOf(r), ...parseShared(r, defaults) };
}

export const CNN_TRAIN_DEFAULTS = { epochs: 10, batchSize: 64, learningRate: 1e-3 } as const;
export const BERT_TRAIN_DEFAULTS = { epochs: 3, batchSize: 32, learningRate: 1e-4 } as const;

/** What the training loop uses when a setting was left out. */
export interface Effective {
  readonly weightDecay: number;
  readonly warmup: number;
  readonly schedule: 'linear' | 'cosine' | 'constant';
  readonly clipNorm: number;
  readonly classWeights: 'none' | 'balanced';
  readonly patience: number | null;
  readonly validationFraction: number;
}

export function effective(s: TrainSettings): Effective {
  const cnn = s.model.architecture === 'cnn';
  return {
    weightDecay: s.weightDecay ?? (cnn ? 0 : 0.01),
    warmup: s.warmup ?? (cnn ? 0 : 0.1),
    schedule: s.schedule ?? (cnn ? 'constant' : 'linear'),
    clipNorm: s.clipNorm ?? (cnn ? 0 : 1),
    classWeights: s.classWeights ?? 'none',
    patience: s.earlyStoppingPatience === undefined ? 3 : s.earlyStoppingPatience,
    validationFraction: s.validationFraction ?? 0.1,
  };
}

const ARMS: readonly CompareArm[] = ['cnn', 'bert-random', 'bert-pretrained'];

export function parseCompareSettings(value: unknown): CompareSettings {
  const r = record(value, 'The compare settings');
  const datasetId = int(r, 'datasetId', 1, Number.MAX_SAFE_INTEGER, 'The dataset');
  const name = optName(r);
  if (!Array.isArray(r['arms']) || r['arms'].length === 0) bad('Choose at least one arm (cnn, bert-random, bert-pretrained).');
  const arms = (r['arms'] as unknown[]).map((a) => (typeof a === 'string' && (ARMS as readonly string[]).includes(a) ? (a as CompareArm) : bad(`"${String(a)}" is not an arm; use cnn, bert-random or bert-pretrained.`)));
  if (new Set(arms).size !== arms.length) bad('Each arm can be chosen once.');
  let pretrainedModelId = optInt(r, 'pretrainedModelId', 1, Number.MAX_SAFE_INTEGER, 'The pretrained model');
  let pretrainedModelIds: number[] | undefined;
  if (r['pretrainedModelIds'] !== undefined && r['pretrainedModelIds'] !== null) {
    const ids = r['pretrainedModelIds'];
    if (!Array.isArray(ids) || ids.length === 0 || ids.length > 32) bad('"pretrainedModelIds" must list 1 to 32 model numbers.');
    pretrainedModelIds = (ids as unknown[]).map((id) => (typeof id === 'number' && Number.isInteger(id) && id >= 1 ? id : bad(`"${String(id)}" is not a model number.`)));
    if (new Set(pretrainedModelIds).size !== pretrainedModelIds.length) bad('Each pretrained model can be chosen once.');
    pretrainedModelId ??= pretrainedModelIds[0];
  }
  if (arms.includes('bert-pretrained') && pretrainedModelId === undefined) bad('The bert-pretrained arm needs a pretrained model.');
  const repeats = int(r, 'repeats', 1, 50, 'The number of repeats');
  const cnnRaw = record(r['cnn'] ?? {}, 'The CNN arm settings');
  const bertRaw = record(r['bert'] ?? {}, 'The BERT arm settings');
  const cnn = { ...parseShared(cnnRaw, CNN_TRAIN_DEFAULTS), ...(cnnRaw['model'] === undefined ? {} : { model: parseCnnModel(cnnRaw['model']) }) };
  const bert = {
    ...parseShared(bertRaw, BERT_TRAIN_DEFAULTS),
    ...(bertRaw['model'] === undefined ? {} : { model: parseBertCore(record(bertRaw['model'], 'The BERT model settings')) }),
  };
  return {
    datasetId,
    ...(name === undefined ? {} : { name }),
    arms,
    ...(pretrainedModelId === undefined ? {} : { pretrainedModelId }),
    ...(pretrainedModelIds === undefined ? {} : { pretrainedModelIds }),
    repeats,
    seed: seedOf(r),
    cnn,
    bert,
  };
}

/** The TrainSettings of one arm and repeat of a compare experiment. */
export function armSettings(c: CompareSettings, arm: CompareArm, repeat: number, modelId?: number): TrainSettings {
  const seed = (c.seed + repeat) >>> 0;
  if (arm === 'cnn') {
    const { model, ...rest } = c.cnn;
    return { ...rest, datasetId: c.datasetId, seed, model: model ?? { architecture: 'cnn' }, name: `${c.name ?? 'Compare'} · cnn #${repeat + 1}` };
  }
  const { model, ...rest } = c.bert;
  const core: BertModelNoInit = model ?? { architecture: 'bert', preset: 'cpu-quick' };
  const init: BertModelSettings['init'] =
    arm === 'bert-pretrained' ? { from: 'model', modelId: modelId ?? c.pretrainedModelId ?? 0 } : { from: 'random' };
  const label = arm === 'bert-pretrained' && modelId !== undefined && (c.pretrainedModelIds?.length ?? 0) > 1 ? `${arm} (model ${modelId})` : arm;
  return { ...rest, datasetId: c.datasetId, seed, model: { ...core, init }, name: `${c.name ?? 'Compare'} · ${label} #${repeat + 1}` };
}

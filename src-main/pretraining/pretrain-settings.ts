/**
 * Pretraining and ablation settings as they arrive from a renderer, the web host or the CLI: every field is checked
 * and the run receives one complete, plain-JSON description. Errors say which field and what to do.
 */
import type {
  AblationArm,
  AblationSettings,
  CorpusSource,
  MotifFeatureSettings,
  PretrainObjectives,
  PretrainSettings,
  RandomMaskSettings,
} from '../../src-shared/api';
import { DEFAULT_RANDOM_MASK } from '../engine/training/mask-schedule';
import { resolveDataPath } from '../paths';
import { bad, record, int, optInt, num, optNum, bool, text, optName } from '../service/settings-fields';

export function parseCorpus(value: unknown): CorpusSource {
  const c = record(value, 'The corpus');
  const window = int(c, 'window', 16, 4096, 'The corpus window (bases)');
  switch (c['kind']) {
    case 'fasta': {
      let region: { record: string; start: number; end: number } | undefined;
      if (c['region'] !== undefined && c['region'] !== null) {
        const r = record(c['region'], 'The FASTA region');
        const start = int(r, 'start', 0, Number.MAX_SAFE_INTEGER, 'The region start');
        const end = int(r, 'end', 1, Number.MAX_SAFE_INTEGER, 'The region end');
        if (end - start < window) bad(`The region ${start}-${end} is shorter than one window of ${window} bases.`);
        region = { record: text(r, 'record', 'The region record name'), start, end };
      }
      return {
        kind: 'fasta',
        path: resolveDataPath(text(c, 'path', 'The FASTA file')),
        ...(region ? { region } : {}),
        window,
        stride: int(c, 'stride', 1, 1_000_000, 'The stride (bases)'),
        bothStrands: bool(c, 'bothStrands', 'Both strands', false),
      };
    }
    case 'bed':
      return {
        kind: 'bed',
        bedPath: resolveDataPath(text(c, 'bedPath', 'The BED file')),
        referencePath: resolveDataPath(text(c, 'referencePath', 'The reference FASTA')),
        window,
        bothStrands: bool(c, 'bothStrands', 'Both strands', false),
      };
    case 'dataset':
      return {
        kind: 'dataset',
        datasetId: int(c, 'datasetId', 1, Number.MAX_SAFE_INTEGER, 'The corpus dataset'),
        window,
        stride: int(c, 'stride', 1, 1_000_000, 'The stride (bases)'),
      };
    default:
      return bad('The corpus kind must be "fasta", "bed" or "dataset".');
  }
}

function parseRandomMask(value: unknown): RandomMaskSettings {
  if (value === undefined || value === null) return DEFAULT_RANDOM_MASK;
  const r = record(value, 'The RandomMask settings');
  const finalRate = optNum(r, 'finalRate', 0, 0.8, 'The final-phase masking rate');
  return {
    minSpan: optInt(r, 'minSpan', 1, 64, 'The shortest masked span') ?? DEFAULT_RANDOM_MASK.minSpan,
    phases: optInt(r, 'phases', 1, 100, 'The number of phases') ?? DEFAULT_RANDOM_MASK.phases,
    growth: optInt(r, 'growth', 0, 64, 'The span growth per phase') ?? DEFAULT_RANDOM_MASK.growth,
    rate: optNum(r, 'rate', 0.01, 0.8, 'The masking rate') ?? DEFAULT_RANDOM_MASK.rate,
    ...(finalRate === undefined ? {} : { finalRate }),
  };
}

function parseMotifs(value: unknown): MotifFeatureSettings | undefined {
  if (value === undefined || value === null) return undefined;
  const r = record(value, 'The motif settings');
  const scoring = r['scoring'] ?? 'max';
  if (scoring !== 'max' && scoring !== 'sum') bad('The motif scoring must be "max" or "sum".');
  const background = r['background'] ?? 'uniform';
  if (background !== 'uniform' && background !== 'corpus') bad('The motif background must be "uniform" or "corpus".');
  const threshold = optNum(r, 'threshold', -1000, 1000, 'The motif threshold');
  const pseudocount = optNum(r, 'pseudocount', 0, 100, 'The pseudocount');
  const p = r['path'];
  if (p !== undefined && p !== null && typeof p !== 'string') bad('The motif file must be a path.');
  return {
    scoring: scoring as 'max' | 'sum',
    background: background as 'uniform' | 'corpus',
    ...(typeof p === 'string' && p.trim() !== '' ? { path: resolveDataPath(p.trim()) } : {}),
    ...(threshold === undefined ? {} : { threshold }),
    ...(pseudocount === undefined ? {} : { pseudocount }),
  };
}

export function parseObjectives(value: unknown): PretrainObjectives {
  const o = record(value, 'The pretraining objectives');
  const masking = o['masking'] ?? 'randommask';
  if (masking !== 'plain' && masking !== 'randommask') bad('The masking must be "plain" (DNABERT) or "randommask".');
  const srm = bool(o, 'srm', 'Sequence-region matching', false);
  let temperature: PretrainObjectives['temperature'];
  if (o['temperature'] !== undefined && o['temperature'] !== null) {
    const t = record(o['temperature'], 'The temperature');
    temperature = { learnable: bool(t, 'learnable', 'A learnable temperature', true), initial: num(t, 'initial', 0.001, 10, 'The temperature') };
  }
  const lambda = optNum(o, 'srmLambda', 0, 100, 'The SRM weight (lambda)');
  const regionGroup = optInt(o, 'regionGroup', 1, 64, 'The regions per GeneBERT sample');
  const motifs = parseMotifs(o['motifs']);
  return {
    masking: masking as 'plain' | 'randommask',
    ...(masking === 'randommask' ? { randomMask: parseRandomMask(o['randomMask']) } : {}),
    ngsp: bool(o, 'ngsp', 'Next-segment prediction', false),
    srm,
    ...(lambda === undefined ? {} : { srmLambda: lambda }),
    ...(temperature ? { temperature } : {}),
    ...(regionGroup === undefined ? {} : { regionGroup }),
    ...(motifs ? { motifs } : {}),
  };
}

type PretrainCore = Omit<PretrainSettings, 'objectives' | 'name'>;

function parseCore(r: Record<string, unknown>): PretrainCore {
  const m = record(r['model'], 'The model');
  const preset = m['preset'] ?? 'cpu-quick';
  if (preset !== 'cpu-quick' && preset !== 'paper' && preset !== 'custom') bad('The model preset must be "cpu-quick", "paper" or "custom".');
  const k = m['k'] ?? 6;
  if (k !== 3 && k !== 4 && k !== 5 && k !== 6) bad('The k-mer size must be 3, 4, 5 or 6.');
  const layers = optInt(m, 'layers', 1, 24, 'The number of layers');
  const hidden = optInt(m, 'hidden', 8, 2048, 'The hidden size');
  const heads = optInt(m, 'heads', 1, 32, 'The number of heads');
  const intermediate = optInt(m, 'intermediate', 8, 8192, 'The FFN size');
  const model = {
    preset: preset as PretrainSettings['model']['preset'],
    k: k as 3 | 4 | 5 | 6,
    ...(layers === undefined ? {} : { layers }),
    ...(hidden === undefined ? {} : { hidden }),
    ...(heads === undefined ? {} : { heads }),
    ...(intermediate === undefined ? {} : { intermediate }),
  };
  const h = hidden ?? (preset === 'paper' ? 768 : 256);
  const nh = heads ?? (preset === 'paper' ? 12 : 4);
  if (h % nh !== 0) bad(`The hidden size ${h} must be a multiple of the ${nh} heads.`);
  const corpus = parseCorpus(r['corpus']);
  const kk = model.k;
  if (corpus.window - kk + 3 > 512) bad(`A window of ${corpus.window} bases gives ${corpus.window - kk + 3} tokens; BERT takes at most 512. Use a window of at most ${512 + kk - 3} bases.`);
  const steps = int(r, 'steps', 1, 10_000_000, 'The number of steps');
  const warmup = optNum(r, 'warmup', 0, 0.5, 'The warm-up fraction');
  const weightDecay = optNum(r, 'weightDecay', 0, 1, 'The weight decay');
  const validationFraction = optNum(r, 'validationFraction', 0, 0.5, 'The validation fraction');
  const evalEvery = optInt(r, 'evalEvery', 1, 10_000_000, 'The steps between checkpoints');
  const threads = optInt(r, 'threads', 1, 64, 'The number of threads');
  return {
    corpus,
    model,
    steps,
    batchSize: int(r, 'batchSize', 2, 4096, 'The batch size'),
    learningRate: num(r, 'learningRate', 1e-7, 1, 'The learning rate'),
    ...(warmup === undefined ? {} : { warmup }),
    ...(weightDecay === undefined ? {} : { weightDecay }),
    ...(validationFraction === undefined ? {} : { validationFraction }),
    ...(evalEvery === undefined ? {} : { evalEvery }),
    seed: int(r, 'seed', 0, 2 ** 31 - 1, 'The seed'),
    ...(threads === undefined ? {} : { threads }),
  };
}

/** RandomMask's shortest span is k by default (the paper's 6 is its k): DNABERT's k tokens around a centre. */
function withK(o: PretrainObjectives, raw: unknown, k: number): PretrainObjectives {
  if (o.masking !== 'randommask' || !o.randomMask) return o;
  const given = (raw as { randomMask?: { minSpan?: unknown } } | null)?.randomMask?.minSpan;
  return given === undefined || given === null ? { ...o, randomMask: { ...o.randomMask, minSpan: k } } : o;
}

export function parsePretrainSettings(value: unknown): PretrainSettings {
  const r = record(value, 'The pretraining settings');
  const name = optName(r);
  const core = parseCore(r);
  return { ...(name === undefined ? {} : { name }), ...core, objectives: withK(parseObjectives(r['objectives']), r['objectives'], core.model.k) };
}

export function parseAblationSettings(value: unknown): AblationSettings {
  const r = record(value, 'The ablation settings');
  const name = optName(r);
  const arms = r['arms'];
  if (!Array.isArray(arms) || arms.length === 0 || arms.length > 16) bad('The ablation needs 1 to 16 arms.');
  const pretrain = parseCore(record(r['pretrain'], 'The pretraining settings'));
  const parsed: AblationArm[] = (arms as unknown[]).map((a, i) => {
    const arm = record(a, `Arm ${i + 1}`);
    const label = typeof arm['label'] === 'string' && arm['label'].trim() !== '' ? arm['label'].trim() : `arm ${i + 1}`;
    return { label, objectives: withK(parseObjectives(arm['objectives']), arm['objectives'], pretrain.model.k) };
  });
  const ft = record(r['fineTune'], 'The fine-tuning settings');
  return {
    ...(name === undefined ? {} : { name }),
    pretrain,
    arms: parsed,
    datasetId: int(r, 'datasetId', 1, Number.MAX_SAFE_INTEGER, 'The dataset'),
    repeats: int(r, 'repeats', 1, 20, 'The repeats'),
    fineTune: {
      epochs: int(ft, 'epochs', 1, 1000, 'The fine-tuning epochs'),
      batchSize: int(ft, 'batchSize', 2, 4096, 'The fine-tuning batch size'),
      learningRate: num(ft, 'learningRate', 1e-7, 1, 'The fine-tuning learning rate'),
    },
  };
}

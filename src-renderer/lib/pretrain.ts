/** The Pretrain form: its draft, presets, the region people write, the problems that block it and the settings it sends. */
import type { CorpusSource, PretrainObjectives, PretrainSettings } from '../../src-shared/api/pretraining';
import type { BertPreset } from '../../src-shared/api/training';
import type { NumberText } from './import-options';
import { BERT_PRESETS, type KmerK } from './training';

/**
 * The bundled hg38 chr2 region (2.3 Mb), as a path relative to the application folder: the service resolves
 * `resources/…` against the folder the app runs from (a checkout, or app.asar), so the renderer needs no absolute path.
 */
export const BUNDLED_CHR2_FASTA = 'resources/data/reference_hg38_chr2_1-2333275/chr2_1-2333275.fa.gz';
/** What the bundled FASTA holds (record chr2, bases 1..2,333,275 of hg38). */
export const BUNDLED_CHR2_LABEL = 'hg38 chr2:1-2,333,275 (bundled with the app)';

export type CorpusKind = CorpusSource['kind'];
export type MaskingKind = PretrainObjectives['masking'];
/** Whole-run presets: model size plus budget. */
export type RunPreset = 'cpu-quick' | 'paper';

/** The Pretrain form's state. Number fields hold what the inputs hold: a number, or '' when left empty. */
export interface PretrainDraft {
  name: string;
  corpusKind: CorpusKind;
  fastaPath: string;
  /** `chr2:1000001-1100000`, 1-based with both ends included; '' = every record, whole. */
  region: string;
  bedPath: string;
  referencePath: string;
  datasetId: number | null;
  window: NumberText;
  stride: NumberText;
  bothStrands: boolean;

  masking: MaskingKind;
  minSpan: NumberText;
  phases: NumberText;
  growth: NumberText;
  /** Percent of tokens masked. */
  ratePct: NumberText;
  /** Percent in the last phase; '' = the same rate. */
  finalRatePct: NumberText;
  ngsp: boolean;
  srm: boolean;
  srmLambda: NumberText;
  temperature: NumberText;
  learnableTemperature: boolean;
  regionGroup: NumberText;
  /** '' = the bundled JASPAR 2024 set. */
  motifPath: string;
  scoring: 'max' | 'sum';
  background: 'uniform' | 'corpus';

  preset: BertPreset;
  layers: NumberText;
  hidden: NumberText;
  heads: NumberText;
  intermediate: NumberText;
  k: KmerK;
  steps: NumberText;
  batchSize: NumberText;
  learningRate: NumberText;
  warmupPct: NumberText;
  evalEvery: NumberText;
  validationPct: NumberText;
  seed: NumberText;
  threads: NumberText;
}

/** The whole-run presets: what each sets. "Paper" is DNABERT/GeneBERT's pretraining (120k steps, batch 2000, 4e-4). */
export const RUN_PRESETS: Readonly<
  Record<RunPreset, Pick<PretrainDraft, 'preset' | 'k' | 'window' | 'stride' | 'steps' | 'batchSize' | 'learningRate' | 'warmupPct' | 'evalEvery'>>
> = {
  'cpu-quick': { preset: 'cpu-quick', k: 6, window: 128, stride: 64, steps: 1000, batchSize: 32, learningRate: 0.0005, warmupPct: 10, evalEvery: 100 },
  paper: { preset: 'paper', k: 6, window: 512, stride: 256, steps: 120_000, batchSize: 2000, learningRate: 0.0004, warmupPct: 8, evalEvery: 5000 },
};

export const RUN_PRESET_LABELS: Readonly<Record<RunPreset, { label: string; help: string }>> = {
  'cpu-quick': {
    label: 'CPU quick',
    help: 'BERT-mini (4 layers × 256), 1,000 steps of 32 windows of 128 bases: tens of minutes on a laptop.',
  },
  paper: {
    label: 'Paper scale',
    help: 'DNABERT-base (12 × 768), 120,000 steps of 2,000 windows as in the papers: needs a GPU cluster, not a laptop.',
  },
};

export function defaultPretrainDraft(): PretrainDraft {
  return {
    name: '',
    corpusKind: 'fasta',
    fastaPath: BUNDLED_CHR2_FASTA,
    region: '',
    bedPath: '',
    referencePath: BUNDLED_CHR2_FASTA,
    datasetId: null,
    bothStrands: true,
    masking: 'randommask',
    minSpan: 6,
    phases: 5,
    growth: 2,
    ratePct: 15,
    finalRatePct: '',
    ngsp: false,
    srm: false,
    srmLambda: 0.5,
    temperature: 0.07,
    learnableTemperature: true,
    regionGroup: 10,
    motifPath: '',
    scoring: 'max',
    background: 'uniform',
    layers: 4,
    hidden: 256,
    heads: 4,
    intermediate: 1024,
    validationPct: 5,
    seed: 42,
    threads: '',
    ...RUN_PRESETS['cpu-quick'],
  };
}

/** Puts a whole-run preset's model size and budget in place (the corpus and the objectives stay). */
export function applyRunPreset(draft: PretrainDraft, preset: RunPreset): void {
  Object.assign(draft, RUN_PRESETS[preset], BERT_PRESETS[preset]);
  if (preset === 'paper') {
    // GeneBERT: 15 % of k-mers masked, 20 % in the last phase.
    draft.ratePct = 15;
    draft.finalRatePct = 20;
  }
}

/** The preset the draft's model and budget match, if any. */
export function matchingRunPreset(draft: PretrainDraft): RunPreset | null {
  for (const preset of ['cpu-quick', 'paper'] as const) {
    const p = RUN_PRESETS[preset];
    const same = (Object.keys(p) as (keyof typeof p)[]).every((key) => String(draft[key]) === String(p[key]));
    if (same) return preset;
  }
  return null;
}

export function num(value: NumberText | undefined | null): number | undefined {
  if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) return undefined;
  const n = typeof value === 'number' ? value : Number(value);
  return Number.isFinite(n) ? n : undefined;
}

/** A whole number, or undefined when empty or not whole. */
export function whole(value: NumberText | undefined | null): number | undefined {
  const n = num(value);
  return n === undefined || !Number.isInteger(n) ? undefined : n;
}

export type RegionParse =
  | { readonly ok: true; readonly region: { readonly record: string; readonly start: number; readonly end: number } | null }
  | { readonly ok: false; readonly problem: string };

/**
 * A region as people write it, `chr2:1,000,001-1,100,000` (1-based, both ends included), to the 0-based half-open
 * range the service reads. Empty means no region (every record, whole).
 */
export function parseRegion(text: string): RegionParse {
  const t = text.trim();
  if (t === '') return { ok: true, region: null };
  const m = /^([^\s:]+):([\d,_]+)\s*-\s*([\d,_]+)$/.exec(t);
  if (m === null) {
    return { ok: false, problem: `"${t}" is not a region: write it as chr2:1000001-1100000 (1-based, both ends included).` };
  }
  const start = Number(m[2]!.replace(/[,_]/g, ''));
  const end = Number(m[3]!.replace(/[,_]/g, ''));
  if (!Number.isSafeInteger(start) || start < 1) return { ok: false, problem: 'The region starts at base 1 or later (positions are 1-based).' };
  if (!Number.isSafeInteger(end) || end < start) return { ok: false, problem: `The region's end (${end}) must not be before its start (${start}).` };
  return { ok: true, region: { record: m[1]!, start: start - 1, end } };
}

/** The region back in the 1-based form people write. */
export function formatRegion(region: { readonly record: string; readonly start: number; readonly end: number }): string {
  return `${region.record}:${(region.start + 1).toLocaleString('en-US')}-${region.end.toLocaleString('en-US')}`;
}

/** Shortest window the service takes (bases). */
export const MIN_WINDOW = 16;
/** Highest masking rate the service takes (percent): above it too little context is left to guess from. */
const MAX_RATE_PCT = 80;

/** Longest window whose overlapping k-mers, with [CLS] and [SEP], fit BERT's 512 tokens. */
export function maxWindow(k: number): number {
  return 510 + k - 1;
}

export function corpusProblems(draft: PretrainDraft): string[] {
  const problems: string[] = [];
  const window = whole(draft.window);
  const limit = maxWindow(draft.k);
  if (window === undefined || window < MIN_WINDOW) problems.push(`The window must be a whole number of at least ${MIN_WINDOW} bases.`);
  else if (window > limit) problems.push(`A window of ${window} bases does not fit BERT's 512 tokens with ${draft.k}-mers: use at most ${limit}.`);
  if (draft.corpusKind !== 'bed') {
    const stride = whole(draft.stride);
    if (stride === undefined || stride < 1) problems.push('The stride must be a whole number of at least 1 base.');
  }
  if (draft.corpusKind === 'fasta') {
    if (draft.fastaPath.trim() === '') problems.push('Enter the FASTA file to pretrain on.');
    const region = parseRegion(draft.region);
    if (!region.ok) problems.push(region.problem);
    else if (region.region !== null && window !== undefined && region.region.end - region.region.start < window) {
      problems.push(`The region is shorter than one window of ${window} bases: widen it or shorten the window.`);
    }
  } else if (draft.corpusKind === 'bed') {
    if (draft.bedPath.trim() === '') problems.push('Enter the BED file of regions (e.g. ATAC-seq peaks).');
    if (draft.referencePath.trim() === '') problems.push('Enter the reference FASTA the BED regions are on.');
  } else if (draft.datasetId === null) {
    problems.push('Choose the dataset whose sequences to pretrain on.');
  }
  return problems;
}

export function objectiveProblems(draft: PretrainDraft): string[] {
  const problems: string[] = [];
  const rate = num(draft.ratePct);
  if (rate === undefined || rate < 1 || rate > MAX_RATE_PCT) problems.push(`The masking rate must be from 1 to ${MAX_RATE_PCT}%.`);
  if (draft.masking === 'randommask') {
    const minSpan = whole(draft.minSpan);
    const phases = whole(draft.phases);
    const growth = whole(draft.growth);
    if (minSpan === undefined || minSpan < 1) problems.push('RandomMask: the shortest span must be at least 1 token.');
    if (phases === undefined || phases < 1) problems.push('RandomMask: there must be at least 1 phase.');
    if (growth === undefined || growth < 0) problems.push('RandomMask: the growth per phase must be 0 or more tokens.');
    const finalRate = num(draft.finalRatePct);
    if (String(draft.finalRatePct).trim() !== '' && (finalRate === undefined || finalRate < 1 || finalRate > MAX_RATE_PCT)) {
      problems.push(`RandomMask: the last phase rate must be from 1 to ${MAX_RATE_PCT}% (or empty for the same rate).`);
    }
    const steps = whole(draft.steps);
    if (phases !== undefined && steps !== undefined && steps >= 1 && steps < phases) problems.push('RandomMask: there must be at least as many steps as phases.');
  }
  if (draft.srm) {
    const lambda = num(draft.srmLambda);
    const t = num(draft.temperature);
    const group = whole(draft.regionGroup);
    if (lambda === undefined || lambda <= 0) problems.push('Sequence-region matching: λ must be above 0 (the paper uses 0.5).');
    if (t === undefined || t <= 0) problems.push('Sequence-region matching: the temperature must be above 0.');
    if (group === undefined || group < 1) problems.push('Sequence-region matching: at least 1 region per sample.');
  }
  return problems;
}

function modelProblems(draft: PretrainDraft): string[] {
  if (draft.preset !== 'custom') return [];
  const layers = whole(draft.layers);
  const hidden = whole(draft.hidden);
  const heads = whole(draft.heads);
  if (layers === undefined || layers < 1 || hidden === undefined || hidden < 1 || heads === undefined || heads < 1) {
    return ['Custom sizes: layers, hidden size and heads must be whole numbers of at least 1.'];
  }
  if (hidden % heads !== 0) return ['Custom sizes: the hidden size must be a multiple of the number of heads.'];
  return [];
}

/** Problems with the model size and the budget (shared by a pretraining run and an ablation). */
export function budgetProblems(draft: PretrainDraft): string[] {
  const problems = modelProblems(draft);
  const steps = whole(draft.steps);
  if (steps === undefined || steps < 1) problems.push('Steps must be a whole number of at least 1.');
  const batch = whole(draft.batchSize);
  if (batch === undefined || batch < 2) problems.push('Batch size must be a whole number of at least 2.');
  const lr = num(draft.learningRate);
  if (lr === undefined || lr <= 0) problems.push('The learning rate must be above 0.');
  const warmup = num(draft.warmupPct);
  if (warmup !== undefined && (warmup < 0 || warmup > 50)) problems.push('Warm-up must be between 0 and 50% of the steps.');
  const evalEvery = whole(draft.evalEvery);
  if (String(draft.evalEvery).trim() !== '' && (evalEvery === undefined || evalEvery < 1)) problems.push('Validate every 1 step or more (or leave it empty).');
  const v = num(draft.validationPct);
  if (v === undefined || v < 0 || v >= 50) problems.push('The validation share must be between 0 and 50%.');
  const seed = whole(draft.seed);
  if (seed === undefined || seed < 0) problems.push('Enter a seed (a whole number, 0 or more).');
  return problems;
}

/** The problems that keep the form from being sent, in words; empty when it can be sent. */
export function pretrainProblems(draft: PretrainDraft): string[] {
  return [...corpusProblems(draft), ...objectiveProblems(draft), ...budgetProblems(draft)];
}

export function draftCorpus(draft: PretrainDraft): CorpusSource {
  const window = whole(draft.window) ?? 256;
  const stride = whole(draft.stride) ?? window;
  if (draft.corpusKind === 'bed') {
    return { kind: 'bed', bedPath: draft.bedPath.trim(), referencePath: draft.referencePath.trim(), window, bothStrands: draft.bothStrands };
  }
  if (draft.corpusKind === 'dataset') return { kind: 'dataset', datasetId: draft.datasetId ?? 0, window, stride };
  const region = parseRegion(draft.region);
  return {
    kind: 'fasta',
    path: draft.fastaPath.trim(),
    ...(region.ok && region.region !== null ? { region: region.region } : {}),
    window,
    stride,
    bothStrands: draft.bothStrands,
  };
}

/** The objectives the draft's toggles describe; `on` overrides which losses are on (for ablation arms). */
export function draftObjectives(
  draft: PretrainDraft,
  on: { masking: MaskingKind; ngsp: boolean; srm: boolean } = { masking: draft.masking, ngsp: draft.ngsp, srm: draft.srm },
): PretrainObjectives {
  const finalRate = num(draft.finalRatePct);
  return {
    masking: on.masking,
    ...(on.masking === 'randommask'
      ? {
          randomMask: {
            minSpan: whole(draft.minSpan) ?? 6,
            phases: whole(draft.phases) ?? 5,
            growth: whole(draft.growth) ?? 2,
            rate: (num(draft.ratePct) ?? 15) / 100,
            ...(finalRate === undefined ? {} : { finalRate: finalRate / 100 }),
          },
        }
      : {}),
    ngsp: on.ngsp,
    srm: on.srm,
    ...(on.srm
      ? {
          srmLambda: num(draft.srmLambda) ?? 0.5,
          temperature: { learnable: draft.learnableTemperature, initial: num(draft.temperature) ?? 0.07 },
          regionGroup: whole(draft.regionGroup) ?? 10,
          motifs: {
            ...(draft.motifPath.trim() === '' ? {} : { path: draft.motifPath.trim() }),
            scoring: draft.scoring,
            background: draft.background,
          },
        }
      : {}),
  };
}

function draftModel(draft: PretrainDraft): PretrainSettings['model'] {
  const sizes =
    draft.preset === 'custom'
      ? {
          layers: whole(draft.layers) ?? 4,
          hidden: whole(draft.hidden) ?? 256,
          heads: whole(draft.heads) ?? 4,
          ...(whole(draft.intermediate) === undefined ? {} : { intermediate: whole(draft.intermediate) }),
        }
      : {};
  return { preset: draft.preset, ...sizes, k: draft.k };
}

/** Everything but the objectives and the name: what an ablation's arms share. */
export function draftBudget(draft: PretrainDraft): Omit<PretrainSettings, 'objectives' | 'name'> {
  const threads = whole(draft.threads);
  const evalEvery = whole(draft.evalEvery);
  return {
    corpus: draftCorpus(draft),
    model: draftModel(draft),
    steps: whole(draft.steps)!,
    batchSize: whole(draft.batchSize)!,
    learningRate: num(draft.learningRate)!,
    warmup: (num(draft.warmupPct) ?? 0) / 100,
    validationFraction: (num(draft.validationPct) ?? 0) / 100,
    ...(evalEvery === undefined ? {} : { evalEvery }),
    seed: whole(draft.seed)!,
    ...(threads === undefined || threads <= 0 ? {} : { threads }),
  };
}

/** The PretrainSettings the form describes (null while it has problems). Fields left empty are left out. */
export function draftToPretrainSettings(draft: PretrainDraft): PretrainSettings | null {
  if (pretrainProblems(draft).length > 0) return null;
  const name = draft.name.trim();
  return { ...(name === '' ? {} : { name }), ...draftBudget(draft), objectives: draftObjectives(draft) };
}

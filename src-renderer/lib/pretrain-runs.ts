/** Pretraining runs in words (settings, corpus, objectives) and pretrain/ablation job results read off the wire. */
import type { JobDto } from '../../src-shared/api/dto';
import type { AblationSummary, CorpusSource, PretrainObjectives, PretrainSettings, PretrainSummary } from '../../src-shared/api/pretraining';
import type { BertPreset } from '../../src-shared/api/training';
import { formatCount, formatNumber } from './format';
import { BUNDLED_CHR2_FASTA, BUNDLED_CHR2_LABEL, formatRegion } from './pretrain';
import { BERT_PRESETS, formatLearningRate, PRESET_LABELS, type KmerK } from './training';

export function describeCorpus(corpus: CorpusSource, datasetName: (id: number) => string | undefined = () => undefined): string {
  if (corpus.kind === 'fasta') {
    const region = corpus.region === undefined ? 'every record' : formatRegion(corpus.region);
    return `${corpus.path === BUNDLED_CHR2_FASTA ? BUNDLED_CHR2_LABEL : corpus.path}, ${region}; windows of ${corpus.window} bases every ${corpus.stride}${corpus.bothStrands ? ', both strands' : ''}`;
  }
  if (corpus.kind === 'bed') {
    return `regions of ${corpus.bedPath} on ${corpus.referencePath}, ${corpus.window} bases around their centre${corpus.bothStrands ? ', both strands' : ''}`;
  }
  const name = datasetName(corpus.datasetId);
  return `the sequences of dataset ${name === undefined ? `#${corpus.datasetId}` : `"${name}"`} (labels ignored), windows of ${corpus.window} bases every ${corpus.stride}`;
}

export function describeObjectives(o: PretrainObjectives): string {
  const parts = [o.masking === 'randommask' ? 'RandomMask curriculum' : 'plain masking (DNABERT)'];
  if (o.ngsp) parts.push('NGSP');
  if (o.srm) parts.push(`SRM (λ ${o.srmLambda ?? 0.5})`);
  return parts.join(' + ');
}

/** The settings of a pretraining run as label/value rows, in words. */
export function describePretrainSettings(
  s: PretrainSettings,
  datasetName: (id: number) => string | undefined = () => undefined,
): { label: string; value: string }[] {
  const preset = s.model.preset === 'custom' ? null : BERT_PRESETS[s.model.preset];
  const rows: { label: string; value: string }[] = [
    { label: 'Corpus', value: describeCorpus(s.corpus, datasetName) },
    { label: 'Model', value: `k-mer BERT, ${PRESET_LABELS[s.model.preset]}` },
    {
      label: 'Size',
      value: `${s.model.layers ?? preset?.layers ?? '?'} layers, hidden ${s.model.hidden ?? preset?.hidden ?? '?'}, ${s.model.heads ?? preset?.heads ?? '?'} heads`,
    },
    { label: 'k-mers', value: `${s.model.k}-mers, overlapping (DNABERT vocabulary)` },
    { label: 'Objectives', value: describeObjectives(s.objectives) },
  ];
  const rm = s.objectives.randomMask;
  if (s.objectives.masking === 'randommask' && rm !== undefined) {
    rows.push({
      label: 'Curriculum',
      value: `${rm.phases} phases, spans from ${rm.minSpan} tokens, the longest growing by ${rm.growth} per phase; ${formatNumber(rm.rate * 100)}% masked${
        rm.finalRate === undefined || rm.finalRate === 0 ? '' : `, ${formatNumber(rm.finalRate * 100)}% in the last phase`
      }`,
    });
  }
  if (s.objectives.srm) {
    const m = s.objectives.motifs;
    rows.push({
      label: 'Region features',
      value: `${m?.path ?? 'bundled JASPAR 2024 CORE vertebrates'}, ${m?.scoring === 'sum' ? 'sum of hits' : 'best hit'} per motif, ${s.objectives.regionGroup ?? 10} regions per sample; temperature ${s.objectives.temperature?.initial ?? 0.07}${s.objectives.temperature?.learnable === false ? ' (fixed)' : ' (learnt)'}`,
    });
  }
  rows.push(
    { label: 'Steps', value: formatCount(s.steps) },
    { label: 'Batch size', value: String(s.batchSize) },
    { label: 'Learning rate', value: formatLearningRate(s.learningRate) },
    { label: 'Warm-up', value: `${Math.round((s.warmup ?? 0) * 100)}% of the steps` },
    { label: 'Validation', value: `${Math.round((s.validationFraction ?? 0) * 100)}% of the windows held out` },
    { label: 'Seed', value: String(s.seed) },
    { label: 'Threads', value: s.threads === undefined ? 'all cores' : String(s.threads) },
  );
  return rows;
}

/** The Train form's model fields that match a pretraining run's model, so fine-tuning starts from it unchanged. */
export function trainModelFromPretrain(s: PretrainSettings): { preset: BertPreset; layers?: number; hidden?: number; heads?: number; intermediate?: number; k: KmerK } {
  const m = s.model;
  return {
    preset: m.preset,
    k: m.k,
    ...(m.layers === undefined ? {} : { layers: m.layers }),
    ...(m.hidden === undefined ? {} : { hidden: m.hidden }),
    ...(m.heads === undefined ? {} : { heads: m.heads }),
    ...(m.intermediate === undefined ? {} : { intermediate: m.intermediate }),
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** A pretrain job's result (unknown on the wire). */
export function asPretrainSummary(value: unknown): PretrainSummary | null {
  if (!isRecord(value) || typeof value['id'] !== 'number' || !Array.isArray(value['schedule']) || !Array.isArray(value['history'])) return null;
  return value as unknown as PretrainSummary;
}

/** An ablation job's result. */
export function asAblationSummary(value: unknown): AblationSummary | null {
  if (!isRecord(value) || typeof value['id'] !== 'number' || !Array.isArray(value['pretrainIds'])) return null;
  return value as unknown as AblationSummary;
}

/** The pretraining run a job works on: its result, the run id in its params, the run it resumes, or the newest since. */
export function pretrainRunIdOfJob(job: JobDto, runs: readonly PretrainSummary[]): number | null {
  const result = asPretrainSummary(job.result);
  if (result !== null) return result.id;
  const params = job.params;
  if (typeof params['runId'] === 'number') return params['runId'];
  if (typeof params['resumeRunId'] === 'number') return params['resumeRunId'];
  const since = Date.parse(job.createdAt);
  const candidates = runs.filter((r) => !(Date.parse(r.createdAt) < since - 1000));
  if (candidates.length === 0) return null;
  return candidates.reduce((a, b) => (b.id > a.id ? b : a)).id;
}

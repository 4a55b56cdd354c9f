/** The ablation of GeneBERT's Table 5: which combinations of losses to pretrain, and its result as one row per arm. */
import type { AblationArm, AblationSettings, AblationSummary, PretrainObjectives } from '../../src-shared/api/pretraining';
import type { CompareRow } from '../../src-shared/api/training';
import type { NumberText } from './import-options';
import {
  budgetProblems,
  corpusProblems,
  draftBudget,
  draftObjectives,
  num,
  objectiveProblems,
  whole,
  type MaskingKind,
  type PretrainDraft,
} from './pretrain';
import { ARM_LABELS } from './training';

export interface AblationArmChoice {
  readonly id: string;
  readonly label: string;
  readonly help: string;
  readonly masking: MaskingKind;
  readonly ngsp: boolean;
  readonly srm: boolean;
  /** Chosen when the form opens. */
  readonly byDefault: boolean;
}

/** The combinations of Table 5 (plus the RandomMask variants); BERT from random weights is always the baseline. */
export const ABLATION_ARMS: readonly AblationArmChoice[] = [
  { id: 'mgm', label: 'MGM', help: 'Masked genome modelling, plain DNABERT masking (Table 5, row 2).', masking: 'plain', ngsp: false, srm: false, byDefault: true },
  { id: 'mgm-ngsp', label: 'MGM + NGSP', help: 'Adds next-segment prediction (row 3).', masking: 'plain', ngsp: true, srm: false, byDefault: true },
  { id: 'mgm-ngsp-srm', label: 'MGM + NGSP + SRM', help: 'GeneBERT: adds sequence-region matching (row 4).', masking: 'plain', ngsp: true, srm: true, byDefault: true },
  { id: 'rm', label: 'RandomMask', help: 'Masked genome modelling with the RandomMask curriculum.', masking: 'randommask', ngsp: false, srm: false, byDefault: true },
  { id: 'rm-ngsp', label: 'RandomMask + NGSP', help: 'The curriculum plus next-segment prediction.', masking: 'randommask', ngsp: true, srm: false, byDefault: false },
  { id: 'rm-ngsp-srm', label: 'RandomMask + NGSP + SRM', help: 'Everything on.', masking: 'randommask', ngsp: true, srm: true, byDefault: false },
];

export interface AblationDraft {
  name: string;
  arms: Record<string, boolean>;
  datasetId: number | null;
  repeats: NumberText;
  epochs: NumberText;
  batchSize: NumberText;
  learningRate: NumberText;
}

export function defaultAblationDraft(): AblationDraft {
  return {
    name: '',
    arms: Object.fromEntries(ABLATION_ARMS.map((a) => [a.id, a.byDefault])),
    datasetId: null,
    repeats: 3,
    epochs: 3,
    batchSize: 32,
    learningRate: 0.0001,
  };
}

export function chosenAblationArms(ablation: AblationDraft): AblationArmChoice[] {
  return ABLATION_ARMS.filter((a) => ablation.arms[a.id] === true);
}

export function ablationProblems(draft: PretrainDraft, ablation: AblationDraft): string[] {
  const problems = [...corpusProblems(draft), ...budgetProblems(draft)];
  const arms = chosenAblationArms(ablation);
  if (arms.length === 0) problems.push('Choose at least one combination of losses to pretrain.');
  if (arms.some((a) => a.masking === 'randommask') || arms.some((a) => a.srm)) {
    // The arms take their RandomMask and SRM parameters from the form.
    const withAll: PretrainDraft = { ...draft, masking: arms.some((a) => a.masking === 'randommask') ? 'randommask' : draft.masking, srm: arms.some((a) => a.srm) };
    problems.push(...objectiveProblems(withAll));
  } else {
    problems.push(...objectiveProblems({ ...draft, masking: 'plain', srm: false }));
  }
  if (ablation.datasetId === null) problems.push('Choose the labelled dataset to fine-tune on.');
  const repeats = whole(ablation.repeats);
  if (repeats === undefined || repeats < 2) problems.push('At least 2 repeats are needed for a standard deviation.');
  const epochs = whole(ablation.epochs);
  if (epochs === undefined || epochs < 1) problems.push('Fine-tuning: epochs must be at least 1.');
  const batch = whole(ablation.batchSize);
  if (batch === undefined || batch < 2) problems.push('Fine-tuning: the batch size must be at least 2.');
  const lr = num(ablation.learningRate);
  if (lr === undefined || lr <= 0) problems.push('Fine-tuning: the learning rate must be above 0.');
  return [...new Set(problems)];
}

export function ablationToSettings(draft: PretrainDraft, ablation: AblationDraft): AblationSettings | null {
  if (ablationProblems(draft, ablation).length > 0 || ablation.datasetId === null) return null;
  const name = ablation.name.trim();
  const arms: AblationArm[] = chosenAblationArms(ablation).map((a) => ({ label: a.label, objectives: draftObjectives(draft, a) }));
  return {
    ...(name === '' ? {} : { name }),
    pretrain: draftBudget(draft),
    arms,
    datasetId: ablation.datasetId,
    repeats: whole(ablation.repeats)!,
    fineTune: { epochs: whole(ablation.epochs)!, batchSize: whole(ablation.batchSize)!, learningRate: num(ablation.learningRate)! },
  };
}

/** One arm's line of the ablation table. */
export interface AblationRow {
  readonly label: string;
  /** What the arm pretrained with; null for BERT from random weights. */
  readonly objectives: PretrainObjectives | null;
  /** The fine-tuning runs' model name, when the service labels them (e.g. "pretraining 8"). */
  readonly modelLabel: string | null;
  readonly mcc: CompareRow | null;
  readonly accuracy: CompareRow | null;
}

/** The column a compare row belongs to: its own label when the service gives one (several pretrained models), else its arm's. */
export function compareRowLabel(row: CompareRow, pretrainedLabels: readonly string[] = []): string {
  if (typeof row.label === 'string' && row.label !== '') return row.label;
  if (row.arm === 'bert-pretrained' && pretrainedLabels.length === 1) return pretrainedLabels[0]!;
  return ARM_LABELS[row.arm];
}

/**
 * The ablation's result as one row per arm: BERT from random weights first, then the arms in the order asked. A
 * pretrained row is tied to its arm by its model (the comparison's pretrained models are in the arms' order), else by
 * its label.
 */
export function ablationRows(summary: AblationSummary): AblationRow[] {
  const compare = summary.compare;
  const arms = summary.settings.arms;
  const armOfModel = new Map((compare?.settings.pretrainedModelIds ?? []).map((id, i) => [id, i] as const));
  const armIndex = (row: CompareRow): number | null => {
    if (row.arm !== 'bert-pretrained') return null;
    if (row.modelId !== undefined && armOfModel.has(row.modelId)) return armOfModel.get(row.modelId)!;
    const byLabel = arms.findIndex((a) => a.label === row.label);
    if (byLabel !== -1) return byLabel;
    return arms.length === 1 ? 0 : null;
  };
  const rows = new Map<string, { order: number; row: { -readonly [K in keyof AblationRow]: AblationRow[K] } }>();
  for (const r of compare?.table ?? []) {
    const index = armIndex(r);
    const arm = index === null ? undefined : arms[index];
    const label = arm?.label ?? compareRowLabel(r);
    let entry = rows.get(label);
    if (entry === undefined) {
      const order = r.arm === 'bert-random' ? -1 : (index ?? arms.length);
      const modelLabel = r.label !== undefined && r.label !== label ? r.label : null;
      entry = { order, row: { label, objectives: arm?.objectives ?? null, modelLabel, mcc: null, accuracy: null } };
      rows.set(label, entry);
    }
    if (r.metric === 'mcc') entry.row.mcc = r;
    if (r.metric === 'accuracy') entry.row.accuracy = r;
  }
  return [...rows.values()].sort((a, b) => a.order - b.order).map((e) => e.row);
}

/**
 * The import wizard's form model (a "draft" the controls edit) and how it becomes the ImportOptions sent to
 * datasets.validate and datasets.import. Pure functions, so the mapping can be read and tested in one place.
 */
import type { ImportFormat, ImportOptions, ImportPreview, LabelSource, SplitRule } from '../../src-shared/api/datasets';
import { baseName } from './format';
import { isTableFormat } from './datasets';

export type ConcreteFormat = Exclude<ImportFormat, 'auto'>;
export type LabelMode = LabelSource['from'];
export type SplitMode = SplitRule['mode'];
/** What a number input's v-model holds: a number, or '' when empty. */
export type NumberText = number | string;

export interface ImportDraft {
  name: string;
  description: string;
  labelMode: LabelMode;
  /** Source path -> class name, for one class per file. */
  fileLabels: Record<string, string>;
  headerPattern: string;
  /** 0-based indexes into preview.columns; null when not chosen. */
  sequenceColumn: number | null;
  labelColumn: number | null;
  header: 'yes' | 'no';
  reference: string;
  flank: NumberText;
  resizeTo: NumberText;
  reverseComplementMinus: boolean;
  ambiguous: ImportOptions['ambiguous'];
  invalid: ImportOptions['invalid'];
  minLength: NumberText;
  maxLength: NumberText;
  duplicates: ImportOptions['duplicates'];
  leakage: ImportOptions['leakage'];
  splitMode: SplitMode;
  seed: NumberText;
  trainPct: NumberText;
  validationPct: NumberText;
  testPct: NumberText;
  validationChromosomes: string;
  testChromosomes: string;
}

export interface DraftProblem {
  /** The wizard step whose controls fix it: 2 (preview and mapping) or 3 (policies and split). */
  readonly step: 2 | 3;
  readonly message: string;
}

/** The label sources that make sense for a format, in the order they are offered. */
export function labelModesFor(format: ConcreteFormat): readonly LabelMode[] {
  if (format === 'fasta') return ['file', 'header-regex', 'none'];
  if (format === 'bed') return ['bed-name', 'file', 'none'];
  return ['column', 'file', 'none'];
}

/** The split rules that make sense for a preview: given ones only when the sources carry splits, chromosomes for BED. */
export function splitModesFor(preview: ImportPreview): readonly SplitMode[] {
  const modes: SplitMode[] = [];
  if (preview.sources.some((s) => s.split !== null) || preview.suggested.split.mode === 'given') modes.push('given');
  modes.push('random');
  if (preview.format === 'bed') modes.push('chromosome');
  return modes;
}

function stripExtensions(name: string): string {
  return name.replace(/(\.(gz|bgz|bz2|zip))+$/i, '').replace(/\.[^.]+$/, '') || name;
}

/** The class a file stands for when nothing else says: what the preview found, else its name without extensions. */
export function defaultFileLabel(source: ImportPreview['sources'][number]): string {
  return source.label ?? stripExtensions(baseName(source.path));
}

function columnIndex(columns: readonly string[], value: string | undefined): number | null {
  if (value === undefined || value === '') return null;
  const byName = columns.indexOf(value);
  if (byName >= 0) return byName;
  const asNumber = Number(value);
  if (Number.isInteger(asNumber) && asNumber >= 1 && asNumber <= columns.length) return asNumber - 1;
  return null;
}

function guessColumn(columns: readonly string[], names: readonly string[]): number | null {
  const index = columns.findIndex((c) => names.includes(c.trim().toLowerCase()));
  return index < 0 ? null : index;
}

function pct(fraction: number): number {
  return Math.round(fraction * 1000) / 10;
}

/**
 * The draft the wizard starts from after a preview: the service's suggestion. After a re-preview (another format),
 * what the user typed that does not depend on the format is kept: name, description, policies and a split rule that
 * still applies.
 */
export function draftFromPreview(preview: ImportPreview, previous?: ImportDraft): ImportDraft {
  const s = preview.suggested;
  const columns = preview.columns;
  const fileLabels: Record<string, string> = {};
  for (const source of preview.sources) {
    fileLabels[source.path] = s.labels.from === 'file' ? (s.labels.labels[source.path] ?? defaultFileLabel(source)) : defaultFileLabel(source);
  }
  const modes = labelModesFor(preview.format);
  const labelMode: LabelMode = modes.includes(s.labels.from) ? s.labels.from : 'none';
  const split = s.split;
  const fromSuggestion: ImportDraft = {
    name: s.name,
    description: s.description ?? '',
    labelMode,
    fileLabels,
    headerPattern: s.labels.from === 'header-regex' ? s.labels.pattern : '',
    sequenceColumn: columnIndex(columns, s.sequenceColumn) ?? guessColumn(columns, ['sequence', 'seq', 'sequences']) ?? (columns.length > 0 ? 0 : null),
    labelColumn:
      s.labels.from === 'column'
        ? columnIndex(columns, s.labels.column)
        : guessColumn(columns, ['label', 'class', 'labels', 'y', 'target']),
    header: s.header === 'no' || (s.header !== 'yes' && !preview.hasHeader) ? 'no' : 'yes',
    reference: s.reference ?? '',
    flank: s.flank ?? '',
    resizeTo: s.resizeTo ?? '',
    reverseComplementMinus: s.reverseComplementMinus ?? true,
    ambiguous: s.ambiguous,
    invalid: s.invalid,
    minLength: s.minLength ?? '',
    maxLength: s.maxLength ?? '',
    duplicates: s.duplicates,
    leakage: s.leakage,
    splitMode: split.mode,
    seed: split.mode === 'random' ? split.seed : 42,
    trainPct: split.mode === 'random' ? pct(split.train) : 80,
    validationPct: split.mode === 'random' ? pct(split.validation) : 10,
    testPct: split.mode === 'random' ? pct(split.test) : 10,
    validationChromosomes: split.mode === 'chromosome' ? split.validation.join(', ') : '',
    testChromosomes: split.mode === 'chromosome' ? split.test.join(', ') : '',
  };
  if (previous === undefined) return fromSuggestion;
  const keepSplit = splitModesFor(preview).includes(previous.splitMode);
  return {
    ...fromSuggestion,
    name: previous.name,
    description: previous.description,
    ambiguous: previous.ambiguous,
    invalid: previous.invalid,
    minLength: previous.minLength,
    maxLength: previous.maxLength,
    duplicates: previous.duplicates,
    leakage: previous.leakage,
    ...(keepSplit
      ? {
          splitMode: previous.splitMode,
          seed: previous.seed,
          trainPct: previous.trainPct,
          validationPct: previous.validationPct,
          testPct: previous.testPct,
          validationChromosomes: previous.validationChromosomes,
          testChromosomes: previous.testChromosomes,
        }
      : {}),
  };
}

/** The value a column is sent as: its header name when the file has a header, else its 1-based number. */
export function columnValue(preview: ImportPreview, header: 'yes' | 'no', index: number): string {
  const name = preview.columns[index];
  return header === 'yes' && preview.hasHeader && name !== undefined ? name : String(index + 1);
}

/** What a header pattern extracts from a header: the first capture group, else the whole match; null when no match. */
export function extractWithPattern(pattern: string, header: string): { label: string | null; error: string | null } {
  let re: RegExp;
  try {
    re = new RegExp(pattern);
  } catch (err) {
    return { label: null, error: err instanceof Error ? err.message : String(err) };
  }
  const match = re.exec(header);
  if (match === null) return { label: null, error: null };
  return { label: match[1] ?? match[0], error: null };
}

type Parsed = { ok: true; value: number | undefined } | { ok: false };

/** An optional whole number within bounds: '' is undefined. */
function parseWhole(value: NumberText, min: number, max = Number.MAX_SAFE_INTEGER): Parsed {
  if (value === '' || (typeof value === 'string' && value.trim() === '')) return { ok: true, value: undefined };
  const n = typeof value === 'number' ? value : Number(value.trim());
  if (!Number.isInteger(n) || n < min || n > max) return { ok: false };
  return { ok: true, value: n };
}

function parsePercent(value: NumberText): number | null {
  if (value === '' || (typeof value === 'string' && value.trim() === '')) return null;
  const n = typeof value === 'number' ? value : Number(value.trim());
  return Number.isFinite(n) && n >= 0 && n <= 100 ? n : null;
}

export function chromosomeList(text: string): string[] {
  return text
    .split(/[\s,;]+/)
    .map((c) => c.trim())
    .filter((c) => c !== '');
}

/** Percentages of a random split, and whether they add up to 100. */
export function splitPercents(draft: ImportDraft): { train: number | null; validation: number | null; test: number | null; sum: number; valid: boolean } {
  const train = parsePercent(draft.trainPct);
  const validation = parsePercent(draft.validationPct);
  const test = parsePercent(draft.testPct);
  const sum = (train ?? 0) + (validation ?? 0) + (test ?? 0);
  const valid = train !== null && validation !== null && test !== null && train > 0 && Math.abs(sum - 100) < 1e-9;
  return { train, validation, test, sum, valid };
}

export interface BuildContext {
  readonly paths: readonly string[];
  readonly preview: ImportPreview;
  /** The format the user picked on the preview step ('auto' keeps the detected one). */
  readonly format: ImportFormat;
}

/**
 * The ImportOptions for a draft, or the problems that keep it from being complete. Only the fields that apply to the
 * format are sent: column and header settings for tables, reference/flank/resize/strand for BED. Optional numbers
 * left empty and an empty description are left out.
 */
export function buildOptions(draft: ImportDraft, ctx: BuildContext): { options: ImportOptions | null; problems: DraftProblem[] } {
  const { preview } = ctx;
  const format: ConcreteFormat = ctx.format === 'auto' ? preview.format : ctx.format;
  const problems: DraftProblem[] = [];
  const need = (step: 2 | 3, message: string): void => {
    problems.push({ step, message });
  };

  const name = draft.name.trim();
  if (name === '') need(2, 'Give the dataset a name.');
  const description = draft.description.trim();

  // Classes.
  let labels: LabelSource = { from: 'none' };
  const labelMode: LabelMode = labelModesFor(format).includes(draft.labelMode) ? draft.labelMode : 'none';
  switch (labelMode) {
    case 'file': {
      const map: Record<string, string> = {};
      for (const source of preview.sources) {
        const label = (draft.fileLabels[source.path] ?? '').trim();
        if (label === '') need(2, `Give the file ${baseName(source.path)} a class name.`);
        map[source.path] = label;
      }
      labels = { from: 'file', labels: map };
      break;
    }
    case 'header-regex': {
      const pattern = draft.headerPattern;
      if (pattern.trim() === '') need(2, 'Type a pattern that finds the class in the FASTA header.');
      else {
        const check = extractWithPattern(pattern, '');
        if (check.error !== null) need(2, `The header pattern is not valid: ${check.error}`);
      }
      labels = { from: 'header-regex', pattern };
      break;
    }
    case 'column':
      if (draft.labelColumn === null) need(2, 'Choose the column that holds the class.');
      else labels = { from: 'column', column: columnValue(preview, draft.header, draft.labelColumn) };
      break;
    case 'bed-name':
      labels = { from: 'bed-name' };
      break;
    default:
      labels = { from: 'none' };
  }

  // Format-specific settings.
  const specific: {
    sequenceColumn?: string;
    header?: 'yes' | 'no';
    reference?: string;
    flank?: number;
    resizeTo?: number;
    reverseComplementMinus?: boolean;
  } = {};
  if (isTableFormat(format)) {
    if (draft.sequenceColumn === null) need(2, 'Choose the column that holds the sequences.');
    else specific.sequenceColumn = columnValue(preview, draft.header, draft.sequenceColumn);
    if (labelMode === 'column' && draft.labelColumn !== null && draft.labelColumn === draft.sequenceColumn) {
      need(2, 'The class column and the sequence column must be different.');
    }
    specific.header = draft.header;
  }
  if (format === 'bed') {
    const reference = draft.reference.trim();
    if (reference === '') need(2, 'Choose the reference genome (a FASTA file) the BED intervals refer to.');
    specific.reference = reference;
    const flank = parseWhole(draft.flank, 0, 1_000_000);
    if (!flank.ok) need(2, 'The flank must be a whole number of bases, 0 or more.');
    else if (flank.value !== undefined) specific.flank = flank.value;
    const resize = parseWhole(draft.resizeTo, 1, 10_000_000);
    if (!resize.ok) need(2, 'The resize length must be a whole number of bases, 1 or more.');
    else if (resize.value !== undefined) specific.resizeTo = resize.value;
    specific.reverseComplementMinus = draft.reverseComplementMinus;
  }

  // Policies.
  const minLength = parseWhole(draft.minLength, 1);
  const maxLength = parseWhole(draft.maxLength, 1);
  if (!minLength.ok) need(3, 'The minimum length must be a whole number of bases, 1 or more.');
  if (!maxLength.ok) need(3, 'The maximum length must be a whole number of bases, 1 or more.');
  if (
    minLength.ok &&
    maxLength.ok &&
    minLength.value !== undefined &&
    maxLength.value !== undefined &&
    minLength.value > maxLength.value
  ) {
    need(3, 'The minimum length is larger than the maximum length.');
  }

  // Split.
  let split: SplitRule = { mode: 'given' };
  const splitModes = splitModesFor(preview);
  const splitMode = splitModes.includes(draft.splitMode) ? draft.splitMode : 'random';
  if (splitMode === 'random') {
    const seed = parseWhole(draft.seed, 0, 2 ** 31 - 1);
    if (!seed.ok || seed.value === undefined) need(3, 'The seed must be a whole number (any number; the same number gives the same split).');
    const p = splitPercents(draft);
    if (!p.valid) need(3, `Training, validation and test must add up to 100% (now ${Math.round(p.sum * 10) / 10}%), with some training.`);
    split = {
      mode: 'random',
      seed: seed.ok && seed.value !== undefined ? seed.value : 0,
      train: (p.train ?? 0) / 100,
      validation: (p.validation ?? 0) / 100,
      test: (p.test ?? 0) / 100,
    };
  } else if (splitMode === 'chromosome') {
    const validation = chromosomeList(draft.validationChromosomes);
    const test = chromosomeList(draft.testChromosomes);
    if (test.length === 0) need(3, 'Name at least one chromosome for the test set.');
    if (validation.length === 0) need(3, 'Name at least one chromosome for the validation set.');
    const overlap = validation.filter((c) => test.includes(c));
    if (overlap.length > 0) need(3, `A chromosome cannot be in both validation and test: ${overlap.join(', ')}.`);
    split = { mode: 'chromosome', validation, test };
  }

  if (problems.length > 0) return { options: null, problems };
  const options: ImportOptions = {
    paths: [...ctx.paths],
    format,
    name,
    ...(description === '' ? {} : { description }),
    labels,
    ...specific,
    ambiguous: draft.ambiguous,
    invalid: draft.invalid,
    ...(minLength.ok && minLength.value !== undefined ? { minLength: minLength.value } : {}),
    ...(maxLength.ok && maxLength.value !== undefined ? { maxLength: maxLength.value } : {}),
    duplicates: draft.duplicates,
    leakage: draft.leakage,
    split,
  };
  return { options, problems };
}

/** Paths typed one per line (blank lines and surrounding spaces ignored, duplicates once). */
export function parsePaths(text: string): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    const path = line.trim();
    if (path === '' || seen.has(path)) continue;
    seen.add(path);
    out.push(path);
  }
  return out;
}

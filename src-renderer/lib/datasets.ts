import type { DatasetSummary, ImportFormat, ImportIssue, ImportIssueKind, ImportOptions, ImportReport, LabelSource, SplitRule } from '../../src-shared/api/datasets';
import { baseName } from './format';

/** The formats a user can pick, in the order the wizard lists them, with a short name each. */
export const FORMAT_LABELS: Readonly<Record<ImportFormat, string>> = {
  auto: 'Detect automatically',
  fasta: 'FASTA',
  csv: 'CSV (comma-separated table)',
  tsv: 'TSV (tab-separated table)',
  bed: 'BED intervals + reference genome',
  'dnabert-tsv': 'DNABERT k-mer TSV',
};

/** Whether a format is a table with columns (sequence and label columns, header row). */
export function isTableFormat(format: ImportFormat): boolean {
  return format === 'csv' || format === 'tsv' || format === 'dnabert-tsv';
}

export const ISSUE_KIND_LABELS: Readonly<Record<ImportIssueKind, { readonly title: string; readonly help: string }>> = {
  'invalid-character': {
    title: 'Characters that are not DNA',
    help: 'Letters or symbols other than A, C, G, T, N and the IUPAC codes (often a protein sequence or a broken file).',
  },
  'ambiguous-base': {
    title: 'Ambiguous bases (IUPAC codes)',
    help: 'Codes such as R, Y or W that stand for "one of several bases".',
  },
  'empty-record': { title: 'Empty records', help: 'A header or row with no sequence.' },
  'too-short': { title: 'Too short', help: 'Sequences shorter than the minimum length you set.' },
  'too-long': { title: 'Too long', help: 'Sequences longer than the maximum length you set.' },
  duplicate: { title: 'Duplicates', help: 'The same sequence more than once in one split.' },
  leakage: {
    title: 'Shared between splits (leakage)',
    help: 'The same sequence in training and in validation or test: scores would look better than they are.',
  },
  'class-imbalance': { title: 'Unbalanced classes', help: 'Some classes have far fewer sequences than others.' },
  'no-label': { title: 'Missing class', help: 'Records without a class label.' },
};

/** "promoters.csv:12:5" — where an issue is, as an editor would show it; the whole file when the line is 0. */
export function issueLocation(issue: ImportIssue): string {
  if (issue.line <= 0) return issue.file === '' ? 'whole dataset' : issue.file;
  return issue.column === undefined ? `${issue.file}:${issue.line}` : `${issue.file}:${issue.line}:${issue.column}`;
}

export function describeLabels(labels: LabelSource): string {
  switch (labels.from) {
    case 'none':
      return 'no classes (unlabelled)';
    case 'file':
      return `one class per file (${Object.entries(labels.labels)
        .map(([path, label]) => `${baseName(path)} → ${label}`)
        .join(', ')})`;
    case 'header-regex':
      return `from the FASTA header with the pattern ${labels.pattern}`;
    case 'column':
      return `from the column ${labels.column}`;
    case 'bed-name':
      return 'from the BED name column';
    default:
      return 'unknown';
  }
}

export function describeSplit(split: SplitRule): string {
  switch (split.mode) {
    case 'given':
      return 'the splits the files carry';
    case 'random':
      return `random stratified ${Math.round(split.train * 100)}/${Math.round(split.validation * 100)}/${Math.round(
        split.test * 100,
      )} (train/validation/test), seed ${split.seed}`;
    case 'chromosome':
      return `by chromosome: validation ${split.validation.join(', ') || '—'}; test ${split.test.join(', ') || '—'}`;
    default:
      return 'unknown';
  }
}

const AMBIGUOUS_TEXT: Readonly<Record<ImportOptions['ambiguous'], string>> = {
  reject: 'refuse the import',
  'to-n': 'turn them into N',
  'drop-record': 'leave out the records that have them',
};

const INVALID_TEXT: Readonly<Record<ImportOptions['invalid'], string>> = {
  reject: 'refuse the import',
  'drop-record': 'leave out the records that have them',
};

/** The settings an import used, as label/value rows for the dataset page. */
export function describeImportOptions(options: ImportOptions): { label: string; value: string }[] {
  const rows: { label: string; value: string }[] = [
    { label: 'Format', value: FORMAT_LABELS[options.format] ?? options.format },
    { label: 'Input', value: options.paths.join('\n') },
    { label: 'Classes', value: describeLabels(options.labels) },
  ];
  if (options.sequenceColumn !== undefined) rows.push({ label: 'Sequence column', value: options.sequenceColumn });
  if (options.header !== undefined) rows.push({ label: 'Header row', value: options.header });
  if (options.reference !== undefined) rows.push({ label: 'Reference genome', value: options.reference });
  if (options.flank !== undefined) rows.push({ label: 'Flank', value: `${options.flank} bases on each side` });
  if (options.resizeTo !== undefined) rows.push({ label: 'Resized to', value: `${options.resizeTo} bases` });
  if (options.reverseComplementMinus !== undefined) {
    rows.push({ label: 'Minus strand', value: options.reverseComplementMinus ? 'reverse-complemented' : 'as in the reference' });
  }
  rows.push(
    { label: 'Ambiguous bases', value: AMBIGUOUS_TEXT[options.ambiguous] ?? options.ambiguous },
    { label: 'Non-DNA characters', value: INVALID_TEXT[options.invalid] ?? options.invalid },
  );
  if (options.minLength !== undefined || options.maxLength !== undefined) {
    rows.push({ label: 'Length', value: `${options.minLength ?? 'any'} to ${options.maxLength ?? 'any'} bases` });
  }
  rows.push(
    { label: 'Duplicates', value: options.duplicates === 'drop' ? 'dropped' : 'kept' },
    { label: 'Leakage', value: options.leakage === 'drop-from-train' ? 'dropped from training' : 'kept' },
    { label: 'Split', value: describeSplit(options.split) },
  );
  return rows;
}

/** A file name for an export: the dataset name made safe, the split, the extension. */
export function exportFileName(name: string, format: 'csv' | 'fasta', split?: string): string {
  const safe = name.trim().replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'dataset';
  const suffix = split === undefined || split === '' ? '' : `-${split.replace(/[^A-Za-z0-9._-]+/g, '-')}`;
  return `${safe}${suffix}.${format === 'csv' ? 'csv' : 'fasta'}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** A validation job's result (unknown on the wire), checked before it is shown. */
export function asImportReport(value: unknown): ImportReport | null {
  if (!isRecord(value)) return null;
  if (typeof value['records'] !== 'number' || typeof value['blocked'] !== 'boolean' || !Array.isArray(value['issues'])) return null;
  return value as unknown as ImportReport;
}

/** An import job's result: the new dataset. */
export function asDatasetSummary(value: unknown): DatasetSummary | null {
  if (!isRecord(value)) return null;
  if (typeof value['id'] !== 'number' || typeof value['name'] !== 'string') return null;
  return value as unknown as DatasetSummary;
}

/** The message to show for any error: an ApiError's message is written for the user already. */
export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}

/** How long the record search box waits after the last key before asking. */
export const SEARCH_DEBOUNCE_MS = 300;

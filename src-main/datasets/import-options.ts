import {
  ApiError,
  IMPORT_FORMATS,
  type ImportFormat,
  type ImportOptions,
  type LabelSource,
  type SplitRule,
} from '../../src-shared/api';

/**
 * ImportOptions arrive from the renderer, a browser tab, the CLI or a job's stored parameters: every field is
 * checked here, and the result is a fresh object with only the known fields (so that job-only parameters such as
 * the staging folder never end up in a dataset's recorded options).
 */

export const MAX_NAME_LENGTH = 200;
export const MAX_DESCRIPTION_LENGTH = 10_000;

/** Throws INVALID_REQUEST: the request, not the app, has to change. */
export function invalidRequest(message: string): never {
  throw new ApiError('INVALID_REQUEST', message);
}

const bad: (message: string) => never = invalidRequest;

function record(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) bad(`${what} must be an object.`);
  return value as Record<string, unknown>;
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], field: string): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    bad(`"${field}" must be one of ${allowed.join(', ')}.`);
  }
  return value as T;
}

function optionalCount(value: unknown, field: string, min = 0): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > 2 ** 31) {
    bad(`"${field}" must be a whole number of at least ${min}.`);
  }
  return value;
}

function optionalText(value: unknown, field: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') bad(`"${field}" must be text.`);
  const t = value.trim();
  return t === '' ? undefined : t;
}

function stringList(value: unknown, field: string): string[] {
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) bad(`"${field}" must be a list of names.`);
  return (value as string[]).map((v) => v.trim()).filter((v) => v !== '');
}

/** A description: trimmed, at most 10,000 characters. */
export function checkDescription(value: unknown): string | undefined {
  const text = optionalText(value, 'description');
  if (text !== undefined && text.length > MAX_DESCRIPTION_LENGTH) bad(`A description can have at most ${MAX_DESCRIPTION_LENGTH} characters.`);
  return text;
}

/** A dataset name: trimmed, 1..200 characters, no control characters. */
export function checkDatasetName(value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') bad('Please give the dataset a name.');
  const name = value.trim();
  if (name.length > MAX_NAME_LENGTH) bad(`A dataset name can have at most ${MAX_NAME_LENGTH} characters.`);
  if (/[\x00-\x1f\x7f]/.test(name)) bad('A dataset name cannot contain control characters (tabs, line breaks).');
  return name;
}

function parseLabels(value: unknown): LabelSource {
  const v = record(value, '"labels"');
  switch (v['from']) {
    case 'none':
      return { from: 'none' };
    case 'bed-name':
      return { from: 'bed-name' };
    case 'file': {
      const map = record(v['labels'], '"labels.labels"');
      const labels: Record<string, string> = {};
      for (const [file, label] of Object.entries(map)) {
        if (typeof label !== 'string' || label.trim() === '') bad(`The class of ${file} must be a non-empty name.`);
        labels[file] = label.trim();
      }
      return { from: 'file', labels };
    }
    case 'header-regex': {
      const pattern = v['pattern'];
      if (typeof pattern !== 'string' || pattern === '') bad('Give the regular expression that finds the class in the header.');
      try {
        new RegExp(pattern);
      } catch (err) {
        bad(`The label pattern is not a valid regular expression: ${(err as Error).message}`);
      }
      return { from: 'header-regex', pattern };
    }
    case 'column': {
      const column = optionalText(v['column'], 'labels.column');
      if (column === undefined) bad('Give the column that holds the class (its header name or its number).');
      return { from: 'column', column };
    }
    default:
      return bad('"labels.from" must be one of none, file, header-regex, column, bed-name.');
  }
}

function fraction(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 1) bad(`"${field}" must be a fraction between 0 and 1.`);
  return value;
}

function parseSplit(value: unknown): SplitRule {
  const v = record(value, '"split"');
  switch (v['mode']) {
    case 'given':
      return { mode: 'given' };
    case 'random': {
      const seed = v['seed'];
      if (typeof seed !== 'number' || !Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
        bad('"split.seed" must be a whole number between 0 and 4294967295.');
      }
      const train = fraction(v['train'], 'split.train');
      const validation = fraction(v['validation'], 'split.validation');
      const test = fraction(v['test'], 'split.test');
      if (Math.abs(train + validation + test - 1) > 1e-6) bad('The split fractions must add up to 1 (100 %).');
      return { mode: 'random', seed, train, validation, test };
    }
    case 'chromosome': {
      const validation = stringList(v['validation'] ?? [], 'split.validation');
      const test = stringList(v['test'] ?? [], 'split.test');
      const both = test.filter((c) => validation.includes(c));
      if (both.length > 0) bad(`A chromosome cannot be in both validation and test: ${both.join(', ')}.`);
      return { mode: 'chromosome', validation, test };
    }
    default:
      return bad('"split.mode" must be one of given, random, chromosome.');
  }
}

export function parseImportOptions(value: unknown): ImportOptions {
  const v = record(value, 'The import settings');
  const paths = v['paths'];
  if (!Array.isArray(paths) || paths.length === 0 || paths.some((p) => typeof p !== 'string' || p.trim() === '')) {
    bad('Choose at least one file or folder to import.');
  }
  const format: ImportFormat = v['format'] === undefined ? 'auto' : oneOf(v['format'], IMPORT_FORMATS, 'format');
  const description = checkDescription(v['description']);
  const sequenceColumn = optionalText(v['sequenceColumn'], 'sequenceColumn');
  const header = v['header'] === undefined || v['header'] === null ? undefined : oneOf(v['header'], ['auto', 'yes', 'no'] as const, 'header');
  const reference = optionalText(v['reference'], 'reference');
  const flank = optionalCount(v['flank'], 'flank');
  const resizeTo = optionalCount(v['resizeTo'], 'resizeTo', 1);
  const rcm = v['reverseComplementMinus'];
  if (rcm !== undefined && rcm !== null && typeof rcm !== 'boolean') bad('"reverseComplementMinus" must be true or false.');
  const minLength = optionalCount(v['minLength'], 'minLength');
  const maxLength = optionalCount(v['maxLength'], 'maxLength', 1);
  if (minLength !== undefined && maxLength !== undefined && minLength > maxLength) {
    bad('The minimum length is larger than the maximum length.');
  }
  return {
    paths: (paths as string[]).map((p) => p.trim()),
    format,
    name: checkDatasetName(v['name']),
    ...(description === undefined ? {} : { description }),
    labels: parseLabels(v['labels']),
    ...(sequenceColumn === undefined ? {} : { sequenceColumn }),
    ...(header === undefined ? {} : { header }),
    ...(reference === undefined ? {} : { reference }),
    ...(flank === undefined ? {} : { flank }),
    ...(resizeTo === undefined ? {} : { resizeTo }),
    ...(typeof rcm === 'boolean' ? { reverseComplementMinus: rcm } : {}),
    ambiguous: oneOf(v['ambiguous'], ['reject', 'to-n', 'drop-record'] as const, 'ambiguous'),
    invalid: oneOf(v['invalid'], ['reject', 'drop-record'] as const, 'invalid'),
    ...(minLength === undefined ? {} : { minLength }),
    ...(maxLength === undefined ? {} : { maxLength }),
    duplicates: oneOf(v['duplicates'], ['keep', 'drop'] as const, 'duplicates'),
    leakage: oneOf(v['leakage'], ['keep', 'drop-from-train'] as const, 'leakage'),
    split: parseSplit(v['split']),
  };
}

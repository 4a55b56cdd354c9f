/**
 * Form logic of the Predict page, kept out of the components so it can be tested alone: coordinates typed as
 * `chr2:200,001-300,000` (1-based, inclusive, as genome browsers show them) become 0-based half-open BED coordinates for
 * the service; each form's draft becomes the settings the contract expects, or a list of problems to show.
 */
import { BUNDLED_ANNOTATIONS, BUNDLED_REFERENCES } from '../../src-shared/api/bundled-data';
import type {
  ExplainSettings,
  PredictInput,
  PredictionSummary,
  PredictSettings,
  ScanSettings,
  VariantSettings,
} from '../../src-shared/api/inference';

export interface Region {
  readonly chrom: string;
  /** 0-based, inclusive. */
  readonly start: number;
  /** 0-based, exclusive. */
  readonly end: number;
}

export type ParsedRegion = { readonly region: Region } | { readonly error: string };

/**
 * Parses `chr:start-end` (1-based, both ends included; commas and spaces allowed in numbers) into 0-based half-open
 * coordinates. An empty text is "the whole sequence" and parses to null.
 */
export function parseRegion(text: string): ParsedRegion | null {
  const trimmed = text.trim();
  if (trimmed === '') return null;
  const m = /^([A-Za-z0-9_.|-]+):\s*([\d,\s]+?)\s*[-–]\s*([\d,\s]+)$/.exec(trimmed);
  if (m === null) {
    return { error: `"${trimmed}" is not a region. Write it as chromosome:start-end, for example chr2:200,001-300,000.` };
  }
  const chrom = m[1] ?? '';
  const start1 = Number((m[2] ?? '').replace(/[,\s]/g, ''));
  const end1 = Number((m[3] ?? '').replace(/[,\s]/g, ''));
  if (!Number.isSafeInteger(start1) || !Number.isSafeInteger(end1) || start1 < 1) {
    return { error: `The start of "${trimmed}" must be a whole number of at least 1 (positions count from 1).` };
  }
  if (end1 < start1) return { error: `In "${trimmed}" the end comes before the start; swap them.` };
  return { region: { chrom, start: start1 - 1, end: end1 } };
}

/** `chr2:200,001-300,000` for 0-based half-open coordinates. */
export function formatRegion(chrom: string, start: number, end: number): string {
  return `${chrom}:${(start + 1).toLocaleString('en-US')}-${end.toLocaleString('en-US')}`;
}

/** A whole number within [min, max], or the problem with the text. */
function wholeNumber(label: string, value: number, min: number, max = Number.MAX_SAFE_INTEGER): string | null {
  if (!Number.isFinite(value) || !Number.isInteger(value)) return `${label} must be a whole number.`;
  if (value < min) return `${label} must be at least ${min.toLocaleString('en-US')}.`;
  if (value > max) return `${label} must be at most ${max.toLocaleString('en-US')}.`;
  return null;
}

function probability(label: string, value: number): string | null {
  if (!Number.isFinite(value) || value < 0 || value > 1) return `${label} must be a probability between 0 and 1.`;
  return null;
}

function compact<T>(items: readonly (T | null)[]): T[] {
  return items.filter((x): x is T => x !== null);
}

// ---------------------------------------------------------------------------------------------------------- predict

export type PredictInputKind = 'text' | 'file' | 'dataset';

export interface PredictDraft {
  modelId: number | null;
  inputKind: PredictInputKind;
  text: string;
  path: string;
  datasetId: number | null;
  /** '' = every split. */
  split: string;
  threshold: number;
  name: string;
}

export function defaultPredictDraft(modelId: number | null = null): PredictDraft {
  return { modelId, inputKind: 'text', text: '', path: '', datasetId: null, split: '', threshold: 0.5, name: '' };
}

/** Counts sequences in pasted text the way the service reads it: FASTA records, else non-empty lines. */
export function countPastedSequences(text: string): number {
  const lines = text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '');
  if (lines.some((l) => l.startsWith('>'))) return lines.filter((l) => l.startsWith('>')).length;
  return lines.length;
}

export function predictProblems(d: PredictDraft): string[] {
  const problems: (string | null)[] = [
    d.modelId === null ? 'Choose the model to predict with.' : null,
    probability('The threshold', d.threshold),
  ];
  if (d.inputKind === 'text' && countPastedSequences(d.text) === 0) {
    problems.push('Paste at least one sequence: FASTA, or one sequence per line.');
  }
  if (d.inputKind === 'file' && d.path.trim() === '') problems.push('Give the path of a FASTA or CSV file, or drop the file here.');
  if (d.inputKind === 'dataset' && d.datasetId === null) problems.push('Choose the dataset whose sequences to predict.');
  return compact(problems);
}

export function predictSettings(d: PredictDraft): PredictSettings | null {
  if (predictProblems(d).length > 0 || d.modelId === null) return null;
  let input: PredictInput;
  if (d.inputKind === 'text') input = { kind: 'text', text: d.text };
  else if (d.inputKind === 'file') input = { kind: 'file', path: d.path.trim() };
  else input = d.split === '' ? { kind: 'dataset', datasetId: d.datasetId ?? 0 } : { kind: 'dataset', datasetId: d.datasetId ?? 0, split: d.split };
  const name = d.name.trim();
  return { modelId: d.modelId, input, threshold: d.threshold, ...(name === '' ? {} : { name }) };
}

// ---------------------------------------------------------------------------------------------------------- scan

/** The bundled chr2 region: the reference a scan starts with. */
export const DEFAULT_REFERENCE = BUNDLED_REFERENCES[0]?.path ?? '';
/** EPDnew TSSs: the annotation a scan starts with. */
export const DEFAULT_ANNOTATION = BUNDLED_ANNOTATIONS[0]?.path ?? '';
/** The reference choice "another file", whose path is typed. */
export const OTHER_FILE = 'other';

export interface ScanDraft {
  modelId: number | null;
  /** A bundled reference path, or OTHER_FILE. */
  reference: string;
  path: string;
  /** FASTA record to read (other files); '' = the first. */
  record: string;
  /** `chr:start-end`, 1-based; '' = the whole sequence. */
  region: string;
  /** null = the model's input length. */
  window: number | null;
  stride: number;
  strands: 'forward' | 'both';
  threshold: number;
  mergeGap: number;
  minLength: number;
  /** A bundled annotation path, OTHER_FILE, or '' for none. */
  annotation: string;
  annotationPath: string;
  maxDistance: number;
  name: string;
}

export function defaultScanDraft(modelId: number | null = null): ScanDraft {
  return {
    modelId,
    reference: DEFAULT_REFERENCE,
    path: '',
    record: '',
    region: 'chr2:200,001-300,000',
    window: null,
    stride: 50,
    strands: 'both',
    threshold: 0.9,
    mergeGap: 100,
    minLength: 0,
    annotation: DEFAULT_ANNOTATION,
    annotationPath: '',
    maxDistance: 500,
    name: '',
  };
}

export function scanProblems(d: ScanDraft): string[] {
  const problems: (string | null)[] = [
    d.modelId === null ? 'Choose the model to scan with.' : null,
    d.reference === OTHER_FILE && d.path.trim() === '' ? 'Give the path of the FASTA file to scan (plain or .gz).' : null,
    d.window === null ? null : wholeNumber('The window', d.window, 8, 100_000),
    wholeNumber('The stride', d.stride, 1, 100_000),
    probability('The threshold', d.threshold),
    wholeNumber('The merge gap', d.mergeGap, 0),
    wholeNumber('The minimum length', d.minLength, 0),
    d.annotation === OTHER_FILE && d.annotationPath.trim() === '' ? 'Give the path of the annotation BED file, or choose none.' : null,
    d.annotation === '' ? null : wholeNumber('The distance to a site', d.maxDistance, 0),
  ];
  const parsed = parseRegion(d.region);
  if (parsed !== null && 'error' in parsed) problems.push(parsed.error);
  if (parsed !== null && 'region' in parsed) {
    const bundled = BUNDLED_REFERENCES.find((r) => r.path === d.reference);
    const { chrom, start, end } = parsed.region;
    if (bundled !== undefined) {
      if (chrom !== bundled.chrom) problems.push(`The bundled reference holds ${bundled.chrom} only; the region names ${chrom}.`);
      else if (start < bundled.start || end > bundled.end) {
        problems.push(`The region lies outside the bundled reference, which covers ${formatRegion(bundled.chrom, bundled.start, bundled.end)}.`);
      }
    }
    const window = d.window ?? 0;
    if (window > 0 && end - start < window) problems.push(`The region is shorter than one window (${window} bases); make it longer.`);
  }
  return compact(problems);
}

export function scanSettings(d: ScanDraft): ScanSettings | null {
  if (scanProblems(d).length > 0 || d.modelId === null) return null;
  const parsed = parseRegion(d.region);
  const region = parsed !== null && 'region' in parsed ? parsed.region : null;
  const path = d.reference === OTHER_FILE ? d.path.trim() : d.reference;
  const record = d.reference === OTHER_FILE && d.record.trim() !== '' ? d.record.trim() : region?.chrom;
  const annotationPath = d.annotation === OTHER_FILE ? d.annotationPath.trim() : d.annotation;
  const name = d.name.trim();
  return {
    modelId: d.modelId,
    source: {
      kind: 'file',
      path,
      ...(record === undefined ? {} : { record }),
      ...(region === null ? {} : { start: region.start, end: region.end }),
    },
    ...(d.window === null ? {} : { window: d.window }),
    stride: d.stride,
    strands: d.strands,
    threshold: d.threshold,
    mergeGap: d.mergeGap,
    minLength: d.minLength,
    ...(annotationPath === '' ? {} : { annotation: { path: annotationPath, maxDistance: d.maxDistance } }),
    ...(name === '' ? {} : { name }),
  };
}

// ---------------------------------------------------------------------------------------------------------- variants

export interface VariantsDraft {
  modelId: number | null;
  reference: string;
  referencePath: string;
  variantsKind: 'text' | 'file';
  text: string;
  path: string;
  name: string;
}

export function defaultVariantsDraft(modelId: number | null = null): VariantsDraft {
  return { modelId, reference: DEFAULT_REFERENCE, referencePath: '', variantsKind: 'text', text: '', path: '', name: '' };
}

/** `chr:pos ref>alt` as the service reads it (also `chr pos ref alt`, several ALTs with commas); the position may carry thousands separators. */
const VARIANT_LINE = /^(\S+?)[:\s]+([\d,]+)[:\s]+([A-Za-z]+)\s*(?:>|:|\s)\s*([A-Za-z,]+)$/;

function eachVariantLine(text: string, visit: (line: string, index: number) => void): void {
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line !== '' && !line.startsWith('#')) visit(line, i);
  });
}

/** Pasted `chr:pos ref>alt` lines that do not parse, as "line N: problem" (blank lines and `#` comments are skipped). */
export function variantLineProblems(text: string): string[] {
  const problems: string[] = [];
  eachVariantLine(text, (line, i) => {
    if (!VARIANT_LINE.test(line)) problems.push(`Line ${i + 1}: "${line}" is not a variant; write chr:position ref>alt, e.g. chr2:264,100 A>G.`);
  });
  return problems;
}

/** The pasted lines with the positions' thousands separators removed (264,100 -> 264100), as the service expects. */
export function normaliseVariantText(text: string): string {
  return text
    .split(/\r?\n/)
    .map((raw) => {
      const m = VARIANT_LINE.exec(raw.trim());
      return m === null ? raw : `${m[1]}:${(m[2] ?? '').replace(/,/g, '')} ${m[3]}>${m[4]}`;
    })
    .join('\n');
}

export function variantsProblems(d: VariantsDraft): string[] {
  const problems: (string | null)[] = [
    d.modelId === null ? 'Choose the model to score the variants with.' : null,
    d.reference === OTHER_FILE && d.referencePath.trim() === '' ? 'Give the path of the reference FASTA.' : null,
  ];
  if (d.variantsKind === 'file' && d.path.trim() === '') problems.push('Give the path of the VCF file, or drop it here.');
  if (d.variantsKind === 'text') {
    let lines = 0;
    eachVariantLine(d.text, () => lines++);
    if (lines === 0) problems.push('Paste at least one variant, one per line: chr:position ref>alt.');
    problems.push(...variantLineProblems(d.text).slice(0, 3));
  }
  return compact(problems);
}

export function variantSettings(d: VariantsDraft): VariantSettings | null {
  if (variantsProblems(d).length > 0 || d.modelId === null) return null;
  const name = d.name.trim();
  return {
    modelId: d.modelId,
    referencePath: d.reference === OTHER_FILE ? d.referencePath.trim() : d.reference,
    variants: d.variantsKind === 'file' ? { kind: 'file', path: d.path.trim() } : { kind: 'text', text: normaliseVariantText(d.text) },
    ...(name === '' ? {} : { name }),
  };
}

// ---------------------------------------------------------------------------------------------------------- explain

export interface ExplainDraft {
  modelId: number | null;
  sequence: string;
  attention: boolean;
  name: string;
}

export function defaultExplainDraft(modelId: number | null = null): ExplainDraft {
  return { modelId, sequence: '', attention: true, name: '' };
}

/** The bases of a pasted sequence (a FASTA header and whitespace removed, upper case). */
export function cleanSequence(text: string): string {
  return text
    .split(/\r?\n/)
    .filter((l) => !l.trim().startsWith('>'))
    .join('')
    .replace(/\s+/g, '')
    .toUpperCase();
}

export function explainProblems(d: ExplainDraft): string[] {
  const seq = cleanSequence(d.sequence);
  const problems: (string | null)[] = [
    d.modelId === null ? 'Choose the model to explain.' : null,
    seq === '' ? 'Paste the sequence to explain.' : null,
  ];
  const bad = /[^ACGTN]/.exec(seq);
  if (bad !== null) problems.push(`The sequence holds "${bad[0]}" at position ${bad.index + 1}; only A, C, G, T and N are allowed.`);
  return compact(problems);
}

export function explainSettings(d: ExplainDraft, isBert: boolean): ExplainSettings | null {
  if (explainProblems(d).length > 0 || d.modelId === null) return null;
  const name = d.name.trim();
  return {
    modelId: d.modelId,
    sequence: cleanSequence(d.sequence),
    ...(isBert && d.attention ? { attention: true } : {}),
    ...(name === '' ? {} : { name }),
  };
}

// ---------------------------------------------------------------------------------------------------------- records

export const PREDICTION_KIND_LABELS: Readonly<Record<PredictionSummary['kind'], string>> = {
  predict: 'Prediction',
  scan: 'Scan',
  variants: 'Variants',
  explain: 'Explanation',
};

/** A predict/scan/variants/explain job's result: the new record's summary (unknown on the wire). */
export function asPredictionSummary(value: unknown): PredictionSummary | null {
  if (typeof value !== 'object' || value === null) return null;
  const v = value as Record<string, unknown>;
  if (typeof v['id'] !== 'number' || typeof v['kind'] !== 'string' || typeof v['inputHash'] !== 'string') return null;
  return value as PredictionSummary;
}

/** A file name for an export: the record's name made safe, with the extension. */
export function exportName(name: string, extension: 'csv' | 'pdf' | 'onnx'): string {
  const safe = name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'report';
  return `${safe}.${extension}`;
}

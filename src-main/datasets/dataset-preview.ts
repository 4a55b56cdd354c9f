import fs from 'node:fs';
import path from 'node:path';
import { ApiError, type ImportFormat, type ImportOptions, type ImportPreview, type LabelSource, type SplitRule } from '../../src-shared/api';
import { ImportError } from '../io/types';
import { fileBytes, type DatasetIo, type DetectedSources, type PreviewedRecords } from './dataset-io';
import { MAX_NAME_LENGTH } from './import-options';
import { normaliseSplitName } from './splits';

export const PREVIEW_RECORDS = 20;
const LABEL_COLUMN_NAMES = ['label', 'labels', 'class', 'target', 'y'];


/** "train.csv.gz" -> "train", a folder -> its name. */
function baseName(p: string): string {
  let name = path.basename(path.resolve(p));
  name = name.replace(/\.(gz|bgz|bgzf)$/i, '');
  name = name.replace(/\.(csv|tsv|txt|fa|fasta|fna|fas|bed)$/i, '');
  return name;
}

/** The name of the folder or file the user chose, made unique among the project's datasets. */
export function suggestName(paths: readonly string[], takenNames: readonly string[]): string {
  const first = paths[0] ?? 'dataset';
  const parents = new Set(paths.map((p) => path.dirname(path.resolve(p))));
  const isFolder = (() => {
    try {
      return fs.statSync(first).isDirectory();
    } catch {
      return false;
    }
  })();
  // Several files of one folder (train.csv, test.csv): the folder names the dataset, not one of its files.
  const stem = paths.length > 1 && parents.size === 1 && !isFolder ? path.basename([...parents][0] ?? first) : baseName(first);
  const base = (stem.trim() || 'dataset').slice(0, MAX_NAME_LENGTH - 4).replace(/[\x00-\x1f\x7f]/g, ' ');
  const taken = new Set(takenNames.map((n) => n.toLowerCase()));
  if (!taken.has(base.toLowerCase())) return base;
  for (let i = 2; ; i++) {
    const candidate = `${base} ${i}`;
    if (!taken.has(candidate.toLowerCase())) return candidate;
  }
}

/** Where the classes come from, read off the layout: one class per file, a label column, BED names, or none. */
function suggestLabels(detected: DetectedSources, preview: PreviewedRecords, bedNames: PreviewedRecords | null): LabelSource {
  const { sources } = detected;
  if (sources.length > 0 && sources.every((s) => s.label !== undefined)) {
    return { from: 'file', labels: Object.fromEntries(sources.map((s) => [s.path, s.label ?? ''])) };
  }
  const column = sources.find((s) => s.labelColumn !== undefined)?.labelColumn;
  if (column !== undefined) return { from: 'column', column };
  if (sources.some((s) => s.labelFromName === true)) return { from: 'bed-name' };
  const pattern = sources.find((s) => s.headerLabelPattern !== undefined)?.headerLabelPattern;
  if (pattern !== undefined) return { from: 'header-regex', pattern };
  const named = preview.columns.find((c) => LABEL_COLUMN_NAMES.includes(c.trim().toLowerCase()));
  if (named !== undefined && preview.hasHeader) return { from: 'column', column: named };
  if (bedNames !== null && looksLikeClasses(bedNames.records.map((r) => r.label))) return { from: 'bed-name' };
  return { from: 'none' };
}

/** BED names are classes ("enhancer", "promoter") when every interval has one and they repeat; not peak ids. */
function looksLikeClasses(names: readonly (string | null)[]): boolean {
  if (names.length < 2 || names.some((n) => n === null || n.trim() === '')) return false;
  return new Set(names).size <= Math.max(1, Math.floor(names.length / 2));
}

function suggestSplit(detected: DetectedSources, preview: PreviewedRecords): SplitRule {
  const given =
    detected.sources.some((s) => s.split !== undefined || s.splitColumn !== undefined) ||
    preview.records.some((r) => normaliseSplitName(r.split) !== null);
  return given ? { mode: 'given' } : { mode: 'random', seed: 42, train: 0.8, validation: 0.1, test: 0.1 };
}

/** The options the import wizard (and `dnalm dataset import`) start from. */
export function suggestOptions(
  paths: readonly string[],
  detected: DetectedSources,
  preview: PreviewedRecords,
  takenNames: readonly string[],
  bedNames: PreviewedRecords | null = null,
): ImportOptions {
  return {
    paths: [...paths],
    format: detected.format,
    name: suggestName(paths, takenNames),
    labels: suggestLabels(detected, preview, bedNames),
    ambiguous: 'to-n',
    invalid: 'reject',
    duplicates: 'keep',
    leakage: 'keep',
    split: suggestSplit(detected, preview),
  };
}

/** Reads the heads of the input only: what was detected, the first records, and suggested options. */
export async function previewImport(
  paths: readonly string[],
  format: ImportFormat | undefined,
  io: DatasetIo,
  takenNames: readonly string[],
): Promise<ImportPreview> {
  const resolved = paths.map((p) => path.resolve(p));
  let detected: DetectedSources;
  let preview: PreviewedRecords;
  let bedNames: PreviewedRecords | null = null;
  try {
    detected = await io.detectSources(resolved, format);
    preview = await io.previewRecords(detected.sources, PREVIEW_RECORDS);
    if (detected.format === 'bed') {
      bedNames = await io.previewRecords(detected.sources.map((s) => ({ ...s, labelFromName: true })), PREVIEW_RECORDS);
    }
  } catch (err) {
    // A file the readers cannot make sense of is the user's to fix: say where, as for an import.
    if (err instanceof ImportError) throw new ApiError('IMPORT_REJECTED', err.message.replace(/[\r\n]+/g, ' '));
    throw err;
  }
  return {
    format: detected.format,
    sources: detected.sources.map((s) => ({
      path: s.path,
      format: s.format,
      split: normaliseSplitName(s.split) ?? null,
      label: s.label ?? null,
      bytes: fileBytes(s.path),
    })),
    columns: [...preview.columns],
    hasHeader: preview.hasHeader,
    records: preview.records.slice(0, PREVIEW_RECORDS).map((r) => ({
      id: r.id,
      sequence: r.sequence,
      label: r.label,
      split: normaliseSplitName(r.split),
      line: r.line,
    })),
    suggested: suggestOptions(resolved, detected, preview, takenNames, bedNames),
  };
}

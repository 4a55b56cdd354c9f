/**
 * From what the user picked (files and/or folders) to a list of sources, each with its format, split and class:
 *
 * - a genomic-benchmarks folder: `train/` and `test/` (any split names) with one file per class, e.g.
 *   `train/positive.csv.gz` -> split `train`, label `positive`;
 * - a folder of split files, `<split>.csv.gz` (the shared-data layout; `dev.original_6mer.tsv.gz` beside `dev.csv.gz`
 *   is another format of the same data, so only one format is taken: the more common, CSV on a tie, or the hinted one);
 * - a folder of FASTA (or other) files: one class per file, named after the file;
 * - BED files with one FASTA among the inputs: that FASTA is the reference.
 *
 * Formats are sniffed from content; extensions only break ties.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { ImportFormat } from '../../src-shared/api';
import { delimiterOf, firstRows } from './delimited-reader';
import { fileSystemError } from './read-chunks';
import { sniffFormat, stemOf, type SniffResult } from './sniff-format';
import { resolveTableLayout } from './table-layout';
import { ImportError, type ConcreteFormat, type SourceSpec } from './types';

/** Folder and file names taken as split names (case-insensitive). */
export const SPLIT_NAMES = ['train', 'training', 'dev', 'valid', 'validation', 'val', 'test', 'testing'];
/** Header names taken as the label column. */
export const LABEL_COLUMN_NAMES = ['label', 'labels', 'class', 'target'];
const SPLIT_COLUMN_NAMES = ['split'];
/** Files in a folder that are never data: indices, documentation, images, code. */
const IGNORED_EXTENSIONS = ['.fai', '.gzi', '.tbi', '.csi', '.md', '.json', '.yml', '.yaml', '.pdf', '.png', '.jpg', '.jpeg', '.svg', '.html', '.zip', '.py', '.ipynb', '.sh', '.log', '.pt', '.bin'];
/** When two formats are equally common in a folder. */
const FORMAT_PREFERENCE: readonly ConcreteFormat[] = ['csv', 'tsv', 'fasta', 'dnabert-tsv', 'bed'];

interface Candidate {
  readonly path: string;
  readonly split: string | null;
  /** The class when the layout is one class per file. */
  readonly classFromName: string | null;
  /** Named by the user (not found in a folder): never skipped silently. */
  readonly explicit: boolean;
}

const FORMAT_NAMES: Record<ConcreteFormat, string> = { fasta: 'FASTA', csv: 'CSV', tsv: 'TSV', bed: 'BED', 'dnabert-tsv': 'DNABERT k-mer TSV' };

function isSplitName(name: string): boolean {
  return SPLIT_NAMES.includes(name.toLowerCase());
}

/** The split a file name stands for: `dev.csv.gz` -> dev; `dev.original_6mer.tsv.gz` -> dev; `genes.fa` -> null. */
export function splitFromFileName(fileName: string): string | null {
  const stem = stemOf(fileName);
  if (isSplitName(stem)) return stem;
  const first = stem.split('.')[0] ?? '';
  return isSplitName(first) ? first : null;
}

async function dataFiles(dir: string): Promise<string[]> {
  const entries = await fs.promises.readdir(dir, { withFileTypes: true });
  const out: string[] = [];
  for (const e of entries) {
    if (e.name.startsWith('.') || /^(readme|license|licence|manifest)/i.test(e.name)) continue;
    const lower = e.name.toLowerCase();
    if (IGNORED_EXTENSIONS.some((ext) => lower.endsWith(ext))) continue;
    const full = path.join(dir, e.name);
    const isFile = e.isFile() || (e.isSymbolicLink() && (await fs.promises.stat(full).catch(() => null))?.isFile() === true);
    if (isFile) out.push(full);
  }
  return out.sort();
}

async function expandFolder(dir: string): Promise<Candidate[]> {
  const entries = await fs.promises.readdir(dir, { withFileTypes: true });
  const splitDirs = entries.filter((e) => e.isDirectory() && !e.name.startsWith('.') && isSplitName(e.name)).map((e) => e.name).sort();
  if (splitDirs.length > 0) {
    const out: Candidate[] = [];
    for (const split of splitDirs) {
      for (const file of await dataFiles(path.join(dir, split))) {
        out.push({ path: file, split, classFromName: stemOf(path.basename(file)), explicit: false });
      }
    }
    return out;
  }
  const files = await dataFiles(dir);
  if (files.some((f) => splitFromFileName(path.basename(f)) !== null)) {
    return files.flatMap((f) => {
      const split = splitFromFileName(path.basename(f));
      return split === null ? [] : [{ path: f, split, classFromName: null, explicit: false }];
    });
  }
  return files.map((f) => ({ path: f, split: null, classFromName: files.length > 1 ? stemOf(path.basename(f)) : null, explicit: false }));
}

/** The most common format; CSV before TSV before FASTA ... on a tie. */
function dominantFormat(formats: readonly ConcreteFormat[]): ConcreteFormat | null {
  let best: ConcreteFormat | null = null;
  let bestCount = 0;
  for (const f of FORMAT_PREFERENCE) {
    const n = formats.filter((x) => x === f).length;
    if (n > bestCount) {
      best = f;
      bestCount = n;
    }
  }
  return best;
}

/** For a CSV/TSV: the label and split columns found by name in its header. */
async function tableColumns(spec: SourceSpec & { format: 'csv' | 'tsv' }): Promise<{ labelColumn?: string; splitColumn?: string }> {
  try {
    const [first, second] = await firstRows(spec, delimiterOf(spec.format), 2);
    const layout = resolveTableLayout(spec, first, second);
    if (!layout.hasHeader) return {};
    const find = (names: readonly string[]): string | undefined => layout.columns.find((c) => names.includes(c.trim().toLowerCase()));
    const labelColumn = find(LABEL_COLUMN_NAMES);
    const splitColumn = find(SPLIT_COLUMN_NAMES);
    return { ...(labelColumn !== undefined ? { labelColumn } : {}), ...(splitColumn !== undefined ? { splitColumn } : {}) };
  } catch {
    // The same problem is reported, with its line, when the file is previewed or read.
    return {};
  }
}

/**
 * Expands folders and sniffs formats. `formatHint` (other than 'auto') forces the format and, in folders, keeps only
 * the files of that format. Throws ImportError for a missing path, an explicit file that is binary, empty or of an
 * unknown format, files of different formats, or a folder without data files.
 */
export async function detectSources(paths: readonly string[], formatHint?: ImportFormat): Promise<{ sources: SourceSpec[]; format: ConcreteFormat }> {
  if (paths.length === 0) throw new ImportError('(nothing chosen)', 0, 'choose at least one file or folder');
  const candidates: Candidate[] = [];
  for (const p of paths) {
    let st: fs.Stats;
    try {
      st = await fs.promises.stat(p);
    } catch (err) {
      throw fileSystemError(p, err);
    }
    if (st.isDirectory()) {
      const found = await expandFolder(p);
      if (found.length === 0) throw new ImportError(p, 0, 'the folder has no data files (FASTA, CSV, TSV, BED)');
      candidates.push(...found);
    } else candidates.push({ path: p, split: null, classFromName: null, explicit: true });
  }

  const sniffed = new Map<string, SniffResult>();
  await Promise.all(candidates.map(async (c) => sniffed.set(c.path, await sniffFormat(c.path))));
  const formatOf = (c: Candidate): ConcreteFormat | null => sniffed.get(c.path)?.format ?? null;
  for (const c of candidates) {
    const s = sniffed.get(c.path);
    if (!c.explicit || s === undefined) continue;
    if (s.empty) throw new ImportError(c.path, 1, 'the file is empty');
    if (s.binary) throw new ImportError(c.path, 1, 'this is not a text file; choose a FASTA, CSV, TSV or BED file');
  }

  const hint = formatHint !== undefined && formatHint !== 'auto' ? formatHint : null;
  let format: ConcreteFormat;
  if (hint !== null) format = hint;
  else {
    const unknown = candidates.find((c) => c.explicit && formatOf(c) === null);
    if (unknown !== undefined) throw new ImportError(unknown.path, 1, 'cannot tell the format of this file; choose the format (FASTA, CSV, TSV, BED or DNABERT TSV)');
    const formats = candidates.map(formatOf).filter((f): f is ConcreteFormat => f !== null);
    const bedWithReference = formats.includes('bed') && formats.filter((f) => f === 'fasta').length === 1;
    const dominant = bedWithReference ? 'bed' : dominantFormat(formats);
    if (dominant === null) throw new ImportError(paths[0] ?? '', 0, 'none of the files is in a format the importer reads (FASTA, CSV, TSV, BED, DNABERT TSV)');
    format = dominant;
  }

  // BED: one FASTA among the inputs is the reference genome, not a source.
  const fastas = candidates.filter((c) => formatOf(c) === 'fasta');
  const reference = format === 'bed' && fastas.length === 1 ? fastas[0]?.path : undefined;
  const chosen = candidates.filter((c) => c.path !== reference && (hint !== null ? c.explicit || formatOf(c) === format : formatOf(c) === format));
  const stray = candidates.find((c) => c.explicit && c.path !== reference && !chosen.includes(c));
  if (stray !== undefined) {
    const f = formatOf(stray);
    throw new ImportError(stray.path, 0, `this file is ${f === null ? 'of an unknown format' : FORMAT_NAMES[f]} but the others are ${FORMAT_NAMES[format]}; import them separately`);
  }
  if (chosen.length === 0) throw new ImportError(paths[0] ?? '', 0, `there are no ${FORMAT_NAMES[format]} files here`);

  const sources: SourceSpec[] = [];
  for (const c of chosen) {
    let spec: SourceSpec = { path: c.path, format, ...(c.split !== null ? { split: c.split } : {}) };
    if (format === 'csv' || format === 'tsv') {
      const cols = await tableColumns({ ...spec, format });
      const splitColumn = c.split === null ? cols.splitColumn : undefined;
      spec = { ...spec, ...(cols.labelColumn !== undefined ? { labelColumn: cols.labelColumn } : {}), ...(splitColumn !== undefined ? { splitColumn } : {}) };
      if (cols.labelColumn === undefined && c.classFromName !== null) spec = { ...spec, label: c.classFromName };
    } else if (c.classFromName !== null) spec = { ...spec, label: c.classFromName };
    if (reference !== undefined) spec = { ...spec, reference };
    sources.push(spec);
  }
  return { sources, format };
}

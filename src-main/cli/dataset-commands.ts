import path from 'node:path';
import {
  IMPORT_FORMATS,
  type DatasetDetail,
  type DatasetSummary,
  type ImportFormat,
  type ImportOptions,
  type ImportReport,
  type SplitRule,
} from '../../src-shared/api';
import { assertOutsideProject, exportRecords } from '../datasets/dataset-export';
import { importInProcess } from '../datasets/dataset-import';
import { fileIo } from '../datasets/dataset-io';
import { previewImport } from '../datasets/dataset-preview';
import { detailOf, findDataset, listDatasets } from '../datasets/dataset-repository';
import { parseImportOptions } from '../datasets/import-options';
import type { ImportContext } from '../datasets/import-pipeline';
import { removeImportLeftovers } from '../datasets/staging';
import type { ProjectStore } from '../project';
import type { ParsedArgs } from './args';
import type { Output } from './commands';
import { bad, int, text } from './flags';
import { progressLine, withStore } from './job-session';

/** Flags of `dnalm dataset ...` that take a value. */
export const DATASET_VALUED_FLAGS = [
  'name',
  'format',
  'label-column',
  'sequence-column',
  'label-regex',
  'reference',
  'flank',
  'resize',
  'split',
  'ambiguous',
  'invalid',
  'duplicates',
  'leakage',
  'min-length',
  'max-length',
];

function choice<T extends string>(args: ParsedArgs, name: string, map: Readonly<Record<string, T>>): T | undefined {
  const value = text(args, name);
  if (value === undefined) return undefined;
  const mapped = map[value];
  if (mapped === undefined) bad(`--${name} must be one of ${Object.keys(map).join(', ')}.`);
  return mapped;
}

function fractionOf(value: string, key: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0 || n > 1) bad(`--split: ${key} must be a fraction between 0 and 1.`);
  return n;
}

/**
 * `given` | `random` | `seed=S[,train=0.8,validation=0.1,test=0.1]` | `chrom=test:chr1,chr2;validation:chr3`.
 * With some fractions given, the missing ones share what is left.
 */
export function parseSplitFlag(value: string): SplitRule {
  const v = value.trim();
  if (v === 'given') return { mode: 'given' };
  if (v === 'random') return { mode: 'random', seed: 42, train: 0.8, validation: 0.1, test: 0.1 };
  if (v.startsWith('seed=')) {
    const parts = new Map<string, string>();
    for (const part of v.split(',')) {
      const [key = '', val = ''] = part.split('=', 2).map((s) => s.trim());
      if (!['seed', 'train', 'validation', 'test'].includes(key)) bad(`--split: unknown part "${part}" (use seed=, train=, validation=, test=).`);
      parts.set(key, val);
    }
    const seed = Number(parts.get('seed'));
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) bad('--split: seed must be a whole number between 0 and 4294967295.');
    const keys = ['train', 'validation', 'test'] as const;
    const given = keys.filter((k) => parts.has(k));
    const fractions: Record<(typeof keys)[number], number> = { train: 0.8, validation: 0.1, test: 0.1 };
    if (given.length > 0) {
      let sum = 0;
      for (const k of given) sum += fractions[k] = fractionOf(parts.get(k) ?? '', k);
      const missing = keys.filter((k) => !parts.has(k));
      for (const k of missing) fractions[k] = Math.max(0, (1 - sum) / missing.length);
    }
    return { mode: 'random', seed, ...fractions };
  }
  if (v.startsWith('chrom=')) {
    const rule = { validation: [] as string[], test: [] as string[] };
    for (const part of v.slice('chrom='.length).split(';')) {
      if (part.trim() === '') continue;
      const [split = '', list = ''] = part.split(':', 2).map((s) => s.trim());
      if (split !== 'test' && split !== 'validation') bad(`--split: "${split}" must be test or validation (e.g. chrom=test:chr1,chr2;validation:chr3).`);
      rule[split].push(...list.split(',').map((c) => c.trim()).filter((c) => c !== ''));
    }
    return { mode: 'chromosome', ...rule };
  }
  return bad('--split must be given, random, seed=S[,train=F,validation=F,test=F] or chrom=test:CHR,..;validation:CHR,..');
}

/** The suggested options with the command line's choices laid over them. */
export function optionsFromFlags(suggested: ImportOptions, args: ParsedArgs): ImportOptions {
  const labelColumn = text(args, 'label-column');
  const labelRegex = text(args, 'label-regex');
  if (labelColumn !== undefined && labelRegex !== undefined) bad('Give either --label-column or --label-regex, not both.');
  const split = text(args, 'split');
  const flank = int(args, 'flank', 0);
  const resizeTo = int(args, 'resize');
  const minLength = int(args, 'min-length', 0);
  const maxLength = int(args, 'max-length');
  const merged: Record<string, unknown> = {
    ...suggested,
    ...(text(args, 'name') === undefined ? {} : { name: text(args, 'name') }),
    ...(text(args, 'description') === undefined ? {} : { description: text(args, 'description') }),
    ...(labelColumn === undefined ? {} : { labels: { from: 'column', column: labelColumn } }),
    ...(labelRegex === undefined ? {} : { labels: { from: 'header-regex', pattern: labelRegex } }),
    ...(text(args, 'sequence-column') === undefined ? {} : { sequenceColumn: text(args, 'sequence-column') }),
    ...(text(args, 'reference') === undefined ? {} : { reference: path.resolve(text(args, 'reference') ?? '') }),
    ...(flank === undefined ? {} : { flank }),
    ...(resizeTo === undefined ? {} : { resizeTo }),
    ...(minLength === undefined ? {} : { minLength }),
    ...(maxLength === undefined ? {} : { maxLength }),
    ...(split === undefined ? {} : { split: parseSplitFlag(split) }),
  };
  const policies = {
    ambiguous: choice(args, 'ambiguous', { reject: 'reject', 'to-n': 'to-n', drop: 'drop-record' } as const),
    invalid: choice(args, 'invalid', { reject: 'reject', drop: 'drop-record' } as const),
    duplicates: choice(args, 'duplicates', { keep: 'keep', drop: 'drop' } as const),
    leakage: choice(args, 'leakage', { keep: 'keep', drop: 'drop-from-train' } as const),
  };
  for (const [key, value] of Object.entries(policies)) if (value !== undefined) merged[key] = value;
  return parseImportOptions(merged);
}

function formatFlag(args: ParsedArgs): ImportFormat | undefined {
  const value = text(args, 'format');
  if (value === undefined) return undefined;
  if (!(IMPORT_FORMATS as readonly string[]).includes(value)) bad(`--format must be one of ${IMPORT_FORMATS.join(', ')}.`);
  return value as ImportFormat;
}

const number = (n: number): string => n.toLocaleString('en-US');

function bytes(n: number): string {
  if (n < 1024) return `${n} bytes`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(2)} MB`;
}

function splitCounts(d: DatasetSummary): string {
  return d.splits.map((s) => `${s} ${number(Object.values(d.counts[s] ?? {}).reduce((a, b) => a + b, 0))}`).join(', ');
}

/** Progress on stderr: at most one line a second, plus every 10 %. */
function cliContext(out: Output): ImportContext {
  let lastMs = 0;
  let lastTenth = -1;
  return {
    progress: (step, total, message) => {
      const fraction = total > 0 ? step / total : 0;
      const tenth = Math.floor(fraction * 10);
      const now = Date.now();
      if (now - lastMs < 1000 && tenth === lastTenth) return;
      lastMs = now;
      lastTenth = tenth;
      out.progress(progressLine(fraction, message));
    },
    checkpoint: async () => undefined,
  };
}

function warningLines(report: ImportReport): string[] {
  const lines: string[] = [];
  for (const issue of report.issues) {
    if (issue.line === 0) lines.push(`warning: ${issue.message}`);
  }
  for (const [kind, count] of Object.entries(report.issueCounts)) {
    if (kind === 'leakage' || kind === 'class-imbalance') continue;
    lines.push(`warning: ${number(count ?? 0)} × ${kind.replace('-', ' ')}`);
  }
  return lines;
}

/** The project positional (checked, with the command's usage in the error) opened for the time of `use`. */
async function withProject(target: string | undefined, usage: string, readOnly: boolean, use: (store: ProjectStore) => Promise<void> | void): Promise<void> {
  if (!target) bad(`Give the project folder: ${usage}`);
  await withStore(target, readOnly, use);
}

export async function datasetImport(args: ParsedArgs, out: Output): Promise<void> {
  const usage = 'dnalm dataset import PROJECT FILES... [options]';
  const [, , project, ...files] = args.positional;
  if (files.length === 0) bad(`Give the files or folders to import: ${usage}`);
  await withProject(project, usage, false, async (store) => {
    removeImportLeftovers(store);
    // A BED file is read through its reference: detection takes one FASTA among the inputs as the reference.
    const reference = text(args, 'reference');
    // No taken names: without --name, an existing name is refused (DATASET_EXISTS) rather than silently numbered.
    const preview = await previewImport(reference === undefined ? files : [...files, reference], formatFlag(args), fileIo, []);
    const options = optionsFromFlags({ ...preview.suggested, paths: files.map((f) => path.resolve(f)) }, args);
    const started = Date.now();
    const { summary, report } = await importInProcess(store, options, fileIo, cliContext(out));
    const seconds = (Date.now() - started) / 1000;
    for (const line of warningLines(report)) out.progress(line);
    out.print(
      `Imported "${summary.name}" (id ${summary.id}): ${number(summary.records)} records (${splitCounts(summary)}), ` +
        `classes ${summary.classes.join(', ') || '(none)'}; ${summary.splitDescription}; stored ${bytes(summary.storedBytes)} ` +
        `in ${seconds.toFixed(1)} s.\nContent hash: ${summary.contentHash}`,
      summary,
    );
  });
}

export async function datasetList(args: ParsedArgs, out: Output): Promise<void> {
  await withProject(args.positional[2], 'dnalm dataset list PROJECT', true, (store) => {
    const all = listDatasets(store);
    const rows = all.map((d) => [String(d.id), d.name, number(d.records), d.classes.join(', '), splitCounts(d)]);
    const header = ['ID', 'NAME', 'RECORDS', 'CLASSES', 'SPLITS'];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
    const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
    out.print(all.length === 0 ? 'No datasets in this project yet.' : [line(header), ...rows.map(line)].join('\n'), all);
  });
}

function describe(d: DatasetDetail): string {
  const classes = d.classes.length > 0 ? d.classes : [''];
  const width = Math.max(10, ...d.splits.map((s) => s.length));
  const colWidth = Math.max(8, ...classes.map((c) => c.length + 1));
  const table = [
    ['split'.padEnd(width), ...classes.map((c) => (c || 'records').padStart(colWidth))].join(''),
    ...d.splits.map((s) => [s.padEnd(width), ...classes.map((c) => number(d.counts[s]?.[c] ?? 0).padStart(colWidth))].join('')),
  ];
  return [
    `Dataset:      ${d.name} (id ${d.id})`,
    ...(d.description ? [`Description:  ${d.description}`] : []),
    `Created:      ${d.createdAt}`,
    `Records:      ${number(d.records)} (${splitCounts(d)})`,
    `Classes:      ${d.classes.join(', ') || '(none)'}`,
    `Splits:       ${d.splitDescription}`,
    `Lengths:      min ${d.lengths.min}, median ${d.lengths.median}, max ${d.lengths.max}, mean ${d.lengths.mean}`,
    `Content hash: ${d.contentHash}`,
    `Stored:       ${bytes(d.storedBytes)}`,
    `Sources:      ${d.sources.map((s) => `${s.path} (${bytes(s.bytes)})`).join('\n              ')}`,
    ...(d.licence ? [`Licence:      ${d.licence}`] : []),
    `Top ${d.stats.kmerK}-mers:   ${d.stats.topKmers.slice(0, 8).map((k) => `${k.kmer} ${number(k.count)}`).join(', ')}`,
    '',
    ...table,
  ].join('\n');
}

export async function datasetShow(args: ParsedArgs, out: Output): Promise<void> {
  const usage = 'dnalm dataset show PROJECT NAME|ID';
  await withProject(args.positional[2], usage, true, (store) => {
    const which = args.positional[3];
    if (!which) bad(`Give the dataset's name or id: ${usage}`);
    const detail = detailOf(findDataset(store, which));
    out.print(describe(detail), detail);
  });
}

export async function datasetExport(args: ParsedArgs, out: Output): Promise<void> {
  const usage = 'dnalm dataset export PROJECT NAME|ID OUT.csv|OUT.fasta [--split S]';
  await withProject(args.positional[2], usage, true, (store) => {
    const [, , , which, target] = args.positional;
    if (!which || !target) bad(`Give the dataset and the output file: ${usage}`);
    const ext = path.extname(target).toLowerCase();
    const format = ext === '.csv' ? 'csv' : ['.fa', '.fasta', '.fna', '.fas'].includes(ext) ? 'fasta' : bad('The output file must end in .csv or .fasta (.fa).');
    const stored = findDataset(store, which);
    if (stored.file === null) bad(`The dataset "${stored.summary.name}" has no stored sequences.`);
    const resolved = path.resolve(target);
    assertOutsideProject(resolved, store.path);
    const split = text(args, 'split');
    const records = exportRecords(stored.file, format, resolved, split);
    out.print(`Exported ${number(records)} records of "${stored.summary.name}" to ${resolved}.`, { path: resolved, records });
  });
}

/**
 * The import pipeline: from ImportOptions to a validation report (dry run) or a staged `.seqs` file with its summary.
 *
 *   pass 1  reads every source once through the readers (src-main/io), in batches with the sequences as bytes:
 *           normalises each record (upper case; IUPAC codes and foreign characters by policy), applies the length
 *           limits, finds exact duplicates and cross-split leakage through a 64-bit hash per distinct sequence, and
 *           (import only) appends the surviving records, already in their stored form (2-bit packed), to a scratch
 *           file in the staging folder. Checking, packing and hashing are one loop over the bytes (sequence-encoder.ts);
 *           a record with anything but A/C/G/T/N falls back to the string checks, which name the character.
 *   decide  random splits (seeded, stratified, identical sequences kept together), leakage drops, counts, warnings.
 *   pass 2  (import only) copies the scratch records split by split, in canonical order, into the staged file (a byte
 *           copy: only the label code and the id's shared prefix are written anew) while computing the content hash
 *           (the records unpacked into one large buffer per update) and the statistics (from the packed bytes); the
 *           scratch file is then removed.
 *
 * Memory is flat in the input size apart from per-record columns kept for the decisions: label (2 bytes), split (1),
 * first-occurrence index (4), split mask (1), file (2) and line (4) for messages, length (4), dropped flag (1), offset
 * in the scratch file (8) = 27 bytes, plus the hash table (about 20 bytes per distinct sequence): about 50 bytes per
 * record, i.e. 50 MB for a million records, whatever their length.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {
  ApiError,
  type DatasetStats,
  type DatasetSummary,
  type ImportIssueKind,
  type ImportOptions,
  type ImportReport,
} from '../../src-shared/api';
import { baseClassCode } from '../../src-shared/dna';
import { batchRecords, type RecordBatch } from '../io/record-batch';
import { ImportError } from '../io/types';
import { fileBytes, sourcesFor, type DatasetIo } from './dataset-io';
import { LengthCounter, StatsAccumulator, unpackBases } from './dataset-stats';
import { IssueLog, rejectionMessage, showChar } from './import-issues';
import { SequenceEncoder, checkBytes } from './sequence-encoder';
import { RangeReader, SequenceFileWriter, type SplitRange } from './sequence-store';
import { SequenceHashIndex } from './sequence-hash-index';
import {
  TEST,
  TRAIN,
  VALIDATION,
  compareLabels,
  compareSplits,
  describeSplitRule,
  normaliseSplitName,
  splitRank,
  stratifiedAssignment,
} from './splits';

/** What the pipeline sees of the job (TaskContext satisfies it; the CLI and the demo pass their own). */
export interface ImportContext {
  progress(step: number, total: number, message: string): void;
  /** A cancellation point: throws when the job was cancelled. */
  checkpoint(): Promise<void>;
}

/** Everything of a DatasetSummary that the import itself knows (the project adds id, date and licence). */
export type StagedDataset = Omit<DatasetSummary, 'id' | 'createdAt' | 'licence'>;

export interface StagedImport {
  /** The finished `.seqs` file, inside the staging folder, to be moved into place by the commit. */
  readonly stagedFile: string;
  readonly dataset: StagedDataset;
  readonly stats: DatasetStats;
  readonly report: ImportReport;
}

const MAX_SPLITS = 8; // one bit each in the per-sequence split mask
const MAX_CLASSES = 10_000;
const MAX_FILES = 65_535; // a 16-bit file column
const CHECKPOINT_EVERY = 2048;
const PROGRESS_EVERY_MS = 200;
const IMBALANCE_RATIO = 3;

/** Dry run: reads everything, stores nothing. */
export async function validateImport(options: ImportOptions, io: DatasetIo, ctx: ImportContext): Promise<ImportReport> {
  const scan = await firstPass(options, io, ctx, null);
  return scan.report;
}

/**
 * Reads, checks and writes the dataset to `<stagingDir>/<random>.seqs`. Throws IMPORT_REJECTED (and leaves nothing in
 * the staging folder) when a blocking problem was found.
 */
export async function stageImport(options: ImportOptions, stagingDir: string, io: DatasetIo, ctx: ImportContext): Promise<StagedImport> {
  fs.mkdirSync(stagingDir, { recursive: true });
  const token = crypto.randomBytes(6).toString('hex');
  const scratchFile = path.join(stagingDir, `${token}.pass1.tmp`);
  const stagedFile = path.join(stagingDir, `${token}.seqs`);
  const scratch = SequenceFileWriter.create(scratchFile, { prefixIds: false });
  let staged: SequenceFileWriter | null = null;
  try {
    const scan = await firstPass(options, io, ctx, scratch);
    if (scan.report.blocked) throw new ApiError('IMPORT_REJECTED', rejectionMessage(scan.issues));
    const scratchEnd = scratch.closeRecords();
    staged = SequenceFileWriter.create(stagedFile);
    const written = await secondPass(scan, scratchFile, scratchEnd, staged, ctx);
    const bytes = staged.finish({ labels: written.labels, splits: written.splits });
    staged = null;
    const report = scan.report;
    return {
      stagedFile,
      stats: written.stats,
      report,
      dataset: {
        name: options.name,
        description: options.description ?? '',
        contentHash: written.contentHash,
        records: report.accepted,
        classes: scan.classes,
        splits: Object.keys(report.counts),
        counts: report.counts,
        lengths: report.lengths,
        sources: report.files.map((f) => ({ path: f.path, bytes: f.bytes })),
        options,
        splitDescription: describeSplitRule(options.split),
        storedBytes: bytes,
      },
    };
  } catch (err) {
    staged?.abort();
    fs.rmSync(stagedFile, { force: true });
    throw err;
  } finally {
    scratch.abort(); // closes if still open, and removes the scratch file in every case
  }
}

/** Per-record columns in growable typed arrays (see the memory note at the top). */
class RecordColumns {
  n = 0;
  label = new Uint16Array(1024);
  split = new Uint8Array(1024);
  rep = new Int32Array(1024);
  mask = new Uint8Array(1024);
  file = new Uint16Array(1024);
  line = new Uint32Array(1024);
  length = new Uint32Array(1024);
  dropped = new Uint8Array(1024);
  /** Where the record starts in the scratch file. */
  offset = new Float64Array(1024);

  push(label: number, split: number, rep: number, file: number, line: number, length: number, offset: number): number {
    if (this.n === this.label.length) this.grow();
    const i = this.n++;
    this.label[i] = label;
    this.split[i] = split;
    this.rep[i] = rep;
    this.file[i] = file;
    this.line[i] = line;
    this.length[i] = length;
    this.offset[i] = offset;
    return i;
  }

  private grow(): void {
    const cap = this.label.length * 2;
    const grown = <T extends Uint8Array | Uint16Array | Uint32Array | Int32Array | Float64Array>(a: T, make: (n: number) => T): T => {
      const b = make(cap);
      b.set(a);
      return b;
    };
    this.label = grown(this.label, (n) => new Uint16Array(n));
    this.split = grown(this.split, (n) => new Uint8Array(n));
    this.rep = grown(this.rep, (n) => new Int32Array(n));
    this.mask = grown(this.mask, (n) => new Uint8Array(n));
    this.file = grown(this.file, (n) => new Uint16Array(n));
    this.line = grown(this.line, (n) => new Uint32Array(n));
    this.length = grown(this.length, (n) => new Uint32Array(n));
    this.dropped = grown(this.dropped, (n) => new Uint8Array(n));
    this.offset = grown(this.offset, (n) => new Float64Array(n));
  }
}

interface FirstPass {
  readonly report: ImportReport;
  readonly issues: IssueLog;
  readonly columns: RecordColumns;
  readonly labelNames: readonly string[];
  readonly splitNames: readonly string[];
  /** Sorted class names (empty for an unlabelled dataset). */
  readonly classes: readonly string[];
}

/** A simple code table for names (labels, splits) met while reading. */
class NameCodes {
  readonly names: string[] = [];
  private readonly codes = new Map<string, number>();

  constructor(
    private readonly limit: number,
    private readonly tooMany: string,
  ) {}

  code(name: string): number {
    let code = this.codes.get(name);
    if (code === undefined) {
      if (this.names.length >= this.limit) throw new ApiError('IMPORT_REJECTED', this.tooMany);
      code = this.names.length;
      this.names.push(name);
      this.codes.set(name, code);
    }
    return code;
  }
}

function splitOfChromosome(options: ImportOptions, chrom: string | undefined): string {
  const rule = options.split;
  if (rule.mode !== 'chromosome' || chrom === undefined) return TRAIN;
  if (rule.test.includes(chrom)) return TEST;
  if (rule.validation.includes(chrom)) return VALIDATION;
  return TRAIN;
}

async function firstPass(
  options: ImportOptions,
  io: DatasetIo,
  ctx: ImportContext,
  sink: SequenceFileWriter | null,
): Promise<FirstPass> {
  const { sources } = await withReadErrors(() => sourcesFor(options, io));
  if (sources.length === 0) throw new ApiError('IMPORT_REJECTED', 'No files to import were found in the chosen location.');
  if (sources.length > MAX_FILES) throw new ApiError('IMPORT_REJECTED', `The selection holds ${sources.length.toLocaleString('en-US')} files; import at most ${MAX_FILES.toLocaleString('en-US')} at a time.`);
  const files = sources.map((s) => ({ path: s.path, bytes: fileBytes(s.path), records: 0 }));
  const totalBytes = files.reduce((n, f) => n + f.bytes, 0);

  const issues = new IssueLog();
  const columns = new RecordColumns();
  const hashes = new SequenceHashIndex();
  const labels = new NameCodes(MAX_CLASSES, `The records have more than ${MAX_CLASSES.toLocaleString('en-US')} different classes: is the label column the right one?`);
  const splits = new NameCodes(MAX_SPLITS, `The files define more than ${MAX_SPLITS} splits: import them as given splits only when their names are train, validation (dev) and test.`);
  const labelsExpected = options.labels.from !== 'none';
  const random = options.split.mode === 'random';
  const leakPairs = new Map<string, number>();
  let leakingSequences = 0;
  let rawRecords = 0;

  let doneBytes = 0;
  let lastProgress = 0;
  const report = (fileBytes: number, message: string, force = false): void => {
    const now = Date.now();
    if (!force && now - lastProgress < PROGRESS_EVERY_MS) return;
    lastProgress = now;
    ctx.progress(Math.min(totalBytes, doneBytes + fileBytes), totalBytes, message);
  };

  // The record being looked at, for the location of the issues it raises.
  let file = '';
  let line = 0;
  const warn = (kind: ImportIssueKind, message: string, column?: number): void =>
    issues.add({ kind, severity: 'warning', file, line, ...(column === undefined ? {} : { column }), message });
  const error = (kind: ImportIssueKind, message: string, column?: number): void =>
    issues.add({ kind, severity: 'error', file, line, ...(column === undefined ? {} : { column }), message });

  const encoder = new SequenceEncoder();
  // Labels and splits repeat from one record to the next: remember the last one's code.
  let lastLabel: string | null = null;
  let lastLabelCode = 0;
  let lastSplit: string | null | undefined;
  let lastSplitName = '';
  const accept = (batch: RecordBatch, r: number, fileIndex: number): void => {
    rawRecords++;
    file = batch.files[r] ?? '';
    line = batch.lines[r] ?? 0;

    let label = '';
    if (labelsExpected) {
      label = (batch.labels[r] ?? '').trim();
      if (label === '') {
        error('no-label', 'the record has no class label. Give every record a class, or import without labels.');
        return;
      }
    }

    // Bytes that are all A/C/G/T (or A/C/G/T/N) are packed as they are; anything else takes the string checks.
    const start = batch.starts[r] ?? 0;
    const end = batch.ends[r] ?? 0;
    if (!encoder.encodeAcgt(batch.bytes, batch.words, start, end)) {
      if (checkBytes(batch.bytes, start, end) === 0) encoder.encodeBytes(batch.bytes, start, end);
      else {
        const sequence = normaliseSequence(batch.sequence(r), options, warn, error);
        if (sequence === null) return;
        encoder.encodeString(sequence);
      }
    }
    const length = encoder.length;
    if (length === 0) {
      warn('empty-record', 'the record has no sequence; it is left out.');
      return;
    }
    if (options.minLength !== undefined && length < options.minLength) {
      warn('too-short', `the sequence has ${length} bases, fewer than the minimum of ${options.minLength}; it is left out.`);
      return;
    }
    if (options.maxLength !== undefined && length > options.maxLength) {
      warn('too-long', `the sequence has ${length} bases, more than the maximum of ${options.maxLength}; it is left out.`);
      return;
    }

    let splitName = '';
    if (random) splitName = '';
    else if (options.split.mode === 'chromosome') splitName = splitOfChromosome(options, batch.chroms[r]);
    else {
      const raw = batch.splits[r];
      if (raw !== lastSplit) {
        lastSplit = raw;
        lastSplitName = normaliseSplitName(raw) ?? TRAIN;
      }
      splitName = lastSplitName;
    }
    const splitCode = splits.code(splitName);
    if (label !== lastLabel) {
      lastLabelCode = labels.code(label);
      lastLabel = label;
    }
    const labelCode = lastLabelCode;
    const bit = 1 << splitCode;
    const index = columns.n;
    const first = hashes.findOrInsertHash(encoder.hashHi, encoder.hashLo, index);
    let rep = index;
    if (first >= 0) {
      rep = first;
      const seen = columns.mask[first] ?? 0;
      const where = `line ${columns.line[first]} of ${path.basename(files[columns.file[first] ?? 0]?.path ?? '')}`;
      if (random || (seen & bit) !== 0) {
        const dropping = options.duplicates === 'drop';
        warn('duplicate', `the same sequence as ${where}${random ? '' : ` (${splitName})`}${dropping ? '; this copy is left out' : ''}.`);
        if (dropping) return;
      } else {
        const others = splits.names.filter((_, code) => (seen & (1 << code)) !== 0);
        for (const other of others) {
          const [a, b] = [other, splitName].sort(compareSplits);
          leakPairs.set(`${a}\t${b}`, (leakPairs.get(`${a}\t${b}`) ?? 0) + 1);
        }
        if (others.length === 1) leakingSequences++;
        issues.example({
          kind: 'leakage',
          severity: 'warning',
          file,
          line,
          message: `this ${splitName} sequence is also in ${others.join(' and ')} (${where}).`,
        });
      }
      columns.mask[first] = seen | bit;
    }
    columns.push(labelCode, splitCode, rep, fileIndex, line, length, sink?.bytes ?? 0); // grows the columns before the mask is set
    if (first < 0) columns.mask[index] = bit;
    if (sink && !issues.blocked) sink.appendEncoded(batch.ids[r] ?? '', labelCode, encoder);
  };

  for (const [fileIndex, spec] of sources.entries()) {
    const info = files[fileIndex];
    if (!info) continue;
    const name = path.basename(spec.path);
    let fileBytes = 0;
    let sinceCheckpoint = 0;
    report(0, `Reading ${name}`, true);
    await withReadErrors(async () => {
      const stop = { cancelled: false };
      try {
        const onProgress = (p: { bytesRead: number }): void => {
          fileBytes = p.bytesRead;
        };
        const batches = io.readRecordBatches
          ? io.readRecordBatches(spec, onProgress, stop)
          : batchRecords(io.readRecords(spec, onProgress, stop), CHECKPOINT_EVERY);
        for await (const batch of batches) {
          for (let r = 0; r < batch.count; r++) {
            info.records++;
            accept(batch, r, fileIndex);
          }
          sinceCheckpoint += batch.count;
          if (sinceCheckpoint >= CHECKPOINT_EVERY) {
            sinceCheckpoint = 0;
            report(fileBytes, `Reading ${name}: ${info.records.toLocaleString('en-US')} records`);
            await ctx.checkpoint();
          }
        }
      } finally {
        stop.cancelled = true;
      }
    });
    doneBytes += info.bytes;
    report(0, `Read ${name}: ${info.records.toLocaleString('en-US')} records`, true);
    await ctx.checkpoint();
  }

  // Decide: random splits, leakage drops, then count what would be stored.
  if (random && options.split.mode === 'random') assignRandomSplits(columns, labels.names, splits, options.split);
  if (!random && options.leakage === 'drop-from-train' && leakingSequences > 0) {
    const ranks = splits.names.map(splitRank);
    for (let i = 0; i < columns.n; i++) {
      const seen = columns.mask[columns.rep[i] ?? i] ?? 0;
      const own = columns.split[i] ?? 0;
      for (let code = 0; code < splits.names.length; code++) {
        if (code !== own && (seen & (1 << code)) !== 0 && (ranks[code] ?? 0) > (ranks[own] ?? 0)) {
          columns.dropped[i] = 1;
          break;
        }
      }
    }
  }

  for (const [pair, count] of [...leakPairs.entries()].sort()) {
    const [a, b] = pair.split('\t');
    const dropping = options.leakage === 'drop-from-train';
    issues.summary({
      kind: 'leakage',
      severity: 'warning',
      file: '',
      line: 0,
      message:
        `${count.toLocaleString('en-US')} ${count === 1 ? 'sequence is' : 'sequences are'} in both ${a} and ${b}` +
        (dropping ? `; the ${a} copies are left out.` : ': a model could be tested on sequences it was trained on.'),
    });
  }
  if (leakingSequences > 0) issues.counts.leakage = leakingSequences;

  const classes = labelsExpected ? [...labels.names].sort(compareLabels) : [];
  const countBySplit = new Map<string, Map<string, number>>();
  const lengths = new LengthCounter();
  let accepted = 0;
  for (let i = 0; i < columns.n; i++) {
    if (columns.dropped[i]) continue;
    accepted++;
    const split = splits.names[columns.split[i] ?? 0] ?? '';
    const label = labels.names[columns.label[i] ?? 0] ?? '';
    const bySplit = countBySplit.get(split) ?? new Map<string, number>();
    bySplit.set(label, (bySplit.get(label) ?? 0) + 1);
    countBySplit.set(split, bySplit);
    lengths.add(columns.length[i] ?? 0);
  }
  const counts: Record<string, Record<string, number>> = {};
  for (const split of [...countBySplit.keys()].sort(compareSplits)) {
    const bySplit = countBySplit.get(split);
    counts[split] = Object.fromEntries((labelsExpected ? classes : ['']).map((c) => [c, bySplit?.get(c) ?? 0]));
  }
  if (labelsExpected && accepted > 0) checkBalance(classes, counts, issues);
  if (accepted === 0 && !issues.blocked) {
    issues.summary({
      kind: 'empty-record',
      severity: 'error',
      file: '',
      line: 0,
      message: 'Nothing to import: no record passed the checks.',
    });
  }

  return {
    issues,
    columns,
    labelNames: labels.names,
    splitNames: splits.names,
    classes,
    report: {
      records: rawRecords,
      bytes: totalBytes,
      files,
      issues: issues.issues,
      issueCounts: { ...issues.counts },
      accepted,
      dropped: rawRecords - accepted,
      blocked: issues.blocked,
      lengths: lengths.summary(),
      counts,
    },
  };
}

/**
 * Upper-cases the sequence and applies the character policies. Returns null when the record is left out (or the
 * import is refused). Positions in messages count within the sequence: readers remove line breaks and the
 * surrounding fields, so the position in the file's line is not known here.
 */
function normaliseSequence(
  raw: string,
  options: ImportOptions,
  warn: (kind: ImportIssueKind, message: string, column?: number) => void,
  error: (kind: ImportIssueKind, message: string, column?: number) => void,
): string | null {
  let lower = false;
  let firstIupac = -1;
  let firstInvalid = -1;
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    const cls = baseClassCode(c);
    if (cls === 3) {
      if (firstInvalid < 0) firstInvalid = i;
      break;
    }
    if (cls === 2 && firstIupac < 0) firstIupac = i;
    if (c >= 0x61) lower = true;
  }
  if (firstInvalid >= 0) {
    const ch = showChar(String.fromCodePoint(raw.codePointAt(firstInvalid) ?? 0));
    const problem = `${ch} is not a DNA base (A, C, G, T or N)`;
    if (options.invalid === 'reject') error('invalid-character', `${problem}.`, firstInvalid + 1);
    else warn('invalid-character', `${problem}; the record is left out.`, firstInvalid + 1);
    return null;
  }
  if (firstIupac >= 0) {
    const ch = raw[firstIupac] ?? '';
    const problem = `'${ch}' is an IUPAC ambiguity code`;
    switch (options.ambiguous) {
      case 'reject':
        error('ambiguous-base', `${problem}; choose "turn into N" or "leave the record out" to import anyway.`, firstIupac + 1);
        return null;
      case 'drop-record':
        warn('ambiguous-base', `${problem}; the record is left out.`, firstIupac + 1);
        return null;
      case 'to-n':
        warn('ambiguous-base', `${problem}; ambiguity codes in this record become N.`, firstIupac + 1);
        return raw.toUpperCase().replace(/[RYSWKMBDHV]/g, 'N');
    }
  }
  return lower ? raw.toUpperCase() : raw;
}

/**
 * Seeded stratified split. Identical sequences form one group that goes to one split (so a random split never leaks
 * a sequence from train to test); each group counts for the class of its first record.
 */
function assignRandomSplits(
  columns: RecordColumns,
  labelNames: readonly string[],
  splits: NameCodes,
  rule: { readonly seed: number; readonly train: number; readonly validation: number },
): void {
  const classOrder = labelNames.map((_, code) => code).sort((a, b) => compareLabels(labelNames[a] ?? '', labelNames[b] ?? ''));
  const groups = classOrder.map((): number[] => []);
  const groupOfClass = new Map(classOrder.map((code, g) => [code, g]));
  for (let i = 0; i < columns.n; i++) {
    if (columns.rep[i] === i) groups[groupOfClass.get(columns.label[i] ?? 0) ?? 0]?.push(i);
  }
  const assigned = stratifiedAssignment(groups, rule);
  const splitCodes = [TRAIN, VALIDATION, TEST].map((name) => splits.code(name));
  groups.forEach((members, g) => {
    const codes = assigned[g];
    members.forEach((record, k) => {
      columns.split[record] = splitCodes[codes?.[k] ?? 0] ?? 0;
    });
  });
  for (let i = 0; i < columns.n; i++) {
    const rep = columns.rep[i] ?? i;
    if (rep !== i) columns.split[i] = columns.split[rep] ?? 0;
  }
}

function checkBalance(classes: readonly string[], counts: Record<string, Record<string, number>>, issues: IssueLog): void {
  const warn = (message: string): void => issues.summary({ kind: 'class-imbalance', severity: 'warning', file: '', line: 0, message });
  let found = 0;
  if (classes.length >= 2) {
    const totals = classes.map((c) => Object.values(counts).reduce((n, bySplit) => n + (bySplit[c] ?? 0), 0));
    const largest = Math.max(...totals);
    const smallest = Math.min(...totals);
    if (smallest === 0 || largest / smallest >= IMBALANCE_RATIO) {
      const big = classes[totals.indexOf(largest)] ?? '';
      const small = classes[totals.indexOf(smallest)] ?? '';
      warn(
        `The classes are unbalanced: "${big}" has ${largest.toLocaleString('en-US')} records, "${small}" only ` +
          `${smallest.toLocaleString('en-US')}. Accuracy will be misleading; look at MCC or balanced accuracy.`,
      );
      found++;
    }
  }
  for (const [split, bySplit] of Object.entries(counts)) {
    const missing = classes.filter((c) => (bySplit[c] ?? 0) === 0);
    if (missing.length > 0 && missing.length < classes.length) {
      warn(`The ${split} split has no records of class ${missing.map((c) => `"${c}"`).join(', ')}.`);
      found++;
    }
  }
  if (found > 0) issues.counts['class-imbalance'] = found;
}

interface SecondPass {
  readonly labels: readonly string[];
  readonly splits: readonly SplitRange[];
  readonly contentHash: string;
  readonly stats: DatasetStats;
}

/**
 * Writes the records in canonical order (splits sorted by name, record order within each) so that the content hash
 * (SHA-256 over "split TAB label TAB sequence LF") is computed in the same stream, and each split is one range.
 * Records are copied from the scratch file as bytes; only the text for the hash is unpacked.
 */
async function secondPass(scan: FirstPass, scratchFile: string, scratchEnd: number, out: SequenceFileWriter, ctx: ImportContext): Promise<SecondPass> {
  const { columns, splitNames, labelNames } = scan;
  const finalLabels = scan.classes.length > 0 ? scan.classes : [''];
  const finalCode = labelNames.map((name) => Math.max(0, finalLabels.indexOf(name)));
  const text = new CanonicalText();
  const stats = new StatsAccumulator();
  const ranges: SplitRange[] = [];
  const total = scan.report.accepted;
  const reader = new RangeReader(scratchFile, scratchEnd);
  const runs: number[] = [];
  try {
    const order = splitNames.map((name, code) => ({ name, code })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const { name, code } of order) {
      const start = out.records;
      const prefixes = finalLabels.map((label) => Buffer.from(`${name}\t${label}\t`, 'utf8'));
      let sinceCheckpoint = 0;
      for (let i = 0; i < columns.n; i++) {
        if (columns.split[i] !== code || columns.dropped[i] !== 0) continue;
        const from = columns.offset[i] ?? 0;
        const to = i + 1 < columns.n ? (columns.offset[i + 1] ?? scratchEnd) : scratchEnd;
        const buf = reader.range(from, to);
        const end = reader.at + (to - from);
        // label code, shared id prefix (always 0 in the scratch file), id length, id, then the sequence part.
        let p = skipVarint(buf, reader.at);
        p = skipVarint(buf, p);
        const idLength = readVarint(buf, p);
        const idStart = varintEnd;
        const bodyStart = idStart + idLength;
        const labelCode = finalCode[columns.label[i] ?? 0] ?? 0;
        out.appendRaw(buf, idStart, idLength, labelCode, buf, bodyStart, end);
        const length = readVarint(buf, bodyStart);
        const runCount = readVarint(buf, varintEnd);
        p = varintEnd;
        runs.length = 0;
        let previousEnd = 0;
        for (let k = 0; k < runCount; k++) {
          const runStart = previousEnd + readVarint(buf, p);
          const runLength = readVarint(buf, varintEnd);
          p = varintEnd;
          runs.push(runStart, runLength);
          previousEnd = runStart + runLength;
        }
        const dst = text.begin(prefixes[labelCode] ?? Buffer.alloc(0), length);
        const at = text.sequenceStart;
        if (runCount === 0) stats.addPacked(buf, p, length, dst, at);
        else {
          unpackBases(buf, p, length, dst, at);
          for (let r = 0; r < runs.length; r += 2) dst.fill(0x4e, at + (runs[r] ?? 0), at + (runs[r] ?? 0) + (runs[r + 1] ?? 0));
          stats.addBytes(dst, at, at + length);
        }
        text.end(length);
        if (++sinceCheckpoint >= CHECKPOINT_EVERY * 4) {
          sinceCheckpoint = 0;
          ctx.progress(scan.report.bytes, scan.report.bytes, `Storing ${out.records.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} records`);
          await ctx.checkpoint();
        }
      }
      if (out.records > start) ranges.push({ name, start, count: out.records - start });
    }
  } finally {
    reader.close();
  }
  ctx.progress(scan.report.bytes, scan.report.bytes, `Stored ${out.records.toLocaleString('en-US')} records`);
  return { labels: finalLabels, splits: ranges, contentHash: text.digest(), stats: stats.stats() };
}

const HASH_BUFFER_BYTES = 1 << 20;

/** The canonical text ("split TAB label TAB sequence LF" per record) fed to SHA-256 a megabyte at a time. */
class CanonicalText {
  private readonly hash = crypto.createHash('sha256');
  private readonly buf = new Uint8Array(HASH_BUFFER_BYTES);
  private pos = 0;
  private big: Uint8Array | null = null;
  private current: Uint8Array = this.buf;
  /** Where the current record's sequence goes in the buffer `begin` returned. */
  sequenceStart = 0;

  /** Starts a record: writes its prefix and returns the buffer where its `length` bases go, from `sequenceStart`. */
  begin(prefix: Uint8Array, length: number): Uint8Array {
    const need = prefix.length + length + 1;
    if (this.pos + need > this.buf.length) this.flush();
    let dst: Uint8Array = this.buf;
    let o = this.pos;
    if (need > dst.length) {
      if ((this.big?.length ?? 0) < need) this.big = new Uint8Array(need);
      dst = this.big ?? dst;
      o = 0;
    }
    dst.set(prefix, o);
    this.sequenceStart = o + prefix.length;
    this.current = dst;
    return dst;
  }

  /** Ends the record whose `length` bases were written. */
  end(length: number): void {
    const dst = this.current;
    let o = this.sequenceStart + length;
    dst[o++] = 10;
    if (dst === this.buf) this.pos = o;
    else this.hash.update(dst.subarray(0, o));
  }

  digest(): string {
    this.flush();
    return this.hash.digest('hex');
  }

  private flush(): void {
    if (this.pos > 0) this.hash.update(this.buf.subarray(0, this.pos));
    this.pos = 0;
  }
}

let varintEnd = 0;

/** The unsigned LEB128 varint at buf[pos]; `varintEnd` is left just after it. */
function readVarint(buf: Uint8Array, pos: number): number {
  let result = 0;
  let scale = 1;
  for (;;) {
    const byte = buf[pos++] ?? 0;
    result += (byte & 0x7f) * scale;
    if (byte < 0x80) break;
    scale *= 128;
  }
  varintEnd = pos;
  return result;
}

function skipVarint(buf: Uint8Array, pos: number): number {
  while ((buf[pos++] ?? 0) >= 0x80);
  return pos;
}

/** Reader format errors and unreadable files refuse the import with the reader's own located message. */
async function withReadErrors<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof ImportError) throw new ApiError('IMPORT_REJECTED', err.message.replace(/[\r\n]+/g, ' '));
    const code = typeof err === 'object' && err !== null && 'code' in err ? (err as { code: unknown }).code : undefined;
    if (code === 'ENOENT' || code === 'EACCES' || code === 'EPERM' || code === 'EISDIR' || code === 'ENOTDIR') {
      const file = (err as { path?: string }).path ?? '';
      const why = code === 'ENOENT' ? 'does not exist' : code === 'EISDIR' ? 'is a folder, not a file' : 'cannot be read';
      throw new ApiError('IMPORT_REJECTED', `${file || 'A chosen file'} ${why}.`);
    }
    throw err;
  }
}

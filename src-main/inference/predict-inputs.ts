/**
 * Where predict reads its sequences: pasted text (FASTA, or one sequence per line, optionally `name<TAB or ,>seq`),
 * a FASTA/CSV/TSV file (through the io readers, streamed), or a dataset's `.seqs` file (labels and splits kept).
 * Every source yields records one at a time, so a large file is never held whole.
 */
import path from 'node:path';
import { ApiError, type PredictInput } from '../../src-shared/api';
import { SequenceFileReader } from '../datasets/sequence-store';
import { readRecords, type CancelSignal } from '../io';
import { sniffFormat } from '../io/sniff-format';
import type { ConcreteFormat } from '../io/types';

export interface InputRecord {
  readonly id: string;
  readonly sequence: string;
  readonly label?: string;
  readonly split?: string;
  /** "promoters.fa, line 12": where an error about this record points. */
  readonly where: string;
}

const DNA = /^[ACGTUNRYKMSWBDHVacgtunrykmswbdhv]+$/;

function checkDna(r: InputRecord): InputRecord {
  if (!DNA.test(r.sequence)) {
    const bad = [...r.sequence].find((c) => !DNA.test(c)) ?? '?';
    throw new ApiError('INVALID_REQUEST', `${r.where}: the sequence "${r.id}" holds '${bad}', which is not a base (A, C, G, T, N or an IUPAC code); fix or remove it.`);
  }
  if (r.sequence.length === 0) throw new ApiError('INVALID_REQUEST', `${r.where}: the sequence "${r.id}" is empty.`);
  return r;
}

/** Pasted text: FASTA when it starts with '>', else one sequence per line. */
export function* parsePastedText(text: string): Generator<InputRecord> {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const first = lines.findIndex((l) => l.trim() !== '');
  if (first < 0) throw new ApiError('INVALID_REQUEST', 'The pasted text holds no sequences.');
  if ((lines[first] ?? '').trimStart().startsWith('>')) {
    let id = '';
    let seq: string[] = [];
    let at = 0;
    for (const [i, raw] of lines.entries()) {
      const l = raw.trim();
      if (l.startsWith('>')) {
        if (id !== '' || seq.length > 0) yield checkDna({ id, sequence: seq.join(''), where: `pasted text, line ${at}` });
        id = l.slice(1).trim().split(/\s+/)[0] ?? '';
        if (id === '') id = `seq${i + 1}`;
        seq = [];
        at = i + 1;
      } else if (l !== '') {
        if (at === 0) throw new ApiError('INVALID_REQUEST', `pasted text, line ${i + 1}: sequence before the first '>' header.`);
        seq.push(l.replace(/\s+/g, ''));
      }
    }
    yield checkDna({ id, sequence: seq.join(''), where: `pasted text, line ${at}` });
    return;
  }
  let n = 0;
  for (const [i, raw] of lines.entries()) {
    const l = raw.trim();
    if (l === '' || l.startsWith('#')) continue;
    n++;
    const sep = l.search(/[\t,]/);
    const id = sep >= 0 ? l.slice(0, sep).trim() || `seq${n}` : `seq${n}`;
    const sequence = (sep >= 0 ? l.slice(sep + 1) : l).trim().replace(/\s+/g, '');
    yield checkDna({ id, sequence, where: `pasted text, line ${i + 1}` });
  }
}

async function formatOf(file: string): Promise<ConcreteFormat> {
  const sniffed = await sniffFormat(file);
  if (sniffed.empty) throw new ApiError('INVALID_REQUEST', `${path.basename(file)} is empty.`);
  const f = sniffed.format;
  if (f === 'fasta' || f === 'csv' || f === 'tsv') return f;
  throw new ApiError('INVALID_REQUEST', `${path.basename(file)} is not a FASTA, CSV or TSV file of sequences; predict reads those (or pasted text, or a dataset).`);
}

function columnOf(c: string | number | undefined): string | undefined {
  if (c === undefined) return undefined;
  return typeof c === 'number' ? String(c + 1) : c; // the readers count columns from 1
}

async function* fromFile(input: Extract<PredictInput, { kind: 'file' }>, signal: CancelSignal, onBytes?: (read: number, total: number) => void): AsyncGenerator<InputRecord> {
  const format = await formatOf(input.path);
  const sequenceColumn = columnOf(input.sequenceColumn);
  const spec = { path: input.path, format, ...(sequenceColumn === undefined ? {} : { sequenceColumn }) };
  const name = path.basename(input.path);
  const progress = onBytes === undefined ? undefined : (p: { bytesRead: number; totalBytes: number }): void => onBytes(p.bytesRead, p.totalBytes);
  for await (const r of readRecords(spec, progress, signal)) {
    yield checkDna({ id: r.id, sequence: r.sequence, where: `${name}, line ${r.line}` });
  }
}

function* fromDataset(file: string, datasetName: string, split: string | undefined): Generator<InputRecord> {
  const reader = SequenceFileReader.open(file);
  try {
    const splits = reader.meta.splits.map((s) => s.name);
    if (split !== undefined && !splits.includes(split)) {
      throw new ApiError('INVALID_REQUEST', `The dataset "${datasetName}" has no split "${split}" (it has ${splits.join(', ') || 'none'}).`);
    }
    for (const s of split === undefined ? splits : [split]) {
      let n = 0;
      for (const r of reader.splitRecords(s)) {
        n++;
        const where = `dataset "${datasetName}", ${s} split, record ${n}`;
        yield { id: r.id, sequence: r.sequence, ...(r.label === '' ? {} : { label: r.label }), split: r.split, where };
      }
    }
  } finally {
    reader.close();
  }
}

/** The dataset's file and name are resolved by main (prepare) and passed to the worker. */
export interface ResolvedDataset {
  readonly file: string;
  readonly name: string;
  readonly records: number;
}

/** The records of an input; `onBytes` reports how far a file has been read (its record count is not known ahead). */
export function readPredictInput(
  input: PredictInput,
  dataset: ResolvedDataset | null,
  signal: CancelSignal,
  onBytes?: (read: number, total: number) => void,
): AsyncIterable<InputRecord> | Iterable<InputRecord> {
  switch (input.kind) {
    case 'text':
      return parsePastedText(input.text);
    case 'file':
      return fromFile(input, signal, onBytes);
    case 'dataset':
      if (dataset === null) throw new ApiError('INTERNAL', 'The dataset was not resolved.');
      return fromDataset(dataset.file, dataset.name, input.split);
  }
}

export function describePredictInput(input: PredictInput, count: number, dataset: ResolvedDataset | null): string {
  const n = `${count.toLocaleString('en-US')} sequence${count === 1 ? '' : 's'}`;
  switch (input.kind) {
    case 'text':
      return `${n} pasted`;
    case 'file':
      return `${n} from ${path.basename(input.path)}`;
    case 'dataset':
      return `${n} from dataset ${dataset?.name ?? input.datasetId}${input.split === undefined ? '' : ` (${input.split})`}`;
  }
}

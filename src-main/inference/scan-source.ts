/**
 * The long sequence a scan reads: a record (or a region of it) of a FASTA file, read in parts through its index
 * (.fai, and .gzi for bgzip; built in memory when absent), or pasted text. Coordinates are 0-based half-open.
 */
import path from 'node:path';
import { ApiError, type ScanSource } from '../../src-shared/api';
import { FastaReference, compressionOf, readRecords } from '../io';
import { parsePastedText } from './predict-inputs';

export interface SequenceRegion {
  readonly chrom: string;
  readonly start: number;
  readonly end: number;
  /** Bases [from, to) in the record's coordinates, within [start, end). */
  fetch(from: number, to: number): Promise<string>;
  close(): Promise<void>;
  /** "chr2:1-2,333,275 of chr2_1-2333275.fa.gz" */
  readonly description: string;
}

const fmt = (n: number): string => n.toLocaleString('en-US');

export function describeRegion(chrom: string, start: number, end: number): string {
  return `${chrom}:${fmt(start + 1)}-${fmt(end)}`;
}

function inMemory(chrom: string, sequence: string, start: number, end: number, description: string): SequenceRegion {
  return {
    chrom,
    start,
    end,
    description,
    fetch: async (from, to) => sequence.slice(from, to),
    close: async () => undefined,
  };
}

/** start/end given by the user, checked against the record's length: outside is an error naming both. */
export function checkedRange(file: string, chrom: string, length: number, start: number | undefined, end: number | undefined): { start: number; end: number } {
  const s = start ?? 0;
  const e = end ?? length;
  if (!Number.isInteger(s) || !Number.isInteger(e) || s < 0 || e <= s) {
    throw new ApiError('INVALID_REQUEST', `The region ${chrom}:${s + 1}-${e} is empty or reversed; give start < end (1-based chr:start-end).`);
  }
  if (e > length) {
    throw new ApiError(
      'INVALID_REQUEST',
      `${path.basename(file)}: the region ${describeRegion(chrom, s, e)} lies outside the reference; ${chrom} has ${fmt(length)} bases (1-${fmt(length)}). Choose a region inside it.`,
    );
  }
  return { start: s, end: e };
}

export async function openScanSource(source: ScanSource): Promise<SequenceRegion> {
  if (source.kind === 'text') {
    const records = [...parsePastedText(source.text)];
    const r = records[0];
    if (!r) throw new ApiError('INVALID_REQUEST', 'The pasted text holds no sequence.');
    if (records.length > 1) throw new ApiError('INVALID_REQUEST', `The pasted text holds ${records.length} sequences; a scan reads one.`);
    const chrom = source.name ?? r.id;
    return inMemory(chrom, r.sequence, 0, r.sequence.length, `${chrom} (${fmt(r.sequence.length)} bp, pasted)`);
  }
  const file = source.path;
  const name = path.basename(file);
  if ((await compressionOf(file)) === 'gzip') {
    // Plain gzip has no random access: read the record whole (fine for a single FASTA record).
    for await (const r of readRecords({ path: file, format: 'fasta' })) {
      const chrom = r.id.split(/\s+/)[0] ?? r.id;
      if (source.record !== undefined && chrom !== source.record) continue;
      const { start, end } = checkedRange(file, chrom, r.sequence.length, source.start, source.end);
      return inMemory(chrom, r.sequence, start, end, `${describeRegion(chrom, start, end)} of ${name}`);
    }
    throw new ApiError('INVALID_REQUEST', `${name} holds no record${source.record === undefined ? '' : ` named ${source.record}`}.`);
  }
  const ref = await FastaReference.open(file);
  try {
    const names = ref.sequenceNames();
    const chrom = source.record ?? names[0];
    if (chrom === undefined) throw new ApiError('INVALID_REQUEST', `${name} holds no sequence.`);
    const length = ref.lengthOf(chrom);
    if (length === undefined) {
      throw new ApiError('INVALID_REQUEST', `${name} has no sequence named ${chrom}; it has ${ref.describeNames()}.`);
    }
    const { start, end } = checkedRange(file, chrom, length, source.start, source.end);
    return {
      chrom,
      start,
      end,
      description: `${describeRegion(chrom, start, end)} of ${name}`,
      fetch: (from, to) => ref.fetch(chrom, from, to),
      close: () => ref.close(),
    };
  } catch (err) {
    await ref.close();
    throw err;
  }
}

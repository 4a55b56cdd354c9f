/**
 * DNABERT fine-tuning TSV: each line is the sequence written as space-separated overlapping k-mers, a tab, and the
 * label (`GTGGGG TGGGGA GGGGAG ...<TAB>0`). The sequence is rebuilt as the first base of every k-mer plus the rest of
 * the last one, after checking that every k-mer has the same length and overlaps the next by k-1 bases: a file that
 * was tokenised differently (non-overlapping k-mers, a stride) would otherwise turn into a silently wrong sequence.
 *
 * The first line is a header when it does not start with a k-mer (the DNABERT samples have `sequence<TAB>label`, or
 * `sequence  label` with spaces). Lines without a tab have no label (DNABERT's pre-training files look like that).
 */
import { LineSplitter } from './line-splitter';
import { readChunks, type ReadContext } from './read-chunks';
import { ImportError, type RawRecord, type SourceSpec } from './types';

/** A k-mer problem, with the 1-based character column where the offending k-mer starts. */
export class KmerError extends Error {
  constructor(
    message: string,
    readonly column: number,
  ) {
    super(message);
    this.name = 'KmerError';
  }
}

/** True when `text` starts like a k-mer sentence: its first word is 2+ DNA letters (A/C/G/T/N, either case). */
export function startsWithKmer(text: string): boolean {
  const m = /^\s*([A-Za-z]+)(\s|$)/.exec(text);
  return m !== null && m[1] !== undefined && m[1].length >= 2 && /^[ACGTNacgtn]+$/.test(m[1]);
}

/**
 * The DNA sequence behind space-separated overlapping k-mers. `offset` is added to the reported columns (where the
 * k-mer text starts in its line). Throws KmerError naming the k-mer (1-based) and its column.
 */
export function kmersToSequence(kmerText: string, offset = 0): string {
  const parts: string[] = [];
  const starts: number[] = [];
  const re = /\S+/g;
  for (let m = re.exec(kmerText); m !== null; m = re.exec(kmerText)) {
    parts.push(m[0]);
    starts.push(m.index);
  }
  if (parts.length === 0) return '';
  const first = parts[0] ?? '';
  const k = first.length;
  const col = (i: number): number => offset + (starts[i] ?? 0) + 1;
  const bases = new Array<string>(parts.length);
  for (let i = 0; i < parts.length; i++) {
    const kmer = parts[i] ?? '';
    if (kmer.length !== k) {
      throw new KmerError(`k-mer ${i + 1} ('${kmer}') has ${kmer.length} letters but the first k-mer has ${k}`, col(i));
    }
    if (i > 0) {
      const prev = parts[i - 1] ?? '';
      if (prev.slice(1) !== kmer.slice(0, k - 1)) {
        throw new KmerError(
          `k-mers ${i} and ${i + 1} do not overlap ('${prev}' then '${kmer}'; each k-mer must start with the last ${k - 1} letters of the one before)`,
          col(i),
        );
      }
    }
    bases[i] = kmer.charAt(0);
  }
  return bases.join('') + (parts[parts.length - 1] ?? '').slice(1);
}

export async function* readDnabert(spec: SourceSpec, ctx: ReadContext = {}): AsyncGenerator<RawRecord> {
  const file = spec.path;
  const splitter = new LineSplitter();
  const split = spec.split ?? null;
  const fixedLabel = spec.label ?? null;
  let seenFirst = false;
  let rows = 0;

  const toRecord = (text: string, line: number): RawRecord | null => {
    if (text.trim() === '') return null;
    if (!seenFirst) {
      seenFirst = true;
      if (!startsWithKmer(text)) return null; // header
    }
    const tab = text.indexOf('\t');
    const kmerText = tab < 0 ? text : text.slice(0, tab);
    let label = fixedLabel;
    if (tab >= 0) {
      const rest = text.slice(tab + 1);
      const next = rest.indexOf('\t');
      const v = (next < 0 ? rest : rest.slice(0, next)).trim();
      if (v !== '') label = v;
    }
    let sequence: string;
    try {
      sequence = kmersToSequence(kmerText);
    } catch (err) {
      if (err instanceof KmerError) throw new ImportError(file, line, err.message, err.column);
      throw err;
    }
    rows++;
    return { id: `row${rows}`, sequence, label, split, file, line };
  };

  for await (const chunk of readChunks(file, { ...ctx, currentLine: () => splitter.lineNo })) {
    const base = splitter.lineNo;
    const lines = splitter.push(chunk);
    for (let i = 0; i < lines.length; i++) {
      const rec = toRecord(lines[i] ?? '', base + i + 1);
      if (rec !== null) yield rec;
    }
  }
  const base = splitter.lineNo;
  const last = splitter.end();
  for (let i = 0; i < last.length; i++) {
    const rec = toRecord(last[i] ?? '', base + i + 1);
    if (rec !== null) yield rec;
  }
}

/**
 * Telling a file's format from its first lines (decompressed when gzip), with the extension only as a tie-breaker:
 * files named `.txt`, or `.csv` files that are really tab-separated, are common in the wild.
 */
import zlib from 'node:zlib';
import type { ConcreteFormat } from './types';
import { startsWithKmer } from './dnabert-reader';
import { looksLikeDna } from './dna-like';
import { isBedHeaderLine, isBedMetaLine } from './bed-intervals';
import { readFileHead } from './read-chunks';
import { hasUtf8Bom, looksBinary } from './text-check';

const HEAD_BYTES = 64 << 10;
const SAMPLE_LINES = 20;

const COMPRESSION_EXTENSIONS = ['.gz', '.bgz', '.gzip', '.bgzf'];
const EXTENSION_FORMATS: Record<string, ConcreteFormat> = {
  '.fa': 'fasta',
  '.fasta': 'fasta',
  '.fna': 'fasta',
  '.fas': 'fasta',
  '.ffn': 'fasta',
  '.frn': 'fasta',
  '.mfa': 'fasta',
  '.csv': 'csv',
  '.tsv': 'tsv',
  '.tab': 'tsv',
  '.bed': 'bed',
};

/** The file name without compression and format extensions: `train/positive.csv.gz` -> `positive`. */
export function stemOf(fileName: string): string {
  let name = fileName.replace(/^.*[\\/]/, '');
  for (let again = true; again; ) {
    again = false;
    const lower = name.toLowerCase();
    for (const ext of [...COMPRESSION_EXTENSIONS, ...Object.keys(EXTENSION_FORMATS), '.txt']) {
      if (lower.endsWith(ext) && name.length > ext.length) {
        name = name.slice(0, -ext.length);
        again = true;
        break;
      }
    }
  }
  return name;
}

/** The format the extension suggests (compression extensions skipped), or null. */
export function formatFromExtension(fileName: string): ConcreteFormat | null {
  let lower = fileName.toLowerCase();
  for (const ext of COMPRESSION_EXTENSIONS) if (lower.endsWith(ext)) lower = lower.slice(0, -ext.length);
  const dot = lower.lastIndexOf('.');
  return dot < 0 ? null : (EXTENSION_FORMATS[lower.slice(dot)] ?? null);
}

export interface SniffResult {
  /** The format, or null when neither the content nor the extension says. */
  readonly format: ConcreteFormat | null;
  /** True when the start of the file is binary (not text at all). */
  readonly binary: boolean;
  readonly empty: boolean;
}

/** The first lines of the (decompressed) file, BOM removed, without a line cut off by the end of the sample. */
export async function headLines(file: string): Promise<{ lines: string[]; binary: boolean; empty: boolean }> {
  let head = await readFileHead(file, HEAD_BYTES);
  if (head.length === 0) return { lines: [], binary: false, empty: true };
  // A sample that filled the buffer may end inside a line; that line is dropped.
  const cut = head.length === HEAD_BYTES;
  if (head[0] === 0x1f && head[1] === 0x8b) {
    try {
      // SYNC_FLUSH: inflate what is there without requiring the end of the stream.
      head = zlib.gunzipSync(head, { finishFlush: zlib.constants.Z_SYNC_FLUSH });
    } catch {
      return { lines: [], binary: false, empty: false };
    }
  }
  if (looksBinary(head)) return { lines: [], binary: true, empty: false };
  if (hasUtf8Bom(head)) head = head.subarray(3);
  const lines = head.toString('utf8').split('\n');
  if (cut && lines.length > 1) lines.pop();
  return { lines: lines.map((l) => l.replace(/\r$/, '')), binary: false, empty: head.length === 0 };
}

/** The format of `file` by content; the extension decides only what the content leaves open. */
export async function sniffFormat(file: string): Promise<SniffResult> {
  const { lines, binary, empty } = await headLines(file);
  if (binary || empty) return { format: null, binary, empty };
  return { format: formatFromLines(lines, file), binary: false, empty: false };
}

export function formatFromLines(allLines: readonly string[], fileName = ''): ConcreteFormat | null {
  const lines = allLines.filter((l) => l.trim() !== '');
  const byExtension = formatFromExtension(fileName);
  const first = lines.find((l) => !l.startsWith(';'));
  if (first === undefined) return byExtension;
  if (first.startsWith('>')) return 'fasta';

  const sample = lines.slice(0, SAMPLE_LINES);
  const bedLines = sample.filter((l) => !isBedMetaLine(l));
  if (bedLines.length > 1 && isBedHeaderLine(bedLines[0] ?? '')) bedLines.shift();
  if (bedLines.length > 0 && bedLines.every(looksLikeBedLine)) return 'bed';

  // DNABERT: k-mer sentences, tab, label. The first line may be a header of any shape.
  const kmerLines = sample.slice(startsWithKmer(sample[0] ?? '') ? 0 : 1);
  if (kmerLines.length > 0 && kmerLines.every(looksLikeKmerLine)) return 'dnabert-tsv';

  const tabs = sample.map((l) => count(l, '\t'));
  const commas = sample.map((l) => count(l, ','));
  const everyLine = (counts: number[]): boolean => counts.every((c) => c > 0);
  const consistent = (counts: number[]): boolean => counts.every((c) => c === counts[0]);
  if (everyLine(tabs) && (!everyLine(commas) || (consistent(tabs) && !consistent(commas)))) return 'tsv';
  if (everyLine(commas)) return 'csv';
  if (everyLine(tabs)) return 'tsv';
  if (byExtension === 'csv' || byExtension === 'tsv') return byExtension;
  // One value per line: a list of sequences reads fine as a one-column CSV.
  if (sample.some(looksLikeDna)) return byExtension ?? 'csv';
  return byExtension;
}

function count(text: string, ch: string): number {
  let n = 0;
  for (let i = text.indexOf(ch); i >= 0; i = text.indexOf(ch, i + 1)) n++;
  return n;
}

function looksLikeBedLine(line: string): boolean {
  const f = line.includes('\t') ? line.split('\t') : line.trim().split(/\s+/);
  const chrom = (f[0] ?? '').trim();
  const start = (f[1] ?? '').trim();
  const end = (f[2] ?? '').trim();
  // A headerless `sequence<TAB>0<TAB>1` table has integer 2nd/3rd fields too; its first field is DNA, a chrom is not.
  return f.length >= 3 && chrom !== '' && !looksLikeDna(chrom) && /^\d+$/.test(start) && /^\d+$/.test(end) && Number(start) <= Number(end);
}

function looksLikeKmerLine(line: string): boolean {
  const tab = line.indexOf('\t');
  const words = (tab < 0 ? line : line.slice(0, tab)).trim().split(/ +/);
  if (tab < 0 || words.length < 2) return false;
  const k = words[0]?.length ?? 0;
  return k >= 2 && words.every((w) => w.length === k && /^[ACGTNacgtn]+$/.test(w));
}

/**
 * FASTA index (samtools faidx `.fai`): for each sequence its name, length, the byte offset of its first base, bases
 * per line and bytes per line. With it, the byte range of any interval is arithmetic, so a reference is never read
 * whole. The index is read from `<ref>.fai` when there is one, or built by one streaming pass over the FASTA.
 *
 * Offsets are in uncompressed bytes; for a bgzip reference they are mapped to compressed blocks by ./bgzf.
 */
import fs from 'node:fs';
import { ImportError } from './types';

export interface FaiEntry {
  readonly name: string;
  readonly length: number;
  readonly offset: number;
  readonly lineBases: number;
  readonly lineWidth: number;
}

export type FaiIndex = ReadonlyMap<string, FaiEntry>;

/** Parses `.fai` text (tab-separated name, length, offset, linebases, linewidth; extra columns of FASTQ indices ignored). */
export function parseFai(faiFile: string, text: string): Map<string, FaiEntry> {
  const index = new Map<string, FaiEntry>();
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] ?? '').replace(/\r$/, '');
    if (line.trim() === '') continue;
    const f = line.split('\t');
    const nums = f.slice(1, 5).map((v) => (/^\d+$/.test(v) ? Number(v) : NaN));
    const [length, offset, lineBases, lineWidth] = nums;
    if (f.length < 5 || length === undefined || offset === undefined || lineBases === undefined || lineWidth === undefined || nums.some(Number.isNaN)) {
      throw new ImportError(faiFile, i + 1, 'this is not a FASTA index line (name, length, offset, line bases, line width; tab-separated)');
    }
    if (lineBases === 0 ? length > 0 : lineWidth < lineBases) {
      throw new ImportError(faiFile, i + 1, `the line width ${lineWidth} is smaller than the bases per line ${lineBases}`);
    }
    index.set(f[0] ?? '', { name: f[0] ?? '', length, offset, lineBases, lineWidth });
  }
  return index;
}

/** The byte range [from, to) holding bases [start, end) of `e` (start < end). */
export function byteRange(e: FaiEntry, start: number, end: number): { from: number; to: number } {
  const at = (p: number): number => e.offset + Math.floor(p / e.lineBases) * e.lineWidth + (p % e.lineBases);
  return { from: at(start), to: at(end - 1) + 1 };
}

/**
 * Builds the index from the FASTA's uncompressed bytes, fed in order with `push`. Like samtools, it requires every
 * line of a sequence but the last to have the same length; otherwise positions cannot be computed and it says so.
 */
export class FaiBuilder {
  readonly entries = new Map<string, FaiEntry>();
  private offset = 0; // absolute offset of the next byte
  private line = 0;
  private lineStart = 0;
  private atLineStart = true;
  /** The last byte of the previous chunk (to see a CR whose LF starts the next chunk). */
  private lastByteBefore = 0;
  private inHeader = false;
  private header: Buffer[] = [];
  private current: { name: string; length: number; offset: number; lineBases: number; lineWidth: number; shortLine: number } | null = null;

  constructor(private readonly file: string) {}

  push(buf: Buffer): void {
    let pos = 0;
    while (pos < buf.length) {
      if (this.atLineStart) {
        this.atLineStart = false;
        this.line++;
        this.lineStart = this.offset + pos;
        this.inHeader = buf[pos] === 62;
        if (this.inHeader) this.finish();
      }
      const nl = buf.indexOf(10, pos);
      const end = nl < 0 ? buf.length : nl;
      if (this.inHeader) this.header.push(Buffer.from(buf.subarray(pos, end)));
      if (nl < 0) break;
      const width = this.offset + nl + 1 - this.lineStart;
      if (this.inHeader) this.startSequence(this.offset + nl + 1);
      else {
        const crlf = this.offset + nl > this.lineStart && (nl > 0 ? buf[nl - 1] : this.lastByteBefore) === 13;
        this.sequenceLine(width - (crlf ? 2 : 1), width);
      }
      this.atLineStart = true;
      pos = nl + 1;
    }
    this.lastByteBefore = buf[buf.length - 1] ?? 0;
    this.offset += buf.length;
  }

  end(): Map<string, FaiEntry> {
    if (!this.atLineStart) {
      // Last line without a line break.
      const width = this.offset - this.lineStart;
      if (this.inHeader) this.startSequence(this.offset);
      else this.sequenceLine(width, width + 1);
    }
    this.finish();
    if (this.entries.size === 0) throw new ImportError(this.file, 1, 'the reference has no FASTA record (no line starts with ">")');
    return this.entries;
  }

  private startSequence(offset: number): void {
    const name = Buffer.concat(this.header).toString('utf8').slice(1).trim().split(/\s/)[0] ?? '';
    this.header = [];
    this.inHeader = false;
    if (this.entries.has(name)) throw new ImportError(this.file, this.line, `the sequence name '${name}' appears twice in the reference`);
    this.current = { name, length: 0, offset, lineBases: -1, lineWidth: -1, shortLine: 0 };
  }

  private sequenceLine(bases: number, width: number): void {
    const c = this.current;
    if (c === null) {
      if (bases === 0) return;
      throw new ImportError(this.file, this.line, 'sequence data comes before the first header line (">name")');
    }
    const uneven = (): ImportError =>
      new ImportError(
        this.file,
        this.line,
        `the lines of ${c.name} have different lengths, so it cannot be indexed; wrap every line of a sequence to the same width (e.g. seqkit seq -w 60)`,
      );
    if (c.lineBases < 0) {
      c.lineBases = bases;
      c.lineWidth = width;
    } else if (c.shortLine > 0) {
      // Only the last line of a sequence may be shorter (blank lines after it are tolerated).
      if (bases > 0) throw uneven();
    } else if (bases !== c.lineBases || width !== c.lineWidth) {
      if (bases > c.lineBases) throw uneven();
      c.shortLine = this.line;
    }
    c.length += bases;
  }

  private finish(): void {
    const c = this.current;
    if (c === null) return;
    this.entries.set(c.name, {
      name: c.name,
      length: c.length,
      offset: c.offset,
      lineBases: Math.max(0, c.lineBases),
      lineWidth: Math.max(0, c.lineWidth),
    });
    this.current = null;
  }
}

export async function readFaiFile(faiFile: string): Promise<Map<string, FaiEntry>> {
  return parseFai(faiFile, await fs.promises.readFile(faiFile, 'utf8'));
}

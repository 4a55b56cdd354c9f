// The parsers see files in ~1 MB chunks, so any byte may end a chunk: a CRLF split in two, a header cut in half, a
// quote at the end of a chunk. Every split point must give the same result as reading the text in one piece.
import { describe, expect, it } from 'vitest';
import { CsvRowParser, type CsvRow } from '../../../src-main/io/csv-rows';
import { FaiBuilder } from '../../../src-main/io/fasta-index';
import { FastaParser } from '../../../src-main/io/fasta-reader';
import { LineSplitter } from '../../../src-main/io/line-splitter';
import type { RawRecord } from '../../../src-main/io';

function fastaRecords(chunks: Buffer[]): RawRecord[] {
  const parser = new FastaParser('t.fa', (h) => /class=(\w+)/.exec(h)?.[1] ?? null, 'train');
  const out: RawRecord[] = [];
  for (const c of chunks) {
    parser.push(c);
    out.push(...parser.records.splice(0));
  }
  parser.end();
  return [...out, ...parser.records];
}

function csvRows(chunks: string[]): CsvRow[] {
  const parser = new CsvRowParser('t.csv', 44);
  for (const c of chunks) parser.push(c);
  parser.end();
  return parser.rows;
}

/** Every way of cutting `data` in two, and in three around the middle. */
function splits<T extends { length: number; slice(a: number, b?: number): T }>(data: T): T[][] {
  const out: T[][] = [[data]];
  for (let i = 0; i <= data.length; i++) out.push([data.slice(0, i), data.slice(i)]);
  const mid = data.length >> 1;
  for (let i = 0; i < mid; i++) out.push([data.slice(0, i), data.slice(i, mid), data.slice(mid)]);
  return out;
}

describe('FastaParser across chunk boundaries', () => {
  const text = Buffer.from(';c\r\n>a class=x desc\r\n ACGT \r\nac\r\n\r\n>b\r\n>c class=y\r\nNNNN\r\nRY');
  const expected = [
    { id: 'a class=x desc', sequence: 'ACGTac', label: 'x', split: 'train', file: 't.fa', line: 2 },
    { id: 'b', sequence: '', label: null, split: 'train', file: 't.fa', line: 6 },
    { id: 'c class=y', sequence: 'NNNNRY', label: 'y', split: 'train', file: 't.fa', line: 7 },
  ];
  it('gives the same records wherever the chunks are cut', () => {
    for (const chunks of splits(text)) expect(fastaRecords(chunks)).toEqual(expected);
  });
  it('reads a sequence far longer than the initial buffer', () => {
    const long = 'ACGTN'.repeat(40_000);
    const data = Buffer.from(`>long\n${(long.match(/.{1,61}/g) ?? []).join('\n')}\n>short\nAC\n`);
    const chunks: Buffer[] = [];
    for (let i = 0; i < data.length; i += 4093) chunks.push(data.subarray(i, i + 4093));
    expect(fastaRecords(chunks).map((r) => r.sequence)).toEqual([long, 'AC']);
  });
});

describe('CsvRowParser (RFC 4180)', () => {
  const text = 'a,"b ""q"", c",d\r\n"multi\nline",,"x"\r\n\r\nlast,"",z';
  const expected: CsvRow[] = [
    { fields: ['a', 'b "q", c', 'd'], line: 1 },
    { fields: ['multi\nline', '', 'x'], line: 2 },
    { fields: ['last', '', 'z'], line: 5 },
  ];
  it('parses quotes, doubled quotes, delimiters and line breaks in quotes, CRLF, blank lines', () => {
    expect(csvRows([text])).toEqual(expected);
  });
  it('gives the same rows wherever the chunks are cut', () => {
    for (const chunks of splits(text)) expect(csvRows(chunks)).toEqual(expected);
  });
  it('keeps text after a closing quote, and a trailing empty field', () => {
    expect(csvRows(['"ab"cd,e,\n'])).toEqual([{ fields: ['abcd', 'e', ''], line: 1 }]);
  });
});

describe('LineSplitter', () => {
  it('splits LF and CRLF lines across chunks and returns the last line without a break', () => {
    const data = Buffer.from('one\r\ntwo\n\nthree\r\nfour');
    for (const chunks of splits(data)) {
      const s = new LineSplitter();
      const lines = chunks.flatMap((c) => s.push(c));
      lines.push(...s.end());
      expect(lines).toEqual(['one', 'two', '', 'three', 'four']);
      expect(s.lineNo).toBe(5);
    }
  });
});

describe('FaiBuilder', () => {
  it('indexes like samtools faidx (offsets, line bases, line width with CRLF), wherever chunks are cut', () => {
    const data = Buffer.from('>chr1 desc\nACGTA\nCGTAC\nGG\n>chr2\r\nAAAA\r\nCC\r\n');
    const expected = new Map([
      ['chr1', { name: 'chr1', length: 12, offset: 11, lineBases: 5, lineWidth: 6 }],
      ['chr2', { name: 'chr2', length: 6, offset: 33, lineBases: 4, lineWidth: 6 }],
    ]);
    for (const chunks of splits(data)) {
      const b = new FaiBuilder('ref.fa');
      for (const c of chunks) b.push(c);
      expect(b.end()).toEqual(expected);
    }
  });
  it('refuses a sequence whose inner lines differ in length, naming the line', () => {
    const b = new FaiBuilder('ref.fa');
    expect(() => {
      b.push(Buffer.from('>chr1\nACGTA\nCG\nACGTA\n'));
      b.end();
    }).toThrow(/ref\.fa, line 4: the lines of chr1 have different lengths/);
  });
});

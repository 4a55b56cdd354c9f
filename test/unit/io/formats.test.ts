import { describe, expect, it } from 'vitest';
import { bgzfBlockSize, parseGzi } from '../../../src-main/io/bgzf';
import { looksBinary } from '../../../src-main/io/text-check';
import { byteRange, parseFai } from '../../../src-main/io/fasta-index';
import {
  ImportError,
  extractionWindow,
  formatFromLines,
  kmersToSequence,
  looksLikeDna,
  parseBedLine,
  resolveTableLayout,
  splitFromFileName,
  stemOf,
  type BedInterval,
} from '../../../src-main/io';

describe('kmersToSequence', () => {
  it('rebuilds the sequence: first base of each k-mer plus the rest of the last', () => {
    expect(kmersToSequence('ACGTAC CGTACG GTACGT')).toBe('ACGTACGT');
    expect(kmersToSequence('  ACG  CGT ')).toBe('ACGT');
    expect(kmersToSequence('ACGTAC')).toBe('ACGTAC');
    expect(kmersToSequence('')).toBe('');
  });
  it('names the k-mer and its column when they do not overlap', () => {
    expect(() => kmersToSequence('ACG CGT TTT')).toThrow("k-mers 2 and 3 do not overlap ('CGT' then 'TTT'");
    try {
      kmersToSequence('ACG CGT TTT', 10);
    } catch (err) {
      expect((err as { column: number }).column).toBe(19);
    }
  });
});

describe('extractionWindow', () => {
  const iv = (start: number, end: number, strand: string | null): BedInterval => ({ chrom: 'c', start, end, name: null, strand, line: 1 });
  it('adds the flank on both sides', () => {
    expect(extractionWindow(iv(100, 110, '+'), 5)).toEqual({ start: 95, end: 115 });
  });
  it('resizes around the centre, mirrored on the minus strand so the centre base lands at the same index', () => {
    expect(extractionWindow(iv(100, 101, '+'), 0, 10)).toEqual({ start: 95, end: 105 });
    expect(extractionWindow(iv(100, 101, '-'), 0, 10)).toEqual({ start: 96, end: 106 });
    expect(extractionWindow(iv(100, 200, '+'), 0, 10)).toEqual({ start: 145, end: 155 });
    expect(extractionWindow(iv(100, 200, '.'), 50, 300)).toEqual({ start: 0, end: 300 });
  });
});

describe('parseBedLine', () => {
  it('reads 3 to 6+ columns', () => {
    expect(parseBedLine('x.bed', 4, 'chr1\t10\t20')).toEqual({ chrom: 'chr1', start: 10, end: 20, name: null, strand: null, line: 4 });
    expect(parseBedLine('x.bed', 1, 'chr1\t10\t20\tn\t0\t-\textra')).toMatchObject({ name: 'n', strand: '-' });
  });
  it('explains bad lines', () => {
    expect(() => parseBedLine('x.bed', 2, 'chr1\t10')).toThrow('x.bed, line 2: a BED line needs at least 3 fields (chrom, start, end); this one has 2');
    expect(() => parseBedLine('x.bed', 2, 'chr1\t10\t20\tn\t0\tplus')).toThrow("the strand 'plus' (column 6) must be +, - or .");
  });
});

describe('format sniffing', () => {
  it('decides by content and uses the extension only as a tie-breaker', () => {
    expect(formatFromLines(['>x', 'ACGT'], 'a.csv')).toBe('fasta');
    expect(formatFromLines([';comment', '>x'], 'a.txt')).toBe('fasta');
    expect(formatFromLines(['#chrom\tstart\tend', 'chr1\t1\t2'], 'a.txt')).toBe('bed');
    expect(formatFromLines(['ACGTACGT\t10\t20', 'ACGTTTGG\t1\t0'], 'a.txt')).toBe('tsv');
    expect(formatFromLines(['sequence\tlabel', 'ACGTAC CGTACG\t1'], 'a.tsv')).toBe('dnabert-tsv');
    expect(formatFromLines(['sequence,label', 'ACGT,1'], 'a.tsv')).toBe('csv');
    expect(formatFromLines(['ACGTACGT'], 'list.tsv')).toBe('tsv');
    expect(formatFromLines(['hello world'], 'notes.txt')).toBeNull();
  });
  it('names classes and splits from file names', () => {
    expect(stemOf('/x/train/positive.csv.gz')).toBe('positive');
    expect(stemOf('human.enhancers.fa')).toBe('human.enhancers');
    expect(splitFromFileName('dev.csv.gz')).toBe('dev');
    expect(splitFromFileName('dev.original_6mer.tsv.gz')).toBe('dev');
    expect(splitFromFileName('genes.fa')).toBeNull();
  });
});

describe('text and DNA checks', () => {
  it('tells binary from text by the first kilobyte', () => {
    expect(looksBinary(Buffer.from('>seq é ü\nACGT\n'))).toBe(false);
    expect(looksBinary(Buffer.from([0x3e, 0x41, 0x00]))).toBe(true);
    expect(looksBinary(Buffer.from('\x01\x02\x03\x04\x05 abc'))).toBe(true);
  });
  it('looksLikeDna accepts sequences and rejects header words', () => {
    expect(looksLikeDna('ACGTNacgtn')).toBe(true);
    expect(looksLikeDna('ACGTACGTACGTACGTACRY')).toBe(true);
    for (const word of ['label', 'seq', 'data', 'class', 'GAT', '0', 'ACGT1']) expect(looksLikeDna(word)).toBe(false);
  });
});

describe('resolveTableLayout', () => {
  const row = (line: number, ...fields: string[]): { fields: string[]; line: number } => ({ fields, line });
  it('takes row 1 as a header when it names a sequence column or is not DNA', () => {
    expect(resolveTableLayout({ path: 'a.csv', format: 'csv' }, row(1, 'Seq', 'y'), row(2, 'ACGTACGT', '1'))).toMatchObject({ hasHeader: true, sequence: 0 });
    expect(resolveTableLayout({ path: 'a.csv', format: 'csv' }, row(1, 'id', 'text'), row(2, 'r1', 'ACGTACGT'))).toMatchObject({ hasHeader: true, sequence: 1, id: 0 });
    expect(resolveTableLayout({ path: 'a.csv', format: 'csv' }, row(1, 'r1', 'ACGTACGT'), row(2, 'r2', 'ACGTACGT'))).toMatchObject({ hasHeader: false, sequence: 1, columns: ['col1', 'col2'] });
  });
  it('errors at line 1 listing the columns when a named column is missing', () => {
    expect(() => resolveTableLayout({ path: 'a.csv', format: 'csv', labelColumn: 'class' }, row(1, 'sequence', 'label'), undefined)).toThrow(
      new ImportError('a.csv', 1, "there is no column 'class' (the columns are: sequence, label)"),
    );
    expect(() => resolveTableLayout({ path: 'a.csv', format: 'csv' }, row(1, 'name', 'score'), row(2, 'x', '12'))).toThrow(/no column looks like DNA/);
  });
});

describe('index files', () => {
  it('parses a .fai and maps base positions to byte ranges', () => {
    const fai = parseFai('r.fa.fai', 'chr2\t2333275\t6\t50\t51\n');
    const e = fai.get('chr2');
    expect(e).toEqual({ name: 'chr2', length: 2333275, offset: 6, lineBases: 50, lineWidth: 51 });
    if (e === undefined) return;
    expect(byteRange(e, 0, 50)).toEqual({ from: 6, to: 56 });
    expect(byteRange(e, 49, 51)).toEqual({ from: 55, to: 58 });
    expect(() => parseFai('r.fa.fai', 'chr2\tabc\n')).toThrow(/r\.fa\.fai, line 1: this is not a FASTA index line/);
  });
  it('parses a .gzi and reads BGZF block sizes', () => {
    const gzi = Buffer.alloc(8 + 32);
    gzi.writeBigUInt64LE(2n, 0);
    gzi.writeBigUInt64LE(100n, 8);
    gzi.writeBigUInt64LE(65280n, 16);
    gzi.writeBigUInt64LE(200n, 24);
    gzi.writeBigUInt64LE(130560n, 32);
    expect(parseGzi('r.gzi', gzi)).toEqual([
      { coff: 0, uoff: 0 },
      { coff: 100, uoff: 65280 },
      { coff: 200, uoff: 130560 },
    ]);
    expect(() => parseGzi('r.gzi', gzi.subarray(0, 20))).toThrow(/not a bgzip index/);
    const header = Buffer.from([0x1f, 0x8b, 8, 4, 0, 0, 0, 0, 0, 0xff, 6, 0, 66, 67, 2, 0, 0x1b, 0]);
    expect(bgzfBlockSize(header)).toBe(28);
    expect(bgzfBlockSize(Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff, 0, 0, 0, 0, 0, 0, 0, 0]))).toBeNull();
  });
});

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { readMotifFile, readMotifText, sniffMotifFormat } from '../../../src-main/io/motif-reader';
import { ImportError } from '../../../src-main/io/types';
import { probabilities } from '../../../src-main/motifs/pwm';

const DIR = path.resolve(__dirname, '../../../resources/data/jaspar2024_core_vertebrates_nr');
const bundled = (format: string): string => path.join(DIR, `JASPAR2024_CORE_vertebrates_non-redundant_pfms_${format}.txt`);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dnalm-motif-readers-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function problem(text: string): string {
  try {
    readMotifText('bad.txt', text);
  } catch (err) {
    expect(err).toBeInstanceOf(ImportError);
    return (err as Error).message;
  }
  throw new Error('the file was accepted');
}

describe('the bundled JASPAR 2024 set', () => {
  const jaspar = readMotifFile(bundled('jaspar'));
  const meme = readMotifFile(bundled('meme'));
  const transfac = readMotifFile(bundled('transfac'));
  const metadata = fs
    .readFileSync(path.join(DIR, 'motif_metadata.tsv'), 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split('\t'));

  it('gives the same 879 matrices in all three formats, found by sniffing', () => {
    expect([jaspar.format, meme.format, transfac.format]).toEqual(['jaspar', 'meme', 'transfac']);
    for (const file of [jaspar, meme, transfac]) {
      expect(file.motifs).toHaveLength(879);
      expect(file.motifs.map((m) => [m.id, m.name, m.counts.length])).toEqual(metadata.map((r) => [r[0], r[1], Number(r[2])]));
    }
    // TRANSFAC carries the same counts; MEME carries counts / column sum (6 decimals), so compare frequencies.
    for (let k = 0; k < 879; k++) {
      const j = jaspar.motifs[k];
      expect(transfac.motifs[k]?.counts).toEqual(j?.counts);
      const pj = probabilities(j?.counts ?? []).flat();
      const pm = probabilities(meme.motifs[k]?.counts ?? []).flat();
      pm.forEach((p, i) => expect(Math.abs(p - (pj[i] ?? 0))).toBeLessThan(2e-6));
    }
  });

  it('keeps columns that sum to different totals as published (MA0142.1)', () => {
    const m = jaspar.motifs.find((x) => x.id === 'MA0142.1');
    const sums = new Set(m?.counts.map((c) => c.reduce((a, b) => a + b, 0)));
    expect(sums.size).toBeGreaterThan(1);
    expect(meme.background).toEqual([0.25, 0.25, 0.25, 0.25]);
  });

  it('reads a gzip-compressed copy the same', () => {
    const gz = path.join(tmp, 'jaspar.txt.gz');
    fs.writeFileSync(gz, zlib.gzipSync(fs.readFileSync(bundled('transfac'))));
    expect(readMotifFile(gz).motifs.map((m) => m.id)).toEqual(jaspar.motifs.map((m) => m.id));
  });
});

describe('format details', () => {
  it('sniffs each format from its first meaningful line', () => {
    expect(sniffMotifFormat(['', 'MEME version 5'])).toBe('meme');
    expect(sniffMotifFormat(['>MA1 x'])).toBe('jaspar');
    expect(sniffMotifFormat(['AC M00001'])).toBe('transfac');
    expect(sniffMotifFormat(['id,sequence'])).toBeNull();
  });

  it('reads JASPAR rows without brackets, in any letter order, CRLF line ends', () => {
    const f = readMotifText('x.jaspar', '>M1 Foo bar\r\nT 0 1\r\nG 0 0\r\nC 1 0\r\nA 3 3\r\n');
    expect(f.motifs[0]).toMatchObject({ id: 'M1', name: 'Foo bar', counts: [[3, 1, 0, 0], [3, 0, 0, 1]], line: 1 });
  });

  it('reads MEME probabilities back into counts with nsites, and the default of 20 without', () => {
    const text = [
      'MEME version 4',
      'ALPHABET= ACGT',
      'Background letter frequencies (from x):',
      'A 0.3 C 0.2 G 0.2 T 0.3',
      '',
      'MOTIF m1 NAME1',
      'letter-probability matrix: alength= 4 w= 2 nsites= 10 E= 0',
      ' 0.5 0.5 0 0',
      ' 0 0 0 1',
      'MOTIF m2',
      'letter-probability matrix: alength= 4 w= 1',
      ' 0.25 0.25 0.25 0.25',
    ].join('\n');
    const f = readMotifText('x.meme', text);
    expect(f.background).toEqual([0.3, 0.2, 0.2, 0.3]);
    expect(f.motifs.map((m) => [m.id, m.name, m.counts])).toEqual([
      ['m1', 'NAME1', [[5, 5, 0, 0], [0, 0, 0, 10]]],
      ['m2', 'm2', [[5, 5, 5, 5]]],
    ]);
  });

  it('reads TRANSFAC with NA names, the P0 letter order and a consensus column', () => {
    const text = ['AC M0001', 'XX', 'ID V$FOO_01', 'NA Foo', 'P0 T G C A', '01 1 0 0 3 A', '02 0 2 2 0 S', 'CC note', 'XX', '//'].join('\n');
    expect(readMotifText('x.dat', text).motifs[0]).toMatchObject({ id: 'M0001', name: 'Foo', counts: [[3, 0, 0, 1], [0, 2, 2, 0]] });
  });
});

describe('malformed files name the file, the line and the problem', () => {
  it.each([
    ['>M1 x\nA [ 1 2 ]\nC [ 1 2 ]\nG [ 1 ]\nT [ 1 2 ]\n', 'bad.txt, line 1: motif M1: row G has 1 columns but row A has 2'],
    ['>M1 x\nA [ 1 2 ]\nC [ 1 x ]\nG [ 1 2 ]\nT [ 1 2 ]\n', 'bad.txt, line 3: column 2 of row C of motif M1 is "x", not a number'],
    ['>M1 x\nA [ 1 ]\nC [ 1 ]\nG [ 1 ]\n>M2\n', 'bad.txt, line 5: motif M1 has no row for T'],
    ['>M1 x\nA [ 0 ]\nC [ 0 ]\nG [ 0 ]\nT [ 0 ]\n', 'bad.txt, line 1: motif M1: column 1 has no counts (all zero)'],
    ['>M1\nA 1\nC 1\nG 1\nT -1\n', 'bad.txt, line 5: column 1 of row T of motif M1 is negative (-1)'],
    ['>M1\nA 1\nC 1\nG 1\nT 1\n>M1\nA 1\nC 1\nG 1\nT 1\n', 'bad.txt, line 6: motif M1 appears twice (first at line 1)'],
    ['MEME version 4\nALPHABET= ACDEFGHIKLMNPQRSTVWY\n', 'bad.txt, line 2: the alphabet is "ACDEFGHIKLMNPQRSTVWY"'],
    ['MEME version 4\nMOTIF a\nletter-probability matrix: w= 3\n0.25 0.25 0.25 0.25\n', 'bad.txt, line 4: motif a: the file ends after 1 of 3 rows'],
    ['MEME version 4\nMOTIF a\nletter-probability matrix: w= 1\n0.5 0.5 0\n', 'bad.txt, line 4: motif a: a row has 3 values; expected 4'],
    ['AC M1\nP0 A C G T\n01 1 2 3 4\n03 1 1 1 1\n//\n', 'bad.txt, line 4: row 03 of M1 is out of order (expected 2)'],
    ['AC M1\n01 1 2 3 4\n//\n', 'bad.txt, line 2: a matrix row comes before the P0 line of M1'],
    ['AC M1\nP0 A C G T\n01 1 2 3 4\n', 'bad.txt, line 4: matrix M1 is not closed with "//"'],
    ['id,sequence\n1,ACGT\n', 'bad.txt, line 1: not a motif file'],
  ])('%#', (text, expected) => {
    expect(problem(text)).toContain(expected);
  });

  it('refuses a missing file, a folder and an empty collection by name', () => {
    expect(() => readMotifFile(path.join(tmp, 'none.txt'))).toThrow('none.txt: the file does not exist');
    expect(() => readMotifFile(tmp)).toThrow('this is a folder');
    const empty = path.join(tmp, 'empty.meme');
    fs.writeFileSync(empty, 'MEME version 4\n\nALPHABET= ACGT\n');
    expect(() => readMotifFile(empty)).toThrow('no motifs found in this MEME file');
  });
});

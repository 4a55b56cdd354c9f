// FASTA as users have it: wrapped at any width, soft-masked, Windows line ends, a BOM, gzip or bgzip, labels in the
// headers. Each case writes a small file and checks what the import would show.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CancelledError, isCancelledError, readRecords, type ReadProgress } from '../../../src-main/io';
import { bgzfCompress, hasTool, importError, makeTempDir, readAll } from './helpers';

let tmp: { dir: string; cleanup: () => void };
beforeEach(() => {
  tmp = makeTempDir();
});
afterEach(() => tmp.cleanup());

function write(name: string, content: string | Buffer): string {
  const file = path.join(tmp.dir, name);
  fs.writeFileSync(file, content);
  return file;
}

function wrap(seq: string, width: number, eol = '\n'): string {
  let out = '';
  for (let i = 0; i < seq.length; i += width) out += seq.slice(i, i + width) + eol;
  return out;
}

/** A deterministic pseudo-random sequence with some soft-masking, N runs and IUPAC codes. */
function sequence(length: number, seed: number): string {
  const letters = 'ACGTACGTACGTacgtNRY';
  let s = seed;
  const out: string[] = [];
  for (let i = 0; i < length; i++) {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    out.push(letters[s % letters.length] ?? 'A');
  }
  return out.join('');
}

const SEQS = [sequence(1000, 1), sequence(61, 2), sequence(1, 3), sequence(250_000, 4)];

function multiFasta(eol = '\n', widths = [60, 70, 80, 7]): string {
  return SEQS.map((s, i) => `>seq${i} class=${i % 2 === 0 ? 'pos' : 'neg'} sample ${i}${eol}${wrap(s, widths[i % widths.length] ?? 60, eol)}`).join('');
}

describe('FASTA reader', () => {
  it('reads wrapped lines of different widths, keeping case, N and IUPAC letters', async () => {
    const file = write('mixed.fa', multiFasta());
    const records = await readAll({ path: file, format: 'fasta' });
    expect(records.map((r) => r.sequence)).toEqual(SEQS);
    expect(records.map((r) => r.id)).toEqual(['seq0 class=pos sample 0', 'seq1 class=neg sample 1', 'seq2 class=pos sample 2', 'seq3 class=neg sample 3']);
    expect(records.map((r) => r.line)).toEqual([1, 19, 21, 23]);
    expect(records.every((r) => r.label === null && r.split === null && r.file === file)).toBe(true);
  });

  it('handles CRLF, a UTF-8 BOM, blank lines, ; comments and spaces around sequence lines', async () => {
    const text = `\uFEFF;old-style comment\r\n\r\n>a first\r\n  ACGT  \r\nacgt\r\n\r\n; inside\r\n>b\r\nNNRY\r\n>empty\r\n>c\tlast`;
    const file = write('crlf.fa', text);
    const records = await readAll({ path: file, format: 'fasta' });
    expect(records.map((r) => [r.id, r.sequence, r.line])).toEqual([
      ['a first', 'ACGTacgt', 3],
      ['b', 'NNRY', 8],
      ['empty', '', 10],
      ['c\tlast', '', 11],
    ]);
  });

  it('reads gzip and multi-member bgzip (every member, not just the first)', async () => {
    const text = multiFasta('\n', [60]);
    const gz = write('plain.fa.gz', zlib.gzipSync(text));
    const bgz = write('blocks.fa.gz', bgzfCompress(Buffer.from(text)));
    expect((await readAll({ path: gz, format: 'fasta' })).map((r) => r.sequence)).toEqual(SEQS);
    expect((await readAll({ path: bgz, format: 'fasta' })).map((r) => r.sequence)).toEqual(SEQS);
    // Detected by content: a gzip file without .gz in its name reads the same.
    const misnamed = write('misnamed.fa', fs.readFileSync(bgz));
    expect((await readAll({ path: misnamed, format: 'fasta' })).map((r) => r.sequence)).toEqual(SEQS);
  });

  it.skipIf(!hasTool('bgzip'))('reads a file compressed by the bgzip tool (install Debian package tabix to run this)', async () => {
    const file = write('tool.fa', multiFasta('\r\n'));
    execFileSync('bgzip', ['-f', file]);
    const records = await readAll({ path: `${file}.gz`, format: 'fasta' });
    expect(records.map((r) => r.sequence)).toEqual(SEQS);
  });

  it('takes labels from the header with a regular expression (group 1, whole match, or null)', async () => {
    const file = write('labels.fa', multiFasta());
    const byGroup = await readAll({ path: file, format: 'fasta', headerLabelPattern: 'class=(\\w+)' });
    expect(byGroup.map((r) => r.label)).toEqual(['pos', 'neg', 'pos', 'neg']);
    const byMatch = await readAll({ path: file, format: 'fasta', headerLabelPattern: 'sample [02]' });
    expect(byMatch.map((r) => r.label)).toEqual(['sample 0', null, 'sample 2', null]);
    const fixed = await readAll({ path: file, format: 'fasta', label: 'promoter', split: 'train' });
    expect(fixed.every((r) => r.label === 'promoter' && r.split === 'train')).toBe(true);
    // A pattern chosen in the wizard wins over the class a folder layout gave the file.
    const both = await readAll({ path: file, format: 'fasta', label: 'promoter', headerLabelPattern: 'class=(\\w+)' });
    expect(both.map((r) => r.label)).toEqual(['pos', 'neg', 'pos', 'neg']);
    const bad = await importError(() => readAll({ path: file, format: 'fasta', headerLabelPattern: 'class=(' }));
    expect(bad.problem).toMatch(/^the header pattern \/class=\(\/ is not a valid regular expression/);
  });

  it('reports progress in compressed bytes, ending at the file size', async () => {
    const file = write('big.fa.gz', zlib.gzipSync(multiFasta().repeat(20)));
    const size = fs.statSync(file).size;
    const seen: ReadProgress[] = [];
    for await (const _ of readRecords({ path: file, format: 'fasta' }, (p) => seen.push(p))) void _;
    expect(seen.length).toBeGreaterThanOrEqual(1);
    expect(seen.at(-1)).toEqual({ bytesRead: size, totalBytes: size });
    expect(seen.every((p, i) => i === 0 || p.bytesRead >= (seen[i - 1]?.bytesRead ?? 0))).toBe(true);
  });

  it('stops with a CancelledError when the signal is set', async () => {
    const file = write('cancel.fa', multiFasta().repeat(40));
    const signal = { cancelled: false };
    let read = 0;
    const run = async (): Promise<void> => {
      for await (const _ of readRecords({ path: file, format: 'fasta' }, undefined, signal)) {
        void _;
        read++;
        signal.cancelled = true;
      }
    };
    await expect(run()).rejects.toBeInstanceOf(CancelledError);
    expect(read).toBeGreaterThan(0);
    expect(read).toBeLessThan(160);
    expect(isCancelledError(new CancelledError())).toBe(true);
  });
});

// Broken inputs must stop the import with an ImportError whose message says which file, which line, and what is
// wrong, in words a user can act on.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { detectSources } from '../../../src-main/io';
import { REFERENCE, SHARED_DATA, importError, makeTempDir, readAll } from './helpers';

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

/** A real PNG header and IHDR chunk: what a user gets by picking a plot instead of the data. */
const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 1, 0, 0, 0, 1, 0, 8, 6, 0, 0, 0]),
  Buffer.alloc(2000, 0x7a),
]);

describe('malformed inputs', () => {
  it('a PNG or random bytes: "this is not a text file"', async () => {
    const png = write('plot.png', PNG);
    const err = await importError(() => readAll({ path: png, format: 'fasta' }));
    expect(err.message).toMatch(new RegExp(`^${png.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}, line 1: this is not a text file`));
    let seed = 42;
    const random = Buffer.from(Array.from({ length: 4096 }, () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) >> 16) & 0xff));
    const rnd = write('reads.fa', random);
    expect((await importError(() => readAll({ path: rnd, format: 'fasta' }))).problem).toMatch(/^this is not a text file/);
    // Also inside gzip, and when the format is sniffed.
    const gz = write('data.csv.gz', zlib.gzipSync(random));
    expect((await importError(() => readAll({ path: gz, format: 'csv' }))).problem).toMatch(/^this is not a text file/);
    expect((await importError(() => detectSources([png]))).problem).toMatch(/^this is not a text file/);
  });

  it('a gzip file cut in half: "the gzip data ends early"', async () => {
    const whole = fs.readFileSync(path.join(SHARED_DATA, 'gue_prom_core_tata', 'train.csv.gz'));
    const cut = write('train.csv.gz', whole.subarray(0, Math.floor(whole.length / 2)));
    const err = await importError(() => readAll({ path: cut, format: 'csv', labelColumn: 'label' }));
    expect(err.problem).toBe('the gzip data ends early; the file is incomplete or damaged');
    expect(err.line).toBeGreaterThan(1000); // where the data stopped
    expect(err.message).toBe(`${cut}, line ${err.line}: the gzip data ends early; the file is incomplete or damaged`);
  });

  it('an empty file, plain or gzip: "the file is empty"', async () => {
    const empty = write('empty.fa', '');
    expect((await importError(() => readAll({ path: empty, format: 'fasta' }))).message).toBe(`${empty}, line 1: the file is empty`);
    const emptyGz = write('empty.csv.gz', zlib.gzipSync(''));
    expect((await importError(() => readAll({ path: emptyGz, format: 'csv' }))).problem).toMatch(/^the file is empty/);
    expect((await importError(() => detectSources([empty]))).problem).toBe('the file is empty');
  });

  it('a CSV row without the label column names the row, the column and its field count', async () => {
    const file = write('promoters.csv', 'sequence,label\nACGTACGTAA,1\nACGTTTTTGG\nACGTACGTCC,0\n');
    const err = await importError(() => readAll({ path: file, format: 'csv', labelColumn: 'label' }));
    expect(err.message).toBe(`${file}, line 3: missing the label column 'label' (the row has 1 field)`);
  });

  it('a label column the header does not have: line 1, listing the columns', async () => {
    const file = write('promoters.tsv', 'seq\tclass\nACGTACGTAA\t1\n');
    const err = await importError(() => readAll({ path: file, format: 'tsv', labelColumn: 'label' }));
    expect(err.message).toBe(`${file}, line 1: there is no column 'label' (the columns are: seq, class)`);
  });

  it('a row with too few fields for the sequence column', async () => {
    const file = write('headerless.csv', 'x,ACGTACGTAA,1\ny,ACGTACGTCC,0\nz\n');
    const err = await importError(() => readAll({ path: file, format: 'csv', sequenceColumn: '2', labelColumn: '3' }));
    expect(err.message).toBe(`${file}, line 3: missing the sequence column 2 (the row has 1 field)`);
  });

  it('a quoted CSV field that is never closed names the line it starts on', async () => {
    const file = write('open-quote.csv', 'sequence,label\nACGTACGT,1\n"ACGT,0\nACGT,1\n');
    const err = await importError(() => readAll({ path: file, format: 'csv' }));
    expect(err.line).toBe(3);
    expect(err.problem).toContain('quoted field is never closed');
  });

  it('a BED interval past the chromosome end', async () => {
    const bed = write('past-end.bed', '#chrom\tstart\tend\nchr2\t100\t200\tok\t0\t+\nchr2\t2333270\t2333400\ttoo-far\t0\t+\n');
    const err = await importError(() => readAll({ path: bed, format: 'bed', reference: REFERENCE }));
    expect(err.message).toBe(`${bed}, line 3: chr2:2333270-2333400 runs past the end of chr2 (length 2,333,275)`);
    const flanked = write('flank.bed', 'chr2\t2333200\t2333201\tnear-end\t0\t+\n');
    const err2 = await importError(() => readAll({ path: flanked, format: 'bed', reference: REFERENCE, flank: 100 }));
    expect(err2.message).toBe(`${flanked}, line 1: chr2:2333100-2333301 (the BED interval chr2:2333200-2333201 after flank/resize) runs past the end of chr2 (length 2,333,275)`);
  });

  it('a BED chromosome that the reference does not have', async () => {
    const bed = write('unknown.bed', 'browser position chr2\ntrack name=x\nchr2\t10\t20\nchr2\t30\t40\nchr2\t50\t60\nchr2\t70\t80\nchr9\t10\t20\n');
    const err = await importError(() => readAll({ path: bed, format: 'bed', reference: REFERENCE }));
    expect(err.message).toBe(`${bed}, line 7: chromosome chr9 is not in chr2_1-2333275.fa.gz (it has chr2)`);
  });

  it('BED coordinates that are not numbers, or a start after the end', async () => {
    const bad = write('bad.bed', 'chr2\t10\t20\nchr2\t1e3\t2000\n');
    expect((await importError(() => readAll({ path: bad, format: 'bed', reference: REFERENCE }))).message).toBe(
      `${bad}, line 2: the start '1e3' is not a whole number (a BED line is chrom, start, end, ...; 0-based start)`,
    );
    const reversed = write('reversed.bed', 'chr2\t500\t400\n');
    expect((await importError(() => readAll({ path: reversed, format: 'bed', reference: REFERENCE }))).message).toBe(
      `${reversed}, line 1: the start 500 is after the end 400`,
    );
    const noRef = write('noref.bed', 'chr2\t1\t2\n');
    expect((await importError(() => readAll({ path: noRef, format: 'bed' }))).problem).toMatch(/choose the reference genome/);
  });

  it('sequence lines before the first FASTA header', async () => {
    const file = write('headless.fa', '\n\nACGTACGT\n>seq1\nACGT\n');
    const err = await importError(() => readAll({ path: file, format: 'fasta' }));
    expect(err.message).toBe(`${file}, line 3: sequence data comes before the first header line (a FASTA record starts with ">name")`);
  });

  it('a file that does not exist', async () => {
    const missing = path.join(tmp.dir, 'gone.fa');
    expect((await importError(() => readAll({ path: missing, format: 'fasta' }))).problem).toBe('the file does not exist (was it moved or deleted?)');
    expect((await importError(() => detectSources([missing]))).problem).toBe('the file does not exist (was it moved or deleted?)');
  });
});

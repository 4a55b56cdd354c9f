// BED intervals cut from the bgzip hg38 chr2 excerpt must equal what samtools faidx cuts (samtools -i for the minus
// strand), with and without flank/resize, whether the reference's .fai/.gzi are there or have to be built.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clearReferenceIndexCache, detectSources, extractionWindow, parseBedLine, type BedInterval, type SourceSpec } from '../../../src-main/io';
import { REFERENCE, REFERENCE_DIR, bgzfCompress, hasTool, importError, makeTempDir, readAll } from './helpers';

const BEDS = ['tss_epdnew_hg38.bed', 'tss_gencode_cage_hek293_hg38.bed', 'promoters_epdnew_nontata_251bp_hg38.bed', 'tss_fantom5_via_ensembl_hg38.bed'];
const haveSamtools = hasTool('samtools');
if (!haveSamtools) console.warn('samtools is not installed (apt-get install -y samtools): the samtools comparisons are skipped');

let tmp: { dir: string; cleanup: () => void };
/** The reference copied without its .fai/.gzi, so the reader must build both. */
let bareReference: string;
/** The reference with its .fai but no .gzi (blocks found by scanning). */
let faiOnlyReference: string;
/** The reference decompressed, without a .fai. */
let plainReference: string;

beforeAll(() => {
  tmp = makeTempDir();
  bareReference = path.join(tmp.dir, 'bare', 'chr2.fa.gz');
  fs.mkdirSync(path.dirname(bareReference));
  fs.copyFileSync(REFERENCE, bareReference);
  faiOnlyReference = path.join(tmp.dir, 'fai-only', 'chr2.fa.gz');
  fs.mkdirSync(path.dirname(faiOnlyReference));
  fs.copyFileSync(REFERENCE, faiOnlyReference);
  fs.copyFileSync(`${REFERENCE}.fai`, `${faiOnlyReference}.fai`);
  plainReference = path.join(tmp.dir, 'chr2.fa');
  fs.writeFileSync(plainReference, zlib.gunzipSync(fs.readFileSync(REFERENCE)));
});
afterAll(() => {
  tmp.cleanup();
  clearReferenceIndexCache();
});

function bedIntervals(bed: string): BedInterval[] {
  const lines = fs.readFileSync(path.join(REFERENCE_DIR, bed), 'utf8').split('\n');
  return lines.flatMap((text, i) => (text.trim() === '' || text.startsWith('#') ? [] : [parseBedLine(bed, i + 1, text)]));
}

/** samtools faidx on the shared reference (which has its .fai and .gzi), one region per interval. */
function samtools(regions: { chrom: string; start: number; end: number; minus: boolean }[]): string[] {
  const run = (args: string[]): string[] =>
    execFileSync('samtools', ['faidx', ...args], { encoding: 'utf8', maxBuffer: 64 << 20 })
      .split('>')
      .slice(1)
      .map((block) => block.split('\n').slice(1).join('').toUpperCase());
  // One call per strand (the -i flag applies to all regions of a call), then back into input order.
  const plus = regions.filter((r) => !r.minus).map((r) => `${r.chrom}:${r.start + 1}-${r.end}`);
  const minus = regions.filter((r) => r.minus).map((r) => `${r.chrom}:${r.start + 1}-${r.end}`);
  const plusSeqs = plus.length > 0 ? run([REFERENCE, ...plus]) : [];
  const minusSeqs = minus.length > 0 ? run(['-i', REFERENCE, ...minus]) : [];
  return regions.map((r) => (r.minus ? minusSeqs.shift() : plusSeqs.shift()) ?? '');
}

function spec(bed: string, reference: string, extra: Partial<SourceSpec> = {}): SourceSpec {
  return { path: path.join(REFERENCE_DIR, bed), format: 'bed', reference, ...extra };
}

describe('BED + reference extraction', () => {
  it.skipIf(!haveSamtools).each(BEDS)('%s equals samtools faidx on both strands (bgzip reference with .fai/.gzi)', async (bed) => {
    const records = await readAll(spec(bed, REFERENCE));
    const ivs = bedIntervals(bed);
    expect(records).toHaveLength(ivs.length);
    expect(ivs.some((iv) => iv.strand === '-')).toBe(true);
    const expected = samtools(ivs.map((iv) => ({ chrom: iv.chrom, start: iv.start, end: iv.end, minus: iv.strand === '-' })));
    expect(records.map((r) => r.sequence.toUpperCase())).toEqual(expected);
    const first = records[0];
    const iv = ivs[0];
    if (first === undefined || iv === undefined) throw new Error('no records');
    expect(first.id).toBe(`${iv.chrom}:${iv.start}-${iv.end}(${iv.strand ?? ''}) ${iv.name ?? ''}`);
    expect(first.chrom).toBe('chr2');
    expect(first.line).toBe(2);
  });

  it.skipIf(!haveSamtools)('with flank and resize, equals samtools on the same windows, from references without index files', async () => {
    const bed = 'tss_gencode_cage_hek293_hg38.bed';
    const ivs = bedIntervals(bed);
    for (const reference of [REFERENCE, bareReference, faiOnlyReference, plainReference]) {
      clearReferenceIndexCache();
      const flanked = await readAll(spec(bed, reference, { flank: 100 }));
      const expectedFlank = samtools(ivs.map((iv) => ({ chrom: iv.chrom, start: iv.start - 100, end: iv.end + 100, minus: iv.strand === '-' })));
      expect(flanked.map((r) => r.sequence.toUpperCase())).toEqual(expectedFlank);
      expect(flanked.every((r) => r.sequence.length === 201)).toBe(true);

      const resized = await readAll(spec(bed, reference, { flank: 20, resizeTo: 300 }));
      const windows = ivs.map((iv) => ({ ...extractionWindow(iv, 20, 300), chrom: iv.chrom, minus: iv.strand === '-' }));
      expect(windows.every((w) => w.end - w.start === 300)).toBe(true);
      expect(resized.map((r) => r.sequence.toUpperCase())).toEqual(samtools(windows));
    }
    // Nothing was written next to the user's files.
    expect(fs.readdirSync(path.dirname(bareReference))).toEqual(['chr2.fa.gz']);
    expect(fs.readdirSync(tmp.dir).filter((f) => f.endsWith('.fai'))).toEqual([]);
  });

  it('puts a 1-bp TSS at the centre index on both strands after resizing, reverse-complementing the minus strand', async () => {
    const bed = 'tss_epdnew_hg38.bed';
    const ivs = bedIntervals(bed);
    const tssBases = (await readAll(spec(bed, REFERENCE, { reverseComplementMinus: false }))).map((r) => r.sequence.toUpperCase());
    const forward = await readAll(spec(bed, REFERENCE, { resizeTo: 100, reverseComplementMinus: false }));
    const stranded = await readAll(spec(bed, REFERENCE, { resizeTo: 100 }));
    const complement = (s: string): string => [...s].reverse().map((c) => ({ A: 'T', C: 'G', G: 'C', T: 'A' })[c] ?? 'N').join('');
    expect(ivs.filter((iv) => iv.strand === '-').length).toBeGreaterThan(0);
    expect(ivs.filter((iv) => iv.strand === '+').length).toBeGreaterThan(0);
    ivs.forEach((iv, i) => {
      const seq = stranded[i]?.sequence ?? '';
      expect(seq).toHaveLength(100);
      const tss = tssBases[i] ?? '';
      if (iv.strand === '-') {
        expect(seq).toBe(complement(forward[i]?.sequence.toUpperCase() ?? ''));
        expect(seq[50]).toBe(complement(tss));
      } else {
        expect(seq).toBe(forward[i]?.sequence);
        expect(seq[50]?.toUpperCase()).toBe(tss);
      }
    });
  });

  it('cuts from a bgzip reference made without a .gzi and from a plain FASTA with CRLF lines and no .fai', async () => {
    // A small two-chromosome genome, 7 bases a line, CRLF.
    const chrA = 'ACGTTGCAacgtNNNNGGCCAATT'.repeat(5);
    const chrB = 'TTTTGGGGCCCCAAAA'.repeat(3) + 'AC';
    const wrap = (s: string): string => (s.match(/.{1,7}/g) ?? []).join('\r\n') + '\r\n';
    const fasta = `>chrA description\r\n${wrap(chrA)}>chrB\r\n${wrap(chrB)}`;
    const dir = path.join(tmp.dir, 'small');
    fs.mkdirSync(dir);
    const plain = path.join(dir, 'genome.fa');
    fs.writeFileSync(plain, fasta);
    const bgz = path.join(dir, 'genome.fa.gz');
    fs.writeFileSync(bgz, bgzfCompress(Buffer.from(fasta), 50)); // tiny blocks: intervals straddle many of them
    const bedFile = path.join(dir, 'regions.bed');
    fs.writeFileSync(bedFile, 'track name=test\nbrowser position chrA:1-10\n# comment\nchrA\t0\t10\tfirst\t0\t+\nchrA 5 100 spaced\nchrB\t40\t50\tlast\t0\t-\nchrB\t3\t3\tempty\n');
    const rc = (s: string): string => [...s.toUpperCase()].reverse().map((c) => ({ A: 'T', C: 'G', G: 'C', T: 'A' })[c] ?? 'N').join('');
    for (const reference of [plain, bgz]) {
      const records = await readAll({ path: bedFile, format: 'bed', reference, labelFromName: true });
      expect(records.map((r) => [r.id, r.sequence, r.label, r.line])).toEqual([
        ['chrA:0-10(+) first', chrA.slice(0, 10), 'first', 4],
        ['chrA:5-100 spaced', chrA.slice(5, 100), 'spaced', 5],
        ['chrB:40-50(-) last', rc(chrB.slice(40, 50)), 'last', 6],
        ['chrB:3-3 empty', '', 'empty', 7],
      ]);
    }
    expect(fs.readdirSync(dir).sort()).toEqual(['genome.fa', 'genome.fa.gz', 'regions.bed']);
  });

  it('skips a column-name line (chrom, start, end) at the top of a BED file', async () => {
    const bed = path.join(tmp.dir, 'with-header.bed');
    fs.writeFileSync(bed, 'chrom\tchromStart\tchromEnd\tname\r\nchr2\t264031\t264032\tSH3YL1\r\n');
    const records = await readAll({ path: bed, format: 'bed', reference: REFERENCE, labelFromName: true });
    expect(records.map((r) => [r.id, r.sequence.length, r.label, r.line])).toEqual([['chr2:264031-264032 SH3YL1', 1, 'SH3YL1', 2]]);
    expect((await detectSources([bed, REFERENCE])).format).toBe('bed');
  });

  it('pairs BED files with the one FASTA in the folder as their reference', async () => {
    const { sources, format } = await detectSources([REFERENCE_DIR]);
    expect(format).toBe('bed');
    expect(sources.map((s) => path.basename(s.path)).sort()).toEqual([...BEDS, 'ensembl_regulatory_build_hg38.bed'].sort());
    expect(sources.every((s) => s.reference === REFERENCE)).toBe(true);
  });

  it('refuses a reference compressed with plain gzip, saying what to do', async () => {
    const gz = path.join(tmp.dir, 'plain-gzip.fa.gz');
    fs.writeFileSync(gz, zlib.gzipSync('>chr2\nACGT\n'));
    const err = await importError(() => readAll(spec('tss_epdnew_hg38.bed', gz)));
    expect(err.file).toBe(gz);
    expect(err.message).toContain('plain-gzip.fa.gz is compressed with plain gzip');
    expect(err.message).toContain('compress the reference with bgzip or decompress it');
  });
});

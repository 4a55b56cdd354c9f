import { describe, expect, it } from 'vitest';
import { parsePastedText } from '../../../src-main/inference/predict-inputs';
import { applyVariant, parseVariantLines, parseVcf, variantWindow } from '../../../src-main/inference/variant-input';
import { mutants } from '../../../src-main/inference/explain-task';
import { parseRegion } from '../../../src-main/cli/inference-commands';

describe('pasted sequences', () => {
  it('reads FASTA with wrapped lines', () => {
    const r = [...parsePastedText('>a first\nACGT\nAC\n\n>b\r\nGGGG\n')];
    expect(r.map((x) => [x.id, x.sequence])).toEqual([
      ['a', 'ACGTAC'],
      ['b', 'GGGG'],
    ]);
  });

  it('reads one sequence per line, with optional name<TAB or ,>sequence', () => {
    const r = [...parsePastedText('ACGT\np2\tGGCC\np3, TTAA\n# comment\n')];
    expect(r.map((x) => [x.id, x.sequence])).toEqual([
      ['seq1', 'ACGT'],
      ['p2', 'GGCC'],
      ['p3', 'TTAA'],
    ]);
  });

  it('names the line of a sequence that is not DNA', () => {
    expect(() => [...parsePastedText('ACGT\nAC-GT\n')]).toThrow(/pasted text, line 2: the sequence "seq2" holds '-'/);
  });
});

describe('variants', () => {
  const vcf = ['##fileformat=VCFv4.2', '#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO', 'chr2\t264032\trs1\tG\tA,C\t.\t.\t.', 'chr2\t264030\t.\tGA\tG\t.\t.\t.'].join('\n');

  it('splits a multi-allelic ALT into one variant per allele', () => {
    const v = parseVcf('x.vcf', vcf);
    expect(v.map((x) => [x.chrom, x.pos, x.ref, x.alt, x.line])).toEqual([
      ['chr2', 264032, 'G', 'A', 3],
      ['chr2', 264032, 'G', 'C', 3],
      ['chr2', 264030, 'GA', 'G', 4],
    ]);
    expect(v[0]?.id).toBe('rs1 G>A');
    expect(v[2]?.id).toBe('chr2:264030 GA>G');
  });

  it('refuses a VCF without #CHROM, and symbolic alleles, naming file and line', () => {
    expect(() => parseVcf('x.vcf', 'chr2\t1\t.\tA\tG')).toThrow(/x\.vcf, line 1: a VCF needs its #CHROM header/);
    expect(() => parseVcf('x.vcf', '#CHROM\tPOS\tID\tREF\tALT\nchr2\t5\t.\tA\t<DEL>')).toThrow(/x\.vcf, line 2: the ALT allele '<DEL>'/);
  });

  it('reads chr:pos ref>alt lines (1-based)', () => {
    expect(parseVariantLines('list', 'chr2:264032 G>A\n\nchr2:10 a>t # note').map((x) => [x.pos, x.ref, x.alt, x.line])).toEqual([
      [264032, 'G', 'A', 1],
      [10, 'A', 'T', 3],
    ]);
    expect(() => parseVariantLines('list', 'chr2-5 A>G')).toThrow(/list, line 1: 'chr2-5 A>G' is not a variant/);
  });

  it('centres the window on the variant, moved inside the record at its ends', () => {
    expect(variantWindow(101, 1, 11, 1000)).toEqual({ start: 95, end: 106 });
    expect(variantWindow(2, 1, 11, 1000)).toEqual({ start: 0, end: 11 });
    expect(variantWindow(1000, 1, 11, 1000)).toEqual({ start: 989, end: 1000 });
  });

  it('puts the ALT allele in place of REF and keeps the window length', () => {
    const bases = 'AAAAACGTTTTTT'; // starts at 0-based 100
    expect(applyVariant(bases, 100, { pos: 106, ref: 'C', alt: 'T' }, 11)).toEqual({ ref: 'AAAAACGTTTT', alt: 'AAAAATGTTTT' });
    expect(applyVariant(bases, 100, { pos: 106, ref: 'CG', alt: 'C' }, 11).alt).toBe('AAAAACTTTTT');
    expect(applyVariant(bases, 100, { pos: 106, ref: 'C', alt: 'CAA' }, 11).alt).toBe('AAAAACAAGTT');
  });
});

describe('mutagenesis and regions', () => {
  it('makes every single-base change, three per position', () => {
    const m = mutants('ACN');
    expect(m.length).toBe(3 + 3 + 4);
    expect(m.slice(0, 3).map((x) => x.sequence)).toEqual(['CCN', 'GCN', 'TCN']);
  });

  it('parses 1-based regions as 0-based half-open', () => {
    expect(parseRegion('chr2:240,001-290,000')).toEqual({ record: 'chr2', start: 240000, end: 290000 });
    expect(parseRegion('chr2')).toEqual({ record: 'chr2' });
    expect(() => parseRegion('chr2:5-1')).toThrow(/not after the end/);
  });
});

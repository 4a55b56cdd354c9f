import { describe, expect, it } from 'vitest';
import {
  countPastedSequences,
  defaultPredictDraft,
  defaultScanDraft,
  defaultVariantsDraft,
  explainProblems,
  OTHER_FILE,
  parseRegion,
  predictProblems,
  predictSettings,
  scanProblems,
  scanSettings,
  variantLineProblems,
  variantSettings,
  variantsProblems,
} from '../../src-renderer/lib/predict';
import { bundledRelativePath, BUNDLED_REFERENCES } from '../../src-shared/api/bundled-data';

describe('coordinates', () => {
  it('reads 1-based inclusive chr:start-end (commas allowed) as 0-based half-open', () => {
    expect(parseRegion('chr2:200,001-300,000')).toEqual({ region: { chrom: 'chr2', start: 200_000, end: 300_000 } });
    expect(parseRegion(' chr2:1-1 ')).toEqual({ region: { chrom: 'chr2', start: 0, end: 1 } });
    expect(parseRegion('')).toBeNull();
  });

  it('says what is wrong with a region and how to write it', () => {
    expect(parseRegion('chr2 200001 300000')).toEqual({ error: expect.stringMatching(/chromosome:start-end, for example chr2:200,001-300,000/) });
    expect(parseRegion('chr2:0-100')).toEqual({ error: expect.stringMatching(/at least 1/) });
    expect(parseRegion('chr2:300-200')).toEqual({ error: expect.stringMatching(/end comes before the start/) });
  });
});

describe('scan form', () => {
  const draft = { ...defaultScanDraft(11) };

  it('starts from the bundled chr2 region with the EPDnew TSS annotation and sends 0-based coordinates', () => {
    expect(BUNDLED_REFERENCES[0]?.label).toBe('chr2:1-2,333,275 (hg38, bundled)');
    expect(scanProblems(draft)).toEqual([]);
    expect(scanSettings(draft)).toEqual({
      modelId: 11,
      source: { kind: 'file', path: 'resources/data/reference_hg38_chr2_1-2333275/chr2_1-2333275.fa.gz', record: 'chr2', start: 200_000, end: 300_000 },
      stride: 50,
      strands: 'both',
      threshold: 0.9,
      mergeGap: 100,
      minLength: 0,
      annotation: { path: 'resources/data/reference_hg38_chr2_1-2333275/tss_epdnew_hg38.bed', maxDistance: 500 },
    });
    expect(bundledRelativePath('resources/data/reference_hg38_chr2_1-2333275/chr2_1-2333275.fa.gz')).toBe('reference_hg38_chr2_1-2333275/chr2_1-2333275.fa.gz');
    expect(bundledRelativePath('resources/data/../secrets')).toBeNull();
    expect(bundledRelativePath('/data/genome.fa')).toBeNull();
  });

  it('refuses regions outside the bundled reference, other chromosomes, and bad numbers, each with a sentence', () => {
    expect(scanProblems({ ...draft, region: 'chr2:2,300,001-2,400,000' })).toEqual([expect.stringMatching(/outside the bundled reference, which covers chr2:1-2,333,275/)]);
    expect(scanProblems({ ...draft, region: 'chr3:1-1000' })).toEqual([expect.stringMatching(/holds chr2 only/)]);
    expect(scanProblems({ ...draft, threshold: 1.5 })).toEqual(['The threshold must be a probability between 0 and 1.']);
    expect(scanProblems({ ...draft, stride: 0 })).toEqual(['The stride must be at least 1.']);
    expect(scanProblems({ ...draft, window: 300, region: 'chr2:1-200' })).toEqual([expect.stringMatching(/shorter than one window \(300 bases\)/)]);
    expect(scanProblems({ ...draft, modelId: null })).toEqual(['Choose the model to scan with.']);
    expect(scanSettings({ ...draft, stride: 2.5 })).toBeNull();
  });

  it('takes another FASTA and BED by path, and no annotation at all', () => {
    const other = { ...draft, reference: OTHER_FILE, path: '', annotation: '' };
    expect(scanProblems(other)).toEqual(['Give the path of the FASTA file to scan (plain or .gz).']);
    const settings = scanSettings({ ...other, path: ' /g/hg38.fa.gz ', region: 'chr7:1,001-2,000', window: 200 });
    expect(settings).toMatchObject({ source: { kind: 'file', path: '/g/hg38.fa.gz', record: 'chr7', start: 1000, end: 2000 }, window: 200 });
    expect(settings).not.toHaveProperty('annotation');
    expect(scanSettings({ ...other, path: '/g/x.fa', region: '' })?.source).toEqual({ kind: 'file', path: '/g/x.fa' });
  });
});

describe('predict, variants and explain forms', () => {
  it('counts pasted FASTA records or lines and checks the threshold', () => {
    expect(countPastedSequences('>a\nACGT\nACGT\n>b\nTTTT\n')).toBe(2);
    expect(countPastedSequences('ACGT\n\nTTGA\n')).toBe(2);
    const d = { ...defaultPredictDraft(11), text: 'ACGT' };
    expect(predictProblems(d)).toEqual([]);
    expect(predictSettings({ ...d, threshold: 0.7, name: ' batch ' })).toEqual({ modelId: 11, input: { kind: 'text', text: 'ACGT' }, threshold: 0.7, name: 'batch' });
    expect(predictProblems({ ...d, threshold: -0.1 })).toEqual(['The threshold must be a probability between 0 and 1.']);
    expect(predictProblems({ ...d, text: '  \n' })).toEqual([expect.stringMatching(/Paste at least one sequence/)]);
    expect(predictSettings({ ...d, inputKind: 'dataset', datasetId: 3, split: 'test' })?.input).toEqual({ kind: 'dataset', datasetId: 3, split: 'test' });
  });

  it('names the line of a pasted variant that does not parse', () => {
    expect(variantLineProblems('chr2:264,100 A>G\n# comment\nchr2 264100 A G\nchr2:264,100 A>\n')).toEqual([expect.stringMatching(/^Line 4: "chr2:264,100 A>" is not a variant/)]);
    expect(variantsProblems({ ...defaultVariantsDraft(11), text: 'chr2:264,100 A>G' })).toEqual([]);
    expect(variantSettings({ ...defaultVariantsDraft(11), text: 'chr2:1,264,100 A>G,T\n# note\nchr2 264101 C T' })?.variants).toEqual({
      kind: 'text',
      text: 'chr2:1264100 A>G,T\n# note\nchr2:264101 C>T',
    });
  });

  it('accepts only A, C, G, T and N in a sequence to explain', () => {
    expect(explainProblems({ modelId: 11, sequence: '>x\nacgt\nNNAC', attention: false, name: '' })).toEqual([]);
    expect(explainProblems({ modelId: 11, sequence: 'ACGU', attention: false, name: '' })).toEqual([
      'The sequence holds "U" at position 4; only A, C, G, T and N are allowed.',
    ]);
  });
});

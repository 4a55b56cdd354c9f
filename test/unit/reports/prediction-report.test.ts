/**
 * The PDF of each kind of prediction record, built from hand-made records (the shapes of src-shared/api/inference.ts),
 * rendered by pdfmake and read back with pdftotext and pdftoppm: what a scientist looks for is on the page, with the
 * app version, the model lineage and the licences.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PredictionDetail, PredictionRow, ScanResult, ScanTrack, VariantRow } from '../../../src-shared/api';
import { appVersion } from '../../../src-main/paths';
import { loadReportEngines, renderPdf } from '../../../src-main/reports/pdf-render';
import { buildPredictionReport, type PredictionReportInput } from '../../../src-main/reports/prediction-report';
import { reportMeta } from '../../../src-main/reports/report-data';
import type { LineageModel } from '../../../src-main/reports/report-parts';
import { pdfPageCount, pdfWords, renderFirstPage } from './pdf-tools';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dnalm-predreport-'));
beforeAll(() => loadReportEngines());
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const meta = reportMeta(new Date('2026-11-22T10:30:00Z'));
const hash = 'ab12'.repeat(16);
const inputHash = 'cd34'.repeat(16);

const trained: LineageModel = {
  id: 4,
  name: 'promoter CNN',
  architecture: 'cnn',
  role: 'classifier',
  parameters: 265_218,
  classes: ['negative', 'positive'],
  licence: '',
  run: { id: 7, name: 'cnn seed 3', seed: 3 },
  dataset: { id: 2, name: 'promoters', contentHash: hash, records: 600, licence: 'Apache-2.0' },
  startedFrom: null,
};

const fineTuned: LineageModel = {
  ...trained,
  id: 9,
  name: 'promoter BERT',
  architecture: 'bert',
  run: { id: 11, name: 'bert from DNABERT', seed: 5 },
  startedFrom: { ...trained, id: 1, name: 'DNABERT-6', role: 'pretrained', run: null, dataset: null, licence: 'Apache-2.0 (zhihan1996/DNA_bert_6)' },
};

function base(kind: PredictionDetail['kind'], result: PredictionDetail['result'], count: number): PredictionDetail {
  return {
    id: 21,
    kind,
    name: `${kind} record`,
    modelId: trained.id,
    modelName: trained.name,
    classes: ['negative', 'positive'],
    inputHash,
    inputDescription: kind === 'scan' ? 'chr2:1-200,000 (both strands)' : '40 sequences from promoters.fa',
    engine: 'onnx',
    backend: 'cpu',
    count,
    seconds: 1.25,
    createdAt: '2026-11-22T10:00:00Z',
    result,
  };
}

async function render(name: string, input: PredictionReportInput): Promise<{ file: string; text: string; pages: number }> {
  const pdf = await renderPdf(buildPredictionReport(input));
  const file = path.join(tmp, `${name}.pdf`);
  fs.writeFileSync(file, pdf.bytes);
  expect(pdfPageCount(file)).toBe(pdf.pages);
  return { file, text: pdfWords(file), pages: pdf.pages };
}

function expectCommon(text: string, file: string): void {
  expect(text).toContain(`DNA LM Studio ${appVersion}`);
  expect(text).toContain('2026-11-22 10:30 UTC');
  expect(text).toContain(inputHash);
  expect(text).toContain(`dataset SHA-256 ${hash}`);
  expect(text).toContain('Model 4 "promoter CNN"');
  expect(text).toContain('trained by run 7 "cnn seed 3" (seed 3)');
  // Every bundled data set is credited.
  for (const l of meta.dataLicences) expect(text).toContain(l.name);
  expect(text).toContain('JASPAR 2024');
  const page = renderFirstPage(file);
  expect(page.pngBytes).toBeGreaterThan(5_000);
  expect(page.inked).toBeGreaterThan(0.01);
  expect(page.sd).toBeGreaterThan(10);
}

describe('prediction reports', () => {
  it('predict: counts per class, threshold, agreement and the top rows by score', async () => {
    const rows: PredictionRow[] = Array.from({ length: 5 }, (_, i) => ({
      index: i * 3,
      id: `seq${i * 3 + 1}`,
      length: 251,
      probabilities: [0.1 + i * 0.05, 0.9 - i * 0.05],
      predicted: 'positive',
      score: 0.9 - i * 0.05,
      label: i % 2 === 0 ? 'positive' : 'negative',
    }));
    const p = base('predict', { kind: 'predict', settings: { modelId: 4, input: { kind: 'text', text: 'ACGT' }, threshold: 0.7 }, threshold: 0.7, counts: { negative: 28, positive: 12 }, agreement: { accuracy: 0.825, mcc: 0.6512 } }, 40);
    const { text, file } = await render('predict', { meta, prediction: p, model: trained, topRows: rows });
    expect(text).toContain('Predictions 21: predict record');
    expect(text).toContain('Threshold 0.7');
    expect(text).toMatch(/negative 28 70\.0 %/);
    expect(text).toMatch(/positive 12 30\.0 %/);
    expect(text).toContain('0.6512');
    expect(text).toContain('Top 5 by score');
    expect(text).toMatch(/1 seq1 251 positive 0\.9000 positive 0\.1000 0\.9000/);
    expect(text).toContain('ONNX Runtime (cpu)');
    expectCommon(text, file);
  });

  it('scan: region, track plot, calls table and the annotation overlap', async () => {
    const calls: ScanResult['calls'] = [
      { chrom: 'chr2', start: 10_000, end: 10_400, score: 0.97, strand: '+', nearestSite: 0, nearestName: 'TSS_A' },
      { chrom: 'chr2', start: 150_200, end: 150_450, score: 0.81, strand: '-', nearestSite: 3_200, nearestName: 'TSS_B' },
    ];
    const result: ScanResult = {
      kind: 'scan',
      settings: { modelId: 4, source: { kind: 'file', path: '/data/chr2.fa.gz' }, stride: 50, strands: 'both', threshold: 0.8, mergeGap: 100, minLength: 200, annotation: { path: '/data/tss.bed', maxDistance: 1000 } },
      chrom: 'chr2',
      start: 0,
      end: 200_000,
      window: 251,
      stride: 50,
      windows: 3996,
      skipped: 4,
      calls,
      annotation: {
        path: '/data/tss.bed',
        maxDistance: 1000,
        sites: [
          { chrom: 'chr2', start: 10_100, end: 10_101, name: 'TSS_A', strand: '+', nearCall: true },
          { chrom: 'chr2', start: 90_000, end: 90_001, name: 'TSS_C', strand: '-', nearCall: false },
        ],
        recall: 0.5,
        precision: 0.5,
      },
      files: { bedGraph: 'predictions/21/track.bedGraph', bed: 'predictions/21/calls.bed' },
    };
    const positions = Array.from({ length: 400 }, (_, i) => 250 + i * 500);
    const track: ScanTrack = {
      start: 0,
      end: 200_000,
      positions,
      forward: positions.map((x) => (Math.abs(x - 10_200) < 800 ? 0.97 : 0.2 + 0.1 * Math.sin(x / 7000))),
      reverse: positions.map((x) => (Math.abs(x - 150_300) < 600 ? 0.81 : 0.15)),
    };
    const { text, file } = await render('scan', { meta, prediction: base('scan', result, 3996), model: trained, track });
    expect(text).toContain('Scan 21: scan record');
    expect(text).toContain('chr2:1-200,000 (200,000 bp)');
    expect(text).toContain('3,996 scored, 4 skipped');
    expect(text).toContain('Score along chr2');
    expect(text).toMatch(/chr2 10,001 10,400 400 \+ 0\.9700 TSS_A 0/);
    expect(text).toMatch(/chr2 150,201 150,450 250 - 0\.8100 TSS_B 3,200/);
    expect(text).toContain('Sites near a call (recall) 1 of 2: 0.5000');
    expect(text).toContain('Calls near a site (precision) 0.5000');
    expectCommon(text, file);
  });

  it('variants: the largest effects as a table and a bar chart', async () => {
    const rows: VariantRow[] = [
      { index: 0, id: 'rs1', chrom: 'chr2', pos: 10_150, ref: 'A', alt: 'G', refProbability: 0.91, altProbability: 0.42, delta: -0.49, logOddsRatio: -2.6346 },
      { index: 1, id: 'rs2', chrom: 'chr2', pos: 20_000, ref: 'C', alt: 'T', refProbability: 0.3, altProbability: 0.55, delta: 0.25, logOddsRatio: 1.0480 },
    ];
    const p = base('variants', { kind: 'variants', settings: { modelId: 4, referencePath: '/data/chr2.fa.gz', variants: { kind: 'text', text: 'chr2:10150 A>G' } }, className: 'positive', window: 251 }, 2);
    const { text, file } = await render('variants', { meta, prediction: p, model: trained, variants: { rows, total: 2 } });
    expect(text).toContain('Variant effects 21');
    expect(text).toMatch(/rs1 chr2:10150 A>G 0\.9100 0\.4200 -0\.4900 -2\.6346/);
    expect(text).toMatch(/rs2 chr2:20000 C>T 0\.3000 0\.5500 0\.2500 1\.0480/);
    expect(text).toContain('Effect on P(positive)');
    expectCommon(text, file);
  });

  it('explain: the ISM heatmap, the strongest effects and the sequence; imported weights keep their licence', async () => {
    const sequence = 'ACGTTGCAAGCTTATAAAGGCCGCGTATA'.repeat(2);
    const ism = [...sequence].map((base, i) => ['A', 'C', 'G', 'T'].map((b) => (b === base ? 0 : Number((Math.sin(i + b.charCodeAt(0)) * 0.1).toFixed(4)))));
    ism[12] = [0, -0.4321, 0, 0];
    const p = base('explain', { kind: 'explain', settings: { modelId: 9, sequence }, sequence, className: 'positive', probability: 0.8765, ism }, sequence.length * 3);
    const { text, file } = await render('explain', { meta, prediction: { ...p, modelId: 9, modelName: 'promoter BERT' }, model: fineTuned });
    expect(text).toContain('Explanation (in-silico mutagenesis) 21');
    expect(text).toContain('P(positive) 0.8765');
    expect(text).toMatch(/13 T C -0\.4321/);
    expect(text).toContain('ACGTTGCAAG CTTATAAAGG');
    expect(text).toContain('fine-tuned from:');
    expect(text).toContain('imported weights; licence: Apache-2.0 (zhihan1996/DNA_bert_6)');
    expect(text).toContain('Imported model weights');
    expect(text).toContain('model 1 "DNABERT-6": Apache-2.0 (zhihan1996/DNA_bert_6)');
    const page = renderFirstPage(file);
    expect(page.inked).toBeGreaterThan(0.01);
  });

  it('shortens a long identifier in the table instead of running off the page', async () => {
    const longId = `chr2:1000-1251(+)|${'x'.repeat(120)}`;
    const row: PredictionRow = { index: 0, id: longId, length: 251, probabilities: [0.2, 0.8], predicted: 'positive', score: 0.8 };
    const p = base('predict', { kind: 'predict', settings: { modelId: 4, input: { kind: 'text', text: 'ACGT' } }, threshold: 0.5, counts: { positive: 1 } }, 1);
    const { text } = await render('long-id', { meta, prediction: p, model: trained, topRows: [row] });
    expect(text).toContain(`${longId.slice(0, 39)}…`);
    expect(text).not.toContain(longId);
  });

  it('says so when the model of the record has been deleted', async () => {
    const p = base('predict', { kind: 'predict', settings: { modelId: 4, input: { kind: 'text', text: 'ACGT' } }, threshold: 0.5, counts: { positive: 1 } }, 1);
    const { text } = await render('orphan', { meta, prediction: p, model: null, topRows: [] });
    expect(text).toContain('The model of this record is no longer in the project.');
  });
});

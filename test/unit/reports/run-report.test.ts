/**
 * Run and compare reports from hand-made records, for the cases a small real project does not produce: a multi-class
 * run (no ROC/PR curves, macro averages), a cancelled run without test metrics whose dataset was deleted, a BERT
 * fine-tuned from imported weights, and an experiment with three arms.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CompareSummary, DatasetSummary, EvaluationResult, RunDetail, RunSummary } from '../../../src-shared/api';
import { loadReportEngines, renderPdf } from '../../../src-main/reports/pdf-render';
import { reportMeta } from '../../../src-main/reports/report-data';
import type { LineageModel } from '../../../src-main/reports/report-parts';
import { buildCompareReport, buildRunReport } from '../../../src-main/reports/run-report';
import { pdfWords, renderFirstPage } from './pdf-tools';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dnalm-runreport-'));
beforeAll(() => loadReportEngines());
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const meta = reportMeta(new Date('2026-11-22T08:00:00Z'));
const hash = '5e'.repeat(32);

const dataset: DatasetSummary = {
  id: 3,
  name: 'enhancers 3-class',
  description: '',
  createdAt: '2026-11-20T12:00:00Z',
  contentHash: hash,
  records: 900,
  classes: ['enhancer', 'ocr', 'promoter'],
  splits: ['train', 'test'],
  counts: { train: { enhancer: 240, ocr: 240, promoter: 240 }, test: { enhancer: 60, ocr: 60, promoter: 60 } },
  lengths: { min: 200, median: 200, max: 200, mean: 200 },
  sources: [],
  options: { sources: [] } as unknown as DatasetSummary['options'],
  splitDescription: 'given splits',
  licence: 'CC BY 4.0',
  storedBytes: 50_000,
};

const multiTest: EvaluationResult = {
  split: 'test',
  classes: ['enhancer', 'ocr', 'promoter'],
  accuracy: 0.61234,
  precision: 0.60111,
  recall: 0.61234,
  f1: 0.60555,
  mcc: 0.42199,
  rocAuc: null,
  prAuc: null,
  confusionMatrix: [
    [40, 12, 8],
    [15, 35, 10],
    [9, 16, 35],
  ],
  perClass: [
    { label: 'enhancer', precision: 0.625, recall: 0.6667, f1: 0.6452, support: 60 },
    { label: 'ocr', precision: 0.5556, recall: 0.5833, f1: 0.5691, support: 60 },
    { label: 'promoter', precision: 0.6364, recall: 0.5833, f1: 0.6087, support: 60 },
  ],
};

const bertRun: RunDetail = {
  id: 12,
  name: 'BERT fine-tuned',
  datasetId: 3,
  datasetName: dataset.name,
  architecture: 'bert',
  status: 'success',
  seed: 42,
  backend: 'wasm',
  threads: 2,
  createdAt: '2026-11-21T09:00:00Z',
  finishedAt: '2026-11-21T09:30:00Z',
  epochsDone: 2,
  bestEpoch: 2,
  test: multiTest,
  modelId: 8,
  compareId: null,
  settings: {
    datasetId: 3,
    model: { architecture: 'bert', preset: 'custom', layers: 2, hidden: 64, heads: 2, k: 6, maxTokens: 128, init: { from: 'model', modelId: 2 }, fineTune: { mode: 'top-layers', layers: 1 } },
    epochs: 2,
    batchSize: 16,
    learningRate: 5e-5,
    seed: 42,
  },
  history: [
    { epoch: 1, trainLoss: 1.0123, valLoss: 0.9876, valAccuracy: 0.55, valMcc: 0.33, learningRate: 5e-5, seconds: 600 },
    { epoch: 2, trainLoss: 0.8765, valLoss: 0.9012, valAccuracy: 0.6, valMcc: 0.4, learningRate: 2.5e-5, seconds: 590 },
  ],
  resumable: false,
};

const lineage: LineageModel = {
  id: 8,
  name: 'BERT fine-tuned',
  architecture: 'bert',
  role: 'classifier',
  parameters: 1_234_567,
  classes: multiTest.classes,
  licence: '',
  run: { id: 12, name: 'BERT fine-tuned', seed: 42 },
  dataset: { id: 3, name: dataset.name, contentHash: hash, records: 900, licence: 'CC BY 4.0' },
  startedFrom: { id: 2, name: 'DNABERT-6', architecture: 'bert', role: 'pretrained', parameters: 89_000_000, classes: [], licence: 'Apache-2.0', run: null, dataset: null, startedFrom: null },
};

async function write(name: string, doc: Parameters<typeof renderPdf>[0]): Promise<{ text: string; file: string }> {
  const file = path.join(tmp, `${name}.pdf`);
  fs.writeFileSync(file, (await renderPdf(doc)).bytes);
  return { text: pdfWords(file), file };
}

describe('run report', () => {
  it('a multi-class BERT run: macro averages, a 3x3 confusion matrix, no curves, fine-tuned from imported weights', async () => {
    const { text, file } = await write('multi', buildRunReport({ meta, run: bertRun, dataset, model: lineage, compare: null }));
    expect(text).toContain('Training run 12: BERT fine-tuned');
    expect(text).toContain(`Content hash (SHA-256) ${hash}`);
    expect(text).toContain('train 240 240 240 720');
    expect(text).toContain('F1 (macro average) 0.6056');
    expect(text).toContain('ROC-AUC —');
    expect(text).not.toContain('ROC (AUC');
    expect(text).toContain('ocr 15 35 10');
    expect(text).toContain('BERT 2 layers x 64 hidden, 2 heads, k = 6, 128 tokens, cls pooling, fine-tuned from model 2, fine-tuning top 1 layers');
    expect(text).toContain('Learning rate 0.00005 (linear schedule, warm-up 0)');
    expect(text).toContain('imported weights; licence: Apache-2.0');
    expect(text).toContain('model 2 "DNABERT-6": Apache-2.0');
    expect(text).toContain('dataset 3 "enhancers 3-class": CC BY 4.0');
    expect(renderFirstPage(file).inked).toBeGreaterThan(0.02);
  });

  it('a cancelled run whose dataset was deleted says what is missing instead of failing', async () => {
    const cancelled: RunDetail = { ...bertRun, status: 'cancelled', test: null, history: [], modelId: null, finishedAt: null };
    const { text } = await write('cancelled', buildRunReport({ meta, run: cancelled, dataset: null, model: null, compare: null }));
    expect(text).toContain('Dataset 3 is no longer in the project');
    expect(text).toContain('This run has no test metrics (status: cancelled)');
    expect(text).toContain('The model of this record is no longer in the project.');
  });
});

describe('compare report', () => {
  it('three arms: mean ± sd per metric and arm, the runs, the error-bar chart', async () => {
    const arms = ['cnn', 'bert-random', 'bert-pretrained'] as const;
    const table: CompareSummary['table'] = arms.flatMap((arm, a) =>
      (['accuracy', 'f1', 'mcc', 'rocAuc', 'prAuc'] as const).map((metric, m) => ({ arm, metric, mean: 0.5 + a * 0.1 + m * 0.01, sd: 0.01 * (a + 1), n: 3 })),
    );
    const compare: CompareSummary = {
      id: 20,
      name: 'CNN vs BERT',
      datasetId: 3,
      datasetName: dataset.name,
      status: 'success',
      createdAt: '2026-11-21T10:00:00Z',
      runIds: [21, 22, 23, 24, 25, 26, 27, 28, 29],
      table,
      settings: {
        datasetId: 3,
        arms,
        pretrainedModelId: 2,
        repeats: 3,
        seed: 7,
        cnn: { epochs: 5, batchSize: 64, learningRate: 0.001 },
        bert: { epochs: 3, batchSize: 32, learningRate: 5e-5 },
      },
    };
    const runs: RunSummary[] = compare.runIds.map((id, i) => ({ ...bertRun, id, seed: 7 + (i % 3), architecture: i < 3 ? 'cnn' : 'bert', test: { ...multiTest, accuracy: 0.5 + i / 100 } }));
    const { text, file } = await write('compare', buildCompareReport({ meta, compare, runs, dataset }));
    expect(text).toContain('Compare experiment 20: CNN vs BERT');
    expect(text).toContain('Seeds 7 to 9');
    expect(text).toContain('CNN 0.5000 ± 0.0100 0.5100 ± 0.0100 0.5200 ± 0.0100 0.5300 ± 0.0100 0.5400 ± 0.0100 3');
    expect(text).toContain('BERT (pretrained) 0.7000 ± 0.0300');
    expect(text).toContain('Mean ± standard deviation over repeats');
    expect(text).toMatch(/29 bert 9 success wasm 0\.5800/);
    expect(renderFirstPage(file).inked).toBeGreaterThan(0.02);
  });
});

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withScreenshotOnFailure } from './support/browser';
import { startSessionWithProject } from './support/cli-project';
import type { StudioSession } from './support/session';
import type { StudioPage } from './support/studio-page';

const root = path.resolve(__dirname, '../..');
const bundledPromoters = path.join(root, 'resources/data/gb_human_nontata_promoters/train.csv.gz');
let session: StudioSession;
let page: Page;
let studio: StudioPage;

/** Base at 1-based position `pos` of the bundled chr2 FASTA (bgzip: concatenated gzip members, which gunzip reads). */
function referenceBase(pos: number): string {
  const fasta = zlib.gunzipSync(fs.readFileSync(path.join(root, 'resources/data/reference_hg38_chr2_1-2333275/chr2_1-2333275.fa.gz'))).toString('latin1');
  const bases = fasta.slice(fasta.indexOf('\n') + 1).replace(/\s+/g, '');
  return bases[pos - 1] ?? '';
}

/** Waits for a job started from a Predict form to open its record; a failed job fails the test with its message. */
async function waitForRecord(kind: 'predict' | 'scan' | 'variants' | 'explain'): Promise<void> {
  const record = studio.byTestId('view-prediction');
  const error = studio.byTestId(`${kind}-error`);
  await record.or(error).first().waitFor({ timeout: 240_000 });
  if (await error.isVisible()) throw new Error(`the ${kind} job failed: ${await error.innerText()}`);
}

beforeAll(async () => {
  session = await startSessionWithProject({
    tmpPrefix: 'dnalm-e2e-scan-',
    name: 'scan',
    importArgs: (tmp) => {
      // A small real promoter set: the first 800 rows of the bundled human_nontata_promoters train file (251 bp around
      // EPD TSSs vs random gene fragments; the two classes are interleaved in the file), enough for a CNN to learn.
      const lines = zlib.gunzipSync(fs.readFileSync(bundledPromoters)).toString('utf8').split('\n');
      const csv = path.join(tmp, 'promoters-small.csv');
      fs.writeFileSync(csv, `${lines.slice(0, 801).join('\n')}\n`);
      return [csv, '--name', 'promoters small', '--label-column', 'label', '--sequence-column', 'sequence', '--split', 'seed=5'];
    },
  });
  ({ page, studio } = session);
});

afterAll(() => session?.close());

describe('predict and scan from the UI', () => {
  it('trains a small CNN promoter model', async () => {
    await withScreenshotOnFailure(page, 'scan-train-cnn', async () => {
      await studio.byTestId('nav-train').click();
      await studio.byTestId('train-form').waitFor();
      const value = await studio.byTestId('train-dataset').locator('option', { hasText: 'promoters small' }).getAttribute('value');
      await studio.byTestId('train-dataset').selectOption(value ?? '');
      await studio.byTestId('train-model-cnn').check();
      await studio.byTestId('train-epochs').fill('4');
      await studio.byTestId('train-seed').fill('5');
      await expect.poll(() => studio.byTestId('preflight').getAttribute('data-state'), { timeout: 20_000 }).toBe('fits');
      await studio.byTestId('train-start').click();
      await studio.byTestId('view-run').waitFor({ timeout: 240_000 });
      await expect.poll(() => studio.byTestId('run-status').innerText()).toMatch(/finished/i);
    });
  }, 300_000);

  it('scans chr2:200,001-300,000 of the bundled reference with the TSS annotation, draws the track and calls, and writes a PDF report', async () => {
    await withScreenshotOnFailure(page, 'scan-chr2', async () => {
      // The Models page's shortcut opens Predict with the model chosen.
      await studio.byTestId('nav-models').click();
      await expect.poll(() => studio.byTestId('model-row').count()).toBe(1);
      const modelName = (await studio.byTestId('model-name').first().innerText()).split('\n')[0]?.trim() ?? '';
      expect(modelName).not.toBe('');
      await studio.byTestId('model-predict').first().click();
      await studio.byTestId('view-predict').waitFor();
      await studio.byTestId('predict-tab-scan').click();
      await studio.byTestId('scan-form').waitFor();
      expect(await studio.byTestId('scan-model-about').innerText()).toMatch(/CNN/);

      // A bad region is refused with a sentence saying what to do, and Scan stays disabled.
      await studio.byTestId('scan-region').fill('chr2:300,000-200,001');
      await expect.poll(() => studio.byTestId('scan-problems').innerText()).toMatch(/end comes before the start/);
      expect(await studio.byTestId('scan-start').isDisabled()).toBe(true);
      await studio.byTestId('scan-region').fill('chr2:200,001-300,000');
      expect(await studio.byTestId('scan-reference').locator('option:checked').innerText()).toMatch(/chr2:1-2,333,275 \(hg38, bundled\)/);
      expect(await studio.byTestId('scan-annotation').locator('option:checked').innerText()).toMatch(/EPDnew TSS/);
      await studio.byTestId('scan-threshold').fill('0.5');
      await studio.byTestId('scan-name').fill('SH3YL1 ACP1 scan');
      await studio.byTestId('scan-start').click();
      await waitForRecord('scan');
      expect(await studio.byTestId('prediction-title').innerText()).toBe('SH3YL1 ACP1 scan');
      expect(await studio.byTestId('prediction-model').innerText()).toBe(modelName);
      // The track: both strands, the threshold, the called regions and the annotated sites, drawn by ECharts as SVG.
      await expect.poll(() => studio.chartPaths('scan-track'), { timeout: 30_000 }).toBeGreaterThan(3);
      const calls = await studio.byTestId('scan-call-row').count();
      expect(calls).toBe(Number((await studio.byTestId('scan-call-count').innerText()).replace(/[^\d].*$/, '')));
      expect(calls).toBeGreaterThan(0);
      expect(await studio.byTestId('scan-precision').innerText()).toMatch(/\d+(\.\d)?% — \d+ of \d+ calls? near an annotated site/);
      expect(await studio.byTestId('scan-recall').innerText()).toMatch(/\d+(\.\d)?% — \d+ of \d+ sites? near a call/);

      // A PDF report of the scan, read back with pdftotext.
      const pdf = path.join(session.tmp, 'reports', 'chr2-scan.pdf');
      fs.mkdirSync(path.dirname(pdf), { recursive: true });
      await studio.byTestId('prediction-pdf').click();
      await studio.byTestId('prediction-pdf-dialog-path').fill(pdf);
      await studio.byTestId('prediction-pdf-dialog-submit').click();
      await studio.byTestId('prediction-pdf-dialog-result').waitFor({ timeout: 120_000 });
      expect(await studio.byTestId('prediction-pdf-dialog-result-path').innerText()).toBe(pdf);
      expect(fs.statSync(pdf).size).toBeGreaterThan(1000);
      const text = spawnSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
      expect(text.status).toBe(0);
      expect(text.stdout).toContain('SH3YL1 ACP1 scan');
      expect(text.stdout).toContain(modelName);
      await studio.byTestId('prediction-pdf-dialog-cancel').click();

      // The Reports page lists it.
      await studio.byTestId('nav-reports').click();
      await expect.poll(() => studio.byTestId('report-row').count(), { timeout: 10_000 }).toBeGreaterThanOrEqual(1);
      expect(await studio.byTestId('reports-table').innerText()).toContain(pdf);
    });
  }, 400_000);

  it('predicts pasted sequences, scores a variant against the reference and explains a sequence with the same model', async () => {
    await withScreenshotOnFailure(page, 'predict-variants-explain', async () => {
      await studio.byTestId('nav-predict').click();
      // Predict still shows the scan opened before: back to the tabs.
      if (await studio.byTestId('prediction-back').isVisible()) await studio.byTestId('prediction-back').click();
      await studio.byTestId('predict-tab-predict').click();
      // Twelve promoter-set sequences not used for training (rows 801..812 of the bundled file).
      const lines = zlib.gunzipSync(fs.readFileSync(bundledPromoters)).toString('utf8').split('\n').slice(801, 813);
      const fasta = lines.map((l, i) => `>s${i + 1} ${l.split(',')[1] ?? ''}\n${l.split(',')[0] ?? ''}`).join('\n');
      await studio.byTestId('predict-text').fill(fasta);
      expect(await studio.byTestId('predict-text-count').innerText()).toBe('12 sequences pasted.');
      await studio.byTestId('predict-start').click();
      await waitForRecord('predict');
      await expect.poll(() => studio.byTestId('predict-row').count(), { timeout: 10_000 }).toBe(12);
      await studio.byTestId('predict-sort-score').click();
      await expect.poll(async () => {
        const scores = (await studio.byTestId('predict-row-score').allInnerTexts()).map(Number);
        return scores.every((s, i) => i === 0 || (scores[i - 1] ?? 0) >= s);
      }).toBe(true);

      // A variant at the SH3YL1 TSS: the reference base is read from the bundled FASTA so the REF check passes.
      await studio.byTestId('prediction-back').click();
      await studio.byTestId('predict-tab-variants').click();
      const ref = referenceBase(264_032);
      const alt = ref === 'A' ? 'G' : 'A';
      await studio.byTestId('variants-text').fill(`chr2:264,032 ${ref}>${alt}`);
      await studio.byTestId('variants-start').click();
      await waitForRecord('variants');
      await expect.poll(() => studio.byTestId('variant-row').count(), { timeout: 10_000 }).toBe(1);
      expect(await studio.byTestId('variant-row').innerText()).toContain(`${ref}>${alt}`);

      // In-silico mutagenesis of one promoter: a heatmap of 4 x 251 cells.
      await studio.byTestId('prediction-back').click();
      await studio.byTestId('predict-tab-explain').click();
      await studio.byTestId('explain-sequence').fill(lines[0]?.split(',')[0] ?? '');
      await studio.byTestId('explain-start').click();
      await waitForRecord('explain');
      await expect.poll(() => studio.chartPaths('explain-ism'), { timeout: 30_000 }).toBeGreaterThan(0);
      expect(await studio.byTestId('explain-result').innerText()).toMatch(/The strongest change: [ACGT]\d+[ACGT]/);

      await studio.byTestId('prediction-back').click();
      await studio.byTestId('predict-tab-records').click();
      await expect.poll(() => studio.byTestId('prediction-record').count()).toBe(4);
    });
  }, 300_000);
});

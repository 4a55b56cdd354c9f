import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withScreenshotOnFailure } from './support/browser';
import { startSession, type StudioSession } from './support/session';
import type { StudioPage } from './support/studio-page';

const sharedData = path.resolve(__dirname, '../../../shared/data');
let tmp: string;
let session: StudioSession;
let page: Page;
let studio: StudioPage;

beforeAll(async () => {
  session = await startSession();
  ({ tmp, page, studio } = session);
  await studio.createProject(path.join(tmp, 'imports'));
});

afterAll(() => session?.close());

/** Steps 1-4 of the wizard for paths typed by the user; returns when the validation verdict is shown. */
async function previewAndValidate(paths: string): Promise<string> {
  await studio.byTestId('nav-datasets').click();
  await studio.byTestId('import-open').first().click();
  await studio.byTestId('import-paths').fill(paths);
  await studio.byTestId('import-preview').click();
  await studio.byTestId('import-records').waitFor();
  await studio.byTestId('import-next').click(); // to policies
  await studio.byTestId('import-next').click(); // to validation
  const verdict = studio.byTestId('import-verdict');
  await verdict.waitFor({ timeout: 30_000 });
  return (await verdict.getAttribute('data-verdict')) ?? '';
}

describe('importing a dataset through the wizard in Chromium', () => {
  it('imports a genomic-benchmarks folder with its given splits and shows the dataset page with charts', async () => {
    await withScreenshotOnFailure(page, 'import-folder', async () => {
      const verdict = await previewAndValidate(path.join(sharedData, 'gb_human_ocr_ensembl_toy'));
      expect(verdict).toBe('ready');
      await studio.byTestId('import-start').click();
      await studio.byTestId('view-dataset').waitFor({ timeout: 30_000 });

      // MANIFEST: train 800 (400/400), test 200 (100/100).
      await expect.poll(() => studio.byTestId('dataset-records').innerText()).toMatch(/1[,.\s]?000/);
      const counts = await studio.byTestId('dataset-counts').innerText();
      expect(counts).toMatch(/800/);
      expect(counts).toMatch(/200/);
      for (const chart of ['dataset-chart-counts', 'dataset-chart-lengths', 'dataset-chart-gc', 'dataset-chart-kmers']) {
        await expect.poll(() => studio.byTestId(chart).locator('svg path').count(), { timeout: 15_000 }).toBeGreaterThan(0);
      }
      await expect.poll(() => studio.byTestId('record-row').count()).toBeGreaterThan(0);
    });
  });

  it('uploads a picked FASTA file, blocks on a bad base with its line, and imports after dropping that record', async () => {
    await withScreenshotOnFailure(page, 'import-upload', async () => {
      const fasta = path.join(tmp, 'my_enhancers.fa');
      // Distinct sequences (a base-4 spelling of the record number in front of a common tail).
      const distinct = (i: number) => Array.from({ length: 6 }, (_, d) => 'ACGT'[Math.floor(i / 4 ** d) % 4]).join('');
      const records = Array.from({ length: 40 }, (_, i) => `>enh${i}\n${distinct(i)}${'ACGT'.repeat(10 + (i % 5))}\n`);
      records[7] = '>enh7\nACGTACGTXXACGT\n'; // line 15: not DNA
      fs.writeFileSync(fasta, records.join(''));

      await studio.byTestId('nav-datasets').click();
      await studio.byTestId('import-open').first().click();
      await studio.byTestId('import-file-input').setInputFiles(fasta);
      await expect.poll(() => studio.byTestId('import-dropped-item').getAttribute('data-state'), { timeout: 15_000 }).not.toBe('uploading');
      await studio.byTestId('import-preview').click();
      await studio.byTestId('import-records').waitFor();
      await studio.byTestId('import-next').click();
      await studio.byTestId('import-next').click();
      const verdict = studio.byTestId('import-verdict');
      await verdict.waitFor({ timeout: 30_000 });
      expect(await verdict.getAttribute('data-verdict')).toBe('blocked');
      expect(await studio.byTestId('import-start').isDisabled()).toBe(true);
      expect(await studio.byTestId('import-report').innerText()).toMatch(/my_enhancers\.fa:15:9 .*not a DNA base/);

      // The rules are offered right under a blocked report; changing one checks again by itself.
      await studio.byTestId('import-change-policies').locator('[data-testid="import-invalid-drop-record"]').check();
      await expect.poll(() => verdict.getAttribute('data-verdict'), { timeout: 30_000 }).toBe('ready');
      await studio.byTestId('import-start').click();
      await studio.byTestId('view-dataset').waitFor({ timeout: 30_000 });
      await expect.poll(() => studio.byTestId('dataset-records').innerText()).toMatch(/\b39\b/);
    });
  });
});

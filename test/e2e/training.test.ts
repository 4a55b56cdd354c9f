import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withScreenshotOnFailure } from './support/browser';
import { startSessionWithProject } from './support/cli-project';
import type { StudioSession } from './support/session';
import type { StudioPage } from './support/studio-page';

const root = path.resolve(__dirname, '../..');
const sharedData = path.resolve(root, '../shared/data');
let session: StudioSession;
let page: Page;
let studio: StudioPage;

beforeAll(async () => {
  // A small real dataset: the DNABERT sample (1,000 x 101 bp), split 80/10/10 with a seed.
  session = await startSessionWithProject({
    tmpPrefix: 'dnalm-e2e-train-',
    name: 'training',
    importArgs: () => [path.join(sharedData, 'dnabert_ft6_sample'), '--name', 'dnabert sample', '--split', 'seed=3'],
  });
  ({ page, studio } = session);
});

afterAll(() => session?.close());

describe('training from the UI', () => {
  it('trains a BERT with live charts, cancels it, resumes it and shows the finished run with its test metrics', async () => {
    await withScreenshotOnFailure(page, 'train-bert', async () => {
      await studio.byTestId('nav-train').click();
      await studio.byTestId('train-form').waitFor();
      await studio.byTestId('train-dataset').selectOption({ label: /dnabert sample/ } as never).catch(async () => {
        const value = await studio.byTestId('train-dataset').locator('option', { hasText: 'dnabert sample' }).getAttribute('value');
        await studio.byTestId('train-dataset').selectOption(value ?? '');
      });
      await studio.byTestId('train-model-bert').check();
      await studio.byTestId('train-preset-custom').check();
      // A tiny BERT so that the test stays quick; the same code path trains BERT-mini and DNABERT-base.
      await studio.byTestId('train-layers').fill('1');
      await studio.byTestId('train-hidden').fill('32');
      await studio.byTestId('train-heads').fill('2');
      await studio.byTestId('train-intermediate').fill('64');
      await studio.byTestId('train-epochs').fill('12');
      await studio.byTestId('train-batch-size').fill('32');
      await studio.byTestId('train-seed').fill('11');
      await expect.poll(() => studio.byTestId('preflight').getAttribute('data-state'), { timeout: 20_000 }).toBe('fits');
      await studio.byTestId('train-start').click();

      await studio.byTestId('train-live').waitFor();
      const emptyValidationChart = await studio.chartPaths('train-chart-validation');
      // Live charts: the loss chart draws while the job runs, the validation chart gains its series after epoch 1.
      await expect.poll(() => studio.chartPaths('train-chart-loss'), { timeout: 60_000 }).toBeGreaterThan(0);
      await expect.poll(() => studio.byTestId('train-message').innerText(), { timeout: 120_000 }).toMatch(/Epoch [2-9]\//);
      await expect.poll(() => studio.chartPaths('train-chart-validation')).toBeGreaterThan(emptyValidationChart);
      const before = Number(await studio.byTestId('train-progress').getAttribute('data-percent'));
      expect(before).toBeLessThan(100);
      await studio.byTestId('train-cancel').click();
      await studio.byTestId('train-cancelled').waitFor({ timeout: 30_000 });

      await studio.byTestId('train-resume').click();
      await studio.byTestId('view-run').waitFor({ timeout: 240_000 });
      await expect.poll(() => studio.byTestId('run-status').innerText()).toMatch(/succe|done|finished/i);
      const accuracy = Number((await studio.byTestId('run-test-accuracy').innerText()).replace(/[^\d.]/g, ''));
      expect(accuracy).toBeGreaterThan(0);
      expect(await studio.byTestId('run-confusion').locator('td').count()).toBeGreaterThanOrEqual(4);
      expect(await studio.byTestId('run-history-row').count()).toBeGreaterThanOrEqual(1);
      await expect.poll(() => studio.chartPaths('run-chart-loss')).toBeGreaterThan(0);
      expect(await studio.byTestId('run-backend').innerText()).toMatch(/wasm/);
      await expect.poll(() => studio.byTestId('status-engine').innerText()).toMatch(/wasm/); // the status bar learnt it too
    });
  }, 300_000);

  it('fine-tunes a new BERT from the model trained before, with a frozen encoder', async () => {
    await withScreenshotOnFailure(page, 'fine-tune-bert', async () => {
      await studio.byTestId('nav-train').click();
      await studio.byTestId('run-back').click(); // from the finished run's page back to the tabs
      await studio.byTestId('train-tab-new').click();
      await studio.byTestId('train-form').waitFor();
      // The form keeps the last settings (BERT, the tiny custom sizes, seed 11); start from the trained model instead.
      await studio.byTestId('train-init-model').check();
      await expect.poll(() => studio.byTestId('train-pretrained').locator('option').count()).toBe(1);
      await studio.byTestId('train-finetune-frozen-encoder').check();
      await studio.byTestId('train-epochs').fill('2');
      await expect.poll(() => studio.byTestId('preflight').getAttribute('data-state'), { timeout: 20_000 }).toBe('fits');
      await studio.byTestId('train-start').click();
      await studio.byTestId('view-run').waitFor({ timeout: 240_000 });
      await expect.poll(() => studio.byTestId('run-status').innerText()).toMatch(/finished/i);
      expect(await studio.byTestId('run-settings').innerText()).toMatch(/frozen|classifier only/i);
      expect(Number((await studio.byTestId('run-test-accuracy').innerText()).replace(/[^\d.]/g, ''))).toBeGreaterThan(0);
    });
  }, 300_000);

  it('lists the trained model on the Models page', async () => {
    await studio.byTestId('nav-models').click();
    await expect.poll(() => studio.byTestId('model-row').count()).toBe(2);
    expect(await studio.byTestId('model-row').first().innerText()).toMatch(/bert/i);
  });
});

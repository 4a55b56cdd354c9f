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
  // A small labelled dataset to fine-tune on: the DNABERT sample (1,000 x 101 bp), split 80/10/10 with a seed.
  session = await startSessionWithProject({
    tmpPrefix: 'dnalm-e2e-pretrain-',
    name: 'pretraining',
    importArgs: () => [path.join(sharedData, 'dnabert_ft6_sample'), '--name', 'dnabert sample', '--split', 'seed=3'],
  });
  ({ page, studio } = session);
});

afterAll(() => session?.close());

describe('pretraining from the UI', () => {
  it('pretrains a tiny BERT with RandomMask on 30 kb of the bundled chr2 region, charting each loss live', async () => {
    await withScreenshotOnFailure(page, 'pretrain-bert', async () => {
      await studio.byTestId('nav-pretrain').click();
      await studio.byTestId('pretrain-form').waitFor();
      // The corpus picker starts on the bundled chr2 FASTA; one 30 kb region of it, both strands.
      expect(await studio.byTestId('pretrain-fasta-path').inputValue()).toMatch(/chr2_1-2333275\.fa\.gz$/);
      await studio.byTestId('pretrain-region').fill('chr2:1,000,001-1,030,000');
      await studio.byTestId('pretrain-window').fill('128');
      await studio.byTestId('pretrain-stride').fill('64');
      await studio.byTestId('pretrain-masking-randommask').check();
      // A tiny BERT and a few dozen steps keep the test quick; the same code path pretrains BERT-mini.
      await studio.byTestId('pretrain-model-custom').check();
      await studio.byTestId('pretrain-layers').fill('2');
      await studio.byTestId('pretrain-hidden').fill('32');
      await studio.byTestId('pretrain-heads').fill('2');
      await studio.byTestId('pretrain-intermediate').fill('64');
      await studio.byTestId('pretrain-steps').fill('60');
      await studio.byTestId('pretrain-batch-size').fill('16');
      await studio.byTestId('pretrain-learning-rate').fill('0.001');
      await studio.byTestId('pretrain-seed').fill('5');
      await studio.byTestId('pretrain-advanced').locator('summary').click();
      await studio.byTestId('pretrain-eval-every').fill('15');

      // The pre-flight reads the corpus and draws the curriculum before anything runs.
      await expect.poll(() => studio.byTestId('pretrain-preflight').getAttribute('data-state'), { timeout: 60_000 }).toBe('fits');
      expect(await studio.byTestId('pretrain-preflight-corpus').innerText()).toMatch(/[\d,]+ windows/);
      await expect.poll(() => studio.chartPaths('pretrain-schedule-chart')).toBeGreaterThan(0);
      expect(await studio.byTestId('pretrain-schedule').locator('li').count()).toBe(5);
      await studio.byTestId('pretrain-start').click();

      await studio.byTestId('pretrain-live').waitFor();
      await expect.poll(() => studio.chartPaths('pretrain-chart-mlm'), { timeout: 120_000 }).toBeGreaterThan(0);
      const early = Number(await studio.byTestId('pretrain-loss').first().getAttribute('data-points'));
      // The chart grows while the job runs (or the run finishes and its page shows the whole history).
      await expect
        .poll(
          async () =>
            (await studio.byTestId('view-pretrain-run').count()) > 0 ||
            Number(await studio.byTestId('pretrain-loss').first().getAttribute('data-points')) > early,
          { timeout: 120_000 },
        )
        .toBe(true);

      await studio.byTestId('view-pretrain-run').waitFor({ timeout: 300_000 });
      await expect.poll(() => studio.byTestId('pretrain-run-status').innerText()).toMatch(/finished/i);
      expect(await studio.byTestId('pretrain-run-steps').innerText()).toMatch(/^60 of 60/);
      expect(await studio.byTestId('pretrain-run-corpus').innerText()).toMatch(/windows/);
      await expect.poll(() => studio.chartPaths('pretrain-chart-mlm')).toBeGreaterThan(0);
      // The masked-modelling loss fell: its last training value is below ln(4101) (guessing among the 6-mers).
      const lastMlm = Number((await studio.byTestId('pretrain-run-last').locator('tr[data-loss="mlm"] td').first().innerText()).replace(/[^\d.]/g, ''));
      expect(lastMlm).toBeGreaterThan(0);
      expect(lastMlm).toBeLessThan(Math.log(4101));
      expect(await studio.byTestId('pretrain-run-model').innerText()).not.toMatch(/none yet/);
    });
  }, 600_000);

  it('fine-tunes the pretrained model against the same BERT from random weights in the Compare view and shows the table', async () => {
    await withScreenshotOnFailure(page, 'pretrain-compare', async () => {
      await studio.byTestId('nav-train').click();
      await studio.byTestId('train-tab-compare').click();
      await studio.byTestId('compare-form').waitFor();
      await studio.byTestId('compare-arm-cnn').uncheck();
      await studio.byTestId('compare-arm-bert-random').check();
      await studio.byTestId('compare-arm-bert-pretrained').check();
      // The newest model, the one just pretrained, is offered first, and BERT from random weights takes its size.
      expect(await studio.byTestId('compare-pretrained').locator('option:checked').innerText()).toMatch(/./);
      await expect.poll(() => studio.byTestId('compare-bert-preset').inputValue()).toBe('custom');
      expect(await studio.byTestId('compare-bert-hidden').inputValue()).toBe('32');
      await studio.byTestId('compare-repeats').fill('2');
      await studio.byTestId('compare-bert-epochs').fill('2');
      await studio.byTestId('compare-bert-batch-size').fill('32');
      await studio.byTestId('compare-start').click();

      await studio.byTestId('compare-result').waitFor({ timeout: 500_000 });
      const cells = studio.byTestId('compare-table').locator('[data-testid="compare-cell"]');
      await expect.poll(() => studio.byTestId('compare-table').locator('td[data-arm="bert-pretrained"]').count()).toBeGreaterThan(0);
      expect(await studio.byTestId('compare-table').locator('td[data-arm="bert-random"]').count()).toBeGreaterThan(0);
      const text = (await cells.allInnerTexts()).join(' ');
      expect(text).toMatch(/\d\.\d{3} ± \d\.\d{3}/);
      expect(text).toMatch(/n = 2/);
    });
  }, 600_000);

  it('runs the ablation (plain masking vs RandomMask vs BERT from random weights) from the Ablation tab and shows its table', async () => {
    await withScreenshotOnFailure(page, 'pretrain-ablation', async () => {
      await studio.byTestId('nav-pretrain').click();
      await studio.byTestId('pretrain-run-back').click(); // from the finished run's page back to the tabs
      await studio.byTestId('pretrain-tab-ablation').click();
      await studio.byTestId('ablation-form').waitFor();
      // The corpus and the tiny model are those of the New run tab; a smaller budget per arm.
      expect(await studio.byTestId('pretrain-region').inputValue()).toBe('chr2:1,000,001-1,030,000');
      await studio.byTestId('pretrain-steps').fill('30');
      await studio.byTestId('ablation-arm-mgm').check();
      await studio.byTestId('ablation-arm-mgm-ngsp').uncheck();
      await studio.byTestId('ablation-arm-mgm-ngsp-srm').uncheck();
      await studio.byTestId('ablation-arm-rm').check();
      await studio.byTestId('ablation-repeats').fill('2');
      await studio.byTestId('ablation-epochs').fill('1');
      expect(await studio.byTestId('ablation-start').innerText()).toBe('Pretrain 2 and fine-tune 6 models');
      await studio.byTestId('ablation-start').click();

      await studio.byTestId('ablation-progress').waitFor();
      await studio.byTestId('ablation-result').waitFor({ timeout: 500_000 });
      const rows = studio.byTestId('ablation-row');
      await expect.poll(() => rows.count()).toBe(3);
      expect(await rows.nth(0).getAttribute('data-arm')).toBe('BERT from random weights');
      expect(await rows.nth(1).getAttribute('data-arm')).toBe('MGM');
      expect(await rows.nth(2).getAttribute('data-arm')).toBe('RandomMask');
      for (const cell of await studio.byTestId('ablation-mcc').allInnerTexts()) expect(cell).toMatch(/^-?\d\.\d{3} ± \d\.\d{3}$/);
      await expect.poll(() => studio.chartPaths('ablation-chart')).toBeGreaterThan(0);
      // Its two pretraining runs are listed with the one pretrained before.
      await studio.byTestId('pretrain-tab-runs').click();
      await expect.poll(() => studio.byTestId('pretrain-run-row').count()).toBe(3);
    });
  }, 600_000);
});

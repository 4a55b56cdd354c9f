import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withScreenshotOnFailure } from './support/browser';
import { startSession, type StudioSession } from './support/session';
import type { StudioPage } from './support/studio-page';

const root = path.resolve(__dirname, '../..');
const sharedData = path.resolve(root, '../shared/data');
// The PyTorch reference BERT of the interop tests writes a Hugging Face folder (2 layers, hidden 32, 2 heads, FFN 64).
const reference = path.join(root, 'test/integration/interop/bert_reference.py');

let tmp: string;
let session: StudioSession;
let page: Page;
let studio: StudioPage;

function run(command: string, args: string[]): void {
  const r = spawnSync(command, args, { encoding: 'utf8', timeout: 120_000 });
  if (r.status !== 0) throw new Error(`${command} ${args.join(' ')} failed: ${r.stderr}`);
}

beforeAll(async () => {
  session = await startSession();
  ({ tmp, page, studio } = session);
  const project = path.join(tmp, 'interop.dnalm');
  const dnalm = path.join(root, 'bin/dnalm.cjs');
  run(process.execPath, [dnalm, 'project', 'create', project]);
  run(process.execPath, [dnalm, 'dataset', 'import', project, path.join(sharedData, 'dnabert_ft6_sample'), '--name', 'dnabert sample', '--split', 'seed=3']);
  run('/usr/bin/python3', [reference, 'make', path.join(tmp, 'dnabert-shaped'), '--k', '6', '--seed', '7']);
  await studio.byTestId('open-project-path').fill(project);
  await studio.byTestId('open-project-submit').click();
  await studio.byTestId('status-project').filter({ hasText: 'interop' }).waitFor();
});

afterAll(() => session?.close());

describe('Hugging Face checkpoints through the Models page', () => {
  it('imports a DNABERT-shaped checkpoint (6-mer vocabulary) after the licence is confirmed, and fine-tunes from it', async () => {
    await withScreenshotOnFailure(page, 'hf-import', async () => {
      await studio.byTestId('nav-models').click();
      await studio.byTestId('model-import-open').click();
      await studio.byTestId('model-import-path').fill(path.join(tmp, 'dnabert-shaped'));
      await studio.byTestId('model-import-name').fill('tiny DNABERT');
      expect(await studio.byTestId('model-import-submit').isDisabled()).toBe(true); // licence first
      await studio.byTestId('model-import-licence').fill('Apache-2.0');
      await studio.byTestId('model-import-confirm').check();
      await studio.byTestId('model-import-submit').click();
      await studio.byTestId('model-import-result').waitFor({ timeout: 60_000 });
      expect(await studio.byTestId('model-import-result').innerText()).toMatch(/pretrained/i);
      await studio.byTestId('model-import-cancel').click();
      await expect.poll(() => studio.byTestId('model-row').count()).toBe(1);

      // Fine-tune: a BERT of the same sizes starts from the imported encoder.
      await studio.byTestId('nav-train').click();
      await studio.byTestId('train-model-bert').check();
      await studio.byTestId('train-preset-custom').check();
      await studio.byTestId('train-layers').fill('2');
      await studio.byTestId('train-hidden').fill('32');
      await studio.byTestId('train-heads').fill('2');
      await studio.byTestId('train-intermediate').fill('64');
      await studio.byTestId('train-k').selectOption('6');
      await studio.byTestId('train-init-model').check();
      await studio.byTestId('train-epochs').fill('1');
      await expect.poll(() => studio.byTestId('preflight').getAttribute('data-state'), { timeout: 20_000 }).toBe('fits');
      await studio.byTestId('train-start').click();
      await studio.byTestId('view-run').waitFor({ timeout: 240_000 });
      await expect.poll(() => studio.byTestId('run-status').innerText()).toMatch(/finished/i);
      expect(await studio.byTestId('run-settings').innerText()).toMatch(/tiny DNABERT/);
    });
  }, 300_000);

  it('exports the imported model as a Hugging Face folder', async () => {
    await withScreenshotOnFailure(page, 'hf-export', async () => {
      await studio.byTestId('nav-models').click();
      const row = studio.byTestId('model-row').filter({ hasText: 'tiny DNABERT' });
      await row.locator('[data-testid="model-export"]').click();
      const out = path.join(tmp, 'exported');
      await studio.byTestId('model-export-path').fill(out);
      await studio.byTestId('model-export-submit').click();
      await studio.byTestId('model-export-result').waitFor({ timeout: 60_000 });
      expect(await studio.byTestId('model-export-result').innerText()).toMatch(/config\.json/);
      const config = JSON.parse(fs.readFileSync(path.join(out, 'config.json'), 'utf8')) as { vocab_size: number };
      expect(config.vocab_size).toBe(4101);
      expect(fs.existsSync(path.join(out, 'model.safetensors'))).toBe(true);
      expect(fs.readFileSync(path.join(out, 'README.md'), 'utf8')).toMatch(/Apache-2\.0/);
    });
  });
});

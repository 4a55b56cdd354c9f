import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withScreenshotOnFailure } from './support/browser';
import { startSession, type StudioSession } from './support/session';
import type { StudioPage } from './support/studio-page';

const sharedData = path.resolve(__dirname, '../../../shared/data');
type Counts = Record<string, Record<string, number>>;

/** Expected counts per split and class, read from the MANIFEST's table (`| dataset | split | n | ... | labels (count) |`). */
function manifestCounts(): Map<string, Counts> {
  const text = fs.readFileSync(path.join(sharedData, 'MANIFEST.md'), 'utf8');
  const byDataset = new Map<string, Counts>();
  for (const line of text.split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    const [, dataset, split, n, , labels] = cells;
    if (!dataset || !split || !labels || !/^\d+$/.test(n ?? '') || !fs.existsSync(path.join(sharedData, dataset))) continue;
    const counts = byDataset.get(dataset) ?? {};
    counts[split === 'dev' ? 'validation' : split] = Object.fromEntries(
      labels.split(',').map((part) => {
        const [label, count] = part.split(':').map((x) => x.trim());
        return [label ?? '', Number(count)];
      }),
    );
    byDataset.set(dataset, counts);
  }
  return byDataset;
}

/** The report's "records per class and split" table as {split: {class: count}}. */
async function reportCounts(page: Page): Promise<Counts> {
  const rows = await page.$$eval('[data-testid="import-report-counts"] tr', (trs) =>
    trs.map((tr) => [...tr.querySelectorAll('th, td')].map((c) => (c.textContent ?? '').trim())),
  );
  const [header, ...body] = rows;
  const splits = (header ?? []).slice(1, -1);
  const counts: Counts = {};
  for (const row of body) {
    const [label, ...values] = row;
    if (!label || /^all/i.test(label)) continue;
    splits.forEach((split, i) => {
      const value = Number((values[i] ?? '0').replace(/[^\d]/g, '') || '0');
      if (value > 0) (counts[split] ??= {})[label] = value;
    });
  }
  return counts;
}

const expected = manifestCounts();
let tmp: string;
let session: StudioSession;
let page: Page;
let studio: StudioPage;

beforeAll(async () => {
  session = await startSession();
  ({ tmp, page, studio } = session);
  await studio.createProject(path.join(tmp, 'shared'));
});

afterAll(() => session?.close());

describe('every shared dataset through the wizard', () => {
  it('finds the MANIFEST tables', () => {
    expect(expected.size).toBeGreaterThanOrEqual(20);
  });

  it.each([...expected.keys()])('%s: the validation report counts match the MANIFEST', async (dataset) => {
    await withScreenshotOnFailure(page, `shared-${dataset}`, async () => {
      await studio.byTestId('nav-datasets').click();
      await studio.byTestId('import-open').first().click();
      await studio.byTestId('import-paths').fill(path.join(sharedData, dataset));
      await studio.byTestId('import-preview').click();
      await studio.byTestId('import-records').waitFor();
      await studio.byTestId('import-next').click();
      await studio.byTestId('import-next').click();
      const verdict = studio.byTestId('import-verdict');
      await verdict.waitFor({ timeout: 60_000 });
      expect(await verdict.getAttribute('data-verdict')).toBe('ready');
      expect(await reportCounts(page)).toEqual(expected.get(dataset));
      await studio.byTestId('import-close').click();
    });
  });
});

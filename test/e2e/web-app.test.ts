import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, withScreenshotOnFailure } from './support/browser';
import { StudioPage } from './support/studio-page';
import { startHostProcess, type RunningHost } from './support/web-host-process';

let browser: Browser;
let tmp: string;
let host: RunningHost | null = null;

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dnalm-e2e-'));
  browser = await launchChromium();
});

afterAll(async () => {
  await host?.stop();
  await browser?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('DNA LM Studio in a browser, against the real web host', () => {
  it('refuses a visitor without the access token', async () => {
    host = await startHostProcess(path.join(tmp, 'home'));
    const page = await browser.newPage();
    const res = await page.goto(host.origin + '/');
    expect(res?.status()).toBe(401);
    expect(await page.textContent('body')).toMatch(/access token required/);
    await page.close();
  });

  it('opens the demo on first start, creates a project, runs the self-test to 100 % and finds the project after a restart', async () => {
    if (!host) throw new Error('host not started');
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    const consoleErrors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    page.on('pageerror', (e) => consoleErrors.push(e.message));
    const studio = new StudioPage(page);

    await withScreenshotOnFailure(page, 'first-session', async () => {
      await page.goto(host!.url);
      expect(new URL(page.url()).search).toBe(''); // the token left the address bar for a cookie
      // First start: the demo project built from resources/ is open.
      await expect.poll(() => studio.statusProject(), { timeout: 15_000 }).toMatch(/Demo/);

      await studio.closeProject();
      const folder = path.join(tmp, 'projects', 'promoters');
      fs.mkdirSync(path.dirname(folder), { recursive: true });
      await studio.createProject(folder);
      expect(await studio.statusProject()).toMatch(/promoters/);
      expect(fs.existsSync(path.join(`${folder}.dnalm`, 'project.sqlite'))).toBe(true);

      await studio.openJobs();
      const row = await studio.runSelftest();
      const progress = await studio.watchProgress(row);
      expect(progress.at(-1)).toBe(100);
      expect(progress.length).toBeGreaterThan(1); // the bar moved while the job ran
      expect(await row.locator('[data-testid="job-status"]').innerText()).toMatch(/succe/i);
      expect(await row.locator('[data-testid="selftest-backend"]').innerText()).toMatch(/wasm/);
      await expect.poll(() => studio.byTestId('status-engine').innerText()).toMatch(/wasm/);
    });
    expect(consoleErrors).toEqual([]);
    await context.close();
  });

  it('after a restart of the host shows the project in the recent list, with its job history', async () => {
    await host?.stop();
    host = await startHostProcess(path.join(tmp, 'home'));
    const page = await browser.newPage();
    const studio = new StudioPage(page);
    await withScreenshotOnFailure(page, 'after-restart', async () => {
      await page.goto(host!.url);
      await studio.byTestId('home-view').waitFor();
      const recent = studio.byTestId('recent-item').filter({ hasText: 'promoters' });
      await expect.poll(() => recent.count()).toBe(1);
      await recent.locator('[data-testid="recent-open"]').click();
      await expect.poll(() => studio.statusProject()).toMatch(/promoters/);
      await studio.openJobs();
      const row = studio.byTestId('job-row').first();
      expect(await row.locator('[data-testid="job-status"]').innerText()).toMatch(/succe/i);
      expect(await row.locator('[data-testid="job-progress"]').getAttribute('data-percent')).toBe('100');
    });
    await page.close();
  });
});

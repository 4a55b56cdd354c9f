import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './browser';
import { StudioPage } from './studio-page';
import { startHostProcess, type RunningHost } from './web-host-process';

export interface StudioSession {
  /** A fresh temporary folder for the test's projects and files; removed by close(). */
  readonly tmp: string;
  readonly browser: Browser;
  readonly host: RunningHost;
  readonly page: Page;
  readonly studio: StudioPage;
  close(): Promise<void>;
}

/**
 * A real web host process with a fresh per-user folder, Chromium logged in with the printed URL, past the demo
 * project that opens on first start: the home screen, ready to create or open a project.
 */
export async function startSession(tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dnalm-e2e-'))): Promise<StudioSession> {
  const browser = await launchChromium();
  const host = await startHostProcess(path.join(tmp, 'home'));
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const studio = new StudioPage(page);
  await page.goto(host.url);
  await studio.byTestId('status-project').filter({ hasText: 'Demo' }).waitFor({ timeout: 20_000 });
  await studio.closeProject();
  return {
    tmp,
    browser,
    host,
    page,
    studio,
    close: async () => {
      await host.stop();
      await browser.close();
      fs.rmSync(tmp, { recursive: true, force: true });
    },
  };
}

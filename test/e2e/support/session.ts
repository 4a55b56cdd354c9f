import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './browser';
import { StudioPage } from './studio-page';
import { startHostProcess, type RunningHost } from './web-host-process';

export interface StudioSession {
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
export async function startSession(userDataDir: string): Promise<StudioSession> {
  const browser = await launchChromium();
  const host = await startHostProcess(userDataDir);
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const studio = new StudioPage(page);
  await page.goto(host.url);
  await studio.byTestId('status-project').filter({ hasText: 'Demo' }).waitFor({ timeout: 20_000 });
  await studio.closeProject();
  return {
    browser,
    host,
    page,
    studio,
    close: async () => {
      await host.stop();
      await browser.close();
    },
  };
}

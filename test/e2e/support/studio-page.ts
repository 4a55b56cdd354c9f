import { expect } from 'vitest';
import type { Locator, Page } from 'playwright-core';

/** Page object for the renderer: what a user sees and clicks, by the data-testids the views carry. */
export class StudioPage {
  constructor(readonly page: Page) {}

  byTestId(id: string): Locator {
    return this.page.locator(`[data-testid="${id}"]`);
  }

  async statusProject(): Promise<string> {
    return (await this.byTestId('status-project').innerText()).trim();
  }

  async closeProject(): Promise<void> {
    await this.byTestId('close-project').click();
    await this.byTestId('home-view').waitFor();
  }

  async createProject(folder: string): Promise<void> {
    await this.byTestId('new-project-path').fill(folder);
    await this.byTestId('new-project-submit').click();
    await this.byTestId('close-project').waitFor();
  }

  /** Paths a chart's SVG draws (ECharts draws each series, each mark line and each symbol as paths). */
  async chartPaths(testid: string): Promise<number> {
    return this.byTestId(testid).locator('svg path').count();
  }

  async openJobs(): Promise<void> {
    await this.byTestId('nav-jobs').click();
    await this.byTestId('run-selftest').waitFor();
  }

  async runSelftest(): Promise<Locator> {
    const before = await this.byTestId('job-row').count();
    await this.byTestId('run-selftest').click();
    await expect.poll(() => this.byTestId('job-row').count(), { timeout: 10_000 }).toBe(before + 1);
    return this.byTestId('job-row').first();
  }

  /** Percentages the progress bar of a job row shows, sampled until the job is done. */
  async watchProgress(row: Locator, timeoutMs = 60_000): Promise<number[]> {
    const seen: number[] = [];
    const start = Date.now();
    for (;;) {
      // Status first: once it reads done, the percent read after it is the final one.
      const status = (await row.locator('[data-testid="job-status"]').innerText()).toLowerCase();
      const percent = Number(await row.locator('[data-testid="job-progress"]').getAttribute('data-percent'));
      if (seen.at(-1) !== percent) seen.push(percent);
      if (/succe|fail|cancel/.test(status)) return seen;
      if (Date.now() - start > timeoutMs) throw new Error(`job did not finish; progress seen: ${seen.join(', ')}`);
      await this.page.waitForTimeout(50);
    }
  }
}

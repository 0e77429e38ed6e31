import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { TestContext } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Debian's chromium (apt-get install -y chromium); without it the browser checks are skipped. */
export const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic', '--no-first-run', '--disable-component-update', '--disable-sync'];
/** Screenshots for people to look at; outside the repository. */
export const SCREENSHOTS = join(tmpdir(), 'mqbench-report-screenshots');

export interface PageChart {
  id: string;
  type: string;
  points: number;
  bands: number;
  markers: number;
}

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

/**
 * Opens a report in Chromium; fails on any console error, page error or request that leaves the
 * file; checks every chart drew exactly the points, bands and step lines computed in Node. Returns
 * the page's h1, and hands the open page to `inspect` before closing it.
 */
export async function checkInBrowser(
  browser: Browser,
  t: TestContext,
  file: string,
  expected: Array<{ id: string; points: number; bands?: number; markers?: number }>,
  screenshot?: string,
  inspect?: (page: Page) => Promise<void>,
): Promise<string> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  try {
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('request', (r) => {
      if (!r.url().startsWith('file:')) problems.push(`request to ${r.url()}`);
    });
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
    // Inline scripts have run by "load"; the page script publishes what each chart drew.
    const charts = await page.evaluate(() => (globalThis as unknown as { __mqbenchCharts?: PageChart[] }).__mqbenchCharts ?? null);
    assert.deepEqual(problems, []);
    assert.ok(charts, 'the page script did not finish (window.__mqbenchCharts missing)');
    assert.deepEqual(
      charts.map((c) => c.id),
      expected.map((c) => c.id),
    );
    for (const c of charts) assert.ok(c.points > 0, `chart ${c.id} drew no points`);
    // Every point computed in Node is drawn inside its plot area, and so is every band and step line.
    assert.deepEqual(
      charts.map((c) => [c.id, c.points, c.bands, c.markers]),
      expected.map((c) => [c.id, c.points, c.bands ?? 0, c.markers ?? 0]),
    );
    if (inspect) await inspect(page);
    if (screenshot) {
      mkdirSync(SCREENSHOTS, { recursive: true });
      const path = join(SCREENSHOTS, screenshot);
      // Grow the viewport to the whole page first and let Chart.js follow the resize (it redraws on
      // the next frame); a full-page screenshot of the small viewport can catch charts mid-resize.
      const height = await page.evaluate(() => (globalThis as unknown as { document: { documentElement: { scrollHeight: number } } }).document.documentElement.scrollHeight);
      await page.setViewportSize({ width: 1400, height });
      await page.waitForTimeout(300);
      await page.screenshot({ path, fullPage: true });
      t.diagnostic(`screenshot: ${path}`);
    }
    return (await page.textContent('h1')) ?? '';
  } finally {
    await page.close();
  }
}

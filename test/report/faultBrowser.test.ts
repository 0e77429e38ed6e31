import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { writeReport } from '../../src/report/html/renderReport.js';
import { tempDir } from '../helpers/cli.js';
import { checkInBrowser, CHROMIUM, launchChromium } from './browserHelpers.js';
import { faultRun, matrixFromRuns } from './fixtures.js';

/**
 * Fault reports in a real browser, from synthetic results (no broker needed): every chart draws its
 * points, the fault windows are shaded and the step lines drawn where Node computed them.
 */

let browser: Browser | undefined;

before(async () => {
  if (existsSync(CHROMIUM)) browser = await launchChromium();
});

after(async () => {
  await browser?.close();
});

/** Colour of the run's throughput chart at time `tSeconds` (run clock), halfway up the plot area. */
async function pixelAt(page: Page, canvasId: string, tSeconds: number): Promise<[number, number, number]> {
  return page.evaluate(
    ([id, t]) => {
      interface ChartLike {
        chartArea: { top: number; bottom: number };
        scales: { x: { getPixelForValue(v: number): number } };
      }
      const g = globalThis as unknown as {
        document: { getElementById(id: string): { getContext(kind: string): { getImageData(x: number, y: number, w: number, h: number): { data: number[] } } } };
        Chart: { getChart(canvas: unknown): ChartLike };
        devicePixelRatio: number;
      };
      const canvas = g.document.getElementById(id as string);
      const chart = g.Chart.getChart(canvas);
      const x = chart.scales.x.getPixelForValue(t as number);
      const y = (chart.chartArea.top + chart.chartArea.bottom) / 2;
      const ratio = g.devicePixelRatio;
      const d = canvas.getContext('2d').getImageData(Math.round(x * ratio), Math.round(y * ratio), 1, 1).data;
      return [d[0]!, d[1]!, d[2]!] as [number, number, number];
    },
    [canvasId, tSeconds] as const,
  );
}

describe('HTML report of fault results in a real browser', () => {
  test('run: fault window shaded, step lines drawn, timeline table one row per step', async (t) => {
    const file = join(tempDir('report-fault'), 'fault-run.json');
    writeFileSync(file, JSON.stringify(faultRun({ events: 250 })));
    const { output, charts } = await writeReport(file);
    assert.deepEqual(
      charts.map((c) => [c.id, c.bands, c.markers]),
      [
        ['run-throughput', 3, 2],
        // The queue-depth chart shades the same windows and draws the same step lines.
        ['run-depth', 3, 2],
        ['run-latency-e2e', 0, 0],
        ['run-latency-confirm', 0, 0],
      ],
    );
    if (!browser) return t.skip(`${CHROMIUM} not found (apt-get install -y chromium)`);
    const h1 = await checkInBrowser(browser, t, output, charts, 'fault-run.png', async (page) => {
      // Inside the fault window (3 – 5.6 s on the run clock) the plot is tinted red; outside it is not.
      const [r, g, b] = await pixelAt(page, 'run-throughput', 4.3);
      assert.ok(r > g + 15 && r > b + 15, `fault window not shaded red: rgb(${r}, ${g}, ${b})`);
      const [r2, g2, b2] = await pixelAt(page, 'run-throughput', 6.3);
      assert.ok(Math.abs(r2 - g2) < 10 && Math.abs(r2 - b2) < 10, `outside the window: rgb(${r2}, ${g2}, ${b2})`);
      assert.equal(await page.locator('#run-faults-steps tbody tr').count(), 3);
      assert.equal(await page.locator('#run-faults-events tbody tr').count(), 200);
      assert.match((await page.textContent('#faults')) ?? '', /50 left out/);
    });
    assert.equal(h1, 'mqbench run: fault');
  });

  test('matrix of fault runs: every repetition\'s chart shaded, fault columns in the cells table', async (t) => {
    const m = matrixFromRuns('resilience', [
      { id: 'queues.type=quorum', label: 'quorum', values: { 'queues.type': 'quorum' }, runs: [faultRun({ seed: 1, lost: 0 }), faultRun({ seed: 2, lost: 0, confirmGapMs: 1800 })] },
      { id: 'queues.type=classic', label: 'classic', values: { 'queues.type': 'classic' }, runs: [faultRun({ seed: 3, lost: 120, allowLoss: true, confirmGapMs: 9000 })] },
    ]);
    const file = join(tempDir('report-fault-matrix'), 'resilience-matrix.json');
    writeFileSync(file, JSON.stringify(m));
    const { output, charts } = await writeReport(file);
    assert.deepEqual(
      charts.filter((c) => c.type === 'throughput').map((c) => [c.id, c.bands, c.markers]),
      [
        ['cell-1-rep-1-throughput', 3, 2],
        ['cell-1-rep-2-throughput', 3, 2],
        ['cell-2-rep-1-throughput', 3, 2],
      ],
    );
    if (!browser) return t.skip(`${CHROMIUM} not found (apt-get install -y chromium)`);
    await checkInBrowser(browser, t, output, charts, 'fault-matrix.png', async (page) => {
      assert.match((await page.textContent('#cells thead')) ?? '', /no confirm s/);
      assert.equal(await page.locator('#cell-2-rep-1-faults-steps tbody tr').count(), 3);
    });
  });
});

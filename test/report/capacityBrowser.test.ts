import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { capacityPointCount, type CapacityChart, type CurveMetric } from '../../src/report/html/chartData.js';
import { writeReport } from '../../src/report/html/renderReport.js';
import { tempDir } from '../helpers/cli.js';
import { checkInBrowser, CHROMIUM, launchChromium, type PageChart } from './browserHelpers.js';
import { capacityMatrix, REFERENCE_CAPACITY } from './capacityFixtures.js';
import { syntheticRun } from './fixtures.js';

/**
 * Capacity reports and the queue-depth chart in a real browser, from stored and synthetic results
 * (no broker): the curve is drawn on a log axis, the selector of a capacity matrix shows one
 * latency figure at a time, the depth chart leaves gaps where no reading fell.
 */

let browser: Browser | undefined;

before(async () => {
  if (existsSync(CHROMIUM)) browser = await launchChromium();
});

after(async () => {
  await browser?.close();
});

interface ScaleInfo {
  x: string;
  y: string;
  yMin: number;
  yMax: number;
  legend: string[];
}

/** The axis types and range Chart.js laid out for a chart, and the legend entries it shows. */
function scales(page: Page, id: string): Promise<ScaleInfo> {
  return page.evaluate((canvasId) => {
    interface ChartLike {
      scales: Record<string, { type: string; min: number; max: number }>;
      legend: { legendItems: Array<{ text: string }> };
    }
    const g = globalThis as unknown as { document: { getElementById(id: string): unknown }; Chart: { getChart(c: unknown): ChartLike } };
    const chart = g.Chart.getChart(g.document.getElementById(canvasId));
    return { x: chart.scales['x']!.type, y: chart.scales['y']!.type, yMin: chart.scales['y']!.min, yMax: chart.scales['y']!.max, legend: chart.legend.legendItems.map((i) => i.text) };
  }, id);
}

const recount = (page: Page): Promise<PageChart[]> => page.evaluate(() => (globalThis as unknown as { __mqbenchRecount(): PageChart[] }).__mqbenchRecount());

describe('capacity reports in a real browser', () => {
  test('capacity result: the curve on a log axis, every step drawn', async (t) => {
    const file = join(tempDir('report-capacity'), 'capacity.json');
    writeFileSync(file, readFileSync(REFERENCE_CAPACITY));
    const { output, charts } = await writeReport(file);
    assert.deepEqual(charts.map((c) => [c.id, c.points]), [['capacity-curve', 33]]);
    if (!browser) return t.skip(`${CHROMIUM} not found (apt-get install -y chromium)`);
    const h1 = await checkInBrowser(browser, t, output, charts, 'capacity.png', async (page) => {
      const s = await scales(page, 'capacity-curve');
      assert.equal(s.y, 'logarithmic');
      assert.equal(s.x, 'linear');
      // From the 10 % step's confirm p50 (3.621 ms) to the worst search step's e2e p99 (7.385 s): three orders of magnitude.
      assert.ok(s.yMin > 0 && s.yMin <= 3.621 && s.yMax >= 7385, `${s.yMin} … ${s.yMax}`);
      assert.deepEqual(s.legend.slice(0, 4), ['e2e p50', 'e2e p99', 'confirm p50', 'confirm p99']);
    });
    assert.equal(h1, 'mqbench capacity: quorum-3node');
  });

  test('capacity matrix: one line per cell; the selector switches the latency figure', async (t) => {
    const m = capacityMatrix();
    const file = join(tempDir('report-capacity-matrix'), 'capacity-matrix.json');
    writeFileSync(file, JSON.stringify(m));
    const { output, charts } = await writeReport(file);
    if (!browser) return t.skip(`${CHROMIUM} not found (apt-get install -y chromium)`);
    await checkInBrowser(browser, t, output, charts, 'capacity-matrix.png', async (page) => {
      const spec = (JSON.parse((await page.textContent('#mqbench-data'))!) as { charts: CapacityChart[] }).charts[0]!;
      const before = await scales(page, 'capacity-matrix-curves');
      assert.equal(before.y, 'logarithmic');
      assert.deepEqual(before.legend, ['classic, 1 node: e2e p99', 'quorum, 3 nodes: e2e p99']);
      const expected = (metrics: CurveMetric[]): number => capacityPointCount(spec, metrics);
      for (const [index, metric] of [[3, 'confirmP50'], [1, 'e2eP50'], [0, 'e2eP99']] as const) {
        await page.selectOption('#capacity-matrix-curves-metric', String(index));
        const drawn = await recount(page);
        assert.equal(drawn[0]!.points, expected([metric]), metric);
        const after = await scales(page, 'capacity-matrix-curves');
        assert.deepEqual(after.legend, [`classic, 1 node: ${spec.choices![index]!.label}`, `quorum, 3 nodes: ${spec.choices![index]!.label}`]);
      }
    });
  });

  test('run: the queue-depth chart draws every reading and leaves a gap where none fell', async (t) => {
    const run = syntheticRun();
    // No reading in the third measured interval.
    const series = run.series.map((p, i) => (i === 4 ? { ...p, queueDepth: null } : p));
    const file = join(tempDir('report-depth'), 'depth-run.json');
    writeFileSync(file, JSON.stringify({ ...run, series }));
    const { output, charts } = await writeReport(file);
    const depth = charts.find((c) => c.id === 'run-depth')!;
    assert.equal(depth.points, series.filter((p) => p.queueDepth !== null).length);
    assert.equal(depth.bands, 2);
    if (!browser) return t.skip(`${CHROMIUM} not found (apt-get install -y chromium)`);
    await checkInBrowser(browser, t, output, charts);
  });
});

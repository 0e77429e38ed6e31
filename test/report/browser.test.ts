import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, test, type TestContext } from 'node:test';
import type { Browser } from 'playwright-core';
import { checkInBrowser as check, CHROMIUM, launchChromium } from './browserHelpers.js';
import type { LocalNodeInfo } from '../../src/cluster/local/types.js';
import type { RunResult } from '../../src/results/model.js';
import { writeReport } from '../../src/report/html/renderReport.js';
import { runCli, tempDir, writeProfile } from '../helpers/cli.js';
import { testBroker } from '../helpers/testBroker.js';
import { matrixFromRuns, TWO_CELL_MATRIX_CHART_IDS } from './fixtures.js';

let browser: Browser | undefined;
const runs: Record<'classic1' | 'classic2' | 'quorum', { file: string; result: RunResult }> = {} as never;

/** Runs a short benchmark with the CLI against the shared test broker; returns the result file. */
async function benchmark(node: LocalNodeInfo, name: string, type: 'classic' | 'quorum', rate: number): Promise<{ file: string; result: RunResult }> {
  const out = tempDir(`report-${name}`);
  const profile = {
    name,
    // An existing cluster with its management API, so the result carries the topology.
    cluster: { uris: [node.amqpUri], management: [node.managementUrl.replace('://', '://guest:guest@')] },
    queues: { type, namePattern: `mqbench-report-${name}-<n>` },
    publishers: { count: 1, rate, messageSize: 200, confirms: { enabled: true, maxInFlight: 100 } },
    consumers: { count: 1, prefetch: 100, ack: 'manual' },
    duration: '2s',
    warmup: '1s',
    drainTimeout: '10s',
  };
  const run = await runCli(['run', writeProfile(profile), '--out', out, '-q']);
  assert.equal(run.code, 0, run.stderr);
  const file = join(out, readdirSync(out).find((f) => f.endsWith('.json'))!);
  return { file, result: JSON.parse(readFileSync(file, 'utf8')) as RunResult };
}

const checkInBrowser = (t: TestContext, file: string, expected: Parameters<typeof check>[3], screenshot?: string): Promise<string> => check(browser!, t, file, expected, screenshot);

before(async () => {
  const node = (await testBroker()).nodes[0]!;
  // Two "repetitions" of the classic cell at different rates, so its error bars are visible.
  // One after the other: in parallel they would compete for the CPU and measure each other.
  runs.classic1 = await benchmark(node, 'rep-classic-1', 'classic', 1000);
  runs.classic2 = await benchmark(node, 'rep-classic-2', 'classic', 800);
  runs.quorum = await benchmark(node, 'rep-quorum', 'quorum', 1000);
  if (existsSync(CHROMIUM)) browser = await launchChromium();
});

after(async () => {
  await browser?.close();
});

describe('HTML report of real results in a real browser', () => {
  test('run result: every chart draws its points, no errors, no network', async (t) => {
    const { file } = runs.quorum;
    const { output, charts } = await writeReport(file);
    assert.equal(output, file.replace(/\.json$/, '.html'));
    // A real run reads the queue depth once a second: its chart follows the throughput chart.
    assert.deepEqual(charts.map((c) => c.id), ['run-throughput', 'run-depth', 'run-latency-e2e', 'run-latency-confirm']);
    if (!browser) return t.skip(`${CHROMIUM} not found (apt-get install -y chromium)`);
    const h1 = await checkInBrowser(t, output, charts, 'run.png');
    assert.equal(h1, 'mqbench run: rep-quorum');
    const html = readFileSync(output, 'utf8');
    assert.ok(runs.quorum.result.cluster.before, `no topology captured: ${runs.quorum.result.cluster.error}`);
    assert.match(html, new RegExp(`<td>${runs.quorum.result.cluster.before.nodes[0]!.name}</td><td>disc</td><td>yes</td>`));
  });

  test('matrix result (cells built from real runs): bars with error bars, latency by cell, per-cell charts', async (t) => {
    const matrix = matrixFromRuns(
      'queue-types',
      [
        { id: 'queues.type=classic', label: 'classic, 1 node', values: { 'queues.type': 'classic' }, runs: [runs.classic1.result, runs.classic2.result] },
        { id: 'queues.type=quorum', label: 'quorum, 1 node', values: { 'queues.type': 'quorum' }, runs: [runs.quorum.result] },
      ],
      [
        {
          id: 'queues.type=classic-mirrored',
          label: 'classic-mirrored, 1 node',
          values: { 'queues.type': 'classic-mirrored' },
          skipped: 'classic-mirrored needs at least 2 nodes',
          runs: [],
          failures: [],
          summary: null,
          overrides: {},
        },
      ],
    );
    const file = join(tempDir('report-matrix'), 'queue-types-matrix.json');
    writeFileSync(file, JSON.stringify(matrix));
    const { output, charts } = await writeReport(file);
    assert.deepEqual(charts.map((c) => c.id), TWO_CELL_MATRIX_CHART_IDS);
    if (!browser) return t.skip(`${CHROMIUM} not found (apt-get install -y chromium)`);
    const h1 = await checkInBrowser(t, output, charts, 'matrix.png');
    assert.equal(h1, 'mqbench matrix: queue-types');
  });

  test('text from the result cannot break out of the page (</script> in a name)', async (t) => {
    const evil = '</script><script>globalThis.__pwned = 1</script><!-- & "x"';
    const result = { ...runs.classic1.result, name: evil };
    const file = join(tempDir('report-evil'), 'evil.json');
    writeFileSync(file, JSON.stringify(result));
    const matrix = matrixFromRuns(evil, [{ id: 'a', label: evil, values: { [evil]: evil }, runs: [result] }]);
    const matrixFile = join(tempDir('report-evil-matrix'), 'evil-matrix.json');
    writeFileSync(matrixFile, JSON.stringify(matrix));
    const reports = [await writeReport(file), await writeReport(matrixFile)];
    if (!browser) return t.skip(`${CHROMIUM} not found (apt-get install -y chromium)`);
    for (const { output, charts } of reports) {
      const h1 = await checkInBrowser(t, output, charts);
      assert.ok(h1.endsWith(evil), h1);
    }
    const page = await browser.newPage();
    await page.goto(pathToFileURL(reports[1]!.output).href);
    assert.equal(await page.evaluate(() => (globalThis as unknown as { __pwned?: number }).__pwned), undefined);
    await page.close();
  });
});

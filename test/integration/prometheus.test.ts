/** --metrics-port: OpenMetrics scraped from a real run while it goes, parsed line by line. */
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { zeroCounters, type Counters } from '../../src/metrics/counters.js';
import { createLatencySet } from '../../src/metrics/latencySet.js';
import { PrometheusExporter } from '../../src/report/prometheus.js';
import { packageRoot } from '../../src/util/packageRoot.js';
import { readRunResult, runCli, tempDir, writeProfile } from '../helpers/cli.js';
import { TEST_BROKER_BASE_PORT, testBroker } from '../helpers/testBroker.js';

let nodeName = '';
before(async () => {
  nodeName = (await testBroker()).nodes[0]!.name;
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** The samples of an OpenMetrics text exposition (comments and # EOF left out). */
function parseExposition(text: string): Sample[] {
  return text
    .split('\n')
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map((line) => {
      const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
      assert.ok(m, `not an exposition line: ${line}`);
      const labels = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1]!, x[2]!]));
      return { name: m[1]!, labels, value: Number(m[3]) };
    });
}

const profile = (): Record<string, unknown> => ({
  name: 'prom',
  // The test broker as a local cluster (reused, not restarted): series are labelled with its RabbitMQ node name.
  cluster: { local: { nodes: 1, basePort: TEST_BROKER_BASE_PORT, stateDir: join(packageRoot(), '.mqbench', 'test-cluster-1') } },
  queues: { namePattern: 'mqbench-prom-<n>' },
  publishers: { count: 1, rate: 300, messageSize: 100 },
  consumers: { count: 1 },
  duration: '4s',
  drainTimeout: '10s',
});

describe('Prometheus endpoint', { timeout: 90_000 }, () => {
  test('--metrics-port serves mqbench_* OpenMetrics during a real run: counters grow, latency quantiles, labels', async () => {
    const port = await freePort();
    const p = profile();
    const scrapes: Array<{ type: string; body: string }> = [];
    let running = true;
    const poll = (async () => {
      while (running) {
        try {
          const res = await fetch(`http://127.0.0.1:${port}/metrics`);
          scrapes.push({ type: res.headers.get('content-type') ?? '', body: await res.text() });
        } catch {
          // not listening yet, or already closed
        }
        await new Promise((r) => setTimeout(r, 400));
      }
    })();
    const out = tempDir('prom');
    const cli = await runCli(['run', writeProfile(p), '--out', out, '-q', '--metrics-port', String(port)], { timeoutMs: 60_000 });
    running = false;
    await poll;
    assert.equal(cli.code, 0, cli.stderr);
    assert.ok(scrapes.length >= 3, `${scrapes.length} scrapes`);
    const last = scrapes.at(-1)!;
    assert.match(last.type, /^application\/openmetrics-text/);
    assert.match(last.body, /# EOF\n?$/);
    const samples = parseExposition(last.body);
    assert.ok(samples.length > 0);
    for (const s of samples) {
      assert.ok(s.name.startsWith('mqbench_'), `${s.name} lacks the mqbench_ prefix`);
      assert.deepEqual([s.labels.run, s.labels.queue_type], ['prom', 'classic'], `${s.name} labels`);
    }
    const value = (name: string, extra: Record<string, string> = {}): number | undefined =>
      samples.find((s) => s.name === name && Object.entries(extra).every(([k, v]) => s.labels[k] === v))?.value;
    const consumedOverTime = scrapes.map((s) => parseExposition(s.body).find((x) => x.name === 'mqbench_consumed_total')?.value ?? 0);
    assert.ok(consumedOverTime.some((v, i) => i > 0 && v > consumedOverTime[i - 1]!), `consumed did not grow: ${consumedOverTime.join(', ')}`);
    assert.ok((value('mqbench_published_total') ?? 0) >= 900, `published ${value('mqbench_published_total')}`);
    assert.ok((value('mqbench_confirmed_total') ?? 0) > 0);
    const p99 = value('mqbench_e2e_latency_seconds', { quantile: '0.99' });
    assert.ok(p99 !== undefined && p99 > 0 && p99 < 5, `e2e p99 ${p99} s`);
    assert.ok(value('mqbench_confirm_latency_seconds', { quantile: '0.5' }) !== undefined);
    assert.ok(value('mqbench_in_flight_messages', { node: nodeName }) !== undefined);
    // Counters per node, named by the RabbitMQ node; their sum is what the run counted (the last scrape may precede the end).
    for (const name of ['mqbench_published_total', 'mqbench_confirmed_total', 'mqbench_consumed_total']) {
      const nodes = samples.filter((s) => s.name === name).map((s) => s.labels.node);
      assert.deepEqual(nodes, [nodeName], `${name} node labels`);
    }
    const consumedByNodes = samples.filter((s) => s.name === 'mqbench_consumed_total').reduce((n, s) => n + s.value, 0);
    const totals = readRunResult(out, cli).runTotals;
    assert.ok(consumedByNodes > 0 && consumedByNodes <= totals.consumed, `consumed ${consumedByNodes} by node, ${totals.consumed} in the result`);
    const backlog = scrapes.map((s) => parseExposition(s.body).find((x) => x.name === 'mqbench_backlog_messages')?.value).filter((v) => v !== undefined);
    assert.ok(backlog.length > 0 && backlog.every((v) => v >= 0), `backlog ${backlog.join(', ')}`);
  });

  test('a port already in use is bad input: one line naming it, exit 2, before anything runs', async () => {
    const port = await freePort();
    const blocker = createServer().listen(port, '127.0.0.1');
    try {
      const p = profile();
      const cli = await runCli(['run', writeProfile(p), '--out', tempDir('prom-busy'), '-q', '--metrics-port', String(port)], { timeoutMs: 30_000 });
      assert.equal(cli.code, 2, cli.stderr);
      assert.equal(cli.stderr.trim(), `mqbench: --metrics-port ${port}: cannot listen on 127.0.0.1:${port}: EADDRINUSE`);
    } finally {
      blocker.close();
    }
  });

  test('per node: counters and in-flight follow each node\'s counts (a loss on one, its copies on another); the backlog gauge takes the last reading', async () => {
    const exporter = new PrometheusExporter({ run: 'unit', queue_type: 'quorum' });
    const port = await exporter.listen(0);
    const c = (o: Partial<Counters>): Counters => ({ ...zeroCounters(), ...o });
    const tick = (n: number, byNode: Array<[string, Counters]>) => {
      const counters = zeroCounters();
      for (const [, x] of byNode) for (const k of Object.keys(x) as Array<keyof Counters>) counters[k] += x[k];
      exporter.onTick({ tick: n, phase: 'measure', endMs: n * 1000, intervalMs: 1000, counters, byNode: new Map(byNode), latencies: createLatencySet(), publisherSeqs: [], markers: [] });
    };
    try {
      tick(1, [['rabbit@a', c({ published: 10, confirmed: 4, consumed: 3 })], ['rabbit@b', c({ published: 5, confirmed: 5 })]]);
      tick(2, [['rabbit@a', c({ unconfirmedAtLoss: 6 })], ['rabbit@b', c({ republished: 6, confirmed: 2, consumed: 9 })]]);
      exporter.onDepth({ tMs: 1500, depth: 17 });
      exporter.onDepth({ tMs: 2500, depth: 12 });
      const samples = parseExposition(await (await fetch(`http://127.0.0.1:${port}/metrics`)).text());
      const at = (name: string, node?: string): number | undefined => samples.find((s) => s.name === name && s.labels.node === node)?.value;
      assert.deepEqual([at('mqbench_published_total', 'rabbit@a'), at('mqbench_published_total', 'rabbit@b')], [10, 5]);
      assert.deepEqual([at('mqbench_consumed_total', 'rabbit@a'), at('mqbench_consumed_total', 'rabbit@b')], [3, 9]);
      assert.deepEqual([at('mqbench_republished_total', 'rabbit@a'), at('mqbench_republished_total', 'rabbit@b')], [0, 6]);
      assert.deepEqual([at('mqbench_in_flight_messages', 'rabbit@a'), at('mqbench_in_flight_messages', 'rabbit@b')], [0, 4]);
      assert.equal(at('mqbench_backlog_messages'), 12);
    } finally {
      await exporter.close();
    }
  });
});

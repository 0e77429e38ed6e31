/** --metrics-port: OpenMetrics scraped from a real run while it goes, parsed line by line. */
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { before, describe, test } from 'node:test';
import { runCli, tempDir, writeProfile } from '../helpers/cli.js';
import { testBroker } from '../helpers/testBroker.js';

let uri = '';
before(async () => {
  uri = (await testBroker()).nodes[0]!.amqpUri;
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
  broker: { uris: [uri] },
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
    const cli = await runCli(['run', writeProfile(p), '--out', tempDir('prom'), '-q', '--metrics-port', String(port)], { timeoutMs: 60_000 });
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
    assert.ok(value('mqbench_in_flight_messages') !== undefined);
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
});

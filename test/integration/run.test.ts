import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { parse } from 'csv-parse/sync';
import type { RunResult } from '../../src/results/model.js';
import { runCli, tempDir, writeProfile } from '../helpers/cli.js';
import { testBroker } from '../helpers/testBroker.js';
import { documentedFields, hasPath } from '../helpers/resultDocs.js';

let uri = '';

function profile(name: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name,
    broker: { uris: [uri] },
    queues: { type: 'classic', namePattern: `mqbench-test-${name}-<n>` },
    publishers: { count: 1, rate: 1000, messageSize: 200, confirms: { enabled: true, maxInFlight: 100 } },
    consumers: { count: 1, prefetch: 100, ack: 'manual' },
    duration: '2s',
    warmup: '1s',
    drainTimeout: '10s',
    ...overrides,
  };
}

function readResult(dir: string): RunResult {
  const file = readdirSync(dir).find((f) => f.endsWith('.json'));
  assert.ok(file, `no result JSON in ${dir}: ${readdirSync(dir).join(', ')}`);
  return JSON.parse(readFileSync(join(dir, file), 'utf8')) as RunResult;
}

before(async () => {
  uri = (await testBroker()).nodes[0]!.amqpUri;
});

describe('mqbench run against a real RabbitMQ node', () => {
  for (const type of ['classic', 'quorum'] as const) {
    test(`${type} queue: everything confirmed is consumed once, in order`, async () => {
      const out = tempDir(`run-${type}`);
      const run = await runCli(['run', writeProfile(profile(`it-${type}`, { queues: { type, namePattern: `mqbench-it-${type}-<n>` } })), '--out', out, '--csv', '-q']);
      assert.equal(run.code, 0, run.stderr);
      const r = readResult(out);
      assert.equal(r.interrupted, false);
      assert.equal(r.error, null);
      assert.equal(r.profile.queues.type, type);
      assert.ok(r.delivery.published > 1000, `published only ${r.delivery.published}`);
      assert.equal(r.delivery.confirmed, r.delivery.published);
      assert.equal(r.delivery.consumedUnique, r.delivery.confirmed);
      assert.equal(r.delivery.lost, 0);
      assert.equal(r.delivery.duplicates, 0);
      assert.equal(r.delivery.outOfOrder, 0);
      assert.equal(r.runTotals.published, r.delivery.published);
      assert.equal(r.runTotals.consumed, r.delivery.consumedUnique);
      assert.ok(r.latency.e2e.corrected.count > 0 && r.latency.confirm.raw.count > 0);
      assert.ok(r.latency.e2e.corrected.p99Ms >= r.latency.e2e.corrected.p50Ms);
      assert.deepEqual(new Set(r.series.map((p) => p.phase)), new Set(['warmup', 'measure', 'drain']));
      assert.match(r.broker.versions[0] ?? '', /^3\./);
      assert.match(run.stdout, /delivery: 0 lost of [\d,]+ confirmed, [\d,]+ consumed; 0 duplicates, 0 redelivered, 0 out of order/);

      // Every field the README documents is in the result.
      const missing = documentedFields('Fields of the result JSON').filter((f) => !hasPath(r, f));
      assert.deepEqual(missing, []);

      // The CSV files parse back into the same numbers.
      const files = readdirSync(out);
      const series = parse(readFileSync(join(out, files.find((f) => f.endsWith('-series.csv'))!), 'utf8'), { columns: true, cast: true }) as Array<Record<string, number | string>>;
      assert.equal(series.length, r.series.length);
      assert.equal(series.reduce((n, row) => n + Number(row.published_msgs), 0), r.runTotals.published);
      assert.equal(series[0]!.phase, 'warmup');
      const summary = parse(readFileSync(join(out, files.find((f) => f.endsWith('-summary.csv'))!), 'utf8'), { columns: true, cast: true }) as Array<Record<string, number | string>>;
      assert.equal(summary.length, 1);
      assert.equal(summary[0]!.publish_rate_msgs_per_s, r.rates.published.overallMsgsPerS);
      assert.equal(summary[0]!.e2e_p99_ms, r.latency.e2e.corrected.p99Ms);
      assert.equal(summary[0]!.lost_msgs, 0);
      assert.equal(summary[0]!.queue_type, type);
    });
  }

  test('the rate limiter holds 1,000 msgs/s within 2% over 10 s', async () => {
    const out = tempDir('rate');
    const run = await runCli(['run', writeProfile(profile('it-rate', { duration: '10s', warmup: '0s' })), '--out', out, '-q']);
    assert.equal(run.code, 0, run.stderr);
    const r = readResult(out);
    const rate = r.rates.published.overallMsgsPerS;
    assert.ok(Math.abs(rate - 1000) / 1000 <= 0.02, `published ${rate} msgs/s over ${r.timing.measuredMs} ms`);
    assert.ok(Math.abs(r.timing.measuredMs - 10_000) < 200, `measured ${r.timing.measuredMs} ms`);
    assert.equal(r.latency.coordinatedOmissionCorrection, true);
    // Corrected latency starts earlier (intended time), so it is never below raw.
    assert.ok(r.latency.e2e.corrected.p50Ms >= r.latency.e2e.raw.p50Ms);
  });

  test('a message-count run stops when every publisher sent its messages', async () => {
    const out = tempDir('count');
    const p = profile('it-count', { publishers: { count: 2, rate: 0 }, consumers: { count: 2, ack: 'multiple', ackEvery: 10 }, workers: 2, messagesPerPublisher: 3000, warmup: '0s' });
    delete p.duration;
    const run = await runCli(['run', writeProfile(p), '--out', out, '-q']);
    assert.equal(run.code, 0, run.stderr);
    const r = readResult(out);
    assert.equal(r.delivery.published, 6000);
    assert.equal(r.delivery.consumedUnique, 6000);
    assert.equal(r.delivery.lost, 0);
    assert.equal(r.delivery.duplicates + r.delivery.outOfOrder, 0);
    // The last partial second belongs to the measurement: rates cover the real window.
    // The interval in progress when the last message went out belongs to the measurement, not the drain.
    assert.equal(r.measured.published, 6000);
    assert.ok(r.rates.published.overallMsgsPerS > 0 && r.timing.measuredMs > 0);
    const expectedRate = (6000 * 1000) / r.timing.measuredMs;
    assert.ok(Math.abs(r.rates.published.overallMsgsPerS - expectedRate) / expectedRate < 0.01, `${r.rates.published.overallMsgsPerS} vs ${expectedRate}`);
  });

  test('publishing through a named exchange with auto-ack consumers and two queues delivers everything', async () => {
    const out = tempDir('exchange');
    const p = profile('it-exchange', {
      queues: { count: 2, namePattern: 'mqbench-it-exchange-<n>' },
      publishers: { count: 2, rate: 500, exchange: 'mqbench-it-exchange' },
      consumers: { count: 2, ack: 'auto' },
      duration: '2s',
    });
    const run = await runCli(['run', writeProfile(p), '--out', out, '-q']);
    assert.equal(run.code, 0, run.stderr);
    const r = readResult(out);
    assert.ok(r.delivery.published >= 1500, `published ${r.delivery.published}`);
    assert.equal(r.runTotals.returned, 0, 'every message was routed');
    assert.equal(r.delivery.consumedUnique, r.delivery.confirmed);
    assert.equal(r.delivery.lost, 0);
  });

  test('mqbench export writes the same CSV files from a result', async () => {
    const out = tempDir('export');
    assert.equal((await runCli(['run', writeProfile(profile('it-export', { duration: '1s', warmup: '0s' })), '--out', out, '-q'])).code, 0);
    const json = readdirSync(out).find((f) => f.endsWith('.json'))!;
    const exported = await runCli(['export', join(out, json), '--csv']);
    assert.equal(exported.code, 0, exported.stderr);
    const summary = parse(readFileSync(join(out, json.replace(/\.json$/, '-summary.csv')), 'utf8'), { columns: true }) as Array<Record<string, string>>;
    assert.equal(summary[0]!.name, 'it-export');
  });
});

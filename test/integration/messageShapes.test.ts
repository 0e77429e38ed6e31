/**
 * Message shapes on a real node: sizes drawn from a distribution, headers, priority, expiration
 * and non-persistent delivery reach the broker as set (read back with basic.get), and a consumer
 * with a processing delay consumes at the rate that delay allows.
 */
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import amqplib from 'amqplib';
import { HEADER_MAGIC } from '../../src/engine/messageHeader.js';
import type { RunResult } from '../../src/results/model.js';
import { runCli, tempDir, writeProfile } from '../helpers/cli.js';
import { testBroker } from '../helpers/testBroker.js';

let uri = '';

before(async () => {
  uri = (await testBroker()).nodes[0]!.amqpUri;
});

async function run(name: string, extra: Record<string, unknown>): Promise<{ code: number | null; stderr: string; r: RunResult }> {
  const out = tempDir(`shapes-${name}`);
  const profile = { name, broker: { uris: [uri] }, warmup: '0s', drainTimeout: '15s', ...extra };
  const cli = await runCli(['run', writeProfile(profile), '--out', out, '-q'], { timeoutMs: 45_000 });
  const file = readdirSync(out).find((f) => f.endsWith('.json'));
  assert.ok(file, `no result; exit ${cli.code}: ${cli.stderr}`);
  return { code: cli.code, stderr: cli.stderr, r: JSON.parse(readFileSync(join(out, file), 'utf8')) as RunResult };
}

const shaped = {
  messageSize: { min: 100, max: 5000 },
  headers: { tenant: 'blue', attempt: 3, replay: false },
  priority: 5,
  expiration: '1m',
  persistent: false,
};

describe('message shapes', { timeout: 120_000 }, () => {
  test('sizes, headers, priority, expiration and non-persistent messages: consumed in full, and on the wire as set', { timeout: 60_000 }, async () => {
    const queue = 'mqbench-shapes-kept-1';
    const queues = { type: 'classic', arguments: { 'x-max-priority': 10 } };
    const consumed = await run('shapes', { queues: { ...queues, namePattern: 'mqbench-shapes-<n>' }, publishers: { count: 1, rate: 500, ...shaped }, consumers: { count: 1 }, duration: '2s' });
    assert.equal(consumed.code, 0, consumed.stderr);
    assert.equal(consumed.r.delivery.lost, 0);
    assert.ok(consumed.r.delivery.confirmed > 500);
    assert.equal(consumed.r.delivery.consumedUnique, consumed.r.delivery.confirmed);

    const kept = await run('shapes-kept', {
      queues: { ...queues, namePattern: 'mqbench-shapes-kept-<n>', onEnd: 'keep' },
      publishers: { count: 1, ...shaped },
      consumers: { count: 0 },
      messagesPerPublisher: 200,
    });
    assert.equal(kept.code, 0, kept.stderr);
    const conn = await amqplib.connect(uri);
    try {
      const ch = await conn.createChannel();
      const sizes: number[] = [];
      for (;;) {
        const m = await ch.get(queue, { noAck: true });
        if (m === false) break;
        assert.equal(m.content.readUInt32LE(0), HEADER_MAGIC);
        assert.deepEqual(m.properties.headers, shaped.headers);
        assert.equal(m.properties.priority, 5);
        assert.equal(m.properties.expiration, '60000');
        assert.notEqual(m.properties.deliveryMode, 2, 'not persistent');
        sizes.push(m.content.length);
      }
      await ch.deleteQueue(queue);
      assert.equal(sizes.length, 200);
      assert.ok(sizes.every((s) => s >= 100 && s <= 5000), `sizes out of bounds: ${Math.min(...sizes)}..${Math.max(...sizes)}`);
      assert.ok(new Set(sizes).size > 100, 'sizes are drawn per message');
      const mean = sizes.reduce((a, b) => a + b, 0) / sizes.length;
      assert.ok(mean > 2000 && mean < 3100, `mean size ${mean}`);
    } finally {
      await conn.close();
    }
  });

  test('a 20 ms processing delay: one consumer takes about 50 msgs/s while the publisher sends 80', { timeout: 40_000 }, async () => {
    const { code, stderr, r } = await run('delay', {
      queues: { type: 'classic', namePattern: 'mqbench-shapes-delay-<n>' },
      publishers: { count: 1, rate: 80, messageSize: 100 },
      consumers: { count: 1, prefetch: 10, processingDelay: '20ms' },
      duration: '3s',
    });
    assert.equal(code, 0, stderr);
    assert.equal(r.delivery.lost, 0);
    assert.equal(r.delivery.consumedUnique, r.delivery.confirmed);
    const rate = r.rates.consumed.overallMsgsPerS;
    assert.ok(rate > 35 && rate < 60, `consumed ${rate} msgs/s, expected about 50`);
    assert.ok(r.rates.published.overallMsgsPerS > 70, `published ${r.rates.published.overallMsgsPerS} msgs/s`);
  });
});

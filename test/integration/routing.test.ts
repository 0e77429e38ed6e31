/**
 * Topic and fanout exchanges against a real RabbitMQ node: the account expects a message once in
 * every queue the broker routes it to — the local routing table must agree with the broker's.
 */
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import type { RunResult } from '../../src/results/model.js';
import { runCli, tempDir, writeProfile, type CliRun } from '../helpers/cli.js';
import { testBroker } from '../helpers/testBroker.js';

let uri = '';

before(async () => {
  uri = (await testBroker()).nodes[0]!.amqpUri;
});

async function run(name: string, extra: Record<string, unknown>): Promise<{ cli: CliRun; r: RunResult }> {
  const out = tempDir(`routing-${name}`);
  const profile = {
    name,
    broker: { uris: [uri] },
    queues: { count: 3, namePattern: `mqbench-route-${name}-<n>` },
    consumers: { count: 3 },
    duration: '2s',
    drainTimeout: '10s',
    ...extra,
  };
  const cli = await runCli(['run', writeProfile(profile), '--out', out], { timeoutMs: 60_000 });
  const file = readdirSync(out).find((f) => f.endsWith('.json'));
  assert.ok(file, `no result written; stderr: ${cli.stderr}`);
  return { cli, r: JSON.parse(readFileSync(join(out, file), 'utf8')) as RunResult };
}

describe('exchanges and routing: a message is expected once per queue it reaches', { timeout: 120_000 }, () => {
  test('topic: one publisher reaches 2 queues, another 1; consumed = the expected copies, nothing lost or duplicated', async () => {
    const { cli, r } = await run('topic', {
      queues: { count: 3, namePattern: 'mqbench-route-topic-<n>', bindings: ['orders.eu.#', 'orders.*.de', 'orders.*.ny'] },
      publishers: { count: 2, rate: 200, exchange: 'mqbench-route-topic', exchangeType: 'topic', routingKeys: ['orders.eu.de', 'orders.us.ny'] },
    });
    assert.equal(cli.code, 0, cli.stderr);
    const byKey = Object.fromEntries((r.routing?.keys ?? []).map((k) => [k.routingKey, k.queues]));
    assert.deepEqual(byKey, { 'orders.eu.de': ['mqbench-route-topic-1', 'mqbench-route-topic-2'], 'orders.us.ny': ['mqbench-route-topic-3'] });
    const d = r.delivery;
    assert.ok(d.confirmed > 400, `confirmed ${d.confirmed}`);
    assert.equal(d.returned, 0);
    // Every message of publisher 0 twice, of publisher 1 once: seen per queue in the consumers' counts.
    const perQueue = r.cluster.agents.filter((a) => a.kind === 'consumer').map((a) => a.queue);
    assert.deepEqual(perQueue.sort(), ['mqbench-route-topic-1', 'mqbench-route-topic-2', 'mqbench-route-topic-3']);
    assert.ok(d.expected > d.confirmed && d.expected < 2 * d.confirmed, `expected ${d.expected} copies of ${d.confirmed} messages`);
    assert.equal(r.runTotals.consumed, d.expected, 'every delivery the broker made was an expected copy');
    assert.equal(d.consumedUnique, d.expected);
    assert.equal(d.lost, 0);
    assert.equal(d.notConsumed, 0);
    assert.equal(d.duplicates, 0);
    assert.equal(r.verdict.status, 'ok');
    assert.match(cli.stdout, /delivery: 0 lost of [\d,]+ expected copies \([\d,]+ confirmed, each once per queue it reaches\)/);
    assert.match(cli.stdout, /routing: topic exchange "mqbench-route-topic": orders\.eu\.de → mqbench-route-topic-1, mqbench-route-topic-2; orders\.us\.ny → mqbench-route-topic-3/);
  });

  test('fanout to 3 queues: expected = 3 × confirmed, all of it consumed, no duplicates', async () => {
    const { cli, r } = await run('fanout', { publishers: { count: 1, rate: 200, exchange: 'mqbench-route-fanout', exchangeType: 'fanout' } });
    assert.equal(cli.code, 0, cli.stderr);
    const d = r.delivery;
    assert.ok(d.confirmed > 200, `confirmed ${d.confirmed}`);
    assert.equal(d.expected, 3 * d.confirmed);
    assert.equal(d.consumedUnique, d.expected);
    assert.equal(r.runTotals.consumed, d.expected);
    assert.equal(d.lost, 0);
    assert.equal(d.duplicates, 0);
    assert.equal(r.verdict.status, 'ok');
  });
});

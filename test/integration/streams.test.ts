/**
 * Stream queues against a real node: a short run accounts for every message with the stream's
 * retained log not taken for a backlog, a consumer whose connection is forced closed resumes at
 * the offset after the last one it processed (nothing read twice, nothing skipped), and a
 * stream profile the broker would refuse is refused up front in one line.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { RunResult } from '../../src/results/model.js';
import { closeConnection } from '../helpers/brokerControl.js';
import { runCli, runProfile, writeProfile, type CliRun } from '../helpers/cli.js';
import { testBroker } from '../helpers/testBroker.js';

let uri = '';
let managementUrl = '';

before(async () => {
  const node = (await testBroker()).nodes[0]!;
  uri = node.amqpUri;
  managementUrl = node.managementUrl;
});

function profile(name: string, extra: Record<string, unknown>): Record<string, unknown> {
  return {
    name,
    broker: { uris: [uri] },
    queues: { type: 'stream', count: 2, namePattern: `mqbench-stream-${name}-<n>` },
    publishers: { count: 2, rate: 500, messageSize: 100 },
    consumers: { count: 2, prefetch: 100, ack: 'manual' },
    duration: '3s',
    warmup: '0s',
    drainTimeout: '10s',
    ...extra,
  };
}

function run(name: string, extra: Record<string, unknown>, during?: () => Promise<void>): Promise<{ cli: CliRun; r: RunResult }> {
  return runProfile(profile(name, extra), { prefix: `stream-${name}`, during, timeoutMs: 60_000 });
}

describe('stream queues', { timeout: 120_000 }, () => {
  test('a short run: every confirmed message consumed once, and the retained log is no backlog', async () => {
    const { cli, r } = await run('basic', {});
    assert.equal(cli.code, 0, cli.stderr);
    const d = r.delivery;
    assert.ok(d.published >= 2_000, `published ${d.published}`);
    assert.equal(d.confirmed, d.published);
    assert.equal(d.consumedUnique, d.published);
    assert.equal(d.lost, 0);
    assert.equal(d.unresolved, 0);
    assert.equal(d.duplicates, 0);
    assert.ok(r.backlog, 'the consumers\u2019 lag is read from the ticks');
    assert.equal(r.backlog.growing, false, r.backlog.message);
    assert.match(r.backlog.message, /consumer lag/);
    assert.equal(r.cluster.queueType, 'stream');
    assert.equal(r.verdict.status, 'ok');
  });

  test('a consumer\u2019s connection forced closed: it resumes after its last offset, nothing read twice or skipped', async () => {
    const { cli, r } = await run('resume', { duration: '8s' }, () => closeConnection(managementUrl, 'mqbench-consumer-0'));
    assert.equal(cli.code, 0, cli.stderr);
    assert.ok(r.eventCounts.connectionLost >= 1, 'the loss is in the timeline');
    assert.ok(r.eventCounts.recovered >= 1, 'and the recovery');
    const d = r.delivery;
    assert.equal(d.consumedUnique, d.published, 'every message arrived');
    assert.equal(d.duplicates, 0, 'nothing read again after the reconnect');
    assert.equal(d.lost, 0);
    assert.equal(d.unresolved, 0);
  });

  test('messages never consumed are still in the stream: read back from the log, unresolved and not lost', async () => {
    // The second stream has no consumer: its messages stay there, and queue.declare would report 0 of them.
    const { r } = await run('unread', { consumers: { count: 1, prefetch: 100, ack: 'manual' }, drainTimeout: '2s' });
    const d = r.delivery;
    assert.ok(d.notConsumed !== null && d.notConsumed >= 1_000, `not consumed ${d.notConsumed}`);
    assert.equal(d.queueDepthAtEnd, d.notConsumed, 'every one of them found in the stream');
    assert.equal(d.lost, 0);
    assert.equal(d.unresolved, d.notConsumed);
    assert.equal(d.consumedUnique + d.notConsumed, d.confirmed);
  });

  test('what a stream consumer cannot do is refused in one line before anything runs', async () => {
    for (const [consumers, field] of [
      [{ count: 2, ack: 'auto' }, 'consumers.ack'],
      [{ count: 2, prefetch: 0 }, 'consumers.prefetch'],
    ] as const) {
      const cli = await runCli(['run', writeProfile(profile('bad', { consumers })), '-q'], { timeoutMs: 20_000 });
      assert.equal(cli.code, 2, cli.stderr);
      const lines = cli.stderr.split('\n').filter((l) => l.includes(field));
      assert.equal(lines.length, 1, cli.stderr);
    }
    const purge = await runCli(['run', writeProfile(profile('bad', { queues: { type: 'stream', onStart: 'purge' } })), '-q'], { timeoutMs: 20_000 });
    assert.equal(purge.code, 2, purge.stderr);
    assert.match(purge.stderr, /queues\.onStart: a stream cannot be purged/);
  });
});

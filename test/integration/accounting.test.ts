/**
 * The account of every message against a real RabbitMQ node, one test per way a benchmark can
 * report loss, duplicates or reordering that did not happen (issue 7, section 3). Each provokes
 * the situation on the broker itself: a forced connection close, a full queue that nacks, an
 * unroutable message, messages of another producer, expiring messages, a backlog left behind.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import amqplib from 'amqplib';
import { MESSAGE_HEADER_BYTES, writeHeader } from '../../src/engine/messageHeader.js';
import type { RunResult } from '../../src/results/model.js';
import { closeConnection } from '../helpers/brokerControl.js';
import { runProfile, type CliRun } from '../helpers/cli.js';
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
    queues: { type: 'classic', namePattern: `mqbench-acct-${name}-<n>` },
    publishers: { count: 1, rate: 1000, messageSize: 100 },
    consumers: { count: 1 },
    duration: '2s',
    warmup: '0s',
    drainTimeout: '10s',
    ...extra,
  };
}

function run(name: string, extra: Record<string, unknown>, during?: () => Promise<void>): Promise<{ cli: CliRun; r: RunResult }> {
  return runProfile(profile(name, extra), { prefix: `acct-${name}`, during });
}

describe('a true account of every message', { timeout: 300_000 }, () => {
  test('a forced connection close: the publisher reconnects, its unconfirmed messages are not nacks, nothing is lost', async () => {
    const { cli, r } = await run('conn-loss', { publishers: { count: 1, rate: 0, confirms: { maxInFlight: 2000 } }, consumers: { count: 2 }, duration: '12s' }, () =>
      closeConnection(managementUrl, 'mqbench-publisher-0'),
    );
    assert.equal(cli.code, 0, cli.stderr);
    assert.equal(r.interrupted, false);
    assert.ok(r.eventCounts.connectionLost >= 1, 'the loss is in the timeline');
    assert.ok(r.eventCounts.recovered >= 1, 'and the recovery');
    assert.equal(r.delivery.nacked, 0, 'a dropped connection is not a broker nack');
    assert.ok(r.delivery.unconfirmedAtLoss > 0, `${r.delivery.unconfirmedAtLoss} in flight at the loss`);
    assert.ok(r.delivery.republished >= r.delivery.unconfirmedAtLoss);
    assert.equal(r.delivery.lost, 0);
    assert.equal(r.delivery.unresolved, 0);
    assert.equal(r.delivery.consumedUnique, r.delivery.published, 'every message arrived, the re-published ones too');
    assert.equal(r.verdict.status, 'ok');
  });

  test('a full queue nacks: counted as nacked, never as lost or unconfirmed at a loss', async () => {
    const { cli, r } = await run('nack', {
      queues: { type: 'classic', namePattern: 'mqbench-acct-nack-<n>', arguments: { 'x-max-length': 100, 'x-overflow': 'reject-publish' } },
      consumers: { count: 0 },
    });
    assert.equal(cli.code, 0, cli.stderr);
    assert.ok(r.delivery.nacked > 1000, `nacked ${r.delivery.nacked}`);
    assert.equal(r.delivery.confirmed, 100);
    assert.equal(r.delivery.unconfirmedAtLoss, 0);
  });

  test('an unroutable message counts once, as returned, never as lost', async () => {
    const { cli, r } = await run('returned', { publishers: { count: 1, rate: 500, exchange: 'mqbench-acct-unroutable', routingKey: 'nowhere' } });
    assert.equal(cli.code, 0, cli.stderr);
    assert.ok(r.delivery.returned > 500, `returned ${r.delivery.returned}`);
    assert.equal(r.delivery.returned, r.delivery.published);
    assert.equal(r.delivery.expected, 0);
    assert.equal(r.delivery.lost, 0);
  });

  test('messages of another producer or an earlier run in the queue are foreign: no latency, no duplicates, no loss', async () => {
    const queue = 'mqbench-acct-foreign-1';
    const conn = await amqplib.connect(uri);
    const ch = await conn.createConfirmChannel();
    await ch.deleteQueue(queue);
    await ch.assertQueue(queue, { durable: true, arguments: { 'x-queue-type': 'classic', 'x-queue-master-locator': 'client-local' } });
    const earlierRun = Buffer.alloc(MESSAGE_HEADER_BYTES);
    for (let i = 0; i < 50; i++) {
      writeHeader(earlierRun, { runId: 1, publisherId: 0, flags: 0, sequence: i, sentAtUs: 0, intendedAtUs: 0 });
      ch.sendToQueue(queue, earlierRun);
      ch.sendToQueue(queue, Buffer.alloc(MESSAGE_HEADER_BYTES)); // the right size, not ours
    }
    await ch.waitForConfirms();
    await conn.close();
    const { cli, r } = await run('foreign', { queues: { type: 'classic', namePattern: 'mqbench-acct-foreign-<n>', onStart: 'keep' } });
    assert.equal(cli.code, 0, cli.stderr);
    assert.equal(r.delivery.foreign, 100);
    assert.equal(r.delivery.duplicates, 0);
    assert.equal(r.delivery.outOfOrder, 0);
    assert.equal(r.delivery.lost, 0);
    assert.equal(r.latency.e2e.raw.count, r.delivery.consumedUnique, 'latency only of this run\'s messages');
  });

  test('redeliveries after a consumer\'s connection drops are counted as such, not as out of order', async () => {
    const { cli, r } = await run(
      'redeliver',
      { publishers: { count: 1, rate: 3000 }, consumers: { count: 2, prefetch: 1000, ack: 'multiple', ackEvery: 900 }, duration: '12s' },
      () => closeConnection(managementUrl, 'mqbench-consumer-0'),
    );
    assert.equal(cli.code, 0, cli.stderr);
    assert.ok(r.delivery.redelivered > 0, 'unacked messages came back redelivered');
    assert.equal(r.delivery.outOfOrder, 0);
    assert.equal(r.delivery.lost, 0);
    assert.ok(r.eventCounts.connectionLost >= 1);
  });

  test('confirmed messages that expire unconsumed are lost: exit 3, unless the profile allows loss', async () => {
    const expiring = { type: 'classic', namePattern: 'mqbench-acct-ttl-<n>', arguments: { 'x-message-ttl': 0 } };
    const lossy = { queues: expiring, publishers: { count: 1, rate: 3000 }, consumers: { count: 1, prefetch: 1 } };
    const { cli, r } = await run('ttl', lossy);
    assert.equal(cli.code, 3, cli.stderr);
    assert.equal(r.verdict.status, 'lost');
    assert.ok((r.delivery.lost ?? 0) > 0);
    assert.equal(r.delivery.queueDepthAtEnd, 0, 'proven gone: the queue was empty');
    assert.match(cli.stderr, /confirmed messages lost: [\d,]+ confirmed messages? of [\d,]+ lost/);
    const allowed = await run('ttl-allowed', { ...lossy, allowLoss: true });
    assert.equal(allowed.cli.code, 0, allowed.cli.stderr);
    assert.ok((allowed.r.delivery.lost ?? 0) > 0, 'still reported');
  });

  test('a backlog the drain could not empty is unresolved, not lost: exit 1', async () => {
    const { cli, r } = await run('backlog', { publishers: { count: 1, rate: 0 }, consumers: { count: 1, prefetch: 1 }, duration: '3s', drainTimeout: '1s' });
    assert.equal(cli.code, 1, cli.stderr);
    assert.equal(r.drain, 'timeout');
    assert.equal(r.verdict.status, 'failed');
    assert.ok((r.delivery.unresolved ?? 0) > 0, `unresolved ${r.delivery.unresolved}`);
    assert.equal(r.delivery.lost, 0);
    assert.ok((r.delivery.queueDepthAtEnd ?? 0) >= (r.delivery.unresolved ?? 0));
    assert.match(cli.stderr, /not consumed before the drain ended \(the queues still held/);
  });
});

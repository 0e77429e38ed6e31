import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ActivityRecorder } from '../../src/engine/activity.js';
import { Consumer } from '../../src/engine/consumer.js';
import { FLAG_REPUBLISHED, MESSAGE_HEADER_BYTES, writeHeader } from '../../src/engine/messageHeader.js';
import type { AgentEventType, ConsumerSettings } from '../../src/engine/protocol.js';
import { zeroCounters } from '../../src/metrics/counters.js';
import { createLatencySet } from '../../src/metrics/latencySet.js';
import { FakeBroker, type FakeChannel, type FakeConnection } from '../helpers/fakeClient.js';

const RUN_ID = 77;
const settings: ConsumerSettings = { prefetch: 10, rateMsgsPerS: 0, ack: 'manual', ackEvery: 1, queueDurable: true, queueArguments: {} };
const connection = { heartbeatS: 5, connectTimeoutMs: 100, reconnectInitialMs: 5, reconnectMaxMs: 20 };
const until = async (cond: () => boolean, ms = 2000): Promise<void> => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 2));
  }
};
const msg = (sequence: number, opts: { runId?: number; flags?: number; publisherId?: number } = {}): Buffer => {
  const b = Buffer.alloc(MESSAGE_HEADER_BYTES + 8);
  writeHeader(b, { runId: opts.runId ?? RUN_ID, publisherId: opts.publisherId ?? 0, flags: opts.flags ?? 0, sequence, sentAtUs: 0, intendedAtUs: 0 });
  return b;
};

async function setup() {
  const fake = new FakeBroker();
  const counters = zeroCounters();
  const events: AgentEventType[] = [];
  const c = new Consumer({ kind: 'consumer', id: 0, uri: 'amqp://fake-1', queue: 'q' }, settings, {
    counters,
    latencies: createLatencySet(),
    deliveryActivity: new ActivityRecorder(),
    recordCorrected: false,
    runId: RUN_ID,
    connection,
    emit: (type) => events.push(type),
  });
  const conn = (await fake.client().connect('amqp://fake-1', { connectionName: 't', timeoutMs: 100 })) as FakeConnection;
  const ch = (await conn.openChannel({ confirms: false })) as FakeChannel;
  await c.setup(ch);
  c.attach(ch);
  return { fake, counters, events, c, ch };
}

test('consumer: messages of another run or producer are counted as foreign, acked, and left out of the account', async () => {
  const { fake, counters, c, ch } = await setup();
  fake.enqueue('q', msg(0));
  fake.enqueue('q', msg(0, { runId: RUN_ID + 1 }));
  fake.enqueue('q', Buffer.from('not even a header'));
  await until(() => counters.consumed + counters.foreign === 3);
  assert.equal(counters.consumed, 1);
  assert.equal(counters.foreign, 2);
  assert.equal(ch.acked.length, 3, 'foreign messages are acked too, so they do not come back');
  assert.deepEqual(c.snapshot().received, [{ publisherId: 0, ranges: [[0, 1]] }]);
});

test('consumer: order is judged among first deliveries of original sends only', async () => {
  const { fake, counters } = await setup();
  fake.enqueue('q', msg(5));
  fake.enqueue('q', msg(3, { flags: FLAG_REPUBLISHED })); // a re-published copy: late by design
  fake.enqueue('q', msg(2), true); // a redelivery: late by design
  fake.enqueue('q', msg(5), true); // a duplicate
  fake.enqueue('q', msg(4)); // a real reordering
  await until(() => counters.consumed === 5);
  assert.equal(counters.outOfOrder, 1);
  assert.equal(counters.duplicates, 1);
  assert.equal(counters.redelivered, 2);
});

test('consumer: cancelled by the server, it subscribes again and goes on consuming', async () => {
  const { fake, counters, events } = await setup();
  fake.enqueue('q', msg(0));
  await until(() => counters.consumed === 1);
  fake.cancelConsumers('q');
  await until(() => events.includes('subscribed'));
  fake.enqueue('q', msg(1));
  await until(() => counters.consumed === 2);
  assert.deepEqual(events, ['consumerCancelled', 'subscribed']);
});

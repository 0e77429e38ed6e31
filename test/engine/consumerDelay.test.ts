import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ActivityRecorder } from '../../src/engine/activity.js';
import { Consumer } from '../../src/engine/consumer.js';
import { MESSAGE_HEADER_BYTES, writeHeader } from '../../src/engine/messageHeader.js';
import type { ConsumerSettings } from '../../src/engine/protocol.js';
import { zeroCounters } from '../../src/metrics/counters.js';
import { createLatencySet } from '../../src/metrics/latencySet.js';
import { FakeBroker, type FakeChannel, type FakeConnection } from '../helpers/fakeClient.js';

const RUN_ID = 78;
const until = async (cond: () => boolean, ms = 3000): Promise<void> => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 1));
  }
};
const msg = (sequence: number): Buffer => {
  const b = Buffer.alloc(MESSAGE_HEADER_BYTES);
  writeHeader(b, { runId: RUN_ID, publisherId: 0, flags: 0, sequence, sentAtUs: 0, intendedAtUs: 0 });
  return b;
};

async function setup(delayMs: number, ack: ConsumerSettings['ack'] = 'manual') {
  const fake = new FakeBroker();
  const counters = zeroCounters();
  const settings: ConsumerSettings = { prefetch: 10, rateMsgsPerS: 0, processingDelayMs: { min: delayMs, max: delayMs }, ack, ackEvery: 2, queueDurable: true, queueArguments: {} };
  const c = new Consumer({ kind: 'consumer', id: 0, uri: 'amqp://fake-1', queue: 'q' }, settings, {
    counters,
    latencies: createLatencySet(),
    deliveryActivity: new ActivityRecorder(),
    recordCorrected: false,
    runId: RUN_ID,
    connection: { heartbeatS: 5, connectTimeoutMs: 100, reconnectInitialMs: 5, reconnectMaxMs: 20 },
    emit: () => undefined,
  });
  const conn = (await fake.client().connect('amqp://fake-1', { connectionName: 't', timeoutMs: 100 })) as FakeConnection;
  const ch = (await conn.openChannel({ confirms: false })) as FakeChannel;
  await c.setup(ch);
  c.attach(ch);
  return { fake, counters, c, ch };
}

test('processing delay: deliveries are counted on arrival and acked one processing time after another', async () => {
  const { fake, counters, ch } = await setup(30);
  const start = Date.now();
  for (let i = 0; i < 3; i++) fake.enqueue('q', msg(i));
  await until(() => counters.consumed === 3);
  assert.equal(ch.acked.length, 0, 'nothing acked before its processing ends');
  await until(() => ch.acked.length === 1);
  assert.ok(ch.acked.length < 3, 'processed one at a time');
  await until(() => ch.acked.length === 3);
  const elapsed = Date.now() - start;
  assert.ok(elapsed >= 85, `3 deliveries of 30 ms took ${elapsed} ms`);
});

test('processing delay: stopping acks what was counted but is still processing, so the queue keeps nothing the account calls consumed', async () => {
  const { fake, counters, c, ch } = await setup(10_000, 'multiple');
  fake.enqueue('q', msg(0));
  fake.enqueue('q', msg(1));
  fake.enqueue('q', msg(2));
  await until(() => counters.consumed === 3);
  assert.equal(ch.acked.length, 0);
  const final = await c.stop();
  assert.deepEqual(final.received, [{ publisherId: 0, ranges: [[0, 3]] }]);
  assert.equal(ch.acked.length, 3);
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AmqpChannel } from '../../src/amqp/client.js';
import { ActivityRecorder } from '../../src/engine/activity.js';
import { nowUs } from '../../src/engine/clock.js';
import { headerField } from '../../src/engine/messageHeader.js';
import type { AgentEventType, PublisherSettings, PublisherSpec } from '../../src/engine/protocol.js';
import { Publisher } from '../../src/engine/publisher.js';
import { constantRate } from '../../src/engine/rateSchedule.js';
import { deliveryAccount } from '../../src/metrics/accounting.js';
import { zeroCounters } from '../../src/metrics/counters.js';
import { createLatencySet } from '../../src/metrics/latencySet.js';
import { FakeBroker, type FakeConnection } from '../helpers/fakeClient.js';

const RUN_ID = 0xabcdef;
const spec: PublisherSpec = { kind: 'publisher', id: 0, uri: 'amqp://fake-1', queue: 'q', exchange: '', routingKey: 'q' };
const settings = (over: Partial<PublisherSettings> = {}): PublisherSettings => ({
  rate: null,
  arrival: 'uniform',
  messageSize: { kind: 'fixed', bytes: 64 },
  persistent: true,
  confirms: true,
  maxInFlight: 10,
  messageLimit: 20,
  stallTimeoutMs: 100,
  onConnectionLoss: 'republish',
  ...over,
});
const until = async (cond: () => boolean, ms = 2000): Promise<void> => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 2));
  }
};

async function setup(over: Partial<PublisherSettings> = {}, declare = true) {
  const fake = new FakeBroker();
  if (declare) fake.declare('q');
  const counters = zeroCounters();
  const events: Array<{ type: AgentEventType; detail: string }> = [];
  const p = new Publisher(spec, settings(over), {
    counters,
    latencies: createLatencySet(),
    confirmActivity: new ActivityRecorder(),
    recordCorrected: false,
    runId: RUN_ID,
    emit: (type, detail) => events.push({ type, detail }),
  });
  const conn = (await fake.client().connect('amqp://fake-1', { connectionName: 't', timeoutMs: 100 })) as FakeConnection;
  const attachNew = async (c: FakeConnection): Promise<AmqpChannel> => {
    const ch = await c.openChannel({ confirms: true });
    ch.onClose(() => p.detach());
    p.attach(ch);
    return ch;
  };
  await attachNew(conn);
  return { fake, counters, events, p, conn, attachNew };
}

function account(p: Publisher, received: Array<[number, number]>) {
  return deliveryAccount({
    publishers: [p.final()],
    consumers: [{ consumerId: 0, received: [{ publisherId: 0, ranges: received }] }],
    confirms: true,
    publisherCount: 1,
    consumerCount: 1,
    counts: { duplicates: 0, redelivered: 0, outOfOrder: 0, foreign: 0 },
    issues: [],
    queueDepthAtEnd: 0,
  });
}

test('publisher: every message confirmed, header carries the run id, publisher and sequence', async () => {
  const { fake, counters, p } = await setup();
  let done = false;
  p.start(0, () => (done = true));
  await until(() => done && p.settled);
  assert.equal(counters.published, 20);
  assert.equal(counters.confirmed, 20);
  const q = fake.queues.get('q')!;
  assert.equal(q.length, 20);
  assert.ok(q.every((m) => headerField.isOurs(m.body, RUN_ID)));
  assert.deepEqual(q.map((m) => headerField.sequence(m.body)), [...Array(20).keys()]);
  assert.equal(headerField.isOurs(q[0]!.body, RUN_ID + 1), false, 'another run id is foreign');
  assert.deepEqual(p.final().confirmed, [[0, 20]]);
});

test('publisher: a basic.nack counts as nacked, never as lost in flight', async () => {
  const { fake, counters, p } = await setup();
  fake.confirmMode = 'nack';
  p.start(0, () => undefined);
  await until(() => p.settled);
  assert.equal(counters.nacked, 20);
  assert.equal(counters.unconfirmedAtLoss, 0);
  assert.deepEqual(p.final().nacked, [[0, 20]]);
  assert.deepEqual(p.final().inFlightAtLoss, []);
});

test('publisher: confirms lost with the connection are "unconfirmed at connection loss", not nacks, and are re-published (same sequence, flagged) on the next channel', async () => {
  const { fake, counters, p, conn, attachNew } = await setup({ messageLimit: 5 });
  fake.confirmMode = 'hold';
  p.start(0, () => undefined);
  await until(() => fake.held.length === 5);
  conn.drop();
  assert.equal(counters.nacked, 0, 'a dropped connection is not a broker nack');
  assert.equal(counters.unconfirmedAtLoss, 5);
  assert.equal(p.settled, false, 'five messages are owed');
  fake.confirmMode = 'ack';
  const conn2 = (await fake.client().connect('amqp://fake-2', { connectionName: 't', timeoutMs: 100 })) as FakeConnection;
  await attachNew(conn2);
  await until(() => p.settled);
  assert.equal(counters.republished, 5);
  assert.equal(counters.confirmed, 5);
  const final = p.final();
  assert.deepEqual(final.confirmed, [[0, 5]]);
  assert.deepEqual(final.inFlightAtLoss, [[0, 5]]);
  assert.equal(final.published, 5, 'still five distinct messages');
  const copies = fake.queues.get('q')!.filter((m) => (headerField.flags(m.body) & 1) === 1);
  assert.equal(copies.length, 5);
});

test('publisher: with "drop" the messages in flight at a loss are given up, not re-sent', async () => {
  const { fake, counters, p, conn, attachNew } = await setup({ messageLimit: 5, onConnectionLoss: 'drop' });
  fake.confirmMode = 'hold';
  p.start(0, () => undefined);
  await until(() => fake.held.length === 5);
  conn.drop();
  await attachNew((await fake.client().connect('amqp://fake-2', { connectionName: 't', timeoutMs: 100 })) as FakeConnection);
  await until(() => p.settled);
  assert.equal(counters.republished, 0);
  const a = account(p, []);
  assert.equal(a.unconfirmed, 5, 'no answer from the broker');
  assert.equal(a.expected, 0, 'nothing confirmed, so nothing expected');
  assert.equal(a.lost, 0);
});

test('publisher: a returned (unroutable) message counts once, as returned, and never as lost', async () => {
  const { counters, p } = await setup({ messageLimit: 4 }, false);
  p.start(0, () => undefined);
  await until(() => p.settled && counters.returned === 4);
  assert.equal(counters.confirmed, 4, 'RabbitMQ confirms a returned message too');
  const a = account(p, []);
  assert.equal(a.returned, 4);
  assert.equal(a.expected, 0);
  assert.equal(a.notConsumed, 0);
  assert.equal(a.lost, 0);
});

test('publisher: no confirm for longer than stallTimeout is reported as stalled, and the resumption too', async () => {
  const { fake, p, events } = await setup({ messageLimit: 3, stallTimeoutMs: 50 });
  fake.confirmMode = 'hold';
  p.start(0, () => undefined);
  await until(() => fake.held.length === 3);
  await new Promise((r) => setTimeout(r, 80));
  p.checkStall(nowUs());
  assert.equal(events.filter((e) => e.type === 'confirmsStalled').length, 1);
  fake.releaseHeld();
  await until(() => p.settled);
  assert.equal(events.filter((e) => e.type === 'confirmsResumed').length, 1);
});

test('publisher: a rate-limited publisher held up by the broker says how many messages it owes when it goes on', async () => {
  const { fake, p, events } = await setup({ rate: constantRate(1000), maxInFlight: 5, messageLimit: 1000 });
  fake.confirmMode = 'hold';
  p.start(nowUs(), () => undefined);
  await until(() => fake.held.length === 5);
  await new Promise((r) => setTimeout(r, 200)); // ~200 messages fall due while the window is full
  fake.confirmMode = 'ack';
  p.flow(false); // as when the broker lifts a memory alarm
  const catchUp = events.find((e) => e.type === 'catchUp');
  assert.ok(catchUp, 'the catch-up is reported');
  const owed = Number(/(\d+) message/.exec(catchUp.detail)?.[1]);
  assert.ok(owed > 100 && owed < 400, catchUp.detail);
  fake.releaseHeld();
  p.stopSending();
  await until(() => p.settled);
});

test('publisher: a rate schedule with a message limit sends at each step\'s pace, intended times from the schedule, and stops at the limit', async () => {
  // 2,000 msgs/s for 50 ms (100 messages), then 200 msgs/s: messages 100..119 come 5 ms apart.
  const rate = { pieces: [{ durationS: 0.05, fromMsgsPerS: 2000, toMsgsPerS: 2000 }], thenMsgsPerS: 200 };
  const { fake, counters, p } = await setup({ rate, maxInFlight: 50, messageLimit: 120 });
  let done = false;
  const startUs = nowUs();
  p.start(startUs, () => (done = true));
  await until(() => done && p.settled, 3000);
  const elapsedMs = (nowUs() - startUs) / 1000;
  assert.equal(counters.published, 120);
  const intended = fake.queues.get('q')!.map((m) => headerField.intendedAtUs(m.body) - startUs);
  assert.ok(Math.abs(intended[50]! - 25_000) < 1e-3, String(intended[50]));
  assert.ok(Math.abs(intended[100]! - 50_000) < 1e-3, String(intended[100]));
  assert.ok(Math.abs(intended[119]! - 145_000) < 1e-3, String(intended[119]));
  // The last message was not sent before it was due.
  const sent = fake.queues.get('q')!.map((m) => headerField.sentAtUs(m.body) - startUs);
  assert.ok(sent.every((t, i) => t >= intended[i]! - 1), 'nothing is sent before it is due');
  assert.ok(elapsedMs >= 145, `took ${elapsedMs} ms`);
});

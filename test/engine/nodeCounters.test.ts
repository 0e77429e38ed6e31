import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ActivityRecorder } from '../../src/engine/activity.js';
import { NodeTally } from '../../src/engine/nodeCounters.js';
import type { PublisherSpec } from '../../src/engine/protocol.js';
import { Publisher } from '../../src/engine/publisher.js';
import { AgentSession } from '../../src/engine/session.js';
import { TickCollector } from '../../src/engine/ticks.js';
import { zeroCounters, type Counters } from '../../src/metrics/counters.js';
import { createLatencySet, encodeSet } from '../../src/metrics/latencySet.js';
import { FakeBroker } from '../helpers/fakeClient.js';

const counts = (over: Partial<Counters>): Counters => ({ ...zeroCounters(), ...over });
const until = async (cond: () => boolean, ms = 3000): Promise<void> => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 2));
  }
};

test('node tally: connections\' counts land in their node\'s bucket, zeroed at the source; a take sums them and starts over', () => {
  const tally = new NodeTally();
  const a = counts({ published: 3, confirmed: 2 });
  const b = counts({ consumed: 7 });
  const c = counts({ published: 1, consumed: 1 });
  tally.flush('n1:5672', a);
  tally.flush('n2:5672', b);
  tally.flush('n1:5672', c);
  assert.deepEqual([a, b, c], [zeroCounters(), zeroCounters(), zeroCounters()]);
  const { total, byNode } = tally.take();
  assert.deepEqual(new Map(byNode), new Map([['n1:5672', counts({ published: 4, confirmed: 2, consumed: 1 })], ['n2:5672', counts({ consumed: 7 })]]));
  assert.deepEqual(total, counts({ published: 4, confirmed: 2, consumed: 8 }));
  assert.deepEqual(tally.take(), { total: zeroCounters(), byNode: [] });
});

test('tick collector: per-node counts of every worker are merged exactly, and the totals are unchanged', () => {
  const collector = new TickCollector();
  const latencies = encodeSet(createLatencySet());
  collector.open(1, 'measure', 1000, 1000, [0, 1]);
  const w0 = { counters: counts({ consumed: 5, published: 2 }), byNode: [['a', counts({ consumed: 4, published: 2 })], ['b', counts({ consumed: 1 })]] as Array<[string, Counters]>, latencies };
  const w1 = { counters: counts({ consumed: 6 }), byNode: [['b', counts({ consumed: 6 })]] as Array<[string, Counters]>, latencies };
  assert.equal(collector.add(1, 0, w0), undefined);
  const r = collector.add(1, 1, w1)!;
  assert.deepEqual(r.counters, counts({ consumed: 11, published: 2 }));
  assert.deepEqual(r.byNode, new Map([['a', counts({ consumed: 4, published: 2 })], ['b', counts({ consumed: 7 })]]));
  assert.deepEqual(w0.byNode[1]![1], counts({ consumed: 1 }), 'the reports are not changed by the merge');
});

test('attribution: messages lost in flight count on the node that lost them; their copies and confirms on the node the session moved to', async () => {
  const fake = new FakeBroker();
  fake.declare('q');
  const uris = ['amqp://fake-1', 'amqp://fake-2'];
  const spec: PublisherSpec = { kind: 'publisher', id: 0, uri: uris[0]!, queue: 'q', exchange: '', routingKey: 'q' };
  const counters = zeroCounters();
  const tally = new NodeTally();
  const publisher = new Publisher(
    spec,
    { rate: null, arrival: 'uniform', messageSize: { kind: 'fixed', bytes: 64 }, persistent: true, confirms: true, maxInFlight: 10, messageLimit: 5, stallTimeoutMs: 10_000, onConnectionLoss: 'republish' },
    { counters, latencies: createLatencySet(), confirmActivity: new ActivityRecorder(), recordCorrected: false, runId: 1, emit: () => undefined },
  );
  const session = new AgentSession({
    client: fake.client(),
    uris,
    connectionName: 'test',
    connection: { heartbeatS: 5, connectTimeoutMs: 100, reconnectInitialMs: 5, reconnectMaxMs: 20 },
    users: [{ label: 'publisher 0', confirms: true, setup: async () => undefined, onUp: (ch) => publisher.attach(ch), onDown: () => publisher.detach(), onEvent: () => undefined }],
    onLeaveNode: (node) => tally.flush(node, counters),
  });
  await session.open();
  fake.confirmMode = 'hold';
  publisher.start(0, () => undefined);
  await until(() => fake.held.length === 5);
  fake.confirmMode = 'ack';
  fake.open()[0]!.drop('node stopped');
  await until(() => publisher.settled);
  assert.equal(session.node, 'fake-2');
  tally.flush(session.node, counters);
  const { total, byNode } = tally.take();
  assert.deepEqual(new Map(byNode), new Map([['fake-1', counts({ published: 5, unconfirmedAtLoss: 5 })], ['fake-2', counts({ republished: 5, confirmed: 5 })]]));
  assert.deepEqual(total, counts({ published: 5, unconfirmedAtLoss: 5, republished: 5, confirmed: 5 }));
  await session.close();
});

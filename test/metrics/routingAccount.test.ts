import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ConsumerFinal, PublisherFinal } from '../../src/engine/protocol.js';
import type { RoutingTable } from '../../src/engine/routing.js';
import { deliveryAccount, type AccountInput } from '../../src/metrics/accounting.js';

const pub = (publisherId: number, confirmedTo: number, over: Partial<PublisherFinal> = {}): PublisherFinal => ({
  publisherId,
  published: confirmedTo,
  republished: 0,
  confirmed: [[0, confirmedTo]],
  nacked: [],
  returned: [],
  inFlightAtLoss: [],
  unconfirmedAtEnd: 0,
  ...over,
});
const got = (consumerId: number, ...received: Array<[publisherId: number, from: number, to: number]>): ConsumerFinal => ({
  consumerId,
  received: received.map(([publisherId, from, to]) => ({ publisherId, ranges: [[from, to]] })),
});
const input = (over: Partial<AccountInput>): AccountInput => ({
  publishers: [],
  consumers: [],
  confirms: true,
  publisherCount: 2,
  consumerCount: 3,
  counts: { duplicates: 0, redelivered: 0, outOfOrder: 0, foreign: 0 },
  issues: [],
  queueDepthAtEnd: 0,
  ...over,
});
const queues = ['q1', 'q2', 'q3'];

test('fanout: a message routed to 3 queues is expected 3 times, once per queue; a copy in each queue is no duplicate', () => {
  const routing: RoutingTable = { queues, publisherQueues: [[0, 1, 2]], consumerQueue: [0, 1, 2] };
  const a = deliveryAccount(input({ publishers: [pub(0, 100)], consumers: [got(0, [0, 0, 100]), got(1, [0, 0, 100]), got(2, [0, 0, 100])], routing, publisherCount: 1 }));
  assert.equal(a.confirmed, 100, 'messages, not copies');
  assert.equal(a.expected, 300);
  assert.equal(a.consumedUnique, 300);
  assert.equal(a.duplicates, 0);
  assert.equal(a.notConsumed, 0);
  assert.equal(a.lost, 0);
  assert.equal(a.consumedUnconfirmed, 0);
});

test('a copy missing from one queue is lost there even though the other queues had it', () => {
  const routing: RoutingTable = { queues, publisherQueues: [[0, 1, 2]], consumerQueue: [0, 1, 2] };
  const a = deliveryAccount(input({ publishers: [pub(0, 100)], consumers: [got(0, [0, 0, 100]), got(1, [0, 0, 100]), got(2, [0, 0, 90])], routing, publisherCount: 1 }));
  assert.equal(a.notConsumed, 10);
  assert.equal(a.lost, 10);
  assert.deepEqual(a.notConsumedRanges, [{ publisherId: 0, queue: 'q3', ranges: [[90, 100]] }]);
});

test('topic: publishers reaching 2 and 1 queues; two consumers on one queue share it; a second copy in the same queue is a duplicate', () => {
  // Publisher 0 → q1, q2; publisher 1 → q3; consumers 0 and 3 both read q1.
  const routing: RoutingTable = { queues, publisherQueues: [[0, 1], [2]], consumerQueue: [0, 1, 2, 0] };
  const a = deliveryAccount(
    input({
      publishers: [pub(0, 50), pub(1, 40)],
      consumers: [got(0, [0, 0, 30]), got(3, [0, 28, 50]), got(1, [0, 0, 50]), got(2, [1, 0, 40])],
      routing,
      consumerCount: 4,
    }),
  );
  assert.equal(a.expected, 50 * 2 + 40);
  assert.equal(a.consumedUnique, 140);
  assert.equal(a.duplicates, 2, 'sequence numbers 28 and 29 reached both consumers of q1');
  assert.equal(a.lost, 0);
});

test('a publisher routed nowhere expects nothing; a queue nobody routes to expects nothing; returned messages are never lost', () => {
  const routing: RoutingTable = { queues, publisherQueues: [[], [1]], consumerQueue: [0, 1, 2] };
  const a = deliveryAccount(
    input({ publishers: [pub(0, 20, { returned: [[0, 20]] }), pub(1, 10)], consumers: [got(1, [1, 0, 10])], routing }),
  );
  assert.equal(a.returned, 20);
  assert.equal(a.expected, 10);
  assert.equal(a.notConsumed, 0);
  assert.equal(a.lost, 0);
});

test('with one queue per publisher the routed account equals the unrouted one', () => {
  const publishers = [pub(0, 100), pub(1, 80, { nacked: [[80, 85]], published: 90 })];
  const consumers = [got(0, [0, 0, 60], [0, 59, 95]), got(1, [1, 0, 70], [1, 86, 88])];
  const plain = deliveryAccount(input({ publishers, consumers, consumerCount: 2, queueDepthAtEnd: 5 }));
  const routed = deliveryAccount(
    input({ publishers, consumers, consumerCount: 2, queueDepthAtEnd: 5, routing: { queues: ['q1', 'q2'], publisherQueues: [[0], [1]], consumerQueue: [0, 1] } }),
  );
  assert.deepEqual(
    { ...routed, notConsumedRanges: routed.notConsumedRanges.map(({ publisherId, ranges }) => ({ publisherId, ranges })) },
    plain,
  );
  assert.deepEqual(routed.notConsumedRanges.map((r) => r.queue), ['q1', 'q2']);
  assert.ok(plain.lost! > 0 && plain.duplicates > 0 && plain.consumedUnconfirmed > 0, 'the comparison covers loss, duplicates and unconfirmed deliveries');
});

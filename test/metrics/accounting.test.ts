import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { PublisherFinal } from '../../src/engine/protocol.js';
import { deliveryAccount, type AccountInput } from '../../src/metrics/accounting.js';
import { RangeSet } from '../../src/metrics/rangeSet.js';
import { rateStats } from '../../src/metrics/rateStats.js';
import { SequenceTracker } from '../../src/metrics/sequenceTracker.js';
import { zeroCounters } from '../../src/metrics/counters.js';

const pub = (over: Partial<PublisherFinal> = {}): PublisherFinal => ({
  publisherId: 0,
  published: 100,
  republished: 0,
  confirmed: [[0, 100]],
  nacked: [],
  returned: [],
  inFlightAtLoss: [],
  unconfirmedAtEnd: 0,
  ...over,
});
const input = (over: Partial<AccountInput>): AccountInput => ({
  publishers: [pub()],
  consumers: [],
  confirms: true,
  publisherCount: 1,
  consumerCount: 1,
  counts: { duplicates: 0, redelivered: 0, outOfOrder: 0, foreign: 0 },
  issues: [],
  queueDepthAtEnd: 0,
  ...over,
});

test('lost = confirmed, never consumed, and no longer in the queue; duplicates across consumers count', () => {
  const a = deliveryAccount(
    input({
      consumers: [
        { consumerId: 0, received: [{ publisherId: 0, ranges: [[0, 50]] }] },
        { consumerId: 1, received: [{ publisherId: 0, ranges: [[48, 97]] }] },
      ],
      counts: { duplicates: 1, redelivered: 0, outOfOrder: 2, foreign: 0 },
    }),
  );
  assert.equal(a.notConsumed, 3);
  assert.equal(a.lost, 3); // 97, 98, 99: the queue was empty at the end
  assert.deepEqual(a.notConsumedRanges, [{ publisherId: 0, ranges: [[97, 100]] }]);
  assert.equal(a.duplicates, 1 + 2); // 48 and 49 seen by both consumers
  assert.equal(a.consumedUnique, 97);
  assert.equal(a.outOfOrder, 2);
});

test('messages still in the queue at the end are unresolved, not lost; without a depth reading nothing is proven lost', () => {
  const consumers = [{ consumerId: 0, received: [{ publisherId: 0, ranges: [[0, 90]] as Array<[number, number]> }] }];
  const some = deliveryAccount(input({ consumers, queueDepthAtEnd: 4 }));
  assert.equal(some.notConsumed, 10);
  assert.equal(some.lost, 6, 'at most 4 of the 10 can be in the queue');
  assert.equal(some.unresolved, 4);
  const unknown = deliveryAccount(input({ consumers, queueDepthAtEnd: null }));
  assert.equal(unknown.lost, 0);
  assert.equal(unknown.unresolved, 10);
});

test('a returned message counts once, as returned, and is not expected', () => {
  const a = deliveryAccount(input({ publishers: [pub({ returned: [[10, 20]] })], consumers: [{ consumerId: 0, received: [{ publisherId: 0, ranges: [[0, 10], [20, 100]] }] }] }));
  assert.equal(a.returned, 10);
  assert.equal(a.expected, 90);
  assert.equal(a.lost, 0);
});

test('a worker without its final report makes the account incomplete, never loss', () => {
  const a = deliveryAccount(input({ consumers: [], issues: ['accounting incomplete for worker 1: ...'] }));
  assert.equal(a.complete, false);
  assert.equal(a.lost, null);
  assert.equal(a.notConsumed, null);
});

test('nacked, unconfirmed and in-flight-at-loss are told apart; unconfirmed messages that arrived are counted', () => {
  const a = deliveryAccount(
    input({
      publishers: [pub({ published: 10, confirmed: [[0, 6]], nacked: [[6, 8]], inFlightAtLoss: [[5, 10]] })],
      consumers: [{ consumerId: 0, received: [{ publisherId: 0, ranges: [[0, 6], [8, 9]] }] }],
    }),
  );
  assert.equal(a.confirmed, 6);
  assert.equal(a.nacked, 2);
  assert.equal(a.unconfirmed, 2); // 8 and 9: no answer at all
  assert.equal(a.unconfirmedAtLoss, 5);
  assert.equal(a.consumedUnconfirmed, 1); // 8 arrived although never confirmed
  assert.equal(a.lost, 0);
});

test('without confirms, loss is counted against what was published', () => {
  const a = deliveryAccount(input({ confirms: false, publishers: [pub({ publisherId: 3, published: 10, confirmed: [] })], consumers: [{ consumerId: 0, received: [{ publisherId: 3, ranges: [[0, 8]] }] }] }));
  assert.equal(a.lost, 2);
});

test('range sets: difference', () => {
  const a = RangeSet.from([[0, 10], [20, 30], [40, 50]]);
  const b = RangeSet.from([[5, 25], [45, 60]]);
  assert.deepEqual(a.difference(b).toRanges(), [[0, 5], [25, 30], [40, 45]]);
  assert.deepEqual(b.difference(a).toRanges(), [[10, 20], [50, 60]]);
  assert.equal(a.difference(new RangeSet()).size, 30);
  assert.equal(a.difference(a).size, 0);
});

test('sequence tracker: duplicates per consumer; order among first deliveries of original sends only', () => {
  const c = zeroCounters();
  const t = new SequenceTracker(c);
  for (const s of [0, 1, 2, 2, 5, 3, 6]) t.record(7, s, false, false);
  t.record(7, 4, true, false); // redelivered: not out of order
  t.record(7, 7, false, true); // a re-published copy: not judged
  t.record(8, 0, false, false);
  assert.equal(c.duplicates, 1);
  assert.equal(c.outOfOrder, 1);
  assert.deepEqual(t.final(1).received, [
    { publisherId: 7, ranges: [[0, 8]] },
    { publisherId: 8, ranges: [[0, 1]] },
  ]);
});

test('rate stats treat throughput as a distribution of per-second rates', () => {
  const s = rateStats([
    { count: 100, intervalMs: 1000 },
    { count: 300, intervalMs: 1000 },
    { count: 100, intervalMs: 500 },
  ]);
  assert.equal(s.total, 500);
  assert.equal(s.meanMsgsPerS, 200);
  assert.equal(s.minMsgsPerS, 100);
  assert.equal(s.maxMsgsPerS, 300);
  assert.equal(s.overallMsgsPerS, 200);
  assert.equal(s.stddevMsgsPerS, 100);
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { deliveryReport } from '../../src/metrics/delivery.js';
import { rateStats } from '../../src/metrics/rateStats.js';
import { SequenceTracker } from '../../src/metrics/sequenceTracker.js';
import { zeroCounters } from '../../src/metrics/counters.js';

test('lost = confirmed but never consumed; duplicates across consumers count', () => {
  const r = deliveryReport(
    [{ publisherId: 0, published: 100, confirmed: [[0, 100]], nacked: 0, unconfirmed: 0 }],
    [
      { consumerId: 0, received: [{ publisherId: 0, ranges: [[0, 50]] }] },
      { consumerId: 1, received: [{ publisherId: 0, ranges: [[48, 97]] }] },
    ],
    true,
    { duplicates: 1, outOfOrder: 2 },
  );
  assert.equal(r.lost, 3); // 97, 98, 99
  assert.equal(r.duplicates, 1 + 2); // 48 and 49 seen by both consumers
  assert.equal(r.consumedUnique, 97);
  assert.equal(r.outOfOrder, 2);
  assert.equal(r.tracked, true);
});

test('without confirms, loss is counted against what was published', () => {
  const r = deliveryReport(
    [{ publisherId: 3, published: 10, confirmed: [], nacked: 0, unconfirmed: 0 }],
    [{ consumerId: 0, received: [{ publisherId: 3, ranges: [[0, 8]] }] }],
    false,
    { duplicates: 0, outOfOrder: 0 },
  );
  assert.equal(r.lost, 2);
});

test('sequence tracker counts duplicates and reorders per consumer', () => {
  const c = zeroCounters();
  const t = new SequenceTracker(c);
  for (const s of [0, 1, 2, 2, 5, 3, 6]) t.record(7, s);
  t.record(8, 0);
  assert.equal(c.duplicates, 1);
  assert.equal(c.outOfOrder, 1);
  assert.deepEqual(t.final(1).received, [
    { publisherId: 7, ranges: [[0, 4], [5, 7]] },
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

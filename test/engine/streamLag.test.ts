import assert from 'node:assert/strict';
import { test } from 'node:test';
import { zeroCounters } from '../../src/metrics/counters.js';
import { createLatencySet } from '../../src/metrics/latencySet.js';
import { streamLagSamples } from '../../src/engine/streamLag.js';
import type { TickRecord } from '../../src/engine/ticks.js';

function tick(n: number, published: number, consumed: number, duplicates = 0): TickRecord {
  return {
    tick: n,
    phase: 'measure',
    endMs: n * 1000,
    intervalMs: 1000,
    counters: { ...zeroCounters(), published, consumed, duplicates },
    latencies: createLatencySet(),
    publisherSeqs: [],
    markers: [],
  };
}

test('stream lag: published so far minus first deliveries so far, in tick order, never below 0', () => {
  // Out of order on purpose: ticks are merged as workers report.
  const samples = streamLagSamples([tick(2, 100, 50, 10), tick(1, 100, 90), tick(3, 0, 80)]);
  assert.deepEqual(samples, [
    { tMs: 1000, depth: 10 },
    { tMs: 2000, depth: 70 }, // 200 published, 90 + 40 first deliveries: a duplicate is not progress
    { tMs: 3000, depth: 0 },
  ]);
});

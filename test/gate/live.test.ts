import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LiveThresholds } from '../../src/gate/liveThresholds.js';
import { thresholdsSchema, toThresholds } from '../../src/gate/thresholdSchema.js';
import type { TickRecord } from '../../src/engine/ticks.js';
import { createLatencySet, recordLatency } from '../../src/metrics/latencySet.js';
import { zeroCounters } from '../../src/metrics/counters.js';

function tick(n: number, phase: TickRecord['phase'], consumed: number, e2eUs: number): TickRecord {
  const latencies = createLatencySet();
  for (let i = 0; i < 100; i++) recordLatency(latencies, 'e2eCorrected', e2eUs);
  return { tick: n, phase, endMs: n * 1000, intervalMs: 1000, counters: { ...zeroCounters(), consumed }, latencies, publisherSeqs: [], markers: [] };
}

test('abortOnFail: crossed only after delayAbortEval of measured time, once, on what was measured so far', () => {
  const all = toThresholds(
    thresholdsSchema.parse({
      'rate.consumed': [{ threshold: 'mean >= 900', abortOnFail: true, delayAbortEval: '3s' }],
      'latency.e2e': ['p(99) < 1ms'],
    }),
  );
  const selected = LiveThresholds.select(all);
  assert.equal(selected.length, 1, 'only thresholds with abortOnFail');
  const reasons: string[] = [];
  const live = new LiveThresholds(selected, (r) => reasons.push(r));
  live.onTick(tick(1, 'warmup', 0, 1000)); // warm-up does not count
  live.onTick(tick(2, 'measure', 1000, 1000));
  live.onTick(tick(3, 'measure', 500, 1000)); // mean 750 < 900, but only 2 s measured
  assert.deepEqual(reasons, []);
  live.onTick(tick(4, 'measure', 700, 1000)); // 3 s: mean 733
  assert.equal(reasons.length, 1);
  assert.match(reasons[0]!, /rate\.consumed mean >= 900: mean was 733 after 3 s measured/);
  live.onTick(tick(5, 'measure', 0, 1000));
  assert.equal(reasons.length, 1, 'reported once');
  live.close();
});

test('abortOnFail on latency: the cumulative p(99) is held to the limit', () => {
  const t = toThresholds(thresholdsSchema.parse({ 'latency.e2e': [{ threshold: 'p(99) < 5ms', abortOnFail: true, delayAbortEval: '0s' }] }));
  const reasons: string[] = [];
  const live = new LiveThresholds(LiveThresholds.select(t), (r) => reasons.push(r));
  live.onTick(tick(1, 'measure', 100, 2000));
  assert.deepEqual(reasons, []);
  for (let i = 2; i < 4; i++) live.onTick(tick(i, 'measure', 100, 9000));
  assert.equal(reasons.length, 1);
  assert.match(reasons[0]!, /latency\.e2e p\(99\) < 5ms/);
  live.close();
});

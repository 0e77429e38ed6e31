import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { TickRecord } from '../../src/engine/ticks.js';
import type { AppliedStep } from '../../src/faults/types.js';
import { firstActivityAfter, gaps, longestGapOverlapping } from '../../src/metrics/availability.js';
import { zeroCounters } from '../../src/metrics/counters.js';
import { analyzeFaults } from '../../src/metrics/faultAnalysis.js';
import { createLatencySet } from '../../src/metrics/latencySet.js';
import { faultWindows } from '../../src/results/faultWindows.js';

test('gaps between 10 ms activity slots, bounded by the window', () => {
  // active 0-100 ms, 300-500 ms, 510-600 ms
  const active: Array<[number, number]> = [[0, 10], [30, 50], [51, 60]];
  assert.deepEqual(gaps(active, 10, 0, 700), [
    { fromMs: 100, toMs: 300, durationMs: 200 },
    { fromMs: 500, toMs: 510, durationMs: 10 },
    { fromMs: 600, toMs: 700, durationMs: 100 },
  ]);
  assert.deepEqual(gaps(active, 10, 350, 520), [{ fromMs: 500, toMs: 510, durationMs: 10 }]);
  assert.equal(longestGapOverlapping(gaps(active, 10, 0, 700), 250, 260)?.durationMs, 200, 'taken whole, not clipped');
  assert.equal(firstActivityAfter(active, 10, 120), 300);
  assert.equal(firstActivityAfter(active, 10, 320), 320);
  assert.equal(firstActivityAfter(active, 10, 600), undefined);
});

const tick = (n: number, endMs: number, seq: number, markers: string[] = []): TickRecord => ({
  tick: n,
  phase: 'measure',
  endMs,
  intervalMs: 1000,
  counters: { ...zeroCounters(), published: 100 },
  latencies: createLatencySet(),
  publisherSeqs: [[0, seq]],
  markers,
});
const step = (over: Partial<AppliedStep>): AppliedStep => ({
  index: 0,
  at: '2s',
  action: 'stop',
  target: 'leader',
  count: null,
  nodes: ['n1'],
  leaderBefore: 'n1',
  requestedMs: 2000,
  doneMs: 2500,
  error: null,
  ...over,
});

test('fault analysis: leader change, unavailability, recovery and loss by step and phase', () => {
  const steps = [step({}), step({ index: 1, at: '4s', action: 'start', requestedMs: 4000, doneMs: 4600 })];
  const report = analyzeFaults({
    steps,
    membership: [
      { tMs: 100, queue: 'q', leader: 'n1', members: ['n1', 'n2', 'n3'], online: ['n1', 'n2', 'n3'] },
      { tMs: 3100, queue: 'q', leader: 'n2', members: ['n1', 'n2', 'n3'], online: ['n2', 'n3'] },
    ],
    // confirms every slot except 2.1 s - 3.3 s; deliveries except 2.2 s - 3.5 s
    activity: { confirm: [[0, 210], [330, 600]], delivery: [[0, 220], [350, 620]] },
    ticks: [tick(1, 1000, 100), tick(2, 2000, 200, ['stop leader']), tick(3, 2500, 250), tick(4, 4000, 400), tick(5, 4600, 460), tick(6, 6000, 600)],
    publishers: [{ publisherId: 0, published: 600, republished: 0, confirmed: [[0, 600]], nacked: [], returned: [], inFlightAtLoss: [], unconfirmedAtEnd: 0 }],
    // 205..209 never arrived (published during the first step)
    consumers: [{ consumerId: 0, received: [{ publisherId: 0, ranges: [[0, 205], [210, 600]] }] }],
    confirms: true,
    measureStartMs: 0,
    measureEndMs: 6000,
    endMs: 6200,
    allNotConsumedLost: true,
  });
  const [stop, start] = report.steps;
  assert.equal(stop!.newLeader, 'n2');
  assert.equal(stop!.newLeaderAtMs, 3100);
  assert.deepEqual(stop!.confirmGap, { fromMs: 2100, toMs: 3300, durationMs: 1200 });
  assert.equal(stop!.confirmsResumedAfterMs, 1300);
  assert.equal(stop!.deliveriesResumedAfterMs, 1500);
  assert.equal(stop!.publishedInWindow, 200);
  assert.equal(stop!.notConsumedInWindow, 5);
  assert.equal(start!.notConsumedInWindow, 0);
  assert.deepEqual(report.phases.map((p) => [p.name, p.published, p.lost]), [
    ['before', 200, 0],
    ['during', 260, 5],
    ['after', 140, 0],
  ]);
  assert.equal(report.longestConfirmGap?.durationMs, 1200);
  assert.deepEqual(faultWindows(steps, 6200), [{ fromMs: 2000, toMs: 4600, label: 'stop n1' }]);
});

test('fault analysis: publishing that never resumed is reported as such, not as a recovery time', () => {
  const report = analyzeFaults({
    steps: [step({})],
    membership: [],
    activity: { confirm: [[0, 200]], delivery: [[0, 200]] },
    ticks: [tick(1, 2000, 200), tick(2, 3000, 200)],
    publishers: [],
    consumers: [],
    confirms: true,
    measureStartMs: 0,
    measureEndMs: 3000,
    endMs: 3000,
    allNotConsumedLost: true,
  });
  assert.equal(report.steps[0]!.confirmsResumedAfterMs, null);
  assert.equal(report.steps[0]!.deliveriesResumedAfterMs, null);
  assert.deepEqual(faultWindows(report.steps, 3000), [{ fromMs: 2000, toMs: 3000, label: 'stop n1 (restored at the end)' }]);
});

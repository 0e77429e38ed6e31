import assert from 'node:assert/strict';
import { test } from 'node:test';
import { backlogSummary } from '../../src/metrics/backlog.js';

const samples = (depths: number[]) => depths.map((depth, i) => ({ tMs: 3000 + i * 1000, depth }));

test('a queue growing by 2,000 msgs/s is a backlog, with its slope', () => {
  const b = backlogSummary(samples([0, 2100, 3900, 6000, 8100, 9900]), 5000)!;
  assert.equal(b.growing, true);
  assert.ok(Math.abs(b.growthMsgsPerS - 1980) < 30, String(b.growthMsgsPerS));
  assert.equal(b.startDepth, 0);
  assert.equal(b.endDepth, 9900);
  assert.equal(b.maxDepth, 9900);
  assert.match(b.message, /^backlog grew by 9,900 messages \(1,98\d msgs\/s\): consumers did not keep up/);
});

test('a steady or draining queue is not a backlog; small growth below the thresholds neither', () => {
  assert.equal(backlogSummary(samples([40, 80, 10, 60, 30]), 5000)!.growing, false);
  assert.equal(backlogSummary(samples([9000, 7000, 5000, 3000]), 5000)!.growing, false);
  // 40 msgs/s: under 50 msgs/s.
  assert.equal(backlogSummary(samples([1000, 1040, 1080, 1120]), 1000)!.growing, false);
  // 100 msgs/s but 2 % of 20,000 is 400: within what a busy queue swings.
  assert.equal(backlogSummary(samples([1000, 1100, 1200, 1300]), 20_000)!.growing, false);
  // Growing fast but never reaching 1,000 messages.
  assert.equal(backlogSummary(samples([0, 200, 400, 600]), 1000)!.growing, false);
  assert.match(backlogSummary(samples([40, 80, 10]), 5000)!.message, /^no growing backlog: queue depth 40 → 10 \(at most 80\)/);
});

test('fewer than 3 readings: no verdict', () => {
  assert.equal(backlogSummary(samples([0, 5000]), 5000), null);
  assert.equal(backlogSummary([], 5000), null);
});

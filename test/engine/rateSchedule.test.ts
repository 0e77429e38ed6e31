import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RateSchedule } from '../../src/engine/rateSchedule.js';

test('intended send times are evenly spaced from the start', () => {
  const s = new RateSchedule(1000, 5_000_000);
  assert.equal(s.intendedUs(0), 5_000_000);
  assert.equal(s.intendedUs(1), 5_001_000);
  assert.equal(s.intendedUs(10_000), 15_000_000);
});

test('due count follows the rate over 10 s at 1,000 msgs/s', () => {
  const s = new RateSchedule(1000, 0);
  assert.equal(s.dueCount(-1), 0);
  assert.equal(s.dueCount(0), 1);
  assert.equal(s.dueCount(999), 1);
  assert.equal(s.dueCount(1000), 2);
  // After 10 s exactly 10,000 messages (0..9,999) are due, plus message 10,000 at t = 10 s.
  assert.equal(s.dueCount(10_000_000 - 1), 10_000);
});

test('a late publisher still owes the missed messages: intended times do not move', () => {
  const s = new RateSchedule(100, 0);
  // 1 s of stall: 101 messages are due at once, each keeping its own intended time.
  assert.equal(s.dueCount(1_000_000), 101);
  assert.equal(s.intendedUs(50), 500_000);
});

test('rate 0 means unlimited', () => {
  const s = new RateSchedule(0, 0);
  assert.equal(s.limited, false);
  assert.equal(s.dueCount(0), Number.POSITIVE_INFINITY);
});

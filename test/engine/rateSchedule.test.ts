import assert from 'node:assert/strict';
import { test } from 'node:test';
import { constantRate, publisherPhase, RateSchedule } from '../../src/engine/rateSchedule.js';

test('intended send times are evenly spaced from the start', () => {
  const s = new RateSchedule(constantRate(1000), 5_000_000);
  assert.equal(s.intendedUs(0), 5_000_000);
  assert.equal(s.intendedUs(1), 5_001_000);
  assert.equal(s.intendedUs(10_000), 15_000_000);
});

test('due count follows the rate over 10 s at 1,000 msgs/s', () => {
  const s = new RateSchedule(constantRate(1000), 0);
  assert.equal(s.dueCount(-1), 0);
  assert.equal(s.dueCount(0), 1);
  assert.equal(s.dueCount(999), 1);
  assert.equal(s.dueCount(1000), 2);
  // After 10 s exactly 10,000 messages (0..9,999) are due, plus message 10,000 at t = 10 s.
  assert.equal(s.dueCount(10_000_000 - 1), 10_000);
});

test('a late publisher still owes the missed messages: intended times do not move', () => {
  const s = new RateSchedule(constantRate(100), 0);
  // 1 s of stall: 101 messages are due at once, each keeping its own intended time.
  assert.equal(s.dueCount(1_000_000), 101);
  assert.equal(s.intendedUs(50), 500_000);
});

test('rate 0 means unlimited', () => {
  const s = new RateSchedule(constantRate(0), 0);
  assert.equal(s.limited, false);
  assert.equal(s.dueCount(0), Number.POSITIVE_INFINITY);
});

test('uniform: each publisher is shifted by its own phase, so many publishers do not fire together', () => {
  assert.equal(publisherPhase(0), 0);
  const phases = Array.from({ length: 100 }, (_, i) => publisherPhase(i)).sort((a, b) => a - b);
  // 100 publishers at 10 msgs/s: their first sends spread over the 100 ms interval, no two within 0.1 ms.
  const firsts = phases.map((ph) => new RateSchedule(constantRate(10), 0, { phase: ph }).intendedUs(0));
  assert.ok(firsts.every((t) => t >= 0 && t < 100_000));
  for (let i = 1; i < firsts.length; i++) assert.ok(firsts[i]! - firsts[i - 1]! > 100, `${firsts[i - 1]} ${firsts[i]}`);
  const s = new RateSchedule(constantRate(10), 1_000_000, { phase: 0.5 });
  assert.equal(s.intendedUs(0), 1_050_000);
  assert.equal(s.intendedUs(2), 1_250_000);
  assert.equal(s.dueCount(1_049_999), 0);
  assert.equal(s.dueCount(1_050_000), 1);
  assert.equal(s.dueCount(1_250_000), 3);
});

test('poisson: mean gap 1/rate, exponential gaps (Kolmogorov–Smirnov, fixed seed), replayable, and due counts agree', () => {
  const rate = 1000;
  const n = 20_000;
  const s = new RateSchedule(constantRate(rate), 0, { arrival: 'poisson', seed: 42 });
  const times = Array.from({ length: n }, (_, i) => s.intendedUs(i));
  const gaps = times.map((t, i) => t - (i === 0 ? 0 : times[i - 1]!));
  const mean = gaps.reduce((a, b) => a + b, 0) / n;
  assert.ok(Math.abs(mean - 1000) < 20, `mean gap ${mean} µs`);
  // KS statistic against Exp(rate): sup |F_n(x) − (1 − e^{−x/1000})|; the 1 % critical value is 1.63/√n.
  const sorted = [...gaps].sort((a, b) => a - b);
  let d = 0;
  sorted.forEach((x, i) => {
    const f = 1 - Math.exp(-x / 1000);
    d = Math.max(d, Math.abs((i + 1) / n - f), Math.abs(i / n - f));
  });
  assert.ok(d < 1.63 / Math.sqrt(n), `KS D = ${d}`);
  // Not uniform: the gaps vary like an exponential's (coefficient of variation ≈ 1).
  const sd = Math.sqrt(gaps.reduce((a, g) => a + (g - mean) ** 2, 0) / (n - 1));
  assert.ok(Math.abs(sd / mean - 1) < 0.05, `CV ${sd / mean}`);
  // The same seed gives the same schedule; another seed another one.
  const again = new RateSchedule(constantRate(rate), 0, { arrival: 'poisson', seed: 42 });
  assert.equal(again.intendedUs(0), times[0]);
  assert.notEqual(new RateSchedule(constantRate(rate), 0, { arrival: 'poisson', seed: 43 }).intendedUs(0), times[0]);
  // dueCount: arrivals at or before a time, in step with intendedUs.
  const d2 = new RateSchedule(constantRate(rate), 5_000, { arrival: 'poisson', seed: 42 });
  assert.equal(d2.dueCount(5_000 + times[99]!), 100);
  assert.equal(d2.dueCount(5_000 + times[99]! - 0.001), 99);
  assert.equal(d2.intendedUs(100), 5_000 + times[100]!);
  assert.equal(d2.dueCount(5_000 + times[15_000]!), 15_001);
});

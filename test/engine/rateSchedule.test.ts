import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RateCurveSpec } from '../../src/engine/rateCurve.js';
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

const steps: RateCurveSpec = {
  pieces: [
    { durationS: 1, fromMsgsPerS: 1000, toMsgsPerS: 1000 },
    { durationS: 1, fromMsgsPerS: 3000, toMsgsPerS: 3000 },
  ],
  thenMsgsPerS: 3000,
};

/** How many of the first `n` intended times fall in [fromUs, toUs). */
function intendedIn(s: RateSchedule, n: number, fromUs: number, toUs: number): number {
  let k = 0;
  for (let i = 0; i < n; i++) {
    const t = s.intendedUs(i);
    if (t >= fromUs && t < toUs) k++;
  }
  return k;
}

test('steps, uniform: exactly each step\'s rate × its length per step, whatever the phase; the last rate holds', () => {
  for (const phase of [0, 0.37, 0.999]) {
    const s = new RateSchedule(steps, 2_000_000, { phase });
    assert.equal(intendedIn(s, 8000, 2_000_000, 3_000_000), 1000, `step 1, phase ${phase}`);
    assert.equal(intendedIn(s, 8000, 3_000_000, 4_000_000), 3000, `step 2, phase ${phase}`);
    assert.equal(intendedIn(s, 8000, 4_000_000, 5_000_000), 3000, `after the last step, phase ${phase}`);
    // Evenly spaced within a step: 1 ms apart, then 1/3 ms apart.
    assert.ok(Math.abs(s.intendedUs(501) - s.intendedUs(500) - 1000) < 1e-6);
    assert.ok(Math.abs(s.intendedUs(2001) - s.intendedUs(2000) - 1000 / 3) < 1e-6);
    // dueCount agrees with the intended times: each message is due from its own time on, not before.
    for (const i of [0, 1, 999, 1000, 1001, 3999, 4000, 6500]) {
      const t = s.intendedUs(i);
      assert.equal(s.dueCount(t), i + 1, `message ${i} due at its time (phase ${phase})`);
      assert.equal(s.dueCount(t - 0.01), i, `message ${i} not due before (phase ${phase})`);
    }
  }
});

test('steps: a publisher that falls behind owes what the schedule asked for, at the times it asked', () => {
  const s = new RateSchedule(steps, 0);
  // Stalled until 1.5 s: the whole first step plus half of the second are due at once.
  assert.equal(s.dueCount(1_500_000), 1000 + 1500 + 1);
  assert.equal(s.intendedUs(999), 999_000);
  assert.ok(Math.abs(s.intendedUs(2500) - 1_500_000) < 1e-6);
});

test('ramp, uniform: the messages due follow the integral of the linear rate, spaced by 1/rate of the moment', () => {
  // 0 → 2000 msgs/s over 2 s, then 2000 msgs/s: 2000 messages during the ramp.
  const ramp: RateCurveSpec = { pieces: [{ durationS: 2, fromMsgsPerS: 0, toMsgsPerS: 2000 }], thenMsgsPerS: 2000 };
  const s = new RateSchedule(ramp, 0, { phase: 0.5 });
  for (const tS of [0.1, 0.5, 1, 1.5, 2, 2.5]) {
    const integral = tS <= 2 ? 500 * tS * tS : 2000 + (tS - 2) * 2000;
    assert.equal(s.dueCount(tS * 1e6), Math.floor(integral - 0.5) + 1, `due at ${tS} s`);
    assert.equal(intendedIn(s, 5000, 0, tS * 1e6 + 1e-3), Math.floor(integral - 0.5) + 1, `intended by ${tS} s`);
  }
  assert.equal(intendedIn(s, 5000, 0, 1_000_000), 500);
  assert.equal(intendedIn(s, 5000, 1_000_000, 2_000_000), 1500);
  // Gaps shrink as the rate rises: about 1/rate(t).
  const gapAt = (i: number): number => s.intendedUs(i + 1) - s.intendedUs(i);
  const t1000 = s.intendedUs(1000) / 1e6; // ≈ 1.414 s, rate ≈ 1414 msgs/s
  assert.ok(Math.abs(gapAt(1000) - 1e6 / (1000 * t1000)) < 1, `gap ${gapAt(1000)} µs at ${t1000} s`);
  assert.ok(Math.abs(gapAt(3000) - 500) < 1e-6, 'after the ramp: 1/2000 s');
});

test('steps, poisson: a Poisson process with each step\'s rate (fixed seed; counts within 4 standard deviations, gaps exponential)', () => {
  const spec: RateCurveSpec = {
    pieces: [
      { durationS: 10, fromMsgsPerS: 500, toMsgsPerS: 500 },
      { durationS: 10, fromMsgsPerS: 2000, toMsgsPerS: 2000 },
    ],
    thenMsgsPerS: 2000,
  };
  const s = new RateSchedule(spec, 0, { arrival: 'poisson', seed: 7 });
  const times: number[] = [];
  for (let i = 0; ; i++) {
    const t = s.intendedUs(i);
    if (t >= 20e6) break;
    times.push(t);
  }
  const first = times.filter((t) => t < 10e6);
  const second = times.filter((t) => t >= 10e6);
  // A Poisson count with mean m has standard deviation √m.
  assert.ok(Math.abs(first.length - 5000) < 4 * Math.sqrt(5000), `step 1: ${first.length} arrivals, expected 5000`);
  assert.ok(Math.abs(second.length - 20_000) < 4 * Math.sqrt(20_000), `step 2: ${second.length} arrivals, expected 20000`);
  // Within the second step the gaps are exponential with mean 1/2000 s (Kolmogorov–Smirnov at 1 %).
  const gaps = second.slice(1).map((t, i) => t - second[i]!).sort((a, b) => a - b);
  let d = 0;
  gaps.forEach((x, i) => {
    const f = 1 - Math.exp(-x / 500);
    d = Math.max(d, Math.abs((i + 1) / gaps.length - f), Math.abs(i / gaps.length - f));
  });
  assert.ok(d < 1.63 / Math.sqrt(gaps.length), `KS D = ${d}`);
  // Due counts agree with the intended times (a replay with the same seed, asked in time order as a publisher does).
  const replay = new RateSchedule(spec, 0, { arrival: 'poisson', seed: 7 });
  assert.equal(replay.dueCount(times[4999]!), 5000);
  assert.equal(replay.dueCount(times[20_000]!), 20_001);
  assert.equal(replay.dueCount(20e6), times.length);
});

test('ramp, poisson: arrivals follow the integral of the rate (fixed seed, within 4 standard deviations per half)', () => {
  // 0 → 4000 msgs/s over 10 s: 5,000 expected in the first half, 15,000 in the second.
  const spec: RateCurveSpec = { pieces: [{ durationS: 10, fromMsgsPerS: 0, toMsgsPerS: 4000 }], thenMsgsPerS: 4000 };
  const s = new RateSchedule(spec, 0, { arrival: 'poisson', seed: 11 });
  const firstHalf = s.dueCount(5e6);
  const total = s.dueCount(10e6);
  assert.ok(Math.abs(firstHalf - 5000) < 4 * Math.sqrt(5000), `first half: ${firstHalf}`);
  assert.ok(Math.abs(total - firstHalf - 15_000) < 4 * Math.sqrt(15_000), `second half: ${total - firstHalf}`);
  assert.ok(s.intendedUs(total - 1) <= 10e6 && s.intendedUs(total) > 10e6);
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RateCurve, rateCurveOf } from '../../src/engine/rateCurve.js';

const close = (actual: number, expected: number, tolerance = 1e-9): void =>
  assert.ok(Math.abs(actual - expected) <= tolerance, `${actual} is not within ${tolerance} of ${expected}`);

test('rate curves from the profile: a number, steps (the last rate holds), a ramp (its end rate holds); 0 is unlimited', () => {
  assert.equal(rateCurveOf(0), null);
  assert.deepEqual(rateCurveOf(250), { pieces: [], thenMsgsPerS: 250 });
  assert.deepEqual(
    rateCurveOf({
      steps: [
        { rate: 1000, for: '30s' },
        { rate: 5000, for: '1m' },
      ],
    }),
    {
      pieces: [
        { durationS: 30, fromMsgsPerS: 1000, toMsgsPerS: 1000 },
        { durationS: 60, fromMsgsPerS: 5000, toMsgsPerS: 5000 },
      ],
      thenMsgsPerS: 5000,
    },
  );
  assert.deepEqual(rateCurveOf({ ramp: { from: 100, to: 5000, over: '500ms' } }), {
    pieces: [{ durationS: 0.5, fromMsgsPerS: 100, toMsgsPerS: 5000 }],
    thenMsgsPerS: 5000,
  });
});

test('steps: the count due is the integral of the rate, and its inverse gives the time back', () => {
  const c = new RateCurve(rateCurveOf({ steps: [{ rate: 1000, for: '2s' }, { rate: 3000, for: '1s' }, { rate: 500, for: '1s' }] })!);
  assert.equal(c.countAt(-1), 0);
  close(c.countAt(1), 1000);
  close(c.countAt(2), 2000);
  close(c.countAt(2.5), 3500);
  close(c.countAt(3), 5000);
  close(c.countAt(4), 5500);
  close(c.countAt(10), 5500 + 6 * 500, 1e-6); // the last step's rate holds
  close(c.timeOfCount(3500), 2.5);
  close(c.timeOfCount(5250), 3.5);
  close(c.timeOfCount(8500), 10, 1e-9);
  assert.equal(c.rateAt(1.999), 1000);
  assert.equal(c.rateAt(2), 3000);
  assert.equal(c.rateAt(99), 500);
  close(c.meanRate(1.5, 2.5), 2000);
  // Round trip at many points, in either order of lookups.
  for (const t of [3.9, 0.1, 2.2, 7, 1, 2.999, 0]) close(c.timeOfCount(c.countAt(t)), t, 1e-9);
});

test('ramp: the count due is the quadratic integral of a linear rate, inverted exactly; the end rate holds', () => {
  // 100 → 5000 msgs/s over 60 s: slope 81.67 msgs/s².
  const c = new RateCurve({ pieces: [{ durationS: 60, fromMsgsPerS: 100, toMsgsPerS: 5000 }], thenMsgsPerS: 5000 });
  const integral = (t: number): number => 100 * t + ((5000 - 100) / 60) * (t * t) / 2;
  for (const t of [0.001, 1, 10, 30, 59.999, 60]) {
    close(c.countAt(t), integral(t), 1e-6);
    close(c.timeOfCount(integral(t)), t, 1e-9);
  }
  close(c.countAt(60), (100 + 5000) / 2 * 60, 1e-6);
  close(c.countAt(70), 153_000 + 50_000, 1e-6);
  close(c.rateAt(30), 2550);
  close(c.meanRate(0, 60), 2550, 1e-9);
  // From 0 (nothing due at first) and falling ramps invert too.
  const up = new RateCurve({ pieces: [{ durationS: 10, fromMsgsPerS: 0, toMsgsPerS: 1000 }], thenMsgsPerS: 1000 });
  close(up.countAt(2), 200);
  close(up.timeOfCount(200), 2);
  close(up.timeOfCount(1e-9), Math.sqrt(2e-9 / 100), 1e-12);
  const down = new RateCurve({ pieces: [{ durationS: 10, fromMsgsPerS: 1000, toMsgsPerS: 100 }], thenMsgsPerS: 100 });
  close(down.countAt(10), 5500);
  for (const t of [0.5, 5, 9.99, 10]) close(down.timeOfCount(down.countAt(t)), t, 1e-9);
  close(down.timeOfCount(5600), 11);
});

test('a curve must end with a positive rate', () => {
  assert.throws(() => new RateCurve({ pieces: [], thenMsgsPerS: 0 }), /rate > 0/);
});

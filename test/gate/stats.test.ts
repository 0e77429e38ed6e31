import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mannWhitneyU, median, normalCdf } from '../../src/gate/stats.js';

test('median of odd and even samples', () => {
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, 3, 2]), 2.5);
  assert.ok(Number.isNaN(median([])));
});

test('Mann–Whitney U, exact: the reference values (as scipy.stats.mannwhitneyu, method="exact")', () => {
  // Fully separated 5 vs 5: the smallest two-sided p, 2/252.
  const sep = mannWhitneyU([6, 7, 8, 9, 10], [1, 2, 3, 4, 5]);
  assert.equal(sep.u, 25);
  assert.ok(sep.exact);
  assert.ok(Math.abs(sep.pValue - 2 / 252) < 1e-12, String(sep.pValue));
  // Interleaved: U = 10 of 25, p = 2 · 87/252.
  const mixed = mannWhitneyU([1, 3, 5, 7, 9], [2, 4, 6, 8, 10]);
  assert.equal(mixed.u, 10);
  assert.ok(Math.abs(mixed.pValue - 174 / 252) < 1e-12, String(mixed.pValue));
  // Symmetric in its arguments.
  assert.equal(mannWhitneyU([2, 4, 6, 8, 10], [1, 3, 5, 7, 9]).pValue, mixed.pValue);
  // 3 vs 3 separated: 2/20.
  assert.ok(Math.abs(mannWhitneyU([4, 5, 6], [1, 2, 3]).pValue - 0.1) < 1e-12);
});

test('Mann–Whitney U with ties: exact by enumeration for small samples, identical samples give p = 1', () => {
  const same = mannWhitneyU([5, 5, 5], [5, 5, 5]);
  assert.equal(same.pValue, 1);
  // A tie inside one side does not change the separated case: still 2/252.
  const sep = mannWhitneyU([10, 10, 11, 12, 13], [1, 2, 3, 4, 5]);
  assert.equal(sep.exact, true);
  assert.ok(Math.abs(sep.pValue - 2 / 252) < 1e-12, String(sep.pValue));
  // A tie across the sides: U = 24.5; splits at least as extreme: the 2 separated ones and the 2 with the tied values swapped.
  const across = mannWhitneyU([5, 6, 7, 8, 9], [1, 2, 3, 4, 5]);
  assert.equal(across.u, 24.5);
  assert.ok(Math.abs(across.pValue - 4 / 252) < 1e-12, String(across.pValue));
});

test('Mann–Whitney U with ties beyond the enumeration limit uses the normal approximation', () => {
  const a = Array.from({ length: 12 }, (_, i) => i);
  const b = Array.from({ length: 12 }, (_, i) => 100 + i);
  a[1] = a[0]!;
  const big = mannWhitneyU(a, b);
  assert.equal(big.exact, false);
  // z = (72 - 0.5) / sqrt(144/12 · (25 - 6/552)) ≈ 4.129 → p ≈ 3.6e-5
  assert.ok(Math.abs(big.pValue - 3.64e-5) < 0.2e-5, String(big.pValue));
});

test('Mann–Whitney U, 8 vs 8 with ties: still exact (12,870 splits)', () => {
  const tied = mannWhitneyU([1, 2, 2, 3, 4, 5, 6, 7], [8, 9, 10, 10, 11, 12, 13, 14]);
  assert.equal(tied.exact, true);
  assert.equal(tied.u, 0);
  assert.ok(Math.abs(tied.pValue - 2 / 12870) < 1e-12, String(tied.pValue));
});

test('normal CDF matches known points', () => {
  assert.ok(Math.abs(normalCdf(0) - 0.5) < 1e-7);
  assert.ok(Math.abs(normalCdf(1.959964) - 0.975) < 1e-6);
  assert.ok(Math.abs(normalCdf(-1.644854) - 0.05) < 1e-6);
});

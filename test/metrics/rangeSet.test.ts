import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RangeSet } from '../../src/metrics/rangeSet.js';

test('in-order values collapse into one range', () => {
  const s = new RangeSet();
  for (let i = 0; i < 1000; i++) assert.equal(s.add(i), true);
  assert.deepEqual(s.toRanges(), [[0, 1000]]);
  assert.equal(s.size, 1000);
});

test('duplicates are reported and not counted twice', () => {
  const s = new RangeSet();
  s.add(1);
  s.add(2);
  assert.equal(s.add(1), false);
  assert.equal(s.size, 2);
});

test('out-of-order values merge gaps', () => {
  const s = new RangeSet();
  for (const v of [0, 1, 5, 6, 3, 2, 4, 10]) s.add(v);
  assert.deepEqual(s.toRanges(), [[0, 7], [10, 11]]);
  assert.equal(s.size, 8);
  assert.equal(s.has(4), true);
  assert.equal(s.has(8), false);
});

test('addRange counts only new values', () => {
  const s = RangeSet.from([[0, 10], [20, 30]]);
  assert.equal(s.addRange(5, 25), 10);
  assert.deepEqual(s.toRanges(), [[0, 30]]);
});

test('countMissingFrom finds values in one set and not the other', () => {
  const confirmed = RangeSet.from([[0, 100]]);
  const received = RangeSet.from([[0, 40], [45, 100]]);
  assert.equal(confirmed.countMissingFrom(received), 5);
  assert.equal(received.countMissingFrom(confirmed), 0);
});

test('random inserts agree with a plain Set', () => {
  const s = new RangeSet();
  const ref = new Set<number>();
  let seed = 7;
  for (let i = 0; i < 5000; i++) {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    const v = seed % 2000;
    assert.equal(s.add(v), !ref.has(v));
    ref.add(v);
  }
  assert.equal(s.size, ref.size);
  for (let v = 0; v < 2000; v++) assert.equal(s.has(v), ref.has(v));
});

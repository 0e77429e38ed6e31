import assert from 'node:assert/strict';
import { test } from 'node:test';
import { throughputDifference, type CompareEntry } from '../../src/compare/entries.js';
import { renderCompare } from '../../src/report/compareTable.js';

const entry = (label: string, mean: number, stddev: number, n = 3): CompareEntry => ({
  label,
  throughput: { mean, stddev, n },
  noiseKind: 'repetitions',
  publishRate: mean,
  e2eP50Ms: 1,
  e2eP99Ms: 2,
  confirmP99Ms: 3,
  lost: 0,
});

test('a difference is real only beyond twice the combined noise', () => {
  const ref = entry('a', 1000, 30);
  const near = throughputDifference(entry('b', 950, 30), ref);
  assert.equal(Math.round(near.percent), -5);
  assert.equal(near.real, false);
  const far = throughputDifference(entry('c', 800, 30), ref);
  assert.equal(far.real, true);
  assert.equal(throughputDifference(entry('d', 800, 0, 1), entry('e', 1000, 0, 1)).noiseKnown, false);
});

test('the table names the reference and a verdict per entry', () => {
  const out = renderCompare([entry('classic', 1000, 30), entry('quorum', 600, 20), entry('classic again', 990, 25)]);
  assert.match(out, /classic\s+1000 ± 30\s+\(reference\)/);
  assert.match(out, /quorum\s+600 ± 20\s+-40\.0%.*slower/);
  assert.match(out, /classic again.*within noise/);
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runEntry, throughputDifference, type CompareEntry } from '../../src/compare/entries.js';
import type { RunResult } from '../../src/results/model.js';
import { faultRun, syntheticRun } from '../report/fixtures.js';
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
  problems: [],
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

test('loss not computed reads n/a, and verdicts that were not ok are named', () => {
  const out = renderCompare([entry('classic', 1000, 30), { ...entry('quorum', 990, 30), lost: null, problems: ['failed'] }, { ...entry('mirrored', 990, 30), lost: 12, problems: ['lost', 'lost'] }]);
  assert.match(out, /quorum .* n\/a \(failed\)$/m);
  assert.match(out, /mirrored .* 12 \(2× lost\)$/m);
  assert.match(out, /lost n\/a: some run's delivery account is incomplete/);
});

test('run entries carry the account: lost, n/a when incomplete, and a verdict that was not ok', () => {
  assert.deepEqual([runEntry(faultRun(), 'a.json').lost, runEntry(faultRun(), 'a.json').problems], [100, ['lost']]);
  assert.deepEqual([runEntry(faultRun({ incomplete: true }), 'a.json').lost, runEntry(faultRun({ incomplete: true }), 'a.json').problems], [null, ['failed']]);
  // A result written before verdicts existed.
  assert.deepEqual(runEntry({ ...syntheticRun(), verdict: undefined } as unknown as RunResult, 'old.json').problems, []);
});

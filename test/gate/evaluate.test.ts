import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GateInputError } from '../../src/gate/errors.js';
import { evaluateGate } from '../../src/gate/evaluate.js';
import type { GateSubject } from '../../src/gate/metrics.js';
import { thresholdsSchema, toThresholds } from '../../src/gate/thresholdSchema.js';
import { gateSubject } from '../../src/gate/subject.js';
import type { RepeatedResult, RunResult } from '../../src/results/model.js';
import { summarizeRuns } from '../../src/matrix/summarize.js';
import { faultRun, syntheticRun } from '../report/fixtures.js';

const thresholds = (t: Record<string, unknown[]>) => toThresholds(thresholdsSchema.parse(t));

function repeated(runs: RunResult[], file = 'r.json'): GateSubject {
  const r: RepeatedResult = {
    formatVersion: 2,
    kind: 'repeated',
    name: runs[0]!.name,
    profileSource: 'p.json',
    profile: runs[0]!.profile,
    environment: runs[0]!.environment,
    startedAt: runs[0]!.startedAt,
    endedAt: runs.at(-1)!.endedAt,
    interrupted: false,
    error: null,
    repeat: runs.length,
    interleavedWith: null,
    runs,
    failures: [],
    summary: summarizeRuns(runs),
  };
  return gateSubject({ kind: 'repeated', result: r }, file);
}

const single = (r: RunResult, file = 'one.json'): GateSubject => gateSubject({ kind: 'run', result: r }, file);
const runsAt = (rates: number[], seed0 = 1, scale = 2000) => rates.map((rate, i) => syntheticRun({ rate, seed: seed0 + i, latencyScaleUs: scale }));

test('absolute thresholds: pass and fail on the combined value', () => {
  const s = repeated(runsAt([1000, 1010, 990]));
  const report = evaluateGate(thresholds({ 'rate.consumed': ['mean >= 800', 'mean >= 5000'], 'delivery.lost': ['count == 0'], 'latency.e2e': ['p(99) < 1s', 'p(99) < 1ms'] }), s, null);
  assert.deepEqual(report.thresholds.map((t) => t.status), ['pass', 'fail', 'pass', 'pass', 'fail']);
  assert.equal(report.verdict, 'failed');
  assert.match(report.headline, /^failed: 2 of 5 thresholds crossed/);
  const p99 = report.thresholds[3]!;
  assert.equal(p99.unit, 'ms');
  assert.ok(p99.value > 1 && p99.value < 1000, String(p99.value));
});

test('relative: a 20 % drop on 5 vs 5 runs fails beyond the noise; the same setup passes', () => {
  const base = repeated(runsAt([1000, 1030, 985, 1012, 995], 1), 'base.json');
  const same = repeated(runsAt([1008, 990, 1021, 1002, 980], 11), 'same.json');
  const slower = repeated(runsAt([800, 812, 790, 805, 796], 21), 'slow.json');
  const t = thresholds({ 'rate.consumed': ['mean >= baseline - 10%'] });
  const ok = evaluateGate(t, same, base);
  assert.equal(ok.verdict, 'passed');
  assert.equal(ok.thresholds[0]!.status, 'pass');
  assert.ok(ok.thresholds[0]!.significance);
  const bad = evaluateGate(t, slower, base);
  assert.equal(bad.verdict, 'failed');
  const row = bad.thresholds[0]!;
  assert.equal(row.status, 'fail');
  assert.ok(row.significance!.pValue < 0.01, String(row.significance!.pValue));
  assert.ok(Math.abs(row.significance!.ratioOfMedians - 0.8) < 0.03);
  assert.ok(Math.abs(row.limit - 0.9 * row.baselineValue!) < 1e-9);
});

test('relative: crossing the limit within the noise is "no significant change", not a failure', () => {
  // Overlapping samples whose mean is 12 % lower: the ranks cannot tell them apart.
  const base = repeated(runsAt([1000, 700, 1300, 900, 1100], 1));
  const cur = repeated(runsAt([880, 620, 1150, 800, 950], 11));
  const report = evaluateGate(thresholds({ 'rate.consumed': ['mean >= baseline - 10%'] }), cur, base);
  assert.equal(report.thresholds[0]!.status, 'noChange');
  assert.equal(report.verdict, 'passed');
  assert.match(report.thresholds[0]!.detail, /no significant change/);
});

test('relative on single runs: no verdict, said so, and the gate does not fail', () => {
  const report = evaluateGate(thresholds({ 'rate.consumed': ['mean >= baseline - 10%'] }), single(syntheticRun({ rate: 500 })), single(syntheticRun({ rate: 1000 }), 'b.json'));
  assert.equal(report.thresholds[0]!.status, 'inconclusive');
  assert.equal(report.verdict, 'passed');
  assert.match(report.thresholds[0]!.detail, /single run: no verdict/);
  assert.ok(report.notes.some((n) => /--repeat/.test(n)));
});

test('latency relative to the baseline: 2 × slower latency fails', () => {
  const base = repeated(runsAt([1000, 1000, 1000, 1000, 1000], 1, 2000));
  const cur = repeated(runsAt([1000, 1000, 1000, 1000, 1000], 11, 4000));
  const report = evaluateGate(thresholds({ 'latency.e2e': ['p(99) <= baseline + 25%'], 'latency.confirm': ['p(50) <= baseline + 25%'] }), cur, base);
  assert.deepEqual(report.thresholds.map((t) => t.status), ['fail', 'fail']);
});

test('input errors: relative without a baseline, a metric the result does not have, no thresholds', () => {
  const s = single(syntheticRun());
  assert.throws(() => evaluateGate(thresholds({ 'rate.consumed': ['mean >= baseline - 10%'] }), s, null), (e: unknown) => e instanceof GateInputError && /no baseline was given/.test(e.message));
  assert.throws(() => evaluateGate(thresholds({ 'availability.unavailable': ['max < 5s'] }), s, null), (e: unknown) => e instanceof GateInputError && /availability.unavailable: missing in one.json: the result has no fault timeline/.test(e.message));
  assert.throws(() => evaluateGate([], s, null), GateInputError);
});

test('availability of a fault run is addressable', () => {
  const r = faultRun();
  const report = evaluateGate(thresholds({ 'availability.unavailable': ['max < 60s'], 'events.connectionLost': ['count >= 0'] }), single(r), null);
  assert.equal(report.thresholds[0]!.status, 'pass');
  assert.equal(report.thresholds[0]!.value, r.faults!.longestConfirmGap?.durationMs ?? 0);
});

test('key figures carry the baseline, the change and the between-run test', () => {
  const base = repeated(runsAt([1000, 1030, 985, 1012, 995], 1));
  const cur = repeated(runsAt([800, 812, 790, 805, 796], 21));
  const report = evaluateGate(thresholds({ 'delivery.lost': ['count == 0'] }), cur, base);
  const consumed = report.keyFigures.find((k) => k.label === 'consumed msgs/s')!;
  assert.ok(consumed.changePercent! < -15 && consumed.changePercent! > -25, String(consumed.changePercent));
  assert.ok(consumed.significance?.significant);
});

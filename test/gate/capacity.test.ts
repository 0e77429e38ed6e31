/**
 * The gate on capacity results: the metric capacity.sustainable, absolute and relative thresholds
 * (a single search has no noise estimate: no verdict, as a single run), and the errors for metrics
 * a capacity result does not hold. Unit tests on the evaluation, then the CLI (no broker).
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { GateInputError } from '../../src/gate/errors.js';
import { evaluateGate } from '../../src/gate/evaluate.js';
import { findMetric, metricCatalogue } from '../../src/gate/metrics.js';
import { renderGateTable } from '../../src/gate/output/table.js';
import { gateSubject } from '../../src/gate/subject.js';
import { thresholdsSchema, toThresholds } from '../../src/gate/thresholdSchema.js';
import type { CapacityResult } from '../../src/capacity/model.js';
import { runCli, tempDir } from '../helpers/cli.js';
import { capacityWith, referenceCapacity } from '../report/capacityFixtures.js';
import { syntheticRun } from '../report/fixtures.js';

const thresholds = (t: Record<string, unknown[]>) => toThresholds(thresholdsSchema.parse(t));
const subject = (r: CapacityResult, file = 'cap.json') => gateSubject({ kind: 'capacity', result: r }, file);
const isInputError = (pattern: RegExp) => (e: unknown) => e instanceof GateInputError && pattern.test(e.message);

describe('capacity.sustainable', () => {
  test('is in the registry with value and mean, in msgs/s, and in the catalogue --help prints', () => {
    const def = findMetric('capacity.sustainable')!;
    assert.equal(def.unit, 'msgs/s');
    assert.deepEqual([...def.statistics], ['value', 'mean']);
    assert.ok(metricCatalogue().some((l) => l.startsWith('capacity.sustainable (msgs/s; value, mean): ')));
    assert.throws(() => thresholdsSchema.parse({ 'capacity.sustainable': ['p(99) < 5'] }), /capacity\.sustainable has no p\(99\): use value, mean/);
  });

  test('absolute thresholds hold the search’s sustainable rate: pass, and fail when crossed', () => {
    const s = subject(referenceCapacity());
    const report = evaluateGate(thresholds({ 'capacity.sustainable': ['mean >= 4000', 'value >= 5000'] }), s, null);
    assert.deepEqual(report.thresholds.map((t) => [t.status, t.value, t.unit]), [
      ['pass', 4246, 'msgs/s'],
      ['fail', 4246, 'msgs/s'],
    ]);
    assert.equal(report.verdict, 'failed');
    assert.deepEqual(report.subject, { file: 'cap.json', name: 'quorum-3node', kind: 'capacity', runs: 1 });
    assert.deepEqual(report.keyFigures.map((k) => [k.label, k.value]), [['sustainable msgs/s', 4246]]);
    assert.match(renderGateTable(report), /subject: cap\.json \(quorum-3node, capacity search\)/);
  });

  test('relative to a baseline capacity result: one search each, so no verdict — even for a large drop — and the gate passes', () => {
    const base = subject(capacityWith(4200), 'base.json');
    const report = evaluateGate(thresholds({ 'capacity.sustainable': ['mean >= baseline - 10%'] }), subject(capacityWith(3000)), base);
    const row = report.thresholds[0]!;
    assert.equal(row.status, 'inconclusive');
    assert.equal(row.significance, null);
    assert.equal(row.baselineValue, 4200);
    assert.ok(Math.abs(row.limit - 3780) < 1e-9);
    assert.match(row.detail, /^single run: no verdict \(subject and baseline are capacity searches, one value each with no run-to-run noise estimate\): mean 3,000 msgs\/s \(-28\.6 % vs baseline 4,200\) beyond the limit 3,780$/);
    assert.equal(report.verdict, 'passed');
    assert.ok(report.notes.some((n) => /a capacity result is one search/.test(n)));
    assert.doesNotMatch(row.detail, /--repeat/);
  });

  test('no rate sustained in a finished search counts 0; a search that broke off has no value (exit 2)', () => {
    const none = evaluateGate(thresholds({ 'capacity.sustainable': ['value >= 1000'] }), subject(capacityWith(null)), null);
    assert.deepEqual(none.thresholds.map((t) => [t.status, t.value]), [['fail', 0]]);
    assert.throws(
      () => evaluateGate(thresholds({ 'capacity.sustainable': ['value >= 1000'] }), subject(capacityWith(null, { interrupted: true, error: 'SIGINT' })), null),
      isInputError(/capacity\.sustainable: missing in cap\.json: the search did not finish \(SIGINT\)/),
    );
    // A search that found a rate and then failed in its curve keeps its rate, with a note.
    const curveFailed = evaluateGate(thresholds({ 'capacity.sustainable': ['value >= 1000'] }), subject(capacityWith(4000, { error: 'step did not start' })), null);
    assert.equal(curveFailed.thresholds[0]!.status, 'pass');
    assert.ok(curveFailed.notes.some((n) => /subject capacity search ended with an error: step did not start/.test(n)));
  });

  test('run metrics on a capacity result, and capacity.sustainable on a run, are named as missing', () => {
    assert.throws(
      () => evaluateGate(thresholds({ 'rate.consumed': ['mean >= 1'] }), subject(referenceCapacity()), null),
      isInputError(/rate\.consumed: missing in cap\.json: a capacity result holds no run metrics, only capacity\.\* ones/),
    );
    assert.throws(
      () => evaluateGate(thresholds({ 'latency.e2e': ['p(99) < 1s'] }), subject(referenceCapacity()), null),
      isInputError(/latency\.e2e: missing in cap\.json: a capacity result holds no run metrics/),
    );
    const run = gateSubject({ kind: 'run', result: syntheticRun() }, 'run.json');
    assert.throws(
      () => evaluateGate(thresholds({ 'capacity.sustainable': ['value >= 1'] }), run, null),
      isInputError(/capacity\.sustainable: missing in run\.json: capacity\.sustainable is a figure of a capacity result \(mqbench capacity\), not of a run/),
    );
    // A run against a capacity baseline: the baseline lacks the run metric.
    assert.throws(
      () => evaluateGate(thresholds({ 'rate.consumed': ['mean >= baseline - 10%'] }), run, subject(referenceCapacity(), 'base.json')),
      isInputError(/rate\.consumed: missing in base\.json/),
    );
  });
});

describe('mqbench gate with a capacity result', () => {
  const dir = tempDir('gate-capacity');
  const file = (name: string, value: unknown): string => {
    const path = join(dir, name);
    writeFileSync(path, JSON.stringify(value));
    return path;
  };
  const current = file('current.json', capacityWith(4246));
  const slower = file('slower.json', capacityWith(3000));
  const t = (name: string, thresholdMap: Record<string, string[]>): string => file(name, { thresholds: thresholdMap });

  test('exit 0 when the sustainable rate holds, 99 when crossed, 2 for a run metric', async () => {
    const pass = await runCli(['gate', current, '--thresholds', t('ok.json', { 'capacity.sustainable': ['mean >= 4000'] })]);
    assert.equal(pass.code, 0, pass.stderr);
    assert.match(pass.stdout, /^gate: PASSED/);
    assert.match(pass.stdout, /capacity\.sustainable +mean >= 4000 +4246 msgs\/s +4000 msgs\/s/);
    const fail = await runCli(['gate', slower, '--thresholds', t('ok2.json', { 'capacity.sustainable': ['mean >= 4000'] })]);
    assert.equal(fail.code, 99, fail.stderr);
    assert.match(fail.stdout, /^gate: FAILED/);
    const bad = await runCli(['gate', current, '--thresholds', t('run.json', { 'rate.consumed': ['mean >= 1'] })]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /rate\.consumed: missing in current\.json: a capacity result holds no run metrics/);
    assert.doesNotMatch(bad.stderr, /\n\s+at /);
  });

  test('--baseline <capacity.json>: a relative threshold gets "single run: no verdict" and the gate passes', async () => {
    const r = await runCli(['gate', slower, '--baseline', current, '--thresholds', t('rel.json', { 'capacity.sustainable': ['value >= baseline - 10%'] })]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /inconclusive +single run: no verdict/);
    assert.match(r.stdout, /baseline: .*current\.json \(quorum-3node, capacity search\)/);
    const json = await runCli(['gate', slower, '--baseline', current, '--thresholds', t('rel2.json', { 'capacity.sustainable': ['value >= baseline - 10%'] }), '--json']);
    const report = JSON.parse(json.stdout) as { subject: { kind: string }; thresholds: Array<{ status: string }> };
    assert.equal(report.subject.kind, 'capacity');
    assert.equal(report.thresholds[0]!.status, 'inconclusive');
  });

  test('a capacity result cannot be saved as a named baseline: one line saying how to use it instead', async () => {
    const r = await runCli(['baseline', 'save', current, '--dir', join(dir, 'baselines')]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /current\.json: a capacity result is a baseline only for another capacity result, given by path .*; it cannot be saved as a named baseline/);
  });

  test('gate --help lists capacity.sustainable', async () => {
    const r = await runCli(['gate', '--help']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /capacity\.sustainable \(msgs\/s; value, mean\)/);
  });
});

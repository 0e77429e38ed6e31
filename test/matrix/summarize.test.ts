import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { MatrixResult } from '../../src/matrix/model.js';
import { matrixFailures, spreadMs, summarizeRuns } from '../../src/matrix/summarize.js';
import { renderMatrix } from '../../src/report/matrixTable.js';
import { matrixSummaryRows } from '../../src/results/matrixCsv.js';
import { faultRun, matrixFromRuns, syntheticRun } from '../report/fixtures.js';

describe('cell summaries under faults', () => {
  test('loss, duplicates and connection losses are summed; unavailability is mean ± stddev and max across repetitions', () => {
    const s = summarizeRuns([faultRun({ seed: 1, confirmGapMs: 1000, lost: 100 }), faultRun({ seed: 2, confirmGapMs: 2000, lost: 50 })])!;
    assert.equal(s.lost, 150);
    assert.equal(s.accountingIncomplete, 0);
    assert.equal(s.unresolved, 0);
    assert.equal(s.duplicates, 6);
    assert.equal(s.unconfirmedAtLoss, 40);
    assert.deepEqual(s.verdicts, ['lost', 'lost']);
    assert.equal(s.notOk, 2);
    const f = s.faults!;
    assert.equal(f.runs, 2);
    assert.equal(f.longestConfirmGapMs.mean, 1500);
    assert.ok(Math.abs(f.longestConfirmGapMs.stddev - Math.SQRT2 * 500) < 1e-9);
    assert.equal(f.longestConfirmGapMs.max, 2000);
    assert.equal(f.longestConfirmGapMs.n, 2);
    assert.deepEqual([f.longestDeliveryGapMs.mean, f.longestDeliveryGapMs.max], [1800, 2300]);
    // From steps[0] (the first applied step): resumed after the confirm gap.
    assert.deepEqual([f.publishResumedAfterMs.mean, f.publishResumedAfterMs.max, f.publishNotResumed], [1500, 2000, 0]);
    assert.deepEqual([f.consumeResumedAfterMs.mean, f.consumeNotResumed], [1810, 0]);
  });

  test('a run whose account is incomplete makes lost and unresolved null (not a sum of nulls as 0) and is counted', () => {
    const s = summarizeRuns([faultRun({ seed: 1 }), faultRun({ seed: 2, incomplete: true })])!;
    assert.equal(s.lost, null);
    assert.equal(s.unresolved, null);
    assert.equal(s.accountingIncomplete, 1);
    assert.deepEqual(s.verdicts, ['lost', 'failed']);
  });

  test('a run where publishing never resumed is counted apart, not averaged in', () => {
    const f = summarizeRuns([faultRun({ seed: 1, confirmGapMs: 1000 }), faultRun({ seed: 2, neverResumed: true })])!.faults!;
    assert.equal(f.publishNotResumed, 1);
    assert.equal(f.publishResumedAfterMs.n, 1);
    assert.equal(f.publishResumedAfterMs.mean, 1000);
    assert.equal(f.consumeNotResumed, 1);
  });

  test('without a fault timeline there is no fault summary; loss is still summed', () => {
    const s = summarizeRuns([syntheticRun({ seed: 1 }), syntheticRun({ seed: 2 })])!;
    assert.equal(s.faults, null);
    assert.equal(s.lost, 0);
    assert.deepEqual(s.verdicts, ['ok', 'ok']);
    assert.equal(s.notOk, 0);
    assert.deepEqual(spreadMs([]), { mean: 0, stddev: 0, n: 0, max: 0 });
  });

  test('interrupted runs are left out of the figures but their verdict is listed', () => {
    const interrupted = { ...faultRun({ seed: 3 }), interrupted: true, verdict: { status: 'interrupted' as const, message: 'Ctrl-C' } };
    const s = summarizeRuns([faultRun({ seed: 1, lost: 10 }), interrupted])!;
    assert.equal(s.repetitions, 1);
    assert.equal(s.lost, 10);
    assert.deepEqual(s.verdicts, ['lost', 'interrupted']);
    assert.equal(s.faults!.runs, 1);
  });
});

const faultMatrix = (allowLoss: boolean): MatrixResult =>
  matrixFromRuns('resilience', [
    { id: 'queues.type=quorum', label: 'quorum', values: { 'queues.type': 'quorum' }, runs: [faultRun({ seed: 1, lost: 0, allowLoss }), faultRun({ seed: 2, lost: 0, allowLoss })] },
    { id: 'queues.type=classic', label: 'classic', values: { 'queues.type': 'classic' }, runs: [faultRun({ seed: 3, lost: 120, allowLoss, confirmGapMs: 9000 })], overrides: { 'queues.durable': true } },
    { id: 'queues.type=classic-mirrored', label: 'classic-mirrored', values: { 'queues.type': 'classic-mirrored' }, runs: [faultRun({ seed: 4, incomplete: true, allowLoss })] },
  ]);

describe('matrix exit code', () => {
  test('a run that lost messages fails the matrix only when its profile does not allow loss', () => {
    const strict = matrixFailures(faultMatrix(false).cells);
    assert.ok(strict.some((f) => /^classic, repetition 1: 120 confirmed messages lost and the profile does not set allowLoss$/.test(f)), strict.join('\n'));
    const allowed = matrixFailures(faultMatrix(true).cells);
    assert.ok(!allowed.some((f) => f.startsWith('classic,')), allowed.join('\n'));
  });

  test('an incomplete account (verdict failed) and a failed repetition fail the matrix; all ok passes', () => {
    const m = faultMatrix(true);
    assert.deepEqual(matrixFailures(m.cells), ['classic-mirrored, repetition 1: worker 1 ended without its final report (its agents\' messages are not accounted for)']);
    m.cells[0]!.failures.push({ repetition: 3, error: 'ECONNREFUSED' });
    assert.ok(matrixFailures(m.cells).includes('quorum, repetition 3: ECONNREFUSED'));
    const ok = matrixFromRuns('ok', [{ id: 'a', label: 'a', values: { 'queues.type': 'classic' }, runs: [syntheticRun(), faultRun({ lost: 5, allowLoss: true })] }]);
    assert.deepEqual(matrixFailures(ok.cells), []);
  });
});

describe('matrix outputs with fault columns', () => {
  test('summary CSV: the existing columns stay; loss, unavailability and resumption are added; n/a is empty, not 0', () => {
    const rows = matrixSummaryRows(faultMatrix(true));
    const keys = Object.keys(rows[0]!);
    for (const k of ['cell', 'label', 'consume_rate_msgs_per_s_mean', 'e2e_p99_ms', 'relative_throughput', 'queue_type', 'nodes', 'ram_nodes', 'lost_msgs', 'duplicate_msgs']) assert.ok(keys.includes(k), k);
    const [quorum, classic, mirrored] = rows;
    assert.equal(classic!.lost_msgs, 120);
    assert.equal(classic!.unresolved_msgs, 0);
    assert.equal(classic!.unavailable_ms_mean, 9000);
    assert.equal(classic!.unavailable_ms_max, 9000);
    assert.equal(classic!.publish_resumed_after_ms_mean, 9000);
    assert.equal(classic!.delivery_gap_ms_mean, 9300);
    assert.equal(classic!.verdicts, 'ok');
    assert.equal(classic!.overrides, '{"queues.durable":true}');
    assert.equal(quorum!.unavailable_ms_mean, 1200);
    assert.equal(quorum!.unavailable_ms_stddev, 0);
    assert.equal(quorum!.lost_msgs, 0);
    assert.equal(mirrored!.lost_msgs, '');
    assert.equal(mirrored!.accounting_incomplete_runs, 1);
    assert.equal(mirrored!.verdicts, 'failed');
    const plain = matrixSummaryRows(matrixFromRuns('p', [{ id: 'a', label: 'a', values: {}, runs: [syntheticRun()] }]))[0]!;
    assert.deepEqual(Object.keys(plain), keys, 'every row has the same columns');
    assert.equal(plain.unavailable_ms_mean, '');
    assert.equal(plain.fault_runs, '');
  });

  test('terminal table: the fault table appears only when some cell has faults; incomplete loss reads n/a', () => {
    const out = renderMatrix(faultMatrix(false));
    assert.match(out, /under faults\s+lost\s+unresolved\s+duplicates\s+unconfirmed at loss\s+nacked \/ returned\s+no confirm s\s+no delivery s\s+verdicts/);
    assert.match(out, /quorum\s+0\s+0\s+6\s+40\s+0 \/ 0\s+1\.2 ± 0\.0 \(max 1\.2\)\s+1\.5 ± 0\.0 \(max 1\.5\)\s+2 ok/);
    assert.match(out, /classic\s+120\s+0\s+3\s+20\s+0 \/ 0\s+9\.0\s+9\.3\s+1 lost/);
    assert.match(out, /classic-mirrored\s+.*n\/a \(1 incomplete\)/);
    assert.match(out, /Runs whose verdict is not ok:\n {2}classic, repetition 1: LOST — 120 confirmed messages/);
    const plain = renderMatrix(matrixFromRuns('p', [{ id: 'a', label: 'a', values: {}, runs: [syntheticRun()] }]));
    assert.doesNotMatch(plain, /under faults|verdict is not ok/);
  });
});

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { parse } from 'csv-parse/sync';
import { clusterConflict } from '../../src/api/runRepeated.js';
import { decodeHistogram } from '../../src/metrics/histogram.js';
import { parseProfile } from '../../src/profile/load.js';
import { loadResult } from '../../src/results/loadResult.js';
import type { RepeatedResult, RunResult } from '../../src/results/model.js';
import { buildRepeatedResult, measuredRuns, repeatedAsMatrix, repeatedExitCode, repeatedSummaryRows, repetitionNumbers } from '../../src/results/repeated.js';
import { saveResult } from '../../src/results/save.js';
import { renderReport } from '../../src/report/html/renderReport.js';
import { tempDir } from '../helpers/cli.js';
import { faultRun, meanStdOf, syntheticRun } from '../report/fixtures.js';

/** The synthetic runs' profile is partial; the CSV reads a complete one. */
const PROFILE = parseProfile({ name: 'synthetic', broker: { uris: ['amqp://127.0.0.1:5672/'] }, queues: { type: 'quorum' }, publishers: { count: 1, rate: 1000 }, consumers: { count: 1 } }, 'synthetic.json');
const complete = (r: RunResult): RunResult => ({ ...r, profile: PROFILE });

const interrupted = (r: RunResult): RunResult => ({ ...r, interrupted: true, error: 'interrupted by Ctrl-C (SIGINT)', verdict: { status: 'interrupted', message: 'interrupted by Ctrl-C (SIGINT)' } });

function repeated(runs: RunResult[], extra: Partial<Parameters<typeof buildRepeatedResult>[0]> = {}): RepeatedResult {
  return buildRepeatedResult({
    profile: (runs[0] ?? syntheticRun()).profile,
    profileSource: 'profiles/synthetic.json',
    repeat: runs.length,
    interleavedWith: null,
    runs,
    failures: [],
    startedAt: new Date('2026-01-01T00:00:00Z'),
    endedAt: new Date('2026-01-01T00:01:00Z'),
    environment: syntheticRun().environment,
    ...extra,
  });
}

describe('building a repeated result from run results', () => {
  test('keeps every run and summarizes them: rates mean ± stddev across runs, latency from the merged histograms', () => {
    const runs = [syntheticRun({ seed: 1 }), syntheticRun({ seed: 2, rate: 900 }), syntheticRun({ seed: 3, latencyScaleUs: 6000 })];
    const r = repeated(runs, { interleavedWith: 'profiles/old.json' });
    assert.equal(r.kind, 'repeated');
    assert.equal(r.formatVersion, 2);
    assert.equal(r.name, 'synthetic');
    assert.deepEqual([r.repeat, r.interleavedWith, r.interrupted, r.error], [3, 'profiles/old.json', false, null]);
    assert.equal(r.runs.length, 3);
    assert.equal(r.startedAt, '2026-01-01T00:00:00.000Z');
    const s = r.summary!;
    assert.equal(s.repetitions, 3);
    const expected = meanStdOf(runs.map((x) => x.rates.consumed.overallMsgsPerS));
    assert.ok(Math.abs(s.consumeRate.mean - expected.mean) < 1e-9);
    assert.ok(Math.abs(s.consumeRate.stddev - expected.stddev) < 1e-9);
    assert.ok(s.consumeRate.stddev > 0);
    // Merged exactly: every recorded latency is in the merged histogram, and its p99 lies within the runs'.
    const merged = decodeHistogram(s.histograms.e2eCorrected);
    assert.equal(merged.totalCount, 3 * 20_000);
    merged.destroy();
    const p99s = runs.map((x) => x.latency.e2e.corrected.p99Ms);
    assert.ok(s.e2e.p99Ms > Math.min(...p99s) && s.e2e.p99Ms < Math.max(...p99s), `${s.e2e.p99Ms} not within ${p99s.join(', ')}`);
    assert.equal(s.lost, 0);
    assert.deepEqual(s.verdicts, ['ok', 'ok', 'ok']);
  });

  test('an interrupted repetition stays in runs (flagged) but out of the summary; the abort is the result\'s', () => {
    const runs = [syntheticRun({ seed: 1 }), syntheticRun({ seed: 2 }), interrupted(syntheticRun({ seed: 3, rate: 100 }))];
    const r = repeated(runs, { repeat: 5, failures: [{ repetition: 3, error: 'interrupted by Ctrl-C (SIGINT)' }], aborted: 'interrupted by Ctrl-C (SIGINT)' });
    assert.equal(r.interrupted, true);
    assert.equal(r.error, 'interrupted by Ctrl-C (SIGINT)');
    assert.equal(r.runs.length, 3);
    assert.equal(measuredRuns(r.runs).length, 2);
    assert.equal(r.summary!.repetitions, 2);
    assert.ok(r.summary!.consumeRate.mean > 800, 'the interrupted run at 100 msgs/s is not averaged in');
    assert.deepEqual(r.summary!.verdicts, ['ok', 'ok', 'interrupted']);
    assert.equal(repeated([interrupted(syntheticRun())]).summary, null);
  });

  test('repetition numbers skip repetitions that left no run; an interrupted last run keeps its own', () => {
    const two = [syntheticRun({ seed: 1 }), syntheticRun({ seed: 2 })];
    assert.deepEqual(repetitionNumbers({ runs: two, failures: [] }), [1, 2]);
    assert.deepEqual(repetitionNumbers({ runs: two, failures: [{ repetition: 2, error: 'did not start' }] }), [1, 3]);
    assert.deepEqual(
      repetitionNumbers({ runs: [syntheticRun(), interrupted(syntheticRun())], failures: [{ repetition: 1, error: 'ECONNREFUSED' }, { repetition: 3, error: 'interrupted' }] }),
      [2, 3],
    );
  });

  test('as a one-cell matrix: the same runs, failures and summary, no baseline cell', () => {
    const r = repeated([syntheticRun({ seed: 1 }), syntheticRun({ seed: 2 })], { failures: [{ repetition: 3, error: 'did not start' }] });
    const m = repeatedAsMatrix(r);
    assert.equal(m.kind, 'matrix');
    assert.equal(m.cells.length, 1);
    assert.equal(m.cells[0]!.runs, r.runs);
    assert.equal(m.cells[0]!.summary, r.summary);
    assert.deepEqual(m.cells[0]!.failures, r.failures);
    assert.equal(m.baselineCellId, null);
  });
});

describe('the exit code of repeated runs', () => {
  test('0 when every repetition is ok; 3 when one lost confirmed messages; 1 when one failed or nothing was measured; 3 wins over 1', () => {
    const ok = repeated([syntheticRun({ seed: 1 }), syntheticRun({ seed: 2 })]);
    assert.deepEqual(repeatedExitCode([ok]), { code: 0, lost: [], failed: [] });

    const lost = repeated([syntheticRun({ seed: 1 }), faultRun({ seed: 2, lost: 7 })]);
    const l = repeatedExitCode([ok, lost]);
    assert.equal(l.code, 3);
    assert.match(l.lost[0]!, /^synthetic, repetition 2: 7 confirmed messages of \d+ lost$/);

    // With allowLoss, loss is the measured result.
    assert.equal(repeatedExitCode([repeated([faultRun({ seed: 2, lost: 7, allowLoss: true })])]).code, 0);

    const failed = repeated([syntheticRun({ seed: 1 })], { repeat: 2, failures: [{ repetition: 2, error: 'worker 0: connect ECONNREFUSED' }] });
    assert.deepEqual(repeatedExitCode([failed]), { code: 1, lost: [], failed: ['synthetic, repetition 2: worker 0: connect ECONNREFUSED'] });
    assert.equal(repeatedExitCode([repeated([faultRun({ incomplete: true })])]).code, 1);
    assert.equal(repeatedExitCode([repeated([], { repeat: 2, failures: [{ repetition: 1, error: 'x' }, { repetition: 2, error: 'x' }] })]).code, 1);
    assert.match(repeatedExitCode([repeated([], { repeat: 1, failures: [{ repetition: 1, error: 'x' }] })]).failed.at(-1)!, /no repetition was measured/);
    assert.equal(repeatedExitCode([failed, lost]).code, 3);
  });
});

describe('writing and reading a repeated result', () => {
  test('JSON loads back as kind "repeated"; the summary CSV has a row per repetition and the summary row', async () => {
    const dir = tempDir('repeated-save');
    const runs = [syntheticRun({ seed: 1 }), syntheticRun({ seed: 2, rate: 800 }), syntheticRun({ seed: 3 })].map(complete);
    const r = repeated(runs);
    const files = await saveResult(r, dir, true);
    assert.equal(files.json, join(dir, 'synthetic-20260101T000000Z.json'));
    const loaded = await loadResult(files.json);
    assert.equal(loaded.kind, 'repeated');
    assert.deepEqual(loaded.result, JSON.parse(JSON.stringify(r)));

    const rows = parse(readFileSync(files.summaryCsv!, 'utf8'), { columns: true }) as Array<Record<string, string>>;
    assert.deepEqual(rows.map((x) => x.row), ['repetition', 'repetition', 'repetition', 'summary']);
    assert.deepEqual(rows.map((x) => x.repetition), ['1', '2', '3', '']);
    assert.deepEqual(rows.slice(0, 3).map((x) => Number(x.consume_rate_msgs_per_s)), runs.map((x) => x.rates.consumed.overallMsgsPerS));
    const summary = rows[3]!;
    assert.ok(Math.abs(Number(summary.consume_rate_msgs_per_s) - r.summary!.consumeRate.mean) < 1e-6);
    assert.ok(Math.abs(Number(summary.consume_rate_stddev_across_runs_msgs_per_s) - r.summary!.consumeRate.stddev) < 1e-6);
    assert.equal(summary.consume_rate_stddev_msgs_per_s, '', 'the per-second stddev has no meaning across runs');
    assert.equal(Number(summary.e2e_p99_ms), r.summary!.e2e.p99Ms);
    assert.ok(Number(summary.e2e_raw_p99_ms) > 0);
    assert.equal(summary.verdict, 'ok ok ok');
    assert.equal(summary.lost_msgs, '0');

    // Nothing measured: only the summary row, its figures empty.
    const empty = repeatedSummaryRows(repeated([], { profile: PROFILE, repeat: 2, failures: [{ repetition: 1, error: 'x' }, { repetition: 2, error: 'x' }] }));
    assert.deepEqual(empty.map((x) => [x.row, x.consume_rate_msgs_per_s]), [['summary', '']]);

    const series = parse(readFileSync(files.seriesCsv!, 'utf8'), { columns: true }) as Array<Record<string, string>>;
    assert.equal(series.length, runs.reduce((n, x) => n + x.series.length, 0));
    assert.deepEqual([...new Set(series.map((x) => x.repetition))], ['1', '2', '3']);
  });

  test('the HTML report shows one bar per repetition, every repetition\'s rate, the merged latency and each repetition\'s throughput', () => {
    const runs = [syntheticRun({ seed: 1 }), syntheticRun({ seed: 2, rate: 800 })];
    const r = repeated(runs, { interleavedWith: 'profiles/old.json' });
    const { html, charts } = renderReport({ kind: 'repeated', result: r }, { source: 'r.json' });
    assert.deepEqual(
      charts.map((c) => c.id),
      ['repeated-throughput', 'repeated-latency-e2e', 'repeated-latency-confirm', 'cell-1-rep-1-throughput', 'cell-1-rep-2-throughput', 'cell-1-latency-e2e', 'cell-1-latency-confirm'],
    );
    assert.equal(charts[0]!.points, 3 * 2, 'published, confirmed and consumed for each of the 2 repetitions');
    assert.match(html, /<title>mqbench repeated run: synthetic<\/title>/);
    for (const run of runs) assert.match(html, new RegExp(`consumed ${Math.round(run.rates.consumed.overallMsgsPerS).toLocaleString('en-US')} msgs/s`));
    assert.match(html, /synthetic, 2 repetitions merged/);
    assert.match(html, /alternated with those of <code>profiles\/old\.json<\/code>/);
    assert.match(html, /<h2>Repetitions of synthetic<\/h2>/);
  });
});

describe('--baseline-profile: two local clusters side by side', () => {
  const local = (name: string, local: Record<string, unknown>) =>
    parseProfile({ name, cluster: { local }, queues: { type: 'classic' }, publishers: { count: 1 }, consumers: { count: 1 } }, `${name}.json`);

  test('the same cluster is shared; another layout in the same state directory, or overlapping ports, is refused with the fix', () => {
    assert.equal(clusterConflict(local('a', { nodes: 3 }), local('b', { nodes: 3 })), null);
    assert.match(clusterConflict(local('a', { nodes: 3 }), local('b', { nodes: 3, layout: 'one-ram' }))!, /same state directory \.mqbench\/cluster .*disk,disk,disk.* vs .*disk,disk,ram.*own cluster\.local\.stateDir and basePort/);
    assert.match(clusterConflict(local('a', { nodes: 3 }), local('b', { nodes: 1, stateDir: '.mqbench/b', basePort: 5702 }))!, /would share ports/);
    assert.equal(clusterConflict(local('a', { nodes: 3 }), local('b', { nodes: 1, stateDir: '.mqbench/b', basePort: 5710 })), null);
  });
});

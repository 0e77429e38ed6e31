import { zeroCounters } from '../../src/metrics/counters.js';
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { MatrixCell } from '../../src/matrix/model.js';
import { createHistogram, encodeHistogram, recordUs } from '../../src/metrics/histogram.js';
import type { SeriesPoint } from '../../src/results/model.js';
import { latencyChart, latencyCurve, percentileAt, percentileCurve, phaseRange, pointCount, throughputBars, throughputChart } from '../../src/report/html/chartData.js';
import { escapeHtml, jsonForScript, scriptForInline } from '../../src/report/html/escape.js';
import { detectResult } from '../../src/results/loadResult.js';
import { beforeAfter, topologyView } from '../../src/report/html/topology.js';
import { UserError } from '../../src/util/userError.js';
import { matrixFromRuns, meanStdOf, syntheticRun } from './fixtures.js';

function encodedOf(values: number[]): string {
  const h = createHistogram();
  for (const v of values) recordUs(h, v);
  const encoded = encodeHistogram(h);
  h.destroy();
  return encoded;
}

function lcg(seed: number): () => number {
  return () => (seed = (seed * 48271) % 2147483647) / 2147483647;
}

describe('percentile curve', () => {
  const rnd = lcg(42);
  const values = Array.from({ length: 50_000 }, () => Math.round(500 + 20_000 * -Math.log(1 - rnd() * 0.9999)));
  const curve = percentileCurve(encodedOf(values));

  test('x strictly increases on the -log10(1-p) grid from 0 to at most 5 (99.999%), y never decreases', () => {
    assert.ok(curve.length > 50, `only ${curve.length} points`);
    assert.equal(curve[0]!.x, 0);
    for (let i = 1; i < curve.length; i++) {
      assert.ok(curve[i]!.x > curve[i - 1]!.x, `x at ${i}`);
      assert.ok(curve[i]!.y >= curve[i - 1]!.y, `y at ${i}: ${curve[i - 1]!.y} → ${curve[i]!.y}`);
    }
    assert.ok(curve.at(-1)!.x <= 5);
  });

  test('starts at the minimum, ends at the maximum, passes through p90 and p99 (in ms)', () => {
    const sorted = [...values].sort((a, b) => a - b);
    const near = (ms: number, us: number): boolean => Math.abs(ms * 1000 - us) / us < 0.002;
    assert.ok(near(curve[0]!.y, sorted[0]!), `min ${curve[0]!.y}`);
    assert.ok(near(curve.at(-1)!.y, sorted.at(-1)!), `max ${curve.at(-1)!.y} vs ${sorted.at(-1)! / 1000}`);
    const at = (x: number): number => curve.find((p) => Math.abs(p.x - x) < 1e-9)!.y;
    assert.ok(near(at(1), sorted[Math.ceil(0.9 * sorted.length) - 1]!), `p90 ${at(1)}`);
    assert.ok(near(at(2), sorted[Math.ceil(0.99 * sorted.length) - 1]!), `p99 ${at(2)}`);
    // 50,000 samples: the maximum is reached near the 99.998th percentile, before the 99.999th.
    assert.ok(curve.at(-1)!.x >= 4 && curve.at(-1)!.x <= 5, `ends at x=${curve.at(-1)!.x}`);
  });

  test('percentileAt maps the axis to percentiles: 0 → 0, 1 → 90, 2 → 99, 5 → 99.999', () => {
    assert.equal(percentileAt(0), 0);
    assert.ok(Math.abs(percentileAt(1) - 90) < 1e-9);
    assert.ok(Math.abs(percentileAt(2) - 99) < 1e-9);
    assert.ok(Math.abs(percentileAt(5) - 99.999) < 1e-9);
  });

  test('an empty histogram has no points; a single value one flat point', () => {
    assert.deepEqual(percentileCurve(encodedOf([])), []);
    assert.deepEqual(percentileCurve(encodedOf([1234])), [{ x: 0, y: 1.234 }]);
  });

  test('raw is kept only when it differs from corrected; the chart axis ends at a whole nine', () => {
    const same = encodedOf([100, 200, 300]);
    const histograms = { e2eCorrected: same, e2eRaw: same, confirmCorrected: encodedOf([500, 900]), confirmRaw: encodedOf([400, 800]) };
    assert.equal(latencyCurve('a', histograms, 'e2e').raw, null);
    assert.ok(latencyCurve('a', histograms, 'confirm').raw!.length > 0);
    const run = syntheticRun();
    const chart = latencyChart('id', 't', [{ label: 'run', histograms: run.histograms }], 'e2e')!;
    assert.equal(chart.curves.length, 1);
    assert.ok(Number.isInteger(chart.maxX) && chart.maxX >= 1 && chart.maxX <= 5);
    assert.ok(chart.curves[0]!.corrected.every((p) => p.x <= chart.maxX));
    const empty = encodedOf([]);
    assert.equal(latencyChart('id', 't', [{ label: 'x', histograms: { e2eCorrected: empty, e2eRaw: empty, confirmCorrected: empty, confirmRaw: empty } }], 'e2e'), null);
  });
});

describe('throughput over time', () => {
  const point = (tick: number, phase: SeriesPoint['phase'], tSeconds: number, intervalMs: number, rate: number): SeriesPoint => ({
    tick,
    phase,
    tSeconds,
    intervalMs,
    ...zeroCounters(),
    published: rate,
    confirmed: rate,
    consumed: rate,
    publishRateMsgsPerS: rate,
    confirmRateMsgsPerS: rate - 1,
    consumeRateMsgsPerS: rate - 2,
    e2eP50Ms: 1,
    e2eP99Ms: 2,
    confirmP99Ms: 1,
    faultActive: false,
    markers: [],
    queueDepth: null,
  });
  // Warm-up of 1.5 s cut into a full and a short interval, 3 s measured, 1.2 s drain.
  const series = [
    point(1, 'warmup', 1.0, 1000, 900),
    point(2, 'warmup', 1.5, 500, 950),
    point(3, 'measure', 2.5, 1000, 1000),
    point(4, 'measure', 3.5, 1000, 1000),
    point(5, 'measure', 4.5, 1000, 1000),
    point(6, 'drain', 5.5, 1000, 10),
    point(7, 'drain', 5.7, 200, 0),
  ];

  test('the warm-up band spans exactly the warm-up intervals; the drain band the drain intervals', () => {
    assert.deepEqual(phaseRange(series, 'warmup'), { from: 0, to: 1.5 });
    assert.deepEqual(phaseRange(series, 'measure'), { from: 1.5, to: 4.5 });
    assert.deepEqual(phaseRange(series, 'drain'), { from: 4.5, to: 5.7 });
    const chart = throughputChart('t', 'title', series);
    assert.deepEqual(
      chart.bands.map((b) => [b.kind, b.from, b.to]),
      [
        ['warmup', 0, 1.5],
        ['drain', 4.5, 5.7],
      ],
    );
  });

  test('one point per interval and rate, at the interval end', () => {
    const chart = throughputChart('t', 'title', series);
    assert.deepEqual(chart.series.published.map((p) => p.x), [1, 1.5, 2.5, 3.5, 4.5, 5.5, 5.7]);
    assert.deepEqual(chart.series.confirmed.map((p) => p.y), [899, 949, 999, 999, 999, 9, -1]);
    assert.equal(chart.series.consumed[2]!.y, 998);
    assert.equal(pointCount(chart), 21);
  });

  test('a rate schedule\'s target is a line of its own; none without a target', () => {
    assert.equal(throughputChart('t', 'title', series).target, null);
    const stepped = series.map((p, i) => ({ ...p, targetMsgsPerS: p.phase === 'drain' ? null : i < 3 ? 200 : 600 }));
    const chart = throughputChart('t', 'title', stepped);
    assert.deepEqual(chart.target, [
      { x: 1, y: 200 },
      { x: 1.5, y: 200 },
      { x: 2.5, y: 200 },
      { x: 3.5, y: 600 },
      { x: 4.5, y: 600 },
    ]);
  });

  test('a run without warm-up or drain has no bands', () => {
    assert.deepEqual(throughputChart('t', 'title', series.slice(2, 5)).bands, []);
    assert.equal(phaseRange([], 'warmup'), null);
  });
});

describe('matrix throughput bars', () => {
  test('bar = mean and error bar = sample stddev of the repetitions’ overall rates; skipped cells left out', () => {
    const a = [syntheticRun({ rate: 1000, seed: 1 }), syntheticRun({ rate: 800, seed: 2 }), syntheticRun({ rate: 900, seed: 3 })];
    const b = [syntheticRun({ rate: 500, seed: 4 })];
    const skipped: MatrixCell = { id: 'x', label: 'skipped', values: {}, skipped: 'invalid', runs: [], failures: [], summary: null, overrides: {} };
    const m = matrixFromRuns('m', [
      { id: 'a', label: 'A', values: { 'queues.type': 'classic' }, runs: a },
      { id: 'b', label: 'B', values: { 'queues.type': 'quorum' }, runs: b },
    ], [skipped]);
    const chart = throughputBars('bars', 'title', m)!;
    assert.deepEqual(chart.labels, ['A', 'B']);
    const published = chart.series.find((s) => s.key === 'published')!;
    const rates = a.map((r) => r.rates.published.overallMsgsPerS);
    const mean = rates.reduce((x, y) => x + y, 0) / rates.length;
    const sd = Math.sqrt(rates.reduce((s, r) => s + (r - mean) ** 2, 0) / (rates.length - 1));
    assert.ok(Math.abs(published.mean[0]! - mean) < 1e-9);
    assert.ok(Math.abs(published.stddev[0]! - sd) < 1e-9, `${published.stddev[0]} vs ${sd}`);
    assert.ok(sd > 50, 'repetitions at different rates spread');
    assert.deepEqual(published.n, [3, 1]);
    assert.equal(published.stddev[1], 0);
    const consumed = chart.series.find((s) => s.key === 'consumed')!;
    assert.deepEqual(consumed.stddev, [m.cells[0]!.summary!.consumeRate.stddev, 0]);
    assert.equal(pointCount(chart), 6);
    assert.equal(throughputBars('bars', 'title', { cells: [skipped] }), null);
    assert.deepEqual(meanStdOf([2, 4, 4, 4, 5, 5, 7, 9]).mean, 5);
  });
});

describe('topology, escaping, detection', () => {
  test('before → after shows only what changed', () => {
    assert.equal(beforeAfter('a', 'a'), 'a');
    assert.equal(beforeAfter('a', 'b'), 'a → b');
    assert.equal(beforeAfter(undefined, 'b'), '— → b');
    assert.equal(beforeAfter('a', undefined), 'a');
    assert.equal(beforeAfter(undefined, undefined), '—');
    const view = topologyView(syntheticRun().cluster)!;
    assert.match(view.summary, /local cluster, 3 nodes \(1 RAM\), quorum queue, layout disk,disk,ram/);
    assert.deepEqual(view.nodes.map((n) => [n.type, n.running, n.changed]), [
      ['disc', 'yes → no', true],
      ['disc', 'yes', false],
      ['ram', 'yes', false],
    ]);
    assert.equal(view.queues[0]!.leader, 'rabbit-1@host → rabbit-2@host');
    assert.equal(view.queues[0]!.online, '3/3 → 2/3 (offline: rabbit-1@host)');
    assert.equal(view.queues[0]!.changed, true);
    assert.equal(topologyView(undefined), null);
  });

  test('embedded JSON cannot end the script element and parses back unchanged', () => {
    const evil = { s: '</script><script>alert(1)</script><!-- & \u2028 "' };
    const out = jsonForScript(evil);
    assert.doesNotMatch(out, /<|>|&|\u2028/);
    assert.deepEqual(JSON.parse(out), evil);
    assert.equal(escapeHtml('<a href="x">&\'</a>'), '&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;');
    assert.equal(scriptForInline('var s = "</script>"; // <!--'), 'var s = "<\\/script>"; // <\\!--');
  });

  test('run and matrix results are told apart; anything else is a one-line user error (exit 2)', () => {
    assert.equal(detectResult({ kind: 'run', series: [] }, 'f').kind, 'run');
    assert.equal(detectResult({ kind: 'matrix', cells: [] }, 'f').kind, 'matrix');
    for (const bad of [null, [], { kind: 'run' }, { kind: 'other', series: [] }, 'x']) {
      assert.throws(
        () => detectResult(bad, 'f.json'),
        (err: unknown) => err instanceof UserError && err.exitCode === 2 && /^f\.json: not an mqbench result/.test(err.message),
      );
    }
  });
});

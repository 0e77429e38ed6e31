import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { CapacityStep } from '../../src/capacity/model.js';
import { capacityCurveChart, capacityPointCount, CURVE_METRICS, pointCount, queueDepthChart, visibleMetrics } from '../../src/report/html/chartData.js';
import { detectResult } from '../../src/results/loadResult.js';
import { capacityMatrix, referenceCapacity, step } from './capacityFixtures.js';
import { syntheticRun } from './fixtures.js';

describe('latency-vs-throughput chart data (capacity curves)', () => {
  const r = referenceCapacity();
  const curveSteps = r.capacity.steps.filter((s) => s.phase === 'curve');

  test('one capacity result: a line per latency figure through the curve steps, x = consumed msgs/s, y = that latency', () => {
    const chart = capacityCurveChart('c', 'curve', [{ label: r.name, steps: r.capacity.steps }])!;
    assert.equal(chart.type, 'capacity');
    assert.deepEqual(chart.curves, [r.name]);
    assert.deepEqual(
      chart.lines.map((l) => [l.curve, l.metric, l.points.length]),
      CURVE_METRICS.map((m) => [0, m, 6]),
    );
    const field = { e2eP50: 'e2eP50Ms', e2eP99: 'e2eP99Ms', confirmP50: 'confirmP50Ms', confirmP99: 'confirmP99Ms' } as const;
    for (const line of chart.lines) {
      line.points.forEach((p, i) => {
        const s = curveSteps[i]!;
        assert.ok(Math.abs(p.x - s.consumedMsgsPerS) < 0.05, `${line.metric} x at ${i}: ${p.x} vs consumed ${s.consumedMsgsPerS}`);
        assert.ok(Math.abs(p.y - s[field[line.metric]]) < 0.0005, `${line.metric} y at ${i}`);
        assert.equal(p.fraction, s.fraction);
        assert.equal(p.target, s.targetMsgsPerS);
      });
    }
    // Not the target: at 90 % the consumers took 3080 msgs/s of 3821 asked for.
    assert.equal(chart.lines[1]!.points[4]!.x, 3080);
    assert.equal(chart.lines[1]!.points[4]!.target, 3821);
  });

  test('the y axis is logarithmic, the x axis linear; every figure is shown, no selector', () => {
    const chart = capacityCurveChart('c', 'curve', [{ label: r.name, steps: r.capacity.steps }])!;
    assert.equal(chart.axes.y.type, 'logarithmic');
    assert.match(chart.axes.y.title, /log/);
    assert.equal(chart.axes.x.type, 'linear');
    assert.match(chart.axes.x.title, /consumed msgs\/s/);
    assert.equal(chart.choices, null);
    assert.deepEqual([...visibleMetrics(chart)].sort(), [...CURVE_METRICS].sort());
  });

  test('probe and search steps become faint e2e p99 points, split by what the search decided', () => {
    const chart = capacityCurveChart('c', 'curve', [{ label: r.name, steps: r.capacity.steps }])!;
    const byKind = Object.fromEntries(chart.searchPoints.map((g) => [g.kind, g.points]));
    assert.equal(byKind['probe']!.length, 1);
    assert.equal(byKind['sustained']!.length, 2);
    assert.equal(byKind['notSustained']!.length, 6);
    assert.deepEqual(
      byKind['sustained']!.map((p) => [p.x, p.y]),
      r.capacity.steps.filter((s) => s.sustainable === true).map((s) => [s.consumedMsgsPerS, s.e2eP99Ms]),
    );
    assert.equal(pointCount(chart), 4 * 6 + 9);
    // Without e2e p99 shown, the search points are not drawn.
    assert.equal(capacityPointCount(chart, ['e2eP50']), 6);
  });

  test('a matrix: one line per cell and figure, a selector showing e2e p99 first, points per choice', () => {
    const m = capacityMatrix();
    const cells = m.cells.filter((c) => c.capacity);
    const choices = CURVE_METRICS.map((metric) => ({ label: metric, metrics: [metric] }));
    const chart = capacityCurveChart(
      'm',
      'cells',
      cells.map((c) => ({ label: c.label, steps: c.capacity!.curve })),
      { choices: [choices[1]!, ...choices.filter((_, i) => i !== 1)] },
    )!;
    assert.deepEqual(chart.curves, ['classic, 1 node', 'quorum, 3 nodes']);
    assert.equal(chart.lines.length, 2 * 4);
    const e2eP99 = chart.lines.filter((l) => l.metric === 'e2eP99');
    assert.deepEqual(e2eP99.map((l) => l.curve), [0, 1]);
    assert.deepEqual(
      e2eP99[1]!.points.map((p) => p.x),
      cells[1]!.capacity!.curve.map((s) => Math.round(s.consumedMsgsPerS * 10) / 10),
    );
    assert.deepEqual(visibleMetrics(chart), ['e2eP99']);
    assert.equal(pointCount(chart), 2 * 3, 'two cells, three curve steps each');
    assert.equal(capacityPointCount(chart, ['confirmP50']), 6);
    assert.equal(chart.searchPoints.length, 0, 'curve steps only: no search points');
  });

  test('curve steps are joined in order of the fraction, whatever order they come in', () => {
    const steps = [0.5, 0.1, 1].map((f) => step('curve', f * 1000, f * 1000, 1000, { fraction: f }));
    const chart = capacityCurveChart('c', 'c', [{ label: 'x', steps }])!;
    assert.deepEqual(chart.lines[0]!.points.map((p) => p.fraction), [0.1, 0.5, 1]);
  });

  test('latency 0 (confirms off) cannot sit on a log axis: left out and counted; nothing drawable: null', () => {
    const steps = [0.5, 1].map((f) => step('curve', f * 1000, f * 1000, 1000, { fraction: f, confirmP50Ms: 0, confirmP99Ms: 0 }));
    const chart = capacityCurveChart('c', 'c', [{ label: 'x', steps }])!;
    assert.deepEqual(chart.lines.map((l) => l.metric), ['e2eP50', 'e2eP99']);
    assert.equal(chart.omitted, 4);
    const none: CapacityStep[] = [step('curve', 100, 100, 1000, { fraction: 0.1, e2eP50Ms: 0, e2eP99Ms: 0, confirmP50Ms: 0, confirmP99Ms: 0 })];
    assert.equal(capacityCurveChart('c', 'c', [{ label: 'x', steps: none }]), null);
    assert.equal(capacityCurveChart('c', 'c', []), null);
  });
});

describe('queue depth chart data', () => {
  test('one point per interval, null where no reading fell (a gap), with the throughput chart’s bands', () => {
    const run = syntheticRun();
    const chart = queueDepthChart('d', 'depth', run.series)!;
    assert.equal(chart.points.length, run.series.length);
    assert.deepEqual(
      chart.points.map((p) => p.y),
      run.series.map((p) => p.queueDepth),
    );
    assert.equal(pointCount(chart), run.series.filter((p) => p.queueDepth !== null).length);
    assert.deepEqual(chart.bands.map((b) => b.kind), ['warmup', 'drain']);
  });

  test('no reading at all (or a result older than depth readings): no chart', () => {
    const run = syntheticRun();
    assert.equal(queueDepthChart('d', 'd', run.series.map((p) => ({ ...p, queueDepth: null }))), null);
    const legacy = run.series.map((p) => {
      const { queueDepth, ...rest } = p;
      void queueDepth;
      return rest as typeof p;
    });
    assert.equal(queueDepthChart('d', 'd', legacy), null);
  });
});

describe('loading capacity results', () => {
  test('kind "capacity" with its steps is a capacity result; without steps it is not ours', () => {
    assert.equal(detectResult(referenceCapacity(), 'c.json').kind, 'capacity');
    assert.throws(() => detectResult({ kind: 'capacity', capacity: null }, 'c.json'), /c\.json: not an mqbench result .*"capacity"/);
  });
});

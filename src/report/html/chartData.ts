import type { CapacityStep } from '../../capacity/model.js';
import type { MatrixResult, MeanStd } from '../../matrix/model.js';
import { decodeHistogram } from '../../metrics/histogram.js';
import type { EncodedLatencySet } from '../../metrics/latencySet.js';
import type { FaultSection, SeriesPoint } from '../../results/model.js';
import {
  CURVE_METRICS,
  RATE_KEYS,
  type Band,
  type BarChart,
  type BarSeries,
  type CapacityChart,
  type ChartSpec,
  type CurveLine,
  type CurveMetric,
  type CurvePoint,
  type DepthChart,
  type LatencyChart,
  type LatencyCurve,
  type Marker,
  type RateKey,
  type SearchPoints,
  type ThroughputChart,
  type XY,
} from './chartSpec.js';

/**
 * Pure functions from results to the data the page's charts draw. Everything here ends up as JSON
 * embedded in the report, so it is plain data: no functions, no class instances.
 */

export * from './chartSpec.js';

const round = (x: number, digits: number): number => {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
};

// ---------------------------------------------------------------- throughput over time

const RATE_FIELD: Record<RateKey, keyof SeriesPoint> = {
  published: 'publishRateMsgsPerS',
  confirmed: 'confirmRateMsgsPerS',
  consumed: 'consumeRateMsgsPerS',
};

/**
 * The span of one phase in seconds since the start barrier: from the start of its first interval
 * (end minus length) to the end of its last one; null when the run had no such interval.
 */
export function phaseRange(series: readonly SeriesPoint[], phase: SeriesPoint['phase']): { from: number; to: number } | null {
  const points = series.filter((p) => p.phase === phase);
  if (points.length === 0) return null;
  const from = Math.min(...points.map((p) => p.tSeconds - p.intervalMs / 1000));
  const to = Math.max(...points.map((p) => p.tSeconds));
  return { from: Math.max(0, round(from, 3)), to: round(to, 3) };
}

/** "stop leader", "start node 2": a fault step in a few words. */
export function stepLabel(step: { action: string; target: string | number }): string {
  return `${step.action} ${typeof step.target === 'number' ? `node ${step.target}` : step.target}`;
}

/**
 * Published / confirmed / consumed msgs/s per interval, warm-up shaded and drain marked; with a
 * fault timeline, every fault window shaded (labelled with what was faulted) and every step that
 * was applied marked where it was requested.
 */
export function throughputChart(id: string, title: string, series: readonly SeriesPoint[], faults: Pick<FaultSection, 'windows' | 'steps'> | null = null): ThroughputChart {
  const rates = {} as Record<RateKey, XY[]>;
  for (const key of RATE_KEYS) rates[key] = series.map((p) => ({ x: p.tSeconds, y: Number(p[RATE_FIELD[key]]) }));
  const target = series.filter((p) => typeof p.targetMsgsPerS === 'number').map((p) => ({ x: p.tSeconds, y: p.targetMsgsPerS as number }));
  return { type: 'throughput', id, title, series: rates, target: target.length > 0 ? target : null, ...timeDecorations(series, faults) };
}

/** The shaded phases and fault windows, and the fault-step lines, of a chart over the run's time. */
export function timeDecorations(series: readonly SeriesPoint[], faults: Pick<FaultSection, 'windows' | 'steps'> | null): { bands: Band[]; markers: Marker[] } {
  const bands: Band[] = [];
  const warmup = phaseRange(series, 'warmup');
  if (warmup) bands.push({ kind: 'warmup', label: 'warm-up (excluded)', ...warmup });
  const drain = phaseRange(series, 'drain');
  if (drain) bands.push({ kind: 'drain', label: 'drain', ...drain });
  // Nodes faulted together (a partition of two, a stopped minority) share one band.
  const windows = new Map<string, Band>();
  for (const w of faults?.windows ?? []) {
    if (!(w.toMs > w.fromMs)) continue;
    const from = round(w.fromMs / 1000, 3);
    const to = round(w.toMs / 1000, 3);
    const label = w.label.replace(/@localhost\b/g, '');
    const same = windows.get(`${from}-${to}`);
    if (same) same.label += `, ${label}`;
    else windows.set(`${from}-${to}`, { kind: 'fault', label, from, to });
  }
  bands.push(...windows.values());
  const markers: Marker[] = (faults?.steps ?? [])
    .filter((s) => !s.error?.startsWith('not applied'))
    .map((s) => ({ at: round(s.requestedMs / 1000, 3), label: stepLabel(s), failed: s.error !== null }));
  return { bands, markers };
}

// ---------------------------------------------------------------- queue depth over time

/**
 * The queues' depth per interval (`series[].queueDepth`), with the throughput chart's bands and
 * step lines; intervals without a reading are gaps. null when no interval has a reading (more than
 * 100 queues, or a result written before depth was read).
 */
export function queueDepthChart(id: string, title: string, series: readonly SeriesPoint[], faults: Pick<FaultSection, 'windows' | 'steps'> | null = null): DepthChart | null {
  // Older results have no queueDepth field at all.
  const points = series.map((p) => ({ x: p.tSeconds, y: typeof p.queueDepth === 'number' ? p.queueDepth : null }));
  if (!points.some((p) => p.y !== null)) return null;
  return { type: 'depth', id, title, points, ...timeDecorations(series, faults) };
}

// ---------------------------------------------------------------- latency percentile distribution

/** Percentile (0 … 100) at a point of the x axis: x = -log10(1 - p/100). */
export const percentileAt = (x: number): number => 100 * (1 - 10 ** -x);

/** Step of the x grid: 20 points per "nine". */
const X_STEP = 0.05;
/** Up to the 99.999th percentile. */
const X_MAX = 5;

/**
 * The percentile distribution of an encoded histogram (µs), HdrHistogram style: points on a grid of
 * -log10(1 - p) from the 0th to the 99.999th percentile, latency in ms. The curve stops at the first
 * point that reaches the maximum (past it there is nothing more to learn, only a flat line), so
 * curves from fewer samples end further left. Empty histogram: no points.
 */
export function percentileCurve(encoded: string): XY[] {
  const h = decodeHistogram(encoded);
  try {
    if (h.totalCount === 0) return [];
    const top = h.getValueAtPercentile(100);
    const points: XY[] = [];
    const steps = Math.round(X_MAX / X_STEP);
    for (let i = 0; i <= steps; i++) {
      const x = round(i * X_STEP, 4);
      const us = h.getValueAtPercentile(percentileAt(x));
      points.push({ x, y: round(us / 1000, 3) });
      if (us >= top) break;
    }
    return points;
  } finally {
    h.destroy();
  }
}

const sameCurve = (a: XY[], b: XY[]): boolean => a.length === b.length && a.every((p, i) => p.x === b[i]!.x && p.y === b[i]!.y);

/** One labelled curve (corrected, and raw when it differs) from a set of encoded histograms. */
export function latencyCurve(label: string, histograms: EncodedLatencySet, which: 'e2e' | 'confirm'): LatencyCurve {
  const corrected = percentileCurve(which === 'e2e' ? histograms.e2eCorrected : histograms.confirmCorrected);
  const raw = percentileCurve(which === 'e2e' ? histograms.e2eRaw : histograms.confirmRaw);
  return { label, corrected, raw: raw.length === 0 || sameCurve(raw, corrected) ? null : raw };
}

/** A chart of one curve per entry (run, repetition or matrix cell); null when no entry has any latency. */
export function latencyChart(
  id: string,
  title: string,
  entries: ReadonlyArray<{ label: string; histograms: EncodedLatencySet }>,
  which: 'e2e' | 'confirm',
): LatencyChart | null {
  const curves = entries.map((e) => latencyCurve(e.label, e.histograms, which)).filter((c) => c.corrected.length > 0);
  if (curves.length === 0) return null;
  const lastX = Math.max(...curves.flatMap((c) => [c.corrected, c.raw ?? []]).map((pts) => pts.at(-1)?.x ?? 0));
  return { type: 'latency', id, title, curves, maxX: Math.min(X_MAX, Math.max(1, Math.ceil(lastX - 1e-9))) };
}

// ---------------------------------------------------------------- matrix: throughput by cell

const SUMMARY_FIELD = { published: 'publishRate', confirmed: 'confirmRate', consumed: 'consumeRate' } as const;

/**
 * Mean throughput per matrix cell with error bars of ± one sample standard deviation across the
 * cell's repetitions (from the cell summary). Cells without a summary (skipped, every repetition
 * failed) are left out; null when none is left.
 */
export function throughputBars(id: string, title: string, matrix: Pick<MatrixResult, 'cells'>): BarChart | null {
  const cells = matrix.cells.filter((c) => c.summary !== null);
  if (cells.length === 0) return null;
  const series = RATE_KEYS.map((key): BarSeries => {
    const stats: MeanStd[] = cells.map((c) => c.summary![SUMMARY_FIELD[key]]);
    return { key, mean: stats.map((s) => s.mean), stddev: stats.map((s) => s.stddev), n: stats.map((s) => s.n) };
  });
  return { type: 'bars', id, title, labels: cells.map((c) => c.label), series };
}

// ---------------------------------------------------------------- capacity: latency against throughput

const CURVE_FIELD: Record<CurveMetric, 'e2eP50Ms' | 'e2eP99Ms' | 'confirmP50Ms' | 'confirmP99Ms'> = {
  e2eP50: 'e2eP50Ms',
  e2eP99: 'e2eP99Ms',
  confirmP50: 'confirmP50Ms',
  confirmP99: 'confirmP99Ms',
};

const asPoint = (s: CapacityStep, metric: CurveMetric): CurvePoint => ({
  x: round(s.consumedMsgsPerS, 1),
  y: round(s[CURVE_FIELD[metric]], 3),
  target: round(s.targetMsgsPerS, 1),
  fraction: s.fraction,
});

/** A log axis has no place for 0 (or for a figure that is not a number). */
const drawable = (p: CurvePoint): boolean => Number.isFinite(p.x) && Number.isFinite(p.y) && p.y > 0;

/**
 * The latency-vs-throughput chart of one or more curves (a capacity result; the cells of a
 * capacity matrix): for each curve and latency figure, a line through its curve steps (phase
 * "curve") in order of the fraction, x = consumed msgs/s, y = latency ms (log axis); probe and
 * search steps become faint e2e p99 points. `choices` gives the page a selector showing one set of
 * figures at a time (a line per cell stays readable); without it every figure in `metrics` is
 * drawn. null when nothing can be drawn.
 */
export function capacityCurveChart(
  id: string,
  title: string,
  curves: ReadonlyArray<{ label: string; steps: readonly CapacityStep[] }>,
  opts: { metrics?: readonly CurveMetric[]; choices?: Array<{ label: string; metrics: CurveMetric[] }> } = {},
): CapacityChart | null {
  const choices = opts.choices && opts.choices.length > 0 ? opts.choices : null;
  const metrics = choices ? CURVE_METRICS.filter((m) => choices.some((c) => c.metrics.includes(m))) : (opts.metrics ?? CURVE_METRICS);
  const lines: CurveLine[] = [];
  const searchPoints: SearchPoints[] = [];
  let omitted = 0;
  curves.forEach((c, curve) => {
    const steps = c.steps
      .filter((s) => s.phase === 'curve')
      .map((s, i) => ({ s, i }))
      // By fraction (the order they are measured in); a step without one keeps its place at the end.
      .sort((a, b) => (a.s.fraction ?? Number.POSITIVE_INFINITY) - (b.s.fraction ?? Number.POSITIVE_INFINITY) || a.i - b.i)
      .map((x) => x.s);
    for (const metric of metrics) {
      const all = steps.map((s) => asPoint(s, metric));
      const points = all.filter(drawable);
      omitted += all.length - points.length;
      if (points.length > 0) lines.push({ curve, metric, points });
    }
    if (!metrics.includes('e2eP99')) return;
    const groups: Array<[SearchPoints['kind'], (s: CapacityStep) => boolean]> = [
      ['sustained', (s) => s.phase === 'search' && s.sustainable === true],
      ['notSustained', (s) => s.phase === 'search' && s.sustainable !== true],
      ['probe', (s) => s.phase === 'probe'],
    ];
    for (const [kind, member] of groups) {
      const all = c.steps.filter(member).map((s) => asPoint(s, 'e2eP99'));
      const points = all.filter(drawable);
      omitted += all.length - points.length;
      if (points.length > 0) searchPoints.push({ curve, kind, points });
    }
  });
  if (lines.length === 0 && searchPoints.length === 0) return null;
  return {
    type: 'capacity',
    id,
    title,
    curves: curves.map((c) => c.label),
    lines,
    searchPoints,
    choices,
    omitted,
    axes: { x: { type: 'linear', title: 'achieved rate: consumed msgs/s' }, y: { type: 'logarithmic', title: 'latency (ms, log scale)' } },
  };
}

/** The figures a capacity chart shows before anyone touches its selector. */
export function visibleMetrics(chart: CapacityChart): CurveMetric[] {
  if (chart.choices) return chart.choices[0]!.metrics;
  const shown = new Set(chart.lines.map((l) => l.metric));
  if (chart.searchPoints.length > 0) shown.add('e2eP99');
  return CURVE_METRICS.filter((m) => shown.has(m));
}

/** Points a capacity chart draws when `metrics` are shown. */
export function capacityPointCount(chart: CapacityChart, metrics: readonly CurveMetric[] = visibleMetrics(chart)): number {
  const lines = chart.lines.filter((l) => metrics.includes(l.metric)).reduce((n, l) => n + l.points.length, 0);
  return lines + (metrics.includes('e2eP99') ? chart.searchPoints.reduce((n, g) => n + g.points.length, 0) : 0);
}

/** Bands and markers a chart will draw (the page script reports what it drew, for the browser test). */
export function decorationCount(chart: ChartSpec): { bands: number; markers: number } {
  return chart.type === 'throughput' || chart.type === 'depth' ? { bands: chart.bands.length, markers: chart.markers.length } : { bands: 0, markers: 0 };
}

/** Data points a chart will draw (what the browser test expects the page to report per chart). */
export function pointCount(chart: ChartSpec): number {
  switch (chart.type) {
    case 'throughput':
      return RATE_KEYS.reduce((n, k) => n + chart.series[k].length, 0) + (chart.target?.length ?? 0);
    case 'latency':
      return chart.curves.reduce((n, c) => n + c.corrected.length + (c.raw?.length ?? 0), 0);
    case 'bars':
      return chart.series.reduce((n, s) => n + s.mean.length, 0);
    case 'depth':
      return chart.points.filter((p) => p.y !== null).length;
    case 'capacity':
      return capacityPointCount(chart);
  }
}

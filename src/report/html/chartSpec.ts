/**
 * The shapes of the chart data embedded in the report (JSON written by chartData.ts, read by the
 * page script in client/). Plain types and constants only, no imports: the browser code is
 * type-checked against this file without pulling in server modules.
 */

export interface XY {
  x: number;
  y: number;
}

export type RateKey = 'published' | 'confirmed' | 'consumed';
export const RATE_KEYS: readonly RateKey[] = ['published', 'confirmed', 'consumed'];

/** A shaded x interval of a throughput chart: a phase, or a time when a fault was in effect. */
export interface Band {
  kind: 'warmup' | 'drain' | 'fault';
  label: string;
  /** Seconds since the start barrier. */
  from: number;
  to: number;
}

export interface ThroughputChart {
  type: 'throughput';
  id: string;
  title: string;
  /** x = interval end (s since start), y = msgs/s over the interval. */
  series: Record<RateKey, XY[]>;
  /** The publishers' total target rate per interval (a rate schedule's steps or ramp); null when unlimited throughout. */
  target: XY[] | null;
  bands: Band[];
  /** Instants drawn as vertical lines: fault steps, when they were requested. */
  markers: Marker[];
}

/** A vertical line at one instant of a throughput chart. */
export interface Marker {
  /** Seconds since the start barrier. */
  at: number;
  label: string;
  /** The step failed or did nothing. */
  failed: boolean;
}

export interface LatencyCurve {
  label: string;
  /** x = -log10(1 - p) (0 = 0th percentile, 2 = 99th, 5 = 99.999th), y = latency in ms. */
  corrected: XY[];
  /** From the actual send time; null when it equals the corrected curve (no rate, so no correction). */
  raw: XY[] | null;
}

export interface LatencyChart {
  type: 'latency';
  id: string;
  title: string;
  curves: LatencyCurve[];
  /** Right end of the x axis: a whole number of nines, 1 … 5. */
  maxX: number;
}

export interface BarSeries {
  key: RateKey;
  mean: number[];
  stddev: number[];
  n: number[];
}

export interface BarChart {
  type: 'bars';
  id: string;
  title: string;
  /** One per category (matrix cell). */
  labels: string[];
  series: BarSeries[];
}

/** Ready messages in the queues per interval, on the throughput chart's time axis. */
export interface DepthChart {
  type: 'depth';
  id: string;
  title: string;
  /** x = interval end (s since start), y = depth at the interval's last reading; null: no reading (drawn as a gap). */
  points: Array<{ x: number; y: number | null }>;
  bands: Band[];
  markers: Marker[];
}

/** A latency figure of a capacity step, drawn against its achieved rate. */
export type CurveMetric = 'e2eP50' | 'e2eP99' | 'confirmP50' | 'confirmP99';
export const CURVE_METRICS: readonly CurveMetric[] = ['e2eP50', 'e2eP99', 'confirmP50', 'confirmP99'];
export const CURVE_METRIC_LABEL: Record<CurveMetric, string> = { e2eP50: 'e2e p50', e2eP99: 'e2e p99', confirmP50: 'confirm p50', confirmP99: 'confirm p99' };

/** One step as a point: x = consumed msgs/s, y = latency ms; with what was asked for, for the tooltip. */
export interface CurvePoint extends XY {
  /** Total publish rate asked for, msgs/s (0: full speed). */
  target: number;
  /** Curve steps: the fraction of the capacity asked for; null for search steps. */
  fraction: number | null;
}

/** One latency figure of one curve (a capacity result, or a matrix cell), in order of the fraction. */
export interface CurveLine {
  /** Index into CapacityChart.curves (the colour of a matrix cell). */
  curve: number;
  metric: CurveMetric;
  points: CurvePoint[];
}

/** Probe and search steps of a curve as faint points (e2e p99 only). */
export interface SearchPoints {
  curve: number;
  kind: 'sustained' | 'notSustained' | 'probe';
  points: CurvePoint[];
}

/**
 * Latency against throughput: x = achieved (consumed) msgs/s, y = latency on a logarithmic axis.
 * One line per curve and latency figure.
 */
export interface CapacityChart {
  type: 'capacity';
  id: string;
  title: string;
  /** The curves' labels, in the order given (lines refer to them by index). */
  curves: string[];
  lines: CurveLine[];
  searchPoints: SearchPoints[];
  /** The page's selector (one figure at a time, for many curves); the first choice is shown at first. null: every line shown. */
  choices: Array<{ label: string; metrics: CurveMetric[] }> | null;
  /** Points left out because a log axis cannot show them (latency 0 or not measured, e.g. confirm latency without confirms). */
  omitted: number;
  /** x: achieved msgs/s on a linear axis from 0; y: latency on a log axis (latency spans orders of magnitude from idle to saturated). */
  axes: { x: { type: 'linear'; title: string }; y: { type: 'logarithmic'; title: string } };
}

export type ChartSpec = ThroughputChart | LatencyChart | BarChart | DepthChart | CapacityChart;

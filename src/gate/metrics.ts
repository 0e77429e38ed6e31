import type { CapacityResult } from '../capacity/model.js';
import { AGENT_EVENT_TYPES } from '../engine/protocol.js';
import type { DeliveryAccount } from '../metrics/accounting.js';
import { decodeHistogram } from '../metrics/histogram.js';
import type { EncodedLatencySet, LatencyKind } from '../metrics/latencySet.js';
import type { RunResult } from '../results/model.js';
import type { Aggregation } from './model.js';

/**
 * Every metric a threshold can name, and how to read it from a result. A metric has a value per
 * run (what the between-run statistics compare) and a combined value over a repeated result's
 * runs (what absolute thresholds are held to): rates average over runs, latency percentiles come
 * from the runs' histograms merged exactly, counts add up, availability takes the worst run.
 * A capacity result is a search, not a run: only the capacity.* metrics read it.
 */

/** What a threshold is evaluated against: one run, the measured runs of a repeated result, or a capacity search. */
export interface GateSubject {
  file: string;
  name: string;
  kind: 'run' | 'repeated' | 'capacity';
  /** The measured runs; [] for a capacity result. */
  runs: RunResult[];
  /** The runs' histograms merged (a single run's own); null for a capacity result. */
  histograms: EncodedLatencySet | null;
  /** The search of a capacity result, else null. */
  capacity: CapacityResult | null;
}

export type StatisticKind = Aggregation['kind'];

export interface MetricDef {
  name: string;
  /** What the metric reads: run results (runs and repeated runs) or a capacity search. */
  source: 'runs' | 'capacity';
  unit: 'msgs/s' | 'ms' | 'msgs' | 'events' | 'runs';
  description: string;
  /** Statistics this metric has. */
  statistics: readonly StatisticKind[];
  /** A value per run, or a reason it is missing. */
  perRun(r: RunResult, a: Aggregation): number | Missing;
  /** The value over all runs of the subject, or a reason it is missing. */
  combined(s: GateSubject, a: Aggregation): number | Missing;
}

/** Why a metric has no value in a result (the gate exits 2 on it). */
export interface Missing {
  missing: string;
}

export const isMissing = (v: number | Missing): v is Missing => typeof v === 'object';

/**
 * The metric's value over the subject, or why it has none: run metrics are missing in a capacity
 * result (its steps are not runs) and capacity metrics in run results.
 */
export function metricValue(def: MetricDef, s: GateSubject, a: Aggregation): number | Missing {
  if (def.source === 'capacity' && s.kind !== 'capacity') return { missing: `${def.name} is a figure of a capacity result (mqbench capacity), not of a ${s.kind === 'run' ? 'run' : 'repeated run'}` };
  if (def.source === 'runs' && s.kind === 'capacity') return { missing: 'a capacity result holds no run metrics, only capacity.* ones (e.g. "capacity.sustainable": ["value >= 4000"])' };
  return def.combined(s, a);
}

const RATE_STATS = ['mean', 'min', 'max', 'stddev'] as const;
const LATENCY_STATS = ['percentile', 'mean', 'min', 'max', 'stddev', 'count'] as const;
const COUNT_STATS = ['count', 'value'] as const;
const DURATION_STATS = ['max', 'mean', 'value'] as const;

const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
const sampleStddev = (xs: number[]): number => {
  if (xs.length < 2) return 0;
  const m = mean(xs);
  return Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1));
};

/** Combines per-run values: sum for counts, worst (max) or mean for durations. */
function over(s: GateSubject, def: MetricDef, a: Aggregation, how: 'sum' | 'max' | 'mean' | 'min'): number | Missing {
  const values: number[] = [];
  for (const r of s.runs) {
    const v = def.perRun(r, a);
    if (isMissing(v)) return v;
    values.push(v);
  }
  if (values.length === 0) return { missing: 'no measured run' };
  switch (how) {
    case 'sum':
      return values.reduce((x, y) => x + y, 0);
    case 'max':
      return Math.max(...values);
    case 'min':
      return Math.min(...values);
    case 'mean':
      return mean(values);
  }
}

function rateMetric(which: 'published' | 'confirmed' | 'consumed'): MetricDef {
  const def: MetricDef = {
    name: `rate.${which}`,
    source: 'runs',
    unit: 'msgs/s',
    description:
      `${which} msgs/s over the measurement. mean: the run's overall rate (repeated: mean over runs); min/max: the slowest/fastest second ` +
      '(repeated: over all runs); stddev: between seconds (repeated: between runs\u2019 rates)',
    statistics: RATE_STATS,
    perRun: (r, a) => {
      const s = r.rates[which];
      switch (a.kind) {
        case 'mean':
          return s.overallMsgsPerS;
        case 'min':
          return s.minMsgsPerS;
        case 'max':
          return s.maxMsgsPerS;
        case 'stddev':
          return s.stddevMsgsPerS;
        default:
          return { missing: `no ${a.kind}` };
      }
    },
    combined: (s, a) => {
      if (s.runs.length === 1) return def.perRun(s.runs[0]!, a);
      if (a.kind === 'stddev') return sampleStddev(s.runs.map((r) => r.rates[which].overallMsgsPerS));
      return over(s, def, a, a.kind === 'min' ? 'min' : a.kind === 'max' ? 'max' : 'mean');
    },
  };
  return def;
}

function fromHistogram(encoded: string, a: Aggregation): number | Missing {
  const h = decodeHistogram(encoded);
  try {
    if (h.totalCount === 0) return { missing: 'no latency was recorded' };
    if (a.kind === 'count') return h.totalCount;
    const us = (() => {
      switch (a.kind) {
        case 'percentile':
          return h.getValueAtPercentile(a.q);
        case 'mean':
          return h.mean;
        case 'min':
          return h.minNonZeroValue === Number.MAX_SAFE_INTEGER ? 0 : h.minNonZeroValue;
        case 'max':
          return h.maxValue;
        case 'stddev':
          return h.stdDeviation;
        default:
          return Number.NaN;
      }
    })();
    return us / 1000;
  } finally {
    h.destroy();
  }
}

function latencyMetric(name: string, kind: LatencyKind, what: string): MetricDef {
  return {
    name,
    source: 'runs',
    unit: 'ms',
    description: `${what} latency, ms (p(q), mean, min, max, stddev from the HDR histogram; repeated: the runs' histograms merged; count: messages measured)`,
    statistics: LATENCY_STATS,
    perRun: (r, a) => fromHistogram(r.histograms[kind], a),
    combined: (s, a) => (s.histograms ? fromHistogram(s.histograms[kind], a) : { missing: 'no latency histograms in this result' }),
  };
}

const DELIVERY_FIELDS: ReadonlyArray<[keyof DeliveryAccount, string]> = [
  ['published', 'messages published (first sends)'],
  ['republished', 'copies sent again after a connection loss'],
  ['confirmed', 'publisher confirms (basic.ack)'],
  ['nacked', 'messages the broker refused (basic.nack)'],
  ['returned', 'unroutable messages returned by the broker'],
  ['unconfirmedAtLoss', 'messages in flight when their connection or channel was lost'],
  ['unconfirmed', 'messages never confirmed nor nacked by the end'],
  ['expected', 'messages the consumers were expected to receive'],
  ['consumedUnique', 'distinct messages consumed'],
  ['consumedUnconfirmed', 'consumed messages whose confirm never came'],
  ['notConsumed', 'expected messages never consumed'],
  ['queueDepthAtEnd', 'messages left in the queues at the end'],
  ['lost', 'confirmed messages proven gone'],
  ['unresolved', 'expected messages neither consumed nor proven lost'],
  ['duplicates', 'deliveries of a message the consumer already had'],
  ['redelivered', 'deliveries flagged redelivered'],
  ['outOfOrder', 'first deliveries out of publish order'],
  ['foreign', 'deliveries of messages not from this run'],
];

function deliveryMetric(field: keyof DeliveryAccount, what: string): MetricDef {
  const def: MetricDef = {
    name: `delivery.${field}`,
    source: 'runs',
    unit: 'msgs',
    description: `${what} (repeated: summed over runs)`,
    statistics: COUNT_STATS,
    perRun: (r) => {
      const v = r.delivery[field];
      if (typeof v === 'number') return v;
      return { missing: `delivery.${field} was not computed (${r.delivery.tracked ? 'the account is incomplete' : 'messages were not tracked'})` };
    },
    combined: (s, a) => over(s, def, a, 'sum'),
  };
  return def;
}

type FaultFigure = (r: RunResult) => number | null | Missing;

const firstApplied = (r: RunResult) => r.faults?.steps.find((st) => !st.error?.startsWith('not applied'));

function availabilityMetric(name: string, what: string, read: FaultFigure): MetricDef {
  const def: MetricDef = {
    name: `availability.${name}`,
    source: 'runs',
    unit: 'ms',
    description: `${what}, ms (repeated: max is the worst run, mean the average)`,
    statistics: DURATION_STATS,
    perRun: (r) => {
      if (!r.faults) return { missing: 'the result has no fault timeline (the profile has no faults)' };
      const v = read(r);
      return v === null ? { missing: `${what}: never happened in run ${r.runId}` } : v;
    },
    combined: (s, a) => over(s, def, a, a.kind === 'mean' ? 'mean' : 'max'),
  };
  return def;
}

function eventMetric(type: (typeof AGENT_EVENT_TYPES)[number]): MetricDef {
  const def: MetricDef = {
    name: `events.${type}`,
    source: 'runs',
    unit: 'events',
    description: `"${type}" agent events (repeated: summed)`,
    statistics: COUNT_STATS,
    perRun: (r) => r.eventCounts[type] ?? 0,
    combined: (s, a) => over(s, def, a, 'sum'),
  };
  return def;
}

function backlogMetric(name: string, unit: MetricDef['unit'], what: string, read: (b: NonNullable<RunResult['backlog']>) => number): MetricDef {
  const def: MetricDef = {
    name: `backlog.${name}`,
    source: 'runs',
    unit,
    description: `${what} (repeated: max is the worst run, mean the average)`,
    statistics: DURATION_STATS,
    perRun: (r) => (r.backlog ? read(r.backlog) : { missing: 'the result has no queue-depth readings (fewer than 3, more than 100 queues, or an older result)' }),
    combined: (s, a) => over(s, def, a, a.kind === 'mean' ? 'mean' : 'max'),
  };
  return def;
}

const runsNotOk: MetricDef = {
  name: 'runs.notOk',
  source: 'runs',
  unit: 'runs',
  description: 'runs whose verdict is not ok (lost, failed or interrupted)',
  statistics: COUNT_STATS,
  perRun: (r) => (r.verdict.status === 'ok' ? 0 : 1),
  combined: (s) => s.runs.filter((r) => r.verdict.status !== 'ok').length,
};

const measuredTime: MetricDef = {
  name: 'timing.measured',
  source: 'runs',
  unit: 'ms',
  description: 'measured time, ms (repeated: mean over runs)',
  statistics: ['value', 'mean', 'min', 'max'],
  perRun: (r) => r.timing.measuredMs,
  combined: (s, a) => over(s, measuredTime, a, a.kind === 'min' ? 'min' : a.kind === 'max' ? 'max' : 'mean'),
};

/**
 * The highest total publish rate a capacity search found sustained. One search is one value: it
 * has no run-to-run spread, so a threshold relative to a baseline gets no verdict (as a single run).
 */
const capacitySustainable: MetricDef = {
  name: 'capacity.sustainable',
  source: 'capacity',
  unit: 'msgs/s',
  description:
    'capacity results (mqbench capacity): the highest total publish rate found sustained, msgs/s; 0 when the search ended without one ' +
    '(not even its lowest rate held); value and mean are the same (one search)',
  statistics: ['value', 'mean'],
  perRun: () => ({ missing: 'capacity.sustainable is a figure of a capacity search, not of a run' }),
  combined: (s) => {
    const c = s.capacity;
    if (!c) return { missing: 'not a capacity result' };
    if (c.capacity.sustainableMsgsPerS !== null) return c.capacity.sustainableMsgsPerS;
    // A search that broke off found nothing because it stopped, not because nothing held.
    if (c.interrupted || c.error) return { missing: `the search did not finish (${c.error ?? 'interrupted'}): no sustainable rate to judge` };
    return 0;
  },
};

export const METRICS: readonly MetricDef[] = [
  rateMetric('published'),
  rateMetric('confirmed'),
  rateMetric('consumed'),
  latencyMetric('latency.e2e', 'e2eCorrected', 'End-to-end (publish to consume, from the intended send time)'),
  latencyMetric('latency.confirm', 'confirmCorrected', 'Publisher-confirm (from the intended send time)'),
  latencyMetric('latency.e2e.raw', 'e2eRaw', 'End-to-end from the actual send time (no coordinated-omission correction)'),
  latencyMetric('latency.confirm.raw', 'confirmRaw', 'Publisher-confirm from the actual send time'),
  ...DELIVERY_FIELDS.map(([f, what]) => deliveryMetric(f, what)),
  availabilityMetric('unavailable', 'longest time without a publisher confirm', (r) => r.faults!.longestConfirmGap?.durationMs ?? 0),
  availabilityMetric('noDelivery', 'longest time without a delivery', (r) => r.faults!.longestDeliveryGap?.durationMs ?? 0),
  availabilityMetric('publishResumedAfter', 'from the first fault step until confirms resumed', (r) => {
    const st = firstApplied(r);
    return st ? st.confirmsResumedAfterMs : { missing: 'no fault step was applied' };
  }),
  availabilityMetric('consumeResumedAfter', 'from the first fault step until deliveries resumed', (r) => {
    const st = firstApplied(r);
    return st ? st.deliveriesResumedAfterMs : { missing: 'no fault step was applied' };
  }),
  backlogMetric('growth', 'msgs/s', 'growth of the queues\u2019 depth over the measurement, msgs/s (least-squares slope)', (b) => b.growthMsgsPerS),
  backlogMetric('maxDepth', 'msgs', 'largest depth read during the measurement', (b) => b.maxDepth),
  ...AGENT_EVENT_TYPES.map(eventMetric),
  runsNotOk,
  measuredTime,
  capacitySustainable,
];

export function findMetric(name: string): MetricDef | undefined {
  return METRICS.find((m) => m.name === name);
}

/** The known metric name closest to `name` (edit distance), for "did you mean". */
export function nearestMetric(name: string): string {
  let best = METRICS[0]!.name;
  let bestD = Number.POSITIVE_INFINITY;
  for (const m of METRICS) {
    const d = editDistance(name.toLowerCase(), m.name.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = m.name;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length]!;
}

/** "rate.consumed  msgs/s  mean|min|max|stddev  …" lines for --help and the docs. */
export function metricCatalogue(): string[] {
  return METRICS.map((m) => `${m.name} (${m.unit}; ${m.statistics.map((s) => (s === 'percentile' ? 'p(q)' : s)).join(', ')}): ${m.description}`);
}

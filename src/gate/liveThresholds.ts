import type { TickRecord } from '../engine/ticks.js';
import { addSet, createLatencySet, destroySet, type LatencyKind, type LatencySet } from '../metrics/latencySet.js';
import { compare, describeAggregation } from './expression.js';
import { fmt } from './evaluate.js';
import type { Threshold } from './model.js';

const LATENCY_OF: Record<string, LatencyKind> = {
  'latency.e2e': 'e2eCorrected',
  'latency.confirm': 'confirmCorrected',
  'latency.e2e.raw': 'e2eRaw',
  'latency.confirm.raw': 'confirmRaw',
};
const RATE_OF = { 'rate.published': 'published', 'rate.confirmed': 'confirmed', 'rate.consumed': 'consumed' } as const;

/**
 * k6's abortOnFail: thresholds checked once a measured second, on what was measured so far (rates
 * from the counts, latency from the histograms accumulated since the start of measurement). The
 * first one crossed after its delayAbortEval calls `onCrossed` once with a line for the result.
 */
export class LiveThresholds {
  private readonly latencies: LatencySet = createLatencySet();
  private measuredMs = 0;
  private readonly totals = { published: 0, confirmed: 0, consumed: 0 };
  private readonly perSecond: Record<'published' | 'confirmed' | 'consumed', number[]> = { published: [], confirmed: [], consumed: [] };
  private crossed = false;

  constructor(
    private readonly thresholds: readonly Threshold[],
    private readonly onCrossed: (reason: string) => void,
  ) {}

  /** The thresholds that ask to abort (absolute limits on rate.* and latency.*; the schema refuses others). */
  static select(all: readonly Threshold[]): Threshold[] {
    return all.filter((t) => t.abortOnFail && t.expression.limit.kind === 'absolute');
  }

  onTick(record: TickRecord): void {
    if (record.phase !== 'measure' || this.crossed) return;
    this.measuredMs += record.intervalMs;
    for (const k of ['published', 'confirmed', 'consumed'] as const) {
      this.totals[k] += record.counters[k];
      if (record.intervalMs > 0) this.perSecond[k].push((record.counters[k] * 1000) / record.intervalMs);
    }
    addSet(this.latencies, record.latencies);
    for (const t of this.thresholds) {
      if (this.measuredMs < t.delayAbortEvalMs || t.expression.limit.kind !== 'absolute') continue;
      const value = this.value(t);
      if (value === undefined) continue;
      if (!compare(value, t.expression.comparison, t.expression.limit.value)) {
        this.crossed = true;
        this.onCrossed(
          `threshold crossed (abortOnFail): ${t.metric} ${t.expression.source}: ${describeAggregation(t.expression.aggregation)} was ${fmt(value)} after ${fmt(this.measuredMs / 1000)} s measured`,
        );
        return;
      }
    }
  }

  close(): void {
    destroySet(this.latencies);
  }

  private value(t: Threshold): number | undefined {
    const a = t.expression.aggregation;
    const latency = LATENCY_OF[t.metric];
    if (latency) {
      const h = this.latencies[latency];
      if (h.totalCount === 0) return undefined;
      switch (a.kind) {
        case 'percentile':
          return h.getValueAtPercentile(a.q) / 1000;
        case 'mean':
          return h.mean / 1000;
        case 'max':
          return h.maxValue / 1000;
        case 'min':
          return h.minNonZeroValue / 1000;
        case 'stddev':
          return h.stdDeviation / 1000;
        case 'count':
          return h.totalCount;
        default:
          return undefined;
      }
    }
    const rate = RATE_OF[t.metric as keyof typeof RATE_OF];
    if (!rate || this.measuredMs === 0) return undefined;
    const xs = this.perSecond[rate];
    switch (a.kind) {
      case 'mean':
        return (this.totals[rate] * 1000) / this.measuredMs;
      case 'min':
        return Math.min(...xs);
      case 'max':
        return Math.max(...xs);
      default:
        return undefined;
    }
  }
}

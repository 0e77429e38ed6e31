/**
 * Intervals shorter than this (cut short by a phase end or a fault step) count in totals and in the
 * overall rate, but not in the per-interval distribution: a 3 ms interval with nothing in it is not
 * a second at 0 msgs/s.
 */
export const MIN_SAMPLE_INTERVAL_MS = 250;

/** Throughput as a distribution of per-second rates (as autocannon reports it), plus the overall rate. */
export interface RateStats {
  total: number;
  /** total / measured time. */
  overallMsgsPerS: number;
  meanMsgsPerS: number;
  stddevMsgsPerS: number;
  minMsgsPerS: number;
  maxMsgsPerS: number;
}

export function rateStats(samples: Array<{ count: number; intervalMs: number }>): RateStats {
  const rates = samples.filter((s) => s.intervalMs >= MIN_SAMPLE_INTERVAL_MS).map((s) => (s.count * 1000) / s.intervalMs);
  const total = samples.reduce((n, s) => n + s.count, 0);
  const timeMs = samples.reduce((n, s) => n + s.intervalMs, 0);
  if (rates.length === 0) return { total, overallMsgsPerS: 0, meanMsgsPerS: 0, stddevMsgsPerS: 0, minMsgsPerS: 0, maxMsgsPerS: 0 };
  const mean = rates.reduce((a, b) => a + b, 0) / rates.length;
  const variance = rates.length > 1 ? rates.reduce((a, r) => a + (r - mean) ** 2, 0) / (rates.length - 1) : 0;
  const round = (x: number): number => Math.round(x * 10) / 10;
  return {
    total,
    overallMsgsPerS: round(timeMs > 0 ? (total * 1000) / timeMs : 0),
    meanMsgsPerS: round(mean),
    stddevMsgsPerS: round(Math.sqrt(variance)),
    minMsgsPerS: round(Math.min(...rates)),
    maxMsgsPerS: round(Math.max(...rates)),
  };
}

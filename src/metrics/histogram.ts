import * as hdr from 'hdr-histogram-js';
import type { Histogram } from 'hdr-histogram-js';

/** Latencies are recorded in microseconds, 3 significant digits, up to one hour. */
export const HIGHEST_TRACKABLE_US = 3_600_000_000;
const SIGNIFICANT_DIGITS = 3;

export type LatencyHistogram = Histogram;

export function createHistogram(): LatencyHistogram {
  return hdr.build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: HIGHEST_TRACKABLE_US,
    numberOfSignificantValueDigits: SIGNIFICANT_DIGITS,
    bitBucketSize: 32,
    useWebAssembly: false,
  });
}

/** Records one latency; values outside the trackable range are clamped rather than lost. */
export function recordUs(h: LatencyHistogram, us: number): void {
  h.recordValue(us < 0 ? 0 : us > HIGHEST_TRACKABLE_US ? HIGHEST_TRACKABLE_US : Math.round(us));
}

/** Compressed base64 (the HdrHistogram V2 format, readable by every HdrHistogram port). */
export function encodeHistogram(h: LatencyHistogram): string {
  return hdr.encodeIntoCompressedBase64(h);
}

export function decodeHistogram(encoded: string): LatencyHistogram {
  // Without the last argument a decoded histogram sizes itself to its content and later adds could overflow it.
  return hdr.decodeFromCompressedBase64(encoded, 32, false, HIGHEST_TRACKABLE_US);
}

export interface LatencySummaryMs {
  count: number;
  minMs: number;
  meanMs: number;
  stddevMs: number;
  p50Ms: number;
  p75Ms: number;
  p90Ms: number;
  p95Ms: number;
  p99Ms: number;
  p999Ms: number;
  p9999Ms: number;
  maxMs: number;
}

const usToMs = (us: number): number => Math.round(us) / 1000;

export function summarize(h: LatencyHistogram): LatencySummaryMs {
  if (h.totalCount === 0) {
    return { count: 0, minMs: 0, meanMs: 0, stddevMs: 0, p50Ms: 0, p75Ms: 0, p90Ms: 0, p95Ms: 0, p99Ms: 0, p999Ms: 0, p9999Ms: 0, maxMs: 0 };
  }
  const at = (p: number): number => usToMs(h.getValueAtPercentile(p));
  return {
    count: h.totalCount,
    minMs: usToMs(h.minNonZeroValue === Number.MAX_SAFE_INTEGER ? 0 : h.minNonZeroValue),
    meanMs: usToMs(h.mean),
    stddevMs: usToMs(h.stdDeviation),
    p50Ms: at(50),
    p75Ms: at(75),
    p90Ms: at(90),
    p95Ms: at(95),
    p99Ms: at(99),
    p999Ms: at(99.9),
    p9999Ms: at(99.99),
    maxMs: usToMs(h.maxValue),
  };
}

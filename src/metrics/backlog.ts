/**
 * Is the queue growing? From the depth readings of the measurement window: the least-squares
 * slope of depth over time. A backlog "grew" when that slope is at least 50 msgs/s and 2 % of the
 * publish rate, and the depth reached 1,000 messages — then consumers did not keep up, and e2e
 * latency measures time spent queued, not what the broker adds.
 */

export interface BacklogSummary {
  /** Depth readings in the measurement window. */
  samples: number;
  /** Ready messages at the first and last reading of the window, and the most seen. */
  startDepth: number;
  endDepth: number;
  maxDepth: number;
  /** Least-squares slope of depth over the window, msgs/s (negative: the queue drained). */
  growthMsgsPerS: number;
  /** The backlog grew beyond noise (see above). */
  growing: boolean;
  /** One line for a person. */
  message: string;
}

export const MIN_GROWTH_MSGS_PER_S = 50;
export const MIN_GROWTH_FRACTION = 0.02;
export const MIN_BACKLOG_DEPTH = 1_000;

/** null with fewer than 3 readings in the window. `what` names the readings: a stream's are its consumers' lag (engine/streamLag.ts). */
export function backlogSummary(
  samples: ReadonlyArray<{ tMs: number; depth: number }>,
  publishRateMsgsPerS: number,
  what: 'queue depth' | 'consumer lag' = 'queue depth',
): BacklogSummary | null {
  if (samples.length < 3) return null;
  const n = samples.length;
  const xs = samples.map((s) => s.tMs / 1000);
  const ys = samples.map((s) => s.depth);
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (xs[i]! - mx) * (ys[i]! - my);
    sxx += (xs[i]! - mx) ** 2;
  }
  const slope = sxx > 0 ? sxy / sxx : 0;
  const startDepth = ys[0]!;
  const endDepth = ys[n - 1]!;
  const maxDepth = Math.max(...ys);
  const growing = slope >= Math.max(MIN_GROWTH_MSGS_PER_S, MIN_GROWTH_FRACTION * publishRateMsgsPerS) && maxDepth >= MIN_BACKLOG_DEPTH;
  const grew = endDepth - startDepth;
  const message = growing
    ? `backlog grew by ${fmt(grew)} messages (${fmt(slope)} msgs/s): consumers did not keep up, so e2e latency measures queueing; ` +
      'set publishers.rate below the consume rate to measure latency without a backlog'
    : `no growing backlog: ${what} ${fmt(startDepth)} → ${fmt(endDepth)} (at most ${fmt(maxDepth)})`;
  return { samples: n, startDepth, endDepth, maxDepth, growthMsgsPerS: Math.round(slope * 10) / 10, growing, message };
}

const fmt = (x: number): string => Math.round(x).toLocaleString('en-US');

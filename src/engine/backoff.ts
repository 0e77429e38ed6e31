/** Reconnect delays: exponential from `initialMs`, capped at `maxMs`, with "equal jitter" (half fixed, half random). */
export interface BackoffSettings {
  initialMs: number;
  maxMs: number;
}

/**
 * Delay before attempt `attempt` (1 = the first retry). Half of the exponential base is kept so
 * attempts never come back-to-back; the other half is random so a hundred agents that lost the
 * same node do not reconnect in lockstep. Never more than maxMs.
 */
export function backoffDelayMs(attempt: number, s: BackoffSettings, random: () => number = Math.random): number {
  const base = Math.min(s.maxMs, s.initialMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(base / 2 + random() * (base / 2));
}

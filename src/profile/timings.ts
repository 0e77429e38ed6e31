import { parseDurationMs } from './duration.js';
import type { Profile } from './schema.js';

/** Measured run length when a profile sets neither duration nor messagesPerPublisher. */
export const DEFAULT_DURATION = '30s';

export type RunLength = { kind: 'duration'; durationMs: number } | { kind: 'messages'; messagesPerPublisher: number };

export interface Timings {
  run: RunLength;
  warmupMs: number;
  drainTimeoutMs: number;
}

export function resolveRunLength(profile: Profile): RunLength {
  if (profile.messagesPerPublisher !== undefined) return { kind: 'messages', messagesPerPublisher: profile.messagesPerPublisher };
  return { kind: 'duration', durationMs: durationMs(profile.duration ?? DEFAULT_DURATION) };
}

export function warmupMs(profile: Profile): number {
  return durationMs(profile.warmup);
}

export function drainTimeoutMs(profile: Profile): number {
  return durationMs(profile.drainTimeout);
}

/** Every time-related setting of a validated profile, in milliseconds. */
export function timings(profile: Profile): Timings {
  return { run: resolveRunLength(profile), warmupMs: warmupMs(profile), drainTimeoutMs: drainTimeoutMs(profile) };
}

function durationMs(text: string): number {
  const ms = parseDurationMs(text);
  // Validation already rejected bad durations; reaching this means the profile bypassed it.
  if (ms === undefined) throw new Error(`invalid duration ${JSON.stringify(text)} in a validated profile`);
  return ms;
}

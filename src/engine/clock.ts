/**
 * Microseconds on the process-wide monotonic clock (CLOCK_MONOTONIC via process.hrtime).
 * All worker threads of one process read the same clock, so a timestamp written by a
 * publisher in one thread can be subtracted from one read by a consumer in another.
 */
export function nowUs(): number {
  const [s, ns] = process.hrtime();
  return s * 1e6 + ns / 1e3;
}

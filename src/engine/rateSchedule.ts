/**
 * When each message of a rate-limited publisher is due. The schedule, not the actual send,
 * sets the intended send time, so a publisher held up by the broker still "owes" the
 * messages it missed and their latency counts from when they should have gone out
 * (coordinated-omission correction, as in the OpenMessaging Benchmark's UniformRateLimiter).
 */
export class RateSchedule {
  private readonly intervalUs: number;

  /** rateMsgsPerS = 0 means unlimited: every message is due at once. */
  constructor(
    readonly rateMsgsPerS: number,
    readonly startUs: number,
  ) {
    this.intervalUs = rateMsgsPerS > 0 ? 1e6 / rateMsgsPerS : 0;
  }

  get limited(): boolean {
    return this.intervalUs > 0;
  }

  /** Intended send time of message number `sequence` (0-based). */
  intendedUs(sequence: number): number {
    return this.startUs + sequence * this.intervalUs;
  }

  /** How many messages are due by `nowUs` (messages 0..n-1). */
  dueCount(nowUs: number): number {
    if (!this.limited) return Number.POSITIVE_INFINITY;
    if (nowUs < this.startUs) return 0;
    return Math.floor((nowUs - this.startUs) / this.intervalUs) + 1;
  }
}

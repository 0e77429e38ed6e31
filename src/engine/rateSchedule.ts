/**
 * When each message of a rate-limited publisher is due. The schedule, not the actual send,
 * sets the intended send time, so a publisher held up by the broker still "owes" the
 * messages it missed and their latency counts from when they should have gone out
 * (coordinated-omission correction, as in the OpenMessaging Benchmark's UniformRateLimiter).
 *
 * Arrivals are `uniform` (one every 1/rate, each publisher shifted by its own phase so that many
 * publishers do not fire in lockstep) or `poisson` (exponential gaps with mean 1/rate, from a
 * seeded generator, so a run can be replayed).
 */
export type Arrival = 'uniform' | 'poisson';

export interface ScheduleOptions {
  arrival?: Arrival;
  /** Fraction of one interval (0 ≤ phase < 1) the uniform schedule is shifted by. */
  phase?: number;
  /** Seed of the Poisson schedule's generator. */
  seed?: number;
}

/** Phases spread over [0, 1) for publishers 0, 1, 2, … without knowing how many there are (golden-ratio sequence). */
export function publisherPhase(publisherId: number): number {
  return (publisherId * 0.6180339887498949) % 1;
}

export class RateSchedule {
  private readonly intervalUs: number;
  private readonly arrival: Arrival;
  private readonly offsetUs: number;
  private readonly poisson: PoissonTimes | undefined;

  /** rateMsgsPerS = 0 means unlimited: every message is due at once. */
  constructor(
    readonly rateMsgsPerS: number,
    readonly startUs: number,
    opts: ScheduleOptions = {},
  ) {
    this.intervalUs = rateMsgsPerS > 0 ? 1e6 / rateMsgsPerS : 0;
    this.arrival = opts.arrival ?? 'uniform';
    this.offsetUs = (opts.phase ?? 0) * this.intervalUs;
    this.poisson = this.limited && this.arrival === 'poisson' ? new PoissonTimes(this.intervalUs, opts.seed ?? 1) : undefined;
  }

  get limited(): boolean {
    return this.intervalUs > 0;
  }

  /** Intended send time of message number `sequence` (0-based); call with non-decreasing sequences under Poisson arrivals. */
  intendedUs(sequence: number): number {
    if (this.poisson) return this.startUs + this.poisson.at(sequence);
    return this.startUs + this.offsetUs + sequence * this.intervalUs;
  }

  /** How many messages are due by `nowUs` (messages 0..n-1). */
  dueCount(nowUs: number): number {
    if (!this.limited) return Number.POSITIVE_INFINITY;
    if (this.poisson) return this.poisson.countUpTo(nowUs - this.startUs);
    const first = this.startUs + this.offsetUs;
    if (nowUs < first) return 0;
    return Math.floor((nowUs - first) / this.intervalUs) + 1;
  }
}

/**
 * Arrival times of a Poisson process (µs from the start), generated lazily and forgotten once
 * passed: a publisher asks for them in order, so memory stays small however long the run.
 */
class PoissonTimes {
  private readonly times: number[] = [];
  /** Index of times[0]. */
  private base = 0;
  private last = 0;
  private generated = 0;
  private state: number;

  constructor(
    private readonly meanGapUs: number,
    seed: number,
  ) {
    this.state = seed >>> 0 || 1;
  }

  at(index: number): number {
    while (this.generated <= index) this.generate();
    // Earlier ones are never asked for again.
    const drop = Math.max(0, Math.min(index - this.base, this.times.length - 1));
    if (drop > 1024) {
      this.times.splice(0, drop);
      this.base += drop;
    }
    return this.times[index - this.base]!;
  }

  /** How many arrivals are at or before `tUs` (from the start). */
  countUpTo(tUs: number): number {
    while (this.last <= tUs) this.generate();
    let lo = 0;
    let hi = this.times.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.times[mid]! <= tUs) lo = mid + 1;
      else hi = mid;
    }
    return this.base + lo;
  }

  private generate(): void {
    this.last += -Math.log(1 - this.random()) * this.meanGapUs;
    this.times.push(this.last);
    this.generated++;
  }

  /** mulberry32: small, fast, good enough for arrival times. */
  private random(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
}

import { mulberry32 } from './prng.js';
import { RateCurve, type RateCurveSpec } from './rateCurve.js';

/**
 * When each message of a rate-limited publisher is due. The schedule, not the actual send,
 * sets the intended send time, so a publisher held up by the broker still "owes" the
 * messages it missed and their latency counts from when they should have gone out
 * (coordinated-omission correction, as in the OpenMessaging Benchmark's UniformRateLimiter).
 *
 * The rate may change over time (steps, a ramp: a RateCurve); the schedule follows its integral
 * exactly. Arrivals are `uniform` (message i when i + phase messages are due, each publisher
 * shifted by its own phase so that many publishers do not fire in lockstep; at a constant rate,
 * one every 1/rate) or `poisson` (a Poisson process with the curve's rate at every instant, from a
 * seeded generator, so a run can be replayed; at a constant rate, exponential gaps with mean 1/rate).
 */
export type Arrival = 'uniform' | 'poisson';

export interface ScheduleOptions {
  arrival?: Arrival;
  /** Fraction of one message (0 ≤ phase < 1) the uniform schedule is shifted by: at a constant rate, of one interval. */
  phase?: number;
  /** Seed of the Poisson schedule's generator. */
  seed?: number;
}

/** Phases spread over [0, 1) for publishers 0, 1, 2, … without knowing how many there are (golden-ratio sequence). */
export function publisherPhase(publisherId: number): number {
  return (publisherId * 0.6180339887498949) % 1;
}

/** A constant rate as a curve; 0 = unlimited (null). */
export function constantRate(msgsPerS: number): RateCurveSpec | null {
  return msgsPerS > 0 ? { pieces: [], thenMsgsPerS: msgsPerS } : null;
}

export class RateSchedule {
  private readonly curve: RateCurve | undefined;
  private readonly phase: number;
  private readonly poisson: PoissonTimes | undefined;

  /** rate null means unlimited: every message is due at once. */
  constructor(
    rate: RateCurveSpec | null,
    readonly startUs: number,
    opts: ScheduleOptions = {},
  ) {
    this.curve = rate === null ? undefined : new RateCurve(rate);
    this.phase = opts.phase ?? 0;
    this.poisson = this.curve && opts.arrival === 'poisson' ? new PoissonTimes(opts.seed ?? 1) : undefined;
  }

  get limited(): boolean {
    return this.curve !== undefined;
  }

  /** Intended send time of message number `sequence` (0-based); call with non-decreasing sequences under Poisson arrivals. Unlimited: the start. */
  intendedUs(sequence: number): number {
    if (!this.curve) return this.startUs;
    const count = this.poisson ? this.poisson.at(sequence) : sequence + this.phase;
    return this.startUs + this.curve.timeOfCount(count) * 1e6;
  }

  /** How many messages are due by `nowUs` (messages 0..n-1). */
  dueCount(nowUs: number): number {
    if (!this.curve) return Number.POSITIVE_INFINITY;
    if (nowUs < this.startUs) return 0;
    // The relative tolerance absorbs the floating-point round trip through the curve's inverse, so a
    // message is due at exactly its own intended time.
    const due = this.curve.countAt((nowUs - this.startUs) / 1e6) * (1 + 1e-12);
    if (this.poisson) return this.poisson.countUpTo(due);
    return due < this.phase ? 0 : Math.floor(due - this.phase) + 1;
  }
}

/**
 * Arrival "times" of a unit-rate Poisson process, in messages due (the curve's integral): mapped
 * through the curve's inverse they become a Poisson process with the curve's rate. Generated
 * lazily and forgotten once passed: a publisher asks for them in order, so memory stays small
 * however long the run.
 */
class PoissonTimes {
  private readonly times: number[] = [];
  /** Index of times[0]. */
  private base = 0;
  private last = 0;
  private generated = 0;
  private readonly random: () => number;

  constructor(seed: number) {
    this.random = mulberry32(seed);
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

  /** How many arrivals are at or before `due` (messages due). */
  countUpTo(due: number): number {
    while (this.last <= due) this.generate();
    let lo = 0;
    let hi = this.times.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.times[mid]! <= due) lo = mid + 1;
      else hi = mid;
    }
    return this.base + lo;
  }

  private generate(): void {
    this.last += -Math.log(1 - this.random());
    this.times.push(this.last);
    this.generated++;
  }
}

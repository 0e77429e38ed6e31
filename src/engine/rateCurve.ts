import type { PublisherRate } from '../profile/rateSchema.js';
import { parseDurationMs } from '../profile/duration.js';

/** One piece of a publisher's rate: linear from `fromMsgsPerS` to `toMsgsPerS` over `durationS` (a step when the two are equal). */
export interface RatePiece {
  durationS: number;
  fromMsgsPerS: number;
  toMsgsPerS: number;
}

/**
 * A publisher's rate over time, from the start of sending (warm-up included): the pieces one after
 * another, then `thenMsgsPerS` (> 0) until sending stops. Plain data: it crosses to worker threads.
 */
export interface RateCurveSpec {
  pieces: RatePiece[];
  thenMsgsPerS: number;
}

/** The profile's `publishers.rate` as a curve; null when unlimited (0). */
export function rateCurveOf(rate: PublisherRate): RateCurveSpec | null {
  if (typeof rate === 'number') return rate > 0 ? { pieces: [], thenMsgsPerS: rate } : null;
  if (rate.steps) {
    const pieces = rate.steps.map((s) => ({ durationS: seconds(s.for), fromMsgsPerS: s.rate, toMsgsPerS: s.rate }));
    return { pieces, thenMsgsPerS: rate.steps[rate.steps.length - 1]!.rate };
  }
  if (rate.ramp) {
    const { from, to, over } = rate.ramp;
    return { pieces: [{ durationS: seconds(over), fromMsgsPerS: from, toMsgsPerS: to }], thenMsgsPerS: to };
  }
  // The schema refuses a schedule with neither; reaching this means the profile bypassed it.
  throw new Error('publishers.rate: a schedule needs steps or a ramp');
}

function seconds(text: string): number {
  const ms = parseDurationMs(text);
  if (ms === undefined) throw new Error(`invalid duration ${JSON.stringify(text)} in a validated profile`);
  return ms / 1000;
}

interface Piece extends RatePiece {
  startS: number;
  /** Messages due at the piece's start: the integral of the rate before it. */
  countAtStart: number;
  /** Messages due over the piece. */
  count: number;
  /** msgs/s². */
  slope: number;
}

/**
 * The integral of a rate curve and its inverse. `countAt(t)` is how many messages are due by `t`
 * seconds after the start of sending (a real number); `timeOfCount(n)` is when the n-th (real-valued)
 * message is due. A uniform schedule sends message i at timeOfCount(i + phase); a Poisson schedule
 * maps a unit-rate Poisson process through timeOfCount, which gives a Poisson process with the
 * curve's rate at every instant (time change of a non-homogeneous Poisson process): exact, not an
 * approximation. Ramps invert the quadratic integral of a linear rate.
 */
export class RateCurve {
  private readonly pieces: Piece[] = [];
  private readonly tailStartS: number;
  private readonly tailCount: number;
  private readonly thenMsgsPerS: number;
  /** Index of the piece the last lookup found: lookups mostly move forward, a little at a time. */
  private cursor = 0;

  constructor(spec: RateCurveSpec) {
    if (!(spec.thenMsgsPerS > 0)) throw new Error(`a rate curve must end with a rate > 0, got ${spec.thenMsgsPerS}`);
    let startS = 0;
    let countAtStart = 0;
    for (const p of spec.pieces) {
      if (!(p.durationS > 0)) continue;
      if (p.fromMsgsPerS < 0 || p.toMsgsPerS < 0) throw new Error('a rate curve cannot have negative rates');
      const count = ((p.fromMsgsPerS + p.toMsgsPerS) / 2) * p.durationS;
      this.pieces.push({ ...p, startS, countAtStart, count, slope: (p.toMsgsPerS - p.fromMsgsPerS) / p.durationS });
      startS += p.durationS;
      countAtStart += count;
    }
    this.tailStartS = startS;
    this.tailCount = countAtStart;
    this.thenMsgsPerS = spec.thenMsgsPerS;
  }

  /** The rate (msgs/s) at `tS` seconds after the start of sending; the first piece's rate before 0. */
  rateAt(tS: number): number {
    const t = Math.max(0, tS);
    if (t >= this.tailStartS) return this.thenMsgsPerS;
    const p = this.pieceAtTime(t);
    return p.fromMsgsPerS + p.slope * (t - p.startS);
  }

  /** Messages due by `tS` (the integral of the rate from 0 to tS); 0 before the start. */
  countAt(tS: number): number {
    if (tS <= 0) return 0;
    if (tS >= this.tailStartS) return this.tailCount + (tS - this.tailStartS) * this.thenMsgsPerS;
    const p = this.pieceAtTime(tS);
    const tau = tS - p.startS;
    return p.countAtStart + p.fromMsgsPerS * tau + (p.slope * tau * tau) / 2;
  }

  /** When `count` messages are due (seconds from the start): the inverse of countAt. */
  timeOfCount(count: number): number {
    if (count <= 0) return 0;
    if (count >= this.tailCount) return this.tailStartS + (count - this.tailCount) / this.thenMsgsPerS;
    const p = this.pieceAtCount(count);
    const m = count - p.countAtStart;
    const a = p.fromMsgsPerS;
    // Solve slope/2·τ² + a·τ = m for τ ≥ 0; this form stays exact for slope → 0 and for a = 0.
    // Within the piece a² + 2·slope·m ≥ toMsgsPerS² ≥ 0 even when the rate falls.
    const tau = p.slope === 0 ? m / a : (2 * m) / (a + Math.sqrt(Math.max(0, a * a + 2 * p.slope * m)));
    return p.startS + Math.min(p.durationS, tau);
  }

  /** Mean rate over [fromS, toS] (msgs/s): the messages due in it over its length. */
  meanRate(fromS: number, toS: number): number {
    if (toS <= fromS) return this.rateAt(fromS);
    return (this.countAt(toS) - this.countAt(fromS)) / (toS - fromS);
  }

  private pieceAtTime(tS: number): Piece {
    return this.find((p) => tS < p.startS, (p) => tS >= p.startS + p.durationS);
  }

  private pieceAtCount(count: number): Piece {
    return this.find((p) => count < p.countAtStart, (p) => count >= p.countAtStart + p.count);
  }

  /** The piece neither `before` nor `after` the value sought, walking from the last one found (callers checked the tail). */
  private find(before: (p: Piece) => boolean, after: (p: Piece) => boolean): Piece {
    let i = Math.min(this.cursor, this.pieces.length - 1);
    while (i > 0 && before(this.pieces[i]!)) i--;
    while (i < this.pieces.length - 1 && after(this.pieces[i]!)) i++;
    this.cursor = i;
    return this.pieces[i]!;
  }
}

import type { Phase } from '../engine/ticks.js';
import { RateCurve, rateCurveOf } from '../engine/rateCurve.js';
import type { Profile } from '../profile/schema.js';

/**
 * The series' `targetMsgsPerS`: what the publishers' rate schedule asked for over one interval, all
 * publishers together — the messages due in it (the integral of the rate, so the phases and Poisson
 * draws of single publishers do not matter) over its length. Schedule time 0 is the start barrier,
 * when sending starts (warm-up included). null when the rate is unlimited, there are no publishers,
 * or publishers no longer send (the drain).
 */
export function targetRateOf(profile: Profile): (phase: Phase, fromMs: number, toMs: number) => number | null {
  const spec = rateCurveOf(profile.publishers.rate);
  const publishers = profile.publishers.count;
  if (spec === null || publishers === 0) return () => null;
  const curve = new RateCurve(spec);
  return (phase, fromMs, toMs) => {
    if (phase === 'drain') return null;
    return Math.round(curve.meanRate(fromMs / 1000, toMs / 1000) * publishers * 10) / 10;
  };
}

import { z } from 'zod';
import { parseDurationMs } from './duration.js';
import { durationSchema } from './durationSchema.js';

/** A duration that must be longer than 0s (a schedule's step or ramp). */
const positiveDuration = durationSchema.refine((d) => (parseDurationMs(d) ?? 1) > 0, { message: 'must be longer than 0s' }); // a malformed one has its own error

const stepSchema = z
  .object({
    rate: z.number().gt(0).meta({ description: 'Messages per second per publisher during this step (> 0: a schedule cannot be unlimited).' }),
    for: positiveDuration.meta({ description: 'How long this step lasts, e.g. "30s".' }),
  })
  .strict();

const rampSchema = z
  .object({
    from: z.number().min(0).meta({ description: 'Messages per second per publisher at the start of sending.' }),
    to: z.number().gt(0).meta({ description: 'Messages per second per publisher at the end of the ramp; held after it.' }),
    over: positiveDuration.meta({ description: 'How long the rate takes to go from `from` to `to` (linearly), e.g. "60s".' }),
  })
  .strict();

export const rateScheduleSchema = z
  .object({
    steps: z
      .array(stepSchema)
      .min(1)
      .max(1000)
      .optional()
      .meta({ description: 'Rates one after another, e.g. [{"rate": 1000, "for": "30s"}, {"rate": 5000, "for": "30s"}]; after the last step its rate holds until sending stops.' }),
    ramp: rampSchema.optional().meta({ description: 'A rate rising (or falling) linearly, e.g. {"from": 100, "to": 5000, "over": "60s"}; after `over`, `to` holds until sending stops.' }),
  })
  .strict()
  .superRefine((s, ctx) => {
    if (s.steps === undefined && s.ramp === undefined) {
      ctx.addIssue({ code: 'custom', message: 'a rate schedule needs "steps" or "ramp"', params: { showValue: false } });
    }
    if (s.steps !== undefined && s.ramp !== undefined) {
      ctx.addIssue({ code: 'custom', message: 'set either "steps" or "ramp", not both', params: { showValue: false } });
    }
  });

export const PUBLISHER_RATE_EXPECTED = 'expected a number >= 0 or a schedule ({"steps": [...]} or {"ramp": {...}})';

/**
 * `publishers.rate`: one rate (msgs/s per publisher, 0 = as fast as possible) or a schedule of
 * steps or a linear ramp. Schedule time 0 is the start of sending, warm-up included.
 */
export const publisherRateSchema = z.union([z.number().min(0), rateScheduleSchema], { error: PUBLISHER_RATE_EXPECTED }).meta({
  description:
    'Messages per second per publisher; 0 = as fast as possible. Or a schedule: {"steps": [{"rate": 1000, "for": "30s"}, ...]} or ' +
    '{"ramp": {"from": 100, "to": 5000, "over": "60s"}}; its time counts from the start of sending (warm-up included) and the last rate holds until sending stops.',
});

export type PublisherRate = z.output<typeof publisherRateSchema>;

/** The rate when it is one number (0 = unlimited); undefined for a schedule. */
export function fixedRate(rate: PublisherRate): number | undefined {
  return typeof rate === 'number' ? rate : undefined;
}

/** Is the rate limited at all (a number > 0 or any schedule)? Then latency is corrected from the intended send times. */
export function isRateLimited(rate: PublisherRate): boolean {
  return typeof rate !== 'number' || rate > 0;
}

/** Where a schedule's parts fall, in ms from the start of sending: each step's start, and the ramp's end. */
function scheduleMarks(rate: PublisherRate): { stepStartsMs: number[]; rampEndMs: number | undefined } {
  if (typeof rate === 'number') return { stepStartsMs: [], rampEndMs: undefined };
  const stepStartsMs: number[] = [];
  let t = 0;
  for (const s of rate.steps ?? []) {
    stepStartsMs.push(t);
    t += parseDurationMs(s.for) ?? 0;
  }
  return { stepStartsMs, rampEndMs: rate.ramp ? (parseDurationMs(rate.ramp.over) ?? 0) : undefined };
}

/**
 * Schedule parts that a timed run never reaches: a step that would start, or a ramp that would end,
 * after sending stops (warm-up + duration) — almost certainly a mistake in the profile.
 */
export function checkScheduleFitsRun(rate: PublisherRate, sendingMs: number, why: string, addIssue: (path: PropertyKey[], message: string) => void): void {
  const { stepStartsMs, rampEndMs } = scheduleMarks(rate);
  const end = `sending stops after ${fmtS(sendingMs)} (${why})`;
  stepStartsMs.forEach((startMs, i) => {
    if (startMs >= sendingMs) addIssue(['steps', i], `would start ${fmtS(startMs)} after sending starts, but ${end}: the step would never run`);
  });
  if (rampEndMs !== undefined && rampEndMs > sendingMs) {
    addIssue(['ramp', 'over'], `the ramp would end ${fmtS(rampEndMs)} after sending starts, but ${end}: it would never reach "to"`);
  }
}

function fmtS(ms: number): string {
  return `${Number((ms / 1000).toFixed(3))}s`;
}

import { z } from 'zod';
import { DURATION_PATTERN, parseDurationMs } from '../profile/duration.js';
import type { CapacitySettings } from './model.js';
import { parseSlo } from './search.js';

const duration = z.string().regex(DURATION_PATTERN, { message: 'expected a duration such as "500ms", "10s" or "1m30s"' });

/** Defaults shared by `mqbench capacity` and a capacity-mode matrix. */
export const CAPACITY_DEFAULTS = {
  step: '10s',
  settle: '3s',
  precision: 5,
  tolerance: 3,
  maxSteps: 20,
  fractions: [10, 25, 50, 75, 90, 100],
} as const;

/**
 * The search's options as people write them (percentages, duration strings): the `capacity` block of
 * a matrix profile, and what the `capacity` command's flags build.
 */
export const capacityOptionsSchema = z
  .object({
    step: duration
      .default(CAPACITY_DEFAULTS.step)
      .refine((d) => (parseDurationMs(d) ?? 0) >= 3000, { message: 'expected at least 3s (backlog detection needs 3 depth readings)' })
      .meta({ description: 'Measured time per step.' }),
    settle: duration.default(CAPACITY_DEFAULTS.settle).meta({ description: 'Warm-up before each step (not measured).' }),
    precision: z
      .number()
      .gt(0)
      .lt(100)
      .default(CAPACITY_DEFAULTS.precision)
      .meta({ description: 'Stop when the bracket [sustained, not sustained] is narrower than this % of its lower end.' }),
    tolerance: z
      .number()
      .min(0)
      .lt(100)
      .default(CAPACITY_DEFAULTS.tolerance)
      .meta({ description: 'A rate is sustained when published and consumed reach (100 − tolerance) % of it.' }),
    maxSteps: z.int().min(1).max(100).default(CAPACITY_DEFAULTS.maxSteps).meta({ description: 'Search steps at most (the probe and the curve not counted).' }),
    startRate: z.number().positive().optional().meta({ description: "First total rate to try, msgs/s (default: half of a full-speed probe's consume rate)." }),
    slo: z
      .array(
        z.string().superRefine((s, ctx) => {
          try {
            parseSlo(s);
          } catch (err) {
            ctx.addIssue({ code: 'custom', message: (err as Error).message });
          }
        }),
      )
      .default([])
      .meta({ description: 'Latency bounds a sustained rate must meet, e.g. "e2e.p99<50ms", "confirm.p50<5ms".' }),
    curve: z.boolean().default(true).meta({ description: 'Measure latency at `fractions` of the capacity found.' }),
    fractions: z
      .array(z.number().gt(0).max(200))
      .min(1)
      .default([...CAPACITY_DEFAULTS.fractions])
      .meta({ description: 'Percentages of the capacity for the latency curve.' }),
  })
  .strict();

export type CapacityOptions = z.output<typeof capacityOptionsSchema>;

/** The settings a search runs with (fractions as 0..2, SLOs parsed, durations in ms). Input already validated. */
export function capacitySettings(o: CapacityOptions): CapacitySettings {
  return {
    precision: o.precision / 100,
    tolerance: o.tolerance / 100,
    stepMs: parseDurationMs(o.step)!,
    settleMs: parseDurationMs(o.settle)!,
    maxSteps: o.maxSteps,
    startMsgsPerS: o.startRate ?? null,
    slos: o.slo.map(parseSlo),
    fractions: o.curve ? o.fractions.map((f) => f / 100) : [],
  };
}

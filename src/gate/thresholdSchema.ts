import { z } from 'zod';
import { DURATION_PATTERN, parseDurationMs } from '../profile/duration.js';
import { ExpressionError, describeAggregation, hasTimeUnit, parseExpression } from './expression.js';
import { findMetric, nearestMetric, type MetricDef } from './metrics.js';
import type { Threshold, ThresholdExpression } from './model.js';

/**
 * Thresholds, k6-style: metric name → list of expressions, each a string or
 * `{ "threshold": "...", "abortOnFail": true, "delayAbortEval": "10s" }`. The same object sits in a
 * profile's `thresholds` or in a thresholds file (`{ "thresholds": { ... } }`). Validation names the
 * metric and says what is wrong; unknown metrics get the nearest name.
 */

/** Metrics whose value is known while the run goes on (from the per-second ticks): abortOnFail works only on them. */
export const LIVE_METRIC_PREFIXES = ['rate.', 'latency.'] as const;
export const isLiveMetric = (name: string): boolean => LIVE_METRIC_PREFIXES.some((p) => name.startsWith(p));

const DURATION_EXPECTED = 'expected a duration such as "10s"';

const thresholdObject = z
  .object({
    threshold: z.string().meta({ description: 'The expression, e.g. "p(99) < 50ms".' }),
    abortOnFail: z.boolean().default(false).meta({ description: 'Stop the run as soon as the threshold is crossed (rate.* and latency.* only; absolute limits only). The result is still written.' }),
    delayAbortEval: z
      .string()
      .regex(DURATION_PATTERN, { message: DURATION_EXPECTED })
      .default('5s')
      .meta({ description: 'Measured time before abortOnFail may stop the run (early seconds are noisy).' }),
  })
  .strict();

const thresholdEntry = z.union([z.string(), thresholdObject]);

export const thresholdsSchema = z
  .record(z.string(), z.array(thresholdEntry).min(1, { message: 'expected at least one threshold expression' }))
  .superRefine((record, ctx) => {
    for (const [metric, entries] of Object.entries(record)) {
      const def = findMetric(metric);
      if (!def) {
        ctx.addIssue({ code: 'custom', path: [metric], message: `unknown metric "${metric}"; did you mean "${nearestMetric(metric)}"? (mqbench gate --help lists them)`, params: { showValue: false } });
        continue;
      }
      entries.forEach((entry, i) => {
        const problem = checkEntry(def, entry);
        if (problem) ctx.addIssue({ code: 'custom', path: [metric, i], message: problem, params: { showValue: false } });
      });
    }
  })
  .meta({
    description:
      'Pass/fail thresholds (mqbench gate, run --gate): metric name → expressions such as "mean >= 20000", "p(99) < 50ms", "count == 0", ' +
      '"mean >= baseline - 10%". Metric names: mqbench gate --help.',
  });

export type ThresholdsInput = z.input<typeof thresholdsSchema>;
export type ThresholdsConfig = z.output<typeof thresholdsSchema>;

export const thresholdsFileSchema = z
  .object({
    $schema: z.string().optional().meta({ description: 'JSON Schema for editors.' }),
    thresholds: thresholdsSchema,
  })
  .strict();

function checkEntry(def: MetricDef, entry: z.output<typeof thresholdEntry>): string | undefined {
  const source = typeof entry === 'string' ? entry : entry.threshold;
  let expr: ThresholdExpression;
  try {
    expr = parseExpression(source);
  } catch (err) {
    if (err instanceof ExpressionError) return err.message;
    throw err;
  }
  if (!def.statistics.includes(expr.aggregation.kind)) {
    const has = def.statistics.map((s) => (s === 'percentile' ? 'p(q)' : s)).join(', ');
    return `"${source}": ${def.name} has no ${describeAggregation(expr.aggregation)}: use ${has}`;
  }
  if (hasTimeUnit(expr.source) && def.unit !== 'ms') return `"${source}": ${def.name} is in ${def.unit}, not a duration: drop the time unit`;
  if (typeof entry !== 'string' && entry.abortOnFail) {
    if (!isLiveMetric(def.name)) return `"${source}": abortOnFail works only for rate.* and latency.* metrics (${def.name} is known only at the end)`;
    if (expr.limit.kind === 'relative') return `"${source}": abortOnFail needs an absolute limit, not one relative to a baseline`;
  }
  return undefined;
}

/** Thresholds as the gate uses them (the config must have passed the schema). */
export function toThresholds(config: ThresholdsConfig): Threshold[] {
  return Object.entries(config).flatMap(([metric, entries]) =>
    entries.map((entry) => {
      const obj = typeof entry === 'string' ? { threshold: entry, abortOnFail: false, delayAbortEval: '5s' } : entry;
      return { metric, expression: parseExpression(obj.threshold), abortOnFail: obj.abortOnFail, delayAbortEvalMs: parseDurationMs(obj.delayAbortEval) ?? 0 };
    }),
  );
}

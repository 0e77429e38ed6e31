/**
 * What a gate decided: one row per threshold, the verdict first. Built by evaluate.ts, printed by
 * the renderers in gate/output/ (table, Markdown, JUnit XML, JSON).
 */

/** The statistic a threshold reads from a metric. */
export type Aggregation =
  | { kind: 'mean' }
  | { kind: 'min' }
  | { kind: 'max' }
  | { kind: 'stddev' }
  | { kind: 'count' }
  | { kind: 'value' }
  /** p(99.9): a percentile of a latency histogram. */
  | { kind: 'percentile'; q: number };

export type Comparison = '<' | '<=' | '>' | '>=' | '==' | '!=';

/** The right-hand side: a fixed limit, or the baseline's value with an optional margin. */
export type Limit =
  | { kind: 'absolute'; value: number }
  /** baseline ± percent (e.g. -10 for "baseline - 10%"), or ± an absolute amount in the metric's unit. */
  | { kind: 'relative'; percent: number | null; delta: number | null };

/** One parsed threshold expression, e.g. "p(99) < 50ms" or "mean >= baseline - 10%". */
export interface ThresholdExpression {
  /** As written by the user. */
  source: string;
  aggregation: Aggregation;
  comparison: Comparison;
  limit: Limit;
}

/** One threshold as configured: the metric, the expression and k6's abort options. */
export interface Threshold {
  metric: string;
  expression: ThresholdExpression;
  abortOnFail: boolean;
  /** With abortOnFail: measured time before the threshold may abort the run, ms. */
  delayAbortEvalMs: number;
}

/**
 * pass: within the limit; fail: crossed (for a relative threshold: crossed and beyond the noise);
 * noChange: a relative threshold's estimate crossed the limit but the change is not significant;
 * inconclusive: a relative threshold on a single run (no between-run noise, no verdict).
 */
export type ThresholdStatus = 'pass' | 'fail' | 'noChange' | 'inconclusive';

/** Between-run statistics of a relative threshold (both sides repeated). */
export interface Significance {
  method: 'mann-whitney-u';
  /** Two-sided p-value of the per-run values (exact for small samples). */
  pValue: number;
  alpha: number;
  significant: boolean;
  /** median(current per-run values) / median(baseline per-run values). */
  ratioOfMedians: number;
  currentRuns: number;
  baselineRuns: number;
}

export interface ThresholdOutcome {
  metric: string;
  /** The expression as written, e.g. "p(99) < 50ms". */
  expression: string;
  /** The measured statistic, in `unit`. */
  value: number;
  /** The limit it is held to (for a relative threshold: computed from the baseline), in `unit`. */
  limit: number;
  /** For relative thresholds: the baseline's statistic, else null. */
  baselineValue: number | null;
  unit: string;
  status: ThresholdStatus;
  significance: Significance | null;
  /** One line for a person: why this status. */
  detail: string;
}

/** Key figures of the subject next to the baseline, for the summaries. */
export interface KeyFigure {
  metric: string;
  label: string;
  unit: string;
  value: number;
  baselineValue: number | null;
  /** (value − baseline) / baseline in percent; null without a baseline. */
  changePercent: number | null;
  /** Between-run judgement when both sides are repeated, else null. */
  significance: Significance | null;
}

export interface GateReport {
  /** passed: every threshold pass / noChange / inconclusive; failed: at least one fail. */
  verdict: 'passed' | 'failed';
  /** One line: "failed: 1 of 4 thresholds crossed (rate.consumed mean >= baseline - 10%)". */
  headline: string;
  /** runs: the measured runs (a capacity result: 1, its search). */
  subject: { file: string; name: string; kind: 'run' | 'repeated' | 'capacity'; runs: number };
  baseline: { file: string; name: string; kind: 'run' | 'repeated' | 'capacity'; runs: number } | null;
  alpha: number;
  thresholds: ThresholdOutcome[];
  keyFigures: KeyFigure[];
  /** Warnings a person should read (single runs, the subject's own run verdicts). */
  notes: string[];
}

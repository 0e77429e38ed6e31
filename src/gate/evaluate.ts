import { basename } from 'node:path';
import { GateInputError } from './errors.js';
import { compare, describeAggregation } from './expression.js';
import { findMetric, isMissing, metricValue, type GateSubject, type MetricDef } from './metrics.js';
import type { Aggregation, GateReport, KeyFigure, Significance, Threshold, ThresholdOutcome } from './model.js';
import { mannWhitneyU, median } from './stats.js';

/** Default significance level of the between-run test. */
export const DEFAULT_ALPHA = 0.05;

/**
 * Holds a result to its thresholds. Absolute limits are compared with the combined value (rates
 * averaged over runs, latency from merged histograms, counts summed). A relative limit
 * ("baseline - 10%") fails only when the estimate crosses it AND the per-run values of subject and
 * baseline differ beyond the noise (two-sided Mann–Whitney U, p < alpha); a crossing within the
 * noise is "no significant change"; with a single run on either side there is no verdict.
 */
export function evaluateGate(thresholds: readonly Threshold[], subject: GateSubject, baseline: GateSubject | null, alpha = DEFAULT_ALPHA): GateReport {
  if (thresholds.length === 0) throw new GateInputError('no thresholds: set "thresholds" in the profile or give --thresholds <file>');
  const outcomes = thresholds.map((t) => evaluateOne(t, subject, baseline, alpha));
  const failed = outcomes.filter((o) => o.status === 'fail');
  const headline =
    failed.length > 0
      ? `failed: ${failed.length} of ${outcomes.length} threshold${outcomes.length === 1 ? '' : 's'} crossed (${failed.map((o) => `${o.metric} ${o.expression}`).join('; ')})`
      : `passed: ${outcomes.length} threshold${outcomes.length === 1 ? '' : 's'} held${summarizeSoft(outcomes)}`;
  return {
    verdict: failed.length > 0 ? 'failed' : 'passed',
    headline,
    subject: describe(subject),
    baseline: baseline ? describe(baseline) : null,
    alpha,
    thresholds: outcomes,
    keyFigures: keyFigures(subject, baseline, alpha),
    notes: notes(subject, baseline, outcomes),
  };
}

function summarizeSoft(outcomes: ThresholdOutcome[]): string {
  const noChange = outcomes.filter((o) => o.status === 'noChange').length;
  const inconclusive = outcomes.filter((o) => o.status === 'inconclusive').length;
  const parts = [noChange > 0 ? `${noChange} crossed within the noise (no significant change)` : '', inconclusive > 0 ? `${inconclusive} without a verdict (single run)` : ''];
  const said = parts.filter(Boolean);
  return said.length > 0 ? `; ${said.join(', ')}` : '';
}

/** runs: measured runs; a capacity result counts as one (its search). */
const describe = (s: GateSubject) => ({ file: s.file, name: s.name, kind: s.kind, runs: samples(s) });

/** How many independent measurements the subject holds: its runs, or 1 for a capacity search. */
const samples = (s: GateSubject): number => (s.kind === 'capacity' ? 1 : s.runs.length);

function valueOf(def: MetricDef, s: GateSubject, a: Aggregation): number {
  const v = metricValue(def, s, a);
  if (isMissing(v)) throw new GateInputError(`${def.name}: missing in ${basename(s.file)}: ${v.missing}`);
  return v;
}

function perRunValues(def: MetricDef, s: GateSubject, a: Aggregation): number[] {
  return s.runs.map((r) => {
    const v = def.perRun(r, a);
    if (isMissing(v)) throw new GateInputError(`${def.name}: missing in ${basename(s.file)}: ${v.missing}`);
    return v;
  });
}

/** Between-run test of subject against baseline; null when either side has a single run (or is a capacity search: one value). */
export function significance(def: MetricDef, a: Aggregation, subject: GateSubject, baseline: GateSubject, alpha: number): Significance | null {
  if (samples(subject) < 2 || samples(baseline) < 2) return null;
  const cur = perRunValues(def, subject, a);
  const base = perRunValues(def, baseline, a);
  const test = mannWhitneyU(cur, base);
  const mb = median(base);
  return {
    method: 'mann-whitney-u',
    pValue: test.pValue,
    alpha,
    significant: test.pValue < alpha,
    ratioOfMedians: mb === 0 ? (median(cur) === 0 ? 1 : Number.POSITIVE_INFINITY) : median(cur) / mb,
    currentRuns: cur.length,
    baselineRuns: base.length,
  };
}

function evaluateOne(t: Threshold, subject: GateSubject, baseline: GateSubject | null, alpha: number): ThresholdOutcome {
  const def = findMetric(t.metric);
  if (!def) throw new GateInputError(`unknown metric "${t.metric}"`);
  const a = t.expression.aggregation;
  const stat = describeAggregation(a);
  const value = valueOf(def, subject, a);
  const base = { metric: t.metric, expression: t.expression.source, unit: def.unit, value };
  const limitSpec = t.expression.limit;
  if (limitSpec.kind === 'absolute') {
    const ok = compare(value, t.expression.comparison, limitSpec.value);
    return {
      ...base,
      limit: limitSpec.value,
      baselineValue: null,
      status: ok ? 'pass' : 'fail',
      significance: null,
      detail: `${stat} ${fmt(value)} ${def.unit} ${ok ? 'is' : 'is not'} ${t.expression.comparison} ${fmt(limitSpec.value)}${subject.runs.length > 1 ? ` (over ${subject.runs.length} runs)` : ''}`,
    };
  }
  if (!baseline) throw new GateInputError(`${t.metric} "${t.expression.source}": relative to a baseline, but no baseline was given (--baseline <result.json or name>)`);
  const baselineValue = valueOf(def, baseline, a);
  const limit = limitSpec.percent !== null ? baselineValue * (1 + limitSpec.percent / 100) : baselineValue + (limitSpec.delta ?? 0);
  const within = compare(value, t.expression.comparison, limit);
  const sig = significance(def, a, subject, baseline, alpha);
  const change = baselineValue === 0 ? '' : ` (${signed(((value - baselineValue) / baselineValue) * 100)} % vs baseline ${fmt(baselineValue)})`;
  const estimate = `${stat} ${fmt(value)} ${def.unit}${change} ${within ? 'within' : 'beyond'} the limit ${fmt(limit)}`;
  if (!sig) {
    const which = singleWhich(subject, baseline);
    const hint = subject.kind === 'capacity' || baseline.kind === 'capacity' ? '' : '; use --repeat';
    return { ...base, limit, baselineValue, status: 'inconclusive', significance: null, detail: `single run: no verdict (${which}${hint}): ${estimate}` };
  }
  const p = `p = ${fmtP(sig.pValue)}, ${sig.currentRuns} vs ${sig.baselineRuns} runs`;
  if (within) {
    const judged = sig.significant ? `a significant change (${p} < ${alpha}), within the limit` : `no significant change (${p} ≥ ${alpha})`;
    return { ...base, limit, baselineValue, status: 'pass', significance: sig, detail: `${judged}: ${estimate}` };
  }
  if (!sig.significant) return { ...base, limit, baselineValue, status: 'noChange', significance: sig, detail: `no significant change: ${estimate}, but within the noise (${p} ≥ ${alpha})` };
  return { ...base, limit, baselineValue, status: 'fail', significance: sig, detail: `${estimate}, beyond the noise (${p} < ${alpha})` };
}

/** Why a relative threshold has no verdict: which side is a single run (or a capacity search, one value with no noise estimate). */
function singleWhich(subject: GateSubject, baseline: GateSubject): string {
  const one = (s: GateSubject): string => (s.kind === 'capacity' ? 'a capacity search, one value with no run-to-run noise estimate' : 'a single run');
  const subjectSingle = samples(subject) < 2;
  const baselineSingle = samples(baseline) < 2;
  if (subjectSingle && baselineSingle) {
    if (subject.kind !== baseline.kind) return `the subject is ${one(subject)}; the baseline ${one(baseline)}`;
    return subject.kind === 'capacity' ? 'subject and baseline are capacity searches, one value each with no run-to-run noise estimate' : 'subject and baseline are single runs';
  }
  return subjectSingle ? `the subject is ${one(subject)}` : `the baseline is ${one(baseline)}`;
}

const KEY_FIGURES: ReadonlyArray<[string, Aggregation, string]> = [
  ['rate.consumed', { kind: 'mean' }, 'consumed msgs/s'],
  ['rate.published', { kind: 'mean' }, 'published msgs/s'],
  ['latency.e2e', { kind: 'percentile', q: 50 }, 'e2e p50'],
  ['latency.e2e', { kind: 'percentile', q: 99 }, 'e2e p99'],
  ['latency.confirm', { kind: 'percentile', q: 99 }, 'confirm p99'],
  ['delivery.lost', { kind: 'count' }, 'lost'],
  ['capacity.sustainable', { kind: 'value' }, 'sustainable msgs/s'],
];

function keyFigures(subject: GateSubject, baseline: GateSubject | null, alpha: number): KeyFigure[] {
  const out: KeyFigure[] = [];
  for (const [metric, a, label] of KEY_FIGURES) {
    const def = findMetric(metric)!;
    const v = metricValue(def, subject, a);
    if (isMissing(v)) continue;
    const b = baseline ? metricValue(def, baseline, a) : null;
    const baselineValue = b === null || isMissing(b) ? null : b;
    let sig: Significance | null;
    try {
      sig = baseline && baselineValue !== null ? significance(def, a, subject, baseline, alpha) : null;
    } catch {
      sig = null; // a per-run value is missing somewhere: show the figure without a test
    }
    out.push({
      metric,
      label,
      unit: def.unit,
      value: v,
      baselineValue,
      changePercent: baselineValue === null || baselineValue === 0 ? null : ((v - baselineValue) / baselineValue) * 100,
      significance: sig,
    });
  }
  return out;
}

function notes(subject: GateSubject, baseline: GateSubject | null, outcomes: ThresholdOutcome[]): string[] {
  const out: string[] = [];
  for (const [who, s] of [['subject', subject], ['baseline', baseline]] as const) {
    if (!s) continue;
    s.runs.forEach((r, i) => {
      if (r.verdict.status !== 'ok') out.push(`${who} ${s.runs.length > 1 ? `run ${i + 1} of ${s.runs.length}` : 'run'}: ${r.verdict.status}: ${r.verdict.message}`);
    });
    const c = s.capacity;
    if (c && (c.interrupted || c.error)) out.push(`${who} capacity search ${c.interrupted ? 'was interrupted' : 'ended with an error'}: ${c.error ?? 'stopped early'}`);
  }
  if (outcomes.some((o) => o.status === 'inconclusive')) {
    out.push(
      subject.kind === 'capacity' || baseline?.kind === 'capacity'
        ? 'a capacity result is one search: a threshold relative to a baseline has no noise to be judged against and gives no verdict; hold capacity.sustainable to an absolute limit ("value >= 4000")'
        : 'relative thresholds need repeated runs on both sides to judge noise: run with --repeat 5 (and save a repeated baseline)',
    );
  }
  const subjectHost = hostOf(subject);
  const baselineHost = baseline ? hostOf(baseline) : undefined;
  if (subjectHost !== undefined && baselineHost !== undefined && subjectHost !== baselineHost) {
    out.push(`subject and baseline ran on different hosts (${subjectHost} vs ${baselineHost}): differences may be the machine's`);
  }
  return out;
}

const hostOf = (s: GateSubject): string | undefined => (s.capacity ?? s.runs[0])?.environment?.hostname;

export function fmt(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const abs = Math.abs(x);
  const digits = abs >= 100 ? 0 : abs >= 10 ? 1 : abs >= 1 ? 2 : 3;
  return x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 });
}

export const fmtP = (p: number): string => (p < 0.001 ? p.toExponential(1) : p.toFixed(3));
const signed = (x: number): string => `${x >= 0 ? '+' : ''}${x.toFixed(1)}`;

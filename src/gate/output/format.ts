/**
 * Number and wording helpers shared by the gate's renderers, so the terminal table, the Markdown
 * summary and the JUnit messages say the same thing the same way. The number rules are those of
 * src/report/ (summary, compare and matrix tables): milliseconds with 0–2 decimals by magnitude,
 * rates as whole msgs/s, message counts with thousands separators, changes as "+3.2%".
 */
import type { GateReport, KeyFigure, Significance, ThresholdOutcome, ThresholdStatus } from '../model.js';

/** Milliseconds (and other small measurements): 123, 12.3, 1.23 — as src/report/ prints them. */
const byMagnitude = (x: number): string => {
  const a = Math.abs(x);
  return a >= 100 ? x.toFixed(0) : a >= 10 ? x.toFixed(1) : x.toFixed(2);
};
const thousands = (x: number): string => x.toLocaleString('en-US', { maximumFractionDigits: 2 });

/** A number in its unit, without the unit: "12.3" (ms), "24113" (msgs/s), "1,024" (messages). */
export function formatNumber(x: number, unit: string): string {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? '–' : x > 0 ? '∞' : '-∞';
  if (unit === 'ms' || unit === 's') return byMagnitude(x);
  if (unit.endsWith('/s')) return Math.abs(x) >= 100 ? x.toFixed(0) : byMagnitude(x);
  if (unit === '%') return x.toFixed(1);
  if (Number.isInteger(x)) return thousands(x);
  return byMagnitude(x);
}

/** A number with its unit: "12.3 ms", "24113 msgs/s", "0" (a count without unit), "4.5%". */
export function formatQuantity(x: number, unit: string): string {
  const s = formatNumber(x, unit);
  if (unit === '' || !Number.isFinite(x)) return s;
  return unit === '%' ? `${s}%` : `${s} ${unit}`;
}

/** A change in percent, signed: "+3.2%", "-12.0%"; "–" when unknown. */
export function formatChange(percent: number | null): string {
  if (percent === null || !Number.isFinite(percent)) return '–';
  return `${percent >= 0 ? '+' : ''}${percent.toFixed(1)}%`;
}

/** "p = 0.008", "p < 0.001". */
export function formatP(p: number): string {
  return p < 0.001 ? 'p < 0.001' : `p = ${p.toFixed(3)}`;
}

/** "5 vs 5 runs": the subject's runs against the baseline's. */
export function runsText(s: Significance): string {
  return `${s.currentRuns} vs ${s.baselineRuns} runs`;
}

/** A between-run judgement in words: "p = 0.008 (5 vs 5 runs)" or "no significant change (p = 0.310, 5 vs 5 runs)". */
export function significanceText(s: Significance): string {
  return s.significant ? `${formatP(s.pValue)} (${runsText(s)})` : `no significant change (${formatP(s.pValue)}, ${runsText(s)})`;
}

export const SINGLE_RUN = 'single run: no verdict';

/**
 * The noise column of a threshold: the between-run test of a relative threshold, "single run: no
 * verdict" when it could not be judged, and nothing for an absolute threshold.
 */
export function thresholdSignificance(t: ThresholdOutcome): string {
  if (t.significance) return significanceText(t.significance);
  if (t.status === 'inconclusive') return SINGLE_RUN;
  return '';
}

/** The noise column of a key figure. */
export function keyFigureSignificance(k: KeyFigure, report: GateReport): string {
  if (k.significance) return significanceText(k.significance);
  if (k.baselineValue === null || !report.baseline) return '–';
  return report.subject.runs < 2 || report.baseline.runs < 2 ? SINGLE_RUN : '–';
}

/** The verdict of one threshold in a word or two; a crossed one in capitals so it stands out. */
export function statusLabel(status: ThresholdStatus): string {
  switch (status) {
    case 'pass':
      return 'pass';
    case 'fail':
      return 'FAIL';
    case 'noChange':
      return 'no change';
    case 'inconclusive':
      return 'inconclusive';
  }
}

/** The headline without a leading "passed:" / "failed:" (the verdict is printed just before it). */
export function headlineText(report: GateReport): string {
  return report.headline.replace(/^\s*(passed|failed)\s*[:—–-]\s*/i, '').trim() || report.headline;
}

/** "results/q.json (quorum-3node, 5 runs)", "results/c.json (quorum-3node, capacity search)". */
export function sideText(side: NonNullable<GateReport['baseline']>): string {
  if (side.kind === 'capacity') return `${side.file} (${side.name}, capacity search)`;
  return `${side.file} (${side.name}, ${side.runs} ${side.runs === 1 ? 'run' : 'runs'})`;
}

/** The baseline column of a threshold: the baseline's statistic, or "–" for an absolute threshold. */
export function baselineCell(t: ThresholdOutcome): string {
  return t.baselineValue === null ? '–' : formatQuantity(t.baselineValue, t.unit);
}

export function counts(report: GateReport): { tests: number; failures: number; skipped: number } {
  const ts = report.thresholds;
  return { tests: ts.length, failures: ts.filter((t) => t.status === 'fail').length, skipped: ts.filter((t) => t.status === 'inconclusive').length };
}

import { basename } from 'node:path';
import { mannWhitneyU, median } from '../gate/stats.js';
import type { CellSummary, MatrixResult } from '../matrix/model.js';
import { meanStd, type MeanStd } from '../metrics/meanStd.js';
import type { RepeatedResult, RunResult } from '../results/model.js';
import { measuredRuns } from '../results/repeated.js';

/** The significance level compare uses unless told otherwise (--alpha). */
export const DEFAULT_ALPHA = 0.05;

/** One thing to compare: a single run, a repeated run, or a matrix cell with its repetitions. */
export interface CompareEntry {
  label: string;
  kind: 'run' | 'repeated' | 'cell';
  /** Consumed msgs/s of every measured run: [its rate] for a single run, one per repetition otherwise. */
  samples: number[];
  /** Mean ± stddev of the samples, across runs (stddev 0 for a single run). */
  throughput: MeanStd;
  publishRate: number;
  e2eP50Ms: number;
  e2eP99Ms: number;
  confirmP99Ms: number;
  /** Confirmed messages proven lost; null when the account was incomplete (loss not computed). */
  lost: number | null;
  /** Verdicts that were not ok, e.g. ["lost"] (repeated runs and cells list each repetition's). */
  problems: string[];
}

export function runEntry(r: RunResult, file: string): CompareEntry {
  const rate = r.rates.consumed.overallMsgsPerS;
  return {
    label: `${r.name} (${basename(file)})`,
    kind: 'run',
    samples: [rate],
    throughput: { mean: rate, stddev: 0, n: 1 },
    publishRate: r.rates.published.overallMsgsPerS,
    e2eP50Ms: r.latency.e2e.corrected.p50Ms,
    e2eP99Ms: r.latency.e2e.corrected.p99Ms,
    confirmP99Ms: r.latency.confirm.corrected.p99Ms,
    lost: r.delivery.lost,
    // Results written before verdicts existed have none.
    problems: r.verdict && r.verdict.status !== 'ok' ? [r.verdict.status] : [],
  };
}

/** Runs summarized as a cell (matrix cell or repeated run): per-run rates, merged latency, summed account. */
function summaryEntry(label: string, kind: 'repeated' | 'cell', runs: RunResult[], s: CellSummary): CompareEntry {
  const samples = measuredRuns(runs).map((r) => r.rates.consumed.overallMsgsPerS);
  return {
    label,
    kind,
    samples,
    throughput: samples.length > 0 ? meanStd(samples) : s.consumeRate,
    publishRate: s.publishRate.mean,
    e2eP50Ms: s.e2e.p50Ms,
    e2eP99Ms: s.e2e.p99Ms,
    confirmP99Ms: s.confirm.p99Ms,
    lost: s.lost,
    problems: (s.verdicts ?? []).filter((v) => v !== 'ok'),
  };
}

/** A repeated result (`run --repeat N`): one entry, its repetitions the samples; none when nothing was measured. */
export function repeatedEntry(r: RepeatedResult, file: string): CompareEntry[] {
  return r.summary ? [summaryEntry(`${r.name} (${basename(file)})`, 'repeated', r.runs, r.summary)] : [];
}

export function matrixEntries(m: MatrixResult, file: string): CompareEntry[] {
  return m.cells.flatMap((c) => (c.summary ? [summaryEntry(`${c.label} (${basename(file)})`, 'cell', c.runs, c.summary)] : []));
}

/**
 * How an entry's throughput compares with the reference's. faster / slower only when both have
 * at least two runs and a two-sided Mann–Whitney U test of their per-run rates gives p < alpha;
 * noChange when it does not; singleRun when either side is one run (its run-to-run noise is
 * unknown, so there is no verdict). The size of the change is the ratio of the medians.
 */
export interface Judgement {
  verdict: 'faster' | 'slower' | 'noChange' | 'singleRun';
  /** median(entry) / median(reference); null when the reference's median is 0. */
  ratio: number | null;
  /** (ratio − 1) × 100. */
  percent: number | null;
  /** Two-sided p-value; null for a single run. */
  pValue: number | null;
  /**
   * The smallest p-value these numbers of runs can give at all (every run of one side above every
   * run of the other): when it is not below alpha, no difference can ever be significant.
   */
  minPValue: number | null;
  alpha: number;
}

/** p of perfectly separated samples of sizes n and m: the floor of what the test can show. */
export function minimumPValue(n: number, m: number): number {
  return mannWhitneyU(
    Array.from({ length: n }, (_, i) => m + i),
    Array.from({ length: m }, (_, i) => i),
  ).pValue;
}

export function judgeThroughput(entry: Pick<CompareEntry, 'samples'>, reference: Pick<CompareEntry, 'samples'>, alpha = DEFAULT_ALPHA): Judgement {
  const refMedian = median(reference.samples);
  const ratio = refMedian > 0 ? median(entry.samples) / refMedian : null;
  const percent = ratio === null ? null : (ratio - 1) * 100;
  if (entry.samples.length < 2 || reference.samples.length < 2) return { verdict: 'singleRun', ratio, percent, pValue: null, minPValue: null, alpha };
  const { u, pValue } = mannWhitneyU(entry.samples, reference.samples);
  const minPValue = minimumPValue(entry.samples.length, reference.samples.length);
  // The direction the test saw: U above half of all pairs means the entry's runs tend to be faster.
  const half = (entry.samples.length * reference.samples.length) / 2;
  const verdict = pValue >= alpha || u === half ? 'noChange' : u > half ? 'faster' : 'slower';
  return { verdict, ratio, percent, pValue, minPValue, alpha };
}

/** "0.31", "0.008", "< 0.001". */
export function formatP(p: number): string {
  if (p < 0.001) return '< 0.001';
  return `= ${p < 0.01 ? p.toFixed(3) : p.toFixed(2)}`;
}

/** The verdict for a person: "slower (p = 0.008)", "no significant change (p = 0.31)", "single run: no verdict". */
export function verdictText(j: Judgement): string {
  switch (j.verdict) {
    case 'singleRun':
      return 'single run: no verdict';
    case 'noChange':
      return `no significant change (p ${formatP(j.pValue!)})`;
    case 'faster':
    case 'slower':
      return `${j.verdict} (p ${formatP(j.pValue!)})`;
  }
}

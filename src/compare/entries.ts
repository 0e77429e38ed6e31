import { basename } from 'node:path';
import type { MatrixResult } from '../matrix/model.js';
import type { MeanStd } from '../metrics/meanStd.js';
import type { RunResult } from '../results/model.js';

/** One thing to compare: a single run, or a matrix cell with its repetitions. */
export interface CompareEntry {
  label: string;
  /** Consumed msgs/s; stddev is the noise: across repetitions for a cell, across seconds (standard error) for a run. */
  throughput: MeanStd;
  noiseKind: 'repetitions' | 'seconds';
  publishRate: number;
  e2eP50Ms: number;
  e2eP99Ms: number;
  confirmP99Ms: number;
  /** Confirmed messages proven lost; null when the account was incomplete (loss not computed). */
  lost: number | null;
  /** Verdicts that were not ok, e.g. ["lost"] (a cell lists each repetition's). */
  problems: string[];
}

export function runEntry(r: RunResult, file: string): CompareEntry {
  const samples = r.series.filter((p) => p.phase === 'measure').length;
  const c = r.rates.consumed;
  return {
    label: `${r.name} (${basename(file)})`,
    throughput: { mean: c.overallMsgsPerS, stddev: samples > 1 ? c.stddevMsgsPerS / Math.sqrt(samples) : 0, n: samples },
    noiseKind: 'seconds',
    publishRate: r.rates.published.overallMsgsPerS,
    e2eP50Ms: r.latency.e2e.corrected.p50Ms,
    e2eP99Ms: r.latency.e2e.corrected.p99Ms,
    confirmP99Ms: r.latency.confirm.corrected.p99Ms,
    lost: r.delivery.lost,
    // Results written before verdicts existed have none.
    problems: r.verdict && r.verdict.status !== 'ok' ? [r.verdict.status] : [],
  };
}

export function matrixEntries(m: MatrixResult, file: string): CompareEntry[] {
  return m.cells.flatMap((c) =>
    c.summary
      ? [
          {
            label: `${c.label} (${basename(file)})`,
            throughput: c.summary.consumeRate,
            noiseKind: 'repetitions' as const,
            publishRate: c.summary.publishRate.mean,
            e2eP50Ms: c.summary.e2e.p50Ms,
            e2eP99Ms: c.summary.e2e.p99Ms,
            confirmP99Ms: c.summary.confirm.p99Ms,
            lost: c.summary.lost,
            problems: (c.summary.verdicts ?? []).filter((v) => v !== 'ok'),
          },
        ]
      : [],
  );
}

export interface Difference {
  /** (entry − reference) / reference, in percent. */
  percent: number;
  /** Combined noise of both, in percent of the reference. */
  noisePercent: number;
  /** The difference exceeds twice the combined noise. */
  real: boolean;
  /** false when an entry has a single repetition or second: its noise cannot be estimated. */
  noiseKnown: boolean;
}

export function throughputDifference(entry: CompareEntry, reference: CompareEntry): Difference {
  const ref = reference.throughput.mean;
  const noiseKnown = entry.throughput.n > 1 && reference.throughput.n > 1;
  if (ref === 0) return { percent: 0, noisePercent: 0, real: false, noiseKnown };
  const percent = ((entry.throughput.mean - ref) / ref) * 100;
  const noisePercent = (Math.sqrt(entry.throughput.stddev ** 2 + reference.throughput.stddev ** 2) / ref) * 100;
  return { percent, noisePercent, real: noiseKnown && Math.abs(percent) > 2 * noisePercent, noiseKnown };
}

import { summarize } from '../metrics/histogram.js';
import { addEncoded, createLatencySet, destroySet, encodeSet } from '../metrics/latencySet.js';
import { meanStd, ratio } from '../metrics/meanStd.js';
import type { RunResult } from '../results/model.js';
import type { CellSummary, MatrixCell } from './model.js';

/** Throughput across repetitions, and latency from every repetition's histograms merged exactly. */
export function summarizeRuns(runs: RunResult[]): CellSummary | null {
  const measured = runs.filter((r) => !r.interrupted && r.timing.measuredMs > 0);
  if (measured.length === 0) return null;
  const merged = createLatencySet();
  for (const r of measured) addEncoded(merged, r.histograms);
  const summary: CellSummary = {
    repetitions: measured.length,
    publishRate: meanStd(measured.map((r) => r.rates.published.overallMsgsPerS)),
    confirmRate: meanStd(measured.map((r) => r.rates.confirmed.overallMsgsPerS)),
    consumeRate: meanStd(measured.map((r) => r.rates.consumed.overallMsgsPerS)),
    e2e: summarize(merged.e2eCorrected),
    confirm: summarize(merged.confirmCorrected),
    histograms: encodeSet(merged),
    lost: measured.reduce((n, r) => n + r.delivery.lost, 0),
    duplicates: measured.reduce((n, r) => n + r.delivery.duplicates, 0),
    relative: null,
  };
  destroySet(merged);
  return summary;
}

/** Throughput is the consume rate: what made it through the broker, confirmed and delivered. */
export function addRelative(cells: MatrixCell[], baselineId: string | null): void {
  const base = cells.find((c) => c.id === baselineId)?.summary;
  if (!base) return;
  for (const c of cells) {
    if (!c.summary || c.id === baselineId) continue;
    c.summary.relative = {
      throughput: ratio(c.summary.consumeRate, base.consumeRate),
      e2eP99: base.e2e.p99Ms > 0 ? c.summary.e2e.p99Ms / base.e2e.p99Ms : 0,
      confirmP99: base.confirm.p99Ms > 0 ? c.summary.confirm.p99Ms / base.confirm.p99Ms : 0,
    };
  }
}

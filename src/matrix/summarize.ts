import { summarize } from '../metrics/histogram.js';
import { addEncoded, createLatencySet, destroySet, encodeSet } from '../metrics/latencySet.js';
import { meanStd, ratio } from '../metrics/meanStd.js';
import type { RunResult } from '../results/model.js';
import type { CellFaultSummary, CellSummary, MatrixCell, SpreadMs } from './model.js';

/** Mean ± stddev and max of some milliseconds (all 0, n 0, when there are none). */
export function spreadMs(xs: number[]): SpreadMs {
  return { ...meanStd(xs), max: xs.length > 0 ? Math.max(...xs) : 0 };
}

/** The first step that was applied (a step the run ended before is "not applied"). */
const firstApplied = (r: RunResult): NonNullable<RunResult['faults']>['steps'][number] | undefined =>
  r.faults?.steps.find((s) => !s.error?.startsWith('not applied'));

/** Availability figures across the runs that had a fault timeline; null when none had. */
export function summarizeFaults(runs: RunResult[]): CellFaultSummary | null {
  const withFaults = runs.filter((r) => r.faults);
  if (withFaults.length === 0) return null;
  const resumed = (key: 'confirmsResumedAfterMs' | 'deliveriesResumedAfterMs'): { ms: number[]; never: number } => {
    const steps = withFaults.map(firstApplied).filter((s) => s !== undefined);
    const ms = steps.map((s) => s[key]).filter((x): x is number => x !== null);
    return { ms, never: steps.length - ms.length };
  };
  const publish = resumed('confirmsResumedAfterMs');
  const consume = resumed('deliveriesResumedAfterMs');
  return {
    runs: withFaults.length,
    longestConfirmGapMs: spreadMs(withFaults.map((r) => r.faults!.longestConfirmGap?.durationMs ?? 0)),
    longestDeliveryGapMs: spreadMs(withFaults.map((r) => r.faults!.longestDeliveryGap?.durationMs ?? 0)),
    publishResumedAfterMs: spreadMs(publish.ms),
    publishNotResumed: publish.never,
    consumeResumedAfterMs: spreadMs(consume.ms),
    consumeNotResumed: consume.never,
  };
}

/**
 * Throughput across repetitions, latency from every repetition's histograms merged exactly, the
 * delivery account summed, and availability under faults. Interrupted runs are left out of the
 * figures (their verdicts are listed); a run that lost messages is measured like any other.
 */
export function summarizeRuns(runs: RunResult[]): CellSummary | null {
  const measured = runs.filter((r) => !r.interrupted && r.timing.measuredMs > 0);
  if (measured.length === 0) return null;
  // Not summed as 0: a run whose account is incomplete (or untracked) cannot say what it lost.
  const incomplete = measured.filter((r) => r.delivery.lost === null || r.delivery.unresolved === null || !r.delivery.complete).length;
  const verdicts = runs.map((r) => r.verdict.status);
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
    lost: incomplete > 0 ? null : measured.reduce((n, r) => n + (r.delivery.lost ?? 0), 0),
    accountingIncomplete: incomplete,
    unresolved: incomplete > 0 ? null : measured.reduce((n, r) => n + (r.delivery.unresolved ?? 0), 0),
    duplicates: measured.reduce((n, r) => n + r.delivery.duplicates, 0),
    unconfirmedAtLoss: measured.reduce((n, r) => n + r.delivery.unconfirmedAtLoss, 0),
    nacked: measured.reduce((n, r) => n + r.delivery.nacked, 0),
    returned: measured.reduce((n, r) => n + r.delivery.returned, 0),
    verdicts,
    backlogRuns: measured.filter((r) => r.backlog?.growing === true).length,
    notOk: verdicts.filter((v) => v !== 'ok').length,
    faults: summarizeFaults(measured),
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

/**
 * Why the matrix failed (exit 1), one line per failed repetition: it produced no measured run (did
 * not start, crashed, was interrupted), its verdict is failed (account incomplete, messages neither
 * consumed nor proven lost, agents left without a connection), or it lost confirmed messages while
 * its profile does not set allowLoss. With allowLoss, loss is the result of the experiment. Empty: ok.
 */
export function matrixFailures(cells: MatrixCell[]): string[] {
  const out: string[] = [];
  for (const c of cells) {
    for (const f of c.failures) out.push(`${c.label}, repetition ${f.repetition}: ${f.error}`);
    c.runs.forEach((r, i) => {
      if (r.interrupted) return; // already among the failures
      const where = `${c.label}, repetition ${i + 1}`;
      const lost = r.delivery.lost ?? 0;
      if (r.verdict.status === 'failed' || r.verdict.status === 'interrupted') out.push(`${where}: ${r.verdict.message}`);
      else if (lost > 0 && !r.profile.allowLoss) out.push(`${where}: ${lost.toLocaleString('en-US')} confirmed messages lost and the profile does not set allowLoss`);
    });
  }
  return out;
}

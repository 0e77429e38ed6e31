import type { MatrixResult } from '../matrix/model.js';
import { summarizeRuns } from '../matrix/summarize.js';
import { decodeHistogram, summarize, type LatencySummaryMs } from '../metrics/histogram.js';
import type { Profile } from '../profile/schema.js';
import { environmentInfo } from './environment.js';
import { RESULT_FORMAT_VERSION, type EnvironmentInfo, type RepeatedResult, type RunResult } from './model.js';
import { seriesRows, summaryRow } from './csv.js';
import { messageSizeCell } from '../engine/messageSizes.js';
import { fixedRate } from '../profile/rateSchema.js';

/**
 * `mqbench run --repeat N`: building the one result that holds every repetition, deciding its exit
 * code, and the views other commands need of it (a one-cell matrix for the report, CSV rows).
 */

export interface RepeatedInput {
  /** The profile as run (masked by the caller). */
  profile: Profile;
  profileSource: string;
  repeat: number;
  interleavedWith: string | null;
  runs: RunResult[];
  failures: Array<{ repetition: number; error: string }>;
  startedAt: Date;
  endedAt: Date;
  /** Why the repetitions stopped early (Ctrl-C, SIGTERM), else undefined. */
  aborted?: string | undefined;
  environment?: EnvironmentInfo;
}

/**
 * The runs a summary counts: finished (not interrupted) and with a measurement window. The same
 * filter summarizeRuns applies, so per-run samples and the summary always describe the same runs.
 */
export function measuredRuns(runs: readonly RunResult[]): RunResult[] {
  return runs.filter((r) => !r.interrupted && r.timing.measuredMs > 0);
}

/** The result of N repetitions: every run as written by `run`, and the summary a matrix cell gets. */
export function buildRepeatedResult(input: RepeatedInput): RepeatedResult {
  return {
    formatVersion: RESULT_FORMAT_VERSION,
    kind: 'repeated',
    name: input.profile.name,
    profileSource: input.profileSource,
    profile: input.profile,
    environment: input.environment ?? environmentInfo(),
    startedAt: input.startedAt.toISOString(),
    endedAt: input.endedAt.toISOString(),
    interrupted: input.aborted !== undefined,
    error: input.aborted ?? null,
    repeat: input.repeat,
    interleavedWith: input.interleavedWith,
    runs: input.runs,
    failures: input.failures,
    summary: summarizeRuns(input.runs),
  };
}

/**
 * Which repetition (1-based) each run was: a repetition that failed before measuring left no run,
 * so runs[i] is not always repetition i + 1. An interrupted run is listed among the failures too,
 * under its own number; it is always the last run (nothing runs after an abort).
 */
export function repetitionNumbers(r: Pick<RepeatedResult, 'runs' | 'failures'>): number[] {
  const failed = [...new Set(r.failures.map((f) => f.repetition))].sort((a, b) => a - b);
  const gaps = new Set(r.runs.at(-1)?.interrupted ? failed.slice(0, -1) : failed);
  const numbers: number[] = [];
  let k = 1;
  for (let i = 0; i < r.runs.length; i++) {
    while (gaps.has(k)) k++;
    numbers.push(k++);
  }
  return numbers;
}

/**
 * The exit code of repeated runs (of the profile and, with --baseline-profile, the baseline's),
 * with one line per reason: 3 when a repetition lost confirmed messages its profile does not allow
 * to lose; else 1 when a repetition failed (did not start, crashed, was interrupted, its verdict
 * failed) or a result measured nothing; else 0. Signals (130/143) are the caller's.
 */
export function repeatedExitCode(results: readonly RepeatedResult[]): { code: 0 | 1 | 3; lost: string[]; failed: string[] } {
  const lost: string[] = [];
  const failed: string[] = [];
  for (const r of results) {
    const reps = repetitionNumbers(r);
    for (const f of r.failures) failed.push(`${r.name}, repetition ${f.repetition}: ${f.error}`);
    r.runs.forEach((run, i) => {
      const where = `${r.name}, repetition ${reps[i]}`;
      if (run.interrupted) return; // among the failures already
      if (run.verdict.status === 'lost') lost.push(`${where}: ${run.verdict.message}`);
      else if (run.verdict.status === 'failed' || run.verdict.status === 'interrupted') failed.push(`${where}: ${run.verdict.message}`);
    });
    if (r.summary === null) failed.push(`${r.name}: no repetition was measured`);
  }
  return { code: lost.length > 0 ? 3 : failed.length > 0 ? 1 : 0, lost, failed };
}

/**
 * A repeated result as a matrix of one cell (no axes, no baseline cell): what the report and
 * anything else that understands matrix cells needs, without a second code path. The cell's
 * summary is the repeated result's own.
 */
export function repeatedAsMatrix(r: RepeatedResult): MatrixResult {
  return {
    formatVersion: r.formatVersion,
    kind: 'matrix',
    name: r.name,
    profileSource: r.profileSource,
    matrix: r.profile,
    environment: r.environment,
    startedAt: r.startedAt,
    endedAt: r.endedAt,
    interrupted: r.interrupted,
    error: r.error,
    repeat: r.repeat,
    baselineCellId: null,
    cells: [
      {
        id: r.name,
        label: r.name,
        values: {},
        overrides: {},
        skipped: null,
        runs: r.runs,
        failures: r.failures,
        summary: r.summary,
      },
    ],
  };
}

type Row = Record<string, string | number | boolean>;

function latencyColumns(prefix: string, s: LatencySummaryMs | null): Row {
  const v = (x: number | undefined): number | string => x ?? '';
  return {
    [`${prefix}_p50_ms`]: v(s?.p50Ms),
    [`${prefix}_p75_ms`]: v(s?.p75Ms),
    [`${prefix}_p90_ms`]: v(s?.p90Ms),
    [`${prefix}_p95_ms`]: v(s?.p95Ms),
    [`${prefix}_p99_ms`]: v(s?.p99Ms),
    [`${prefix}_p999_ms`]: v(s?.p999Ms),
    [`${prefix}_p9999_ms`]: v(s?.p9999Ms),
    [`${prefix}_max_ms`]: v(s?.maxMs),
    [`${prefix}_mean_ms`]: v(s?.meanMs),
  };
}

const decodedSummary = (encoded: string): LatencySummaryMs => {
  const h = decodeHistogram(encoded);
  try {
    return summarize(h);
  } finally {
    h.destroy();
  }
};

/**
 * The summary CSV of a repeated result: one row per repetition (the columns of a run's summary
 * CSV, `row` = "repetition"), then one `row` = "summary" row: rates are the mean across
 * repetitions with their standard deviation across repetitions in the `…_stddev_across_runs_…`
 * columns (the per-second stddev columns stay empty there), latencies come from the merged
 * histograms, and the delivery account is summed (`lost_msgs` empty when some run could not tell).
 */
export function repeatedSummaryRows(r: RepeatedResult): Row[] {
  const reps = repetitionNumbers(r);
  const runRows: Row[] = r.runs.map((run, i) => ({
    row: 'repetition',
    repetition: reps[i]!,
    ...summaryRow(run),
    publish_rate_stddev_across_runs_msgs_per_s: '',
    consume_rate_stddev_across_runs_msgs_per_s: '',
  }));
  const s = r.summary;
  const columns = Object.keys(runRows[0] ?? {});
  const first = r.runs[0];
  const summary: Row = {
    row: 'summary',
    repetition: '',
    name: r.name,
    started_at: r.startedAt,
    interrupted: r.interrupted,
    queue_type: first?.cluster.queueType ?? r.profile.queues.type,
    nodes: first?.cluster.nodeCount ?? '',
    ram_nodes: first?.cluster.ramNodeCount ?? '',
    leader_node: '',
    queues: r.profile.queues.count,
    publishers: r.profile.publishers.count,
    consumers: r.profile.consumers.count,
    message_size_bytes: messageSizeCell(r.profile.publishers.messageSize),
    target_rate_msgs_per_s: fixedRate(r.profile.publishers.rate) ?? '',
    measured_s: measuredRuns(r.runs).reduce((sum, run) => sum + run.timing.measuredMs, 0) / 1000,
    publish_rate_msgs_per_s: s?.publishRate.mean ?? '',
    publish_rate_stddev_msgs_per_s: '',
    confirm_rate_msgs_per_s: s?.confirmRate.mean ?? '',
    consume_rate_msgs_per_s: s?.consumeRate.mean ?? '',
    consume_rate_stddev_msgs_per_s: '',
    ...latencyColumns('e2e', s?.e2e ?? null),
    ...latencyColumns('e2e_raw', s ? decodedSummary(s.histograms.e2eRaw) : null),
    ...latencyColumns('confirm', s?.confirm ?? null),
    ...latencyColumns('confirm_raw', s ? decodedSummary(s.histograms.confirmRaw) : null),
    verdict: s ? s.verdicts.join(' ') : '',
    accounting_complete: s ? s.accountingIncomplete === 0 : '',
    confirmed_msgs: s ? measuredRuns(r.runs).reduce((sum, run) => sum + run.delivery.confirmed, 0) : '',
    lost_msgs: s?.lost ?? '',
    unresolved_msgs: s?.unresolved ?? '',
    duplicate_msgs: s?.duplicates ?? '',
    nacked_msgs: s?.nacked ?? '',
    unconfirmed_at_loss_msgs: s?.unconfirmedAtLoss ?? '',
    returned_msgs: s?.returned ?? '',
    longest_confirm_gap_ms: s?.faults ? s.faults.longestConfirmGapMs.max : '',
    publish_rate_stddev_across_runs_msgs_per_s: s?.publishRate.stddev ?? '',
    consume_rate_stddev_across_runs_msgs_per_s: s?.consumeRate.stddev ?? '',
  };
  if (columns.length === 0) return [summary];
  // Same columns in the same order as the repetition rows; a run column without a summary counterpart stays empty.
  return [...runRows, Object.fromEntries(columns.map((c) => [c, summary[c] ?? '']))];
}

/** Every repetition's per-second series, one after the other, with the repetition's number first. */
export function repeatedSeriesRows(r: RepeatedResult): Row[] {
  const reps = repetitionNumbers(r);
  return r.runs.flatMap((run, i) => seriesRows(run).map((row) => ({ repetition: reps[i]!, ...row })));
}

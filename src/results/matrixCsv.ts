import type { MatrixCell, MatrixResult, SpreadMs } from '../matrix/model.js';

type Row = Record<string, string | number | boolean>;

const round = (x: number | undefined, d = 1): number | string => (x === undefined ? '' : Math.round(x * 10 ** d) / 10 ** d);
/** Mean, stddev and max of a spread; '' without samples (no fault timeline, or it never resumed). */
const spread = (s: SpreadMs | undefined): { mean: number | string; stddev: number | string; max: number | string } =>
  !s || s.n === 0 ? { mean: '', stddev: '', max: '' } : { mean: round(s.mean), stddev: round(s.stddev), max: round(s.max) };

/** The columns that name a cell, in both modes' summary CSV. */
export function cellColumns(m: Pick<MatrixResult, 'baselineCellId'>, c: MatrixCell): Row {
  return { cell: c.id, label: c.label, baseline: c.id === m.baselineCellId, skipped: c.skipped ?? '', failures: c.failures.length };
}

/**
 * One row per cell: mean and stddev across repetitions, merged-histogram latencies, relative to the
 * baseline, the delivery account summed over repetitions, and — for cells with a fault timeline —
 * availability (columns empty otherwise). `lost_msgs` is empty when some run's account was
 * incomplete (`accounting_incomplete_runs` > 0): loss was not computed, not zero.
 */
export function matrixSummaryRows(m: MatrixResult): Row[] {
  return m.cells.map((c) => {
    const s = c.summary;
    const f = s?.faults ?? undefined;
    const first = c.runs[0]?.cluster;
    const unavailable = spread(f?.longestConfirmGapMs);
    const deliveryGap = spread(f?.longestDeliveryGapMs);
    const publishResumed = spread(f?.publishResumedAfterMs);
    const consumeResumed = spread(f?.consumeResumedAfterMs);
    return {
      ...cellColumns(m, c),
      repetitions: s?.repetitions ?? 0,
      queue_type: first?.queueType ?? String(c.values['queues.type'] ?? ''),
      nodes: first?.nodeCount ?? '',
      ram_nodes: first?.ramNodeCount ?? '',
      consume_rate_msgs_per_s_mean: round(s?.consumeRate.mean),
      consume_rate_msgs_per_s_stddev: round(s?.consumeRate.stddev),
      publish_rate_msgs_per_s_mean: round(s?.publishRate.mean),
      publish_rate_msgs_per_s_stddev: round(s?.publishRate.stddev),
      confirm_rate_msgs_per_s_mean: round(s?.confirmRate.mean),
      e2e_p50_ms: s?.e2e.p50Ms ?? '',
      e2e_p99_ms: s?.e2e.p99Ms ?? '',
      e2e_p999_ms: s?.e2e.p999Ms ?? '',
      confirm_p50_ms: s?.confirm.p50Ms ?? '',
      confirm_p99_ms: s?.confirm.p99Ms ?? '',
      relative_throughput: c.id === m.baselineCellId && s ? 1 : round(s?.relative?.throughput.mean, 3),
      relative_throughput_stddev: round(s?.relative?.throughput.stddev, 3),
      relative_e2e_p99: c.id === m.baselineCellId && s ? 1 : round(s?.relative?.e2eP99, 2),
      relative_confirm_p99: c.id === m.baselineCellId && s ? 1 : round(s?.relative?.confirmP99, 2),
      lost_msgs: s?.lost ?? '',
      duplicate_msgs: s?.duplicates ?? '',
      accounting_incomplete_runs: s?.accountingIncomplete ?? '',
      unresolved_msgs: s?.unresolved ?? '',
      unconfirmed_at_loss_msgs: s?.unconfirmedAtLoss ?? '',
      nacked_msgs: s?.nacked ?? '',
      returned_msgs: s?.returned ?? '',
      verdicts: s?.verdicts.join(' ') ?? c.runs.map((r) => r.verdict.status).join(' '),
      not_ok_runs: s?.notOk ?? '',
      backlog_runs: s?.backlogRuns ?? '',
      fault_runs: f?.runs ?? '',
      unavailable_ms_mean: unavailable.mean,
      unavailable_ms_stddev: unavailable.stddev,
      unavailable_ms_max: unavailable.max,
      delivery_gap_ms_mean: deliveryGap.mean,
      delivery_gap_ms_stddev: deliveryGap.stddev,
      delivery_gap_ms_max: deliveryGap.max,
      publish_resumed_after_ms_mean: publishResumed.mean,
      publish_resumed_after_ms_stddev: publishResumed.stddev,
      publish_resumed_after_ms_max: publishResumed.max,
      publish_not_resumed_runs: f?.publishNotResumed ?? '',
      consume_resumed_after_ms_mean: consumeResumed.mean,
      consume_resumed_after_ms_max: consumeResumed.max,
      consume_not_resumed_runs: f?.consumeNotResumed ?? '',
      overrides: Object.keys(c.overrides ?? {}).length > 0 ? JSON.stringify(c.overrides) : '',
    };
  });
}

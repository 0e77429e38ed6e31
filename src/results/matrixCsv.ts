import type { MatrixResult } from '../matrix/model.js';

type Row = Record<string, string | number | boolean>;

/** One row per cell: mean and stddev across repetitions, merged-histogram latencies, relative to the baseline. */
export function matrixSummaryRows(m: MatrixResult): Row[] {
  return m.cells.map((c) => {
    const s = c.summary;
    const first = c.runs[0]?.cluster;
    const round = (x: number | undefined, d = 1): number | string => (x === undefined ? '' : Math.round(x * 10 ** d) / 10 ** d);
    return {
      cell: c.id,
      label: c.label,
      baseline: c.id === m.baselineCellId,
      skipped: c.skipped ?? '',
      failures: c.failures.length,
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
    };
  });
}

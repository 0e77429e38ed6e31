import { stringify } from 'csv-stringify/sync';
import type { LatencySummaryMs } from '../metrics/histogram.js';
import type { RunResult } from './model.js';
import { messageSizeCell } from '../engine/messageSizes.js';
import { fixedRate } from '../profile/rateSchema.js';

export type Row = Record<string, string | number | boolean>;

/** One row per interval; units in the header names so a spreadsheet needs no legend. */
export function seriesRows(r: RunResult): Row[] {
  return r.series.map((p) => ({
    tick: p.tick,
    phase: p.phase,
    t_s: p.tSeconds,
    interval_ms: p.intervalMs,
    published_msgs: p.published,
    republished_msgs: p.republished,
    confirmed_msgs: p.confirmed,
    nacked_msgs: p.nacked,
    unconfirmed_at_loss_msgs: p.unconfirmedAtLoss,
    returned_msgs: p.returned,
    consumed_msgs: p.consumed,
    redelivered_msgs: p.redelivered,
    duplicate_msgs: p.duplicates,
    out_of_order_msgs: p.outOfOrder,
    foreign_msgs: p.foreign,
    publish_rate_msgs_per_s: p.publishRateMsgsPerS,
    // Results written before the field existed have none.
    target_msgs_per_s: p.targetMsgsPerS ?? '',
    confirm_rate_msgs_per_s: p.confirmRateMsgsPerS,
    consume_rate_msgs_per_s: p.consumeRateMsgsPerS,
    e2e_p50_ms: p.e2eP50Ms,
    e2e_p99_ms: p.e2eP99Ms,
    confirm_p99_ms: p.confirmP99Ms,
    fault_active: p.faultActive,
    queue_depth_msgs: p.queueDepth ?? '',
    markers: p.markers.join('; '),
  }));
}

function latencyColumns(prefix: string, s: LatencySummaryMs): Row {
  return {
    [`${prefix}_p50_ms`]: s.p50Ms,
    [`${prefix}_p75_ms`]: s.p75Ms,
    [`${prefix}_p90_ms`]: s.p90Ms,
    [`${prefix}_p95_ms`]: s.p95Ms,
    [`${prefix}_p99_ms`]: s.p99Ms,
    [`${prefix}_p999_ms`]: s.p999Ms,
    [`${prefix}_p9999_ms`]: s.p9999Ms,
    [`${prefix}_max_ms`]: s.maxMs,
    [`${prefix}_mean_ms`]: s.meanMs,
  };
}

/** The one-row summary of a run. */
export function summaryRow(r: RunResult): Row {
  return {
    name: r.name,
    started_at: r.startedAt,
    interrupted: r.interrupted,
    queue_type: r.cluster.queueType,
    nodes: r.cluster.nodeCount,
    ram_nodes: r.cluster.ramNodeCount,
    leader_node: r.cluster.leaderNode ?? '',
    queues: r.profile.queues.count,
    publishers: r.profile.publishers.count,
    consumers: r.profile.consumers.count,
    message_size_bytes: messageSizeCell(r.profile.publishers.messageSize),
    target_rate_msgs_per_s: fixedRate(r.profile.publishers.rate) ?? '',
    measured_s: r.timing.measuredMs / 1000,
    publish_rate_msgs_per_s: r.rates.published.overallMsgsPerS,
    publish_rate_stddev_msgs_per_s: r.rates.published.stddevMsgsPerS,
    confirm_rate_msgs_per_s: r.rates.confirmed.overallMsgsPerS,
    consume_rate_msgs_per_s: r.rates.consumed.overallMsgsPerS,
    consume_rate_stddev_msgs_per_s: r.rates.consumed.stddevMsgsPerS,
    ...latencyColumns('e2e', r.latency.e2e.corrected),
    ...latencyColumns('e2e_raw', r.latency.e2e.raw),
    ...latencyColumns('confirm', r.latency.confirm.corrected),
    ...latencyColumns('confirm_raw', r.latency.confirm.raw),
    verdict: r.verdict.status,
    accounting_complete: r.delivery.complete,
    confirmed_msgs: r.delivery.confirmed,
    lost_msgs: r.delivery.lost ?? '',
    unresolved_msgs: r.delivery.unresolved ?? '',
    not_consumed_msgs: r.delivery.notConsumed ?? '',
    duplicate_msgs: r.delivery.duplicates,
    redelivered_msgs: r.delivery.redelivered,
    out_of_order_msgs: r.delivery.outOfOrder,
    nacked_msgs: r.delivery.nacked,
    unconfirmed_msgs: r.delivery.unconfirmed,
    unconfirmed_at_loss_msgs: r.delivery.unconfirmedAtLoss,
    republished_msgs: r.delivery.republished,
    returned_msgs: r.delivery.returned,
    foreign_msgs: r.delivery.foreign,
    connection_losses: r.eventCounts.connectionLost,
    fault_steps: r.faults?.steps.length ?? 0,
    longest_confirm_gap_ms: r.faults?.longestConfirmGap?.durationMs ?? '',
    longest_delivery_gap_ms: r.faults?.longestDeliveryGap?.durationMs ?? '',
    // Results written before backlog readings existed have no field at all.
    backlog_growth_msgs_per_s: r.backlog?.growthMsgsPerS ?? '',
    backlog_max_depth_msgs: r.backlog?.maxDepth ?? '',
    backlog_growing: r.backlog?.growing ?? '',
  };
}

export function toCsv(rows: Row[]): string {
  return stringify(rows, { header: true });
}

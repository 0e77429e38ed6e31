import type { CapacityResult } from './model.js';

type Row = Record<string, string | number | boolean>;

/** One row per step (probe, search, curve), units in the column names. */
export function capacityRows(r: CapacityResult): Row[] {
  return r.capacity.steps.map((s, i) => ({
    step: i + 1,
    phase: s.phase,
    target_msgs_per_s: s.targetMsgsPerS,
    fraction_of_capacity: s.fraction ?? '',
    published_msgs_per_s: s.publishedMsgsPerS,
    consumed_msgs_per_s: s.consumedMsgsPerS,
    backlog_growth_msgs_per_s: s.backlogGrowthMsgsPerS ?? '',
    nacked_msgs: s.nacked,
    e2e_p50_ms: s.e2eP50Ms,
    e2e_p99_ms: s.e2eP99Ms,
    confirm_p50_ms: s.confirmP50Ms,
    confirm_p99_ms: s.confirmP99Ms,
    sustainable: s.sustainable ?? '',
    reason: s.reason,
  }));
}

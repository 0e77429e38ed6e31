import type { CapacityResult, CapacityStep } from './model.js';

export type Row = Record<string, string | number | boolean>;

/** One step (probe, search, curve or common), units in the column names. */
export function stepRow(s: CapacityStep, index: number): Row {
  return {
    step: index + 1,
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
  };
}

/** One row per step of a `mqbench capacity` result. */
export function capacityRows(r: CapacityResult): Row[] {
  return r.capacity.steps.map(stepRow);
}

import type { CapacityResult } from '../../src/capacity/model.js';
import type { TableGenerator } from './generator.js';
import { expectKind } from './generator.js';
import { fmtMsGrouped, fmtRate, mdTable } from './format.js';

/**
 * "Capacity": the latency-vs-throughput curve of `mqbench capacity` — one row per curve step, at
 * its fraction of the sustainable rate found: the target, the consume rate reached, e2e p50/p99 and
 * confirm p99 (corrected for coordinated omission).
 */
export const capacityCurve: TableGenerator = {
  describe: 'latency curve of a capacity search (mqbench capacity): % of capacity, target and consumed msgs/s, e2e p50/p99, confirm p99',
  files: 1,
  render([source]) {
    const result = expectKind<CapacityResult>(source!, 'capacity');
    const curve = result.capacity.steps.filter((s) => s.phase === 'curve');
    if (curve.length === 0) throw new Error(`${source!.path}: the capacity result has no curve (run without --no-curve)`);
    const rows = curve.map((s) => [
      String(Math.round((s.fraction ?? 0) * 100)),
      fmtRate(s.targetMsgsPerS),
      fmtRate(s.consumedMsgsPerS),
      `${fmtMsGrouped(s.e2eP50Ms)} / ${fmtMsGrouped(s.e2eP99Ms)}`,
      fmtMsGrouped(s.confirmP99Ms),
    ]);
    return mdTable(['% of capacity', 'target msgs/s', 'consumed msgs/s', 'e2e p50 / p99 ms', 'confirm p99 ms'], rows);
  },
};

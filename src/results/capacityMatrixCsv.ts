import { stepRow, type Row } from '../capacity/csv.js';
import type { CapacityStep } from '../capacity/model.js';
import type { MatrixCell, MatrixResult } from '../matrix/model.js';

const round = (x: number | undefined, d = 1): number | string => (x === undefined ? '' : Math.round(x * 10 ** d) / 10 ** d);

/** The curve step at `fraction` of the cell's capacity, if measured. */
export function curveAt(c: MatrixCell, fraction: number): CapacityStep | undefined {
  return c.capacity?.curve.find((s) => s.fraction !== null && Math.abs(s.fraction - fraction) < 1e-9);
}

/**
 * Capacity mode, one row per cell: the sustainable rate (mean ± stddev over the searches), relative
 * to the baseline cell, latency at the table fraction of the cell's own capacity and at the common
 * rate every cell was measured at.
 */
export function capacityMatrixSummaryRows(m: MatrixResult): Row[] {
  const fraction = m.capacity?.tableFraction ?? 0.5;
  return m.cells.map((c) => {
    const cap = c.capacity;
    const at = curveAt(c, fraction);
    const common = cap?.common ?? undefined;
    const found = cap?.searches.map((s) => s.sustainableMsgsPerS) ?? [];
    return {
      cell: c.id,
      label: c.label,
      baseline: c.id === m.baselineCellId,
      skipped: c.skipped ?? '',
      failures: c.failures.length,
      searches: cap?.searches.length ?? 0,
      searches_found: cap?.sustainable?.n ?? 0,
      sustainable_msgs_per_s_mean: round(cap?.sustainable?.mean, 0),
      sustainable_msgs_per_s_stddev: round(cap?.sustainable?.stddev, 0),
      sustainable_msgs_per_s_each: found.map((x) => (x === null ? 'none' : Math.round(x))).join(' '),
      relative_capacity: c.id === m.baselineCellId && cap?.sustainable ? 1 : round(cap?.relative?.mean, 3),
      relative_capacity_stddev: round(cap?.relative?.stddev, 3),
      table_fraction: fraction,
      at_fraction_target_msgs_per_s: at?.targetMsgsPerS ?? '',
      at_fraction_consumed_msgs_per_s: round(at?.consumedMsgsPerS),
      at_fraction_e2e_p50_ms: at?.e2eP50Ms ?? '',
      at_fraction_e2e_p99_ms: at?.e2eP99Ms ?? '',
      at_fraction_confirm_p50_ms: at?.confirmP50Ms ?? '',
      at_fraction_confirm_p99_ms: at?.confirmP99Ms ?? '',
      at_fraction_sustained: at?.sustainable ?? '',
      common_rate_msgs_per_s: m.capacity?.commonRateMsgsPerS ?? '',
      common_consumed_msgs_per_s: round(common?.consumedMsgsPerS),
      common_e2e_p50_ms: common?.e2eP50Ms ?? '',
      common_e2e_p99_ms: common?.e2eP99Ms ?? '',
      common_confirm_p50_ms: common?.confirmP50Ms ?? '',
      common_confirm_p99_ms: common?.confirmP99Ms ?? '',
      common_sustained: common?.sustainable ?? '',
      overrides: Object.keys(c.overrides ?? {}).length > 0 ? JSON.stringify(c.overrides) : '',
    };
  });
}

/** Every step of every cell: the searches (search number 1..n), then the curve and the common-rate step (search empty). */
export function capacityMatrixStepRows(m: MatrixResult): Row[] {
  return m.cells.flatMap((c) => {
    const cap = c.capacity;
    if (!cap) return [];
    const searchRows = cap.searches.flatMap((s) => s.steps.map((step, i) => ({ cell: c.id, label: c.label, search: s.repetition, ...stepRow(step, i) })));
    const after = [...cap.curve, ...(cap.common ? [cap.common] : [])].map((step, i) => ({ cell: c.id, label: c.label, search: '', ...stepRow(step, i) }));
    return [...searchRows, ...after];
  });
}

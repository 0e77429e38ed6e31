import { stepAtFraction } from '../capacity/curve.js';
import { stepRow, type Row } from '../capacity/csv.js';
import type { CapacityStep } from '../capacity/model.js';
import type { MatrixCell, MatrixResult } from '../matrix/model.js';
import { cellColumns } from './matrixCsv.js';

const round = (x: number | undefined, d = 1): number | string => (x === undefined ? '' : Math.round(x * 10 ** d) / 10 ** d);

/** The curve step at `fraction` of the cell's capacity, if measured. */
export function curveAt(c: MatrixCell, fraction: number): CapacityStep | undefined {
  return c.capacity ? stepAtFraction(c.capacity.curve, fraction) : undefined;
}

/** A step's achieved rate, latency and verdict as `<prefix>_…` columns (empty when not measured). */
function stepColumns(prefix: string, s: CapacityStep | undefined): Row {
  return {
    [`${prefix}_target_msgs_per_s`]: s?.targetMsgsPerS ?? '',
    [`${prefix}_consumed_msgs_per_s`]: round(s?.consumedMsgsPerS),
    [`${prefix}_e2e_p50_ms`]: s?.e2eP50Ms ?? '',
    [`${prefix}_e2e_p99_ms`]: s?.e2eP99Ms ?? '',
    [`${prefix}_confirm_p50_ms`]: s?.confirmP50Ms ?? '',
    [`${prefix}_confirm_p99_ms`]: s?.confirmP99Ms ?? '',
    [`${prefix}_sustained`]: s?.sustainable ?? '',
  };
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
      ...cellColumns(m, c),
      searches: cap?.searches.length ?? 0,
      searches_found: cap?.sustainable?.n ?? 0,
      sustainable_msgs_per_s_mean: round(cap?.sustainable?.mean, 0),
      sustainable_msgs_per_s_stddev: round(cap?.sustainable?.stddev, 0),
      sustainable_msgs_per_s_each: found.map((x) => (x === null ? 'none' : Math.round(x))).join(' '),
      relative_capacity: c.id === m.baselineCellId && cap?.sustainable ? 1 : round(cap?.relative?.mean, 3),
      relative_capacity_stddev: round(cap?.relative?.stddev, 3),
      table_fraction: fraction,
      ...stepColumns('at_fraction', at),
      ...stepColumns('common', common),
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

import type { CapacityStep } from '../../src/capacity/model.js';
import type { MatrixResult } from '../../src/matrix/model.js';
import { curveAt } from '../../src/results/capacityMatrixCsv.js';
import type { TableGenerator } from './generator.js';
import { expectKind } from './generator.js';
import { fmtMsGrouped, fmtRate, mdTable } from './format.js';
import { readmeLabel, timesHead } from './matrixCells.js';

const latency = (s: CapacityStep | null | undefined): string => (s ? `${fmtMsGrouped(s.e2eP50Ms)} / ${fmtMsGrouped(s.e2eP99Ms)}` : '–');
/** A step that fell short of its rate is flagged: its latency includes queueing. */
const held = (s: CapacityStep | null | undefined): string => (s?.sustainable === false ? ' (not held)' : '');

/**
 * "Reading the results": a capacity-mode matrix (profiles/capacity-matrix.json) — per cell the
 * sustainable rate (mean ± stddev over the searches), × the baseline, latency at the table fraction
 * of the cell's own capacity, and latency at the common rate every cell was measured at.
 */
export const capacityMatrix: TableGenerator = {
  describe: 'capacity-mode matrix: sustainable msgs/s ± stddev, × baseline, e2e/confirm latency at a fraction of each cell\'s capacity and at the common rate',
  files: 1,
  render([source]) {
    const m = expectKind<MatrixResult>(source!, 'matrix');
    if (m.mode !== 'capacity' || !m.capacity) throw new Error(`${source!.path}: not a capacity-mode matrix`);
    const fraction = m.capacity.tableFraction;
    const pct = `${Math.round(fraction * 100)} %`;
    const common = m.capacity.commonRateMsgsPerS;
    const baseline = m.cells.find((c) => c.id === m.baselineCellId);
    const measured = m.cells.filter((c) => c.capacity?.sustainable);
    const rows = measured.map((c) => {
      const cap = c.capacity!;
      const s = cap.sustainable!;
      const at = curveAt(c, fraction);
      const rate = s.n > 1 ? `${fmtRate(s.mean)} ± ${fmtRate(s.stddev)}` : fmtRate(s.mean);
      const times = c.id === m.baselineCellId ? '1' : cap.relative ? `${cap.relative.mean.toFixed(2)} ± ${cap.relative.stddev.toFixed(2)}` : '–';
      const row = [readmeLabel(c), rate, times, latency(at) + held(at), at ? `${fmtMsGrouped(at.confirmP50Ms)} / ${fmtMsGrouped(at.confirmP99Ms)}` : '–'];
      if (common !== null) row.push(latency(cap.common) + held(cap.common));
      return row;
    });
    const head = ['cell', 'sustainable msgs/s', timesHead(baseline), `at ${pct}: e2e p50 / p99 ms`, `at ${pct}: confirm p50 / p99 ms`];
    if (common !== null) head.push(`at ${fmtRate(common)} msgs/s: e2e p50 / p99 ms`);
    return mdTable(head, rows);
  },
};

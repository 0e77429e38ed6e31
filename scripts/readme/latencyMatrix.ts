import type { TableGenerator } from './generator.js';
import { fmtMs, mdTable } from './format.js';
import { isBaseline, matrixOf, readmeLabel, replicas, timesHead } from './matrixCells.js';

/** A ratio to two significant figures, the way the README quotes them: 2.0, 7.1, 82. */
const times = (x: number): string => (x >= 10 ? x.toFixed(0) : x.toFixed(1));

/**
 * "Latency without a backlog": a fixed-rate matrix, one row per measured cell — e2e p50/p99/p99.9
 * and confirm p50/p99 from the merged histograms, e2e p99 relative to the baseline, replicas.
 */
export const latencyMatrix: TableGenerator = {
  describe: 'fixed-rate matrix (mqbench matrix): e2e p50/p99/p99.9, confirm p50/p99, × baseline e2e p99, replicas',
  files: 1,
  render([source]) {
    const { matrix, cells } = matrixOf(source!);
    const baseline = cells.find((c) => isBaseline(matrix, c));
    const head = ['cell', 'e2e p50 / p99 / p99.9 ms', 'confirm p50 / p99 ms', `${timesHead(baseline)} e2e p99`, 'replicas'];
    const rows = cells.map((c) => {
      const s = c.summary;
      const relative = isBaseline(matrix, c) ? '1' : s.relative ? times(s.relative.e2eP99) : '–';
      return [
        readmeLabel(c),
        [s.e2e.p50Ms, s.e2e.p99Ms, s.e2e.p999Ms].map(fmtMs).join(' / '),
        `${fmtMs(s.confirm.p50Ms)} / ${fmtMs(s.confirm.p99Ms)}`,
        relative,
        replicas(c),
      ];
    });
    return mdTable(head, rows);
  },
};

import { pm } from '../../src/report/matrixTable.js';
import type { TableGenerator } from './generator.js';
import { fmtMs, mdTable } from './format.js';
import { isBaseline, matrixOf, readmeLabel, replicas, timesHead } from './matrixCells.js';

/**
 * "Reading the results": a full-speed matrix, one row per measured cell — consume rate (mean ±
 * stddev over repetitions), relative to the baseline, confirm p50/p99 and e2e p99 from the merged
 * histograms, and the queue's replicas.
 */
export const replicationMatrix: TableGenerator = {
  describe: 'full-speed matrix (mqbench matrix): consumed msgs/s, × baseline, confirm p50/p99, e2e p99, replicas',
  files: 1,
  render([source]) {
    const { matrix, cells } = matrixOf(source!);
    const baseline = cells.find((c) => isBaseline(matrix, c));
    const head = ['cell', 'consumed msgs/s', timesHead(baseline), 'confirm p50 / p99 ms', 'e2e p99 ms', 'replicas'];
    const rows = cells.map((c) => {
      const s = c.summary;
      const relative = isBaseline(matrix, c) ? '1' : s.relative ? pm(s.relative.throughput, 2) : '–';
      return [readmeLabel(c), pm(s.consumeRate), relative, `${fmtMs(s.confirm.p50Ms)} / ${fmtMs(s.confirm.p99Ms)}`, fmtMs(s.e2e.p99Ms), replicas(c)];
    });
    return mdTable(head, rows);
  },
};

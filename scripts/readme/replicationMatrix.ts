import { pm } from '../../src/report/matrixTable.js';
import type { TableGenerator } from './generator.js';
import { fmtMs, mdTable } from './format.js';
import { isBaseline, matrixOf, readmeLabel, replicas, timesHead } from './matrixCells.js';

/**
 * "RAM or disk nodes, at full speed": a full-speed matrix, one row per measured cell — consume rate
 * (mean ± stddev over repetitions), relative to the baseline, confirm p50/p99 from the merged
 * histograms, and the queue's replicas. No e2e column: at full speed the queue grows and e2e
 * measures the wait in it (the capacity matrix gives latency at sustained rates).
 */
export const replicationMatrix: TableGenerator = {
  describe: 'full-speed matrix (mqbench matrix): consumed msgs/s, × baseline, confirm p50/p99, replicas',
  files: 1,
  render([source]) {
    const { matrix, cells } = matrixOf(source!);
    const baseline = cells.find((c) => isBaseline(matrix, c));
    const head = ['cell', 'consumed msgs/s', timesHead(baseline), 'confirm p50 / p99 ms', 'replicas'];
    const rows = cells.map((c) => {
      const s = c.summary;
      const relative = isBaseline(matrix, c) ? '1' : s.relative ? pm(s.relative.throughput, 2) : '–';
      return [readmeLabel(c), pm(s.consumeRate), relative, `${fmtMs(s.confirm.p50Ms)} / ${fmtMs(s.confirm.p99Ms)}`, replicas(c)];
    });
    return mdTable(head, rows);
  },
};

import Table from 'cli-table3';
import type { MatrixResult } from '../matrix/model.js';
import type { MeanStd } from '../metrics/meanStd.js';
import { PLAIN_TABLE } from './plainTable.js';

const pm = (m: MeanStd, digits = 0): string => `${m.mean.toFixed(digits)} ± ${m.stddev.toFixed(digits)}`;
const ms = (x: number): string => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));

/** The matrix at a glance: one row per cell, then hyperfine-style sentences relative to the baseline. */
export function renderMatrix(m: MatrixResult): string {
  const lines: string[] = [];
  const t = new Table({ ...PLAIN_TABLE, head: ['cell', 'runs', 'consumed msgs/s', 'published msgs/s', 'e2e p50 ms', 'e2e p99 ms', 'confirm p99 ms', 'lost'] });
  for (const c of m.cells) {
    if (c.skipped) {
      t.push([c.label, '–', `skipped: ${c.skipped}`, '', '', '', '', '']);
    } else if (!c.summary) {
      t.push([c.label, '0', `failed: ${c.failures[0]?.error ?? 'no result'}`, '', '', '', '', '']);
    } else {
      const s = c.summary;
      t.push([c.label, String(s.repetitions), pm(s.consumeRate), pm(s.publishRate), ms(s.e2e.p50Ms), ms(s.e2e.p99Ms), ms(s.confirm.p99Ms), String(s.lost)]);
    }
  }
  lines.push(t.toString(), '');
  const base = m.cells.find((c) => c.id === m.baselineCellId);
  if (base?.summary) {
    lines.push(`Relative to ${base.label} (${pm(base.summary.consumeRate)} msgs/s, e2e p99 ${ms(base.summary.e2e.p99Ms)} ms):`);
    for (const c of m.cells) {
      const r = c.summary?.relative;
      if (!r) continue;
      lines.push(`  ${c.label}: ${r.throughput.mean.toFixed(2)} ± ${r.throughput.stddev.toFixed(2)} × throughput, ${r.e2eP99.toFixed(1)} × e2e p99, ${r.confirmP99.toFixed(1)} × confirm p99`);
    }
  }
  if (m.interrupted) lines.push('', `INTERRUPTED: ${m.error ?? ''} — the cells above hold what finished.`);
  return lines.join('\n');
}

import Table from 'cli-table3';
import type { CapacityStep } from '../capacity/model.js';
import type { MatrixResult } from '../matrix/model.js';
import type { MeanStd } from '../metrics/meanStd.js';
import { curveAt } from '../results/capacityMatrixCsv.js';
import { PLAIN_TABLE } from './plainTable.js';

const n = (x: number): string => Math.round(x).toLocaleString('en-US');
const ms = (x: number): string => (!Number.isFinite(x) ? '–' : x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
/** "4,246 ± 120" (one search: "4,246"). */
export const rate = (m: MeanStd): string => (m.n > 1 ? `${n(m.mean)} ± ${n(m.stddev)}` : n(m.mean));
const latency = (s: CapacityStep | null | undefined): string => (s ? `${ms(s.e2eP50Ms)} / ${ms(s.e2eP99Ms)}` : '–');
/** A step that did not hold its rate is flagged: its latency includes queueing. */
const held = (s: CapacityStep | null | undefined): string => (s && s.sustainable === false ? ' (not held)' : '');

/**
 * A capacity-mode matrix at a glance: per cell the sustainable rate (mean ± stddev over the
 * searches) and its ratio to the baseline, latency at the table fraction of the cell's own capacity,
 * and at the common rate every cell was measured at.
 */
export function renderCapacityMatrix(m: MatrixResult): string {
  const fraction = m.capacity?.tableFraction ?? 0.5;
  const pct = `${Math.round(fraction * 100)} %`;
  const common = m.capacity?.commonRateMsgsPerS ?? null;
  const head = ['cell', 'searches', 'sustainable msgs/s', '× baseline', `at ${pct}: e2e p50 / p99 ms`, `at ${pct}: confirm p99 ms`];
  if (common !== null) head.push(`at ${n(common)} msgs/s: e2e p50 / p99 ms`, `at ${n(common)}: confirm p99 ms`);
  const t = new Table({ ...PLAIN_TABLE, head });
  for (const c of m.cells) {
    const blank = head.slice(3).map(() => '');
    if (c.skipped) {
      t.push([c.label, '–', `skipped: ${c.skipped}`, ...blank]);
      continue;
    }
    const cap = c.capacity;
    if (!cap?.sustainable) {
      const why = c.failures[0]?.error ?? (cap && cap.searches.length > 0 ? 'no rate sustained' : 'not measured');
      t.push([c.label, `0/${cap?.searches.length ?? 0}`, `none: ${why}`, ...blank]);
      continue;
    }
    const at = curveAt(c, fraction);
    const relative = c.id === m.baselineCellId ? 'baseline' : cap.relative ? `${cap.relative.mean.toFixed(2)} ± ${cap.relative.stddev.toFixed(2)}` : '–';
    const row = [c.label, `${cap.sustainable.n}/${cap.searches.length}`, rate(cap.sustainable), relative, latency(at) + held(at), at ? ms(at.confirmP99Ms) : '–'];
    if (common !== null) row.push(latency(cap.common) + held(cap.common), cap.common ? ms(cap.common.confirmP99Ms) : '–');
    t.push(row);
  }
  const lines = [t.toString()];
  lines.push(
    `sustainable: the highest total publish rate a search found the consumers kept up with (no backlog growth, no nacks${m.capacity?.settings.slos.length ? `, ${m.capacity.settings.slos.map((s) => s.source).join(', ')}` : ''}), ` +
      `mean ± stddev over the searches (found/run); bracket precision ${Math.round((m.capacity?.settings.precision ?? 0) * 100)} %. ` +
      `Latency at ${pct} of each cell's own capacity${common !== null ? `, and at ${n(common)} msgs/s in every cell` : ''}; "(not held)": that step fell short, its latency includes queueing.`,
  );
  const edge = m.cells.filter((c) => c.capacity?.curve.some((s) => s.fraction !== null && s.fraction >= 1 && s.sustainable === false));
  if (edge.length > 0) lines.push(`At 100 % the curve step did not hold in: ${edge.map((c) => c.label).join('; ')} — the capacity is at the edge of the noise there.`);
  if (m.interrupted) lines.push('', `INTERRUPTED: ${m.error ?? ''} — the cells above hold what finished.`);
  return lines.join('\n');
}

import type { SpreadMs } from '../../src/matrix/model.js';
import { lostCell } from '../../src/report/matrixTable.js';
import type { TableGenerator } from './generator.js';
import { bold, count, fmtRate, mdTable, sec } from './format.js';
import { type MeasuredCell, matrixOf, readmeLabel, replicas } from './matrixCells.js';

/** "classic (1 copy)", "classic-mirrored (ha-mode all)", "quorum": what a copy of the queue means for each type. */
function queueLabel(c: MeasuredCell): string {
  const q = c.runs[0]?.profile.queues;
  if (q?.type === 'classic') return `${readmeLabel(c)} (${replicas(c)} ${replicas(c) === '1' ? 'copy' : 'copies'})`;
  if (q?.type === 'classic-mirrored') return `${readmeLabel(c)} (ha-mode ${q.mirroring.mode}${q.mirroring.mode === 'exactly' ? ` ${q.mirroring.params ?? ''}` : ''})`;
  return readmeLabel(c);
}

const spread = (s: SpreadMs): string => `${sec(s.mean)} ± ${sec(s.stddev)} s`;
const runsPhrase = (n: number): string => (n === 1 ? 'its one run' : n === 2 ? 'both runs' : `all ${n} runs`);

/**
 * "What replication buys": one fault timeline on several queue types (a matrix whose cells ran
 * faults) — the longest time without a confirm and without a delivery (mean ± stddev over
 * repetitions; the longest unavailability in bold), confirmed messages lost, what the broker refused
 * meanwhile, and the consume rate.
 */
export const resilienceMatrix: TableGenerator = {
  describe: 'fault matrix (mqbench matrix with faults): unavailable, no delivery, lost, nacked / returned, consumed msgs/s',
  files: 1,
  render([source]) {
    const { cells } = matrixOf(source!);
    const faulted = cells.map((c) => {
      if (!c.summary.faults) throw new Error(`${source!.path}: cell ${c.label} ran no fault timeline`);
      return { c, s: c.summary, f: c.summary.faults };
    });
    const longest = Math.max(...faulted.map((x) => x.f.longestConfirmGapMs.mean));
    const head = ['queue type', 'unavailable (no confirm)', 'no delivery', 'confirmed lost', 'refused meanwhile (nacked / returned)', 'consumed msgs/s'];
    const rows = faulted.map(({ c, s, f }) => [
      queueLabel(c),
      bold(spread(f.longestConfirmGapMs), faulted.length > 1 && f.longestConfirmGapMs.mean === longest),
      spread(f.longestDeliveryGapMs),
      lostCell(s),
      `${count(s.nacked)} / ${count(s.returned)}${s.nacked + s.returned > 0 ? ` over ${runsPhrase(s.repetitions)}` : ''}`,
      `${fmtRate(s.consumeRate.mean)} ± ${fmtRate(s.consumeRate.stddev)}`,
    ]);
    return mdTable(head, rows);
  },
};

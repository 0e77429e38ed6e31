import Table from 'cli-table3';
import { throughputDifference, type CompareEntry } from '../compare/entries.js';
import { PLAIN_TABLE } from './plainTable.js';

const ms = (x: number): string => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
const pct = (x: number): string => `${x >= 0 ? '+' : ''}${x.toFixed(1)}%`;
const ratio = (a: number, b: number): string => (b > 0 ? `${(a / b).toFixed(2)}×` : '–');

/** Lost messages, "n/a" when the account was incomplete, and any verdict that was not ok. */
function lostText(e: CompareEntry): string {
  const lost = e.lost === null ? 'n/a' : String(e.lost);
  if (e.problems.length === 0) return lost;
  const counts = new Map<string, number>();
  for (const p of e.problems) counts.set(p, (counts.get(p) ?? 0) + 1);
  return `${lost} (${[...counts].map(([p, n]) => (n > 1 ? `${n}× ${p}` : p)).join(', ')})`;
}

/** Side by side, each entry against the first: throughput difference with its noise, latency ratios. */
export function renderCompare(entries: CompareEntry[]): string {
  const ref = entries[0]!;
  const t = new Table({
    ...PLAIN_TABLE,
    head: ['', 'consumed msgs/s', 'Δ vs first', 'noise', 'verdict', 'e2e p50 ms', 'e2e p99 ms', 'p99 vs first', 'confirm p99 ms', 'lost'],
  });
  entries.forEach((e, i) => {
    const d = throughputDifference(e, ref);
    t.push([
      e.label,
      `${e.throughput.mean.toFixed(0)} ± ${e.throughput.stddev.toFixed(0)}`,
      i === 0 ? '(reference)' : pct(d.percent),
      i === 0 || !d.noiseKnown ? '' : `±${d.noisePercent.toFixed(1)}%`,
      i === 0 ? '' : !d.noiseKnown ? 'noise unknown (1 sample)' : d.real ? (d.percent > 0 ? 'faster' : 'slower') : 'within noise',
      ms(e.e2eP50Ms),
      ms(e.e2eP99Ms),
      i === 0 ? '' : ratio(e.e2eP99Ms, ref.e2eP99Ms),
      ms(e.confirmP99Ms),
      lostText(e),
    ]);
  });
  const kinds = new Set(entries.map((e) => e.noiseKind));
  const notes = [
    kinds.has('repetitions') ? '± for matrix cells: standard deviation across repetitions.' : '',
    kinds.has('seconds') ? '± for single runs: standard error of the per-second rates (within-run noise only; repeat runs to see run-to-run noise).' : '',
    'A difference counts as real when it exceeds twice the combined noise.',
    entries.some((e) => e.lost === null) ? 'lost n/a: some run\'s delivery account is incomplete, so loss was not computed.' : '',
  ].filter(Boolean);
  return `${t.toString()}\n\n${notes.join('\n')}`;
}

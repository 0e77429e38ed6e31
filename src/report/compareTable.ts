import Table from 'cli-table3';
import { DEFAULT_ALPHA, judgeThroughput, verdictText, type CompareEntry } from '../compare/entries.js';
import { median } from '../gate/stats.js';
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

const throughputText = (e: CompareEntry): string =>
  e.samples.length > 1 ? `${e.throughput.mean.toFixed(0)} ± ${e.throughput.stddev.toFixed(0)}` : e.throughput.mean.toFixed(0);

/**
 * Side by side, each entry against the first: consumed msgs/s (mean ± stddev across runs), the
 * ratio of medians with a Mann–Whitney U verdict on the per-run rates, latency ratios.
 */
export function renderCompare(entries: CompareEntry[], alpha = DEFAULT_ALPHA): string {
  const ref = entries[0]!;
  const t = new Table({
    ...PLAIN_TABLE,
    head: ['', 'runs', 'consumed msgs/s', 'median', 'vs first', 'verdict', 'e2e p50 ms', 'e2e p99 ms', 'p99 vs first', 'confirm p99 ms', 'lost'],
  });
  const floors: string[] = [];
  entries.forEach((e, i) => {
    const j = i === 0 ? null : judgeThroughput(e, ref, alpha);
    if (j !== null && j.minPValue !== null && j.minPValue >= alpha) {
      floors.push(`${e.label}: with ${e.samples.length} and ${ref.samples.length} runs the smallest possible p is ${j.minPValue.toFixed(2)}, so no difference can reach p < ${alpha}; repeat more (4 or more runs on each side for alpha 0.05).`);
    }
    t.push([
      e.label,
      String(e.samples.length),
      throughputText(e),
      median(e.samples).toFixed(0),
      !j ? '(reference)' : j.ratio === null ? '–' : `${j.ratio.toFixed(2)}× (${pct(j.percent!)})`,
      j ? verdictText(j) : '',
      ms(e.e2eP50Ms),
      ms(e.e2eP99Ms),
      i === 0 ? '' : ratio(e.e2eP99Ms, ref.e2eP99Ms),
      ms(e.confirmP99Ms),
      lostText(e),
    ]);
  });
  const notes = [
    `Throughput verdict: a two-sided Mann–Whitney U test of the per-run consume rates of each entry against the first; "faster" or "slower" only when p < ${alpha}, else "no significant change". ` +
      '"vs first" is the ratio of the medians. ± is the standard deviation across runs.',
    entries.some((e) => e.samples.length < 2)
      ? 'single run: one run has no run-to-run noise to judge a difference by (per-second rates within a run are correlated and say nothing about it): the difference is shown, without a verdict. Repeat with mqbench run --repeat N (or a matrix with repeat).'
      : '',
    ...floors,
    entries.some((e) => e.lost === null) ? 'lost n/a: some run\'s delivery account is incomplete, so loss was not computed.' : '',
  ].filter(Boolean);
  return `${t.toString().replace(/[ \t]+$/gm, '')}\n\n${notes.join('\n')}`;
}

import Table from 'cli-table3';
import { commonFractions, curveStepAt, type CapacityEntry } from '../compare/capacityEntries.js';
import { DEFAULT_ALPHA, formatP, judgeThroughput, minimumPValue } from '../compare/entries.js';
import { median } from '../gate/stats.js';
import { PLAIN_TABLE } from './plainTable.js';

const ms = (x: number): string => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
const pct = (x: number): string => `${x >= 0 ? '+' : ''}${x.toFixed(1)}%`;
const rate = (x: number): string => x.toFixed(0);

function sustainableText(e: CapacityEntry): string {
  if (!e.sustainable) return 'none found';
  return e.samples.length > 1 ? `${rate(e.sustainable.mean)} ± ${rate(e.sustainable.stddev)}` : rate(e.sustainable.mean);
}

/**
 * Capacity results side by side, each against the first: the sustainable rate (one per search;
 * a Mann–Whitney U verdict when both sides have two searches or more, else none), and latency
 * at the fractions of capacity every curve measured.
 */
export function renderCapacityCompare(entries: CapacityEntry[], alpha = DEFAULT_ALPHA): string {
  const ref = entries[0]!;
  const t = new Table({ ...PLAIN_TABLE, head: ['', 'searches', 'sustainable msgs/s', 'median', 'vs first', 'verdict', 'not sustained at', 'problems'] });
  const floors: string[] = [];
  entries.forEach((e, i) => {
    let vs = '(reference)';
    let verdict = '';
    if (i > 0) {
      if (e.samples.length === 0 || ref.samples.length === 0) {
        vs = '–';
        verdict = 'no verdict: a side found no sustainable rate';
      } else {
        const j = judgeThroughput(e, ref, alpha);
        vs = j.ratio === null ? '–' : `${j.ratio.toFixed(2)}× (${pct(j.percent!)})`;
        verdict =
          j.verdict === 'singleRun' ? 'single search: no verdict' : j.verdict === 'noChange' ? `no significant change (p ${formatP(j.pValue!)})` : `${j.verdict === 'faster' ? 'higher' : 'lower'} (p ${formatP(j.pValue!)})`;
        if (j.minPValue !== null && j.minPValue >= alpha) {
          floors.push(`${e.label}: with ${e.samples.length} and ${ref.samples.length} searches the smallest possible p is ${minimumPValue(e.samples.length, ref.samples.length).toFixed(2)}, so no difference can reach p < ${alpha}.`);
        }
      }
    }
    t.push([
      e.label,
      e.samples.length === e.searches ? String(e.searches) : `${e.samples.length} of ${e.searches} found one`,
      sustainableText(e),
      e.samples.length > 0 ? rate(median(e.samples)) : '–',
      vs,
      verdict,
      e.notSustainable === null ? '–' : rate(e.notSustainable),
      e.problems.join('; '),
    ]);
  });
  const parts = [t.toString()];
  const fractions = commonFractions(entries);
  if (fractions.length > 0) {
    const c = new Table({ ...PLAIN_TABLE, head: ['e2e p50 / p99 ms at consumed msgs/s', ...fractions.map((f) => `${Math.round(f * 1000) / 10} %`)] });
    for (const e of entries) {
      c.push([
        e.label,
        ...fractions.map((f) => {
          const s = curveStepAt(e, f)!;
          return `${ms(s.e2eP50Ms)} / ${ms(s.e2eP99Ms)} at ${rate(s.consumedMsgsPerS)}`;
        }),
      ]);
    }
    parts.push(`Latency at fractions of each one's own capacity (its curve):\n${c.toString()}`);
  } else {
    parts.push('Latency: the curves have no fraction in common (or were not measured: --no-curve), so none is set side by side.');
  }
  const notes = [
    'Sustainable: the highest total publish rate a search found sustained; ± is the standard deviation across searches (a capacity matrix cell holds one per repetition). ' +
      `Verdict: a two-sided Mann–Whitney U test of the searches' rates against the first entry's, "higher" or "lower" only when p < ${alpha}; "vs first" is the ratio of the medians.`,
    entries.some((e) => e.searches < 2)
      ? 'single search: one search has no run-to-run noise to judge a difference by: the difference is shown, without a verdict (a capacity matrix with repeat ≥ 4 gives one).'
      : '',
    'The curve fractions are of each entry\'s own capacity, so the same % is a different absolute rate for each.',
    ...floors,
  ].filter(Boolean);
  return `${parts.join('\n\n').replace(/[ \t]+$/gm, '')}\n\n${notes.join('\n')}`;
}

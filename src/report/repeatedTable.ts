import Table from 'cli-table3';
import type { RepeatedResult } from '../results/model.js';
import { repetitionNumbers } from '../results/repeated.js';
import { PLAIN_TABLE } from './plainTable.js';

const fmtMs = (x: number): string => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
const n = (x: number): string => x.toLocaleString('en-US');

/** The stdout summary of a repeated result: every repetition on a line, then mean ± stddev and the merged latency. */
export function renderRepeated(r: RepeatedResult, label = r.name): string {
  const first = r.runs[0];
  const lines: string[] = [];
  const interleaved = r.interleavedWith ? `, alternating with ${r.interleavedWith}` : '';
  const broker = first ? `, broker ${first.broker.versions.join(', ') || 'unknown'}` : '';
  lines.push(`${label}: ${r.runs.length} of ${r.repeat} repetition${r.repeat === 1 ? '' : 's'} measured${interleaved}; ${r.profile.queues.type} queue(s)${broker}`);
  const t = new Table({ ...PLAIN_TABLE, head: ['repetition', 'consumed msgs/s', 'e2e p99 ms', 'lost', 'verdict'] });
  const rows: Array<{ k: number; cells: string[] }> = [];
  const reps = repetitionNumbers(r);
  r.runs.forEach((run, i) => {
    const verdict = run.verdict.status === 'ok' ? 'ok' : `${run.verdict.status.toUpperCase()}: ${run.verdict.message}`;
    rows.push({ k: reps[i]!, cells: [String(reps[i]), run.rates.consumed.overallMsgsPerS.toFixed(0), fmtMs(run.latency.e2e.corrected.p99Ms), run.delivery.lost === null ? 'n/a' : n(run.delivery.lost), verdict] });
  });
  for (const f of r.failures) if (!reps.includes(f.repetition)) rows.push({ k: f.repetition, cells: [String(f.repetition), '–', '–', '–', `FAILED: ${f.error}`] });
  for (const row of rows.sort((a, b) => a.k - b.k)) t.push(row.cells);
  lines.push(t.toString().replace(/[ \t]+$/gm, ''));
  const s = r.summary;
  if (s) {
    const lost = s.lost === null ? `loss not computed (${s.accountingIncomplete} incomplete)` : `${n(s.lost)} lost`;
    lines.push(
      `summary: consumed ${s.consumeRate.mean.toFixed(0)} ± ${s.consumeRate.stddev.toFixed(0)} msgs/s (mean ± stddev of ${s.repetitions} run${s.repetitions === 1 ? '' : 's'}), ` +
        `e2e p50 ${fmtMs(s.e2e.p50Ms)} / p99 ${fmtMs(s.e2e.p99Ms)} ms, confirm p99 ${fmtMs(s.confirm.p99Ms)} ms (histograms merged); ${lost}, ${n(s.duplicates)} duplicates`,
    );
  } else {
    lines.push('summary: no repetition was measured');
  }
  if (r.interrupted) lines.push(`INTERRUPTED: ${r.error ?? ''} — the repetitions above are what finished.`);
  return lines.join('\n');
}

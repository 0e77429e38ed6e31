import Table from 'cli-table3';
import type { CellSummary, MatrixResult, SpreadMs } from '../matrix/model.js';
import type { MeanStd } from '../metrics/meanStd.js';
import { PLAIN_TABLE } from './plainTable.js';

/** "7342 ± 498": mean ± stddev with `digits` decimals (the README's tables use it too). */
export const pm = (m: MeanStd, digits = 0): string => `${m.mean.toFixed(digits)} ± ${m.stddev.toFixed(digits)}`;
const ms = (x: number): string => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
const n = (x: number): string => x.toLocaleString('en-US');

/** Lost messages of a cell; "n/a" when some run's account was incomplete (loss not computed). */
export function lostCell(s: Pick<CellSummary, 'lost' | 'accountingIncomplete'>): string {
  return s.lost === null ? `n/a (${s.accountingIncomplete} incomplete)` : n(s.lost);
}

/** "2 ok" or "1 ok, 1 lost": the verdicts of a cell's runs, counted. */
export function verdictCounts(verdicts: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const v of verdicts) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts].map(([v, k]) => `${k} ${v}`).join(', ') || '–';
}

/** Seconds, mean ± stddev over repetitions and the max: "3.2 ± 0.4 (max 3.6)"; "–" without samples. */
export function spreadSeconds(s: SpreadMs): string {
  if (s.n === 0) return '–';
  const sec = (x: number): string => (x / 1000).toFixed(1);
  return s.n === 1 ? sec(s.mean) : `${sec(s.mean)} ± ${sec(s.stddev)} (max ${sec(s.max)})`;
}

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
      const queued = (s.backlogRuns ?? 0) > 0 ? ' *' : '';
      t.push([c.label, String(s.repetitions), pm(s.consumeRate), pm(s.publishRate), ms(s.e2e.p50Ms) + queued, ms(s.e2e.p99Ms) + queued, ms(s.confirm.p99Ms), lostCell(s)]);
    }
  }
  lines.push(t.toString());
  const backlogged = m.cells.filter((c) => (c.summary?.backlogRuns ?? 0) > 0);
  if (backlogged.length > 0) {
    lines.push(
      `* the queue grew in ${backlogged.map((c) => `${c.label} (${c.summary!.backlogRuns}/${c.summary!.repetitions})`).join('; ')}: the publishers outran the consumers, ` +
        'so e2e latency there is mostly time spent queueing. For what each setup sustains and its latency at that load, run a capacity matrix ("mode": "capacity", e.g. profiles/capacity-matrix.json).',
    );
  }
  lines.push('');
  const faults = faultTable(m);
  if (faults) lines.push(faults, '');
  const problems = m.cells.flatMap((c) =>
    c.runs.flatMap((r, i) => (r.verdict.status === 'ok' ? [] : [`  ${c.label}, repetition ${i + 1}: ${r.verdict.status.toUpperCase()} — ${r.verdict.message}`])),
  );
  if (problems.length > 0) lines.push('Runs whose verdict is not ok:', ...problems, '');
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

/** Only when some cell ran a fault timeline: what it lost and how long it was unavailable. */
function faultTable(m: MatrixResult): string | undefined {
  const cells = m.cells.filter((c) => c.summary?.faults);
  if (cells.length === 0) return undefined;
  const t = new Table({
    ...PLAIN_TABLE,
    head: ['under faults', 'lost', 'unresolved', 'duplicates', 'unconfirmed at loss', 'nacked / returned', 'no confirm s', 'no delivery s', 'verdicts'],
  });
  for (const c of cells) {
    const s = c.summary!;
    const f = s.faults!;
    t.push([
      c.label,
      lostCell(s),
      s.unresolved === null ? 'n/a' : n(s.unresolved),
      n(s.duplicates),
      n(s.unconfirmedAtLoss),
      `${n(s.nacked)} / ${n(s.returned)}`,
      spreadSeconds(f.longestConfirmGapMs),
      spreadSeconds(f.longestDeliveryGapMs),
      verdictCounts(s.verdicts),
    ]);
  }
  const note =
    'no confirm / no delivery: the longest time the queue took (delivered) nothing during the measurement; nacked / returned: messages the broker refused or could not route meanwhile. ' +
    'Mean ± stddev over repetitions (max).';
  return `${t.toString()}\n${note}`;
}

import { stepAtFraction } from '../../capacity/curve.js';
import type { CapacityResult, CapacitySettings, CapacityStep } from '../../capacity/model.js';
import { STEP_COLUMNS, stepCells } from '../../capacity/stepTable.js';
import type { MatrixCell, MatrixResult } from '../../matrix/model.js';
import { capacityCurveChart, CURVE_METRIC_LABEL, type CurveMetric } from './chartData.js';
import type { Charts, PageContent } from './charts.js';
import { escapeHtml as esc } from './escape.js';
import { messageSizeLabel } from '../../engine/messageSizes.js';
import { environmentLine, fmtMs, fmtRate, jsonDetails, table } from './template.js';

/**
 * The report pages of capacity results: one search (mqbench capacity) and a capacity matrix (one
 * search per cell and repetition). Both show the latency-vs-throughput curve and every step, with
 * the same columns and words as the terminal table (src/capacity/stepTable.ts).
 */

const pct = (f: number): string => `${Math.round(f * 1000) / 10} %`;
const seconds = (ms: number): string => `${(ms / 1000).toLocaleString('en-US', { maximumFractionDigits: 1 })} s`;

const CURVE_NOTE =
  'Each point is one step: x = the rate the consumers achieved (consumed msgs/s over the step), y = its latency (corrected for coordinated omission) on a logarithmic axis. ' +
  'Lines join the curve steps in order of the fraction of the capacity asked for, so a line that turns back left means a higher rate was asked for but less was achieved. ';

/** The step table: every step in order, search steps that failed highlighted. */
export function stepTableHtml(steps: readonly CapacityStep[]): string {
  if (steps.length === 0) return '<p class="note">No step was measured.</p>';
  return table(
    [...STEP_COLUMNS],
    steps.map((s, i) => stepCells(s, i + 1).map(esc)),
    { className: 'num compact', textColumns: [STEP_COLUMNS.length - 1], rowClasses: steps.map((s) => (s.phase === 'search' && s.sustainable === false ? 'failed' : undefined)) },
  );
}

const STEP_NOTE =
  'target: the total publish rate asked for (all publishers together); published, consumed: achieved msgs/s over the step; backlog: growth of the queues’ depth (least-squares slope, msgs/s; – without readings); ' +
  'latencies corrected for coordinated omission. Highlighted: a rate not sustained.';

/** What the search was asked: precision, tolerance, step lengths, SLOs, curve fractions. */
function settingsHtml(s: CapacitySettings): string {
  const rows: string[][] = [
    ['precision', `${pct(s.precision)}: the search stops when the bracket [sustained, not sustained] is narrower than this share of its lower end`],
    ['tolerance', `${pct(s.tolerance)}: a rate is sustained when published and consumed reach ${pct(1 - s.tolerance)} of it, the queues do not grow, nothing is nacked and every SLO holds`],
    ['step', `${seconds(s.stepMs)} measured after ${seconds(s.settleMs)} to settle (queues deleted and re-created before each step)`],
    ['search steps at most', String(s.maxSteps)],
    ['first rate', s.startMsgsPerS === null ? 'half the consume rate of a full-speed probe' : `${fmtRate(s.startMsgsPerS)} msgs/s (given)`],
    ['SLOs', s.slos.length === 0 ? 'none' : s.slos.map((x) => x.source).join(', ')],
    ['curve', s.fractions.length === 0 ? '–' : `latency at ${s.fractions.map(pct).join(', ')} of the rate found`],
  ];
  return table(['setting', 'value'], rows.map(([k, v]) => [esc(k!), esc(v!)]), { className: 'compact' });
}

/** `mqbench report <capacity.json>`. */
export function renderCapacityResult(r: CapacityResult, charts: Charts): PageContent {
  const c = r.capacity;
  const curveSteps = c.steps.filter((s) => s.phase === 'curve');
  const p = r.profile;
  const setup = `${p.publishers.count} publisher${p.publishers.count === 1 ? '' : 's'} (${typeof p.publishers.messageSize === 'number' ? fmtRate(p.publishers.messageSize) : messageSizeLabel(p.publishers.messageSize)}-byte messages${p.publishers.confirms.enabled ? ', confirms on' : ', confirms off'}), ${p.consumers.count} consumer${p.consumers.count === 1 ? '' : 's'}${p.consumers.rate > 0 ? ` (at most ${fmtRate(p.consumers.rate)} msgs/s each)` : ''}, ${p.queues.count} ${p.queues.type} queue${p.queues.count === 1 ? '' : 's'}`;
  const headline =
    c.sustainableMsgsPerS === null
      ? `<p class="warn">No sustainable rate found${r.error ? `: ${esc(r.error)}` : ': not even the lowest rate tried was sustained'}.</p>`
      : `<p class="headline">Sustainable: <b>${fmtRate(c.sustainableMsgsPerS)} msgs/s</b> in total; ` +
        (c.notSustainableMsgsPerS === null
          ? 'no higher rate tried failed (raise --max-steps to bracket it).'
          : `not ${fmtRate(c.notSustainableMsgsPerS)} msgs/s — the capacity lies in [${fmtRate(c.sustainableMsgsPerS)}, ${fmtRate(c.notSustainableMsgsPerS)}).`) +
        '</p>';
  const searched = c.steps.filter((s) => s.phase === 'search').length;
  const chart = capacityCurveChart('capacity-curve', 'Latency against achieved throughput', [{ label: r.name, steps: c.steps }]);
  const note =
    CURVE_NOTE +
    'Faint points: the probe (◆, full speed) and the search steps (● sustained, ✕ not), their e2e p99.' +
    (curveSteps.length === 0 ? ' This search measured no curve (--no-curve, or no rate was found): only the search steps are drawn.' : '') +
    (chart && chart.omitted > 0 ? ` ${chart.omitted} figure${chart.omitted === 1 ? ' is' : 's are'} 0 ms or missing (confirms off?) and cannot be drawn on a log axis.` : '');
  const body = [
    `<section id="summary"><h2>Capacity</h2>${headline}<p>${esc(setup)}; ${searched} search step${searched === 1 ? '' : 's'}, ${curveSteps.length} curve step${curveSteps.length === 1 ? '' : 's'}.</p>${settingsHtml(r.settings)}</section>`,
    `<section id="curve"><h2>Latency against throughput</h2>${charts.figure(chart, 'Latency against throughput', 'No step has a latency to draw.', esc(note))}</section>`,
    `<section id="steps"><h2>Steps</h2>${stepTableHtml(c.steps)}<p class="note">${esc(STEP_NOTE)}</p></section>`,
    `<section id="profile"><h2>Profile</h2><p>From <code>${esc(r.profileSource)}</code>, as searched (its publishers.rate is what the search varies; defaults filled in, passwords masked).</p>${jsonDetails('profile JSON', r.profile)}</section>`,
  ].join('\n');
  const meta = [
    `capacity search: ${c.steps.length} step${c.steps.length === 1 ? '' : 's'}`,
    `${esc(r.startedAt)} → ${esc(r.endedAt)}`,
    `${esc(p.queues.type)} queue`,
    esc(environmentLine(r.environment)),
  ].join(' · ');
  const nav = [
    { href: '#summary', text: 'Capacity' },
    { href: '#curve', text: 'Latency curve' },
    { href: '#steps', text: 'Steps' },
    { href: '#profile', text: 'Profile' },
  ];
  return { body, nav, meta };
}

// ---------------------------------------------------------------- capacity matrix

const MATRIX_CHOICES: Array<{ label: string; metrics: CurveMetric[] }> = (['e2eP99', 'e2eP50', 'confirmP99', 'confirmP50'] as const).map((m) => ({
  label: CURVE_METRIC_LABEL[m],
  metrics: [m],
}));

/** consumed msgs/s, e2e p50 / p99, confirm p99 of a step; '–' ×3 without one. "fell short" when it did not keep up. */
function stepFigures(s: CapacityStep | null | undefined, tolerance: number): string[] {
  if (!s) return ['–', '–', '–'];
  const floor = (1 - tolerance) * s.targetMsgsPerS;
  const short = s.backlogGrowing || s.publishedMsgsPerS < floor || s.consumedMsgsPerS < floor;
  return [
    `${fmtRate(s.consumedMsgsPerS)}${short ? ' <small class="bad">(fell short)</small>' : ''}`,
    `${fmtMs(s.e2eP50Ms)} / ${fmtMs(s.e2eP99Ms)}`,
    fmtMs(s.confirmP99Ms),
  ];
}

function capacityCellTable(m: MatrixResult): string {
  const settings = m.capacity?.settings;
  const tolerance = settings?.tolerance ?? 0;
  const fraction = m.capacity?.tableFraction ?? null;
  const common = m.capacity?.commonRateMsgsPerS ?? null;
  const rows = m.cells.map((c, i) => {
    const name = `<a href="#cell-${i + 1}">${esc(c.label)}</a>${c.id === m.baselineCellId ? ' <small>(baseline)</small>' : ''}`;
    const cap = c.capacity ?? null;
    if (!cap) return [name, esc(c.skipped ? `skipped: ${c.skipped}` : `no capacity result (${c.failures.length} repetition${c.failures.length === 1 ? '' : 's'} failed)`)];
    const found = cap.searches.filter((s) => s.sustainableMsgsPerS !== null).length;
    const sustainable = cap.sustainable ? (cap.sustainable.n > 1 ? `${fmtRate(cap.sustainable.mean)} ± ${fmtRate(cap.sustainable.stddev)}` : fmtRate(cap.sustainable.mean)) : 'none found';
    const rel = cap.relative ? `×${cap.relative.mean.toFixed(2)}${cap.relative.stddev > 0 ? ` ± ${cap.relative.stddev.toFixed(2)}` : ''}` : c.id === m.baselineCellId ? '1' : '–';
    return [
      name,
      `${found} of ${cap.searches.length}`,
      sustainable,
      rel,
      ...(fraction === null ? [] : stepFigures(stepAtFraction(cap.curve, fraction), tolerance)),
      ...(common === null ? [] : stepFigures(cap.common, tolerance)),
    ];
  });
  const at = fraction === null ? [] : [`at ${pct(fraction)}: consumed msgs/s`, `at ${pct(fraction)}: e2e p50 / p99 ms`, `at ${pct(fraction)}: confirm p99 ms`];
  const atCommon = common === null ? [] : [`at ${fmtRate(common)} msgs/s: consumed`, `at ${fmtRate(common)} msgs/s: e2e p50 / p99 ms`, `at ${fmtRate(common)} msgs/s: confirm p99 ms`];
  const head = ['cell', 'searches found one', 'sustainable msgs/s', '× baseline', ...at, ...atCommon];
  const notes = [
    `Sustainable: the highest total publish rate each search found sustained, mean ± standard deviation across the cell’s searches (one per repetition, repeat = ${m.repeat}); × baseline: the ratio of means, errors in quadrature.`,
    fraction === null ? '' : `At ${pct(fraction)}: the cell’s curve step at that fraction of its own capacity — a different absolute rate in every cell, each as loaded relative to what it can take.`,
    common === null ? '' : `At ${fmtRate(common)} msgs/s: one step at the same total rate in every cell (a rate all of them sustained), so their latency compares at equal load.`,
    '“fell short”: the step’s publishers or consumers stayed below the target by more than the tolerance, or its queues grew.',
  ].filter(Boolean);
  return table(head, rows, { className: 'num', id: 'cells' }) + notes.map((n) => `<p class="note">${esc(n)}</p>`).join('');
}

function capacityCellSection(c: MatrixCell, index: number): string {
  const n = index + 1;
  const values = Object.entries(c.values)
    .map(([k, v]) => `<code>${esc(k)} = ${esc(String(v))}</code>`)
    .join(' ');
  const parts = [`<section id="cell-${n}"><h2>${esc(`Cell ${n}: ${c.label}`)}</h2>${values ? `<p class="values">${values}</p>` : ''}`];
  const overrides = Object.entries(c.overrides ?? {});
  if (overrides.length > 0) parts.push(`<p class="values">Overrides: ${overrides.map(([k, v]) => `<code>${esc(k)} = ${esc(JSON.stringify(v) ?? 'undefined')}</code>`).join(' ')}</p>`);
  if (c.skipped) parts.push(`<p class="warn">Skipped: ${esc(c.skipped)}</p>`);
  for (const f of c.failures) parts.push(`<p class="warn">Repetition ${f.repetition} failed: ${esc(f.error)}</p>`);
  const cap = c.capacity ?? null;
  if (cap) {
    const s = cap.sustainable;
    parts.push(
      `<p>${cap.searches.length} search${cap.searches.length === 1 ? '' : 'es'}: ${
        s ? `sustainable ${fmtRate(s.mean)}${s.n > 1 ? ` ± ${fmtRate(s.stddev)}` : ''} msgs/s (n = ${s.n})` : 'no sustainable rate found'
      }.</p>`,
    );
    parts.push(
      `<ul class="verdicts">${cap.searches
        .map(
          (x) =>
            `<li>Search ${x.repetition}: ${x.sustainableMsgsPerS === null ? 'none found' : `${fmtRate(x.sustainableMsgsPerS)} msgs/s`}${
              x.notSustainableMsgsPerS === null ? '' : `, not ${fmtRate(x.notSustainableMsgsPerS)}`
            } (${x.steps.length} step${x.steps.length === 1 ? '' : 's'})${x.error ? ` — <b>stopped</b>: ${esc(x.error)}` : ''}</li>`,
        )
        .join('')}</ul>`,
    );
    for (const x of cap.searches) parts.push(`<details><summary>Search ${x.repetition}: every step</summary>${stepTableHtml(x.steps)}</details>`);
    parts.push(
      cap.curve.length > 0
        ? `<details><summary>Curve: ${cap.curve.length} step${cap.curve.length === 1 ? '' : 's'} at fractions of ${s ? `${fmtRate(s.mean)} msgs/s` : 'the capacity'}</summary>${stepTableHtml(cap.curve)}</details>`
        : '<p class="note">No curve was measured for this cell.</p>',
    );
    if (cap.common) parts.push(`<details><summary>At the common rate, ${fmtRate(cap.common.targetMsgsPerS)} msgs/s</summary>${stepTableHtml([cap.common])}</details>`);
  }
  parts.push('</section>');
  return parts.join('\n');
}

/** A matrix with `mode: "capacity"`: the cells’ capacities, their curves on one chart, every step. */
export function renderCapacityMatrix(m: MatrixResult, charts: Charts): PageContent {
  const withCurve = m.cells.filter((c) => (c.capacity?.curve.length ?? 0) > 0);
  const chart = capacityCurveChart(
    'capacity-matrix-curves',
    'Latency against achieved throughput, by cell',
    withCurve.map((c) => ({ label: c.label, steps: c.capacity!.curve })),
    { choices: MATRIX_CHOICES },
  );
  const note =
    CURVE_NOTE +
    'One line per cell, through its curve steps (fractions of its own capacity); the selector picks the latency figure. Search steps are in each cell’s step tables below.' +
    (chart && chart.omitted > 0 ? ` ${chart.omitted} figure${chart.omitted === 1 ? ' is' : 's are'} 0 ms or missing (confirms off?) and cannot be drawn on a log axis.` : '');
  const settings = m.capacity ? `<h3>Search settings</h3>${settingsHtml(m.capacity.settings)}` : '';
  const body = [
    `<section id="overview"><h2>Capacity by cell</h2>${capacityCellTable(m)}${settings}</section>`,
    `<section id="curves"><h2>Latency against throughput by cell</h2>${charts.figure(chart, 'Latency against throughput by cell', 'No cell measured a curve.', esc(note))}</section>`,
    ...m.cells.map((c, i) => capacityCellSection(c, i)),
    `<section id="profile"><h2>Matrix profile</h2><p>From <code>${esc(m.profileSource)}</code> (passwords masked).</p>${jsonDetails('matrix profile JSON', m.matrix)}</section>`,
  ].join('\n');
  const meta = [
    `capacity matrix of ${m.cells.length} cell${m.cells.length === 1 ? '' : 's'} × ${m.repeat} search${m.repeat === 1 ? '' : 'es'}`,
    `${esc(m.startedAt)} → ${esc(m.endedAt)}`,
    esc(environmentLine(m.environment)),
  ].join(' · ');
  const nav = [
    { href: '#overview', text: 'Capacity by cell' },
    { href: '#curves', text: 'Latency curves' },
    ...m.cells.map((c, i) => ({ href: `#cell-${i + 1}`, text: c.label })),
    { href: '#profile', text: 'Profile' },
  ];
  return { body, nav, meta };
}

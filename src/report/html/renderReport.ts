import { mkdir, writeFile } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import type { CellSummary, MatrixCell, MatrixResult, MeanStd, SpreadMs } from '../../matrix/model.js';
import type { RepeatedResult, RunResult } from '../../results/model.js';
import { measuredRuns, repeatedAsMatrix, repetitionNumbers } from '../../results/repeated.js';
import { packageVersion } from '../../util/packageRoot.js';
import { UserError } from '../../util/userError.js';
import { decorationCount, pointCount, queueDepthChart, RATE_KEYS, throughputBars, throughputChart, type BarChart, type ChartSpec } from './chartData.js';
import { renderCapacityMatrix, renderCapacityResult } from './capacityPage.js';
import { deliveryHtml, eventsHtml, faultTimelineHtml, verdictHtml } from './faultTimeline.js';
import { loadChartJs, type ChartLibrary } from './chartLibrary.js';
import { escapeHtml as esc } from './escape.js';
import { loadResult, type LoadedResult } from '../../results/loadResult.js';
import { Charts, type PageContent } from './charts.js';
import { environmentLine, fmtMs, fmtRate, fmtSeconds, jsonDetails, latencyTable, page, rateTable, table, topologyHtml } from './template.js';
import { topologyView } from './topology.js';

export interface RenderOptions {
  /** Where the result came from (shown in the footer). */
  source: string;
  generatedAt?: Date;
  library?: ChartLibrary;
}

export interface RenderedReport {
  html: string;
  /** Every chart on the page, with the number of points it draws, and of shaded bands and vertical step lines. */
  charts: Array<{ id: string; type: ChartSpec['type']; points: number; bands: number; markers: number }>;
}

function banner(r: { interrupted: boolean; error: string | null }): string | null {
  if (r.interrupted) return `Interrupted: ${esc(r.error ?? 'stopped early')}. What was measured until then is shown.`;
  if (r.error) return `Finished with a problem: ${esc(r.error)}`;
  return null;
}

function runSummary(r: RunResult): string {
  const co = r.latency.coordinatedOmissionCorrection;
  const lat = [{ name: co ? 'end-to-end (corrected)' : 'end-to-end', s: r.latency.e2e.corrected }];
  if (co) lat.push({ name: 'end-to-end (raw)', s: r.latency.e2e.raw });
  lat.push({ name: co ? 'confirm (corrected)' : 'confirm', s: r.latency.confirm.corrected });
  if (co) lat.push({ name: 'confirm (raw)', s: r.latency.confirm.raw });
  const backlog = r.backlog ?? null;
  return [
    verdictHtml(r.verdict),
    backlog?.growing ? `<p class="warn"><b>Backlog:</b> ${esc(backlog.message)}.</p>` : '',
    `<p>Warm-up ${fmtSeconds(r.timing.warmupMs)}, measured ${fmtSeconds(r.timing.measuredMs)}, drain ${fmtSeconds(r.timing.drainMs)}; rates and latencies exclude the warm-up.</p>`,
    rateTable(r.rates),
    latencyTable(lat),
    backlogHtml(backlog),
    '<h3>Delivery</h3>',
    deliveryHtml(r),
  ].join('\n');
}

const growth = (x: number): string => `${x > 0 ? '+' : ''}${x.toLocaleString('en-US', { maximumFractionDigits: 1 })}`;

/**
 * The queues' depth over the measurement (results/README.md `backlog`) in figures; the warning
 * when it grew (then e2e latency measures time spent queued) stands under the verdict.
 */
function backlogHtml(b: RunResult['backlog']): string {
  if (!b) {
    return '<p class="note">Queue depth: fewer than 3 readings in the measurement window (queues are not read when there are more than 100; older results have none), so there is no backlog figure.</p>';
  }
  const figures =
    `Queue depth over the measurement (${b.samples} readings): ${fmtRate(b.startDepth)} → ${fmtRate(b.endDepth)} ready messages, at most ${fmtRate(b.maxDepth)}; ` +
    `growth ${growth(b.growthMsgsPerS)} msgs/s (least-squares slope).`;
  return `<p>${figures}</p>`;
}

/** One repetition's backlog in a few words, for the lists of repetitions; '' without depth readings. */
function backlogWords(r: RunResult): string {
  const b = r.backlog ?? null;
  if (!b) return '';
  return b.growing
    ? `; <b>backlog grew</b> ${growth(b.growthMsgsPerS)} msgs/s to ${fmtRate(b.maxDepth)} messages`
    : `; queue depth at most ${fmtRate(b.maxDepth)} (growth ${growth(b.growthMsgsPerS)} msgs/s)`;
}

const DEPTH_NOTE =
  'Ready messages in all benchmark queues together at the last reading of each interval (a passive queue.declare about once a second); gaps: no reading. ' +
  'A depth that climbs through the measurement is a backlog: the consumers did not keep up, and e2e latency then measures time spent queued.';

/** What the throughput chart's shading means, fault windows included when the run had them. */
function throughputNote(r: RunResult): string {
  const faults = r.faults
    ? ' Red: a fault was in effect (from the step that took a node away until the step that brought it back was done); red dashed lines: when each fault step was requested.'
    : '';
  return `Messages per second over each interval (about a second), at the interval’s end. Grey: warm-up (excluded from the summary); orange: drain (publishers stopped, consumers catching up).${faults}`;
}

function renderRun(r: RunResult, charts: Charts): PageContent {
  const throughput = throughputChart('run-throughput', 'Published, confirmed and consumed msgs/s per interval', r.series, r.faults ?? null);
  const events = r.events ?? [];
  const body = [
    `<section id="summary"><h2>Summary</h2>${runSummary(r)}</section>`,
    `<section id="throughput"><h2>Throughput over time</h2>${charts.figure(
      r.series.length > 0 ? throughput : null,
      'Throughput over time',
      'The run recorded no interval.',
      esc(throughputNote(r)),
    )}${charts.figure(
      queueDepthChart('run-depth', 'Queue depth (ready messages) per interval', r.series, r.faults ?? null),
      'Queue depth over time',
      'The queues’ depth was not read (more than 100 queues, or a result written before depth was read).',
      esc(DEPTH_NOTE),
    )}</section>`,
    r.faults ? `<section id="faults"><h2>Fault timeline</h2>${faultTimelineHtml(r, 'run-faults')}</section>` : '',
    !r.faults && events.length > 0 ? `<section id="events"><h2>Connection events</h2>${eventsHtml(r, 'run')}</section>` : '',
    `<section id="latency"><h2>Latency distribution</h2>${charts.latencyPair('run-latency', '', [{ label: r.name, histograms: r.histograms }])}</section>`,
    `<section id="topology"><h2>Cluster topology</h2>${topologyHtml(topologyView(r.cluster))}</section>`,
    `<section id="profile"><h2>Profile</h2><p>From <code>${esc(r.profileSource)}</code>, as run: defaults filled in, passwords masked.</p>${jsonDetails('profile JSON', r.profile)}</section>`,
  ]
    .filter(Boolean)
    .join('\n');
  const queueType = r.cluster?.queueType ?? r.profile.queues?.type ?? '?';
  const meta = [
    'run',
    `${esc(r.startedAt)} → ${esc(r.endedAt)}`,
    `${esc(queueType)} queue`,
    `${esc(r.broker.product)} ${esc(r.broker.versions.join(', ') || 'unknown')}`,
    esc(environmentLine(r.environment)),
  ].join(' · ');
  const nav = [
    { href: '#summary', text: 'Summary' },
    { href: '#throughput', text: 'Throughput' },
    ...(r.faults ? [{ href: '#faults', text: 'Fault timeline' }] : events.length > 0 ? [{ href: '#events', text: 'Connection events' }] : []),
    { href: '#latency', text: 'Latency' },
    { href: '#topology', text: 'Topology' },
    { href: '#profile', text: 'Profile' },
  ];
  return { body, nav, meta };
}

const meanStd = (m: MeanStd, fmt: (x: number) => string = fmtRate): string => `${fmt(m.mean)} ± ${fmt(m.stddev)}`;
const ratio = (x: number): string => `×${x.toFixed(2)}`;

/** Seconds, mean ± stddev over repetitions and the max; "–" without samples. */
function spreadSeconds(x: SpreadMs | undefined): string {
  if (!x || x.n === 0) return '–';
  const sec = (ms: number): string => (ms / 1000).toFixed(1);
  return x.n === 1 ? sec(x.mean) : `${sec(x.mean)} ± ${sec(x.stddev)} <small>(max ${sec(x.max)})</small>`;
}

/** "2 ok" or "1 ok, 1 lost". */
function verdictCounts(verdicts: readonly string[] | undefined): string {
  const counts = new Map<string, number>();
  for (const v of verdicts ?? []) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts].map(([v, k]) => `${k} ${esc(v)}`).join(', ') || '–';
}

/** Lost messages of a cell; n/a when some run's account was incomplete (older results: a plain number). */
function lostText(s: CellSummary): string {
  if (s.lost === null) return `n/a <small>(${s.accountingIncomplete} incomplete)</small>`;
  return fmtRate(s.lost);
}

/** "1 of 3 runs": repetitions whose queues grew; '–' when none had depth readings. */
function backlogRuns(c: MatrixCell): string {
  const read = c.runs.filter((r) => r.backlog);
  if (read.length === 0) return '–';
  return `${read.filter((r) => r.backlog!.growing).length} of ${read.length}`;
}

function cellTable(m: MatrixResult): string {
  const withFaults = m.cells.some((c) => c.summary?.faults);
  // Only when some run's queues grew: then its e2e latency is time spent queued.
  const withBacklog = m.cells.some((c) => c.runs.some((r) => r.backlog?.growing));
  const withVerdicts = withFaults || m.cells.some((c) => (c.summary?.notOk ?? 0) > 0);
  const rows = m.cells.map((c) => {
    const s = c.summary;
    const name = `<a href="#cell-${m.cells.indexOf(c) + 1}">${esc(c.label)}</a>${c.id === m.baselineCellId ? ' <small>(baseline)</small>' : ''}`;
    if (!s) return [name, esc(c.skipped ? `skipped: ${c.skipped}` : `no result (${c.failures.length} repetition${c.failures.length === 1 ? '' : 's'} failed)`)];
    const rel = s.relative ? `${ratio(s.relative.throughput.mean)} ± ${s.relative.throughput.stddev.toFixed(2)} / ${ratio(s.relative.e2eP99)}` : '';
    const f = s.faults ?? null;
    const faultCells = withFaults
      ? [
          s.unresolved === null || s.unresolved === undefined ? 'n/a' : fmtRate(s.unresolved),
          fmtRate(s.unconfirmedAtLoss ?? 0),
          `${fmtRate(s.nacked ?? 0)} / ${fmtRate(s.returned ?? 0)}`,
          f ? spreadSeconds(f.longestConfirmGapMs) : '–',
          f ? spreadSeconds(f.longestDeliveryGapMs) : '–',
        ]
      : [];
    return [
      name,
      String(s.repetitions) + (c.failures.length > 0 ? ` (+${c.failures.length} failed)` : ''),
      meanStd(s.publishRate),
      meanStd(s.confirmRate),
      meanStd(s.consumeRate),
      fmtMs(s.e2e.p99Ms),
      fmtMs(s.confirm.p99Ms),
      `${lostText(s)} / ${fmtRate(s.duplicates)}`,
      ...faultCells,
      ...(withBacklog ? [backlogRuns(c)] : []),
      ...(withVerdicts ? [verdictCounts(s.verdicts)] : []),
      rel,
    ];
  });
  const head = [
    'cell',
    'reps',
    'published msgs/s',
    'confirmed msgs/s',
    'consumed msgs/s',
    'e2e p99 ms',
    'confirm p99 ms',
    'lost / dup',
    ...(withFaults ? ['unresolved', 'unconfirmed at loss', 'nacked / returned', 'no confirm s', 'no delivery s'] : []),
    ...(withBacklog ? ['backlog grew (runs)'] : []),
    ...(withVerdicts ? ['verdicts'] : []),
    'vs baseline: consumed / e2e p99',
  ];
  const backlogNote = withBacklog
    ? '<p class="note">Backlog grew: runs whose queues grew through the measurement (of the runs whose depth was read): their consumers did not keep up, so their e2e latency is mostly time spent queued.</p>'
    : '';
  const note = withFaults
    ? '<p class="note">Under faults, summed or averaged over repetitions: unresolved = neither consumed nor proven lost; unconfirmed at loss = in flight when a connection was lost; ' +
      'no confirm / no delivery = the longest time nothing was confirmed (delivered) during the measurement — how long the queue was unavailable; nacked / returned = messages the broker refused or could not route. ' +
      'Mean ± stddev across repetitions (max). A cell whose runs lost messages is measured, not failed: with allowLoss, loss is the result.</p>'
    : '';
  return table(head, rows, { className: 'num', id: 'cells' }) + note + backlogNote;
}

/** heading: the section title (a repeated run's one cell has no axis values); withRates: each repetition's consume rate and e2e p99 on its line. */
function renderCell(c: MatrixCell, index: number, charts: Charts, heading = `Cell ${index + 1}: ${c.label}`, withRates = false): string {
  const n = index + 1;
  const values = Object.entries(c.values)
    .map(([k, v]) => `<code>${esc(k)} = ${esc(String(v))}</code>`)
    .join(' ');
  const parts = [`<section id="cell-${n}"><h2>${esc(heading)}</h2>${values ? `<p class="values">${values}</p>` : ''}`];
  const overrides = Object.entries(c.overrides ?? {});
  if (overrides.length > 0) {
    parts.push(`<p class="values">Overrides: ${overrides.map(([k, v]) => `<code>${esc(k)} = ${esc(JSON.stringify(v) ?? 'undefined')}</code>`).join(' ')}</p>`);
  }
  if (c.skipped) parts.push(`<p class="warn">Skipped: ${esc(c.skipped)}</p>`);
  for (const f of c.failures) parts.push(`<p class="warn">Repetition ${f.repetition} failed: ${esc(f.error)}</p>`);
  if (c.summary) {
    const s = c.summary;
    const lost = s.lost === null ? `loss not computed (${s.accountingIncomplete} run${s.accountingIncomplete === 1 ? '' : 's'} with an incomplete account)` : `${fmtRate(s.lost)} lost`;
    parts.push(
      `<p>${s.repetitions} repetition${s.repetitions === 1 ? '' : 's'}: consumed ${meanStd(s.consumeRate)} msgs/s; e2e p50 ${fmtMs(s.e2e.p50Ms)} / p99 ${fmtMs(s.e2e.p99Ms)} / max ${fmtMs(s.e2e.maxMs)} ms (all repetitions merged); ${lost}, ${fmtRate(s.duplicates)} duplicates.</p>`,
    );
    const f = s.faults;
    if (f) {
      parts.push(
        `<p>Under faults (${f.runs} repetition${f.runs === 1 ? '' : 's'}): longest time without a confirm ${spreadSeconds(f.longestConfirmGapMs)} s, without a delivery ${spreadSeconds(f.longestDeliveryGapMs)} s; ` +
          `the longest confirm pause ended ${spreadSeconds(f.publishResumedAfterMs)} s after the first step${f.publishNotResumed > 0 ? ` (never in ${f.publishNotResumed})` : ''}, ` +
          `the longest delivery pause ${spreadSeconds(f.consumeResumedAfterMs)} s${f.consumeNotResumed > 0 ? ` (never in ${f.consumeNotResumed})` : ''}; ` +
          `${fmtRate(s.nacked ?? 0)} nacked, ${fmtRate(s.returned ?? 0)} returned; ` +
          `${s.unresolved === null ? 'unresolved not computed' : `${fmtRate(s.unresolved)} unresolved`}, ${fmtRate(s.unconfirmedAtLoss)} unconfirmed at connection loss.</p>`,
      );
    }
  }
  if (c.runs.length > 0) {
    parts.push(
      `<ul class="verdicts">${c.runs
        .map(
          (r, k) =>
            `<li>Repetition ${k + 1}: ${r.verdict ? `<b>${esc(r.verdict.status.toUpperCase())}</b> — ${esc(r.verdict.message)}` : esc(r.interrupted ? 'interrupted' : 'finished')}` +
            (withRates ? `; consumed ${fmtRate(r.rates.consumed.overallMsgsPerS)} msgs/s, e2e p99 ${fmtMs(r.latency.e2e.corrected.p99Ms)} ms` : '') +
            backlogWords(r) +
            '</li>',
        )
        .join('')}</ul>`,
    );
    parts.push('<h3>Throughput over time</h3><div class="grid">');
    c.runs.forEach((r, k) => {
      const title = `Repetition ${k + 1}${r.interrupted ? ' (interrupted)' : ''}`;
      parts.push(charts.figure(r.series.length > 0 ? throughputChart(`cell-${n}-rep-${k + 1}-throughput`, title, r.series, r.faults ?? null) : null, title, 'No interval recorded.'));
    });
    parts.push('</div>');
    if (c.runs.some((r) => r.faults)) {
      parts.push('<h3>Fault timeline</h3>');
      c.runs.forEach((r, k) => {
        if (!r.faults) return;
        const html = faultTimelineHtml(r, `cell-${n}-rep-${k + 1}-faults`, 4);
        parts.push(`<details${k === 0 ? ' open' : ''}><summary>Repetition ${k + 1}</summary>${html}</details>`);
      });
    }
    if (c.runs.length > 1) {
      parts.push('<h3>Latency by repetition</h3>');
      parts.push(charts.latencyPair(`cell-${n}-latency`, ' by repetition', c.runs.map((r, k) => ({ label: `repetition ${k + 1}`, histograms: r.histograms }))));
    }
    parts.push('<h3>Delivery</h3>');
    c.runs.forEach((r, k) => {
      parts.push(`<details><summary>Repetition ${k + 1}: delivery account</summary>${deliveryHtml(r)}</details>`);
      if (!r.faults && (r.events ?? []).length > 0) {
        parts.push(`<details><summary>Repetition ${k + 1}: ${r.events.length} connection event${r.events.length === 1 ? '' : 's'}</summary>${eventsHtml(r, `cell-${n}-rep-${k + 1}`)}</details>`);
      }
    });
    parts.push('<h3>Cluster topology</h3>');
    c.runs.forEach((r, k) => {
      const html = topologyHtml(topologyView(r.cluster));
      parts.push(k === 0 ? `<p><b>Repetition 1</b></p>${html}` : `<details><summary>Repetition ${k + 1}</summary>${html}</details>`);
    });
    parts.push(jsonDetails('profile of this cell (as run, repetition 1)', c.runs[0]!.profile));
  }
  parts.push('</section>');
  return parts.join('\n');
}

function renderMatrix(m: MatrixResult, charts: Charts): PageContent {
  const bars = throughputBars('matrix-throughput', 'Throughput by cell', m);
  const withSummary = m.cells.filter((c) => c.summary !== null);
  const body = [
    `<section id="overview"><h2>Throughput by cell</h2>${charts.figure(
      bars,
      'Throughput by cell',
      'No cell has a result.',
      `Mean over each cell’s repetitions (repeat = ${m.repeat}) of the overall rate of the measurement window; error bars: ± one standard deviation across repetitions (none with a single repetition).`,
    )}${cellTable(m)}</section>`,
    `<section id="latency"><h2>Latency distribution by cell</h2><p class="note">Each cell’s repetitions merged exactly (HDR histograms added).</p>${charts.latencyPair(
      'matrix-latency',
      ' by cell',
      withSummary.map((c) => ({ label: c.label, histograms: c.summary!.histograms })),
    )}</section>`,
    ...m.cells.map((c, i) => renderCell(c, i, charts)),
    `<section id="profile"><h2>Matrix profile</h2><p>From <code>${esc(m.profileSource)}</code> (passwords masked).</p>${jsonDetails('matrix profile JSON', m.matrix)}</section>`,
  ].join('\n');
  const meta = [
    `matrix of ${m.cells.length} cell${m.cells.length === 1 ? '' : 's'} × ${m.repeat} repetition${m.repeat === 1 ? '' : 's'}`,
    `${esc(m.startedAt)} → ${esc(m.endedAt)}`,
    esc(environmentLine(m.environment)),
  ].join(' · ');
  const nav = [
    { href: '#overview', text: 'Throughput by cell' },
    { href: '#latency', text: 'Latency' },
    ...m.cells.map((c, i) => ({ href: `#cell-${i + 1}`, text: c.label })),
    { href: '#profile', text: 'Profile' },
  ];
  return { body, nav, meta };
}

/** One bar group per measured repetition: its overall rates (no error bars: one run each). */
function repetitionBars(id: string, title: string, r: RepeatedResult): BarChart | null {
  const reps = repetitionNumbers(r);
  const runs = r.runs.map((run, i) => ({ run, k: reps[i]! })).filter((x) => measuredRuns([x.run]).length === 1);
  if (runs.length === 0) return null;
  return {
    type: 'bars',
    id,
    title,
    labels: runs.map((x) => `repetition ${x.k}`),
    series: RATE_KEYS.map((key) => ({
      key,
      mean: runs.map((x) => x.run.rates[key].overallMsgsPerS),
      stddev: runs.map(() => 0),
      n: runs.map(() => 1),
    })),
  };
}

/**
 * A repeated run (`run --repeat N`) is shown as a matrix of one cell: the summary table, the
 * repetitions' histograms merged, and the cell's section with every repetition; above them, one
 * bar per repetition.
 */
function renderRepeated(r: RepeatedResult, charts: Charts): PageContent {
  const m = repeatedAsMatrix(r);
  const n = r.summary?.repetitions ?? 0;
  const merged = r.summary ? [{ label: `${r.name}, ${n} repetition${n === 1 ? '' : 's'} merged`, histograms: r.summary.histograms }] : [];
  const interleaved = r.interleavedWith ? ` Its repetitions alternated with those of <code>${esc(r.interleavedWith)}</code>.` : '';
  const body = [
    `<section id="overview"><h2>Throughput by repetition</h2>${charts.figure(
      repetitionBars('repeated-throughput', 'Throughput by repetition', r),
      'Throughput by repetition',
      'No repetition was measured.',
      'The overall rate of each repetition’s measurement window. The table gives their mean ± standard deviation across repetitions.',
    )}${cellTable(m)}</section>`,
    `<section id="latency"><h2>Latency distribution</h2><p class="note">Every measured repetition’s histograms merged exactly (HDR histograms added).</p>${charts.latencyPair(
      'repeated-latency',
      ' (repetitions merged)',
      merged,
    )}</section>`,
    renderCell(m.cells[0]!, 0, charts, `Repetitions of ${r.name}`, true),
    `<section id="profile"><h2>Profile</h2><p>From <code>${esc(r.profileSource)}</code>, as run: defaults filled in, passwords masked.${interleaved}</p>${jsonDetails('profile JSON', r.profile)}</section>`,
  ].join('\n');
  const meta = [
    `repeated run: ${n} of ${r.repeat} repetition${r.repeat === 1 ? '' : 's'} measured`,
    `${esc(r.startedAt)} → ${esc(r.endedAt)}`,
    `${esc(r.profile.queues?.type ?? '?')} queue`,
    esc(environmentLine(r.environment)),
  ].join(' · ');
  const nav = [
    { href: '#overview', text: 'Throughput' },
    { href: '#latency', text: 'Latency' },
    { href: '#cell-1', text: 'Repetitions' },
    { href: '#profile', text: 'Profile' },
  ];
  return { body, nav, meta };
}

/** The page for a result of any kind, and the words its title calls it by. */
function pageFor(loaded: LoadedResult, charts: Charts): { kind: string; content: PageContent } {
  switch (loaded.kind) {
    case 'run':
      return { kind: 'run', content: renderRun(loaded.result, charts) };
    case 'repeated':
      return { kind: 'repeated run', content: renderRepeated(loaded.result, charts) };
    case 'matrix':
      return loaded.result.mode === 'capacity'
        ? { kind: 'capacity matrix', content: renderCapacityMatrix(loaded.result, charts) }
        : { kind: 'matrix', content: renderMatrix(loaded.result, charts) };
    case 'capacity':
      return { kind: 'capacity', content: renderCapacityResult(loaded.result, charts) };
  }
}

/** The report page for a run, repeated run, matrix or capacity result. */
export function renderReport(loaded: LoadedResult, opts: RenderOptions): RenderedReport {
  const charts = new Charts();
  let kind: string;
  let content: PageContent;
  try {
    ({ kind, content } = pageFor(loaded, charts));
  } catch (err) {
    if (err instanceof UserError) throw err;
    throw new UserError(`${opts.source}: cannot build the report (${(err as Error).message}); is the result complete?`);
  }
  const library = opts.library ?? loadChartJs();
  const generatedAt = (opts.generatedAt ?? new Date()).toISOString();
  const html = page({
    title: `mqbench ${kind}: ${loaded.result.name}`,
    meta: content.meta,
    banner: banner(loaded.result),
    nav: content.nav,
    body: content.body,
    charts: charts.all,
    library,
    footer: `Generated by mqbench ${esc(packageVersion())} at ${esc(generatedAt)} from <code>${esc(basename(opts.source))}</code>. Charts drawn with ${esc(library.name)} ${esc(
      library.version,
    )} (MIT), inlined: this page needs no network.`,
  });
  return { html, charts: charts.all.map((c) => ({ id: c.id, type: c.type, points: pointCount(c), ...decorationCount(c) })) };
}

/** Default output: next to the input, `.json` replaced by `.html`. */
export function defaultReportPath(input: string): string {
  return `${input.replace(/\.json$/i, '')}.html`;
}

/** Reads a result file and writes its report; returns the output path and the charts drawn. */
export async function writeReport(input: string, output: string = defaultReportPath(input)): Promise<{ output: string; charts: RenderedReport['charts'] }> {
  const loaded = await loadResult(input);
  const report = renderReport(loaded, { source: input });
  try {
    await mkdir(dirname(output), { recursive: true });
    await writeFile(output, report.html);
  } catch (err) {
    throw new UserError(`cannot write report ${output}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  return { output, charts: report.charts };
}

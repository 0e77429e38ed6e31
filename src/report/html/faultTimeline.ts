import type { Gap } from '../../metrics/availability.js';
import type { RunResult, RunVerdict } from '../../results/model.js';
import { stepLabel } from './chartData.js';
import { escapeHtml as esc } from './escape.js';
import { fmtRate, table } from './template.js';

/**
 * HTML for what a run's delivery account and fault timeline say: the verdict, every count of the
 * account, the steps and what each did, the account by phase, leader changes and the connection
 * events. The same facts as the terminal summary (src/report/faultSummary.ts, summaryTable.ts).
 * Times are shown in seconds from the start of measurement, as the terminal does.
 */

/** Connection events shown per run; the rest are counted. */
export const EVENTS_SHOWN = 200;
/** Leader-watch readings shown per run. */
export const MEMBERSHIP_SHOWN = 200;

/** Node names without the shared suffix: mqbench-5960-2@localhost → mqbench-5960-2. */
const short = (node: string): string => node.replace(/@localhost$/, '');
const nodes = (list: readonly string[]): string => (list.length === 0 ? '—' : esc(list.map(short).join(', ')));
/** Seconds with one decimal, from a run-clock time in ms: measurement starts at 0. */
const at = (ms: number, warmupMs: number): string => ((ms - warmupMs) / 1000).toFixed(1);
const secs = (ms: number): string => (ms / 1000).toFixed(1);
const count = (x: number | null | undefined, missing = 'not computed'): string => (x === null || x === undefined ? missing : fmtRate(x));

export function verdictHtml(v: RunVerdict | undefined): string {
  if (!v) return '';
  return `<p class="verdict verdict-${esc(v.status)}">Verdict: <b>${esc(v.status.toUpperCase())}</b> — ${esc(v.message)}</p>`;
}

/** The delivery account: a headline and a table of every count, with what it means. */
export function deliveryHtml(r: RunResult): string {
  const d = r.delivery;
  if (!d.tracked) return '<p>Delivery: not tracked (the run needs publishers and consumers): loss cannot be known.</p>';
  // Results written before the account had `complete` treat a missing flag as complete.
  const complete = d.complete !== false && d.lost !== null;
  const confirms = r.profile.publishers?.confirms?.enabled !== false;
  const basis = confirms ? `${fmtRate(d.confirmed)} confirmed` : `${fmtRate(d.published)} published (no confirms)`;
  const headline = complete
    ? `Delivery: <b>${fmtRate(d.lost ?? 0)} lost</b> of ${basis}${(d.unresolved ?? 0) > 0 ? `, <b>${fmtRate(d.unresolved ?? 0)} unresolved</b> (neither consumed nor proven lost)` : ''}; ${fmtRate(d.consumedUnique)} consumed, ${fmtRate(d.duplicates)} duplicates, ${fmtRate(d.outOfOrder)} out of order.`
    : `Delivery: <b>loss not computed: accounting incomplete</b>${d.issues?.length ? ` — ${esc(d.issues.join('; '))}` : ''}. ${fmtRate(d.consumedUnique)} consumed of ${basis}.`;
  const drain = r.drain ? ` Drain: ${esc(r.drain)}.` : '';
  const rows: Array<[string, string, string]> = [
    ['published', count(d.published), 'distinct messages sent'],
    ['re-published', count(d.republished), 'copies sent again after a connection loss (attempts)'],
    ['confirmed', count(d.confirmed), 'acknowledged by the broker (basic.ack)'],
    ['nacked', count(d.nacked), 'refused by the broker and never confirmed'],
    ['returned', count(d.returned), 'unroutable, returned by the broker (not expected by consumers)'],
    ['unconfirmed at connection loss', count(d.unconfirmedAtLoss), 'in flight when their connection or channel was lost (not nacks: the broker may have them)'],
    ['never answered', count(d.unconfirmed), 'no ack or nack at all'],
    ['expected', count(d.expected), 'what consumers should receive (once per queue a message reaches)'],
    ['consumed', count(d.consumedUnique), 'distinct messages of this run consumed (once per queue)'],
    ['consumed although unconfirmed', count(d.consumedUnconfirmed), 'unconfirmed or nacked messages that reached consumers anyway'],
    ['not consumed', count(d.notConsumed), 'expected messages no consumer received'],
    ['in the queues at the end', count(d.queueDepthAtEnd, 'not read'), 'ready messages left after consumers stopped'],
    ['lost', count(d.lost), 'expected messages proven gone (not consumed, beyond what the queues still held)'],
    ['unresolved', count(d.unresolved), 'neither consumed nor proven lost'],
    ['duplicates', count(d.duplicates), 'deliveries beyond the first of a message'],
    ['redelivered', count(d.redelivered), 'deliveries the broker flagged as redelivered'],
    ['out of order', count(d.outOfOrder), 'first deliveries out of publishing order'],
    ['foreign', count(d.foreign), 'deliveries of messages not from this run (ignored)'],
  ];
  const parts = [`<p>${headline}${drain}</p>`];
  if (!complete && d.issues?.length) parts.push(`<p class="warn">Accounting incomplete: ${esc(d.issues.join('; '))}</p>`);
  parts.push(
    table(
      ['delivery account', 'messages', 'meaning'],
      rows.map(([name, value, meaning]) => [esc(name), value, `<small>${esc(meaning)}</small>`]),
      {
        className: 'num compact',
        rowClasses: rows.map(([name, value]) => ((name === 'lost' || name === 'unresolved') && value !== '0' ? 'failed' : undefined)),
        textColumns: [2],
      },
    ),
  );
  const ranges = d.notConsumedRanges ?? [];
  if (ranges.length > 0) {
    const text = ranges.map((p) => `publisher ${p.publisherId}${p.queue !== undefined ? ` in ${p.queue}` : ''}: ${p.ranges.map(([from, to]) => (to - from === 1 ? `${from}` : `${from}–${to - 1}`)).join(', ')}`).join('; ');
    parts.push(`<p class="note">Not consumed, by sequence number (up to 20 ranges per publisher): ${esc(text)}</p>`);
  }
  return parts.join('\n');
}

const gapText = (g: Gap | null, warmupMs: number): string => (g ? `${secs(g.durationMs)} <small>(${at(g.fromMs, warmupMs)}–${at(g.toMs, warmupMs)})</small>` : 'none');

/**
 * The fault timeline of a run: steps, account by phase, restored at the end, leader changes, events.
 * `id` prefixes element ids; `level` is the heading level of its parts (4 when nested in a matrix cell).
 */
export function faultTimelineHtml(r: RunResult, id: string, level: 3 | 4 = 3): string {
  const f = r.faults;
  if (!f) return '';
  const h = (text: string): string => `<h${level}>${esc(text)}</h${level}>`;
  const w = r.timing.warmupMs;
  const parts = [
    `<p class="note">Times in seconds from the start of measurement (the throughput chart counts from the start barrier: add the warm-up of ${secs(w)} s). ` +
      'Shaded red on the chart: when a fault was in effect; red lines: when each step was requested.</p>',
  ];
  const stepRows = f.steps.map((s) => {
    const head = [String(s.index + 1), esc(stepLabel(s)) + (s.count !== null ? ` <small>(first ${s.count})</small>` : ''), nodes(s.nodes), at(s.requestedMs, w), at(s.doneMs, w)];
    const before = esc(s.leaderBefore ? short(s.leaderBefore) : '—');
    // A step that failed or was not applied did nothing to measure (as the terminal summary says).
    if (s.error) return [...head, before, '—', '—', '—', '—', '—', '—', '—', esc(s.error)];
    const leader = s.newLeader ? `${esc(short(s.newLeader))}${s.newLeaderAtMs !== null ? ` <small>at ${at(s.newLeaderAtMs, w)}</small>` : ''}` : '—';
    const resumed = (x: number | null, what: string): string => (x === null ? `<small>did not resume before ${what} ended</small>` : secs(x));
    return [
      ...head,
      before,
      leader,
      resumed(s.confirmsResumedAfterMs, 'publishing'),
      resumed(s.deliveriesResumedAfterMs, 'the run'),
      gapText(s.confirmGap, w),
      gapText(s.deliveryGap, w),
      fmtRate(s.publishedInWindow),
      fmtRate(s.notConsumedInWindow),
      '',
    ];
  });
  parts.push(
    h('Steps'),
    table(
      [
        '#',
        'step',
        'nodes',
        'requested s',
        'done s',
        'leader before',
        'new leader',
        'longest confirm pause ended, s after the step',
        'longest delivery pause ended, s after the step',
        'longest gap without confirm s',
        'longest gap without delivery s',
        'published in window',
        'not consumed',
        'error',
      ],
      stepRows,
      { className: 'num compact steps', id: `${id}-steps`, rowClasses: f.steps.map((s) => (s.error ? 'failed' : undefined)), textColumns: [1, 2, 5, 6, 13] },
    ),
    `<p class="note">A step’s window lasts until the next step is requested, or publishing ended. Gaps are the longest stretch with no confirm (delivery) overlapping the window, whole (known to 10 ms); “pause ended” counts from the step’s request: a late pause (a leader handing over at the end of a slow stop_app) ends late even when it is short.</p>`,
    `<p>Longest time without a confirm over the measurement: ${gapText(f.longestConfirmGap, w)} s; without a delivery: ${gapText(f.longestDeliveryGap, w)} s.</p>`,
  );

  parts.push(
    h('Account by phase'),
    table(
      ['phase', 'from s', 'to s', 'published', 'confirmed', 'consumed', 'not consumed', 'lost'],
      f.phases.map((p) => [
        esc(p.name),
        at(p.fromMs, w),
        at(p.toMs, w),
        fmtRate(p.published),
        fmtRate(p.counters.confirmed),
        fmtRate(p.counters.consumed),
        fmtRate(p.notConsumed),
        p.lost === null ? '<small>not proven</small>' : fmtRate(p.lost),
      ]),
      { className: 'num compact', id: `${id}-phases` },
    ),
    '<p class="note">Before the first step; from its request until the last step was done; after. Published, not consumed and lost count messages by when they were published; confirmed and consumed count what happened in the phase. ' +
      'Lost is shown when every not-consumed message of the run was proven gone.</p>',
  );

  if (f.restoredAtEnd.length > 0) {
    parts.push(
      h('Restored at the end'),
      table(
        ['action', 'nodes', 'result'],
        f.restoredAtEnd.map((a) => [esc(a.action), nodes(a.nodes), a.error ? `FAILED: ${esc(a.error)}` : 'done']),
        { className: 'compact', rowClasses: f.restoredAtEnd.map((a) => (a.error ? 'failed' : undefined)) },
      ),
      '<p class="note">What mqbench undid after the run so the cluster is whole again.</p>',
    );
  }

  parts.push(h('Leader and members'));
  if (f.membership.length === 0) parts.push('<p class="note">The leader watch recorded nothing (the management API did not answer).</p>');
  else {
    const shown = f.membership.slice(0, MEMBERSHIP_SHOWN);
    parts.push(
      table(
        ['t s', 'queue', 'leader', 'members', 'online'],
        shown.map((m) => [at(m.tMs, w), esc(m.queue), esc(m.leader ? short(m.leader) : 'none'), nodes(m.members), nodes(m.online)]),
        { className: 'compact', id: `${id}-membership`, rowClasses: shown.map((m, i) => (i > 0 && m.leader !== shown[i - 1]!.leader ? 'changed' : undefined)) },
      ),
      `<p class="note">Every change the leader watch saw (it polls the management API about every 500 ms), the first reading included; leader changes highlighted.${
        f.membership.length > shown.length ? ` ${f.membership.length - shown.length} more not shown.` : ''
      }</p>`,
    );
  }
  parts.push(h('Connection events'), eventsHtml(r, id));
  return parts.join('\n');
}

/** The agents' connection, channel and flow events, the first EVENTS_SHOWN of them, and how many of each type. */
export function eventsHtml(r: RunResult, id: string): string {
  const events = r.events ?? [];
  if (events.length === 0) return '<p class="note">No connection, channel or flow event: every agent kept its connection.</p>';
  const w = r.timing.warmupMs;
  const shown = events.slice(0, EVENTS_SHOWN);
  const counts = Object.entries(r.eventCounts ?? {})
    .filter(([, n]) => n > 0)
    .map(([type, n]) => `${n} ${type}`)
    .join(', ');
  const rows = shown.map((e) => [
    at(e.tMs, w),
    esc(`${e.agent} ${e.agentId}`),
    esc(e.type),
    esc(e.node),
    esc(e.detail) + (e.count !== undefined ? ` <small>(${fmtRate(e.count)} messages)</small>` : ''),
  ]);
  const more = events.length > shown.length ? ` The first ${shown.length} of ${events.length} are shown; ${events.length - shown.length} left out (all are in the result JSON).` : '';
  return [
    table(['t s', 'agent', 'event', 'node', 'detail'], rows, {
      className: 'compact',
      id: `${id}-events`,
      rowClasses: shown.map((e) => (e.type === 'connectionLost' || e.type === 'channelClosed' || e.type === 'recoveryFailed' ? 'failed' : undefined)),
    }),
    `<p class="note">Times in seconds from the start of measurement (negative: while connecting or warming up). ${esc(counts ? `By type: ${counts}.` : '')}${esc(more)}</p>`,
  ].join('\n');
}

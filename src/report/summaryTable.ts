import Table from 'cli-table3';
import type { LatencySummaryMs } from '../metrics/histogram.js';
import type { RateStats } from '../metrics/rateStats.js';
import type { RunResult } from '../results/model.js';
import { faultLines } from './faultSummary.js';
import { PLAIN_TABLE } from './plainTable.js';
import { routingLine } from '../results/routingSection.js';

const fmtRate = (s: RateStats): string[] => [
  s.overallMsgsPerS.toFixed(0),
  `± ${s.stddevMsgsPerS.toFixed(0)}`,
  `${s.minMsgsPerS.toFixed(0)} … ${s.maxMsgsPerS.toFixed(0)}`,
  String(s.total),
];
const fmtMs = (x: number): string => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
const fmtLatency = (s: LatencySummaryMs): string[] => [s.p50Ms, s.p90Ms, s.p99Ms, s.p999Ms, s.maxMs].map(fmtMs);
const n = (x: number): string => x.toLocaleString('en-US');

/** The end-of-run summary printed on stdout. */
export function renderSummary(r: RunResult): string {
  const lines: string[] = [];
  const status = r.interrupted ? `INTERRUPTED (${r.error ?? 'stopped'})` : r.error ? `finished with a problem: ${r.error}` : 'finished';
  lines.push(`${r.name}: ${status}; ${(r.timing.measuredMs / 1000).toFixed(1)} s measured, ${r.profile.queues.type} queue(s), broker ${r.broker.versions.join(', ') || 'unknown'}`);
  lines.push(clusterLine(r), '');
  const rates = new Table({ ...PLAIN_TABLE, head: ['throughput', 'msgs/s', 'stddev', 'min … max (per s)', 'total'] });
  rates.push(['published', ...fmtRate(r.rates.published)]);
  rates.push(['confirmed', ...fmtRate(r.rates.confirmed)]);
  rates.push(['consumed', ...fmtRate(r.rates.consumed)]);
  lines.push(rates.toString(), '');
  const co = r.latency.coordinatedOmissionCorrection;
  const lat = new Table({ ...PLAIN_TABLE, head: ['latency (ms)', 'p50', 'p90', 'p99', 'p99.9', 'max'] });
  // With a growing queue, e2e is mostly waiting in it: the row says so (the WARNING below explains).
  const queued = r.backlog?.growing ? ' * queueing' : '';
  lat.push([`${co ? 'end-to-end (corrected)' : 'end-to-end'}${queued}`, ...fmtLatency(r.latency.e2e.corrected)]);
  if (co) lat.push([`end-to-end (raw)${queued}`, ...fmtLatency(r.latency.e2e.raw)]);
  lat.push([co ? 'confirm (corrected)' : 'confirm', ...fmtLatency(r.latency.confirm.corrected)]);
  if (co) lat.push(['confirm (raw)', ...fmtLatency(r.latency.confirm.raw)]);
  lines.push(lat.toString(), '');
  lines.push(...deliveryLines(r));
  const connections = connectionLine(r);
  if (connections) lines.push(connections);
  if (r.backlog) lines.push(`${r.backlog.growing ? '* WARNING: ' : ''}${r.backlog.message}`);
  if (r.faults) lines.push('', ...faultLines(r));
  lines.push('', `verdict: ${r.verdict.status.toUpperCase()} — ${r.verdict.message}`);
  return lines.join('\n');
}

function deliveryLines(r: RunResult): string[] {
  const d = r.delivery;
  if (!d.tracked) return ['delivery: not tracked (needs publishers and consumers)'];
  if (!d.complete) return [`delivery: ACCOUNTING INCOMPLETE — ${d.issues.join('; ')}; loss is not computed (${n(d.consumedUnique)} consumed)`];
  const confirms = r.profile.publishers.confirms.enabled;
  const messages = confirms ? `${n(d.confirmed)} confirmed` : `${n(d.published)} published (no confirms)`;
  // Routed to several queues, a message is expected (and consumed) once per queue: say so rather than compare copies with messages.
  const copies = r.routing?.keys.some((k) => k.queues.length > 1) ?? false;
  const basis = copies ? `${n(d.expected)} expected copies (${messages}, each once per queue it reaches)` : messages;
  const lines = [
    `delivery: ${n(d.lost ?? 0)} lost of ${basis}, ${n(d.consumedUnique)} consumed; ${n(d.duplicates)} duplicates, ${n(d.redelivered)} redelivered, ${n(d.outOfOrder)} out of order`,
  ];
  const routing = r.routing ? routingLine(r.routing) : undefined;
  if (routing) lines.push(`  ${routing}`);
  const extra: string[] = [];
  if (d.unconfirmedAtLoss > 0) extra.push(`${n(d.unconfirmedAtLoss)} unconfirmed at connection loss (${n(d.republished)} re-published)`);
  if (d.unconfirmed > 0) extra.push(`${n(d.unconfirmed)} never answered by the broker`);
  if (d.consumedUnconfirmed > 0) extra.push(`${n(d.consumedUnconfirmed)} unconfirmed or nacked reached consumers anyway`);
  if (d.nacked > 0) extra.push(`${n(d.nacked)} nacked by the broker`);
  if (d.returned > 0) extra.push(`${n(d.returned)} returned unroutable`);
  if (d.foreign > 0) extra.push(`${n(d.foreign)} foreign deliveries ignored`);
  if ((d.unresolved ?? 0) > 0) {
    const depth = d.queueDepthAtEnd === null ? 'the queues could not be read' : `the queues still held ${n(d.queueDepthAtEnd)}`;
    extra.push(`${n(d.unresolved ?? 0)} not consumed before the drain ended and not proven lost (${depth})`);
  }
  if (extra.length > 0) lines.push(`  ${extra.join('; ')}`);
  return lines;
}

function connectionLine(r: RunResult): string | undefined {
  const c = r.eventCounts;
  const parts: string[] = [];
  if (c.connectionLost + c.channelClosed > 0) {
    parts.push(`${c.connectionLost} connection(s) lost, ${c.channelClosed} channel(s) closed by the server, ${c.recovered} recovered`);
  }
  if (c.consumerCancelled > 0) parts.push(`${c.consumerCancelled} consumer cancel(s), ${c.subscribed} re-subscribed`);
  if (c.confirmsStalled > 0) parts.push(`${c.confirmsStalled} publisher confirm stall(s)`);
  if (c.blocked > 0) parts.push(`${c.blocked} blocked by an alarm`);
  if (c.catchUp > 0) parts.push(`${c.catchUp} catch-up burst(s) after a stall`);
  return parts.length > 0 ? `connections: ${parts.join('; ')} (timeline in the result's events)` : undefined;
}

function clusterLine(r: RunResult): string {
  const c = r.cluster;
  const q = c.before?.queues[0];
  const after = c.after?.queues[0];
  const members = q ? `, ${q.onlineMembers.length}/${q.members.length} members online` : '';
  const moved = q && after && after.leader !== q.leader ? ` (moved to ${after.leader || 'none'} during the run)` : '';
  const leader = c.leaderNode ? `, leader ${c.leaderNode}${moved}` : '';
  const problem = c.error ? ` [${c.error}]` : '';
  return `cluster: ${c.kind}, ${c.nodeCount} node(s) (${c.ramNodeCount} RAM), ${c.queueType}${leader}${members}${problem}`;
}

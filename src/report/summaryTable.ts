import Table from 'cli-table3';
import type { LatencySummaryMs } from '../metrics/histogram.js';
import type { RateStats } from '../metrics/rateStats.js';
import type { RunResult } from '../results/model.js';
import { PLAIN_TABLE } from './plainTable.js';

const fmtRate = (s: RateStats): string[] => [
  s.overallMsgsPerS.toFixed(0),
  `± ${s.stddevMsgsPerS.toFixed(0)}`,
  `${s.minMsgsPerS.toFixed(0)} … ${s.maxMsgsPerS.toFixed(0)}`,
  String(s.total),
];
const fmtMs = (x: number): string => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
const fmtLatency = (s: LatencySummaryMs): string[] => [s.p50Ms, s.p90Ms, s.p99Ms, s.p999Ms, s.maxMs].map(fmtMs);


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
  lat.push([co ? 'end-to-end (corrected)' : 'end-to-end', ...fmtLatency(r.latency.e2e.corrected)]);
  if (co) lat.push(['end-to-end (raw)', ...fmtLatency(r.latency.e2e.raw)]);
  lat.push([co ? 'confirm (corrected)' : 'confirm', ...fmtLatency(r.latency.confirm.corrected)]);
  if (co) lat.push(['confirm (raw)', ...fmtLatency(r.latency.confirm.raw)]);
  lines.push(lat.toString(), '');
  const d = r.delivery;
  lines.push(
    d.tracked
      ? `delivery: ${d.lost} lost, ${d.duplicates} duplicates, ${d.outOfOrder} out of order (${d.consumedUnique} of ${r.profile.publishers.confirms.enabled ? `${d.confirmed} confirmed` : `${d.published} published`} consumed; ${d.nacked} nacked, ${d.unconfirmed} unconfirmed)`
      : 'delivery: not tracked (needs publishers and consumers)',
  );
  return lines.join('\n');
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

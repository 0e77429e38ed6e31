import type { Gap } from '../metrics/availability.js';
import type { StepReport } from '../metrics/faultAnalysis.js';
import type { RunResult } from '../results/model.js';

const n = (x: number): string => x.toLocaleString('en-US');
const secs = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
/** Node names without the shared suffix: mqbench-5960-2@localhost → mqbench-5960-2. */
const short = (node: string): string => node.replace(/@localhost$/, '');

/** "no confirm for 1.2 s (20.3 – 21.5 s)": the longest pause overlapping the step, and when it was. */
function pause(what: string, gap: Gap | null, warmupMs: number, openEnded: boolean): string {
  if (!gap) return `${what} never paused`;
  const until = openEnded ? 'did not resume' : secs(gap.toMs - warmupMs);
  return `no ${what} for ${secs(gap.durationMs)} (${secs(gap.fromMs - warmupMs)} – ${until})`;
}

function stepLine(s: StepReport, warmupMs: number): string {
  const target = typeof s.target === 'number' ? `node ${s.target}` : s.target;
  const nodes = s.nodes.length > 0 ? ` (${s.nodes.map(short).join(', ')})` : '';
  const head = `${s.action} ${target}${nodes} at ${secs(s.requestedMs - warmupMs)}, done at ${secs(s.doneMs - warmupMs)}`;
  if (s.error) return `${head}: ${s.error}`;
  const facts = [
    ...(s.newLeader ? [`new leader ${short(s.newLeader)} at ${secs(s.newLeaderAtMs! - warmupMs)}`] : []),
    `${pause('confirm', s.confirmGap, warmupMs, s.confirmsResumedAfterMs === null)}, ${pause('delivery', s.deliveryGap, warmupMs, s.deliveriesResumedAfterMs === null)}`,
    `${n(s.notConsumedInWindow)} of ${n(s.publishedInWindow)} messages published meanwhile not consumed`,
  ];
  return `${head} → ${facts.join('; ')}`;
}

/** The fault section of the summary: what each step did, how long the queue was unavailable, the account by phase. */
export function faultLines(r: RunResult): string[] {
  const f = r.faults;
  if (!f) return [];
  const w = r.timing.warmupMs;
  const lines = ['faults (times from the start of measurement):'];
  for (const s of f.steps) lines.push(`  ${stepLine(s, w)}`);
  for (const a of f.restoredAtEnd) lines.push(`  restored at the end: ${a.action} ${a.nodes.map(short).join(', ')}${a.error ? ` — FAILED: ${a.error}` : ''}`);
  const gap = (what: string, g: typeof f.longestConfirmGap): string =>
    g ? `${what} ${secs(g.durationMs)} (${secs(g.fromMs - w)} – ${secs(g.toMs - w)})` : `${what} none`;
  lines.push(`  longest time without a confirm: ${gap('', f.longestConfirmGap).trim()}; without a delivery: ${gap('', f.longestDeliveryGap).trim()}`);
  const phases = f.phases.map((p) => `${p.name} ${n(p.published)} published, ${p.lost === null ? `${n(p.notConsumed)} not consumed` : `${n(p.lost)} lost`}`);
  lines.push(`  by phase: ${phases.join(' | ')}`);
  const d = r.delivery;
  if (d.complete && d.lost !== null) lines.push(`  ${n(d.lost)} of ${n(d.confirmed)} confirmed messages lost`);
  return lines;
}

import type { DeliveryAccount } from '../metrics/accounting.js';
import type { RunEvent } from '../engine/coordinator.js';
import type { RunVerdict } from './model.js';

export interface VerdictInput {
  interrupted: boolean;
  error: string | null;
  delivery: DeliveryAccount;
  allowLoss: boolean;
  /** Agents whose last connection event was a loss they never recovered from, e.g. "publisher 0 (127.0.0.1:5700)". */
  disconnectedAtEnd: string[];
  /** Set when messages can expire (results/expiryNote.ts): loss is then reported with this reason. */
  expiryNote?: string | undefined;
}

/** Agents whose connection or channel was lost and not recovered by the end of the run. */
export function disconnectedAtEnd(events: Array<Pick<RunEvent, 'agent' | 'agentId' | 'type' | 'node'>>): string[] {
  const last = new Map<string, { lost: boolean; node: string }>();
  for (const e of events) {
    const key = `${e.agent} ${e.agentId}`;
    if (e.type === 'connectionLost' || e.type === 'channelClosed') last.set(key, { lost: true, node: e.node });
    if (e.type === 'recovered') last.set(key, { lost: false, node: e.node });
  }
  // Publishers first, then consumers, each by id: the order events arrived in is a race.
  const order = (key: string): [number, number] => {
    const [kind, id] = key.split(' ');
    return [kind === 'publisher' ? 0 : 1, Number(id)];
  };
  return [...last]
    .filter(([, v]) => v.lost)
    .sort(([a], [b]) => order(a)[0] - order(b)[0] || order(a)[1] - order(b)[1])
    .map(([agent, v]) => `${agent} (${v.node})`);
}

const plural = (n: number, word: string): string => `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;

/**
 * How a run ended, in the order a person needs it: stopped early; its account incomplete; confirmed
 * messages proven lost (unless the profile expects loss); messages neither consumed nor proven lost.
 */
export function runVerdict(r: VerdictInput): RunVerdict {
  const d = r.delivery;
  if (r.interrupted) return { status: 'interrupted', message: r.error ?? 'interrupted' };
  if (!d.complete) return { status: 'failed', message: d.issues.join('; ') };
  const lost = d.lost ?? 0;
  const why = r.expiryNote === undefined ? '' : ` (${r.expiryNote})`;
  if (lost > 0 && !r.allowLoss) return { status: 'lost', message: `${plural(lost, 'confirmed message')} of ${d.confirmed.toLocaleString('en-US')} lost${why}` };
  const unresolved = d.unresolved ?? 0;
  if (unresolved > 0) {
    const depth = d.queueDepthAtEnd === null ? 'the queues could not be read' : `the queues still held ${plural(d.queueDepthAtEnd, 'message')}`;
    return { status: 'failed', message: `${plural(unresolved, 'expected message')} not consumed before the drain ended (${depth}): neither delivered nor proven lost` };
  }
  if (r.disconnectedAtEnd.length > 0) {
    return { status: 'failed', message: `no connection at the end of the run for ${r.disconnectedAtEnd.join(', ')}: the node stayed unreachable (see the result's events)` };
  }
  if (lost > 0) return { status: 'ok', message: `${plural(lost, 'confirmed message')} lost, as the profile allows (allowLoss)${why}` };
  return { status: 'ok', message: r.error ?? 'every expected message was consumed' };
}

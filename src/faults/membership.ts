import type { ManagementClient, QueueInfo } from '../cluster/management.js';
import type { QueueMembership } from './types.js';

/**
 * Reading the benchmark queue's leader and members from the management API while nodes fail.
 * Nodes are asked one at a time, each with a bounded timeout, because a failed node fails slowly
 * in one case: a SIGSTOPped node's kernel still accepts the TCP connection and nothing ever
 * answers (an app-stopped or killed node refuses at once). The node that answered last is asked
 * first next time, so a poll normally costs one request. The lighter disable_stats query is
 * used: while a peer is silent (paused, cut off) a healthy node still answers it in ~2-4 s.
 */

/** Per node: above the ~2-4 s a healthy node needs while a peer is silent (measured, docs/faults.md). */
export const DEFAULT_READ_TIMEOUT_MS = 5000;

/** Per client list: index of the node that answered last. A WeakMap keeps the signature free of state objects. */
const lastAnswered = new WeakMap<readonly ManagementClient[], number>();

export interface ReadOptions {
  /** Give up on further nodes once this much time has passed (default: no limit beyond the per-node timeouts). */
  budgetMs?: number;
  /**
   * Indexes (into `management`) to ask only after every other node: nodes a fault cut off or
   * stopped. A cut-off node still answers, but with its own, possibly stale, view of the cluster.
   */
  askLast?: ReadonlySet<number>;
}

export async function readMembership(
  management: readonly ManagementClient[],
  vhost: string,
  queue: string,
  timeoutMs = DEFAULT_READ_TIMEOUT_MS,
  opts: ReadOptions = {},
): Promise<QueueMembership | undefined> {
  const deadline = opts.budgetMs === undefined ? Infinity : Date.now() + opts.budgetMs;
  for (const i of askOrder(management.length, lastAnswered.get(management), opts.askLast)) {
    const remaining = deadline - Date.now();
    if (remaining < 100) break;
    try {
      const q = await management[i]!.queue(vhost, queue, { timeoutMs: Math.min(timeoutMs, remaining), membershipOnly: true });
      lastAnswered.set(management, i);
      return toMembership(q);
    } catch {
      // next node (a 404 means the queue is gone, which another node will confirm or contradict)
    }
  }
  return undefined;
}

/** preferred first, then the others in order, nodes in askLast at the end. Exported for tests. */
export function askOrder(n: number, preferred: number | undefined, askLast: ReadonlySet<number> = new Set()): number[] {
  const all = Array.from({ length: n }, (_, i) => i);
  const first = preferred !== undefined && preferred < n && !askLast.has(preferred) ? [preferred] : [];
  const rest = all.filter((i) => !first.includes(i));
  return [...first, ...rest.filter((i) => !askLast.has(i)), ...rest.filter((i) => askLast.has(i))];
}

/** The API's queue view as a membership, node lists in a stable (natural) order for comparison. */
export function toMembership(q: Pick<QueueInfo, 'leader' | 'members' | 'online'>): QueueMembership {
  return { leader: q.leader === '' ? undefined : q.leader, members: sortNodes(q.members), online: sortNodes(q.online) };
}

/** mqbench-5960-2 before mqbench-5960-10. */
export function sortNodes(nodes: readonly string[]): string[] {
  return [...new Set(nodes)].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
}

export function sameMembership(a: QueueMembership, b: QueueMembership): boolean {
  const eq = (x: string[], y: string[]): boolean => x.length === y.length && x.every((v, i) => v === y[i]);
  return a.leader === b.leader && eq(a.members, b.members) && eq(a.online, b.online);
}

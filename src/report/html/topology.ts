import type { ClusterTopology, NodeTopology, QueueTopology } from '../../cluster/topology.js';
import type { ClusterSection } from '../../results/model.js';

/** The cluster section of a run as table rows; every cell reads "before" or "before → after" when it changed. */
export interface TopologyView {
  /** One line: kind, node count, RAM nodes, queue type, layout. */
  summary: string;
  /** Why topology is missing, else null. */
  error: string | null;
  capturedBefore: string | null;
  capturedAfter: string | null;
  nodes: Array<{ name: string; type: string; running: string; alarms: string; changed: boolean }>;
  queues: Array<{ name: string; type: string; leader: string; members: string; online: string; messages: string; changed: boolean }>;
}

const MISSING = '—';

/** "a" when before and after agree, "a → b" when they differ; a side that is unknown shows as "—". */
export function beforeAfter(before: string | undefined, after: string | undefined): string {
  if (before === undefined && after === undefined) return MISSING;
  if (before === after || after === undefined) return before ?? MISSING;
  return `${before ?? MISSING} → ${after}`;
}

function union<T>(a: readonly T[], b: readonly T[]): T[] {
  return [...new Set([...a, ...b])];
}

function nodeAlarms(n: NodeTopology | undefined): string | undefined {
  if (!n) return undefined;
  const alarms = [n.memAlarm ? 'memory' : '', n.diskAlarm ? 'disk' : ''].filter(Boolean);
  return alarms.length > 0 ? alarms.join(', ') : 'none';
}

function online(q: QueueTopology | undefined): string | undefined {
  if (!q) return undefined;
  const offline = q.members.filter((m) => !q.onlineMembers.includes(m));
  const count = `${q.onlineMembers.length}/${q.members.length}`;
  return offline.length > 0 ? `${count} (offline: ${offline.join(', ')})` : count;
}

export function topologyView(cluster: ClusterSection | null | undefined): TopologyView | null {
  if (!cluster) return null;
  const layout = cluster.local ? `, layout ${cluster.local.layout.join(',')}${cluster.local.reused ? ' (reused)' : ''}` : '';
  const summary = `${cluster.kind} cluster, ${cluster.nodeCount} node${cluster.nodeCount === 1 ? '' : 's'} (${cluster.ramNodeCount} RAM), ${cluster.queueType} queue${layout}`;
  const before: ClusterTopology | null = cluster.before ?? null;
  const after: ClusterTopology | null = cluster.after ?? null;
  const nodeNames = union(before?.nodes.map((n) => n.name) ?? [], after?.nodes.map((n) => n.name) ?? []);
  const nodes = nodeNames.map((name) => {
    const b = before?.nodes.find((n) => n.name === name);
    const a = after?.nodes.find((n) => n.name === name);
    const row = {
      name,
      type: beforeAfter(b?.type, a?.type),
      running: beforeAfter(b && (b.running ? 'yes' : 'no'), a && (a.running ? 'yes' : 'no')),
      alarms: beforeAfter(nodeAlarms(b), nodeAlarms(a)),
    };
    return { ...row, changed: [row.type, row.running, row.alarms].some((v) => v.includes('→')) };
  });
  const queueNames = union(before?.queues.map((q) => q.name) ?? [], after?.queues.map((q) => q.name) ?? []);
  const queues = queueNames.map((name) => {
    const b = before?.queues.find((q) => q.name === name);
    const a = after?.queues.find((q) => q.name === name);
    const row = {
      name,
      type: beforeAfter(b?.type, a?.type),
      leader: beforeAfter(b?.leader, a?.leader),
      members: beforeAfter(b?.members.join(', '), a?.members.join(', ')),
      online: beforeAfter(online(b), online(a)),
      messages: beforeAfter(b && String(b.messages), a && String(a.messages)),
    };
    return { ...row, changed: [row.type, row.leader, row.members, row.online].some((v) => v.includes('→')) };
  });
  return { summary, error: cluster.error ?? null, capturedBefore: before?.capturedAt ?? null, capturedAfter: after?.capturedAt ?? null, nodes, queues };
}

import type { ManagementClient } from './management.js';

export interface NodeTopology {
  name: string;
  type: 'disc' | 'ram';
  running: boolean;
  memAlarm: boolean;
  diskAlarm: boolean;
  memUsedBytes: number;
}

export interface QueueTopology {
  name: string;
  type: string;
  /** Quorum leader or classic master. */
  leader: string;
  members: string[];
  onlineMembers: string[];
  messages: number;
}

/** What the management API says about the cluster and the benchmark's queues at one moment. */
export interface ClusterTopology {
  capturedAt: string;
  rabbitmqVersion: string;
  erlangVersion: string;
  clusterName: string;
  nodes: NodeTopology[];
  queues: QueueTopology[];
}

/** How long to wait for a new stream's replicas to show in the management API. */
const STREAM_MEMBERS_WAIT_MS = 10_000;

/**
 * The topology, once every stream lists its replicas: the management API shows a new stream's
 * members only after the next statistics emission (up to about 5 s); until then it would read as
 * a queue without replicas. Waits at most STREAM_MEMBERS_WAIT_MS, then returns what it has.
 */
export async function captureTopology(clients: ManagementClient[], vhost: string, queueNames: string[], waitMs = STREAM_MEMBERS_WAIT_MS): Promise<ClusterTopology> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const t = await readTopology(clients, vhost, queueNames);
    if (!t.queues.some((q) => q.type === 'stream' && q.members.length === 0) || Date.now() >= deadline) return t;
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** Asks each management endpoint in turn (a node may be down) and returns the first full answer. */
async function readTopology(clients: ManagementClient[], vhost: string, queueNames: string[]): Promise<ClusterTopology> {
  let lastError: unknown = new Error('no management URL');
  for (const client of clients) {
    try {
      const [overview, nodes, queues] = await Promise.all([client.overview(), client.nodes(), client.queues(vhost)]);
      const wanted = new Set(queueNames);
      return {
        capturedAt: new Date().toISOString(),
        rabbitmqVersion: overview.rabbitmq_version,
        erlangVersion: overview.erlang_version,
        clusterName: overview.cluster_name,
        nodes: nodes.map((n) => ({ name: n.name, type: n.type, running: n.running, memAlarm: n.mem_alarm, diskAlarm: n.disk_free_alarm, memUsedBytes: n.mem_used })),
        queues: queues
          .filter((q) => wanted.has(q.name))
          .map((q) => ({ name: q.name, type: q.type, leader: q.leader, members: q.members, onlineMembers: q.online, messages: q.messages }))
          .sort((a, b) => queueNames.indexOf(a.name) - queueNames.indexOf(b.name)),
      };
    } catch (err) {
      lastError = err;
    }
  }
  throw lastError;
}

/** The node behind each management URL (and so behind the AMQP URI at the same position). */
export async function nodeNames(clients: ManagementClient[]): Promise<Array<string | undefined>> {
  return Promise.all(clients.map((c) => c.overview().then((o) => o.node, () => undefined)));
}

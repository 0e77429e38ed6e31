import { availableParallelism } from 'node:os';
import type { Profile } from '../profile/schema.js';
import { timings } from '../profile/timings.js';
import { parseDurationMs } from '../profile/duration.js';
import { newRunId } from './messageHeader.js';
import type { AgentSpec, ConnectionSettings, ConsumerSettings, PublisherSettings } from './protocol.js';
import { queueArguments } from './queueArguments.js';
import { rateCurveOf } from './rateCurve.js';

export const CONNECT_TIMEOUT_MS = 5_000;

/** Everything a run needs, derived once from a validated profile. */
export interface RunPlan {
  /** Random per run, in every message header. */
  runId: number;
  queues: string[];
  /** Every node's AMQP URI: agents move on to the next one after a connection loss. */
  nodeUris: string[];
  connection: ConnectionSettings;
  workers: AgentSpec[][];
  publisher: PublisherSettings;
  consumer: ConsumerSettings;
  warmupMs: number;
  /** undefined when the run ends by message count. */
  durationMs: number | undefined;
  drainTimeoutMs: number;
  publisherCount: number;
  consumerCount: number;
}

export function queueNames(profile: Profile): string[] {
  return Array.from({ length: profile.queues.count }, (_, i) => profile.queues.namePattern.replaceAll('<n>', String(i + 1)));
}

/** Where the nodes are, and which node leads each queue (undefined where unknown). */
export interface NodePlacement {
  uris: string[];
  leaderOfQueue: Array<number | undefined>;
}

/**
 * The node an agent connects to. "spread": round-robin over all nodes by agent number;
 * "leader": its queue's leader; "follower": the other nodes in turn, so every message is proxied.
 */
export function agentUri(profile: Profile, nodes: NodePlacement, agentIndex: number, queueIndex: number, nthOnQueue: number): string {
  const n = nodes.uris.length;
  const leader = nodes.leaderOfQueue[queueIndex];
  const connect = profile.placement.connect;
  if (connect === 'spread' || leader === undefined) return nodes.uris[agentIndex % n]!;
  if (connect === 'leader' || n === 1) return nodes.uris[leader]!;
  return nodes.uris[(leader + 1 + (nthOnQueue % (n - 1))) % n]!;
}

/**
 * One thread per core would put every agent of a small run in its own thread; measured with
 * scripts/bench-overhead, splitting 1 publisher + 1 consumer over two threads costs ~20% more
 * CPU per message than one thread, CPU a broker on the same machine then lacks. So: about two
 * agents per thread, leaving one core free, and never more threads than cores.
 */
export function defaultWorkerCount(cpuCount: number, agents: number): number {
  return Math.max(1, Math.min(cpuCount - 1, Math.ceil(agents / 2)));
}

/** A validated profile's duration in ms. */
function ms(text: string): number {
  return parseDurationMs(text) ?? 0;
}

export function planRun(profile: Profile, nodes: NodePlacement, cpuCount = availableParallelism()): RunPlan {
  const queues = queueNames(profile);
  const agents: AgentSpec[] = [];
  const perQueue = new Map<number, number>();
  const nextOnQueue = (q: number): number => {
    const k = perQueue.get(q) ?? 0;
    perQueue.set(q, k + 1);
    return k;
  };
  // Interleave publishers and consumers so each worker and each node gets a mix of both.
  const total = profile.publishers.count + profile.consumers.count;
  let p = 0;
  let c = 0;
  for (let i = 0; i < total; i++) {
    const takePublisher = p < profile.publishers.count && (c >= profile.consumers.count || i % 2 === 0);
    if (takePublisher) {
      const qi = p % queues.length;
      const queue = queues[qi]!;
      agents.push({
        kind: 'publisher',
        id: p,
        uri: agentUri(profile, nodes, i, qi, nextOnQueue(qi)),
        queue,
        exchange: profile.publishers.exchange,
        routingKey: profile.publishers.routingKey ?? queue,
      });
      p++;
    } else {
      const qi = c % queues.length;
      agents.push({ kind: 'consumer', id: c, uri: agentUri(profile, nodes, i, qi, nextOnQueue(qi)), queue: queues[qi]! });
      c++;
    }
  }
  const workerCount = Math.max(1, Math.min(profile.workers ?? defaultWorkerCount(cpuCount, total), total));
  const workers: AgentSpec[][] = Array.from({ length: workerCount }, () => []);
  agents.forEach((a, i) => workers[i % workerCount]!.push(a));

  const { run, warmupMs, drainTimeoutMs } = timings(profile);
  const messageLimit = run.kind === 'messages' ? run.messagesPerPublisher : undefined;
  const conn = profile.connection;
  return {
    runId: newRunId(),
    queues,
    nodeUris: nodes.uris,
    connection: {
      heartbeatS: Math.max(1, Math.round(ms(conn.heartbeat) / 1000)),
      connectTimeoutMs: ms(conn.connectTimeout),
      reconnectInitialMs: ms(conn.reconnect.initialDelay),
      reconnectMaxMs: ms(conn.reconnect.maxDelay),
    },
    workers,
    publisher: {
      rate: rateCurveOf(profile.publishers.rate),
      arrival: profile.publishers.arrival,
      messageSizeBytes: profile.publishers.messageSize,
      persistent: profile.publishers.persistent,
      confirms: profile.publishers.confirms.enabled,
      maxInFlight: profile.publishers.confirms.maxInFlight,
      messageLimit,
      stallTimeoutMs: ms(profile.publishers.confirms.stallTimeout),
      onConnectionLoss: profile.publishers.onConnectionLoss,
    },
    consumer: {
      prefetch: profile.consumers.prefetch,
      rateMsgsPerS: profile.consumers.rate,
      ack: profile.consumers.ack,
      ackEvery: profile.consumers.ackEvery,
      ...(profile.queues.type === 'stream' ? { streamStart: profile.queues.onStart === 'keep' ? ('next' as const) : ('first' as const) } : {}),
      queueDurable: profile.queues.durable,
      queueArguments: queueArguments(profile),
    },
    warmupMs,
    durationMs: run.kind === 'duration' ? run.durationMs : undefined,
    drainTimeoutMs,
    publisherCount: profile.publishers.count,
    consumerCount: profile.consumers.count,
  };
}

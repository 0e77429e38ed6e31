import { availableParallelism } from 'node:os';
import type { Profile } from '../profile/schema.js';
import { timings } from '../profile/timings.js';
import { parseDurationMs } from '../profile/duration.js';
import { newRunId } from './messageHeader.js';
import type { AgentSpec, ConnectionGroup, ConnectionSettings, ConsumerSettings, PublisherSettings } from './protocol.js';
import type { TlsSettings } from '../amqp/tls.js';
import { queueArguments } from './queueArguments.js';
import { messageSizeSpec } from './messageSizes.js';
import { processingDelayMs } from '../profile/messageSchema.js';
import { rateCurveOf } from './rateCurve.js';
import { queuesReached, type RoutingTable } from './routing.js';

export const CONNECT_TIMEOUT_MS = 5_000;
/** Connections being opened at once during the start, over all workers (see scripts/bench-scale). */
export const CONNECT_CONCURRENCY = 32;

/** The start may take 15 s plus 30 ms per connection (connect, channel, declare, subscribe). */
export function defaultStartTimeoutMs(connections: number): number {
  return 15_000 + 30 * connections;
}

/**
 * Agents that share a connection: of the same kind, on the same node, up to publishersPerConnection
 * or consumersPerConnection of them, in agent order. Publishers and consumers never share one,
 * so the broker's flow control on a publishing connection cannot hold deliveries back.
 */
export function connectionGroups(agents: AgentSpec[], conn: Pick<Profile['connection'], 'publishersPerConnection' | 'consumersPerConnection'>): AgentSpec[][] {
  const groups: AgentSpec[][] = [];
  const open = new Map<string, AgentSpec[]>();
  for (const a of agents) {
    const size = a.kind === 'publisher' ? conn.publishersPerConnection : conn.consumersPerConnection;
    const key = `${a.kind} ${a.uri}`;
    let g = open.get(key);
    if (!g || g.length >= size) {
      g = [];
      groups.push(g);
      open.set(key, g);
    }
    g.push(a);
  }
  return groups;
}

/**
 * Connection groups spread over the worker threads: each to the worker with the fewest agents so far
 * (one agent per connection: round-robin, as before), so publishers and consumers mix in every thread.
 */
export function assignWorkers(groups: AgentSpec[][], workerCount: number): { workers: AgentSpec[][]; workerConnections: ConnectionGroup[][] } {
  const workers: AgentSpec[][] = Array.from({ length: workerCount }, () => []);
  const workerConnections: ConnectionGroup[][] = Array.from({ length: workerCount }, () => []);
  const perKind = { publisher: 0, consumer: 0 };
  for (const group of groups) {
    let w = 0;
    for (let i = 1; i < workerCount; i++) if (workers[i]!.length < workers[w]!.length) w = i;
    const first = group[0]!;
    const name = group.length === 1 ? `mqbench-${first.kind}-${first.id}` : `mqbench-${first.kind}s-${perKind[first.kind]}`;
    perKind[first.kind]++;
    const start = workers[w]!.length;
    workers[w]!.push(...group);
    workerConnections[w]!.push({ name, agents: group.map((_, i) => start + i) });
  }
  return { workers, workerConnections };
}

/** Everything a run needs, derived once from a validated profile. */
export interface RunPlan {
  /** Random per run, in every message header. */
  runId: number;
  queues: string[];
  /** Every node's AMQP URI: agents move on to the next one after a connection loss. */
  nodeUris: string[];
  connection: ConnectionSettings;
  workers: AgentSpec[][];
  /** Per worker: which of its agents share a connection. */
  workerConnections: ConnectionGroup[][];
  /** Limit for the whole start: every agent connected and set up. */
  startTimeoutMs: number;
  connectConcurrency: number;
  publisher: PublisherSettings;
  consumer: ConsumerSettings;
  warmupMs: number;
  /** undefined when the run ends by message count. */
  durationMs: number | undefined;
  drainTimeoutMs: number;
  publisherCount: number;
  consumerCount: number;
  /** Which queues each publisher's messages reach and which queue each consumer reads: what the account expects where. */
  routing: RoutingTable;
}

export function queueNames(profile: Profile): string[] {
  return Array.from({ length: profile.queues.count }, (_, i) => profile.queues.namePattern.replaceAll('<n>', String(i + 1)));
}

/** Binding keys of every queue to the named exchange: queue i gets queues.bindings[i mod n] ("<n>" = queue number), else its name; fanout: "". */
export function queueBindings(profile: Profile, queues: string[]): string[][] {
  const { bindings } = profile.queues;
  return queues.map((name, i) => {
    if (profile.publishers.exchangeType === 'fanout') return [''];
    if (!bindings) return [name];
    const b = bindings[i % bindings.length]!;
    return (typeof b === 'string' ? [b] : b).map((key) => key.replaceAll('<n>', String(i + 1)));
  });
}

/** Publisher p's routing key: routingKeys[p mod n] ("<n>" = its queue number), else routingKey, else its queue's name. */
export function publisherRoutingKey(profile: Profile, queues: string[], p: number): string {
  const qi = p % queues.length;
  const { routingKeys, routingKey } = profile.publishers;
  if (routingKeys) return routingKeys[p % routingKeys.length]!.replaceAll('<n>', String(qi + 1));
  return routingKey ?? queues[qi]!;
}

/** Publisher p's messages reach the queues its key is routed to; each consumer reads the queue its agent was given. */
function routingTable(profile: Profile, queues: string[], agents: readonly AgentSpec[]): RoutingTable {
  const exchange = { name: profile.publishers.exchange, type: profile.publishers.exchangeType };
  const bindings = queueBindings(profile, queues);
  const byKey = new Map<string, number[]>();
  const reached = (key: string): number[] => {
    let r = byKey.get(key);
    if (!r) byKey.set(key, (r = queuesReached(exchange, key, queues, bindings)));
    return r;
  };
  const queueIndex = new Map(queues.map((q, i) => [q, i]));
  const consumerQueue: number[] = [];
  for (const a of agents) if (a.kind === 'consumer') consumerQueue[a.id] = queueIndex.get(a.queue)!;
  return {
    queues,
    publisherQueues: Array.from({ length: profile.publishers.count }, (_, p) => reached(publisherRoutingKey(profile, queues, p))),
    consumerQueue,
  };
}

/** Where the nodes are, and which node leads each queue (undefined where unknown). */
export interface NodePlacement {
  uris: string[];
  leaderOfQueue: Array<number | undefined>;
  /** How to reach them over amqps:// (loaded by resolveTarget). */
  tls?: TlsSettings;
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
        routingKey: publisherRoutingKey(profile, queues, p),
      });
      p++;
    } else {
      const qi = c % queues.length;
      agents.push({ kind: 'consumer', id: c, uri: agentUri(profile, nodes, i, qi, nextOnQueue(qi)), queue: queues[qi]! });
      c++;
    }
  }
  const workerCount = Math.max(1, Math.min(profile.workers ?? defaultWorkerCount(cpuCount, total), total));
  const { workers, workerConnections } = assignWorkers(connectionGroups(agents, profile.connection), workerCount);
  const connectionCount = workerConnections.reduce((n, w) => n + w.length, 0);

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
      ...(nodes.tls ? { tls: nodes.tls } : {}),
    },
    workers,
    workerConnections,
    startTimeoutMs: conn.startTimeout !== undefined ? ms(conn.startTimeout) : defaultStartTimeoutMs(connectionCount),
    connectConcurrency: Math.max(4, Math.ceil(CONNECT_CONCURRENCY / workerCount)),
    publisher: {
      rate: rateCurveOf(profile.publishers.rate),
      arrival: profile.publishers.arrival,
      messageSize: messageSizeSpec(profile.publishers.messageSize),
      persistent: profile.publishers.persistent,
      headers: profile.publishers.headers,
      priority: profile.publishers.priority,
      expirationMs: profile.publishers.expiration === undefined ? undefined : ms(profile.publishers.expiration),
      confirms: profile.publishers.confirms.enabled,
      maxInFlight: profile.publishers.confirms.maxInFlight,
      messageLimit,
      stallTimeoutMs: ms(profile.publishers.confirms.stallTimeout),
      onConnectionLoss: profile.publishers.onConnectionLoss,
    },
    consumer: {
      prefetch: profile.consumers.prefetch,
      rateMsgsPerS: profile.consumers.rate,
      processingDelayMs: processingDelayMs(profile.consumers.processingDelay),
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
    routing: routingTable(profile, queues, agents),
  };
}

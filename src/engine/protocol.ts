/** Typed messages between the coordinator (main thread) and worker threads. Nothing untyped crosses. */
import type { BrokerInfo, QueueArguments } from '../amqp/client.js';
import type { TlsSettings } from '../amqp/tls.js';
import type { EncodedLatencySet } from '../metrics/latencySet.js';
import type { Ranges } from '../metrics/rangeSet.js';
import type { Counters } from '../metrics/counters.js';
import type { RateCurveSpec } from './rateCurve.js';
import type { MessageSizeSpec } from './messageSizes.js';

export interface PublisherSpec {
  kind: 'publisher';
  id: number;
  /** The node placement chose; after a connection loss the agent moves on to the others. */
  uri: string;
  queue: string;
  exchange: string;
  routingKey: string;
}

export interface ConsumerSpec {
  kind: 'consumer';
  id: number;
  uri: string;
  queue: string;
}

export type AgentSpec = PublisherSpec | ConsumerSpec;

export interface PublisherSettings {
  /** The publisher's rate over time from the start of sending (a constant rate is a curve without pieces); null: as fast as possible. */
  rate: RateCurveSpec | null;
  /** How intended send times are spread: every 1/rate (phase-shifted per publisher), or a Poisson process. */
  arrival: 'uniform' | 'poisson';
  /** Body sizes: fixed or drawn per message. */
  messageSize: MessageSizeSpec;
  persistent: boolean;
  /** AMQP headers, priority and per-message TTL (ms) of every message; undefined = not set. */
  headers?: Record<string, string | number | boolean> | undefined;
  priority?: number | undefined;
  expirationMs?: number | undefined;
  confirms: boolean;
  maxInFlight: number;
  /** Stop after this many messages; undefined = until told to stop. */
  messageLimit: number | undefined;
  /** No confirm for this long while messages are unconfirmed: reported as stalled. */
  stallTimeoutMs: number;
  /** What happens to messages in flight when the connection is lost. */
  onConnectionLoss: 'republish' | 'drop';
}

export interface ConsumerSettings {
  prefetch: number;
  /** Messages per second this consumer processes at most; 0 = no limit. */
  rateMsgsPerS: number;
  /** Processing time of each delivery in ms (drawn uniformly in [min, max]); null or absent = none. */
  processingDelayMs?: { min: number; max: number } | null;
  ack: 'auto' | 'manual' | 'multiple';
  ackEvery: number;
  /**
   * Stream queues only: where a consumer's first subscription starts in the log ("first" on a stream
   * the run declared, "next" on a kept one); after a reconnect it resumes after the last offset it processed.
   */
  streamStart?: 'first' | 'next';
  /** Consumers re-declare their queue on every (re)connect, with the arguments the run declared it with. */
  queueDurable: boolean;
  queueArguments: QueueArguments;
}

export interface ConnectionSettings {
  heartbeatS: number;
  connectTimeoutMs: number;
  reconnectInitialMs: number;
  reconnectMaxMs: number;
  /** TLS options for amqps:// URIs, PEM contents read once by the main thread. */
  tls?: TlsSettings;
}

/** Agents sharing one AMQP connection (one channel each), by index into WorkerInit.agents. */
export interface ConnectionGroup {
  /** connection_name the broker shows, e.g. mqbench-publisher-3, or mqbench-consumers-2 for a shared one. */
  name: string;
  agents: number[];
}

export interface WorkerInit {
  workerIndex: number;
  /** Random per run, written into every message header: deliveries without it are foreign. */
  runId: number;
  /** A rate is set: corrected latencies (from the intended send time) differ from raw ones and are recorded. */
  recordCorrected: boolean;
  agents: AgentSpec[];
  connections: ConnectionGroup[];
  /** Connections opened at the same time while the run starts. */
  connectConcurrency: number;
  /** Every node of the cluster: where agents reconnect when theirs is gone. */
  nodeUris: string[];
  publisher: PublisherSettings;
  consumer: ConsumerSettings;
  connection: ConnectionSettings;
}

export interface PublisherFinal {
  publisherId: number;
  /** Distinct messages sent (sequence numbers 0 .. published-1). */
  published: number;
  /** Copies sent again after a connection loss. */
  republished: number;
  /** Sequence numbers the broker confirmed (basic.ack) on some attempt. */
  confirmed: Ranges;
  /** Sequence numbers the broker refused (basic.nack). */
  nacked: Ranges;
  /** Sequence numbers the broker returned as unroutable. */
  returned: Ranges;
  /** Sequence numbers that were in flight when a connection or channel was lost. */
  inFlightAtLoss: Ranges;
  /** Messages still waiting for an answer when the run ended. */
  unconfirmedAtEnd: number;
}

export interface ConsumerFinal {
  consumerId: number;
  /** Per publisher id: the sequence numbers this consumer received. */
  received: Array<{ publisherId: number; ranges: Ranges }>;
}

export const AGENT_EVENT_TYPES = [
  'connectionLost',
  'channelClosed',
  'recoveryFailed',
  /** A working channel again after a loss (on a new connection, or a channel reopened on the same one). */
  'recovered',
  'consumerCancelled',
  'subscribed',
  'blocked',
  'unblocked',
  'confirmsStalled',
  'confirmsResumed',
  'catchUp',
] as const;
export type AgentEventType = (typeof AGENT_EVENT_TYPES)[number];

/** Something that happened to one agent's connection, channel or flow, with its time. */
export interface AgentEvent {
  /** µs on the process-wide monotonic clock. */
  atUs: number;
  agent: 'publisher' | 'consumer';
  agentId: number;
  type: AgentEventType;
  /** host:port of the node concerned. */
  node: string;
  detail: string;
  /** catchUp: messages owed to the rate schedule; confirmsStalled: messages waiting. */
  count?: number;
}

/** Activity in 10 ms slots since the start barrier: which slots saw at least one confirm / delivery. */
export interface ActivitySlots {
  confirm: Ranges;
  delivery: Ranges;
}

export type ToWorker =
  | { type: 'start'; startAtUs: number }
  | { type: 'tick'; tick: number }
  | { type: 'stopPublishing' }
  | { type: 'snapshot' }
  | { type: 'stop' };

export type FromWorker =
  | { type: 'ready'; workerIndex: number; brokers: BrokerInfo[] }
  /** While the run starts: agents of this worker with a working channel so far. */
  | { type: 'connecting'; workerIndex: number; agentsUp: number }
  | {
      type: 'tick';
      workerIndex: number;
      tick: number;
      counters: Counters;
      /** The same counts per node (host:port) the connections were on when they happened; they sum to counters. */
      byNode: Array<[node: string, counters: Counters]>;
      latencies: EncodedLatencySet;
      /** [publisher id, next sequence number] at the tick: which messages were published by then. */
      publisherSeqs: Array<[number, number]>;
      activity: ActivitySlots;
    }
  | { type: 'event'; workerIndex: number; event: AgentEvent }
  | { type: 'limitReached'; workerIndex: number }
  | { type: 'publishersDone'; workerIndex: number; publishers: PublisherFinal[] }
  | { type: 'snapshot'; workerIndex: number; consumers: ConsumerFinal[] }
  | {
      type: 'final';
      workerIndex: number;
      publishers: PublisherFinal[];
      consumers: ConsumerFinal[];
      counters: Counters;
      byNode: Array<[node: string, counters: Counters]>;
      latencies: EncodedLatencySet;
      activity: ActivitySlots;
    }
  | { type: 'fatal'; workerIndex: number; message: string };

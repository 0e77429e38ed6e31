/** Typed messages between the coordinator (main thread) and worker threads. Nothing untyped crosses. */
import type { BrokerInfo } from '../amqp/client.js';
import type { EncodedLatencySet } from '../metrics/latencySet.js';
import type { Ranges } from '../metrics/rangeSet.js';
import type { Counters } from '../metrics/counters.js';

export interface PublisherSpec {
  kind: 'publisher';
  id: number;
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
  rateMsgsPerS: number;
  messageSizeBytes: number;
  persistent: boolean;
  confirms: boolean;
  maxInFlight: number;
  /** Stop after this many messages; undefined = until told to stop. */
  messageLimit: number | undefined;
  /** How long a stopping publisher waits for outstanding confirms. */
  confirmWaitMs: number;
}

export interface ConsumerSettings {
  prefetch: number;
  ack: 'auto' | 'manual' | 'multiple';
  ackEvery: number;
}

export interface WorkerInit {
  /** A rate is set: corrected latencies (from the intended send time) differ from raw ones and are recorded. */
  recordCorrected: boolean;
  workerIndex: number;
  agents: AgentSpec[];
  publisher: PublisherSettings;
  consumer: ConsumerSettings;
  connectTimeoutMs: number;
}

export interface PublisherFinal {
  publisherId: number;
  published: number;
  /** Sequence numbers the broker confirmed (basic.ack). */
  confirmed: Ranges;
  nacked: number;
  /** Published but neither acked nor nacked when the publisher gave up waiting. */
  unconfirmed: number;
}

export interface ConsumerFinal {
  consumerId: number;
  /** Per publisher id: the sequence numbers this consumer received. */
  received: Array<{ publisherId: number; ranges: Ranges }>;
}

export type ToWorker =
  | { type: 'start'; startAtUs: number }
  | { type: 'tick'; tick: number }
  | { type: 'stopPublishing' }
  | { type: 'stop' };

export type FromWorker =
  | { type: 'ready'; workerIndex: number; brokers: BrokerInfo[] }
  | { type: 'tick'; workerIndex: number; tick: number; counters: Counters; latencies: EncodedLatencySet }
  | { type: 'publishersDone'; workerIndex: number; publishers: PublisherFinal[] }
  | { type: 'final'; workerIndex: number; consumers: ConsumerFinal[]; counters: Counters; latencies: EncodedLatencySet }
  | { type: 'fatal'; workerIndex: number; message: string };

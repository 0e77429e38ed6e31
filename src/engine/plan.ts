import { availableParallelism } from 'node:os';
import type { Profile } from '../profile/schema.js';
import { timings } from '../profile/timings.js';
import type { AgentSpec, ConsumerSettings, PublisherSettings } from './protocol.js';

export const CONNECT_TIMEOUT_MS = 5_000;

/** Everything a run needs, derived once from a validated profile. */
export interface RunPlan {
  queues: string[];
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

export function planRun(profile: Profile, cpuCount = availableParallelism()): RunPlan {
  const queues = queueNames(profile);
  const uris = profile.broker.uris;
  const agents: AgentSpec[] = [];
  // Interleave publishers and consumers so each worker and each node gets a mix of both.
  const total = profile.publishers.count + profile.consumers.count;
  let p = 0;
  let c = 0;
  for (let i = 0; i < total; i++) {
    const uri = uris[i % uris.length]!;
    const takePublisher = p < profile.publishers.count && (c >= profile.consumers.count || i % 2 === 0);
    if (takePublisher) {
      const queue = queues[p % queues.length]!;
      agents.push({
        kind: 'publisher',
        id: p,
        uri,
        queue,
        exchange: profile.publishers.exchange,
        routingKey: profile.publishers.routingKey ?? queue,
      });
      p++;
    } else {
      agents.push({ kind: 'consumer', id: c, uri, queue: queues[c % queues.length]! });
      c++;
    }
  }
  const workerCount = Math.max(1, Math.min(profile.workers ?? cpuCount, total));
  const workers: AgentSpec[][] = Array.from({ length: workerCount }, () => []);
  agents.forEach((a, i) => workers[i % workerCount]!.push(a));

  const { run, warmupMs, drainTimeoutMs } = timings(profile);
  const messageLimit = run.kind === 'messages' ? run.messagesPerPublisher : undefined;
  return {
    queues,
    workers,
    publisher: {
      rateMsgsPerS: profile.publishers.rate,
      messageSizeBytes: profile.publishers.messageSize,
      persistent: profile.publishers.persistent,
      confirms: profile.publishers.confirms.enabled,
      maxInFlight: profile.publishers.confirms.maxInFlight,
      messageLimit,
      confirmWaitMs: drainTimeoutMs,
    },
    consumer: { prefetch: profile.consumers.prefetch, ack: profile.consumers.ack, ackEvery: profile.consumers.ackEvery },
    warmupMs,
    durationMs: run.kind === 'duration' ? run.durationMs : undefined,
    drainTimeoutMs,
    publisherCount: profile.publishers.count,
    consumerCount: profile.consumers.count,
  };
}

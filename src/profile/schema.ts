import { z } from 'zod';
import { parseDurationMs } from './duration.js';
import { durationSchema } from './durationSchema.js';
import { checkScheduleFitsRun, publisherRateSchema } from './rateSchema.js';
import { checkMessageShape, messageHeadersSchema, messageSizeSchema, priorityDescription, processingDelaySchema } from './messageSchema.js';
import { clusterSchema, managementUrlsSchema, mirroringSchema, placementSchema } from './clusterSchema.js';
import { tlsSchema } from './tlsSchema.js';
import { faultsSchema } from './faultSchema.js';
import { thresholdsSchema } from '../gate/thresholdSchema.js';
import { checkFaults, faultIssueAdder } from './faultRules.js';
import { DEFAULT_DURATION } from './timings.js';
import { EXCHANGE_TYPES } from '../engine/routing.js';
import { checkRouting } from './routingRules.js';

const duration = durationSchema;

const amqpUri = z
  .string({ error: 'expected an amqp:// or amqps:// URI string' })
  .regex(/^amqps?:\/\//, { message: 'expected an amqp:// or amqps:// URI' })
  .meta({ description: 'AMQP URI of one node, e.g. amqp://guest:${RABBITMQ_PASSWORD}@127.0.0.1:5672/%2F' });

const existingQueueAction = z.enum(['purge', 'delete', 'keep']);

export const queuesSchema = z
  .object({
    type: z
      .enum(['classic', 'quorum', 'classic-mirrored', 'stream'])
      .default('classic')
      .meta({
        description:
          'Queue type; classic-mirrored is a classic queue with an HA policy mqbench applies before the run and removes after (RabbitMQ 3.x); ' +
          'stream is a stream queue (RabbitMQ 3.9+) read over AMQP 0.9.1 from an offset: one consumer per stream, prefetch > 0, ack "manual" or "multiple".',
      }),
    count: z.int().min(1).max(10_000).default(1).meta({ description: 'Number of queues.' }),
    namePattern: z
      .string()
      .min(1)
      .refine((s) => s.includes('<n>'), { message: 'must contain "<n>", replaced by the queue number' })
      .default('mqbench-<n>')
      .meta({ description: 'Queue names; "<n>" becomes 1..count.' }),
    durable: z.boolean().default(true),
    arguments: z
      .record(z.string(), z.union([z.string(), z.number(), z.boolean()]))
      .default({})
      .meta({ description: 'Queue arguments passed through, e.g. x-max-length, x-delivery-limit.' }),
    mirroring: mirroringSchema.default(mirroringSchema.parse({})).meta({ description: 'HA policy of classic-mirrored queues.' }),
    initialGroupSize: z
      .int()
      .min(1)
      .optional()
      .meta({ description: 'Quorum queues: x-quorum-initial-group-size; stream queues: x-initial-cluster-size (replicas, default all nodes).' }),
    bindings: z
      .array(z.union([z.string(), z.array(z.string()).min(1)]))
      .min(1)
      .optional()
      .meta({
        description:
          'How the queues are bound to the named exchange, in turn: queue i gets bindings[i mod length], one binding key (topic: a pattern) or a list of them; ' +
          '"<n>" becomes the queue number. ["orders.#"] binds every queue with "orders.#". Default: each queue by its name. Not for fanout.',
      }),
    onStart: existingQueueAction.default('delete').meta({ description: 'What to do with an existing queue of the same name before the run.' }),
    onEnd: existingQueueAction.default('delete').meta({ description: 'What to do with the queues after the run.' }),
  })
  .strict();

export const publishersSchema = z
  .object({
    count: z.int().min(0).max(10_000).default(1),
    rate: publisherRateSchema.default(0),
    arrival: z
      .enum(['uniform', 'poisson'])
      .default('uniform')
      .meta({
        description:
          'With a rate: uniform sends one message every 1/rate (each publisher shifted by its own phase, so publishers do not fire in lockstep); ' +
          'poisson draws exponential gaps with mean 1/rate (seeded by the run id). With a schedule, at the rate of the moment (uniform: evenly in the ' +
          'integral of the rate; poisson: a Poisson process with that varying rate). Latency is corrected from these intended send times either way.',
      }),
    messageSize: messageSizeSchema.default(1000),
    persistent: z.boolean().default(true).meta({ description: 'delivery_mode 2 (persistent) when true; false sends non-persistent (transient) messages.' }),
    headers: messageHeadersSchema.optional(),
    priority: z.int().min(0).max(255).optional().meta({ description: priorityDescription }),
    expiration: duration.optional().meta({ description: 'Per-message TTL (the AMQP expiration property): a message not consumed within it is dropped by the broker and counted as lost.' }),
    confirms: z
      .object({
        enabled: z.boolean().default(true),
        maxInFlight: z.int().min(1).max(1_000_000).default(100).meta({ description: 'Unconfirmed messages allowed per publisher.' }),
        stallTimeout: duration
          .default('5s')
          .meta({ description: 'A publisher waiting this long with no confirm for its unconfirmed messages is reported as blocked (an event in the result), not hung.' }),
      })
      .strict()
      .default({ enabled: true, maxInFlight: 100, stallTimeout: '5s' }),
    onConnectionLoss: z
      .enum(['republish', 'drop'])
      .default('republish')
      .meta({
        description:
          'Messages still unconfirmed when a publisher\'s connection or channel is lost: "republish" sends them again after reconnecting ' +
          '(at-least-once; duplicates are then expected and counted), "drop" gives them up. Either way they are counted as unconfirmed at connection loss, never as nacks.',
      }),
    exchange: z
      .string()
      .default('')
      .meta({ description: 'Exchange to publish to ("" = default exchange, routing by queue name). A named exchange is declared with exchangeType and every queue is bound to it (queues.bindings).' }),
    exchangeType: z
      .enum(EXCHANGE_TYPES)
      .default('direct')
      .meta({ description: 'Type of the named exchange: direct (binding key = routing key), fanout (every queue gets every message), topic (binding patterns, "*" one word, "#" zero or more).' }),
    routingKey: z.string().optional().meta({ description: 'Routing key of every publisher; defaults to the queue name of each publisher (publisher i: queue i mod queues.count).' }),
    routingKeys: z
      .array(z.string())
      .min(1)
      .optional()
      .meta({
        description:
          'Concrete routing keys, one per publisher in turn: publisher i sends every message with routingKeys[i mod length]; "<n>" becomes its queue number. ' +
          'Needs a named exchange. A message is expected once in every queue its key reaches.',
      }),
  })
  .strict();

export const consumersSchema = z
  .object({
    count: z.int().min(0).max(10_000).default(1),
    prefetch: z.int().min(0).max(65_535).default(100).meta({ description: 'basic.qos prefetch count per consumer; 0 = unlimited.' }),
    ack: z.enum(['auto', 'manual', 'multiple']).default('manual').meta({ description: 'auto = no-ack; manual = ack each; multiple = ack every ackEvery messages.' }),
    ackEvery: z.int().min(1).default(10).meta({ description: 'With ack "multiple": acknowledge every N messages.' }),
    rate: z
      .number()
      .min(0)
      .default(0)
      .meta({
        description:
          'Process at most this many messages per second per consumer (a slow consumer; 0 = as fast as they come). Deliveries wait in the prefetch window ' +
          'and are counted, timed and acked when processed. Needs ack "manual" or "multiple".',
      }),
    processingDelay: processingDelaySchema.optional(),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (c.rate > 0 && c.ack === 'auto') {
      ctx.addIssue({ code: 'custom', path: ['rate'], message: 'a rate-limited consumer needs ack "manual" or "multiple": with auto-ack the broker ignores prefetch and would flood it' });
    }
  });

export const connectionSchema = z
  .object({
    heartbeat: duration
      .default('5s')
      .meta({ description: 'AMQP heartbeat: a connection silent for about twice this long is declared dead, so an agent on a paused or cut-off node reconnects elsewhere.' }),
    connectTimeout: duration.default('5s').meta({ description: 'Limit for one connection attempt (TCP and AMQP handshake).' }),
    reconnect: z
      .object({
        initialDelay: duration.default('100ms').meta({ description: 'Wait before the second attempt; doubles with every failed attempt.' }),
        maxDelay: duration.default('5s').meta({ description: 'Longest wait between attempts (before jitter).' }),
      })
      .strict()
      .default({ initialDelay: '100ms', maxDelay: '5s' })
      .meta({ description: 'After a lost connection, publishers and consumers reconnect (to the next node when theirs is down) with bounded, jittered exponential backoff until the run ends.' }),
    publishersPerConnection: z
      .int()
      .min(1)
      .max(10_000)
      .default(1)
      .meta({ description: 'Publishers sharing one AMQP connection, each on its own channel (like PerfTest\'s channels per connection). 1 = a connection per publisher.' }),
    consumersPerConnection: z
      .int()
      .min(1)
      .max(10_000)
      .default(1)
      .meta({ description: 'Consumers sharing one AMQP connection, each on its own channel. Publishers and consumers never share a connection (flow control blocks publishing connections).' }),
    startTimeout: duration
      .optional()
      .meta({
        description:
          'Limit for connecting every agent and setting up its channel before the run starts. Default: 15 s plus 30 ms per connection (1,000 connections: 45 s). Exceeding it fails the run (exit 1).',
      }),
  })
  .strict();

export const profileSchema = z
  .object({
    $schema: z.string().optional().meta({ description: 'JSON Schema for editors; "./schema.json" in profiles/.' }),
    name: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, { message: 'expected letters, digits, ".", "_" or "-"' })
      .meta({ description: 'Profile name; used in result file names.' }),
    description: z.string().default('').meta({ description: 'Free text: what the profile measures and how to set it up.' }),
    broker: z
      .object({
        uris: z.array(amqpUri).min(1).meta({ description: 'One URI per node; connections are spread round-robin.' }),
        management: managementUrlsSchema.optional(),
        tls: tlsSchema.optional(),
      })
      .strict()
      .optional()
      .meta({ description: 'An existing broker or cluster. Alternatively set "cluster".' }),
    cluster: clusterSchema.optional(),
    placement: placementSchema.default(placementSchema.parse({})),
    queues: queuesSchema.default(queuesSchema.parse({})),
    publishers: publishersSchema.default(publishersSchema.parse({})),
    consumers: consumersSchema.default(consumersSchema.parse({})),
    duration: duration.optional().meta({ description: 'Measured time (after warmup). Default "30s" unless messagesPerPublisher is set.' }),
    messagesPerPublisher: z.int().min(1).optional().meta({ description: 'Stop after each publisher sent this many messages (instead of duration).' }),
    warmup: duration.default('0s').meta({ description: 'Run before measuring; excluded from results.' }),
    drainTimeout: duration.default('30s').meta({ description: 'After publishing stops, how long consumers may take to receive every confirmed message.' }),
    connection: connectionSchema.default(connectionSchema.parse({})),
    faults: faultsSchema.default([]),
    allowLoss: z
      .boolean()
      .default(false)
      .meta({ description: 'Exit 0 even when confirmed messages were lost (still reported): for experiments where loss is the expected outcome, e.g. an unreplicated queue on a killed node.' }),
    thresholds: thresholdsSchema.optional(),
    metrics: z
      .object({
        prometheus: z
          .object({
            port: z.int().min(0).max(65_535).meta({ description: 'Port of http://<host>:<port>/metrics (0: any free port). `mqbench run --metrics-port` overrides it.' }),
            host: z.string().min(1).default('127.0.0.1').meta({ description: 'Address to listen on; 0.0.0.0 lets a Prometheus on another host scrape it.' }),
          })
          .strict()
          .optional()
          .meta({ description: 'Serve live metrics (OpenMetrics, mqbench_* names) for Prometheus while a single run goes (not with --repeat or in a matrix).' }),
      })
      .strict()
      .optional()
      .meta({ description: 'Live metrics while the run goes.' }),
    workers: z.int().min(1).max(256).optional().meta({ description: 'Worker threads; default about one per two agents (publishers + consumers), at most one fewer than the cores.' }),
  })
  .strict()
  .superRefine((p, ctx) => {
    if (!p.broker && !p.cluster) {
      ctx.addIssue({ code: 'custom', path: ['broker'], message: 'missing: set broker.uris, or cluster ({"local": {...}} or {"uris": [...]})' });
    }
    if (p.broker && p.cluster) {
      ctx.addIssue({ code: 'custom', path: ['cluster'], message: 'set either broker or cluster, not both', params: { showValue: false } });
    }
    if (p.cluster && 'local' in p.cluster) checkLocalLayout(p.cluster.local, ctx);
    const nodes = p.cluster ? ('local' in p.cluster ? p.cluster.local.nodes : p.cluster.uris.length) : p.broker?.uris.length;
    if (nodes !== undefined) checkPlacement(p.placement, nodes, ctx);
    if (p.queues.type !== 'quorum' && p.queues.type !== 'stream' && p.queues.initialGroupSize !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['queues', 'initialGroupSize'], message: 'only applies to quorum and stream queues' });
    }
    if (p.queues.type === 'stream') checkStream(p, ctx);
    if (p.queues.type === 'classic-mirrored' && p.queues.mirroring.mode === 'exactly' && p.queues.mirroring.params === undefined) {
      ctx.addIssue({ code: 'custom', path: ['queues', 'mirroring', 'params'], message: 'missing: mode "exactly" needs params (number of replicas)' });
    }
    if (p.queues.type === 'quorum' && !p.queues.durable) {
      ctx.addIssue({ code: 'custom', path: ['queues', 'durable'], message: 'quorum queues are always durable: set true or leave it out' });
    }
    if (p.duration !== undefined && p.messagesPerPublisher !== undefined) {
      // showValue: false — the value itself is fine, only the combination is not (see format.ts).
      ctx.addIssue({
        code: 'custom',
        path: ['messagesPerPublisher'],
        message: 'set either duration or messagesPerPublisher, not both',
        params: { showValue: false },
      });
    }
    if (p.duration !== undefined && parseDurationMs(p.duration) === 0) {
      ctx.addIssue({ code: 'custom', path: ['duration'], message: 'must be longer than 0s' });
    }
    if (p.duration !== undefined || p.messagesPerPublisher === undefined) {
      const warmupMs = parseDurationMs(p.warmup) ?? 0;
      const durationMs = parseDurationMs(p.duration ?? DEFAULT_DURATION) ?? 0;
      const end = `warmup ${p.warmup} + duration ${p.duration ?? `${DEFAULT_DURATION} by default`}`;
      checkScheduleFitsRun(p.publishers.rate, warmupMs + durationMs, end, (path, message) =>
        ctx.addIssue({ code: 'custom', path: ['publishers', 'rate', ...path], message, params: { showValue: false } }),
      );
    }
    if (p.publishers.count + p.consumers.count === 0) {
      ctx.addIssue({ code: 'custom', path: ['publishers', 'count'], message: 'a run needs at least one publisher or consumer' });
    }
    const nodeCount = p.cluster && 'local' in p.cluster ? p.cluster.local.nodes : nodes;
    checkFaults(
      {
        faults: p.faults,
        local: p.cluster !== undefined && 'local' in p.cluster,
        nodes: nodeCount,
        queueType: p.queues.type,
        initialGroupSize: p.queues.initialGroupSize,
        mirroring: p.queues.mirroring,
        durationMs: p.messagesPerPublisher === undefined ? parseDurationMs(p.duration ?? DEFAULT_DURATION) : undefined,
        byMessageCount: p.messagesPerPublisher !== undefined,
      },
      faultIssueAdder(ctx),
    );
    checkMessageShape(p, (path, message) => ctx.addIssue({ code: 'custom', path, message, params: { showValue: false } }));
    checkRouting(p.publishers, p.queues, (path, message) => ctx.addIssue({ code: 'custom', path, message, params: { showValue: false } }));
    if (p.consumers.ack === 'multiple' && p.consumers.prefetch > 0 && p.consumers.ackEvery > p.consumers.prefetch) {
      ctx.addIssue({ code: 'custom', path: ['consumers', 'ackEvery'], message: `must be <= prefetch (${p.consumers.prefetch}) or consumers stall` });
    }
  });

/**
 * A stream is a log read from an offset: messages stay after they are acked, the broker needs a
 * prefetch and acks for flow control, and every consumer of a stream reads all of it — so a
 * second consumer would receive every message again, which the account would rightly call duplicates.
 */
function checkStream(p: { queues: z.output<typeof queuesSchema>; consumers: z.output<typeof consumersSchema> }, ctx: z.RefinementCtx): void {
  const q = p.queues;
  const c = p.consumers;
  const issue = (path: string[], message: string): void => ctx.addIssue({ code: 'custom', path, message, params: { showValue: false } });
  if (!q.durable) issue(['queues', 'durable'], 'stream queues are always durable: set true or leave it out');
  for (const field of ['onStart', 'onEnd'] as const) {
    if (q[field] === 'purge') issue(['queues', field], 'a stream cannot be purged (its messages stay until retention removes them): use "delete" or "keep"');
  }
  if (c.count > 0 && c.ack === 'auto') issue(['consumers', 'ack'], 'stream consumers need acks (the broker refuses no-ack consumers on a stream): use "manual" or "multiple"');
  if (c.count > 0 && c.prefetch === 0) issue(['consumers', 'prefetch'], 'stream consumers need a prefetch above 0 (the broker refuses an unlimited one on a stream)');
  if (c.count > q.count) {
    issue(
      ['consumers', 'count'],
      `${c.count} consumers on ${q.count} stream${q.count === 1 ? '' : 's'}: every consumer of a stream reads all of it, so a second one would receive every message again; ` +
        'use at most one consumer per stream (queues.count >= consumers.count)',
    );
  }
}

/** Placement must name nodes the cluster has: quietly wrapping a node number or connecting a "follower" to the leader measures something else. */
function checkPlacement(placement: z.output<typeof placementSchema>, nodes: number, ctx: z.RefinementCtx): void {
  const has = nodes === 1 ? '1 node' : `${nodes} nodes`;
  if (typeof placement.leader === 'number' && placement.leader > nodes) {
    ctx.addIssue({ code: 'custom', path: ['placement', 'leader'], message: `node ${placement.leader} does not exist: the cluster has ${has}`, params: { showValue: false } });
  }
  if (placement.connect === 'follower' && nodes < 2) {
    ctx.addIssue({ code: 'custom', path: ['placement', 'connect'], message: `"follower" needs a node that is not the leader: the cluster has ${has}`, params: { showValue: false } });
  }
}

function checkLocalLayout(local: { nodes: number; layout: string | string[] }, ctx: z.RefinementCtx): void {
  const path = ['cluster', 'local', 'layout'];
  if (Array.isArray(local.layout)) {
    if (local.layout.length !== local.nodes) {
      ctx.addIssue({ code: 'custom', path, message: `has ${local.layout.length} entries but nodes is ${local.nodes}` });
    } else if (!local.layout.includes('disk')) {
      ctx.addIssue({ code: 'custom', path, message: 'a cluster needs at least one disk node' });
    } else if (local.layout[0] !== 'disk') {
      ctx.addIssue({ code: 'custom', path, message: 'the first node must be a disk node (the others join it)' });
    }
  } else if (local.layout === 'one-ram' && local.nodes < 2) {
    ctx.addIssue({ code: 'custom', path, message: 'a 1-node cluster cannot be RAM: its only node must be a disk node' });
  }
}

/** A profile as written (defaults optional). */
export type ProfileInput = z.input<typeof profileSchema>;
/** A validated profile with every default filled in. */
export type Profile = z.output<typeof profileSchema>;

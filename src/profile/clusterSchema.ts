import { z } from 'zod';
import { MAX_NODES } from '../cluster/local/layout.js';
import { DEFAULT_NET_TICKTIME_S } from '../cluster/local/types.js';
import { tlsSchema } from './tlsSchema.js';

/** Named layouts, so matrix axes can say "one-ram" for any node count. */
export const LAYOUT_PRESETS = ['all-disk', 'one-ram'] as const;
export type LayoutPreset = (typeof LAYOUT_PRESETS)[number];

const nodeType = z.enum(['disk', 'ram']);

export const localClusterSchema = z
  .object({
    nodes: z.int().min(1).max(MAX_NODES).meta({ description: 'Number of local RabbitMQ nodes mqbench starts on loopback.' }),
    layout: z
      .union([z.enum(LAYOUT_PRESETS), z.array(nodeType).min(1)])
      .default('all-disk')
      .meta({ description: 'Node types: "all-disk", "one-ram" (the last node is RAM), or one entry per node, e.g. ["disk", "disk", "ram"].' }),
    basePort: z
      .int()
      .min(1024)
      .max(45_000)
      .default(5700)
      .meta({ description: 'Node i listens on AMQP basePort+i, management basePort+10000+i, Erlang distribution basePort+20000+i.' }),
    partitionHandling: z
      .enum(['ignore', 'pause_minority', 'autoheal'])
      .default('ignore')
      .meta({
        description:
          'cluster_partition_handling of the nodes. RabbitMQ\'s default "ignore" keeps the seeds\' experiments as they are; "autoheal" or "pause_minority" let a cluster recover by itself after a partition.',
      }),
    netTicktime: z
      .int()
      .min(2)
      .max(600)
      .default(DEFAULT_NET_TICKTIME_S)
      .meta({
        description:
          'Erlang net_ticktime of the nodes, seconds. mqbench uses 10 (RabbitMQ\'s default is 60) so a paused or cut-off node is declared down in about 10 s: ' +
          'until then the management API and rabbitmqctl of every node hang. Faults longer than this are seen as a partition (see partitionHandling).',
      }),
    stateDir: z.string().min(1).default('.mqbench/cluster').meta({ description: 'Where node data, logs and the cookie live (relative to the working directory).' }),
  })
  .strict();

const httpUrl = z
  .string()
  .regex(/^https?:\/\//, { message: 'expected an http:// or https:// URL' })
  .meta({ description: 'Management API base URL, e.g. http://guest:${RABBITMQ_PASSWORD}@127.0.0.1:15672' });

export const managementUrlsSchema = z
  .array(httpUrl)
  .min(1)
  .meta({
    description:
      'Management API URLs, one per node (fewer are reused round-robin); default: each AMQP host with the same credentials on port 15672 (http), ' +
      'or 15671 (https) for amqps:// URIs.',
  });

export const clusterSchema = z
  .union([
    z.object({ local: localClusterSchema }).strict(),
    z
      .object({
        uris: z.array(z.string().regex(/^amqps?:\/\//, { message: 'expected an amqp:// or amqps:// URI' })).min(1),
        management: managementUrlsSchema.optional(),
        tls: tlsSchema.optional(),
      })
      .strict(),
  ])
  .meta({ description: '{"local": {...}}: mqbench starts (or reuses) this cluster. {"uris", "management"}: an existing cluster mqbench never changes.' });

export const mirroringSchema = z
  .object({
    mode: z.enum(['all', 'exactly']).default('all').meta({ description: 'ha-mode of the policy mqbench applies.' }),
    params: z.int().min(1).optional().meta({ description: 'ha-params: number of replicas (master included) with mode "exactly".' }),
    syncMode: z.enum(['automatic', 'manual']).default('automatic').meta({ description: 'ha-sync-mode.' }),
  })
  .strict();

export const placementSchema = z
  .object({
    leader: z
      .union([z.enum(['client-local', 'balanced']), z.int().min(1)])
      .default('client-local')
      .meta({ description: 'Where each queue leader lives: a node number (1-based, the queue is declared through that node), "client-local" (the declaring node, nodes taken round-robin per queue) or "balanced" (x-queue-leader-locator).' }),
    connect: z
      .enum(['spread', 'leader', 'follower'])
      .default('spread')
      .meta({ description: 'Where publishers and consumers connect: round-robin over all nodes, to their queue leader, or to a node that is not the leader (every message is then proxied).' }),
  })
  .strict();

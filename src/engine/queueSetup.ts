import type { AmqpChannel, AmqpClient, AmqpConnection, BrokerInfo } from '../amqp/client.js';
import type { TlsSettings } from '../amqp/tls.js';
import type { ManagementClient } from '../cluster/management.js';
import type { Profile } from '../profile/schema.js';
import { CONNECT_TIMEOUT_MS, queueBindings } from './plan.js';
import { queueArguments } from './queueArguments.js';

/** Everything queue setup and teardown need: the client, the profile, the nodes and their management APIs. */
export interface QueueContext {
  client: AmqpClient;
  profile: Profile;
  uris: string[];
  queues: string[];
  management: ManagementClient[];
  vhost: string;
  /** TLS options for amqps:// URIs. */
  tls?: TlsSettings;
}

/** Name of the HA policy mqbench applies for classic-mirrored queues (and removes after). */
export function haPolicyName(profile: Profile): string {
  return `mqbench-ha-${profile.name}`;
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Index of the node each queue is declared through; with client-local that node becomes its leader. */
export function declaringNode(profile: Profile, queueIndex: number, nodeCount: number): number {
  const leader = profile.placement.leader;
  if (typeof leader === 'number') return (leader - 1) % nodeCount;
  return queueIndex % nodeCount;
}

async function withConnections<T>(client: AmqpClient, uris: string[], tls: TlsSettings | undefined, fn: (connect: (i: number) => Promise<AmqpConnection>) => Promise<T>): Promise<T> {
  const open = new Map<number, AmqpConnection>();
  const connect = async (i: number): Promise<AmqpConnection> => {
    let c = open.get(i);
    if (!c) {
      c = await client.connect(uris[i]!, { connectionName: 'mqbench-setup', timeoutMs: CONNECT_TIMEOUT_MS, tls });
      open.set(i, c);
    }
    return c;
  };
  try {
    return await fn(connect);
  } finally {
    await Promise.all([...open.values()].map((c) => c.close()));
  }
}

/** Channels used side by side to declare or delete many queues: 1,000 queues one at a time take seconds. */
const SETUP_CHANNELS = 16;

/**
 * Runs `fn` for every queue name on up to SETUP_CHANNELS channels of one connection, each channel
 * taking the next name when it is done. A failure names the queue (a channel error closes only its channel).
 */
async function onChannels(connection: AmqpConnection, names: string[], fn: (ch: AmqpChannel, name: string) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async (): Promise<void> => {
    const ch = await connection.openChannel({ confirms: false });
    try {
      while (next < names.length) {
        const name = names[next++]!;
        try {
          await fn(ch, name);
        } catch (err) {
          next = names.length; // the other lanes stop too
          throw new Error(`queue ${name}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
        }
      }
    } finally {
      await ch.close().catch(() => undefined);
    }
  };
  await Promise.all(Array.from({ length: Math.min(SETUP_CHANNELS, names.length) }, lane));
}

/**
 * Declares the run's queues (and exchange) before agents start, honouring queues.onStart, the
 * leader placement and, for classic-mirrored, the HA policy. Connects to every node first, so an
 * unreachable node or wrong credentials fail here, before anything is measured.
 */
export async function prepareQueues(ctx: QueueContext): Promise<BrokerInfo[]> {
  const { client, profile, uris, queues, management, vhost } = ctx;
  return withConnections(client, uris, ctx.tls, async (connect) => {
    const brokers: BrokerInfo[] = [];
    for (let i = 0; i < uris.length; i++) brokers.push((await connect(i)).broker);
    const q = profile.queues;
    if (q.type === 'classic-mirrored') await applyHaPolicy(profile, queues, management, vhost);
    const args = queueArguments(profile);
    const byNode = new Map<number, string[]>();
    for (const [i, name] of queues.entries()) {
      const node = declaringNode(profile, i, uris.length);
      byNode.set(node, [...(byNode.get(node) ?? []), name]);
    }
    await Promise.all(
      [...byNode].map(async ([node, names]) =>
        onChannels(await connect(node), names, async (ch, name) => {
          if (q.onStart === 'delete') await ch.deleteQueue(name);
          await ch.declareQueue(name, { durable: q.durable, arguments: args });
          if (q.onStart === 'purge') await ch.purgeQueue(name);
        }),
      ),
    );
    const { exchange, exchangeType } = profile.publishers;
    if (exchange !== '') {
      const ch = await (await connect(0)).openChannel({ confirms: false });
      try {
        await ch.declareExchange(exchange, exchangeType, true);
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        const hint = /inequivalent/i.test(message) ? ' (it exists with another type or durability: delete it or pick another name)' : '';
        throw new Error(`exchange "${exchange}" (${exchangeType}): ${message}${hint}`, { cause: err });
      }
      await ch.close();
      const bindings = queueBindings(profile, queues);
      const keysOf = new Map(queues.map((name, i) => [name, bindings[i]!]));
      await onChannels(await connect(0), queues, async (lane, name) => {
        for (const key of keysOf.get(name)!) await lane.bindQueue(name, exchange, key);
      });
    }
    return brokers;
  });
}

async function applyHaPolicy(profile: Profile, queues: string[], management: ManagementClient[], vhost: string): Promise<void> {
  const m = profile.queues.mirroring;
  const definition: Record<string, unknown> = { 'ha-mode': m.mode, 'ha-sync-mode': m.syncMode };
  if (m.mode === 'exactly') definition['ha-params'] = m.params;
  const policy = { pattern: `^(${queues.map(escapeRegex).join('|')})$`, definition, priority: 100, 'apply-to': 'queues' as const };
  await firstAnswer(management, (c) => c.putPolicy(vhost, haPolicyName(profile), policy));
}

async function firstAnswer<T>(clients: ManagementClient[], fn: (c: ManagementClient) => Promise<T>): Promise<T> {
  let last: unknown = new Error('no management URL configured');
  for (const c of clients) {
    try {
      return await fn(c);
    } catch (err) {
      last = err;
    }
  }
  throw last;
}

/** Applies queues.onEnd and removes the HA policy. Best effort: a dead node must not hide the results. */
export async function finishQueues(ctx: QueueContext): Promise<string | undefined> {
  const { client, profile, uris, queues, management, vhost } = ctx;
  const problems: string[] = [];
  const action = profile.queues.onEnd;
  if (action !== 'keep') {
    let done = false;
    for (let i = 0; i < uris.length && !done; i++) {
      try {
        await withConnections(client, [uris[i]!], ctx.tls, async (connect) => {
          await onChannels(await connect(0), queues, async (ch, name) => {
            if (action === 'delete') await ch.deleteQueue(name);
            else await ch.purgeQueue(name);
          });
        });
        done = true;
      } catch (err) {
        if (i === uris.length - 1) problems.push(`could not ${action} queues after the run: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  }
  if (profile.queues.type === 'classic-mirrored') {
    try {
      await firstAnswer(management, (c) => c.deletePolicy(vhost, haPolicyName(profile)));
    } catch (err) {
      problems.push(`could not remove HA policy ${haPolicyName(profile)}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  return problems.length > 0 ? problems.join('; ') : undefined;
}

import type { AmqpClient, AmqpConnection, BrokerInfo } from '../amqp/client.js';
import type { Profile } from '../profile/schema.js';
import { CONNECT_TIMEOUT_MS } from './plan.js';

/** Declares the run's queues (and exchange) before agents start, honouring queues.onStart. */
export async function prepareQueues(client: AmqpClient, profile: Profile, queues: string[]): Promise<BrokerInfo> {
  const connection = await client.connect(profile.broker.uris[0]!, { connectionName: 'mqbench-setup', timeoutMs: CONNECT_TIMEOUT_MS });
  try {
    const ch = await connection.openChannel({ confirms: false });
    const q = profile.queues;
    const args = { ...q.arguments, 'x-queue-type': q.type };
    for (const name of queues) {
      if (q.onStart === 'delete') await ch.deleteQueue(name);
      await ch.declareQueue(name, { durable: q.durable, arguments: args });
      if (q.onStart === 'purge') await ch.purgeQueue(name);
    }
    const exchange = profile.publishers.exchange;
    if (exchange !== '') {
      await ch.declareExchange(exchange, 'direct', true);
      for (const name of queues) await ch.bindQueue(name, exchange, name);
    }
    await ch.close();
    return connection.broker;
  } finally {
    await connection.close();
  }
}

/** Applies queues.onEnd. Best effort: a node that went away must not hide the run's results. */
export async function finishQueues(client: AmqpClient, profile: Profile, queues: string[]): Promise<string | undefined> {
  const action = profile.queues.onEnd;
  if (action === 'keep') return undefined;
  let connection: AmqpConnection | undefined;
  try {
    connection = await client.connect(profile.broker.uris[0]!, { connectionName: 'mqbench-teardown', timeoutMs: CONNECT_TIMEOUT_MS });
    const ch = await connection.openChannel({ confirms: false });
    for (const name of queues) {
      if (action === 'delete') await ch.deleteQueue(name);
      else await ch.purgeQueue(name);
    }
    await ch.close();
    return undefined;
  } catch (err) {
    return `could not ${action} queues after the run: ${err instanceof Error ? err.message : String(err)}`;
  } finally {
    await connection?.close();
  }
}

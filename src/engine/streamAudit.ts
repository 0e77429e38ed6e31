import { connectOptions } from './connectOptions.js';
import { randomBytes } from 'node:crypto';
import type { AmqpChannel, AmqpClient, AmqpConnection } from '../amqp/client.js';
import { routeKey } from '../metrics/accounting.js';
import type { RangeSet } from '../metrics/rangeSet.js';
import { withTimeout } from '../util/timeout.js';
import { headerField } from './messageHeader.js';
import type { ConnectionSettings } from './protocol.js';

/** Bound on reading one stream from its first offset to the end marker. */
const READ_TIMEOUT_MS = 30_000;
const PREFETCH = 1_000;

/**
 * Which of the expected messages no consumer received are still in the streams after the run.
 * A stream keeps what it was given after consumers read and ack it (queue.declare reports 0
 * messages for a stream on RabbitMQ 3.10), so the ready-message count of a classic queue tells
 * nothing here: instead every stream is read from its first offset up to an end marker this
 * audit appends (confirmed, so every message written before it is before it in the log), and the
 * missing messages found are counted. That count stands for "what the queues still held":
 * found means unresolved (never consumed, but not gone), the rest is proven gone.
 * null when no node could read every stream to its end.
 */
export async function streamHeldMessages(
  client: AmqpClient,
  uris: string[],
  queues: string[],
  missing: Map<number, RangeSet>,
  runId: number,
  c: ConnectionSettings,
): Promise<number | null> {
  for (const uri of uris) {
    let connection: AmqpConnection;
    try {
      connection = await client.connect(uri, connectOptions(c, 'mqbench-stream-audit'));
    } catch {
      continue;
    }
    try {
      const found = new Map<number, Set<number>>();
      for (const [qi, q] of queues.entries()) await withTimeout(readStream(connection, q, qi, missing, runId, found), READ_TIMEOUT_MS, `reading stream ${q}`);
      let n = 0;
      for (const s of found.values()) n += s.size;
      return n;
    } catch {
      // this node cannot read a stream to its end (unavailable, too slow): try the next
    } finally {
      await withTimeout(connection.close(), 2_000, 'closing').catch(() => undefined);
    }
  }
  return null;
}

async function readStream(connection: AmqpConnection, queue: string, queueIndex: number, missing: Map<number, RangeSet>, runId: number, found: Map<number, Set<number>>): Promise<void> {
  const marker = Buffer.from(`mqbench-stream-audit-end-${randomBytes(8).toString('hex')}`);
  const pub = await connection.openChannel({ confirms: true });
  try {
    await new Promise<void>((resolve, reject) => {
      pub.publish('', queue, marker, { persistent: true, mandatory: false }, (outcome) =>
        outcome === 'ack' ? resolve() : reject(new Error(`end marker of ${queue}: ${outcome}`)),
      );
    });
  } finally {
    await pub.close().catch(() => undefined);
  }
  const ch: AmqpChannel = await connection.openChannel({ confirms: false });
  try {
    await ch.setPrefetch(PREFETCH);
    await new Promise<void>((resolve, reject) => {
      const onDelivery = (body: Buffer, deliveryTag: number): void => {
        try {
          ch.ack(deliveryTag, false);
        } catch {
          // the channel closed: the timeout or the cancel ends the read
        }
        if (body.equals(marker)) return resolve();
        if (!headerField.isOurs(body, runId)) return;
        // Missing copies are keyed by route (publisher, queue): a copy found in this stream counts for this stream only.
        const route = routeKey(headerField.publisherId(body), queueIndex);
        const sequence = headerField.sequence(body);
        if (!missing.get(route)?.has(sequence)) return;
        let set = found.get(route);
        if (!set) found.set(route, (set = new Set()));
        set.add(sequence);
      };
      ch.onClose((reason) => reject(new Error(`channel closed: ${reason ?? 'connection lost'}`)));
      ch.consume(queue, { noAck: false, arguments: { 'x-stream-offset': 'first' } }, onDelivery, () => reject(new Error(`the server cancelled the read of ${queue}`))).catch(reject);
    });
  } finally {
    await ch.close().catch(() => undefined);
  }
}

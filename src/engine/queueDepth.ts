import { connectOptions } from './connectOptions.js';
import type { AmqpClient } from '../amqp/client.js';
import { withTimeout } from '../util/timeout.js';
import type { ConnectionSettings } from './protocol.js';

const READS = 5;
const PAUSE_MS = 1_000;

/**
 * Ready messages left in the benchmark queues after the run (queue.declare passive, through the
 * first node that answers). Consumers have just closed, and the broker puts their unacknowledged
 * messages back asynchronously, so the depth is read until two readings a second apart agree
 * (at most five); the largest reading is returned. null when no node could tell.
 */
export async function readQueueDepth(client: AmqpClient, uris: string[], queues: string[], c: ConnectionSettings): Promise<number | null> {
  for (const uri of uris) {
    let connection;
    try {
      connection = await client.connect(uri, connectOptions(c, 'mqbench-depth'));
    } catch {
      continue;
    }
    try {
      let largest = -1;
      let previous = -1;
      for (let i = 0; i < READS; i++) {
        let total = 0;
        for (const q of queues) {
          // A failed passive declare closes its channel: one channel per queue and reading.
          const ch = await connection.openChannel({ confirms: false });
          total += await withTimeout(ch.queueDepth(q), c.connectTimeoutMs, `queue.declare (passive) of ${q}`);
          await ch.close().catch(() => undefined);
        }
        largest = Math.max(largest, total);
        if (total === previous) break;
        previous = total;
        await new Promise((r) => setTimeout(r, PAUSE_MS));
      }
      return largest;
    } catch {
      // this node cannot tell (queue unavailable here): try the next
    } finally {
      await withTimeout(connection.close(), 2_000, 'closing').catch(() => undefined);
    }
  }
  return null;
}

import { connectOptions } from './connectOptions.js';
import type { AmqpClient, AmqpConnection } from '../amqp/client.js';
import { withTimeout } from '../util/timeout.js';
import type { ConnectionSettings } from './protocol.js';

/** One reading: ready messages in all benchmark queues together, at a time on the run clock. */
export interface DepthSample {
  tMs: number;
  depth: number;
}

/** Above this many queues a reading a second would cost the broker more than it tells: not sampled. */
export const MAX_SAMPLED_QUEUES = 100;
const INTERVAL_MS = 1_000;

/**
 * Reads the benchmark queues' depth (queue.declare passive: ready messages) once a second while
 * the run goes on, on a connection of its own, moving to the next node when its node goes away.
 * Readings never overlap: a slow one makes the next wait. A second with no answer has no sample.
 */
export class DepthSampler {
  private readonly samples: DepthSample[] = [];
  private timer: NodeJS.Timeout | undefined;
  private connection: AmqpConnection | undefined;
  private uriIndex = 0;
  private busy = false;
  private stopped = false;

  constructor(
    private readonly opts: {
      client: AmqpClient;
      uris: string[];
      queues: string[];
      connection: ConnectionSettings;
      clockMs: () => number;
      /** Called with every sample as it is taken (live metrics). */
      onSample?: (sample: DepthSample) => void;
    },
  ) {}

  /** Whether this run's queues are sampled at all. */
  get enabled(): boolean {
    return this.opts.queues.length > 0 && this.opts.queues.length <= MAX_SAMPLED_QUEUES;
  }

  start(): void {
    if (!this.enabled || this.timer) return;
    void this.read();
    this.timer = setInterval(() => void this.read(), INTERVAL_MS);
  }

  async stop(): Promise<DepthSample[]> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.closeConnection();
    return this.samples;
  }

  private async read(): Promise<void> {
    if (this.busy || this.stopped) return;
    this.busy = true;
    const c = this.opts.connection;
    try {
      const conn = await this.connect();
      let total = 0;
      for (const q of this.opts.queues) {
        // A failed passive declare closes its channel: one channel per queue and reading.
        const ch = await conn.openChannel({ confirms: false });
        total += await withTimeout(ch.queueDepth(q), c.connectTimeoutMs, `queue.declare (passive) of ${q}`);
        await ch.close().catch(() => undefined);
      }
      if (!this.stopped) {
        const sample = { tMs: Math.round(this.opts.clockMs()), depth: total };
        this.samples.push(sample);
        this.opts.onSample?.(sample);
      }
    } catch {
      // This node cannot tell now (stopped, paused, cut off): the next reading tries the next node.
      await this.closeConnection();
      this.uriIndex = (this.uriIndex + 1) % this.opts.uris.length;
    } finally {
      this.busy = false;
    }
  }

  private async connect(): Promise<AmqpConnection> {
    if (this.connection) return this.connection;
    const c = this.opts.connection;
    const conn = await this.opts.client.connect(this.opts.uris[this.uriIndex]!, connectOptions(c, 'mqbench-depth-sampler'));
    conn.onUnexpectedClose(() => {
      if (this.connection === conn) this.connection = undefined;
    });
    this.connection = conn;
    return conn;
  }

  private async closeConnection(): Promise<void> {
    const conn = this.connection;
    this.connection = undefined;
    if (conn) await withTimeout(conn.close(), 2_000, 'closing').catch(() => undefined);
  }
}

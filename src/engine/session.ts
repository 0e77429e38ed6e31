import { connectOptions } from './connectOptions.js';
import type { AmqpChannel, AmqpClient, AmqpConnection, BrokerInfo } from '../amqp/client.js';
import { withTimeout } from '../util/timeout.js';
import { backoffDelayMs } from './backoff.js';
import type { AgentEventType, ConnectionSettings } from './protocol.js';

/** One agent on a session's connection: its own channel, set up and handed over after every (re)open. */
export interface ChannelUser {
  /** Names the agent in errors, e.g. "consumer 12". */
  label: string;
  confirms: boolean;
  /** Run on every new channel before it is handed out: re-declare what the agent needs, subscribe. */
  setup: (channel: AmqpChannel) => Promise<void>;
  /** A working channel (after setup): the agent may use it. */
  onUp: (channel: AmqpChannel) => void;
  /** The channel is gone (closed by the server, or its connection was lost): stop using it. */
  onDown: (reason: string) => void;
  onEvent: (type: AgentEventType, node: string, detail: string) => void;
  /** The broker blocked (true) or unblocked (false) the connection. */
  onFlow?: (blocked: boolean) => void;
}

export interface SessionOptions {
  client: AmqpClient;
  /** Nodes to use, the agents' own node first; after a loss the session moves on to the next. */
  uris: string[];
  connectionName: string;
  connection: ConnectionSettings;
  /** The agents sharing this connection, one channel each (usually one agent). */
  users: ChannelUser[];
  random?: () => number;
  /** Called with the node the session is leaving, just before its new connection to another node is used. */
  onLeaveNode?: (node: string) => void;
}

/** Bound on opening a channel and running the agent's setup, in connect timeouts. */
const SETUP_TIMEOUT_FACTOR = 2;
/** After this many failed channel setups on one connection, try the next node. */
const SETUPS_PER_CONNECTION = 2;
/** Bound on closing at the end of a run: a connection to a paused node never answers. */
const CLOSE_TIMEOUT_MS = 2_000;

export function nodeLabel(uri: string): string {
  try {
    return new URL(uri).host;
  } catch {
    return uri;
  }
}

const errText = (err: unknown): string => (err instanceof Error ? err.message : String(err));

interface Slot {
  user: ChannelUser;
  channel: AmqpChannel | undefined;
}

/**
 * One connection and its agents' channels, kept alive for the whole run. The first connection goes
 * to the agents' own node and fails fast (a wrong URI is bad input). After that, a lost
 * connection is re-established with bounded, jittered backoff — to the next node, since the
 * node may be the one that is down — and a channel the server closed is reopened on the same
 * connection; every new channel runs its agent's setup (declare, prefetch, subscribe) before the
 * agent gets it. Recovery never ends by itself: it stops when the run closes the session.
 */
export class AgentSession {
  private connection: AmqpConnection | undefined;
  private readonly slots: Slot[];
  private uriIndex = 0;
  private closed = false;
  /** Set once the first connection worked: only then are losses recovered (a failed start is the run's error). */
  private opened = false;
  private recovering = false;
  /** Ends the backoff wait early when the session closes, so a worker can exit at once. */
  private wake: (() => void) | undefined;

  constructor(private readonly opts: SessionOptions) {
    this.slots = opts.users.map((user) => ({ user, channel: undefined }));
  }

  private get setupTimeoutMs(): number {
    return this.opts.connection.connectTimeoutMs * SETUP_TIMEOUT_FACTOR;
  }

  get node(): string {
    return nodeLabel(this.opts.uris[this.uriIndex] ?? '');
  }

  /**
   * First connection, to the agents' own node, and every agent's channel; rejects when the
   * connection cannot be made (BrokerConnectError) or a setup fails (the error names the agent).
   */
  async open(): Promise<BrokerInfo> {
    const connection = await this.connect(0);
    try {
      const channels = await Promise.all(
        this.slots.map((slot) =>
          this.openChannel(connection, slot).catch((err: unknown) => {
            throw new Error(`${slot.user.label}: ${errText(err)}`);
          }),
        ),
      );
      this.opened = true;
      this.slots.forEach((slot, i) => {
        slot.channel = channels[i];
        slot.user.onUp(channels[i]!);
      });
    } catch (err) {
      this.connection = undefined;
      await connection.close();
      throw err;
    }
    return connection.broker;
  }

  /** Ends the session: no more reconnects; closing is bounded so a dead node cannot hold the run. */
  async close(): Promise<void> {
    this.closed = true;
    this.wake?.();
    const connection = this.connection;
    this.connection = undefined;
    for (const slot of this.slots) slot.channel = undefined;
    if (connection) await withTimeout(connection.close(), CLOSE_TIMEOUT_MS, 'closing the connection').catch(() => undefined);
  }

  private event(slots: Slot[], type: AgentEventType, detail: string): void {
    for (const s of slots) s.user.onEvent(type, this.node, detail);
  }

  private async connect(index: number): Promise<AmqpConnection> {
    const uri = this.opts.uris[index]!;
    const connection = await this.opts.client.connect(uri, connectOptions(this.opts.connection, this.opts.connectionName));
    if (index !== this.uriIndex) this.opts.onLeaveNode?.(this.node);
    this.uriIndex = index;
    this.connection = connection;
    connection.onUnexpectedClose((err) => {
      if (this.connection !== connection) return;
      this.connection = undefined;
      this.lost(this.slots, 'connectionLost', err.message);
    });
    connection.onBlocked((reason) => {
      this.event(this.slots, 'blocked', reason);
      for (const s of this.slots) s.user.onFlow?.(true);
    });
    connection.onUnblocked(() => {
      this.event(this.slots, 'unblocked', '');
      for (const s of this.slots) s.user.onFlow?.(false);
    });
    return connection;
  }

  private async openChannel(connection: AmqpConnection, slot: Slot): Promise<AmqpChannel> {
    const channel = await connection.openChannel({ confirms: slot.user.confirms });
    channel.onClose((serverReason) => {
      if (slot.channel !== channel) return;
      if (serverReason !== undefined) return this.lost([slot], 'channelClosed', serverReason);
      // Closed with its connection: that loss is reported by the connection. Should it not come, recover anyway.
      slot.channel = undefined;
      slot.user.onDown('connection lost');
      setTimeout(() => {
        if (!slot.channel && this.connection === connection) this.lost([slot], 'channelClosed', 'channel closed without a reason');
      }, 1_000).unref();
    });
    await slot.user.setup(channel);
    return channel;
  }

  private lost(slots: Slot[], type: 'connectionLost' | 'channelClosed', reason: string): void {
    if (this.closed || !this.opened) return;
    for (const slot of slots) {
      if (!slot.channel) continue;
      slot.channel = undefined;
      slot.user.onDown(reason);
    }
    this.event(slots, type, reason);
    void this.recover();
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wake = done;
    });
  }

  private missing(): Slot[] {
    return this.slots.filter((s) => !s.channel);
  }

  /** One recovery loop at a time; it ends when every agent has a channel again or the session is closed. */
  private async recover(): Promise<void> {
    if (this.recovering) return;
    this.recovering = true;
    const c = this.opts.connection;
    const backoff = { initialMs: c.reconnectInitialMs, maxMs: c.reconnectMaxMs };
    let attempt = 0;
    let setupFailures = 0;
    let next = (this.uriIndex + 1) % this.opts.uris.length;
    try {
      while (!this.closed && this.missing().length > 0) {
        attempt++;
        await this.sleep(backoffDelayMs(attempt, backoff, this.opts.random));
        if (this.closed) return;
        let connection = this.connection;
        const missing = this.missing();
        try {
          if (!connection) {
            setupFailures = 0;
            const index = next;
            next = (next + 1) % this.opts.uris.length;
            connection = await this.connect(index);
            if (this.closed) return void (await connection.close());
          }
          // A declare can hang while the cluster is split: bounded, so recovery moves on to another node.
          const conn = connection;
          const opened = await Promise.allSettled(
            missing.map((slot) => withTimeout(this.openChannel(conn, slot), this.setupTimeoutMs, 'opening the channel and setting it up')),
          );
          if (this.closed) return;
          if (this.connection !== connection) continue; // lost while setting up
          let failure: unknown;
          opened.forEach((r, i) => {
            const slot = missing[i]!;
            if (r.status === 'rejected') {
              failure ??= r.reason;
              return;
            }
            slot.channel = r.value;
            slot.user.onEvent('recovered', this.node, `after ${attempt} attempt${attempt === 1 ? '' : 's'}`);
            slot.user.onUp(r.value);
          });
          if (failure !== undefined) throw failure;
        } catch (err) {
          if (this.closed) return;
          const timedOut = err instanceof Error && err.message.includes('timed out');
          if (connection && this.connection === connection && (timedOut || ++setupFailures >= SETUPS_PER_CONNECTION)) {
            // A setup that timed out may still finish on its channel: only closing the connection ends it.
            // The queue may be unavailable from this node; another may serve it.
            this.connection = undefined;
            const working = this.slots.filter((slot) => slot.channel);
            for (const slot of working) {
              slot.channel = undefined;
              slot.user.onDown('connection closed to move to another node');
            }
            this.event(working, 'connectionLost', 'closed by mqbench to move to another node: a channel on it could not be set up');
            void connection.close();
          }
          // The first failure and every tenth: enough to follow, not a flood when a node is down for long.
          if (attempt === 1 || attempt % 10 === 0) this.event(this.missing(), 'recoveryFailed', `attempt ${attempt}: ${errText(err)}`);
        }
      }
    } finally {
      this.recovering = false;
    }
  }
}

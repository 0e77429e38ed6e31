/**
 * An in-memory stand-in for the AMQP client interface (src/amqp/client.ts) for unit tests of
 * publishers, consumers and sessions: it can drop a connection, close a channel, cancel a
 * consumer, nack, return, hold confirms or refuse a node — the things a real broker does rarely
 * and at awkward moments. Real-broker behaviour is tested against RabbitMQ in test/integration.
 */
import type {
  AmqpChannel,
  AmqpClient,
  AmqpConnection,
  BrokerInfo,
  ConfirmCallback,
  ConnectOptions,
  DeliveryHandler,
  PublishOptions,
  QueueArguments,
} from '../../src/amqp/client.js';
import { BrokerConnectError } from '../../src/amqp/errors.js';

type ConfirmMode = 'ack' | 'nack' | 'hold';

interface Subscription {
  channel: FakeChannel;
  tag: string;
  onDelivery: DeliveryHandler;
  onCancel: () => void;
}

interface Stored {
  body: Buffer;
  redelivered: boolean;
}

const BROKER: BrokerInfo = { product: 'FakeMQ', version: '0.0.0', platform: 'test', clusterName: 'fake' };

export class FakeBroker {
  readonly queues = new Map<string, Stored[]>();
  private readonly subs = new Map<string, Subscription[]>();
  readonly connections: FakeConnection[] = [];
  /** URIs whose connection attempts fail (a node that is down). */
  readonly down = new Set<string>();
  confirmMode: ConfirmMode = 'ack';
  readonly held: Array<(outcome: 'ack' | 'nack') => void> = [];
  /** Every connect attempt, in order. */
  readonly attempts: string[] = [];
  private nextTag = 1;

  client(): AmqpClient {
    return {
      name: 'fake',
      connect: async (uri: string, _opts: ConnectOptions): Promise<AmqpConnection> => {
        this.attempts.push(uri);
        await Promise.resolve();
        if (this.down.has(uri)) throw new BrokerConnectError(uri, 'ECONNREFUSED');
        const c = new FakeConnection(this, uri);
        this.connections.push(c);
        return c;
      },
    };
  }

  declare(name: string): void {
    if (!this.queues.has(name)) this.queues.set(name, []);
  }

  /** Live connections (not closed). */
  open(): FakeConnection[] {
    return this.connections.filter((c) => !c.closed);
  }

  /** Answers every held confirm. */
  releaseHeld(outcome: 'ack' | 'nack' = 'ack'): void {
    for (const cb of this.held.splice(0)) cb(outcome);
  }

  enqueue(queue: string, body: Buffer, redelivered = false, front = false): void {
    const q = this.queues.get(queue);
    if (!q) return;
    const copy = Buffer.from(body);
    if (front) q.unshift({ body: copy, redelivered });
    else q.push({ body: copy, redelivered });
    this.dispatchSoon(queue);
  }

  subscribe(queue: string, sub: Omit<Subscription, 'tag'>): string {
    const tag = `ctag-${this.nextTag++}`;
    const list = this.subs.get(queue) ?? [];
    list.push({ ...sub, tag });
    this.subs.set(queue, list);
    this.dispatchSoon(queue);
    return tag;
  }

  unsubscribeChannel(channel: FakeChannel): void {
    for (const [q, list] of this.subs) this.subs.set(q, list.filter((s) => s.channel !== channel));
  }

  /** The server cancels every consumer of the queue (as when a queue is deleted). */
  cancelConsumers(queue: string): void {
    const list = this.subs.get(queue) ?? [];
    this.subs.set(queue, []);
    for (const s of list) s.onCancel();
  }

  private dispatchSoon(queue: string): void {
    setImmediate(() => this.dispatch(queue));
  }

  private dispatch(queue: string): void {
    const q = this.queues.get(queue);
    const list = (this.subs.get(queue) ?? []).filter((s) => !s.channel.closed);
    if (!q || list.length === 0) return;
    let i = 0;
    while (q.length > 0) {
      const sub = list[i++ % list.length]!;
      const m = q.shift()!;
      sub.channel.deliver(queue, m, sub.onDelivery);
    }
  }
}

export class FakeConnection implements AmqpConnection {
  readonly broker = BROKER;
  closed = false;
  readonly channels: FakeChannel[] = [];
  private closeHandler: ((err: Error) => void) | undefined;
  private blockedHandler: ((reason: string) => void) | undefined;
  private unblockedHandler: (() => void) | undefined;

  constructor(
    readonly fake: FakeBroker,
    readonly uri: string,
  ) {}

  async openChannel(opts: { confirms: boolean }): Promise<AmqpChannel> {
    await Promise.resolve();
    if (this.closed) throw new Error('connection closed');
    const ch = new FakeChannel(this, opts.confirms);
    this.channels.push(ch);
    return ch;
  }
  onUnexpectedClose(handler: (err: Error) => void): void {
    this.closeHandler = handler;
  }
  onBlocked(handler: (reason: string) => void): void {
    this.blockedHandler = handler;
  }
  onUnblocked(handler: () => void): void {
    this.unblockedHandler = handler;
  }
  async close(): Promise<void> {
    this.shut();
  }

  /** The node went away: channels close (confirms answered "closed"), then the connection reports it. */
  drop(reason = 'connection reset'): void {
    if (this.closed) return;
    this.shut();
    this.closeHandler?.(new Error(reason));
  }

  block(reason: string): void {
    this.blockedHandler?.(reason);
  }
  unblock(): void {
    this.unblockedHandler?.();
  }

  private shut(): void {
    if (this.closed) return;
    this.closed = true;
    for (const ch of this.channels) ch.serverClose(undefined);
  }
}

export class FakeChannel implements AmqpChannel {
  closed = false;
  prefetch = 0;
  readonly acked: number[] = [];
  private nextDelivery = 1;
  private readonly unacked = new Map<number, { queue: string; body: Buffer }>();
  private readonly pending: ConfirmCallback[] = [];
  private returnHandler: ((body: Buffer) => void) | undefined;
  private closeHandler: ((serverReason: string | undefined) => void) | undefined;

  constructor(
    private readonly conn: FakeConnection,
    private readonly confirms: boolean,
  ) {}

  private get fake(): FakeBroker {
    return this.conn.fake;
  }

  async declareQueue(name: string, _opts: { durable: boolean; arguments: QueueArguments }): Promise<void> {
    this.check();
    this.fake.declare(name);
  }
  async queueDepth(name: string): Promise<number> {
    this.check();
    const q = this.fake.queues.get(name);
    if (!q) throw new Error(`NOT_FOUND - no queue '${name}'`);
    return q.length;
  }
  async deleteQueue(name: string): Promise<void> {
    this.fake.queues.delete(name);
  }
  async purgeQueue(name: string): Promise<number> {
    const q = this.fake.queues.get(name) ?? [];
    const n = q.length;
    q.length = 0;
    return n;
  }
  async declareExchange(): Promise<void> {}
  async bindQueue(): Promise<void> {}

  publish(_exchange: string, routingKey: string, body: Buffer, opts: PublishOptions, onConfirm?: ConfirmCallback): boolean {
    if (this.closed) throw new Error('Channel closed');
    const routed = this.fake.queues.has(routingKey);
    if (routed) this.fake.enqueue(routingKey, body);
    else if (opts.mandatory) {
      const copy = Buffer.from(body);
      setImmediate(() => this.returnHandler?.(copy));
    }
    if (this.confirms && onConfirm) {
      this.pending.push(onConfirm);
      const mode = this.fake.confirmMode;
      if (mode === 'hold') this.fake.held.push((o) => this.answer(onConfirm, o));
      else setImmediate(() => this.answer(onConfirm, mode));
    }
    return true;
  }
  async waitForDrain(): Promise<void> {}
  onReturn(handler: (body: Buffer) => void): void {
    this.returnHandler = handler;
  }
  onClose(handler: (serverReason: string | undefined) => void): void {
    this.closeHandler = handler;
  }
  async setPrefetch(count: number): Promise<void> {
    this.prefetch = count;
  }
  async consume(queue: string, _opts: { noAck: boolean }, onDelivery: DeliveryHandler, onCancel: () => void): Promise<string> {
    this.check();
    if (!this.fake.queues.has(queue)) {
      this.serverClose(`NOT_FOUND - no queue '${queue}'`);
      throw new Error(`NOT_FOUND - no queue '${queue}'`);
    }
    return this.fake.subscribe(queue, { channel: this, onDelivery, onCancel });
  }
  async cancel(): Promise<void> {
    this.fake.unsubscribeChannel(this);
  }
  ack(deliveryTag: number, multiple: boolean): void {
    if (this.closed) throw new Error('Channel closed');
    for (const tag of [...this.unacked.keys()]) {
      if (tag === deliveryTag || (multiple && tag <= deliveryTag)) {
        this.unacked.delete(tag);
        this.acked.push(tag);
      }
    }
  }
  async close(): Promise<void> {
    this.closed = true;
    this.requeueUnacked();
    this.fake.unsubscribeChannel(this);
  }

  deliver(queue: string, m: Stored, onDelivery: DeliveryHandler): void {
    const tag = this.nextDelivery++;
    this.unacked.set(tag, { queue, body: m.body });
    onDelivery(m.body, tag, m.redelivered);
  }

  /** The server closes the channel (404, 406...), or (reason undefined) its connection went away. */
  serverClose(reason: string | undefined): void {
    if (this.closed) return;
    this.closed = true;
    for (const cb of this.pending.splice(0)) cb('closed');
    this.requeueUnacked();
    this.fake.unsubscribeChannel(this);
    this.closeHandler?.(reason);
  }

  private answer(cb: ConfirmCallback, outcome: 'ack' | 'nack'): void {
    const i = this.pending.indexOf(cb);
    if (i < 0) return; // already answered "closed"
    this.pending.splice(i, 1);
    cb(outcome);
  }

  private requeueUnacked(): void {
    // Back to the head of the queue in their original order, flagged redelivered, as RabbitMQ does.
    for (const { queue, body } of [...this.unacked.values()].reverse()) this.fake.enqueue(queue, body, true, true);
    this.unacked.clear();
  }

  private check(): void {
    if (this.closed) throw new Error('Channel closed');
  }
}

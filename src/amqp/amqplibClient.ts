import amqplib from 'amqplib';
import type { Channel, ChannelModel, ConfirmChannel, ConsumeMessage } from 'amqplib';
import type {
  AmqpChannel,
  AmqpClient,
  AmqpConnection,
  BrokerInfo,
  ConfirmCallback,
  ConfirmOutcome,
  ConsumeOptions,
  DeliveryHandler,
  PublishOptions,
  QueueArguments,
} from './client.js';
import { BrokerConnectError, describeConnectError, describeConnectFailure } from './errors.js';
import { maskSecretsInText } from '../util/mask.js';

function serverString(v: unknown): string {
  return typeof v === 'string' ? v : v instanceof Buffer ? v.toString() : '';
}

/**
 * amqplib calls a confirm callback with null (basic.ack), with an Error "message nacked"
 * (basic.nack) or with an Error "channel closed" when the channel closes first. Only the
 * second is the broker refusing the message; telling them apart is what keeps a dropped
 * connection from being counted as nacks.
 */
const NACK_MESSAGE = 'message nacked';
export function confirmOutcome(err: unknown): ConfirmOutcome {
  if (err == null) return 'ack';
  return err instanceof Error && err.message === NACK_MESSAGE ? 'nack' : 'closed';
}

/** A stream delivery's x-stream-offset header (a signed 64-bit integer, decoded as a number); undefined for other queues. */
export function streamOffsetOf(msg: Pick<ConsumeMessage, 'properties'>): number | undefined {
  const v: unknown = (msg.properties.headers as Record<string, unknown> | undefined)?.['x-stream-offset'];
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  return undefined;
}

class AmqplibChannel implements AmqpChannel {
  private returnHandler: ((body: Buffer) => void) | undefined;
  private closeHandler: ((serverReason: string | undefined) => void) | undefined;
  private closing = false;
  private lastError: string | undefined;
  private drainWaiters: Array<() => void> = [];

  constructor(
    private readonly ch: Channel | ConfirmChannel,
    private readonly confirms: boolean,
  ) {
    ch.on('return', (msg: ConsumeMessage) => this.returnHandler?.(msg.content));
    // 'error' carries the server's reason (404, 406...); 'close' follows it, or comes alone when the connection went away.
    ch.on('error', (err: Error) => {
      this.lastError = err.message;
    });
    ch.on('drain', () => this.releaseDrainWaiters());
    ch.on('close', () => {
      this.releaseDrainWaiters();
      if (!this.closing) this.closeHandler?.(this.lastError);
    });
  }

  async declareQueue(name: string, opts: { durable: boolean; arguments: QueueArguments }): Promise<void> {
    await this.ch.assertQueue(name, { durable: opts.durable, arguments: opts.arguments });
  }
  async queueDepth(name: string): Promise<number> {
    return (await this.ch.checkQueue(name)).messageCount;
  }
  async deleteQueue(name: string): Promise<void> {
    await this.ch.deleteQueue(name);
  }
  async purgeQueue(name: string): Promise<number> {
    return (await this.ch.purgeQueue(name)).messageCount;
  }
  async declareExchange(name: string, type: string, durable: boolean): Promise<void> {
    await this.ch.assertExchange(name, type, { durable });
  }
  async bindQueue(queue: string, exchange: string, routingKey: string): Promise<void> {
    await this.ch.bindQueue(queue, exchange, routingKey);
  }
  publish(exchange: string, routingKey: string, body: Buffer, opts: PublishOptions, onConfirm?: ConfirmCallback): boolean {
    if (this.confirms && onConfirm) {
      return (this.ch as ConfirmChannel).publish(exchange, routingKey, body, opts, (err: unknown) => onConfirm(confirmOutcome(err)));
    }
    return this.ch.publish(exchange, routingKey, body, opts);
  }
  waitForDrain(): Promise<void> {
    return new Promise((resolve) => this.drainWaiters.push(resolve));
  }
  onReturn(handler: (body: Buffer) => void): void {
    this.returnHandler = handler;
  }
  onClose(handler: (serverReason: string | undefined) => void): void {
    this.closeHandler = handler;
  }
  async setPrefetch(count: number): Promise<void> {
    await this.ch.prefetch(count, false);
  }
  async consume(queue: string, opts: ConsumeOptions, onDelivery: DeliveryHandler, onCancel: () => void): Promise<string> {
    const reply = await this.ch.consume(
      queue,
      (msg: ConsumeMessage | null) => {
        // amqplib passes null when the server cancels the consumer (basic.cancel).
        if (msg) onDelivery(msg.content, msg.fields.deliveryTag, msg.fields.redelivered, streamOffsetOf(msg));
        else onCancel();
      },
      { noAck: opts.noAck, ...(opts.arguments ? { arguments: opts.arguments } : {}) },
    );
    return reply.consumerTag;
  }
  async cancel(consumerTag: string): Promise<void> {
    await this.ch.cancel(consumerTag);
  }
  ack(deliveryTag: number, multiple: boolean): void {
    this.ch.ack({ fields: { deliveryTag } } as ConsumeMessage, multiple);
  }
  async close(): Promise<void> {
    this.closing = true;
    await this.ch.close();
  }

  private releaseDrainWaiters(): void {
    const waiters = this.drainWaiters;
    this.drainWaiters = [];
    for (const w of waiters) w();
  }
}

class AmqplibConnection implements AmqpConnection {
  private closing = false;
  private closeHandler: ((err: Error) => void) | undefined;
  private blockedHandler: ((reason: string) => void) | undefined;
  private unblockedHandler: (() => void) | undefined;
  readonly broker: BrokerInfo;

  constructor(
    private readonly model: ChannelModel,
    uri: string,
  ) {
    const props = model.connection.serverProperties as unknown as Record<string, unknown>;
    this.broker = {
      product: serverString(props.product),
      version: serverString(props.version),
      platform: serverString(props.platform),
      clusterName: serverString(props.cluster_name),
    };
    model.on('error', () => undefined); // 'close' follows with the same error
    model.on('close', (err?: Error) => {
      if (this.closing) return;
      this.closeHandler?.(new Error(`connection to ${uri} closed: ${err ? describeConnectError(err) : 'closed by the broker'}`));
    });
    model.on('blocked', (reason: unknown) => this.blockedHandler?.(String(reason)));
    model.on('unblocked', () => this.unblockedHandler?.());
  }

  async openChannel(opts: { confirms: boolean }): Promise<AmqpChannel> {
    const ch = opts.confirms ? await this.model.createConfirmChannel() : await this.model.createChannel();
    return new AmqplibChannel(ch, opts.confirms);
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
    if (this.closing) return;
    this.closing = true;
    try {
      await this.model.close();
    } catch {
      // already closed (node gone): nothing left to release
    }
  }
}

/** The URI with `heartbeat` set, unless the user set it in the URI already. */
export function withHeartbeat(uri: string, heartbeatS: number | undefined): string {
  if (heartbeatS === undefined) return uri;
  try {
    const u = new URL(uri);
    if (u.searchParams.has('heartbeat')) return uri;
    u.searchParams.set('heartbeat', String(heartbeatS));
    return u.toString();
  } catch {
    return uri; // amqplib reports the malformed URI itself
  }
}

export const amqplibClient: AmqpClient = {
  name: 'amqplib',
  async connect(uri, { connectionName, timeoutMs, heartbeatS, tls }) {
    let model: ChannelModel;
    try {
      // `timeout` bounds the TCP connect and, since amqplib clears it only once the connection is open, the handshake too.
      // For amqps:// amqplib hands the socket options to tls.connect (ca, cert, key, servername...).
      const socketOptions = { ...(tls && uri.startsWith('amqps:') ? tls : {}), timeout: timeoutMs, clientProperties: { connection_name: connectionName } };
      model = await amqplib.connect(withHeartbeat(uri, heartbeatS), socketOptions);
    } catch (err) {
      throw new BrokerConnectError(uri, describeConnectFailure(err, uri));
    }
    return new AmqplibConnection(model, maskSecretsInText(uri));
  },
};

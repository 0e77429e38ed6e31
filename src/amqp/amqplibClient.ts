import amqplib from 'amqplib';
import type { Channel, ChannelModel, ConfirmChannel, ConsumeMessage } from 'amqplib';
import type { AmqpChannel, AmqpClient, AmqpConnection, BrokerInfo, ConfirmCallback, DeliveryHandler, PublishOptions, QueueArguments } from './client.js';
import { BrokerConnectError, describeConnectError } from './errors.js';
import { maskSecretsInText } from '../util/mask.js';

function serverString(v: unknown): string {
  return typeof v === 'string' ? v : v instanceof Buffer ? v.toString() : '';
}

class AmqplibChannel implements AmqpChannel {
  private returnHandler: (() => void) | undefined;
  constructor(
    private readonly ch: Channel | ConfirmChannel,
    private readonly confirms: boolean,
  ) {
    ch.on('return', () => this.returnHandler?.());
    // Channel errors also close the connection's view of the channel; the connection reports them.
    ch.on('error', () => undefined);
  }

  async declareQueue(name: string, opts: { durable: boolean; arguments: QueueArguments }): Promise<void> {
    await this.ch.assertQueue(name, { durable: opts.durable, arguments: opts.arguments });
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
    // opts and onConfirm go straight through: no per-message allocation on the hot path.
    if (this.confirms && onConfirm) return (this.ch as ConfirmChannel).publish(exchange, routingKey, body, opts, onConfirm);
    return this.ch.publish(exchange, routingKey, body, opts);
  }
  waitForDrain(): Promise<void> {
    return new Promise((resolve) => this.ch.once('drain', () => resolve()));
  }
  onReturn(handler: () => void): void {
    this.returnHandler = handler;
  }
  async setPrefetch(count: number): Promise<void> {
    await this.ch.prefetch(count, false);
  }
  async consume(queue: string, opts: { noAck: boolean }, onDelivery: DeliveryHandler): Promise<string> {
    const reply = await this.ch.consume(
      queue,
      (msg: ConsumeMessage | null) => {
        if (msg) onDelivery(msg.content, msg.fields.deliveryTag, msg.fields.redelivered);
      },
      { noAck: opts.noAck },
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
    await this.ch.close();
  }
}

class AmqplibConnection implements AmqpConnection {
  private closing = false;
  private closeHandler: ((err: Error) => void) | undefined;
  readonly broker: BrokerInfo;

  constructor(private readonly model: ChannelModel, uri: string) {
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
  }

  async openChannel(opts: { confirms: boolean }): Promise<AmqpChannel> {
    const ch = opts.confirms ? await this.model.createConfirmChannel() : await this.model.createChannel();
    return new AmqplibChannel(ch, opts.confirms);
  }
  onUnexpectedClose(handler: (err: Error) => void): void {
    this.closeHandler = handler;
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

export const amqplibClient: AmqpClient = {
  name: 'amqplib',
  async connect(uri, { connectionName, timeoutMs }) {
    let model: ChannelModel;
    try {
      model = await amqplib.connect(uri, { timeout: timeoutMs, clientProperties: { connection_name: connectionName } });
    } catch (err) {
      throw new BrokerConnectError(uri, describeConnectError(err));
    }
    return new AmqplibConnection(model, maskSecretsInText(uri));
  },
};

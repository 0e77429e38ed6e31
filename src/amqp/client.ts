/**
 * The AMQP operations mqbench needs, independent of any client library, so a second
 * client (e.g. @cloudamqp/amqp-client) can be added without touching the engine.
 */
export type QueueArguments = Record<string, string | number | boolean>;

export interface BrokerInfo {
  product: string;
  version: string;
  platform: string;
  clusterName: string;
}

/** Called for every delivery; plain arguments rather than an object, as it runs once per message. */
export type DeliveryHandler = (body: Buffer, deliveryTag: number, redelivered: boolean) => void;

export interface PublishOptions {
  persistent: boolean;
  mandatory: boolean;
}

/** Called once per confirmed message: `nack` is null/undefined for basic.ack, an error for basic.nack. */
export type ConfirmCallback = (nack: unknown) => void;

export interface AmqpChannel {
  declareQueue(name: string, opts: { durable: boolean; arguments: QueueArguments }): Promise<void>;
  deleteQueue(name: string): Promise<void>;
  purgeQueue(name: string): Promise<number>;
  declareExchange(name: string, type: string, durable: boolean): Promise<void>;
  bindQueue(queue: string, exchange: string, routingKey: string): Promise<void>;
  /**
   * Publishes one message. `onConfirm` is required on a confirm channel and ignored otherwise.
   * Returns false when the client's write buffer is full: wait for `waitForDrain()` before more.
   */
  publish(exchange: string, routingKey: string, body: Buffer, opts: PublishOptions, onConfirm?: ConfirmCallback): boolean;
  waitForDrain(): Promise<void>;
  onReturn(handler: () => void): void;
  setPrefetch(count: number): Promise<void>;
  consume(queue: string, opts: { noAck: boolean }, onDelivery: DeliveryHandler): Promise<string>;
  cancel(consumerTag: string): Promise<void>;
  ack(deliveryTag: number, multiple: boolean): void;
  close(): Promise<void>;
}

export interface AmqpConnection {
  readonly broker: BrokerInfo;
  openChannel(opts: { confirms: boolean }): Promise<AmqpChannel>;
  /** Called once if the connection closes without close() being called (node died, forced close). */
  onUnexpectedClose(handler: (err: Error) => void): void;
  close(): Promise<void>;
}

export interface AmqpClient {
  readonly name: string;
  /** Connects with a bounded wait; errors name the (masked) URI and the cause. */
  connect(uri: string, opts: { connectionName: string; timeoutMs: number }): Promise<AmqpConnection>;
}

/**
 * The AMQP operations mqbench needs, independent of any client library, so a second
 * client (e.g. @cloudamqp/amqp-client) can be added without touching the engine, and the
 * engine can be tested against a fake that provokes connection loss, nacks and cancels.
 */
import type { TlsSettings } from './tls.js';

export type QueueArguments = Record<string, string | number | boolean>;
/** AMQP message headers mqbench sends: plain values only. */
export type MessageHeaders = Record<string, string | number | boolean>;

export interface BrokerInfo {
  product: string;
  version: string;
  platform: string;
  clusterName: string;
}

/**
 * Called for every delivery; plain arguments rather than an object, as it runs once per message.
 * `streamOffset` is the delivery's x-stream-offset header (stream queues only): where it sits in the log.
 */
export type DeliveryHandler = (body: Buffer, deliveryTag: number, redelivered: boolean, streamOffset?: number) => void;

/** basic.consume options; `arguments` are consumer arguments, e.g. x-stream-offset for a stream. */
export interface ConsumeOptions {
  noAck: boolean;
  arguments?: QueueArguments;
}

export interface PublishOptions {
  persistent: boolean;
  mandatory: boolean;
  headers?: MessageHeaders;
  /** 0-255; only priority queues (x-max-priority) honour it. */
  priority?: number;
  /** Per-message TTL in ms, as AMQP wants it: a decimal string. */
  expiration?: string;
}

/**
 * How a published message ended on a confirm channel:
 * - `ack`: the broker took responsibility for it (basic.ack);
 * - `nack`: the broker refused it (basic.nack);
 * - `closed`: the channel or connection closed before either arrived — the broker's answer is unknown.
 */
export type ConfirmOutcome = 'ack' | 'nack' | 'closed';
export type ConfirmCallback = (outcome: ConfirmOutcome) => void;

export interface AmqpChannel {
  declareQueue(name: string, opts: { durable: boolean; arguments: QueueArguments }): Promise<void>;
  /** Ready messages in an existing queue (queue.declare passive); rejects when it does not exist or is unavailable. */
  queueDepth(name: string): Promise<number>;
  deleteQueue(name: string): Promise<void>;
  purgeQueue(name: string): Promise<number>;
  declareExchange(name: string, type: string, durable: boolean): Promise<void>;
  bindQueue(queue: string, exchange: string, routingKey: string): Promise<void>;
  /**
   * Publishes one message. `onConfirm` is required on a confirm channel and ignored otherwise;
   * it is called exactly once. Returns false when the client's write buffer is full: wait for
   * `waitForDrain()` before more.
   */
  publish(exchange: string, routingKey: string, body: Buffer, opts: PublishOptions, onConfirm?: ConfirmCallback): boolean;
  /** Resolves when the write buffer has room again, or when the channel closes. */
  waitForDrain(): Promise<void>;
  /** A mandatory message the broker could not route came back (basic.return). */
  onReturn(handler: (body: Buffer) => void): void;
  /**
   * Called once when the channel closes without close() being called: with the server's reason
   * when the server closed it (e.g. 404 NOT_FOUND, PRECONDITION_FAILED), with undefined when it
   * closed because its connection went away (the connection reports that itself).
   */
  onClose(handler: (serverReason: string | undefined) => void): void;
  setPrefetch(count: number): Promise<void>;
  /** `onCancel` is called when the server cancels the consumer (queue deleted, leader moved away). */
  consume(queue: string, opts: ConsumeOptions, onDelivery: DeliveryHandler, onCancel: () => void): Promise<string>;
  cancel(consumerTag: string): Promise<void>;
  ack(deliveryTag: number, multiple: boolean): void;
  close(): Promise<void>;
}

export interface AmqpConnection {
  readonly broker: BrokerInfo;
  openChannel(opts: { confirms: boolean }): Promise<AmqpChannel>;
  /** Called once if the connection closes without close() being called (node died, forced close, heartbeat timeout). */
  onUnexpectedClose(handler: (err: Error) => void): void;
  /** The broker stopped (reason, e.g. a memory or disk alarm) or resumed reading from this connection. */
  onBlocked(handler: (reason: string) => void): void;
  onUnblocked(handler: () => void): void;
  close(): Promise<void>;
}

export interface ConnectOptions {
  connectionName: string;
  /** Bound on one attempt: TCP connect and AMQP handshake. */
  timeoutMs: number;
  /** AMQP heartbeat in seconds; 0 disables heartbeats. */
  heartbeatS?: number;
  /** TLS options for amqps:// URIs (ignored for amqp://). */
  tls?: TlsSettings;
}

export interface AmqpClient {
  readonly name: string;
  /** Connects with a bounded wait; errors name the (masked) URI and the cause. */
  connect(uri: string, opts: ConnectOptions): Promise<AmqpConnection>;
}

import type { AmqpChannel } from '../amqp/client.js';
import type { Counters } from '../metrics/counters.js';
import { recordLatency, type LatencySet } from '../metrics/latencySet.js';
import { SequenceTracker } from '../metrics/sequenceTracker.js';
import type { ActivityRecorder } from './activity.js';
import { withTimeout } from '../util/timeout.js';
import { backoffDelayMs } from './backoff.js';
import { nowUs } from './clock.js';
import { FLAG_REPUBLISHED, headerField } from './messageHeader.js';
import { agentSeed, mulberry32 } from './prng.js';
import type { AgentEventType, ConnectionSettings, ConsumerFinal, ConsumerSettings, ConsumerSpec } from './protocol.js';

export interface ConsumerContext {
  counters: Counters;
  latencies: LatencySet;
  deliveryActivity: ActivityRecorder;
  recordCorrected: boolean;
  runId: number;
  connection: ConnectionSettings;
  emit: (type: AgentEventType, detail: string) => void;
  now?: () => number;
}

/**
 * One consumer. Its session calls `setup` on every new channel (re-declare the queue with the
 * run's arguments, prefetch, subscribe) and `attach`/`detach` as channels come and go; the
 * record of what it received survives reconnects, so a redelivery after a lost connection is
 * seen as what it is. A consumer the server cancels (queue deleted, leader moved) subscribes again.
 */
export class Consumer {
  private channel: AmqpChannel | undefined;
  private consumerTag: string | undefined;
  private unacked = 0;
  private lastTag = 0;
  private stopped = false;
  private resubscribeAttempt = 0;
  private readonly tracker: SequenceTracker;
  private readonly now: () => number;
  /** A rate-limited consumer's deliveries not processed yet, and when the next one may be. */
  private readonly pending: Array<{ channel: AmqpChannel; body: Buffer; deliveryTag: number; redelivered: boolean; streamOffset: number | undefined }> = [];
  /** Stream queues: the log offset of the last delivery processed; a new subscription starts after it. */
  private lastStreamOffset: number | undefined;
  private nextProcessUs = 0;
  private processTimer: NodeJS.Timeout | undefined;
  /** consumers.processingDelay: draws one delivery's processing time in µs; undefined = no delay. */
  private readonly drawDelayUs: (() => number) | undefined;
  /** When the delivery at the head of `pending` is done processing. */
  private processingEndUs = 0;

  constructor(
    private readonly spec: ConsumerSpec,
    private readonly settings: ConsumerSettings,
    private readonly ctx: ConsumerContext,
  ) {
    this.tracker = new SequenceTracker(ctx.counters);
    this.now = ctx.now ?? nowUs;
    const delay = settings.processingDelayMs;
    if (delay) {
      const random = mulberry32(agentSeed(ctx.runId, spec.id, 0xde1a7));
      this.drawDelayUs = () => (delay.min + random() * (delay.max - delay.min)) * 1000;
    }
  }

  get id(): number {
    return this.spec.id;
  }

  /** Runs on each new channel before it is used. Consumption starts at once so nothing piles up before the barrier. */
  readonly setup = async (channel: AmqpChannel): Promise<void> => {
    // Deliveries can arrive in the same read as consume-ok, before setup returns: they must be acked on this channel.
    this.channel = channel;
    this.unacked = 0;
    await channel.declareQueue(this.spec.queue, { durable: this.settings.queueDurable, arguments: this.settings.queueArguments });
    if (this.settings.prefetch > 0) await channel.setPrefetch(this.settings.prefetch);
    await this.subscribe(channel);
  };

  attach(channel: AmqpChannel): void {
    this.channel = channel;
  }

  /** Unacked deliveries of a lost channel go back to the queue; their tags mean nothing on the next channel. */
  detach(): void {
    this.channel = undefined;
    this.consumerTag = undefined;
    this.unacked = 0;
    this.dropPending();
  }

  /** Acknowledges what a "multiple" consumer still holds; called once a second and at the end. */
  flushAcks(): void {
    if (this.unacked > 0 && this.channel) {
      try {
        this.channel.ack(this.lastTag, true);
      } catch {
        // channel closed under us: the broker requeues them
      }
    }
    this.unacked = 0;
  }

  /** What this consumer received so far (the coordinator checks the drain with it). */
  snapshot(): ConsumerFinal {
    return this.tracker.final(this.spec.id);
  }

  /**
   * Stops consuming. From here on a delivery needing an ack is neither recorded nor acked, so the
   * broker keeps it (requeued when the channel closes) and the end-of-run depth check can find it;
   * one taken with auto-ack is already gone from the queue and is recorded. The record is taken
   * after the cancel, which is bounded: a node that does not answer cannot hold the final report.
   */
  async stop(): Promise<ConsumerFinal> {
    this.stopped = true;
    // Still being processed but already counted on arrival: acked, so the queue does not keep messages the account calls consumed.
    if (this.drawDelayUs) for (const d of this.pending) if (d.channel === this.channel) this.ack(d.channel, d.deliveryTag);
    // Rate-limited: not processed, not acked: the broker requeues them when the channel closes.
    this.dropPending();
    this.flushAcks();
    const channel = this.channel;
    if (channel && this.consumerTag) {
      await withTimeout(channel.cancel(this.consumerTag), 1_000, 'basic.cancel').catch(() => undefined);
    }
    return this.tracker.final(this.spec.id);
  }

  /** Where a stream subscription starts: after the last offset processed, so a reconnect neither re-reads nor skips. */
  streamOffsetArgument(): 'first' | 'next' | number | undefined {
    if (this.settings.streamStart === undefined) return undefined;
    return this.lastStreamOffset === undefined ? this.settings.streamStart : this.lastStreamOffset + 1;
  }

  private async subscribe(channel: AmqpChannel): Promise<void> {
    const onDelivery = (body: Buffer, deliveryTag: number, redelivered: boolean, streamOffset?: number): void =>
      this.onDelivery(channel, body, deliveryTag, redelivered, streamOffset);
    const offset = this.streamOffsetArgument();
    const opts = { noAck: this.settings.ack === 'auto', ...(offset === undefined ? {} : { arguments: { 'x-stream-offset': offset } }) };
    this.consumerTag = await channel.consume(this.spec.queue, opts, onDelivery, () => this.onCancel(channel));
    this.resubscribeAttempt = 0;
  }

  private onCancel(channel: AmqpChannel): void {
    if (this.stopped || this.channel !== channel) return;
    this.consumerTag = undefined;
    this.unacked = 0;
    this.ctx.emit('consumerCancelled', `the server cancelled the consumer on ${this.spec.queue}`);
    void this.resubscribe(channel);
  }

  /** Subscribes again on the same channel, with backoff; if the channel dies meanwhile the session takes over. */
  private async resubscribe(channel: AmqpChannel): Promise<void> {
    const c = this.ctx.connection;
    while (!this.stopped && this.channel === channel && this.consumerTag === undefined) {
      await new Promise((r) => setTimeout(r, backoffDelayMs(++this.resubscribeAttempt, { initialMs: c.reconnectInitialMs, maxMs: c.reconnectMaxMs })));
      if (this.stopped || this.channel !== channel) return;
      try {
        await channel.declareQueue(this.spec.queue, { durable: this.settings.queueDurable, arguments: this.settings.queueArguments });
        await this.subscribe(channel);
        this.ctx.emit('subscribed', `subscribed again to ${this.spec.queue}`);
      } catch {
        // A failed declare or consume closes the channel: the session reopens it and runs setup.
        return;
      }
    }
  }

  /**
   * A delivery is acked on the channel it came on. One that needs an ack and comes on a channel
   * that is not the consumer's any more (a setup that timed out, then finished) is neither
   * recorded nor acked: the broker requeues it when that channel closes.
   */
  private onDelivery(channel: AmqpChannel, body: Buffer, deliveryTag: number, redelivered: boolean, streamOffset: number | undefined): void {
    if ((this.stopped || channel !== this.channel) && this.settings.ack !== 'auto') return;
    if (this.drawDelayUs) {
      this.record(body, redelivered, streamOffset);
      this.pending.push({ channel, body, deliveryTag, redelivered, streamOffset });
      if (this.pending.length === 1 && !this.processTimer) this.startProcessing(this.now());
      return;
    }
    if (this.settings.rateMsgsPerS > 0) {
      this.pending.push({ channel, body, deliveryTag, redelivered, streamOffset });
      if (!this.processTimer) this.processPending();
      return;
    }
    this.process(channel, body, deliveryTag, redelivered, streamOffset);
  }

  /** consumers.rate: one delivery every 1/rate at most; a consumer that was idle earns no credit for later. */
  private readonly processPending = (): void => {
    this.processTimer = undefined;
    const intervalUs = 1e6 / this.settings.rateMsgsPerS;
    while (this.pending.length > 0) {
      const now = this.now();
      if (now < this.nextProcessUs) {
        this.processTimer = setTimeout(this.processPending, (this.nextProcessUs - now) / 1000);
        return;
      }
      this.nextProcessUs = Math.max(this.nextProcessUs, now - intervalUs) + intervalUs;
      const d = this.pending.shift()!;
      if ((this.stopped || d.channel !== this.channel) && this.settings.ack !== 'auto') continue;
      this.process(d.channel, d.body, d.deliveryTag, d.redelivered, d.streamOffset);
    }
  };

  /** consumers.processingDelay: the head of `pending` is processed from `startUs` on, one delivery at a time. */
  private startProcessing(startUs: number): void {
    this.processingEndUs = startUs + this.drawDelayUs!();
    this.processTimer = setTimeout(this.finishProcessing, Math.max(0, (this.processingEndUs - this.now()) / 1000));
  }

  /** Acks every delivery whose processing time has passed; the next starts when the previous ended, so timer lateness does not add up. */
  private readonly finishProcessing = (): void => {
    this.processTimer = undefined;
    for (;;) {
      const d = this.pending.shift();
      if (!d) return;
      if (!this.stopped && d.channel === this.channel) this.ack(d.channel, d.deliveryTag);
      if (this.pending.length === 0) return;
      const endUs = this.processingEndUs;
      this.startProcessing(endUs);
      if (this.processingEndUs > this.now()) return;
      clearTimeout(this.processTimer);
      this.processTimer = undefined;
    }
  };

  private dropPending(): void {
    this.pending.length = 0;
    if (this.processTimer) clearTimeout(this.processTimer);
    this.processTimer = undefined;
  }

  private process(channel: AmqpChannel, body: Buffer, deliveryTag: number, redelivered: boolean, streamOffset: number | undefined): void {
    this.record(body, redelivered, streamOffset);
    this.ack(channel, deliveryTag);
  }

  /** Counts and times one delivery (and, on a stream, remembers its offset to resume after it). */
  private record(body: Buffer, redelivered: boolean, streamOffset: number | undefined): void {
    const receivedUs = this.now();
    // A re-read entry (offset at or below this) would be a real second delivery, and is counted as a duplicate.
    if (streamOffset !== undefined && this.settings.streamStart !== undefined) this.lastStreamOffset = Math.max(streamOffset, this.lastStreamOffset ?? -1);
    const counters = this.ctx.counters;
    if (!headerField.isOurs(body, this.ctx.runId)) {
      counters.foreign++;
    } else {
      counters.consumed++;
      if (redelivered) counters.redelivered++;
      this.ctx.deliveryActivity.record(receivedUs);
      const republished = (headerField.flags(body) & FLAG_REPUBLISHED) !== 0;
      if (this.tracker.record(headerField.publisherId(body), headerField.sequence(body), redelivered, republished)) {
        recordLatency(this.ctx.latencies, 'e2eRaw', receivedUs - headerField.sentAtUs(body));
        if (this.ctx.recordCorrected) recordLatency(this.ctx.latencies, 'e2eCorrected', receivedUs - headerField.intendedAtUs(body));
      }
    }
  }

  private ack(channel: AmqpChannel, deliveryTag: number): void {
    switch (this.settings.ack) {
      case 'auto':
        return;
      case 'manual':
        try {
          channel.ack(deliveryTag, false);
        } catch {
          // the channel closed under us: the broker requeues the message
        }
        return;
      case 'multiple':
        this.lastTag = deliveryTag;
        if (++this.unacked >= this.settings.ackEvery) this.flushAcks();
        return;
    }
  }
}

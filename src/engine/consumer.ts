import type { AmqpChannel, AmqpConnection } from '../amqp/client.js';
import type { Counters } from '../metrics/counters.js';
import { recordLatency, type LatencySet } from '../metrics/latencySet.js';
import { SequenceTracker } from '../metrics/sequenceTracker.js';
import { nowUs } from './clock.js';
import { headerField } from './messageHeader.js';
import type { ConsumerFinal, ConsumerSettings, ConsumerSpec } from './protocol.js';

/** One consumer: its own connection and channel; records end-to-end latency and sequence numbers. */
export class Consumer {
  private consumerTag: string | undefined;
  private unacked = 0;
  private lastTag = 0;
  private readonly tracker: SequenceTracker;

  constructor(
    private readonly spec: ConsumerSpec,
    private readonly settings: ConsumerSettings,
    private readonly channel: AmqpChannel,
    readonly connection: AmqpConnection,
    private readonly counters: Counters,
    private readonly latencies: LatencySet,
    private readonly recordCorrected: boolean,
  ) {
    this.tracker = new SequenceTracker(counters);
  }

  /** Consumption starts at connect time so nothing piles up; latencies before the barrier are warm-up. */
  async start(): Promise<void> {
    if (this.settings.prefetch > 0) await this.channel.setPrefetch(this.settings.prefetch);
    this.consumerTag = await this.channel.consume(this.spec.queue, { noAck: this.settings.ack === 'auto' }, this.onDelivery);
  }

  /** Acknowledges what a "multiple" consumer still holds; called once a second and at the end. */
  flushAcks(): void {
    if (this.unacked > 0) {
      this.channel.ack(this.lastTag, true);
      this.unacked = 0;
    }
  }

  async stop(): Promise<ConsumerFinal> {
    if (this.consumerTag) {
      try {
        await this.channel.cancel(this.consumerTag);
      } catch {
        // channel already gone: nothing to cancel
      }
    }
    try {
      this.flushAcks();
    } catch {
      // channel already gone
    }
    return this.tracker.final(this.spec.id);
  }

  private readonly onDelivery = (body: Buffer, deliveryTag: number, redelivered: boolean): void => {
    const receivedUs = nowUs();
    this.counters.consumed++;
    if (redelivered) this.counters.redelivered++;
    if (headerField.isMqbench(body)) {
      recordLatency(this.latencies, 'e2eRaw', receivedUs - headerField.sentAtUs(body));
      if (this.recordCorrected) recordLatency(this.latencies, 'e2eCorrected', receivedUs - headerField.intendedAtUs(body));
      this.tracker.record(headerField.publisherId(body), headerField.sequence(body));
    }
    switch (this.settings.ack) {
      case 'auto':
        return;
      case 'manual':
        this.channel.ack(deliveryTag, false);
        return;
      case 'multiple':
        this.lastTag = deliveryTag;
        if (++this.unacked >= this.settings.ackEvery) this.flushAcks();
        return;
    }
  };
}

import type { AmqpChannel, AmqpConnection, PublishOptions } from '../amqp/client.js';
import type { Counters } from '../metrics/counters.js';
import { recordLatency, type LatencySet } from '../metrics/latencySet.js';
import { RangeSet } from '../metrics/rangeSet.js';
import { nowUs } from './clock.js';
import { writeHeader } from './messageHeader.js';
import type { PublisherFinal, PublisherSettings, PublisherSpec } from './protocol.js';
import { RateSchedule } from './rateSchedule.js';

/** Messages sent in one synchronous burst before yielding to the event loop (ticks, confirms). */
const MAX_BURST = 500;

/**
 * One publisher: its own connection and channel, one reused payload buffer, a rate schedule and
 * a window of unconfirmed messages. It never blocks the thread: it sends what is allowed now and
 * is woken by a timer, a confirm or a drained write buffer.
 */
export class Publisher {
  private sequence = 0;
  private inFlight = 0;
  private readonly confirmed = new RangeSet();
  private nacked = 0;
  private running = false;
  private waiting: 'none' | 'timer' | 'window' | 'drain' | 'immediate' = 'none';
  private timer: NodeJS.Timeout | undefined;
  private schedule: RateSchedule | undefined;
  private readonly body: Buffer;
  private settleWaiter: (() => void) | undefined;
  private doneCallback: (() => void) | undefined;
  private connectionDead = false;
  private readonly publishOptions: PublishOptions;

  constructor(
    private readonly spec: PublisherSpec,
    private readonly settings: PublisherSettings,
    private readonly channel: AmqpChannel,
    readonly connection: AmqpConnection,
    private readonly counters: Counters,
    private readonly latencies: LatencySet,
    private readonly recordCorrected: boolean,
  ) {
    this.body = Buffer.alloc(settings.messageSizeBytes);
    this.publishOptions = { persistent: settings.persistent, mandatory: true };
    channel.onReturn(() => {
      counters.returned++;
    });
  }

  /** Starts sending; `onLimitReached` is called when a message limit is set and reached. */
  start(startAtUs: number, onLimitReached: () => void): void {
    this.schedule = new RateSchedule(this.settings.rateMsgsPerS, startAtUs);
    this.running = true;
    this.doneCallback = onLimitReached;
    this.pump();
  }

  /** The connection is gone: outstanding confirms will never come, so stop() must not wait for them. */
  connectionLost(): void {
    this.running = false;
    this.connectionDead = true;
    if (this.timer) clearTimeout(this.timer);
    this.settleWaiter?.();
  }

  /** Stops sending and waits (bounded) for outstanding confirms. */
  async stop(): Promise<PublisherFinal> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    if (this.settings.confirms && this.inFlight > 0 && !this.connectionDead) {
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, this.settings.confirmWaitMs);
        this.settleWaiter = () => {
          clearTimeout(t);
          resolve();
        };
      });
    }
    return {
      publisherId: this.spec.id,
      published: this.sequence,
      confirmed: this.confirmed.toRanges(),
      nacked: this.nacked,
      unconfirmed: this.settings.confirms ? this.inFlight : 0,
    };
  }

  private readonly pump = (): void => {
    this.waiting = 'none';
    const schedule = this.schedule!;
    const limit = this.settings.messageLimit ?? Number.POSITIVE_INFINITY;
    let burst = 0;
    while (this.running) {
      if (this.sequence >= limit) {
        this.running = false;
        this.doneCallback?.();
        return;
      }
      if (this.settings.confirms && this.inFlight >= this.settings.maxInFlight) {
        this.waiting = 'window';
        return;
      }
      let intended: number;
      const now = nowUs();
      if (schedule.limited) {
        intended = schedule.intendedUs(this.sequence);
        if (intended > now) {
          this.waiting = 'timer';
          this.timer = setTimeout(this.pump, Math.max(0, (intended - now) / 1000));
          return;
        }
      } else {
        intended = now;
      }
      const writable = this.send(intended, now);
      if (!writable) {
        this.waiting = 'drain';
        void this.channel.waitForDrain().then(this.pump);
        return;
      }
      if (++burst >= MAX_BURST) {
        this.waiting = 'immediate';
        setImmediate(this.pump);
        return;
      }
    }
  };

  private send(intendedUs: number, sentUs: number): boolean {
    const sequence = this.sequence++;
    writeHeader(this.body, { publisherId: this.spec.id, sequence, sentAtUs: sentUs, intendedAtUs: intendedUs });
    this.counters.published++;
    const opts = this.publishOptions;
    if (!this.settings.confirms) {
      return this.channel.publish(this.spec.exchange, this.spec.routingKey, this.body, opts);
    }
    this.inFlight++;
    return this.channel.publish(this.spec.exchange, this.spec.routingKey, this.body, opts, (nack) => {
      const confirmedUs = nowUs();
      this.inFlight--;
      if (nack == null) {
        this.counters.confirmed++;
        this.confirmed.add(sequence);
        recordLatency(this.latencies, 'confirmRaw', confirmedUs - sentUs);
        if (this.recordCorrected) recordLatency(this.latencies, 'confirmCorrected', confirmedUs - intendedUs);
      } else {
        this.counters.nacked++;
        this.nacked++;
      }
      if (this.waiting === 'window') this.pump();
      if (!this.running && this.inFlight === 0) this.settleWaiter?.();
    });
  }
}

import type { AmqpChannel, ConfirmOutcome, PublishOptions } from '../amqp/client.js';
import type { Counters } from '../metrics/counters.js';
import { recordLatency, type LatencySet } from '../metrics/latencySet.js';
import { RangeSet } from '../metrics/rangeSet.js';
import type { ActivityRecorder } from './activity.js';
import { nowUs } from './clock.js';
import { FLAG_REPUBLISHED, headerField, writeHeader } from './messageHeader.js';
import type { AgentEventType, PublisherFinal, PublisherSettings, PublisherSpec } from './protocol.js';
import { publisherPhase, RateSchedule } from './rateSchedule.js';
import { MessageSizes } from './messageSizes.js';
import { agentSeed } from './prng.js';

/** Salt of the size generator's seed, so sizes do not follow the Poisson arrivals of the same publisher. */
const SIZE_SEED_SALT = 0x5a5e5a5e;

/** Messages sent in one synchronous burst before yielding to the event loop (ticks, confirms). */
const MAX_BURST = 500;

export interface PublisherContext {
  counters: Counters;
  latencies: LatencySet;
  confirmActivity: ActivityRecorder;
  recordCorrected: boolean;
  runId: number;
  emit: (type: AgentEventType, detail: string, count?: number) => void;
  now?: () => number;
}

interface Resend {
  sequence: number;
  intendedUs: number;
}

/**
 * One publisher: a rate schedule, one reused payload buffer and a window of unconfirmed
 * messages. It never blocks the thread: it sends what is allowed now and is woken by a timer, a
 * confirm, a drained write buffer or a new channel. It keeps the exact fate of every sequence
 * number: confirmed, nacked (the broker refused it), returned (unroutable), or in flight when
 * its channel was lost — which is not a nack: the broker may well have the message. Under the
 * "republish" policy such messages are sent again (same sequence number, flagged) after
 * reconnecting; their intended send time stays, so corrected latency shows the outage.
 */
export class Publisher {
  private sequence = 0;
  private inFlight = 0;
  /** Bumped with every new channel: callbacks of an older channel must not touch the new window. */
  private generation = 0;
  private readonly confirmed = new RangeSet();
  private readonly nacked = new RangeSet();
  private readonly returned = new RangeSet();
  private readonly inFlightAtLoss = new RangeSet();
  private republished = 0;
  private readonly resend: Resend[] = [];
  private channel: AmqpChannel | undefined;
  private sending = false;
  private waiting: 'none' | 'timer' | 'window' | 'drain' | 'immediate' = 'none';
  private timer: NodeJS.Timeout | undefined;
  private schedule: RateSchedule | undefined;
  /** One buffer of the largest size; a drawn size is sent as a view of its start (amqplib copies it into frames). */
  private readonly body: Buffer;
  /** undefined when every message has the same size. */
  private readonly sizes: MessageSizes | undefined;
  private readonly publishOptions: PublishOptions;
  private limitCallback: (() => void) | undefined;
  private settledWaiters: Array<() => void> = [];
  private lastConfirmUs = 0;
  private waitingSinceUs = 0;
  private stalledSinceUs: number | undefined;
  private readonly now: () => number;

  constructor(
    private readonly spec: PublisherSpec,
    private readonly settings: PublisherSettings,
    private readonly ctx: PublisherContext,
  ) {
    const sizes = new MessageSizes(settings.messageSize, agentSeed(ctx.runId, spec.id, SIZE_SEED_SALT));
    this.body = Buffer.alloc(sizes.maxBytes);
    this.sizes = MessageSizes.isFixed(settings.messageSize) ? undefined : sizes;
    this.publishOptions = publishOptions(settings);
    this.now = ctx.now ?? nowUs;
  }

  get id(): number {
    return this.spec.id;
  }

  /** Next sequence number: messages 0 .. nextSequence-1 have been published. */
  get nextSequence(): number {
    return this.sequence;
  }

  /** A working channel from the session (first connect or after recovery). */
  attach(channel: AmqpChannel): void {
    this.channel = channel;
    this.generation++;
    this.inFlight = 0;
    channel.onReturn(this.onReturn);
    if (this.schedule) this.reportCatchUp('reconnected');
    this.pump();
  }

  /** The channel is gone. Its unanswered confirms arrive as "closed" and are accounted there. */
  detach(): void {
    this.channel = undefined;
    this.inFlight = 0;
    this.stalledSinceUs = undefined;
    if (this.timer) clearTimeout(this.timer);
    this.waiting = 'none';
  }

  /** The broker stopped reading from the connection (alarm) or resumed. */
  flow(blocked: boolean): void {
    if (!blocked) this.reportCatchUp('unblocked');
  }

  /** Starts sending; `onLimitReached` is called once when a message limit is set and reached. */
  start(startAtUs: number, onLimitReached: () => void): void {
    this.schedule = new RateSchedule(this.settings.rate, startAtUs, {
      arrival: this.settings.arrival,
      phase: publisherPhase(this.spec.id),
      seed: (this.ctx.runId ^ Math.imul(this.spec.id + 1, 0x9e3779b1)) >>> 0,
    });
    this.sending = true;
    this.limitCallback = onLimitReached;
    this.pump();
  }

  /** No new messages from now on; re-sends owed after a connection loss still go out. */
  stopSending(): void {
    this.sending = false;
    if (this.timer && this.waiting === 'timer') clearTimeout(this.timer);
    this.notifyIfSettled();
  }

  /** Nothing unconfirmed and nothing owed: the publisher's account will not change any more. */
  get settled(): boolean {
    return !this.sending && this.resend.length === 0 && (!this.settings.confirms || this.inFlight === 0);
  }

  whenSettled(): Promise<void> {
    if (this.settled) return Promise.resolve();
    return new Promise((resolve) => this.settledWaiters.push(resolve));
  }

  /** Called a few times a second: a publisher whose confirms stopped coming is reported as stalled, not hung. */
  checkStall(nowUs: number): void {
    if (!this.settings.confirms || this.inFlight === 0 || this.stalledSinceUs !== undefined) return;
    const since = Math.max(this.lastConfirmUs, this.waitingSinceUs);
    if (nowUs - since > this.settings.stallTimeoutMs * 1000) {
      this.stalledSinceUs = since;
      this.ctx.emit('confirmsStalled', `no confirm for ${((nowUs - since) / 1e6).toFixed(1)} s with ${this.inFlight} message(s) unconfirmed`, this.inFlight);
    }
  }

  /** Everything this publisher knows, as of now. */
  final(): PublisherFinal {
    return {
      publisherId: this.spec.id,
      published: this.sequence,
      republished: this.republished,
      confirmed: this.confirmed.toRanges(),
      nacked: this.nacked.toRanges(),
      returned: this.returned.toRanges(),
      inFlightAtLoss: this.inFlightAtLoss.toRanges(),
      unconfirmedAtEnd: this.settings.confirms ? this.inFlight + this.resend.length : 0,
    };
  }

  private reportCatchUp(why: string): void {
    const schedule = this.schedule;
    if (!this.sending || !schedule?.limited) return;
    const due = Math.min(schedule.dueCount(this.now()), this.settings.messageLimit ?? Number.POSITIVE_INFINITY);
    const owed = due - this.sequence;
    if (owed > 1) {
      this.ctx.emit('catchUp', `${why}: ${owed} message(s) were due and are sent now, as fast as the confirm window allows (corrected latency counts from when each was due)`, owed);
    }
  }

  private readonly onReturn = (body: Buffer): void => {
    if (!headerField.isOurs(body, this.ctx.runId) || headerField.publisherId(body) !== this.spec.id) return;
    if (this.returned.add(headerField.sequence(body))) this.ctx.counters.returned++;
  };

  private readonly pump = (): void => {
    this.waiting = 'none';
    const channel = this.channel;
    const schedule = this.schedule;
    if (!channel || !schedule) return;
    const limit = this.settings.messageLimit ?? Number.POSITIVE_INFINITY;
    let burst = 0;
    for (;;) {
      if (this.settings.confirms && this.inFlight >= this.settings.maxInFlight) {
        this.waiting = 'window';
        return;
      }
      // A confirm callback may have closed the channel during this burst.
      if (this.channel !== channel) return;
      const owed = this.resend.shift();
      let writable: boolean;
      if (owed) {
        writable = this.send(channel, owed.sequence, owed.intendedUs, this.now(), FLAG_REPUBLISHED);
      } else {
        if (!this.sending) return;
        if (this.sequence >= limit) {
          this.sending = false;
          this.limitCallback?.();
          this.notifyIfSettled();
          return;
        }
        const now = this.now();
        let intended = now;
        if (schedule.limited) {
          intended = schedule.intendedUs(this.sequence);
          if (intended > now) {
            this.waiting = 'timer';
            this.timer = setTimeout(this.pump, Math.max(0, (intended - now) / 1000));
            return;
          }
        }
        writable = this.send(channel, this.sequence++, intended, now, 0);
      }
      if (!writable) {
        this.waiting = 'drain';
        const generation = this.generation;
        void channel.waitForDrain().then(() => {
          if (generation === this.generation && this.waiting === 'drain') this.pump();
        });
        return;
      }
      if (++burst >= MAX_BURST) {
        this.waiting = 'immediate';
        setImmediate(this.pump);
        return;
      }
    }
  };

  private send(channel: AmqpChannel, sequence: number, intendedUs: number, sentUs: number, flags: number): boolean {
    writeHeader(this.body, { runId: this.ctx.runId, publisherId: this.spec.id, flags, sequence, sentAtUs: sentUs, intendedAtUs: intendedUs });
    const body = this.sizes ? this.body.subarray(0, this.sizes.next()) : this.body;
    const counters = this.ctx.counters;
    if (flags & FLAG_REPUBLISHED) {
      counters.republished++;
      this.republished++;
    } else {
      counters.published++;
    }
    if (!this.settings.confirms) {
      try {
        return channel.publish(this.spec.exchange, this.spec.routingKey, body, this.publishOptions);
      } catch {
        this.channel = undefined; // closed under us; without confirms the message's fate is unknown
        return true;
      }
    }
    if (this.inFlight++ === 0) this.waitingSinceUs = sentUs;
    const generation = this.generation;
    try {
      return channel.publish(this.spec.exchange, this.spec.routingKey, body, this.publishOptions, (outcome) =>
        this.onConfirm(outcome, sequence, sentUs, intendedUs, generation),
      );
    } catch {
      // The channel closed under us: the message never left, so it is owed like any other lost in flight.
      this.onConfirm('closed', sequence, sentUs, intendedUs, generation);
      return true;
    }
  }

  private onConfirm(outcome: ConfirmOutcome, sequence: number, sentUs: number, intendedUs: number, generation: number): void {
    const counters = this.ctx.counters;
    switch (outcome) {
      case 'ack': {
        const confirmedUs = this.now();
        counters.confirmed++;
        this.confirmed.add(sequence);
        // Availability counts messages the broker took in: a returned one (its queue is down, say) is
        // confirmed too, but nothing was stored. basic.return arrives before its basic.ack.
        if (this.returned.size === 0 || !this.returned.has(sequence)) this.ctx.confirmActivity.record(confirmedUs);
        recordLatency(this.ctx.latencies, 'confirmRaw', confirmedUs - sentUs);
        if (this.ctx.recordCorrected) recordLatency(this.ctx.latencies, 'confirmCorrected', confirmedUs - intendedUs);
        this.lastConfirmUs = confirmedUs;
        if (this.stalledSinceUs !== undefined) {
          this.ctx.emit('confirmsResumed', `after ${((confirmedUs - this.stalledSinceUs) / 1e6).toFixed(1)} s without a confirm`);
          this.stalledSinceUs = undefined;
          this.reportCatchUp('confirms resumed');
        }
        break;
      }
      case 'nack':
        counters.nacked++;
        this.nacked.add(sequence);
        break;
      case 'closed':
        counters.unconfirmedAtLoss++;
        this.inFlightAtLoss.add(sequence);
        if (this.settings.onConnectionLoss === 'republish') this.resend.push({ sequence, intendedUs });
        break;
    }
    if (generation !== this.generation) return;
    this.inFlight--;
    if (outcome === 'closed') {
      // The channel is closing: nothing more may be sent on it; the session brings a new one.
      this.channel = undefined;
      this.notifyIfSettled();
      return;
    }
    if (this.waiting === 'window') this.pump();
    this.notifyIfSettled();
  }

  private notifyIfSettled(): void {
    if (!this.settled || this.settledWaiters.length === 0) return;
    const waiters = this.settledWaiters;
    this.settledWaiters = [];
    for (const w of waiters) w();
  }
}

/** The AMQP properties every message of a publisher carries; unset ones are left out. */
export function publishOptions(settings: PublisherSettings): PublishOptions {
  const opts: PublishOptions = { persistent: settings.persistent, mandatory: true };
  if (settings.headers !== undefined) opts.headers = settings.headers;
  if (settings.priority !== undefined) opts.priority = settings.priority;
  if (settings.expirationMs !== undefined) opts.expiration = String(settings.expirationMs);
  return opts;
}

/**
 * The "bare" side of scripts/bench-overhead.ts: the simplest amqplib publisher and consumer
 * that do the same work as an mqbench run with 1 publisher and 1 consumer, on one event loop
 * (no worker threads, no histograms, no headers, no per-second reports).
 *
 * Timeline, as in an mqbench run: declare the queue fresh, start the consumer, start the
 * publisher, warm up, measure, stop publishing, wait (bounded) for outstanding confirms and
 * for the consumer to receive every confirmed message, cancel, delete the queue, close.
 */
import amqplib from 'amqplib';
import type { ConfirmChannel, ConsumeMessage } from 'amqplib';
import { sleep } from '../../src/cluster/local/exec.js';
import { takeUsage, usageDelta, type UsageDelta } from './usage.js';

export interface BareOptions {
  uri: string;
  queue: string;
  queueType: 'classic' | 'quorum';
  messageSize: number;
  persistent: boolean;
  /** mqbench publishes with mandatory: true (to count returns); the bare client does the same so the broker does the same work. */
  mandatory: boolean;
  maxInFlight: number;
  prefetch: number;
  warmupMs: number;
  durationMs: number;
  /** Upper bound on the wait for confirms and deliveries after publishing stops. */
  drainTimeoutMs: number;
  connectTimeoutMs: number;
}

export interface BareResult {
  queueType: string;
  /** Actual length of the measured window (timer-based, so a few ms off the nominal duration). */
  measuredMs: number;
  /** Messages consumed inside the measured window. */
  measuredConsumed: number;
  measuredPublished: number;
  measuredConfirmed: number;
  consumedMsgsPerS: number;
  publishedMsgsPerS: number;
  /** Resource use over the measured window (whole process: this client is all it runs). */
  measuredUsage: UsageDelta;
  /** Whole run, warm-up and drain included. */
  totals: { published: number; confirmed: number; nacked: number; consumed: number; redelivered: number; unconfirmed: number };
  /** Consumed fewer messages than were confirmed before the drain timeout. */
  drainTimedOut: boolean;
  timing: { warmupMs: number; measuredMs: number; drainMs: number; totalMs: number };
}

const nowMs = (): number => performance.now();

/** Resolves when `done()` holds, polling every 10 ms, or after `timeoutMs`; returns whether it held. */
async function waitFor(done: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = nowMs() + timeoutMs;
  while (!done()) {
    if (nowMs() >= deadline) return false;
    await sleep(10);
  }
  return true;
}

export async function runBare(o: BareOptions): Promise<BareResult> {
  const connectOpts = { timeout: o.connectTimeoutMs };
  const pubConn = await amqplib.connect(o.uri, { ...connectOpts, clientProperties: { connection_name: 'bare-publisher' } });
  const conConn = await amqplib.connect(o.uri, { ...connectOpts, clientProperties: { connection_name: 'bare-consumer' } });
  let fatal: Error | undefined;
  const onFatal = (err: unknown): void => {
    fatal ??= err instanceof Error ? err : new Error(String(err));
  };
  pubConn.on('error', onFatal);
  conConn.on('error', onFatal);

  try {
    // Fresh queue, as mqbench's queues.onStart "delete" does.
    const setup = await pubConn.createChannel();
    await setup.deleteQueue(o.queue);
    await setup.assertQueue(o.queue, { durable: true, arguments: { 'x-queue-type': o.queueType } });
    await setup.close();

    // Consumer: prefetch per consumer (global = false, as mqbench), one ack per message.
    let consumed = 0;
    let redelivered = 0;
    const conCh = await conConn.createChannel();
    conCh.on('error', onFatal);
    await conCh.prefetch(o.prefetch, false);
    const { consumerTag } = await conCh.consume(
      o.queue,
      (msg: ConsumeMessage | null) => {
        if (!msg) return; // cancelled by the broker
        consumed++;
        if (msg.fields.redelivered) redelivered++;
        conCh.ack(msg);
      },
      { noAck: false },
    );

    // Publisher: at most maxInFlight unconfirmed; stops at 'false' from publish() until 'drain'.
    const pubCh: ConfirmChannel = await pubConn.createConfirmChannel();
    pubCh.on('error', onFatal);
    const body = Buffer.alloc(o.messageSize, 0x61);
    const publishOpts = { persistent: o.persistent, mandatory: o.mandatory };
    let published = 0;
    let confirmed = 0;
    let nacked = 0;
    let inFlight = 0;
    let running = true;
    let waitingForDrain = false;

    const onConfirm = (err: unknown): void => {
      inFlight--;
      if (err) nacked++;
      else confirmed++;
      if (running && !waitingForDrain) pump();
    };
    const onDrain = (): void => {
      waitingForDrain = false;
      pump();
    };
    // Bounded: each call sends at most maxInFlight messages before the window closes.
    function pump(): void {
      try {
        while (running && inFlight < o.maxInFlight) {
          inFlight++;
          published++;
          if (!pubCh.publish('', o.queue, body, publishOpts, onConfirm)) {
            waitingForDrain = true;
            pubCh.once('drain', onDrain);
            return;
          }
        }
      } catch (err) {
        // Channel closed under us: stop, and let the run end with the error.
        running = false;
        onFatal(err);
      }
    }

    const startMs = nowMs();
    pump();

    await sleep(o.warmupMs);
    const a = { t: nowMs(), usage: takeUsage(), consumed, published, confirmed };
    await sleep(o.durationMs);
    const bT = nowMs();
    const measuredUsage = usageDelta(takeUsage(), a.usage);
    const b = { consumed, published, confirmed };
    running = false;

    // Drain: outstanding confirms, then every confirmed message consumed (both bounded).
    const drainStart = nowMs();
    await waitFor(() => inFlight === 0 || fatal !== undefined, o.drainTimeoutMs);
    const drained = await waitFor(() => consumed >= confirmed || fatal !== undefined, Math.max(0, o.drainTimeoutMs - (nowMs() - drainStart)));
    const drainMs = nowMs() - drainStart;
    if (fatal) throw fatal;

    await conCh.cancel(consumerTag);
    await conCh.close();
    await pubCh.close();
    const cleanup = await pubConn.createChannel();
    await cleanup.deleteQueue(o.queue);
    await cleanup.close();

    const measuredMs = bT - a.t;
    const measuredConsumed = b.consumed - a.consumed;
    const measuredPublished = b.published - a.published;
    return {
      queueType: o.queueType,
      measuredMs,
      measuredConsumed,
      measuredPublished,
      measuredConfirmed: b.confirmed - a.confirmed,
      consumedMsgsPerS: (measuredConsumed * 1000) / measuredMs,
      publishedMsgsPerS: (measuredPublished * 1000) / measuredMs,
      measuredUsage,
      totals: { published, confirmed, nacked, consumed, redelivered, unconfirmed: inFlight },
      drainTimedOut: !drained,
      timing: { warmupMs: a.t - startMs, measuredMs, drainMs, totalMs: nowMs() - startMs },
    };
  } finally {
    await pubConn.close().catch(() => undefined);
    await conConn.close().catch(() => undefined);
  }
}

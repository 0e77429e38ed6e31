/**
 * Event counts for one interval (or a whole run), summed over agents. Each counts events as
 * they happened in the interval; the exact per-message account (lost, duplicates across
 * consumers) is built from sequence-number sets at the end (metrics/accounting.ts).
 */
export interface Counters {
  /** New messages sent (first attempts). */
  published: number;
  /** Copies of messages sent again after their connection was lost before the broker answered. */
  republished: number;
  /** basic.ack received. */
  confirmed: number;
  /** basic.nack received: the broker refused the message. */
  nacked: number;
  /** Messages in flight (sent, neither acked nor nacked) when their channel or connection was lost. */
  unconfirmedAtLoss: number;
  /** Unroutable mandatory messages the broker returned (basic.return). */
  returned: number;
  /** Deliveries of this run's messages (duplicates included). */
  consumed: number;
  /** Deliveries the broker flagged as redelivered. */
  redelivered: number;
  /** Deliveries of a message the same consumer had already received. */
  duplicates: number;
  /** First deliveries of original sends with a lower sequence number than one the consumer already had from that publisher. */
  outOfOrder: number;
  /** Deliveries that are not this run's messages (another run's or another producer's): acked and ignored. */
  foreign: number;
}

export const COUNTER_NAMES: ReadonlyArray<keyof Counters> = [
  'published',
  'republished',
  'confirmed',
  'nacked',
  'unconfirmedAtLoss',
  'returned',
  'consumed',
  'redelivered',
  'duplicates',
  'outOfOrder',
  'foreign',
];

export function zeroCounters(): Counters {
  return {
    published: 0,
    republished: 0,
    confirmed: 0,
    nacked: 0,
    unconfirmedAtLoss: 0,
    returned: 0,
    consumed: 0,
    redelivered: 0,
    duplicates: 0,
    outOfOrder: 0,
    foreign: 0,
  };
}

export function addCounters(into: Counters, from: Counters): void {
  for (const name of COUNTER_NAMES) into[name] += from[name];
}

/** Returns the counts so far and starts a new interval. */
export function takeCounters(c: Counters): Counters {
  const snapshot = { ...c };
  for (const name of COUNTER_NAMES) c[name] = 0;
  return snapshot;
}

export function sumCounters(items: Iterable<{ counters: Counters }>): Counters {
  const c = zeroCounters();
  for (const item of items) addCounters(c, item.counters);
  return c;
}

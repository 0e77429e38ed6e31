import type { ConsumerFinal, PublisherFinal } from '../engine/protocol.js';
import type { RoutingTable } from '../engine/routing.js';
import { RangeSet, type Ranges } from './rangeSet.js';

/**
 * The fate of every message of a run, computed from exact sequence-number sets (as Jepsen checks
 * every acknowledged write). Each count is of distinct messages unless it says deliveries. What
 * consumers should receive follows the routing: a message routed to k queues is expected k times,
 * once per queue, so expected, consumedUnique, notConsumed, lost and unresolved count copies (one
 * per queue reached), while published, confirmed, nacked and returned count messages.
 */
export interface DeliveryAccount {
  /** false when the run had no publishers or no consumers: loss cannot be known. */
  tracked: boolean;
  /** false when a worker ended without its final report: its agents' messages cannot be accounted for. */
  complete: boolean;
  /** Why the account is incomplete, one line per worker. */
  issues: string[];
  published: number;
  /** Copies sent again after a connection loss (attempts, not messages). */
  republished: number;
  /** Messages the broker confirmed (basic.ack) on some attempt. */
  confirmed: number;
  /** Messages the broker refused (basic.nack) and never confirmed. */
  nacked: number;
  /** Unroutable messages the broker returned (they are confirmed too; counted here once, never as lost). */
  returned: number;
  /** Messages that were in flight when their connection or channel was lost. */
  unconfirmedAtLoss: number;
  /** Messages with no answer from the broker at all: published − confirmed − nacked. */
  unconfirmed: number;
  /** What consumers should receive: confirmed − returned (without confirms: published − returned), once per queue a message reaches. */
  expected: number;
  /** Distinct messages of this run consumed, once per queue. */
  consumedUnique: number;
  /** Consumed although never confirmed (unconfirmed or nacked messages that reached the queue anyway). */
  consumedUnconfirmed: number;
  /** Expected messages never consumed. null when the account is incomplete or not tracked. */
  notConsumed: number | null;
  /** Ready messages left in the benchmark queues at the end (queue.declare passive); null when not read or unreadable. */
  queueDepthAtEnd: number | null;
  /** Expected messages proven gone: not consumed, and more than the queues still held at the end. null when incomplete. */
  lost: number | null;
  /** Expected messages neither consumed nor proven gone (the queue still held messages, or could not be read). */
  unresolved: number | null;
  /** Deliveries beyond the first of the same message, by the same or another consumer. */
  duplicates: number;
  /** Deliveries the broker flagged as redelivered. */
  redelivered: number;
  /** First deliveries of original sends out of publishing order. */
  outOfOrder: number;
  /** Deliveries of messages not from this run. */
  foreign: number;
  /** Which expected messages were not consumed: per publisher (and queue, when the routing is known), up to 20 ranges each. */
  notConsumedRanges: Array<{ publisherId: number; queue?: string; ranges: Ranges }>;
}

export interface DeliveryCounts {
  duplicates: number;
  redelivered: number;
  outOfOrder: number;
  foreign: number;
}

const MAX_RANGES_SHOWN = 20;

/**
 * The account is kept per route: the messages of one publisher in one queue. A route's key is
 * publisherId + queue × ROUTE_STRIDE, so without a routing table (every queue counted as one,
 * queue 0) the keys are the publisher ids.
 */
const ROUTE_STRIDE = 2 ** 20;

export function routeKey(publisherId: number, queue: number): number {
  return queue * ROUTE_STRIDE + publisherId;
}

export function publisherOfRoute(key: number): number {
  return key % ROUTE_STRIDE;
}

export function queueOfRoute(key: number): number {
  return Math.floor(key / ROUTE_STRIDE);
}

/** Per route: the sequence numbers consumers should receive. Without a routing table every publisher reaches one queue, 0. */
export function expectedSets(publishers: PublisherFinal[], confirms: boolean, routing?: RoutingTable): Map<number, RangeSet> {
  const out = new Map<number, RangeSet>();
  for (const p of publishers) {
    const sent = confirms ? RangeSet.from(p.confirmed) : RangeSet.from([[0, p.published]]);
    const expected = sent.difference(RangeSet.from(p.returned));
    for (const q of routing ? (routing.publisherQueues[p.publisherId] ?? []) : [0]) out.set(routeKey(p.publisherId, q), expected);
  }
  return out;
}

/** Per route: the union of what every consumer of that queue received, and the total number of first deliveries per consumer. */
export function receivedSets(consumers: ConsumerFinal[], routing?: RoutingTable): { sets: Map<number, RangeSet>; perConsumerTotal: number } {
  const sets = new Map<number, RangeSet>();
  let perConsumerTotal = 0;
  for (const c of consumers) {
    const queue = routing?.consumerQueue[c.consumerId] ?? 0;
    for (const { publisherId, ranges } of c.received) {
      const key = routeKey(publisherId, queue);
      let set = sets.get(key);
      if (!set) sets.set(key, (set = new RangeSet()));
      for (const [s, e] of ranges) {
        set.addRange(s, e);
        perConsumerTotal += e - s;
      }
    }
  }
  return { sets, perConsumerTotal };
}

/** Per route: expected messages no consumer has received (yet). */
export function notConsumedSets(expected: Map<number, RangeSet>, received: Map<number, RangeSet>): Map<number, RangeSet> {
  const out = new Map<number, RangeSet>();
  for (const [id, set] of expected) out.set(id, set.difference(received.get(id) ?? new RangeSet()));
  return out;
}

export function sizeOf(sets: Map<number, RangeSet>): number {
  let n = 0;
  for (const s of sets.values()) n += s.size;
  return n;
}

export interface AccountInput {
  publishers: PublisherFinal[];
  consumers: ConsumerFinal[];
  confirms: boolean;
  publisherCount: number;
  consumerCount: number;
  /** Summed per-delivery counts of the whole run (duplicates seen by the same consumer, redeliveries, order, foreign). */
  counts: DeliveryCounts;
  issues: string[];
  queueDepthAtEnd: number | null;
  /** Where each publisher's messages go and which queue each consumer reads; without it, one queue for all. */
  routing?: RoutingTable;
}

/**
 * Lost means proven gone: an expected message no consumer received, beyond what the queues still
 * held when the run ended. A message still in a queue (consumers were slow, or the queue was
 * unavailable) is unresolved, not lost — a benchmark must never report loss that did not happen.
 */
export function deliveryAccount(input: AccountInput): DeliveryAccount {
  const { publishers, consumers, confirms } = input;
  const complete = input.issues.length === 0;
  // Without publishers or without consumers nothing is expected to arrive: loss is unknowable, not zero.
  const tracked = input.publisherCount > 0 && input.consumerCount > 0;
  const { routing } = input;
  const expected = expectedSets(publishers, confirms, routing);
  const { sets: received, perConsumerTotal } = receivedSets(consumers, routing);
  const missing = notConsumedSets(expected, received);
  const consumedUnique = sizeOf(received);
  let confirmed = 0;
  let nacked = 0;
  const confirmedOf = new Map<number, RangeSet>();
  for (const p of publishers) {
    const c = RangeSet.from(p.confirmed);
    confirmedOf.set(p.publisherId, c);
    confirmed += c.size;
    nacked += RangeSet.from(p.nacked).difference(c).size;
  }
  let consumedConfirmed = 0;
  for (const [key, set] of received) {
    const c = confirmedOf.get(publisherOfRoute(key));
    if (c) consumedConfirmed += c.size - c.countMissingFrom(set);
  }
  const published = publishers.reduce((n, p) => n + p.published, 0);
  const notConsumed = complete && tracked ? sizeOf(missing) : null;
  const depth = input.queueDepthAtEnd;
  // Without a depth reading nothing is proven gone: all of it stays unresolved.
  const lost = notConsumed === null ? null : depth === null ? 0 : Math.max(0, notConsumed - depth);
  return {
    tracked,
    complete,
    issues: input.issues,
    published,
    republished: publishers.reduce((n, p) => n + p.republished, 0),
    confirmed,
    nacked,
    returned: publishers.reduce((n, p) => n + RangeSet.from(p.returned).size, 0),
    unconfirmedAtLoss: publishers.reduce((n, p) => n + RangeSet.from(p.inFlightAtLoss).size, 0),
    unconfirmed: confirms ? published - confirmed - nacked : 0,
    expected: sizeOf(expected),
    consumedUnique,
    consumedUnconfirmed: confirms ? consumedUnique - consumedConfirmed : 0,
    notConsumed,
    queueDepthAtEnd: depth,
    lost,
    unresolved: notConsumed === null || lost === null ? null : notConsumed - lost,
    duplicates: input.counts.duplicates + (perConsumerTotal - consumedUnique),
    redelivered: input.counts.redelivered,
    outOfOrder: input.counts.outOfOrder,
    foreign: input.counts.foreign,
    notConsumedRanges: [...missing]
      .filter(([, set]) => set.size > 0)
      .map(([key, set]) => ({
        publisherId: publisherOfRoute(key),
        ...(routing ? { queue: routing.queues[queueOfRoute(key)] ?? `#${queueOfRoute(key)}` } : {}),
        ranges: set.toRanges().slice(0, MAX_RANGES_SHOWN),
      })),
  };
}

import type { RunPlan } from '../engine/plan.js';
import type { ExchangeType } from '../engine/routing.js';

/** Where the publishers' messages went: computed from the exchange type and the bindings, and what the account expected. */
export interface RoutingSection {
  /** "" is the default exchange (routes by queue name). */
  exchange: string;
  exchangeType: ExchangeType;
  /** One entry per distinct routing key: how many publishers sent with it and the queues it reaches (none: returned unroutable). */
  keys: Array<{ routingKey: string; publishers: number; queues: string[] }>;
}

export function routingSection(plan: RunPlan, exchange: string, exchangeType: ExchangeType): RoutingSection {
  const byKey = new Map<string, { routingKey: string; publishers: number; queues: string[] }>();
  for (const a of plan.workers.flat()) {
    if (a.kind !== 'publisher') continue;
    let entry = byKey.get(a.routingKey);
    if (!entry) {
      const queues = (plan.routing.publisherQueues[a.id] ?? []).map((q) => plan.routing.queues[q]!);
      byKey.set(a.routingKey, (entry = { routingKey: a.routingKey, publishers: 0, queues }));
    }
    entry.publishers++;
  }
  return { exchange, exchangeType: exchange === '' ? 'direct' : exchangeType, keys: [...byKey.values()] };
}

/** "topic exchange "orders": orders.eu.de → q1, q2; …" for the terminal; undefined when every key reaches exactly one queue of a direct exchange. */
export function routingLine(r: RoutingSection, maxKeys = 4): string | undefined {
  if (r.exchangeType === 'direct' && r.keys.every((k) => k.queues.length === 1)) return undefined;
  const shown = r.keys.slice(0, maxKeys).map((k) => `${k.routingKey || '""'} → ${k.queues.length > 0 ? k.queues.join(', ') : 'no queue (returned)'}`);
  if (r.keys.length > maxKeys) shown.push(`${r.keys.length - maxKeys} more key(s)`);
  const name = r.exchange === '' ? 'the default exchange' : `${r.exchangeType} exchange "${r.exchange}"`;
  return `routing: ${name}: ${shown.join('; ')} — a message is expected once in every queue it reaches`;
}

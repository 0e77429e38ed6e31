import { concreteKeyProblem, topicPatternProblem, type ExchangeType } from '../engine/routing.js';

type AddIssue = (path: Array<string | number>, message: string) => void;

interface PublisherRouting {
  exchange: string;
  exchangeType: ExchangeType;
  routingKey?: string | undefined;
  routingKeys?: string[] | undefined;
}

interface QueueRouting {
  count: number;
  bindings?: Array<string | string[]> | undefined;
}

/**
 * Exchange, routing keys and bindings must make sense together: keys and bindings need a named
 * exchange, a fanout exchange ignores them (so setting them is a mistake), wildcards only mean
 * something in topic bindings, and a topic pattern's "*" and "#" are whole words.
 */
export function checkRouting(pub: PublisherRouting, queues: QueueRouting, add: AddIssue): void {
  const named = pub.exchange !== '';
  const type = pub.exchangeType;
  if (!named) {
    if (type !== 'direct') add(['publishers', 'exchangeType'], `"${type}" needs a named exchange (publishers.exchange): the default exchange "" routes by queue name`);
    if (pub.routingKeys) add(['publishers', 'routingKeys'], 'needs a named exchange (publishers.exchange): the default exchange "" routes by queue name');
    if (queues.bindings) add(['queues', 'bindings'], 'needs a named exchange (publishers.exchange) to bind the queues to');
    return;
  }
  if (pub.routingKey !== undefined && pub.routingKeys) add(['publishers', 'routingKeys'], 'set either routingKey or routingKeys, not both');
  if (type === 'fanout') {
    const ignored = 'a fanout exchange ignores keys (every queue gets every message): leave it out';
    if (pub.routingKey !== undefined) add(['publishers', 'routingKey'], ignored);
    if (pub.routingKeys) add(['publishers', 'routingKeys'], ignored);
    if (queues.bindings) add(['queues', 'bindings'], ignored);
    return;
  }
  // "<n>" takes at most as many characters as the largest queue number.
  const widest = (s: string): string => s.replaceAll('<n>', String(queues.count));
  const keys = pub.routingKeys ?? (pub.routingKey !== undefined ? [pub.routingKey] : []);
  keys.forEach((k, i) => {
    const problem = concreteKeyProblem(widest(k), 'queues.bindings of a topic exchange');
    if (problem) add(pub.routingKeys ? ['publishers', 'routingKeys', i] : ['publishers', 'routingKey'], problem);
  });
  const check = (b: string, path: Array<string | number>): void => {
    const problem = type === 'topic' ? topicPatternProblem(widest(b)) : concreteKeyProblem(widest(b), 'bindings of a topic exchange (publishers.exchangeType "topic")');
    if (problem) add(path, problem);
  };
  queues.bindings?.forEach((b, i) => {
    if (typeof b === 'string') check(b, ['queues', 'bindings', i]);
    else b.forEach((one, j) => check(one, ['queues', 'bindings', i, j]));
  });
}

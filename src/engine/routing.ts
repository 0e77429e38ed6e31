/**
 * Where messages go: AMQP 0-9-1 routing computed locally, once per run, so the delivery account
 * can expect every message in every queue it reaches (a message routed to k queues is expected k
 * times) and in no other.
 */

export const EXCHANGE_TYPES = ['direct', 'fanout', 'topic'] as const;
export type ExchangeType = (typeof EXCHANGE_TYPES)[number];

/** Longest routing or binding key AMQP carries (a short string). */
export const MAX_KEY_BYTES = 255;

/** Who reaches which queue in a run: the delivery account keys everything by (publisher, queue). */
export interface RoutingTable {
  queues: string[];
  /** Per publisher id: indexes of the queues its messages reach (ascending, each once). */
  publisherQueues: number[][];
  /** Per consumer id: index of the queue it consumes. */
  consumerQueue: number[];
}

/** Words of a topic key or pattern as RabbitMQ splits them: "" has none, "a." has "a" and "". */
export function topicWords(s: string): string[] {
  return s === '' ? [] : s.split('.');
}

/** AMQP topic matching: "*" is exactly one word (an empty one too), "#" zero or more words; other words match literally. */
export function topicMatches(pattern: string, key: string): boolean {
  const words = topicWords(key);
  // reach[j]: the pattern's words so far match the key's first j words.
  let reach: boolean[] = words.map(() => false);
  reach.push(false);
  reach[0] = true;
  for (const p of topicWords(pattern)) {
    const next: boolean[] = new Array<boolean>(words.length + 1).fill(false);
    if (p === '#') {
      let any = false;
      for (let j = 0; j <= words.length; j++) next[j] = any ||= reach[j]!;
    } else {
      for (let j = 1; j <= words.length; j++) next[j] = reach[j - 1]! && (p === '*' || p === words[j - 1]);
    }
    reach = next;
  }
  return reach[words.length]!;
}

/** Where a key's messages go. `name` "" is the default exchange: the key is a queue name. */
export interface ExchangeSpec {
  name: string;
  type: ExchangeType;
}

/**
 * Indexes of the queues a message published with `key` reaches, each once however many of its
 * bindings match (as the broker delivers one copy per queue). `bindings[i]` are queue i's binding keys.
 */
export function queuesReached(exchange: ExchangeSpec, key: string, queues: string[], bindings: string[][]): number[] {
  const out: number[] = [];
  queues.forEach((name, i) => {
    const keys = bindings[i] ?? [];
    const reached =
      exchange.name === ''
        ? name === key
        : exchange.type === 'fanout'
          ? true
          : exchange.type === 'direct'
            ? keys.includes(key)
            : keys.some((b) => topicMatches(b, key));
    if (reached) out.push(i);
  });
  return out;
}

const byteLength = (s: string): number => Buffer.byteLength(s, 'utf8');

/** Why a topic binding pattern is malformed, or undefined: "*" and "#" must be whole words. */
export function topicPatternProblem(pattern: string): string | undefined {
  if (byteLength(pattern) > MAX_KEY_BYTES) return `longer than ${MAX_KEY_BYTES} bytes`;
  const bad = topicWords(pattern).find((w) => w !== '*' && w !== '#' && /[*#]/.test(w));
  if (bad !== undefined) return `"${bad}": "*" and "#" match only as whole words between dots (e.g. "orders.*.de", "orders.#")`;
  return undefined;
}

/** Why a concrete key (one a publisher sends with, or a direct binding) is not one, or undefined. */
export function concreteKeyProblem(key: string, where: string): string | undefined {
  if (byteLength(key) > MAX_KEY_BYTES) return `longer than ${MAX_KEY_BYTES} bytes`;
  if (topicWords(key).some((w) => w === '*' || w === '#')) return `"*" and "#" are wildcards only in ${where}; this key would match literally`;
  return undefined;
}

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { planRun } from '../../src/engine/plan.js';
import { concreteKeyProblem, queuesReached, topicMatches, topicPatternProblem, topicWords } from '../../src/engine/routing.js';
import { join } from 'node:path';
import { loadProfile, parseProfile } from '../../src/profile/load.js';
import { packageRoot } from '../../src/util/packageRoot.js';
import { issuesOf } from '../helpers/profileIssues.js';

test('topic words split as RabbitMQ does: "" has none, empty words between dots count', () => {
  assert.deepEqual(topicWords(''), []);
  assert.deepEqual(topicWords('a'), ['a']);
  assert.deepEqual(topicWords('a.'), ['a', '']);
  assert.deepEqual(topicWords('.'), ['', '']);
  assert.deepEqual(topicWords('a..b'), ['a', '', 'b']);
});

test('topic matching: "*" exactly one word, "#" zero or more, others literal', () => {
  const cases: Array<[string, string, boolean]> = [
    ['orders.eu.#', 'orders.eu.de', true],
    ['orders.eu.#', 'orders.eu', true],
    ['orders.eu.#', 'orders.eu.de.berlin', true],
    ['orders.eu.#', 'orders.us.ny', false],
    ['orders.#', 'orders', true],
    ['orders.*.ny', 'orders.us.ny', true],
    ['orders.*.ny', 'orders.ny', false],
    ['orders.*.ny', 'orders.us.east.ny', false],
    ['*', 'a', true],
    ['*', '', false],
    ['*', 'a.b', false],
    ['#', '', true],
    ['#', 'a', true],
    ['#', 'a.b.c', true],
    ['', '', true],
    ['', 'a', false],
    ['a.#.b', 'a.b', true],
    ['a.#.b', 'a.x.b', true],
    ['a.#.b', 'a.x.y.b', true],
    ['a.#.b', 'a.x.y', false],
    ['a.#.b', 'a.b.b', true],
    ['#.b', 'b', true],
    ['#.#', 'a', true],
    ['#.*', '', false],
    ['#.*.#', 'x', true],
    ['a.*', 'a.', true],
    ['a..b', 'a..b', true],
    ['a.*.b', 'a..b', true],
    ['a.b', 'a.b.', false],
    ['orders', 'Orders', false],
    ['a*', 'ab', false],
  ];
  for (const [pattern, key, expected] of cases) assert.equal(topicMatches(pattern, key), expected, `"${pattern}" vs "${key}"`);
});

test('queues reached: default exchange by name, direct by equal key, fanout all, topic by pattern, each queue once', () => {
  const queues = ['q1', 'q2', 'q3'];
  const bindings = [['orders.eu.#', 'orders.#'], ['orders.#'], ['orders.*.ny']];
  assert.deepEqual(queuesReached({ name: '', type: 'direct' }, 'q2', queues, bindings), [1]);
  assert.deepEqual(queuesReached({ name: '', type: 'direct' }, 'orders.eu.de', queues, bindings), []);
  assert.deepEqual(queuesReached({ name: 'x', type: 'fanout' }, 'anything', queues, bindings), [0, 1, 2]);
  assert.deepEqual(queuesReached({ name: 'x', type: 'direct' }, 'orders.#', queues, bindings), [0, 1], 'direct compares literally');
  assert.deepEqual(queuesReached({ name: 'x', type: 'topic' }, 'orders.eu.de', queues, bindings), [0, 1], 'two bindings of q1 match: one copy');
  assert.deepEqual(queuesReached({ name: 'x', type: 'topic' }, 'orders.us.ny', queues, bindings), [0, 1, 2]);
  assert.deepEqual(queuesReached({ name: 'x', type: 'topic' }, 'invoices.eu', queues, bindings), []);
});

test('pattern and key checks', () => {
  assert.equal(topicPatternProblem('orders.*.#'), undefined);
  assert.equal(topicPatternProblem('#'), undefined);
  assert.match(topicPatternProblem('orders.eu*') ?? '', /"eu\*": "\*" and "#" match only as whole words/);
  assert.match(topicPatternProblem('a.#b') ?? '', /"#b"/);
  assert.match(topicPatternProblem('a'.repeat(256)) ?? '', /longer than 255 bytes/);
  assert.equal(concreteKeyProblem('orders.eu.de', 'x'), undefined);
  assert.match(concreteKeyProblem('orders.*', 'queues.bindings') ?? '', /wildcards only in queues.bindings/);
});

const base = { name: 'r', broker: { uris: ['amqp://a/'] } };

test('the plan routes every publisher by its key; consumers read queue c mod count', () => {
  const p = parseProfile(
    {
      ...base,
      queues: { count: 3, bindings: ['orders.eu.#'] },
      publishers: { count: 3, exchange: 'bench', exchangeType: 'topic', routingKeys: ['orders.eu.de', 'orders.us.ny', 'q<n>'] },
      consumers: { count: 4 },
    },
    'test',
  );
  const plan = planRun(p, { uris: ['amqp://a/'], leaderOfQueue: [] }, 4);
  const keys = plan.workers.flat().flatMap((a) => (a.kind === 'publisher' ? [[a.id, a.routingKey] as const] : [])).sort((x, y) => x[0] - y[0]);
  assert.deepEqual(keys.map((k) => k[1]), ['orders.eu.de', 'orders.us.ny', 'q3'], '"<n>" is the publisher\'s queue number');
  // Every queue has the one binding "orders.eu.#".
  assert.deepEqual(plan.routing.publisherQueues, [[0, 1, 2], [], []]);
  assert.deepEqual(plan.routing.consumerQueue, [0, 1, 2, 0]);

  const perQueue = parseProfile(
    {
      ...base,
      queues: { count: 3, bindings: ['region-<n>'] },
      publishers: { count: 2, exchange: 'bench', routingKeys: ['region-2', 'region-<n>'] },
    },
    'test',
  );
  assert.deepEqual(planRun(perQueue, { uris: ['amqp://a/'], leaderOfQueue: [] }, 4).routing.publisherQueues, [[1], [1]], 'direct: "<n>" in bindings is the queue number');

  const perQueueTopic = parseProfile(
    {
      ...base,
      queues: { count: 4, bindings: ['orders.eu.#', ['orders.*.de', 'x.#'], 'orders.*.ny'] },
      publishers: { count: 3, exchange: 'bench', exchangeType: 'topic', routingKeys: ['orders.eu.de', 'orders.us.ny', 'x.y'] },
    },
    'test',
  );
  assert.deepEqual(
    planRun(perQueueTopic, { uris: ['amqp://a/'], leaderOfQueue: [] }, 4).routing.publisherQueues,
    [[0, 1, 3], [2], [1]],
    'queue i is bound with bindings[i mod length]: queue 4 again with "orders.eu.#"',
  );

  const byDefault = parseProfile({ ...base, queues: { count: 2 }, publishers: { count: 3 } }, 'test');
  assert.deepEqual(planRun(byDefault, { uris: ['amqp://a/'], leaderOfQueue: [] }, 4).routing.publisherQueues, [[0], [1], [0]], 'default: publisher p to queue p mod count');
  const fanout = parseProfile({ ...base, queues: { count: 3 }, publishers: { count: 1, exchange: 'f', exchangeType: 'fanout' } }, 'test');
  assert.deepEqual(planRun(fanout, { uris: ['amqp://a/'], leaderOfQueue: [] }, 4).routing.publisherQueues, [[0, 1, 2]]);
});

test('routing settings that make no sense together are refused, each with its field', () => {
  assert.deepEqual(issuesOf({ ...base, publishers: { exchangeType: 'topic' } }), [
    'publishers.exchangeType: "topic" needs a named exchange (publishers.exchange): the default exchange "" routes by queue name',
  ]);
  assert.deepEqual(issuesOf({ ...base, publishers: { routingKeys: ['a'] }, queues: { bindings: ['a'] } }), [
    'publishers.routingKeys: needs a named exchange (publishers.exchange): the default exchange "" routes by queue name',
    'queues.bindings: needs a named exchange (publishers.exchange) to bind the queues to',
  ]);
  assert.deepEqual(issuesOf({ ...base, publishers: { exchange: 'f', exchangeType: 'fanout', routingKeys: ['a'] }, queues: { bindings: ['a'] } }), [
    'publishers.routingKeys: a fanout exchange ignores keys (every queue gets every message): leave it out',
    'queues.bindings: a fanout exchange ignores keys (every queue gets every message): leave it out',
  ]);
  assert.deepEqual(issuesOf({ ...base, publishers: { exchange: 't', exchangeType: 'topic', routingKey: 'a', routingKeys: ['orders.*'] }, queues: { bindings: ['orders.eu*'] } }), [
    'publishers.routingKeys: set either routingKey or routingKeys, not both',
    'publishers.routingKeys[0]: "*" and "#" are wildcards only in queues.bindings of a topic exchange; this key would match literally',
    'queues.bindings[0]: "eu*": "*" and "#" match only as whole words between dots (e.g. "orders.*.de", "orders.#")',
  ]);
  assert.deepEqual(issuesOf({ ...base, publishers: { exchange: 'd', routingKeys: ['a'] }, queues: { bindings: ['orders.#'] } }), [
    'queues.bindings[0]: "*" and "#" are wildcards only in bindings of a topic exchange (publishers.exchangeType "topic"); this key would match literally',
  ]);
  assert.deepEqual(issuesOf({ ...base, publishers: { exchange: 't', exchangeType: 'topic' }, queues: { bindings: ['a', ['b', 'c.d#']] } }), [
    'queues.bindings[1][1]: "d#": "*" and "#" match only as whole words between dots (e.g. "orders.*.de", "orders.#")',
  ]);
  assert.deepEqual(issuesOf({ ...base, publishers: { exchange: 'd', routingKeys: [] } }), ['publishers.routingKeys: expected a list of strings with at least 1 item, got []']);
});

test('profiles/topic-routing.json: orders.eu.de reaches 2 queues, orders.us.ny 2, orders.us.tx 1', async () => {
  const p = await loadProfile(join(packageRoot(), 'profiles', 'topic-routing.json'), {});
  const plan = planRun(p, { uris: ['amqp://a/'], leaderOfQueue: [] }, 4);
  assert.deepEqual(plan.routing.queues, ['orders-1', 'orders-2', 'orders-3']);
  assert.deepEqual(plan.routing.publisherQueues, [[0, 1], [1, 2], [1]]);
});

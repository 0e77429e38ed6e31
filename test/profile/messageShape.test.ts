import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseProfile } from '../../src/profile/load.js';
import { planRun } from '../../src/engine/plan.js';
import { expiryNote } from '../../src/results/expiryNote.js';
import { issuesOf } from '../helpers/profileIssues.js';

const valid = { name: 't', broker: { uris: ['amqp://guest:guest@127.0.0.1:5700/'] } };
const nodes = { uris: ['amqp://127.0.0.1:5700'], leaderOfQueue: [undefined] };

test('message size distributions: bounds, min <= max, weights > 0, one form at a time', () => {
  assert.deepEqual(issuesOf({ ...valid, publishers: { messageSize: { min: 500, max: 100 } } }), ['publishers.messageSize.min: must be <= max (100), got 500']);
  assert.deepEqual(issuesOf({ ...valid, publishers: { messageSize: { min: 10, max: 100 } } }), ['publishers.messageSize.min: expected an integer between 40 and 134217728, got 10']);
  assert.deepEqual(issuesOf({ ...valid, publishers: { messageSize: { min: 100 } } }), ['publishers.messageSize.max: missing: a uniform size distribution needs both "min" and "max"']);
  assert.deepEqual(issuesOf({ ...valid, publishers: { messageSize: { weighted: [{ size: 100, weight: 0 }, { size: 20, weight: 1 }] } } }), [
    'publishers.messageSize.weighted[0].weight: expected a number > 0, got 0',
    'publishers.messageSize.weighted[1].size: expected an integer between 40 and 134217728, got 20',
  ]);
  assert.deepEqual(issuesOf({ ...valid, publishers: { messageSize: { min: 100, max: 200, weighted: [{ size: 100, weight: 1 }] } } }), [
    'publishers.messageSize: set either "min" and "max" or "weighted", not both',
  ]);
  assert.deepEqual(issuesOf({ ...valid, publishers: { messageSize: {} } }), ['publishers.messageSize: a size distribution needs "min" and "max", or "weighted"']);
  assert.deepEqual(issuesOf({ ...valid, publishers: { messageSize: '1k' } }), [
    'publishers.messageSize: expected a size in bytes (an integer between 40 and 134217728) or a distribution ({"min": …, "max": …} or {"weighted": [...]}), got "1k"',
  ]);
});

test('priority needs a classic priority queue; headers are plain values; expiration is a duration', () => {
  assert.deepEqual(issuesOf({ ...valid, publishers: { priority: 5 } }), ['publishers.priority: has no effect without a priority queue: set queues.arguments {"x-max-priority": N}']);
  assert.deepEqual(issuesOf({ ...valid, queues: { type: 'quorum' }, publishers: { priority: 5 } }), [
    'publishers.priority: priority queues are classic only: quorum queues ignore message priorities',
  ]);
  assert.deepEqual(issuesOf({ ...valid, queues: { arguments: { 'x-max-priority': 10 } }, publishers: { priority: 256 } }), [
    'publishers.priority: expected an integer between 0 and 255, got 256',
  ]);
  assert.deepEqual(issuesOf({ ...valid, publishers: { headers: { a: [1] }, expiration: 100 } }), [
    'publishers.headers.a: expected a string, a number or a boolean, got [1]',
    'publishers.expiration: expected a duration such as "500ms", "10s", "2m" or "1m30s", got 100',
  ]);
});

test('processing delay: needs acks, excludes a consumer rate, min <= max', () => {
  assert.deepEqual(issuesOf({ ...valid, consumers: { processingDelay: '10ms', rate: 5 } }), ['consumers.processingDelay: set either consumers.rate or consumers.processingDelay, not both']);
  assert.deepEqual(issuesOf({ ...valid, consumers: { processingDelay: '10ms', ack: 'auto' } }), [
    'consumers.processingDelay: a slow consumer needs ack "manual" or "multiple": with auto-ack the broker ignores prefetch and would flood it',
  ]);
  assert.deepEqual(issuesOf({ ...valid, consumers: { processingDelay: { min: '50ms', max: '5ms' } } }), ['consumers.processingDelay.min: must be <= max (5ms), got "50ms"']);
  assert.deepEqual(issuesOf({ ...valid, consumers: { processingDelay: 20 } }), ['consumers.processingDelay: expected a duration such as "20ms" or {"min": "5ms", "max": "50ms"}, got 20']);
});

test('the plan carries sizes, properties and the processing delay to the workers', () => {
  const profile = parseProfile(
    {
      ...valid,
      queues: { arguments: { 'x-max-priority': 10 } },
      publishers: { messageSize: { min: 100, max: 5000 }, persistent: false, headers: { tenant: 'a', n: 2, ok: true }, priority: 5, expiration: '1m30s' },
      consumers: { processingDelay: { min: '5ms', max: '15ms' } },
    },
    'mem',
    {},
  );
  const plan = planRun(profile, nodes, 2);
  assert.deepEqual(plan.publisher.messageSize, { kind: 'uniform', min: 100, max: 5000 });
  assert.equal(plan.publisher.persistent, false);
  assert.deepEqual(plan.publisher.headers, { tenant: 'a', n: 2, ok: true });
  assert.equal(plan.publisher.priority, 5);
  assert.equal(plan.publisher.expirationMs, 90_000);
  assert.deepEqual(plan.consumer.processingDelayMs, { min: 5, max: 15 });
  const plain = planRun(parseProfile(valid, 'mem', {}), nodes, 2);
  assert.deepEqual(plain.publisher.messageSize, { kind: 'fixed', bytes: 1000 });
  assert.equal(plain.consumer.processingDelayMs, null);
});

test('loss is reported with its likely cause when messages can expire', () => {
  const p = (extra: Record<string, unknown>) => parseProfile({ ...valid, ...extra }, 'mem', {});
  assert.equal(expiryNote(p({})), undefined);
  assert.equal(expiryNote(p({ publishers: { expiration: '100ms' } })), 'messages may have expired (publishers.expiration 100ms): lost includes expired');
  assert.equal(expiryNote(p({ queues: { arguments: { 'x-message-ttl': 0 } } })), 'messages may have expired (queue x-message-ttl 0 ms): lost includes expired');
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { queueArguments } from '../../src/engine/queueArguments.js';
import { parseProfile } from '../../src/profile/load.js';

const base = { name: 't', broker: { uris: ['amqp://127.0.0.1:5700/'] } };

test('queue arguments: a stream is declared as one, with its replicas and leader locator', () => {
  const args = (extra: Record<string, unknown>): ReturnType<typeof queueArguments> => queueArguments(parseProfile({ ...base, ...extra }, 'mem', {}));
  assert.deepEqual(args({ queues: { type: 'stream', initialGroupSize: 2 }, placement: { leader: 'balanced' } }), {
    'x-queue-type': 'stream',
    'x-initial-cluster-size': 2,
    'x-queue-leader-locator': 'balanced',
  });
  assert.deepEqual(args({ queues: { type: 'quorum', initialGroupSize: 3 } }), {
    'x-queue-type': 'quorum',
    'x-quorum-initial-group-size': 3,
    'x-queue-leader-locator': 'client-local',
  });
  assert.deepEqual(args({ queues: { type: 'classic-mirrored' } }), { 'x-queue-type': 'classic', 'x-queue-master-locator': 'client-local' });
});

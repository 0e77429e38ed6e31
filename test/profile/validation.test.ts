import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ProfileError } from '../../src/profile/errors.js';
import { parseProfile } from '../../src/profile/load.js';
import { issuesOf } from '../helpers/profileIssues.js';

const valid = { name: 't', broker: { uris: ['amqp://guest:guest@127.0.0.1:5700/'] } };

test('a minimal profile validates and gets defaults', () => {
  const profile = parseProfile(valid, 'mem', {});
  assert.equal(profile.queues.type, 'classic');
  assert.equal(profile.publishers.confirms.maxInFlight, 100);
  assert.equal(profile.consumers.ack, 'manual');
  assert.equal(profile.warmup, '0s');
});

test('wrong type: message states the full expectation and the value found', () => {
  assert.deepEqual(issuesOf({ ...valid, publishers: { rate: 'fast' } }), ['publishers.rate: expected a number >= 0 or a schedule ({"steps": [...]} or {"ramp": {...}}), got "fast"']);
});

test('all problems are reported at once, with the file in the headline', () => {
  let caught: unknown;
  try {
    parseProfile({ ...valid, publishers: { rate: 'fast', count: -1 }, queues: { type: 'fifo' }, warmup: 'soon' }, 'profiles/x.json', {});
  } catch (error) {
    caught = error;
  }
  assert.ok(caught instanceof ProfileError);
  assert.equal(caught.exitCode, 2);
  assert.deepEqual(caught.issues, [
    'queues.type: expected one of "classic", "quorum", "classic-mirrored", "stream", got "fifo"',
    'publishers.count: expected an integer between 0 and 10000, got -1',
    'publishers.rate: expected a number >= 0 or a schedule ({"steps": [...]} or {"ramp": {...}}), got "fast"',
    'warmup: expected a duration such as "500ms", "10s", "2m" or "1m30s", got "soon"',
  ]);
  assert.equal(caught.message, ['profiles/x.json: invalid profile', ...caught.issues.map((line) => `  ${line}`)].join('\n'));
});

test('unknown fields are named, with a hint when close to a real one', () => {
  assert.deepEqual(issuesOf({ ...valid, queues: { typo: 1, zzzzzz: 2 }, extra: true }), [
    'queues.typo: unknown field (did you mean "type"?)',
    'queues.zzzzzz: unknown field',
    'extra: unknown field',
  ]);
});

test('missing required fields say "missing"', () => {
  assert.deepEqual(issuesOf({ broker: {} }), ['name: missing, expected a string', 'broker.uris: missing, expected a list of strings with at least 1 item']);
});

test('array indexes and odd keys in paths', () => {
  assert.deepEqual(issuesOf({ ...valid, broker: { uris: ['amqp://a/', 'http://b/'] }, queues: { arguments: { 'x-max-length': null, 'a b': [] } } }), [
    'broker.uris[1]: expected an amqp:// or amqps:// URI, got "http://b/"',
    'queues.arguments.x-max-length: expected a string, a number or a boolean, got null',
    'queues.arguments["a b"]: expected a string, a number or a boolean, got []',
  ]);
});

test('type errors on fields with their own wording (URIs, durations)', () => {
  assert.deepEqual(issuesOf({ ...valid, broker: { uris: [5] }, warmup: 60 }), [
    'broker.uris[0]: expected an amqp:// or amqps:// URI string, got 5',
    'warmup: expected a duration such as "500ms", "10s", "2m" or "1m30s", got 60',
  ]);
});

test('integers, booleans and list bounds', () => {
  assert.deepEqual(issuesOf({ ...valid, broker: { uris: [] }, publishers: { messageSize: 10.5, persistent: 'yes' } }), [
    'broker.uris: expected a list of strings with at least 1 item, got []',
    'publishers.messageSize: expected an integer between 40 and 134217728, got 10.5',
    'publishers.persistent: expected true or false, got "yes"',
  ]);
});

test('cross-field rules', () => {
  assert.deepEqual(issuesOf({ ...valid, duration: '10s', messagesPerPublisher: 5 }), ['messagesPerPublisher: set either duration or messagesPerPublisher, not both']);
  assert.deepEqual(issuesOf({ ...valid, duration: '0s' }), ['duration: must be longer than 0s, got "0s"']);
  assert.deepEqual(issuesOf({ ...valid, publishers: { count: 0 }, consumers: { count: 0 } }), ['publishers.count: a run needs at least one publisher or consumer, got 0']);
});

test('a non-object profile', () => {
  assert.deepEqual(issuesOf([]), ['profile: expected an object, got []']);
});

test('passwords in offending values are masked', () => {
  const issues = issuesOf({ ...valid, broker: { uris: ['http://admin:s3cret@host/'] } });
  assert.deepEqual(issues, ['broker.uris[0]: expected an amqp:// or amqps:// URI, got "http://admin:***@host/"']);
});

test('long values are cut short', () => {
  const [line] = issuesOf({ ...valid, name: 'x'.repeat(200) + '!' });
  assert.ok(line !== undefined);
  assert.ok(line.startsWith('name: expected letters, digits, ".", "_" or "-", got "xxx'), line);
  assert.ok(line.endsWith('...') && line.length < 200, line);
});

test('cluster layouts are checked before anything starts', () => {
  const issues = (cluster: unknown): string[] => {
    try {
      parseProfile({ name: 'x', cluster }, 'p.json', {});
      return [];
    } catch (err) {
      return [...(err as ProfileError).issues];
    }
  };
  assert.deepEqual(issues({ local: { nodes: 3, layout: ['disk', 'ram', 'ram'] } }), []);
  assert.match(issues({ local: { nodes: 2, layout: ['ram', 'ram'] } }).join('\n'), /cluster\.local\.layout: a cluster needs at least one disk node/);
  assert.match(issues({ local: { nodes: 1, layout: 'one-ram' } }).join('\n'), /cluster\.local\.layout: a 1-node cluster cannot be RAM/);
  assert.match(issues({ local: { nodes: 3, layout: ['disk'] } }).join('\n'), /has 1 entries but nodes is 3/);
  assert.deepEqual(issues({ uris: ['amqp://127.0.0.1/'], management: ['http://127.0.0.1:15672'] }), []);
});

test('a profile names a broker or a cluster, not both and not neither', () => {
  assert.throws(() => parseProfile({ name: 'x' }, 'p.json', {}), /broker: missing/);
  assert.throws(() => parseProfile({ name: 'x', broker: { uris: ['amqp://a/'] }, cluster: { local: { nodes: 1 } } }, 'p.json', {}), /set either broker or cluster/);
});

test('mirroring "exactly" needs params; initialGroupSize is for quorum and stream queues only', () => {
  assert.throws(() => parseProfile({ name: 'x', broker: { uris: ['amqp://a/'] }, queues: { type: 'classic-mirrored', mirroring: { mode: 'exactly' } } }, 'p.json', {}), /queues\.mirroring\.params: missing/);
  assert.throws(() => parseProfile({ name: 'x', broker: { uris: ['amqp://a/'] }, queues: { type: 'classic', initialGroupSize: 3 } }, 'p.json', {}), /queues\.initialGroupSize: only applies to quorum and stream queues/);
});

test('placement names only nodes the cluster has', () => {
  assert.deepEqual(issuesOf({ ...valid, placement: { leader: 2, connect: 'follower' } }), [
    'placement.leader: node 2 does not exist: the cluster has 1 node',
    'placement.connect: "follower" needs a node that is not the leader: the cluster has 1 node',
  ]);
  assert.deepEqual(issuesOf({ name: 't', cluster: { local: { nodes: 3 } }, placement: { leader: 4 } }), ['placement.leader: node 4 does not exist: the cluster has 3 nodes']);
  const ok = parseProfile({ name: 't', cluster: { local: { nodes: 3 } }, placement: { leader: 3, connect: 'follower' } }, 'mem', {});
  assert.equal(ok.placement.leader, 3);
});

test('stream queues: acks, a prefetch, no purge, one consumer per stream — each refused in one line', () => {
  const stream = { ...valid, queues: { type: 'stream' } };
  assert.equal(parseProfile(stream, 'mem', {}).queues.type, 'stream');
  assert.deepEqual(issuesOf({ ...stream, consumers: { ack: 'auto' } }), [
    'consumers.ack: stream consumers need acks (the broker refuses no-ack consumers on a stream): use "manual" or "multiple"',
  ]);
  assert.deepEqual(issuesOf({ ...stream, consumers: { prefetch: 0 } }), [
    'consumers.prefetch: stream consumers need a prefetch above 0 (the broker refuses an unlimited one on a stream)',
  ]);
  assert.deepEqual(issuesOf({ ...valid, queues: { type: 'stream', onEnd: 'purge' } }), [
    'queues.onEnd: a stream cannot be purged (its messages stay until retention removes them): use "delete" or "keep"',
  ]);
  assert.match(issuesOf({ ...valid, queues: { type: 'stream', count: 1 }, consumers: { count: 2 } })[0]!, /^consumers\.count: 2 consumers on 1 stream: every consumer of a stream reads all of it/);
  assert.deepEqual(issuesOf({ ...valid, queues: { type: 'stream', durable: false } }), ['queues.durable: stream queues are always durable: set true or leave it out']);
  // Replicas of a stream: x-initial-cluster-size.
  assert.equal(parseProfile({ ...valid, queues: { type: 'stream', initialGroupSize: 2 } }, 'mem', {}).queues.initialGroupSize, 2);
});

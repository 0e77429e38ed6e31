import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseProfile } from '../../src/profile/load.js';
import { issuesOf } from '../helpers/profileIssues.js';

const local = (nodes: number, queues: Record<string, unknown> = { type: 'quorum' }) => ({
  name: 't',
  cluster: { local: { nodes } },
  queues,
  duration: '40s',
});

test('a leader-loss timeline on a local 3-node quorum cluster is valid; defaults for the surviving clients', () => {
  const p = parseProfile({ ...local(3), faults: [{ at: '20s', action: 'stop', target: 'leader' }, { at: '30s', action: 'start', target: 'leader' }] }, 'mem', {});
  assert.equal(p.faults.length, 2);
  assert.equal(p.publishers.onConnectionLoss, 'republish');
  assert.equal(p.connection.heartbeat, '5s');
  assert.equal(p.allowLoss, false);
});

test('faults on a cluster mqbench did not start are refused', () => {
  const issues = issuesOf({ name: 't', broker: { uris: ['amqp://127.0.0.1:5672/'] }, duration: '40s', faults: [{ at: '1s', action: 'stop', target: 1 }] });
  assert.deepEqual(issues, ['faults: faults are only allowed on a local cluster mqbench starts itself ("cluster": {"local": {...}}); mqbench never harms a cluster it did not start']);
});

test('each timeline mistake is named with its field', () => {
  assert.deepEqual(issuesOf({ ...local(3), faults: [{ at: '50s', action: 'stop', target: 'leader' }] }), ['faults[0].at: 50s is not before the end of the measurement (duration 40s)']);
  assert.deepEqual(issuesOf({ ...local(3), faults: [{ at: '5s', action: 'start', target: 'leader' }] }), [
    'faults[0].target: start of "leader", but no earlier stop or kill step of "leader" is still in effect',
  ]);
  assert.deepEqual(issuesOf({ ...local(3), faults: [{ at: '5s', action: 'stop', target: 4 }] }), ['faults[0].target: node 4 does not exist: the cluster has 3 nodes']);
  assert.deepEqual(issuesOf({ ...local(3, { type: 'classic' }), faults: [{ at: '5s', action: 'partition', target: 'minority' }] }), [
    'faults[0].target: "minority" needs a queue with at least 3 members: the classic queue has 1 member on 3 nodes',
  ]);
  assert.deepEqual(issuesOf({ ...local(1, { type: 'classic' }), faults: [{ at: '5s', action: 'partition', target: 'leader' }] }), [
    'faults[0].action: a partition needs at least 2 nodes: the cluster has 1',
  ]);
  assert.deepEqual(issuesOf({ ...local(3), faults: [{ at: '5s', action: 'stop', target: 'leader', clients: false }] }), ['faults[0].clients: only applies to partition steps']);
  assert.deepEqual(issuesOf({ ...local(3), faults: [{ at: '9s', action: 'pause', target: 'leader' }, { at: '5s', action: 'resume', target: 'leader' }] }), [
    'faults[1].at: 5s is earlier than the step before it: list steps in time order',
  ]);
  assert.deepEqual(issuesOf({ ...local(3), faults: [{ at: '5s', action: 'stop', target: 'all-but-leader', count: 3 }] }), [
    'faults[0].count: "all-but-leader" stands for 2 nodes here, fewer than count 3',
  ]);
  assert.deepEqual(issuesOf({ ...local(3), messagesPerPublisher: 100, duration: undefined, faults: [{ at: '5s', action: 'kill', target: 1 }] }), [
    'faults: faults need a run with a duration (their times are relative to it), not messagesPerPublisher',
  ]);
});

test('undo steps: a partial start leaves the rest down; a node number may undo a word step', () => {
  const steps = [
    { at: '5s', action: 'stop', target: 'all-but-leader' },
    { at: '10s', action: 'start', target: 'all-but-leader', count: 1 },
    { at: '15s', action: 'start', target: 'all-but-leader', count: 1 },
  ];
  assert.equal(parseProfile({ ...local(3), faults: steps }, 'mem', {}).faults.length, 3);
  assert.deepEqual(issuesOf({ ...local(3), faults: [...steps, { at: '20s', action: 'start', target: 'all-but-leader' }] }), [
    'faults[3].target: start of "all-but-leader", but no earlier stop or kill step of "all-but-leader" is still in effect',
  ]);
  assert.equal(parseProfile({ ...local(3), faults: [{ at: '5s', action: 'kill', target: 'leader' }, { at: '9s', action: 'start', target: 2 }] }, 'mem', {}).faults.length, 2);
  assert.deepEqual(issuesOf({ ...local(3), faults: [{ at: '9s', action: 'heal', target: 2 }] }), [
    'faults[0].target: heal of node 2, but no earlier partition step of node 2 is still in effect',
  ]);
});

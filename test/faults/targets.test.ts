import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveTargets, type NodeFaultState, type TakeDown, type TargetContext } from '../../src/faults/targets.js';
import { toMembership } from '../../src/faults/membership.js';
import type { FaultStep } from '../../src/profile/faultSchema.js';
import type { QueueMembership } from '../../src/faults/types.js';

const n = (i: number): string => `mqbench-5960-${i}@localhost`;
const nodes5 = [1, 2, 3, 4, 5].map(n);
const nodes3 = nodes5.slice(0, 3);

function ctx(over: Partial<TargetContext> & { membership?: QueueMembership | undefined } = {}): TargetContext {
  return {
    clusterNodes: nodes3,
    membership: { leader: n(2), members: [n(3), n(1), n(2)], online: [n(1), n(2), n(3)] },
    states: new Map(),
    history: [],
    ...over,
  };
}

const states = (entries: Array<[string, NodeFaultState[]]>): Map<string, Set<NodeFaultState>> => new Map(entries.map(([k, v]) => [k, new Set(v)]));
const step = (action: FaultStep['action'], target: FaultStep['target'], count?: number): Pick<FaultStep, 'action' | 'target' | 'count'> => ({
  action,
  target,
  ...(count === undefined ? {} : { count }),
});
const nodesOf = (r: ReturnType<typeof resolveTargets>): string[] => {
  assert.ok('nodes' in r, `expected nodes, got ${JSON.stringify(r)}`);
  return r.nodes;
};

test('quorum queue, 3 members: every word, in cluster order, leader kept out of followers', { timeout: 5000 }, () => {
  assert.deepEqual(nodesOf(resolveTargets(step('stop', 'leader'), ctx())), [n(2)]);
  assert.deepEqual(nodesOf(resolveTargets(step('stop', 'follower'), ctx())), [n(1)]);
  assert.deepEqual(nodesOf(resolveTargets(step('stop', 'all-but-leader'), ctx())), [n(1), n(3)]);
  // m = 3: minority is floor((3-1)/2) = 1 node, the leader; majority the other two.
  assert.deepEqual(nodesOf(resolveTargets(step('partition', 'minority'), ctx())), [n(2)]);
  assert.deepEqual(nodesOf(resolveTargets(step('partition', 'majority'), ctx())), [n(1), n(3)]);
});

test('5 members: minority is the leader plus one follower, majority the other three; count takes the first N', { timeout: 5000 }, () => {
  const c = ctx({ clusterNodes: nodes5, membership: { leader: n(4), members: [n(5), n(4), n(3), n(2), n(1)], online: nodes5 } });
  assert.deepEqual(nodesOf(resolveTargets(step('partition', 'minority'), c)), [n(4), n(1)]);
  assert.deepEqual(nodesOf(resolveTargets(step('partition', 'majority'), c)), [n(2), n(3), n(5)]);
  assert.deepEqual(nodesOf(resolveTargets(step('stop', 'all-but-leader', 2), c)), [n(1), n(2)]);
  assert.deepEqual(nodesOf(resolveTargets(step('kill', 'majority', 1), c)), [n(2)]);
});

test('follower skips followers that are already faulted, and fails when none is left', { timeout: 5000 }, () => {
  assert.deepEqual(nodesOf(resolveTargets(step('kill', 'follower'), ctx({ states: states([[n(1), ['app-stopped']]]) }))), [n(3)]);
  const r = resolveTargets(step('kill', 'follower'), ctx({ states: states([[n(1), ['app-stopped']], [n(3), ['cut']]]) }));
  assert.ok('error' in r && /no follower that is not already faulted/.test(r.error), JSON.stringify(r));
});

test('a node number is that node of the cluster, whatever the membership (even none)', { timeout: 5000 }, () => {
  assert.deepEqual(nodesOf(resolveTargets(step('pause', 3), ctx({ membership: undefined }))), [n(3)]);
  assert.deepEqual(nodesOf(resolveTargets(step('resume', 1), ctx())), [n(1)]);
  const r = resolveTargets(step('stop', 4), ctx());
  assert.ok('error' in r && /node 4 does not exist: the cluster has 3 node/.test(r.error));
});

test('no membership or no leader: a word target resolves to nothing, with a reason', { timeout: 5000 }, () => {
  const none = resolveTargets(step('stop', 'leader'), ctx({ membership: undefined }));
  assert.ok('error' in none && /could not be read from any node/.test(none.error));
  for (const word of ['leader', 'follower', 'minority', 'majority', 'all-but-leader'] as const) {
    const r = resolveTargets(step('stop', word), ctx({ membership: { leader: undefined, members: nodes3, online: [] } }));
    assert.ok('error' in r && /no known leader/.test(r.error), `${word}: ${JSON.stringify(r)}`);
  }
});

test('classic queue: the hosting node is leader and only member; follower and minority are impossible', { timeout: 5000 }, () => {
  const classic = toMembership({ leader: n(3), members: [n(3)], online: [n(3)] });
  const c = ctx({ membership: classic });
  assert.deepEqual(nodesOf(resolveTargets(step('kill', 'leader'), c)), [n(3)]);
  assert.ok('error' in resolveTargets(step('kill', 'follower'), c));
  assert.ok('error' in resolveTargets(step('stop', 'all-but-leader'), c));
  const m = resolveTargets(step('partition', 'minority'), c);
  assert.ok('error' in m && /needs at least 3 members; the queue has 1/.test(m.error));
});

test('classic mirrored queue: master is the leader, mirrors are followers (only the mirrors, not every node)', { timeout: 5000 }, () => {
  // ha-mode exactly 2 on a 5-node cluster: master on node 4, one mirror on node 2.
  const mirrored = toMembership({ leader: n(4), members: [n(4), n(2)], online: [n(4)] });
  const c = ctx({ clusterNodes: nodes5, membership: mirrored });
  assert.deepEqual(nodesOf(resolveTargets(step('stop', 'leader'), c)), [n(4)]);
  assert.deepEqual(nodesOf(resolveTargets(step('stop', 'follower'), c)), [n(2)]);
  assert.deepEqual(nodesOf(resolveTargets(step('stop', 'all-but-leader'), c)), [n(2)]);
});

test('undo words: the nodes an earlier step with the same word took down and that are still down', { timeout: 5000 }, () => {
  const history: TakeDown[] = [
    { action: 'stop', target: 'follower', nodes: [n(1)] },
    { action: 'kill', target: 'follower', nodes: [n(3)] },
    { action: 'stop', target: 'leader', nodes: [n(2)] },
    { action: 'pause', target: 'follower', nodes: [n(4)] },
  ];
  const c = ctx({
    clusterNodes: nodes5,
    history,
    states: states([[n(1), ['app-stopped']], [n(3), ['killed']], [n(2), ['app-stopped']], [n(4), ['paused']]]),
    // The membership has changed since: it must not matter for undo words.
    membership: { leader: n(5), members: nodes5, online: [n(5)] },
  });
  assert.deepEqual(nodesOf(resolveTargets(step('start', 'follower'), c)), [n(1), n(3)]);
  assert.deepEqual(nodesOf(resolveTargets(step('start', 'follower', 1), c)), [n(1)]);
  assert.deepEqual(nodesOf(resolveTargets(step('start', 'leader'), c)), [n(2)]);
  assert.deepEqual(nodesOf(resolveTargets(step('resume', 'follower'), c)), [n(4)]);
  // Started again meanwhile (state cleared): no longer a candidate.
  const later = { ...c, states: states([[n(3), ['killed']]]) };
  assert.deepEqual(nodesOf(resolveTargets(step('start', 'follower'), later)), [n(3)]);
  const nothing = resolveTargets(step('heal', 'follower'), c);
  assert.ok('error' in nothing && /no node taken down by an earlier partition of "follower" is still down/.test(nothing.error), JSON.stringify(nothing));
  const paused = resolveTargets(step('resume', 'leader'), c);
  assert.ok('error' in paused, 'a stop of "leader" is not undone by resume');
});

test('heal of a word: the nodes partition steps with that word cut off', { timeout: 5000 }, () => {
  const c = ctx({ history: [{ action: 'partition', target: 'minority', nodes: [n(2)] }], states: states([[n(2), ['cut']]]) });
  assert.deepEqual(nodesOf(resolveTargets(step('heal', 'minority'), c)), [n(2)]);
});

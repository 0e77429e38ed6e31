import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chainName, basePortOfChain, hookRule, partitionRules, restoreInput, type RuleNode } from '../../src/faults/rules.js';
import { nodeSourceAddress, sourceAddressErlArgs } from '../../src/cluster/local/nodeAddress.js';
import { parseMqbenchChains, splitRule } from '../../src/faults/listing.js';
import { hookSpecs } from '../../src/faults/iptables.js';
import { parseStatStartTicks, parseStatState, processStartTicks } from '../../src/faults/procState.js';

const nodes: RuleNode[] = [1, 2, 3].map((i) => ({
  name: `mqbench-5960-${i}@localhost`,
  sourceAddress: nodeSourceAddress(5960, i - 1),
  distPort: 25959 + i,
  amqpPort: 5959 + i,
}));

test('source addresses: 127.(basePort>>8).(basePort&255).(i+1), distinct per port block, never 127.0.0.1', { timeout: 5000 }, () => {
  assert.deepEqual([0, 1, 2].map((i) => nodeSourceAddress(5960, i)), ['127.23.72.1', '127.23.72.2', '127.23.72.3']);
  assert.equal(nodeSourceAddress(5961, 0), '127.23.73.1');
  assert.equal(nodeSourceAddress(1024, 0), '127.4.0.1');
  assert.equal(sourceAddressErlArgs(5960, 1), '-kernel inet_dist_connect_options [{ip,{127,23,72,2}}]');
  assert.ok(!/\s/.test(sourceAddressErlArgs(5960, 1).split(' ').slice(2).join('')), 'the value has no spaces (the start script splits on them)');
});

test('chain names', { timeout: 5000 }, () => {
  assert.equal(chainName(5960), 'MQBENCH-5960');
  assert.equal(basePortOfChain('MQBENCH-5960'), 5960);
  assert.equal(basePortOfChain('MQBENCH-x'), undefined);
  assert.deepEqual(hookRule('MQBENCH-5960'), ['OUTPUT', '-j', 'MQBENCH-5960', '-m', 'comment', '--comment', 'mqbench']);
});

test('cutting node 1 off: 4 distribution rules per peer, plus its AMQP port both ways with clients', { timeout: 5000 }, () => {
  const rules = partitionRules(nodes, [{ cut: ['mqbench-5960-1@localhost'], clients: true }]).map((r) => r.join(' '));
  const c = '-m comment --comment mqbench -j DROP';
  assert.deepEqual(rules, [
    `-p tcp -s 127.23.72.1 --dport 25961 ${c}`,
    `-p tcp -d 127.23.72.1 --sport 25961 ${c}`,
    `-p tcp -s 127.23.72.2 --dport 25960 ${c}`,
    `-p tcp -d 127.23.72.2 --sport 25960 ${c}`,
    `-p tcp -s 127.23.72.1 --dport 25962 ${c}`,
    `-p tcp -d 127.23.72.1 --sport 25962 ${c}`,
    `-p tcp -s 127.23.72.3 --dport 25960 ${c}`,
    `-p tcp -d 127.23.72.3 --sport 25960 ${c}`,
    `-p tcp --dport 5960 ${c}`,
    `-p tcp --sport 5960 ${c}`,
  ]);
  const noClients = partitionRules(nodes, [{ cut: ['mqbench-5960-1@localhost'], clients: false }]);
  assert.equal(noClients.length, 8);
  assert.ok(!noClients.some((r) => r.includes('5960')), 'no AMQP rule without clients');
  for (const r of partitionRules(nodes, [{ cut: ['mqbench-5960-1@localhost'], clients: true }])) {
    assert.ok(!r.includes('15960'), 'management ports are never cut');
  }
});

test('two cuts: pairs inside one side stay connected, duplicates are dropped, unknown nodes refused', { timeout: 5000 }, () => {
  const twoSides = partitionRules(nodes, [{ cut: ['mqbench-5960-1@localhost', 'mqbench-5960-2@localhost'], clients: false }]);
  assert.equal(twoSides.length, 8, '1↔3 and 2↔3, 4 rules each; 1↔2 untouched');
  assert.ok(!twoSides.some((r) => r.includes('127.23.72.1') && r.includes('25961')), 'no rule between nodes 1 and 2');
  const overlapping = partitionRules(nodes, [
    { cut: ['mqbench-5960-1@localhost'], clients: false },
    { cut: ['mqbench-5960-1@localhost'], clients: false },
  ]);
  assert.equal(overlapping.length, 8);
  assert.throws(() => partitionRules(nodes, [{ cut: ['x@y'], clients: false }]), /not a node of this cluster/);
});

test('iptables-restore input replaces the chain only', { timeout: 5000 }, () => {
  const text = restoreInput('MQBENCH-5960', [['-p', 'tcp', '--dport', '5960', '-m', 'comment', '--comment', 'mqbench', '-j', 'DROP']]);
  assert.equal(text, '*filter\n:MQBENCH-5960 - [0:0]\n-A MQBENCH-5960 -p tcp --dport 5960 -m comment --comment mqbench -j DROP\nCOMMIT\n');
  assert.throws(() => restoreInput('MQBENCH-5960', [['-m', 'comment', '--comment', 'two words']]), /unexpected iptables argument/);
});

const LISTING = `-P INPUT ACCEPT
-P FORWARD ACCEPT
-P OUTPUT ACCEPT
-N DOCKER-USER
-N MQBENCH-5960
-N MQBENCH-5990
-A OUTPUT -m comment --comment mqbench -j MQBENCH-5960
-A OUTPUT -p tcp -m comment --comment "someone else's rule" -j ACCEPT
-A MQBENCH-5960 -s 127.23.72.1/32 -p tcp -m tcp --dport 25961 -m comment --comment mqbench -j DROP
-A MQBENCH-5960 -d 127.23.72.1/32 -p tcp -m tcp --sport 25961 -m comment --comment mqbench -j DROP
-A MQBENCH-5990 -p tcp -m tcp --dport 5990 -m comment --comment mqbench -j DROP
-A DOCKER-USER -j RETURN
`;

test('leftovers from iptables -S: every MQBENCH chain with its rules and whether OUTPUT jumps to it', { timeout: 5000 }, () => {
  assert.deepEqual(parseMqbenchChains(LISTING), [
    {
      chain: 'MQBENCH-5960',
      basePort: 5960,
      rules: [
        '-A MQBENCH-5960 -s 127.23.72.1/32 -p tcp -m tcp --dport 25961 -m comment --comment mqbench -j DROP',
        '-A MQBENCH-5960 -d 127.23.72.1/32 -p tcp -m tcp --sport 25961 -m comment --comment mqbench -j DROP',
      ],
      hooked: true,
    },
    { chain: 'MQBENCH-5990', basePort: 5990, rules: ['-A MQBENCH-5990 -p tcp -m tcp --dport 5990 -m comment --comment mqbench -j DROP'], hooked: false },
  ]);
  assert.deepEqual(parseMqbenchChains('-P OUTPUT ACCEPT\n'), []);
  assert.deepEqual(splitRule('-A OUTPUT -m comment --comment "a \\"b\\" c" -j X'), ['-A', 'OUTPUT', '-m', 'comment', '--comment', 'a "b" c', '-j', 'X']);
  assert.deepEqual(hookSpecs(LISTING, 'MQBENCH-5960'), [['OUTPUT', '-m', 'comment', '--comment', 'mqbench', '-j', 'MQBENCH-5960']]);
  assert.deepEqual(hookSpecs(LISTING, 'MQBENCH-5990'), []);
});

test('process state from /proc/<pid>/stat, with spaces and parentheses in the command name', { timeout: 5000 }, () => {
  assert.equal(parseStatState('4242 (beam.smp) T 1 4242 4242 0 -1'), 'T');
  assert.equal(parseStatState('17 (a (weird) name) S 1 2 3'), 'S');
  assert.equal(parseStatState('garbage'), undefined);
  // Field 22 (starttime): 19 fields after the state.
  const fields = Array.from({ length: 30 }, (_, i) => String(i + 3)); // field numbers 3..32
  assert.equal(parseStatStartTicks(`7 (x) ${fields.join(' ')}`), 22);
  assert.equal(processStartTicks(process.pid), processStartTicks(process.pid));
  assert.ok((processStartTicks(process.pid) ?? 0) > 0);
});

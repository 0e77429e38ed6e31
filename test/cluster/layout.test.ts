import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ClusterError } from '../../src/cluster/errors.js';
import { formatLayout, layoutFromCounts, parseLayout, rabbitType, sameLayout, validateLayout } from '../../src/cluster/local/layout.js';
import { nodePorts, validateBasePort } from '../../src/cluster/local/ports.js';
import { nodeName } from '../../src/cluster/local/state.js';

const usageError = (re: RegExp) => (err: unknown) => err instanceof ClusterError && err.exitCode === 2 && re.test(err.message);

test('parseLayout accepts disk/disc/ram lists', () => {
  assert.deepEqual(parseLayout('disk,disk,ram'), ['disk', 'disk', 'ram']);
  assert.deepEqual(parseLayout(' Disc , RAM '), ['disk', 'ram']);
  assert.deepEqual(parseLayout('d,r,r'), ['disk', 'ram', 'ram']);
  assert.deepEqual(parseLayout('disk'), ['disk']);
});

test('parseLayout rejects unknown types and bad layouts', () => {
  assert.throws(() => parseLayout('disk,ssd'), usageError(/invalid node type "ssd"/));
  assert.throws(() => parseLayout(''), usageError(/empty/));
  assert.throws(() => parseLayout('ram'), usageError(/1-node cluster cannot be a RAM node/));
  assert.throws(() => parseLayout('ram,ram'), usageError(/no disk node/));
  assert.throws(() => parseLayout('ram,disk'), usageError(/first node must be a disk node/));
  assert.throws(() => parseLayout(Array(11).fill('disk').join(',')), usageError(/at most 10/));
});

test('layoutFromCounts puts RAM nodes last', () => {
  assert.deepEqual(layoutFromCounts(3, 1), ['disk', 'disk', 'ram']);
  assert.deepEqual(layoutFromCounts(3), ['disk', 'disk', 'disk']);
  assert.deepEqual(layoutFromCounts(1, 0), ['disk']);
  assert.throws(() => layoutFromCounts(1, 1), usageError(/no disk node/));
  assert.throws(() => layoutFromCounts(3, 3), usageError(/no disk node/));
  assert.throws(() => layoutFromCounts(0), usageError(/positive integer/));
  assert.throws(() => layoutFromCounts(2, -1), usageError(/non-negative/));
});

test('validateLayout, formatLayout, sameLayout, rabbitType', () => {
  assert.doesNotThrow(() => validateLayout(['disk', 'ram']));
  assert.throws(() => validateLayout(['disk', 'flash']), usageError(/invalid node type/));
  assert.equal(formatLayout(['disk', 'disk', 'ram']), 'disk,disk,ram');
  assert.ok(sameLayout(['disk', 'ram'], ['disk', 'ram']));
  assert.ok(!sameLayout(['disk', 'ram'], ['disk', 'disk']));
  assert.ok(!sameLayout(['disk'], ['disk', 'disk']));
  assert.equal(rabbitType('disk'), 'disc');
  assert.equal(rabbitType('ram'), 'ram');
});

test('port block: AMQP B+i, management B+10000+i, distribution B+20000+i', () => {
  assert.deepEqual(nodePorts(5700, 0), { amqp: 5700, management: 15700, dist: 25700 });
  assert.deepEqual(nodePorts(5900, 2), { amqp: 5902, management: 15902, dist: 25902 });
  assert.doesNotThrow(() => validateBasePort(5700, 3));
  assert.throws(() => validateBasePort(80, 1), usageError(/invalid basePort 80/));
  assert.throws(() => validateBasePort(45535, 2), usageError(/65535/));
  assert.throws(() => validateBasePort(5700.5, 1), usageError(/invalid basePort/));
});

test('node names carry the basePort so clusters on different blocks never clash', () => {
  assert.equal(nodeName(5700, 0), 'mqbench-5700-1@localhost');
  assert.equal(nodeName(5800, 2), 'mqbench-5800-3@localhost');
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { baselineCell, cellLabel, expandMatrix } from '../../src/matrix/expand.js';
import { matrixProfileSchema, type MatrixProfile } from '../../src/matrix/matrixProfile.js';
import { assignClusters } from '../../src/matrix/runner.js';
import { meanStd, ratio } from '../../src/metrics/meanStd.js';
import { ProfileError } from '../../src/profile/errors.js';

const matrix = (axes: Record<string, unknown[]>, base: Record<string, unknown> = {}): MatrixProfile =>
  matrixProfileSchema.parse({ name: 'm', base: { cluster: { local: { nodes: 1 } }, duration: '2s', ...base }, axes });

test('axes expand to their cartesian product, in order', () => {
  const cells = expandMatrix(matrix({ 'queues.type': ['classic', 'quorum'], 'cluster.local.nodes': [1, 3] }), 'm.json');
  assert.deepEqual(
    cells.map((c) => c.label),
    ['classic, 1 node', 'classic, 3 nodes', 'quorum, 1 node', 'quorum, 3 nodes'],
  );
  assert.equal(cells[3]!.profile?.queues.type, 'quorum');
  assert.deepEqual(cells[3]!.profile?.cluster, { local: { nodes: 3, layout: 'all-disk', basePort: 5700, partitionHandling: 'ignore', netTicktime: 10, stateDir: '.mqbench/cluster' } });
  assert.deepEqual(cells[3]!.overrides, {});
  assert.equal(cells[1]!.profile?.name, 'm-c2');
});

test('quorum or mirrored on 1 node and RAM-only clusters are skipped with a reason, not crashed on', () => {
  const cells = expandMatrix(
    matrix({ 'queues.type': ['classic', 'classic-mirrored', 'quorum'], 'cluster.local.nodes': [1, 3], 'cluster.local.layout': ['all-disk', 'one-ram'] }),
    'm.json',
  );
  assert.equal(cells.length, 12);
  const skipped = Object.fromEntries(cells.filter((c) => c.skipped).map((c) => [c.label, c.skipped]));
  assert.match(skipped['quorum, 1 node, all-disk']!, /quorum on 1 node has no replicas/);
  assert.match(skipped['classic-mirrored, 1 node, all-disk']!, /classic-mirrored on 1 node/);
  assert.match(skipped['classic, 1 node, one-ram']!, /1-node cluster cannot be RAM/);
  assert.equal(cells.filter((c) => !c.skipped).length, 7);
});

test('a problem in the base profile fails the whole matrix with its field', () => {
  assert.throws(() => expandMatrix(matrix({ 'queues.type': ['classic'] }, { publishers: { rate: 'fast' } }), 'm.json'), (err: unknown) => {
    assert.ok(err instanceof ProfileError);
    assert.match(err.message, /publishers\.rate: expected a number >= 0 or a schedule \(.+\), got "fast"/);
    return true;
  });
});

test('baseline: classic on 1 node by default, or the cell the profile names', () => {
  const cells = expandMatrix(matrix({ 'queues.type': ['quorum', 'classic'], 'cluster.local.nodes': [3, 1] }), 'm.json');
  assert.equal(baselineCell(cells, undefined)?.label, 'classic, 1 node');
  assert.equal(baselineCell(cells, { 'queues.type': 'classic', 'cluster.local.nodes': 3 })?.label, 'classic, 3 nodes');
});

test('every distinct layout gets its own state directory and port block', () => {
  const cells = expandMatrix(matrix({ 'queues.type': ['classic', 'quorum'], 'cluster.local.nodes': [1, 3], 'cluster.local.layout': ['all-disk', 'one-ram'] }), 'm.json');
  const dirs = assignClusters(cells, '.mqbench/matrix', 6000);
  assert.deepEqual(dirs, ['.mqbench/matrix/1-disk', '.mqbench/matrix/3-disk-disk-disk', '.mqbench/matrix/3-disk-disk-ram']);
  const ports = cells.filter((c) => c.profile).map((c) => (c.profile!.cluster as { local: { basePort: number } }).local.basePort);
  assert.deepEqual([...new Set(ports)], [6000, 6010, 6020]);
});

test('labels read like a sentence', () => {
  assert.equal(cellLabel({ 'queues.type': 'quorum', 'cluster.local.nodes': 5, 'publishers.messageSize': 4096 }), 'quorum, 5 nodes, 4096 B');
});

test('mean ± stddev and ratios with propagated error', () => {
  const a = meanStd([10, 12, 14]);
  assert.equal(a.mean, 12);
  assert.equal(a.stddev, 2);
  const r = ratio({ mean: 50, stddev: 5, n: 3 }, { mean: 100, stddev: 10, n: 3 });
  assert.equal(r.mean, 0.5);
  assert.ok(Math.abs(r.stddev - 0.5 * Math.sqrt(0.02)) < 1e-12);
});

test('excluded combinations are skipped with a reason', () => {
  const m = matrixProfileSchema.parse({
    name: 'm',
    base: { cluster: { local: { nodes: 1 } } },
    axes: { 'cluster.local.nodes': [3, 5], 'cluster.local.layout': ['all-disk', 'one-ram'] },
    exclude: [{ 'cluster.local.nodes': 5, 'cluster.local.layout': 'one-ram' }],
  });
  const cells = expandMatrix(m, 'm.json');
  assert.deepEqual(cells.filter((c) => c.skipped).map((c) => [c.label, c.skipped]), [['5 nodes, one-ram', 'excluded by the matrix profile']]);
});

test('a rule broken only by some combinations skips those cells, even outside the axes\' sections', () => {
  const cells = expandMatrix(matrix({ 'cluster.local.nodes': [1, 3] }, { placement: { connect: 'follower' } }), 'm.json');
  assert.deepEqual(
    cells.map((c) => [c.label, c.skipped]),
    [
      ['1 node', 'placement.connect: "follower" needs a node that is not the leader: the cluster has 1 node'],
      ['3 nodes', null],
    ],
  );
});

test('a rule broken by every combination, outside the axes\' sections, is the base profile\'s problem', () => {
  assert.throws(
    () => expandMatrix(matrix({ 'queues.type': ['classic', 'quorum'] }, { cluster: { local: { nodes: 3 } }, placement: { leader: 4 } }), 'm.json'),
    /m\.json \(base\): invalid profile\n {2}placement\.leader: node 4 does not exist: the cluster has 3 nodes/,
  );
});

test('passwords in axis values are masked in cell ids and labels', () => {
  const cells = expandMatrix(
    matrixProfileSchema.parse({ name: 'm', base: { duration: '2s' }, axes: { 'broker.uris': [['amqp://u:s3cret@127.0.0.1:5672/']] } }),
    'm.json',
  );
  assert.ok(!cells[0]!.id.includes('s3cret') && !cells[0]!.label.includes('s3cret'), cells[0]!.label);
  assert.match(cells[0]!.label, /broker\.uris=amqp:\/\/u:\*+@127\.0\.0\.1:5672\//);
});

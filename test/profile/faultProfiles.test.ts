import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { expandMatrix } from '../../src/matrix/expand.js';
import { loadMatrixProfile } from '../../src/matrix/matrixProfile.js';
import { loadProfile } from '../../src/profile/load.js';
import { packageRoot } from '../../src/util/packageRoot.js';

const dir = join(packageRoot(), 'profiles', 'faults');

test('the fault profiles answer the seeds: each validates, names its file, runs on a local 3-node quorum cluster and undoes what it does', async () => {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.json') && !f.includes('matrix')).sort();
  assert.deepEqual(files, ['leader-loss.json', 'partition-leader.json', 'pause-leader.json', 'quorum-loss.json']);
  for (const file of files) {
    const p = await loadProfile(join(dir, file), {});
    assert.equal(`${p.name}.json`, file);
    assert.equal(p.$schema, '../schema.json');
    assert.ok(p.description.length > 100, file);
    assert.ok(p.cluster && 'local' in p.cluster && p.cluster.local.nodes === 3, file);
    assert.equal(p.queues.type, 'quorum', file);
    assert.equal(p.faults.length, 2, file);
  }
  const quorumLoss = await loadProfile(join(dir, 'quorum-loss.json'), {});
  assert.deepEqual(quorumLoss.faults.map((s) => [s.at, s.action, s.target, s.count]), [
    ['20s', 'stop', 'all-but-leader', undefined],
    ['40s', 'start', 'all-but-leader', 1],
  ]);
});

test('the resilience matrix runs the same leader fault on classic, mirrored and quorum queues', async () => {
  const path = join(dir, 'resilience-matrix.json');
  const m = await loadMatrixProfile(path);
  const cells = expandMatrix(m, path);
  assert.deepEqual(cells.map((c) => [c.label, c.skipped]), [
    ['classic', null],
    ['classic-mirrored', null],
    ['quorum', null],
  ]);
  for (const c of cells) assert.deepEqual(c.profile?.faults.map((s) => s.action), ['stop', 'start']);
});

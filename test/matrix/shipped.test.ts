import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { baselineCell, expandMatrix } from '../../src/matrix/expand.js';
import { loadMatrixProfile } from '../../src/matrix/matrixProfile.js';
import { packageRoot } from '../../src/util/packageRoot.js';

test('the shipped matrices load, expand and have a classic 1-node baseline', async () => {
  for (const [file, runnable] of [['replication-matrix.json', 13], ['replication-matrix-quick.json', 3], ['latency-matrix.json', 7], ['capacity-matrix.json', 7]] as const) {
    const path = join(packageRoot(), 'profiles', file);
    const m = await loadMatrixProfile(path);
    const cells = expandMatrix(m, path);
    assert.equal(cells.filter((c) => !c.skipped).length, runnable, file);
    assert.equal(baselineCell(cells, m.baseline)?.label.startsWith('classic, 1 node'), true, file);
  }
});

test('the shipped capacity matrix is a capacity-mode matrix whose cells a search can run', async () => {
  const path = join(packageRoot(), 'profiles', 'capacity-matrix.json');
  const m = await loadMatrixProfile(path);
  assert.equal(m.mode, 'capacity');
  assert.ok(m.capacity!.fractions.includes(m.capacity!.tableFraction));
  for (const c of expandMatrix(m, path).filter((x) => !x.skipped)) {
    assert.equal(c.profile!.queues.onStart, 'delete', c.label);
    assert.ok(c.profile!.publishers.count > 0 && c.profile!.consumers.count > 0, c.label);
  }
});

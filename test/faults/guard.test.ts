import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FAULT_FILE, readFaultFile } from '../../src/faults/faultFile.js';
import { activeFaults, undoActiveFaultsSync, updateActive } from '../../src/faults/guard.js';

const listeners = (): number[] => ['exit', 'SIGTERM', 'SIGINT', 'SIGHUP'].map((e) => process.listenerCount(e));

test('an active fault is persisted to faults.json and guarded; nothing stays installed once it is undone', { timeout: 5000 }, (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'mqbench-guard-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const before = listeners();
  // A pid that cannot be ours to stop: the registry only records it here (nothing is signalled).
  updateActive(dir, 5999, (a) => a.paused.set('mqbench-5999-1@localhost', [2 ** 22 + 1]));
  assert.deepEqual(
    listeners(),
    before.map((n) => n + 1),
    'one exit and one listener per signal while a fault is active',
  );
  const file = readFaultFile(dir);
  assert.equal(file?.ownerPid, process.pid);
  assert.deepEqual(file?.paused, [{ node: 'mqbench-5999-1@localhost', pids: [2 ** 22 + 1] }]);
  assert.equal(file?.chain, null);
  assert.match(readFileSync(join(dir, FAULT_FILE), 'utf8'), /"basePort": 5999/);
  updateActive(dir, 5999, (a) => a.paused.set('mqbench-5999-2@localhost', [2 ** 22 + 2]));
  assert.deepEqual(listeners(), before.map((n) => n + 1), 'installed once');

  updateActive(dir, 5999, (a) => a.paused.clear());
  assert.deepEqual(listeners(), before, 'removed when nothing is active');
  assert.ok(!existsSync(join(dir, FAULT_FILE)));
  assert.equal(activeFaults(dir), undefined);
});

test('undoActiveFaultsSync clears everything (what the exit and signal handlers run)', { timeout: 5000 }, (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'mqbench-guard-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const before = listeners();
  updateActive(dir, 5999, (a) => a.paused.set('mqbench-5999-1@localhost', [2 ** 22 + 1]));
  undoActiveFaultsSync();
  assert.equal(activeFaults(dir), undefined);
  assert.ok(!existsSync(join(dir, FAULT_FILE)));
  assert.deepEqual(listeners(), before);
});

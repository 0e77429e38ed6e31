import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { planNodes, writeState } from '../../src/cluster/local/state.js';
import type { LocalCluster } from '../../src/cluster/local/types.js';
import { FaultInjector } from '../../src/faults/injector.js';
import { FaultPreflightError } from '../../src/faults/preflight.js';
import { managementOf } from './helpers.js';

/** A cluster description that no mqbench state file backs (or one for another port block). */
function fakeCluster(stateDir: string, basePort: number): LocalCluster {
  return { stateDir, layout: ['disk', 'disk'], basePort, nodes: planNodes(stateDir, ['disk', 'disk'], basePort), partitionHandling: 'ignore', netTicktime: 10, reused: true };
}

test('faults are refused on a cluster mqbench did not start: one line, exit code 2', { timeout: 10_000 }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'mqbench-preflight-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const cluster = fakeCluster(dir, 5997);
  const inj = new FaultInjector({ cluster, management: managementOf(cluster), vhost: '/', queue: 'q', clockMs: () => 0 });
  const refused = (err: unknown): boolean =>
    err instanceof FaultPreflightError &&
    err.exitCode === 2 &&
    !err.message.includes('\n') &&
    err.message.includes(`faults are only applied to local clusters mqbench started: ${dir} holds no mqbench cluster on basePort 5997`);
  await assert.rejects(inj.preflight([{ at: '1s', action: 'stop', target: 'leader' }]), refused);

  // A state file of ours, but for another port block: still not this cluster.
  writeState(dir, { version: 1, status: 'running', createdAt: '', basePort: 5996, layout: ['disk', 'disk'], nodes: planNodes(dir, ['disk', 'disk'], 5996), partitionHandling: 'ignore', netTicktime: 10, sourceAddresses: true });
  await assert.rejects(inj.preflight([]), refused);
});

test('partition steps need a cluster started with per-node source addresses', { skip: process.getuid?.() !== 0 ? 'needs root' : false, timeout: 10_000 }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'mqbench-preflight-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const cluster = fakeCluster(dir, 5997);
  writeState(dir, { version: 1, status: 'running', createdAt: '', basePort: 5997, layout: cluster.layout, nodes: cluster.nodes, partitionHandling: 'ignore', netTicktime: 60, sourceAddresses: false });
  const inj = new FaultInjector({ cluster, management: managementOf(cluster), vhost: '/', queue: 'q', clockMs: () => 0 });
  await assert.rejects(
    inj.preflight([{ at: '1s', action: 'partition', target: 1 }]),
    (err: unknown) => err instanceof FaultPreflightError && /started by an older mqbench without per-node source addresses: run mqbench cluster down --state-dir/.test(err.message),
  );
  await inj.preflight([{ at: '1s', action: 'stop', target: 1 }]); // nothing else is missing here
});

test('a wrong number of management clients is a programming error, caught at once', { timeout: 5000 }, () => {
  const cluster = fakeCluster('/nonexistent', 5997);
  assert.throws(() => new FaultInjector({ cluster, management: [], vhost: '/', queue: 'q', clockMs: () => 0 }), /0 management clients for 2 nodes/);
});

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rabbitmqInstalled } from '../../src/cluster/local/rabbitmqBinaries.js';
import { planNodes, writeState } from '../../src/cluster/local/state.js';
import type { LocalCluster } from '../../src/cluster/local/types.js';
import { findLeftovers, inspectFaults, removeLeftovers } from '../../src/faults/cleanup.js';
import { FAULT_FILE } from '../../src/faults/faultFile.js';
import { findIptables } from '../../src/faults/iptables.js';
import type { FaultStep } from '../../src/profile/faultSchema.js';
import { packageRoot } from '../../src/util/packageRoot.js';
import { runCli } from '../helpers/cli.js';
import { testFaultCluster } from '../helpers/testBroker.js';
import { isWhole, managementOf, mqbenchRules, stoppedProcesses, waitFor } from './helpers.js';

/*
 * Nothing is left behind when mqbench dies with faults in effect: a child process applies a cut
 * and a pause, then dies by an uncaught exception, SIGTERM or SIGKILL. The first two must clean
 * up by themselves; after SIGKILL, `cluster status` must show the leftover (exit 1) and
 * `cluster up` (reuse) or `cluster down` must remove it. Pauses stay well under net_ticktime so
 * the shared cluster is not split by these tests.
 */
const skip = !rabbitmqInstalled() ? 'rabbitmq-server is not installed' : !findIptables() || process.getuid?.() !== 0 ? 'needs root and iptables' : false;
const FIXTURE = fileURLToPath(new URL('../fixtures/faultChild.js', import.meta.url));
const FAKE_BASE_PORT = 5994;
const FAKE_DIR = join(packageRoot(), '.mqbench', 'test-faults-fake');
const STEPS: FaultStep[] = [
  { at: '1s', action: 'partition', target: 2, clients: false },
  { at: '1s', action: 'pause', target: 3 },
];

let cluster: LocalCluster;

interface Child {
  child: ChildProcess;
  ready: Promise<string>;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
}

/** Runs the fixture; `ready` resolves with its READY line once the faults are in effect. */
function faultChild(stateDir: string, mode: 'throw' | 'hold', steps: FaultStep[]): Child {
  const child = spawn(process.execPath, [FIXTURE, stateDir, mode, JSON.stringify(steps)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, stderr })),
  );
  const ready = new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      stdout += d.toString();
      const line = stdout.split('\n').find((l) => l.startsWith('READY'));
      if (line) resolve(line);
    });
    void exit.then((e) => reject(new Error(`fixture exited before READY (code ${String(e.code)}): ${e.stderr}`)));
  });
  return { child, ready, exit };
}

/** The faults the fixture applied are in effect: the chain with its hook, and stopped node processes. */
async function assertFaultsInEffect(stateDir: string, chain: string): Promise<void> {
  const rules = mqbenchRules();
  assert.ok(rules.includes(`-N ${chain}`) && rules.some((r) => r.startsWith('-A OUTPUT') && r.endsWith(chain)), rules.join('\n'));
  if (stateDir === cluster.stateDir) assert.ok((await stoppedProcesses(stateDir)).length > 0, 'node 3 is paused');
  assert.ok(existsSync(join(stateDir, FAULT_FILE)));
}

async function assertNothingLeft(stateDir: string): Promise<void> {
  assert.deepEqual(mqbenchRules(), [], 'no mqbench chain, rule or hook');
  assert.deepEqual(await stoppedProcesses(stateDir), [], 'no paused node process');
  assert.ok(!existsSync(join(stateDir, FAULT_FILE)), 'faults.json removed');
  assert.deepEqual(await findLeftovers(stateDir), []);
}

describe('cleanup when mqbench dies with faults in effect', { skip, timeout: 400_000 }, () => {
  before(async () => {
    cluster = await testFaultCluster();
  });

  after(async () => {
    // Whatever failed above, the shared cluster is left without faults and whole.
    await removeLeftovers(cluster.stateDir);
    await removeLeftovers(FAKE_BASE_PORT);
    rmSync(FAKE_DIR, { recursive: true, force: true });
    const management = managementOf(cluster);
    await waitFor('the shared cluster whole', 120_000, async () => ((await isWhole(cluster, management)) ? true : undefined), 1000);
  });

  test('an uncaught exception: the exit handler heals the cut and resumes the paused node', { timeout: 60_000 }, async () => {
    const c = faultChild(cluster.stateDir, 'throw', STEPS);
    await c.ready;
    await assertFaultsInEffect(cluster.stateDir, 'MQBENCH-5960');
    const e = await c.exit;
    assert.equal(e.code, 1);
    assert.match(e.stderr, /boom: fixture crashed with faults in effect/);
    await assertNothingLeft(cluster.stateDir);
  });

  test('SIGTERM: undone synchronously, exit code 143', { timeout: 60_000 }, async () => {
    const c = faultChild(cluster.stateDir, 'hold', STEPS);
    await c.ready;
    await assertFaultsInEffect(cluster.stateDir, 'MQBENCH-5960');
    // While their mqbench lives, the faults are its business, not leftovers.
    const report = await inspectFaults(cluster.stateDir);
    assert.equal(report.running?.pid, c.child.pid);
    assert.deepEqual(report.running?.faults.map((f) => f.kind), ['iptables-chain', 'paused-node']);
    assert.deepEqual(report.leftovers, []);
    c.child.kill('SIGTERM');
    const e = await c.exit;
    assert.equal(e.code, 143, e.stderr);
    await assertNothingLeft(cluster.stateDir);
  });

  test('SIGKILL: the leftover is found, and cluster up removes it before reusing the cluster', { timeout: 120_000 }, async () => {
    const c = faultChild(cluster.stateDir, 'hold', STEPS);
    await c.ready;
    c.child.kill('SIGKILL');
    assert.equal((await c.exit).signal, 'SIGKILL');
    await assertFaultsInEffect(cluster.stateDir, 'MQBENCH-5960');
    const found = await findLeftovers(cluster.stateDir);
    assert.deepEqual(
      found.map((f) => [f.kind, f.what]),
      [
        ['iptables-chain', 'MQBENCH-5960'],
        ['paused-node', 'mqbench-5960-3@localhost'],
      ],
    );
    assert.match(found[0]!.detail, /^8 DROP rule\(s\), hooked into OUTPUT; cuts off mqbench-5960-2@localhost$/);
    assert.match(found[1]!.detail, /\d+ \(beam\.smp\).* stopped with SIGSTOP/);

    // Right away, so the pause stays far below net_ticktime and the cluster is not split.
    const t0 = Date.now();
    const again = await testFaultCluster();
    console.log(`  [faults] cluster up after a SIGKILLed run took ${Date.now() - t0} ms`);
    assert.equal(again.reused, true);
    await assertNothingLeft(cluster.stateDir);
    const management = managementOf(cluster);
    await waitFor('the cluster whole', 60_000, async () => ((await isWhole(cluster, management)) ? true : undefined), 500);
  });

  test('SIGKILL: cluster status shows the leftover and exits 1 (other clusters warn about it); cluster down removes it', { timeout: 120_000 }, async () => {
    // Another port block, with a cluster that never booted: the chain is all there is to leave
    // behind, and the shared cluster is not touched while status runs.
    rmSync(FAKE_DIR, { recursive: true, force: true });
    const nodes = planNodes(FAKE_DIR, ['disk', 'disk', 'disk'], FAKE_BASE_PORT);
    writeState(FAKE_DIR, {
      version: 1,
      status: 'running',
      createdAt: new Date().toISOString(),
      basePort: FAKE_BASE_PORT,
      layout: ['disk', 'disk', 'disk'],
      nodes,
      partitionHandling: 'ignore',
      netTicktime: 10,
      sourceAddresses: true,
    });
    const c = faultChild(FAKE_DIR, 'hold', [{ at: '1s', action: 'partition', target: 1 }]);
    await c.ready;
    c.child.kill('SIGKILL');
    await c.exit;
    await assertFaultsInEffect(FAKE_DIR, 'MQBENCH-5994');

    const status = await runCli(['cluster', 'status', '--state-dir', FAKE_DIR], { timeoutMs: 60_000 });
    assert.equal(status.code, 1);
    assert.match(status.stdout, /LEFTOVER FAULTS/);
    assert.match(status.stdout, /iptables chain MQBENCH-5994: 10 DROP rule\(s\), hooked into OUTPUT; cuts off mqbench-5994-1@localhost and their AMQP clients/);
    const shared = await runCli(['cluster', 'status', '--state-dir', cluster.stateDir], { timeoutMs: 60_000 });
    assert.equal(shared.code, 0, shared.stdout + shared.stderr);
    assert.match(shared.stderr, /warning: iptables chain MQBENCH-5994 of another mqbench cluster is in place/);

    const down = await runCli(['cluster', 'down', '--state-dir', FAKE_DIR], { timeoutMs: 60_000 });
    assert.equal(down.code, 0, down.stderr);
    assert.match(down.stderr, /removed leftover fault: iptables chain MQBENCH-5994/);
    assert.deepEqual(mqbenchRules(), []);
    assert.ok(!existsSync(FAKE_DIR));
    assert.deepEqual(await findLeftovers(FAKE_BASE_PORT), []);
  });
});

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parse } from 'csv-parse/sync';
import { ClusterError } from '../../src/cluster/errors.js';
import { ManagementClient } from '../../src/cluster/management.js';
import { clusterDown, clusterUp } from '../../src/cluster/local/cluster.js';
import { listClusterProcesses } from '../../src/cluster/local/procs.js';
import { rabbitmqInstalled } from '../../src/cluster/local/rabbitmqBinaries.js';
import { clusterStatus } from '../../src/cluster/local/status.js';
import type { RunResult } from '../../src/results/model.js';
import { packageRoot } from '../../src/util/packageRoot.js';
import { runCli, tempDir, writeProfile } from '../helpers/cli.js';

/*
 * Integration, against the real broker (skipped without RabbitMQ). One 3-node cluster (disk, disk,
 * ram) serves the whole file, as it takes half a minute to start: a 1-node cluster on basePort 5910
 * is replaced (`cluster up --force`) by the 3-node cluster on basePort 5900 in the same state dir,
 * which is then checked, reused, refused a different layout, benchmarked through profiles, and taken
 * down last. The tests of the first describe run in order and depend on each other.
 */
const BASE_PORT = 5900;
const SINGLE_BASE_PORT = 5910;
const stateDir = join(packageRoot(), '.mqbench', 'test-cluster-3');
const skip = rabbitmqInstalled() ? false : 'rabbitmq-server is not installed';
const log = (msg: string): void => console.log(`  [cluster] ${msg}`);
const nodeName = (i: number): string => `mqbench-${BASE_PORT}-${i}@localhost`;
const names3 = [nodeName(1), nodeName(2), nodeName(3)];
const name1 = `mqbench-${SINGLE_BASE_PORT}-1@localhost`;
const layout3 = ['disk', 'disk', 'ram'] as const;
const profileCluster = { local: { nodes: 3, layout: layout3, basePort: BASE_PORT, stateDir } };

/** beam.smp processes whose command line carries `-home <stateDir>` (HOME is the state dir). */
function beamsOf(dir: string): string[] {
  const out = execFileSync('ps', ['-eo', 'pid=,comm=,args='], { encoding: 'utf8' });
  return out.split('\n').filter((l) => /beam\.smp/.test(l) && l.includes(`-home ${dir} `));
}

/**
 * Processes whose environment names one of the nodes (the name is not on the command line).
 * epmd is left out: the first node on a machine spawns it, so it inherits that node's
 * environment, but it is shared by every Erlang node and outlives the cluster by design.
 */
function processesNamed(names: string[]): number[] {
  const pids: number[] = [];
  for (const e of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      if (readFileSync(`/proc/${e}/comm`, 'utf8').trim() === 'epmd') continue;
      const env = readFileSync(`/proc/${e}/environ`, 'latin1');
      if (names.some((n) => env.includes(`RABBITMQ_NODENAME=${n}\0`))) pids.push(Number(e));
    } catch {
      // gone or unreadable
    }
  }
  return pids;
}

async function run(name: string, extra: Record<string, unknown>): Promise<RunResult & { outDir: string }> {
  const out = tempDir(name);
  const profile = {
    name,
    cluster: profileCluster,
    queues: { type: 'quorum', namePattern: `mqbench-${name}-<n>` },
    publishers: { count: 2, rate: 300, messageSize: 500 },
    consumers: { count: 2 },
    duration: '2s',
    warmup: '0s',
    drainTimeout: '15s',
    ...extra,
  };
  const r = await runCli(['run', writeProfile(profile), '--out', out, '--csv', '-q'], { timeoutMs: 60_000 });
  assert.equal(r.code, 0, r.stderr);
  const result = JSON.parse(readFileSync(join(out, readdirSync(out).find((f) => f.endsWith('.json'))!), 'utf8')) as RunResult;
  return { ...result, outDir: out };
}

describe('a local cluster: 1 node replaced by 3 nodes with one RAM node, CLI up/status, reuse, layout conflict, runs, down', { skip, timeout: 360_000 }, () => {
  /** stdout of the CLI's `cluster up --force`. */
  let upStdout = '';

  before(async () => {
    await clusterDown({ stateDir }); // leftovers of an interrupted run
  });
  after(async () => {
    await clusterDown({ stateDir });
  });

  test('1 node up; a different layout without force is refused and leaves it alone', { timeout: 120_000 }, async () => {
    const t0 = Date.now();
    const single = await clusterUp({ stateDir, layout: ['disk'], basePort: SINGLE_BASE_PORT, onProgress: log });
    log(`1-node up took ${Date.now() - t0} ms`);
    assert.equal(single.reused, false);
    assert.deepEqual(single.nodes.map((n) => [n.name, n.type, n.amqpPort, n.managementPort, n.distPort]), [[name1, 'disk', 5910, 15910, 25910]]);
    const s1 = await clusterStatus({ stateDir });
    assert.deepEqual(s1.nodes.map((n) => [n.name, n.type, n.running]), [[name1, 'disc', true]]);

    await assert.rejects(
      clusterUp({ stateDir, layout: [...layout3], basePort: BASE_PORT }),
      (err: unknown) => err instanceof ClusterError && /a different cluster is running in .*test-cluster-3: layout disk on basePort 5910/.test(err.message),
    );
    assert.ok((await clusterStatus({ stateDir })).allRunning, 'the refused request left the cluster alone');
  });

  test('cluster up --force replaces it by disk, disk, ram nodes and prints them with the password masked', { timeout: 250_000 }, async () => {
    const up = await runCli(['cluster', 'up', '--layout', 'disk,disk,ram', '--base-port', String(BASE_PORT), '--state-dir', stateDir, '--force'], { timeoutMs: 240_000 });
    log(`force replace + 3-node up (CLI) took ${up.elapsedMs} ms`);
    assert.equal(up.code, 0, up.stderr);
    assert.match(up.stderr, /replacing cluster layout disk@5910/);
    assert.match(up.stderr, /started disk,disk,ram in .*test-cluster-3/, 'a fresh start, not a reuse');
    assert.match(up.stdout, new RegExp(`ram  amqp://guest:\\*\\*\\*@127\\.0\\.0\\.1:${BASE_PORT + 2}/`));
    assert.ok(!`${up.stdout}${up.stderr}`.includes('guest:guest'), 'the password is masked');
    assert.deepEqual(processesNamed([name1]), [], 'the replaced node is gone');
    upStdout = up.stdout;
  });

  test('status and the management API show two disc nodes and one RAM node, all running', { timeout: 60_000 }, async () => {
    const status = await clusterStatus({ stateDir });
    assert.ok(status.exists && status.allRunning, JSON.stringify(status));
    assert.deepEqual(status.nodes.map((n) => [n.name, n.type, n.running]), [
      [names3[0], 'disc', true],
      [names3[1], 'disc', true],
      [names3[2], 'ram', true],
    ]);
    assert.equal(status.clusterName, `mqbench-${BASE_PORT}`);
    assert.match(status.nodes[0]?.rabbitmqVersion ?? '', /^3\./);
    assert.ok(status.nodes[0]?.erlangVersion);

    const mgmt = new ManagementClient({ baseUrl: `http://127.0.0.1:${BASE_PORT + 10000}` });
    const nodes = (await mgmt.nodes()).sort((a, b) => a.name.localeCompare(b.name));
    assert.deepEqual(nodes.map((n) => [n.name, n.type, n.running]), [
      [names3[0], 'disc', true],
      [names3[1], 'disc', true],
      [names3[2], 'ram', true],
    ]);
    const overview = await mgmt.overview();
    assert.match(overview.rabbitmq_version, /^3\./);
    assert.equal(overview.cluster_name, `mqbench-${BASE_PORT}`);
  });

  test('cluster status shows two disc nodes and one RAM node, all running, with versions and ports', { timeout: 60_000 }, async () => {
    const s = await runCli(['cluster', 'status', '--state-dir', stateDir], { timeoutMs: 50_000 });
    assert.equal(s.code, 0, s.stderr);
    assert.match(s.stdout, /all nodes running/);
    for (const [i, type] of [[1, 'disc'], [2, 'disc'], [3, 'ram']] as const) {
      assert.match(s.stdout, new RegExp(`${nodeName(i)}\\s+${type}\\s+yes\\s+3\\.\\d+\\.\\d+\\s+\\S+\\s+${BASE_PORT + i - 1}\\s+${BASE_PORT + 10000 + i - 1}`));
    }
  });

  test('the same layout is reused in under 2 s with the nodes cluster up started; another layout is refused', { timeout: 60_000 }, async () => {
    const t0 = Date.now();
    const again = await clusterUp({ stateDir, layout: [...layout3], basePort: BASE_PORT });
    const reuseMs = Date.now() - t0;
    log(`reuse took ${reuseMs} ms`);
    assert.equal(again.reused, true);
    assert.ok(reuseMs < 2000, `reuse took ${reuseMs} ms`);
    assert.deepEqual(again.nodes.map((n) => [n.name, n.type, n.amqpPort, n.managementPort, n.distPort]), [
      [names3[0], 'disk', 5900, 15900, 25900],
      [names3[1], 'disk', 5901, 15901, 25901],
      [names3[2], 'ram', 5902, 15902, 25902],
    ]);
    assert.equal(again.nodes[2]?.amqpUri, 'amqp://guest:guest@127.0.0.1:5902/');
    assert.equal(again.nodes[2]?.managementUrl, 'http://127.0.0.1:15902');
    assert.ok(again.nodes.every((n) => existsSync(n.logFile)), 'log files are where LocalNodeInfo says');
    // The nodes the reuse returns are those `cluster up` started (its stdout lists them).
    const printed = again.nodes.map((n) => `${n.name}  ${n.type}  ${n.amqpUri.replace('guest:guest@', 'guest:***@')}  ${n.managementUrl}\n`).join('');
    assert.equal(upStdout, printed);

    await assert.rejects(
      clusterUp({ stateDir, layout: ['disk', 'disk'], basePort: BASE_PORT }),
      (err: unknown) => err instanceof ClusterError && /a different cluster is running/.test(err.message),
    );
  });

  test('a quorum run names its leader and 3 online members, before and after', { timeout: 70_000 }, async () => {
    const r = await run('cl-quorum', {});
    assert.equal(r.cluster.kind, 'local');
    assert.equal(r.cluster.local?.reused, true);
    assert.equal(r.cluster.nodeCount, 3);
    assert.equal(r.cluster.ramNodeCount, 1);
    assert.equal(r.cluster.leaderNode, nodeName(1)); // declared through node 1, client-local
    const q = r.cluster.before!.queues[0]!;
    assert.equal(q.type, 'quorum');
    assert.deepEqual([...q.members].sort(), names3);
    assert.deepEqual([...q.onlineMembers].sort(), names3);
    assert.ok(r.cluster.after!.queues[0]!.leader);
    assert.deepEqual(r.cluster.before!.nodes.map((n) => n.type).sort(), ['disc', 'disc', 'ram']);
    assert.equal(r.delivery.lost, 0);
    // Spread: the four agents use all three nodes.
    assert.equal(new Set(r.cluster.agents.map((a) => a.uri)).size, 3);
    const summaryCsv = readdirSync(r.outDir).find((f) => f.endsWith('-summary.csv'))!;
    const row = (parse(readFileSync(join(r.outDir, summaryCsv), 'utf8'), { columns: true }) as Array<Record<string, string>>)[0]!;
    assert.deepEqual([row.nodes, row.ram_nodes, row.queue_type, row.leader_node], ['3', '1', 'quorum', nodeName(1)]);
  });

  test('placement: leader on node 2, agents connected to followers only', { timeout: 130_000 }, async () => {
    const r = await run('cl-place', { placement: { leader: 2, connect: 'follower' } });
    assert.equal(r.cluster.leaderNode, nodeName(2));
    const leaderPort = String(BASE_PORT + 1);
    for (const a of r.cluster.agents) assert.notEqual(new URL(a.uri).port, leaderPort, `${a.kind} ${a.id} is on the leader`);
    const r2 = await run('cl-place-leader', { placement: { leader: 3, connect: 'leader' } });
    assert.equal(r2.cluster.leaderNode, nodeName(3));
    for (const a of r2.cluster.agents) assert.equal(new URL(a.uri).port, String(BASE_PORT + 2));
  });

  test('classic-mirrored: the HA policy mirrors the queue on every node and is removed after', { timeout: 70_000 }, async () => {
    const r = await run('cl-mirrored', { queues: { type: 'classic-mirrored', namePattern: 'mqbench-cl-mirrored-<n>', mirroring: { mode: 'all' } } });
    assert.equal(r.cluster.queueType, 'classic-mirrored');
    const q = r.cluster.before!.queues[0]!;
    assert.equal(q.type, 'classic');
    assert.equal(q.members.length, 3, `members ${q.members.join(', ')}`);
    assert.equal(r.delivery.lost, 0);
    const policies = (await new ManagementClient({ baseUrl: `http://127.0.0.1:${BASE_PORT + 10000}` }).policies('/')).map((p) => p.name);
    assert.ok(!policies.includes('mqbench-ha-cl-mirrored'), `policy left behind: ${policies.join(', ')}`);
  });

  test('cluster down stops the 3 nodes, leaves no node process behind and removes the state dir; down again is safe', { timeout: 90_000 }, async () => {
    const down = await runCli(['cluster', 'down', '--state-dir', stateDir], { timeoutMs: 80_000 });
    log(`3-node down (CLI) took ${down.elapsedMs} ms`);
    assert.equal(down.code, 0, down.stderr);
    assert.match(down.stderr, new RegExp(`stopped ${names3.join(', ')}\\n`));
    assert.deepEqual(beamsOf(stateDir), [], 'no beam.smp of ours in ps');
    assert.deepEqual(processesNamed([...names3, name1]), [], 'no process carries our node names');
    assert.deepEqual(await listClusterProcesses(stateDir), []);
    assert.ok(!existsSync(stateDir), 'state dir removed');
    assert.equal((await clusterStatus({ stateDir })).exists, false);
    assert.deepEqual(await clusterDown({ stateDir }), { stopped: [], removedFaults: [] }, 'down is safe when nothing runs');
  });
});

describe('cluster errors', { timeout: 30_000 }, () => {
  test('an invalid layout is refused before anything starts, exit 2', async () => {
    const r = await runCli(['cluster', 'up', '--layout', 'ram', '--state-dir', tempDir('badlayout')], { timeoutMs: 20_000 });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /1-node cluster cannot be a RAM node/);
    assert.equal(r.stderr.trim().split('\n').length, 1);
  });
  test('rabbitmq-server missing: one line saying how to install it, exit 2', async () => {
    const r = await runCli(['cluster', 'up', '--nodes', '1', '--state-dir', tempDir('nobin')], { env: { MQBENCH_RABBITMQ_BIN: '/nonexistent' }, timeoutMs: 20_000 });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /apt-get install -y rabbitmq-server/);
    assert.equal(r.stderr.trim().split('\n').length, 1);
  });
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ClusterError } from '../../src/cluster/errors.js';
import { ManagementClient } from '../../src/cluster/management.js';
import { clusterDown, clusterUp } from '../../src/cluster/local/cluster.js';
import { listClusterProcesses } from '../../src/cluster/local/procs.js';
import { rabbitmqInstalled } from '../../src/cluster/local/rabbitmqBinaries.js';
import { clusterStatus } from '../../src/cluster/local/status.js';
import { packageRoot } from '../../src/util/packageRoot.js';

/*
 * Integration, against the real broker (skipped without RabbitMQ): a 1-node cluster on
 * basePort 5910 is replaced (force) by a 3-node cluster (disk, disk, ram) on basePort 5900
 * in the same state dir, which is then checked, reused, refused a different layout, and
 * taken down. Every boot is needed for a check, to keep the file around a minute.
 */
const stateDir = join(packageRoot(), '.mqbench', 'test-cluster-3');
const skip = rabbitmqInstalled() ? false : 'rabbitmq-server is not installed';
const log = (msg: string): void => console.log(`  [cluster] ${msg}`);
const names3 = ['mqbench-5900-1@localhost', 'mqbench-5900-2@localhost', 'mqbench-5900-3@localhost'];
const name1 = 'mqbench-5910-1@localhost';

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

test('local cluster: 1 node, replaced by 3 nodes with one RAM node, reuse, layout conflict, down', { skip, timeout: 300_000 }, async (t) => {
  t.after(() => clusterDown({ stateDir }));
  await clusterDown({ stateDir }); // leftovers of an interrupted run

  let t0 = Date.now();
  const single = await clusterUp({ stateDir, layout: ['disk'], basePort: 5910, onProgress: log });
  log(`1-node up took ${Date.now() - t0} ms`);
  assert.equal(single.reused, false);
  assert.deepEqual(single.nodes.map((n) => [n.name, n.type, n.amqpPort, n.managementPort, n.distPort]), [[name1, 'disk', 5910, 15910, 25910]]);
  const s1 = await clusterStatus({ stateDir });
  assert.deepEqual(s1.nodes.map((n) => [n.name, n.type, n.running]), [[name1, 'disc', true]]);

  await assert.rejects(
    clusterUp({ stateDir, layout: ['disk', 'disk', 'ram'], basePort: 5900 }),
    (err: unknown) => err instanceof ClusterError && /a different cluster is running in .*test-cluster-3: layout disk on basePort 5910/.test(err.message),
  );
  assert.ok((await clusterStatus({ stateDir })).allRunning, 'the refused request left the cluster alone');

  t0 = Date.now();
  const cluster = await clusterUp({ stateDir, layout: ['disk', 'disk', 'ram'], basePort: 5900, force: true, onProgress: log });
  log(`force replace + 3-node up took ${Date.now() - t0} ms`);
  assert.equal(cluster.reused, false);
  assert.deepEqual(processesNamed([name1]), [], 'the replaced node is gone');
  assert.deepEqual(cluster.nodes.map((n) => [n.name, n.type, n.amqpPort, n.managementPort, n.distPort]), [
    [names3[0], 'disk', 5900, 15900, 25900],
    [names3[1], 'disk', 5901, 15901, 25901],
    [names3[2], 'ram', 5902, 15902, 25902],
  ]);
  assert.equal(cluster.nodes[2]?.amqpUri, 'amqp://guest:guest@127.0.0.1:5902/');
  assert.equal(cluster.nodes[2]?.managementUrl, 'http://127.0.0.1:15902');
  assert.ok(cluster.nodes.every((n) => existsSync(n.logFile)), 'log files are where LocalNodeInfo says');

  const status = await clusterStatus({ stateDir });
  assert.ok(status.exists && status.allRunning, JSON.stringify(status));
  assert.deepEqual(status.nodes.map((n) => [n.name, n.type, n.running]), [
    [names3[0], 'disc', true],
    [names3[1], 'disc', true],
    [names3[2], 'ram', true],
  ]);
  assert.equal(status.clusterName, 'mqbench-5900');
  assert.match(status.nodes[0]?.rabbitmqVersion ?? '', /^3\./);
  assert.ok(status.nodes[0]?.erlangVersion);

  const mgmt = new ManagementClient({ baseUrl: cluster.nodes[0]?.managementUrl ?? '' });
  const nodes = (await mgmt.nodes()).sort((a, b) => a.name.localeCompare(b.name));
  assert.deepEqual(nodes.map((n) => [n.name, n.type, n.running]), [
    [names3[0], 'disc', true],
    [names3[1], 'disc', true],
    [names3[2], 'ram', true],
  ]);
  const overview = await mgmt.overview();
  assert.match(overview.rabbitmq_version, /^3\./);
  assert.equal(overview.cluster_name, 'mqbench-5900');

  t0 = Date.now();
  const again = await clusterUp({ stateDir, layout: ['disk', 'disk', 'ram'], basePort: 5900 });
  const reuseMs = Date.now() - t0;
  log(`reuse took ${reuseMs} ms`);
  assert.equal(again.reused, true);
  assert.deepEqual(again.nodes, cluster.nodes);
  assert.ok(reuseMs < 2000, `reuse took ${reuseMs} ms`);

  await assert.rejects(
    clusterUp({ stateDir, layout: ['disk', 'disk'], basePort: 5900 }),
    (err: unknown) => err instanceof ClusterError && /a different cluster is running/.test(err.message),
  );

  t0 = Date.now();
  const down = await clusterDown({ stateDir, onProgress: log });
  log(`3-node down took ${Date.now() - t0} ms`);
  assert.deepEqual(down.stopped, names3);
  assert.deepEqual(beamsOf(stateDir), [], 'no beam.smp of ours in ps');
  assert.deepEqual(processesNamed([...names3, name1]), [], 'no process carries our node names');
  assert.deepEqual(await listClusterProcesses(stateDir), []);
  assert.ok(!existsSync(stateDir), 'state dir removed');
  assert.equal((await clusterStatus({ stateDir })).exists, false);
  assert.deepEqual(await clusterDown({ stateDir }), { stopped: [], removedFaults: [] }, 'down is safe when nothing runs');
});

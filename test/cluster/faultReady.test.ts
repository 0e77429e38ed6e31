import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ClusterError } from '../../src/cluster/errors.js';
import { clusterUp } from '../../src/cluster/local/cluster.js';
import { nodeSourceAddress } from '../../src/cluster/local/nodeAddress.js';
import { rabbitmqInstalled } from '../../src/cluster/local/rabbitmqBinaries.js';
import { readState } from '../../src/cluster/local/state.js';
import { TEST_FAULT_CLUSTER_BASE_PORT, TEST_FAULT_CLUSTER_DIR, testFaultCluster } from '../helpers/testBroker.js';

/*
 * What makes a local cluster ready for fault experiments, checked on the shared 3-node fault
 * cluster (basePort 5960) without changing it: each node's distribution connections leave from
 * its own address, and partition handling / net_ticktime are part of the cluster's identity.
 */
const skip = rabbitmqInstalled() ? false : 'rabbitmq-server is not installed';
const BASE = TEST_FAULT_CLUSTER_BASE_PORT;

/** Established IPv4 TCP connections from /proc/net/tcp (what `ss -tn` shows, without needing iproute2). */
function establishedTcp(): Array<{ local: string; peer: string }> {
  // "  0: 0100007F:6580 0348177F:B1C7 01 ..." — address in host (little-endian) byte order, port in hex; 01 = ESTABLISHED.
  const addr = (hex: string): string => {
    const [ip, port] = hex.split(':') as [string, string];
    const bytes = [0, 2, 4, 6].map((i) => parseInt(ip.slice(i, i + 2), 16)).reverse();
    return `${bytes.join('.')}:${parseInt(port, 16)}`;
  };
  return readFileSync('/proc/net/tcp', 'utf8')
    .split('\n')
    .slice(1)
    .map((l) => l.trim().split(/\s+/))
    .filter((f) => f[3] === '01')
    .map((f) => ({ local: addr(f[1]!), peer: addr(f[2]!) }));
}

test('node i connects to its peers from 127.A.B.(i+1); the listeners stay on 127.0.0.1', { skip, timeout: 180_000 }, async () => {
  const cluster = await testFaultCluster();
  // Connecting ends of node-to-node links: established, towards a dist port, not from one.
  const distPorts = new Set(cluster.nodes.map((n) => n.distPort));
  const links = establishedTcp().filter((c) => distPorts.has(Number(c.peer.split(':').pop())) && !distPorts.has(Number(c.local.split(':').pop())));
  const fromNodes = links.filter((c) => c.local.startsWith(`127.${(BASE >> 8) & 255}.${BASE & 255}.`));
  // A full mesh of 3 nodes: 3 links, each made by one side.
  assert.equal(fromNodes.length, 3, JSON.stringify(links));
  const expected = new Set(cluster.nodes.map((n) => nodeSourceAddress(BASE, n.index)));
  for (const c of fromNodes) {
    assert.ok(expected.has(c.local.split(':')[0]!), c.local);
    assert.equal(c.peer.split(':')[0], '127.0.0.1');
  }
});

test('partition handling and net_ticktime are recorded, written to rabbitmq.conf, and part of the identity', { skip, timeout: 180_000 }, async () => {
  const cluster = await testFaultCluster();
  assert.equal(cluster.partitionHandling, 'ignore');
  assert.equal(cluster.netTicktime, 10);
  const state = readState(TEST_FAULT_CLUSTER_DIR)!;
  assert.deepEqual([state.partitionHandling, state.netTicktime, state.sourceAddresses], ['ignore', 10, true]);
  const conf = readFileSync(join(TEST_FAULT_CLUSTER_DIR, 'nodes', '2', 'rabbitmq.conf'), 'utf8');
  assert.match(conf, /^cluster_partition_handling = ignore$/m);
  assert.match(conf, /^net_ticktime = 10$/m);

  const layout = cluster.layout;
  await assert.rejects(
    clusterUp({ stateDir: TEST_FAULT_CLUSTER_DIR, layout, basePort: BASE, partitionHandling: 'pause_minority' }),
    (err: unknown) =>
      err instanceof ClusterError &&
      err.message.includes(
        `a different cluster is running in ${TEST_FAULT_CLUSTER_DIR}: layout disk,disk,disk on basePort ${BASE} ` +
          `(requested layout disk,disk,disk with partition handling pause_minority on basePort ${BASE})`,
      ),
  );
  await assert.rejects(
    clusterUp({ stateDir: TEST_FAULT_CLUSTER_DIR, layout, basePort: BASE, netTicktime: 60 }),
    (err: unknown) => err instanceof ClusterError && /requested layout disk,disk,disk with net_ticktime 60 s/.test(err.message),
  );
  await assert.rejects(
    clusterUp({ stateDir: TEST_FAULT_CLUSTER_DIR, layout, basePort: BASE, partitionHandling: 'sometimes' as never }),
    (err: unknown) => err instanceof ClusterError && err.exitCode === 2 && /invalid partition handling "sometimes"/.test(err.message),
  );
  const same = await testFaultCluster();
  assert.equal(same.reused, true, 'the refused requests left the cluster alone');
});

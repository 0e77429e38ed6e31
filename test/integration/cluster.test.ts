import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parse } from 'csv-parse/sync';
import { ManagementClient } from '../../src/cluster/management.js';
import { listClusterProcesses } from '../../src/cluster/local/procs.js';
import type { RunResult } from '../../src/results/model.js';
import { packageRoot } from '../../src/util/packageRoot.js';
import { runCli, tempDir, writeProfile } from '../helpers/cli.js';

const BASE_PORT = 5930;
const stateDir = join(packageRoot(), '.mqbench', 'test-cluster-3ram');
const cluster = { local: { nodes: 3, layout: ['disk', 'disk', 'ram'], basePort: BASE_PORT, stateDir } };
const nodeName = (i: number): string => `mqbench-${BASE_PORT}-${i}@localhost`;

async function run(name: string, extra: Record<string, unknown>): Promise<RunResult & { outDir: string }> {
  const out = tempDir(name);
  const profile = {
    name,
    cluster,
    queues: { type: 'quorum', namePattern: `mqbench-${name}-<n>` },
    publishers: { count: 2, rate: 300, messageSize: 500 },
    consumers: { count: 2 },
    duration: '2s',
    warmup: '0s',
    drainTimeout: '15s',
    ...extra,
  };
  const r = await runCli(['run', writeProfile(profile), '--out', out, '--csv', '-q']);
  assert.equal(r.code, 0, r.stderr);
  const result = JSON.parse(readFileSync(join(out, readdirSync(out).find((f) => f.endsWith('.json'))!), 'utf8')) as RunResult;
  return { ...result, outDir: out };
}

describe('a local 3-node cluster with one RAM node', () => {
  before(async () => {
    const up = await runCli(['cluster', 'up', '--layout', 'disk,disk,ram', '--base-port', String(BASE_PORT), '--state-dir', stateDir], { timeoutMs: 240_000 });
    assert.equal(up.code, 0, up.stderr);
    assert.match(up.stdout, new RegExp(`ram  amqp://guest:\\*\\*\\*@127\\.0\\.0\\.1:${BASE_PORT + 2}/`));
    assert.ok(!`${up.stdout}${up.stderr}`.includes('guest:guest'), 'the password is masked');
  });
  after(async () => {
    await runCli(['cluster', 'down', '--state-dir', stateDir]);
  });

  test('cluster status shows two disc nodes and one RAM node, all running, with versions and ports', async () => {
    const s = await runCli(['cluster', 'status', '--state-dir', stateDir]);
    assert.equal(s.code, 0, s.stderr);
    assert.match(s.stdout, /all nodes running/);
    for (const [i, type] of [[1, 'disc'], [2, 'disc'], [3, 'ram']] as const) {
      assert.match(s.stdout, new RegExp(`${nodeName(i)}\\s+${type}\\s+yes\\s+3\\.\\d+\\.\\d+\\s+\\S+\\s+${BASE_PORT + i - 1}\\s+${BASE_PORT + 10000 + i - 1}`));
    }
  });

  test('a quorum run names its leader and 3 online members, before and after', async () => {
    const r = await run('cl-quorum', {});
    assert.equal(r.cluster.kind, 'local');
    assert.equal(r.cluster.local?.reused, true);
    assert.equal(r.cluster.nodeCount, 3);
    assert.equal(r.cluster.ramNodeCount, 1);
    assert.equal(r.cluster.leaderNode, nodeName(1)); // declared through node 1, client-local
    const q = r.cluster.before!.queues[0]!;
    assert.equal(q.type, 'quorum');
    assert.deepEqual([...q.members].sort(), [nodeName(1), nodeName(2), nodeName(3)]);
    assert.deepEqual([...q.onlineMembers].sort(), [nodeName(1), nodeName(2), nodeName(3)]);
    assert.ok(r.cluster.after!.queues[0]!.leader);
    assert.deepEqual(r.cluster.before!.nodes.map((n) => n.type).sort(), ['disc', 'disc', 'ram']);
    assert.equal(r.delivery.lost, 0);
    // Spread: the four agents use all three nodes.
    assert.equal(new Set(r.cluster.agents.map((a) => a.uri)).size, 3);
    const summaryCsv = readdirSync(r.outDir).find((f) => f.endsWith('-summary.csv'))!;
    const row = (parse(readFileSync(join(r.outDir, summaryCsv), 'utf8'), { columns: true }) as Array<Record<string, string>>)[0]!;
    assert.deepEqual([row.nodes, row.ram_nodes, row.queue_type, row.leader_node], ['3', '1', 'quorum', nodeName(1)]);
  });

  test('placement: leader on node 2, agents connected to followers only', async () => {
    const r = await run('cl-place', { placement: { leader: 2, connect: 'follower' } });
    assert.equal(r.cluster.leaderNode, nodeName(2));
    const leaderPort = String(BASE_PORT + 1);
    for (const a of r.cluster.agents) assert.notEqual(new URL(a.uri).port, leaderPort, `${a.kind} ${a.id} is on the leader`);
    const r2 = await run('cl-place-leader', { placement: { leader: 3, connect: 'leader' } });
    assert.equal(r2.cluster.leaderNode, nodeName(3));
    for (const a of r2.cluster.agents) assert.equal(new URL(a.uri).port, String(BASE_PORT + 2));
  });

  test('classic-mirrored: the HA policy mirrors the queue on every node and is removed after', async () => {
    const r = await run('cl-mirrored', { queues: { type: 'classic-mirrored', namePattern: 'mqbench-cl-mirrored-<n>', mirroring: { mode: 'all' } } });
    assert.equal(r.cluster.queueType, 'classic-mirrored');
    const q = r.cluster.before!.queues[0]!;
    assert.equal(q.type, 'classic');
    assert.equal(q.members.length, 3, `members ${q.members.join(', ')}`);
    assert.equal(r.delivery.lost, 0);
    const policies = (await new ManagementClient({ baseUrl: `http://127.0.0.1:${BASE_PORT + 10000}` }).policies('/')).map((p) => p.name);
    assert.ok(!policies.includes('mqbench-ha-cl-mirrored'), `policy left behind: ${policies.join(', ')}`);
  });
});

describe('cluster errors', () => {
  test('an invalid layout is refused before anything starts, exit 2', async () => {
    const r = await runCli(['cluster', 'up', '--layout', 'ram', '--state-dir', tempDir('badlayout')]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /1-node cluster cannot be a RAM node/);
    assert.equal(r.stderr.trim().split('\n').length, 1);
  });
  test('rabbitmq-server missing: one line saying how to install it, exit 2', async () => {
    const r = await runCli(['cluster', 'up', '--nodes', '1', '--state-dir', tempDir('nobin')], { env: { MQBENCH_RABBITMQ_BIN: '/nonexistent' } });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /apt-get install -y rabbitmq-server/);
    assert.equal(r.stderr.trim().split('\n').length, 1);
  });
  test('cluster down leaves no node process behind', async () => {
    const left = await listClusterProcesses(stateDir);
    assert.deepEqual(left, []);
  });
});


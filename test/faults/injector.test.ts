import { after, before, describe, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import amqplib from 'amqplib';
import type { ManagementClient } from '../../src/cluster/management.js';
import { nodePids } from '../../src/cluster/local/node.js';
import { pidAlive } from '../../src/cluster/local/procs.js';
import { findRabbitmqBinaries, rabbitmqInstalled } from '../../src/cluster/local/rabbitmqBinaries.js';
import type { LocalCluster, LocalNodeInfo } from '../../src/cluster/local/types.js';
import { removeLeftovers } from '../../src/faults/cleanup.js';
import { FAULT_FILE } from '../../src/faults/faultFile.js';
import { FaultInjector } from '../../src/faults/injector.js';
import { findIptables } from '../../src/faults/iptables.js';
import { processState } from '../../src/faults/procState.js';
import type { FaultStep } from '../../src/profile/faultSchema.js';
import { testFaultCluster } from '../helpers/testBroker.js';
import { declareQuorumQueue, isWhole, managementOf, membership, mqbenchRules, sleep, stoppedProcesses, waitFor } from './helpers.js';

/*
 * Integration, against the shared real 3-node cluster (basePort 5960, .mqbench/test-faults): each
 * fault on a quorum queue, what the cluster does about it, and that the injector leaves the
 * cluster whole (all nodes running, no rules, nothing paused) — every test also restores in
 * t.after, so a failing assertion cannot leave a fault for the next test file.
 * Measured times are logged ("[faults] ...") and documented in docs/faults.md.
 */
const skip = !rabbitmqInstalled() ? 'rabbitmq-server is not installed' : !findIptables() || process.getuid?.() !== 0 ? 'needs root and iptables' : false;
const QUEUE = 'mqbench-faults-it';
const log = (msg: string): void => console.log(`  [faults] ${msg}`);

let cluster: LocalCluster;
let management: ManagementClient[];

const nodeNamed = (name: string): LocalNodeInfo => cluster.nodes.find((n) => n.name === name)!;
const numberOf = (name: string): number => nodeNamed(name).index + 1;
/** Management clients of every node but these: the side that still has a quorum. */
const apiExcept = (...names: string[]): ManagementClient[] => management.filter((_, i) => !names.includes(cluster.nodes[i]!.name));
const ctx = (): { stateDir: string; bins: ReturnType<typeof findRabbitmqBinaries> } => ({ stateDir: cluster.stateDir, bins: findRabbitmqBinaries() });

function injector(t: TestContext): FaultInjector {
  const t0 = Date.now();
  const inj = new FaultInjector({ cluster, management, vhost: '/', queue: QUEUE, clockMs: () => Date.now() - t0, onProgress: log });
  // Whatever happens in the test, the shared cluster is left whole.
  t.after(async () => {
    const actions = await inj.restoreAll();
    if (actions.some((a) => a.error)) log(`t.after restore: ${JSON.stringify(actions)}`);
  });
  return inj;
}

async function currentLeader(): Promise<string> {
  const { value } = await waitFor('a leader with 3 online members', 60_000, async () => {
    const m = await membership(management, QUEUE);
    return m?.leader && m.online.length === 3 ? m.leader : undefined;
  });
  return value;
}

/** Waits until the given nodes report a leader other than `old`; returns it and how long it took. */
async function newLeader(api: ManagementClient[], old: string, timeoutMs: number): Promise<{ value: string; ms: number }> {
  return waitFor(`a new leader instead of ${old}`, timeoutMs, async () => {
    const m = await membership(api, QUEUE);
    return m?.leader && m.leader !== old ? m.leader : undefined;
  });
}

async function allOnline(timeoutMs: number): Promise<number> {
  return (
    await waitFor('3 online members', timeoutMs, async () => {
      const m = await membership(management, QUEUE);
      return m?.online.length === 3 ? true : undefined;
    })
  ).ms;
}

const step = (action: FaultStep['action'], target: FaultStep['target'], extra: Partial<FaultStep> = {}): FaultStep => ({ at: '1s', action, target, ...extra });

/**
 * How long a silent (paused, cut-off) leader's successor may take to show in the management API:
 * the queue record changes once the old leader is declared down, at net_ticktime + 25 % at most,
 * plus a margin (measured with 10 s: 11-15 s; see docs/faults.md).
 */
const silentLeaderBoundMs = (): number => cluster.netTicktime * 1250 + 20_000;

describe('fault injection on a real 3-node cluster', { skip, timeout: 600_000 }, () => {
  before(async () => {
    cluster = await testFaultCluster();
    management = managementOf(cluster);
    await declareQuorumQueue(cluster, QUEUE);
    await allOnline(60_000);
  });

  after(async () => {
    await removeLeftovers(cluster.stateDir);
    await waitFor('the cluster whole at the end', 120_000, async () => ((await isWhole(cluster, management)) ? true : undefined), 1000);
    const conn = await amqplib.connect(cluster.nodes[0]!.amqpUri);
    await (await conn.createChannel()).deleteQueue(QUEUE);
    await conn.close();
  });

  test('stop leader: a new leader is elected; start brings 3 online; wrong states are reported, not thrown', { timeout: 180_000 }, async (t) => {
    const inj = injector(t);
    await inj.preflight([step('stop', 'leader'), step('start', 'leader')]);
    const leader = await currentLeader();
    const t0 = Date.now();
    const stopped = await inj.apply(step('stop', 'leader'), 0);
    assert.equal(stopped.error, null);
    assert.deepEqual(stopped.nodes, [leader]);
    assert.equal(stopped.leaderBefore, leader);
    assert.ok(stopped.doneMs >= stopped.requestedMs);
    assert.deepEqual(inj.faulted(), [{ node: leader, state: 'app-stopped' }]);
    const elected = await newLeader(apiExcept(leader), leader, 30_000);
    log(`stop leader: stop_app took ${stopped.doneMs - stopped.requestedMs} ms; new leader ${elected.value} seen ${Date.now() - t0} ms after the request`);

    const again = await inj.apply(step('stop', numberOf(leader)), 1);
    assert.equal(again.error, `node ${leader} is already stopped`);

    const started = await inj.apply(step('start', 'leader'), 2);
    assert.equal(started.error, null);
    assert.deepEqual(started.nodes, [leader]);
    log(`start (start_app) took ${started.doneMs - started.requestedMs} ms; 3 online after ${await allOnline(60_000)} ms more`);
    assert.deepEqual(inj.faulted(), []);

    const notStopped = await inj.apply(step('start', numberOf(leader)), 3);
    assert.equal(notStopped.error, `node ${leader} was not stopped`);
    assert.deepEqual(notStopped.nodes, [leader]);
    const noPause = await inj.apply(step('resume', 'leader'), 4);
    assert.match(noPause.error ?? '', /no node taken down by an earlier pause of "leader" is still down/);
    assert.deepEqual(noPause.nodes, []);

    assert.deepEqual(await inj.restoreAll(), []);
    assert.ok(await isWhole(cluster, management));
  });

  test('kill follower: its processes are gone; start boots it and it rejoins', { timeout: 240_000 }, async (t) => {
    const inj = injector(t);
    await inj.preflight([step('kill', 'follower'), step('start', 'follower')]);
    const leader = await currentLeader();
    const follower = cluster.nodes.find((n) => n.name !== leader)!;
    const pids = await nodePids(ctx(), follower);
    assert.ok(pids.length > 0);

    const killed = await inj.apply(step('kill', 'follower'), 0);
    assert.equal(killed.error, null);
    assert.deepEqual(killed.nodes, [follower.name]);
    assert.deepEqual(pids.filter(pidAlive), [], 'every process of the node is gone');
    assert.deepEqual(await nodePids(ctx(), follower), []);
    assert.deepEqual(inj.faulted(), [{ node: follower.name, state: 'killed' }]);
    const { ms: noticed } = await waitFor('the killed member offline', 30_000, async () => {
      const m = await membership(apiExcept(follower.name), QUEUE);
      return m && !m.online.includes(follower.name) ? true : undefined;
    });
    log(`kill follower took ${killed.doneMs - killed.requestedMs} ms; the API lists it offline ${noticed} ms later`);

    const booted = await inj.apply(step('start', 'follower'), 1);
    assert.equal(booted.error, null);
    assert.deepEqual(booted.nodes, [follower.name]);
    log(`start of the killed node (boot) took ${booted.doneMs - booted.requestedMs} ms; 3 online after ${await allOnline(60_000)} ms more`);
    assert.ok((await nodePids(ctx(), follower)).length > 0);
    await inj.restoreAll();
    assert.ok(await isWhole(cluster, management));
  });

  test('pause leader: SIGSTOPped (state T), a new leader elsewhere; resume; restoreAll reunites the cluster', { timeout: 300_000 }, async (t) => {
    const inj = injector(t);
    await inj.preflight([step('pause', 'leader'), step('resume', 'leader')]);
    const leader = await currentLeader();
    const t0 = Date.now();
    const paused = await inj.apply(step('pause', 'leader'), 0);
    assert.equal(paused.error, null);
    assert.deepEqual(paused.nodes, [leader]);
    const pids = await nodePids(ctx(), nodeNamed(leader));
    assert.ok(pids.length > 0);
    assert.deepEqual(
      pids.map((p) => processState(p)),
      pids.map(() => 'T'),
    );
    assert.ok(existsSync(join(cluster.stateDir, FAULT_FILE)), 'the paused pids are recorded for other processes');
    const elected = await newLeader(apiExcept(leader), leader, silentLeaderBoundMs());
    log(`pause leader: new leader ${elected.value} seen by the API ${Date.now() - t0} ms after the pause`);

    const resumed = await inj.apply(step('resume', 'leader'), 1);
    assert.equal(resumed.error, null);
    assert.ok(pids.every((p) => processState(p) !== 'T'), 'no process left stopped');
    assert.deepEqual(inj.faulted(), []);
    assert.ok(!existsSync(join(cluster.stateDir, FAULT_FILE)));

    const r0 = Date.now();
    const actions = await inj.restoreAll();
    log(`restoreAll after a ${Math.round((resumed.doneMs - paused.requestedMs) / 1000)} s pause took ${Date.now() - r0} ms: ${JSON.stringify(actions)}`);
    assert.ok(actions.every((a) => a.error === null), JSON.stringify(actions));
    assert.ok(await isWhole(cluster, management));
    await allOnline(60_000);
  });

  test('partition leader: new leader on the majority side, the cut node unreachable over AMQP; heal removes every rule', { timeout: 300_000 }, async (t) => {
    const inj = injector(t);
    await inj.preflight([step('partition', 'leader'), step('heal', 'leader')]);
    const leader = await currentLeader();
    const cut = nodeNamed(leader);
    const conn = await amqplib.connect(cut.amqpUri);
    t.after(() => (conn.connection as unknown as { stream?: { destroy(): void } }).stream?.destroy());
    conn.on('error', () => undefined);
    const ch = await conn.createChannel();
    ch.on('error', () => undefined);
    await ch.checkQueue(QUEUE); // works before

    const t0 = Date.now();
    const parted = await inj.apply(step('partition', 'leader'), 0);
    assert.equal(parted.error, null);
    assert.deepEqual(parted.nodes, [leader]);
    const rules = mqbenchRules();
    assert.ok(rules.includes('-N MQBENCH-5960'), rules.join('\n'));
    assert.ok(rules.includes('-A OUTPUT -m comment --comment mqbench -j MQBENCH-5960'), rules.join('\n'));
    assert.equal(rules.filter((r) => r.startsWith('-A MQBENCH-5960') && r.endsWith('-j DROP')).length, 10, '4 per peer + 2 AMQP');
    assert.deepEqual(inj.faulted(), [{ node: leader, state: 'cut' }]);

    // The existing connection hangs; a new one cannot be made.
    const hung = await Promise.race([ch.checkQueue(QUEUE).then(() => 'answered', () => 'failed'), sleep(3000).then(() => 'no answer')]);
    assert.equal(hung, 'no answer');
    await assert.rejects(amqplib.connect(cut.amqpUri, { timeout: 2000 }));

    const elected = await newLeader(apiExcept(leader), leader, silentLeaderBoundMs());
    log(`partition leader: new leader ${elected.value} seen on the majority side ${Date.now() - t0} ms after the cut`);

    const healed = await inj.apply(step('heal', 'leader'), 1);
    assert.equal(healed.error, null);
    assert.deepEqual(healed.nodes, [leader]);
    assert.deepEqual(mqbenchRules(), [], 'no mqbench rule, chain or hook left');
    const r0 = Date.now();
    const actions = await inj.restoreAll();
    log(`restoreAll after a ${Math.round((r0 - t0) / 1000)} s partition took ${Date.now() - r0} ms: ${JSON.stringify(actions)}`);
    assert.ok(actions.every((a) => a.error === null), JSON.stringify(actions));
    assert.ok(await isWhole(cluster, management));
    await allOnline(60_000);
  });

  test('restoreAll after a mix (node 2 stopped, node 3 paused, node 1 cut off) leaves the cluster whole', { timeout: 300_000 }, async (t) => {
    const inj = injector(t);
    const steps = [step('stop', 2), step('pause', 3), step('partition', 1, { clients: false })];
    await inj.preflight(steps);
    for (const [i, s] of steps.entries()) assert.equal((await inj.apply(s, i)).error, null);
    assert.deepEqual(
      inj.faulted().map((f) => `${numberOf(f.node)}:${f.state}`),
      ['1:cut', '2:app-stopped', '3:paused'],
    );
    const r0 = Date.now();
    const actions = await inj.restoreAll();
    log(`restoreAll after the mix took ${Date.now() - r0} ms: ${JSON.stringify(actions)}`);
    const byAction = new Map(actions.map((a) => [a.action, a]));
    assert.deepEqual(byAction.get('heal'), { action: 'heal', nodes: [cluster.nodes[0]!.name], error: null });
    assert.deepEqual(byAction.get('resume'), { action: 'resume', nodes: [cluster.nodes[2]!.name], error: null });
    assert.ok(actions.some((a) => a.action === 'start' && a.nodes.includes(cluster.nodes[1]!.name)));
    assert.ok(actions.every((a) => a.error === null), JSON.stringify(actions));
    assert.deepEqual(inj.faulted(), []);
    assert.deepEqual(mqbenchRules(), []);
    assert.deepEqual(await stoppedProcesses(cluster.stateDir), []);
    assert.ok(!existsSync(join(cluster.stateDir, FAULT_FILE)));
    assert.ok(await isWhole(cluster, management));
    await allOnline(60_000);
  });
});

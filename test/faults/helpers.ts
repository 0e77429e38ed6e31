import { execFileSync } from 'node:child_process';
import amqplib from 'amqplib';
import { ManagementClient } from '../../src/cluster/management.js';
import { listClusterProcesses } from '../../src/cluster/local/procs.js';
import { readState } from '../../src/cluster/local/state.js';
import type { LocalCluster } from '../../src/cluster/local/types.js';
import { isStopped } from '../../src/faults/procState.js';
import { clusterView } from '../../src/faults/restore.js';
import { readMembership } from '../../src/faults/membership.js';
import type { QueueMembership } from '../../src/faults/types.js';

/** Shared by the fault tests and their child-process fixture. */

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** The LocalCluster clusterUp would return, rebuilt from the state file (for child processes). */
export function clusterFromState(stateDir: string): LocalCluster {
  const s = readState(stateDir);
  if (!s) throw new Error(`no cluster state in ${stateDir}`);
  return { stateDir, layout: s.layout, basePort: s.basePort, nodes: s.nodes, partitionHandling: s.partitionHandling, netTicktime: s.netTicktime, reused: true };
}

export function managementOf(cluster: LocalCluster): ManagementClient[] {
  return cluster.nodes.map((n) => new ManagementClient({ baseUrl: n.managementUrl, timeoutMs: 5000 }));
}

/** `iptables -S` lines that belong to mqbench (its chains and hooks). */
export function mqbenchRules(): string[] {
  return execFileSync('iptables', ['-w', '10', '-S'], { encoding: 'utf8' })
    .split('\n')
    .filter((l) => /MQBENCH-|--comment mqbench/.test(l));
}

/** Pids of the cluster's processes in state T (stopped by a signal). */
export async function stoppedProcesses(stateDir: string): Promise<number[]> {
  return (await listClusterProcesses(stateDir)).filter((p) => isStopped(p.pid)).map((p) => p.pid);
}

/** Polls until fn returns a value (not undefined); returns it with the elapsed time, or throws after timeoutMs. */
export async function waitFor<T>(what: string, timeoutMs: number, fn: () => Promise<T | undefined>, intervalMs = 250): Promise<{ value: T; ms: number }> {
  const t0 = Date.now();
  for (;;) {
    const value = await fn();
    if (value !== undefined) return { value, ms: Date.now() - t0 };
    if (Date.now() - t0 > timeoutMs) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await sleep(intervalMs);
  }
}

/** Every node answers, sees every node running, and nobody reports a partition. */
export async function isWhole(cluster: LocalCluster, management: readonly ManagementClient[]): Promise<boolean> {
  const v = await clusterView(cluster, management);
  return v.answered.length === cluster.nodes.length && v.notRunning.length === 0 && v.partitioned.length === 0;
}

/** The queue's membership as the given nodes see it (fresh each call). */
export function membership(management: readonly ManagementClient[], queue: string): Promise<QueueMembership | undefined> {
  return readMembership(management, '/', queue, 5000);
}

/** A durable quorum queue on the cluster, declared through node 1. */
export async function declareQuorumQueue(cluster: LocalCluster, queue: string): Promise<void> {
  const conn = await amqplib.connect(cluster.nodes[0]!.amqpUri);
  try {
    const ch = await conn.createChannel();
    await ch.assertQueue(queue, { durable: true, arguments: { 'x-queue-type': 'quorum' } });
  } finally {
    await conn.close();
  }
}

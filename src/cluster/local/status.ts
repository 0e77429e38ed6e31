import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { ManagementClient } from '../management.js';
import { rabbitType } from './layout.js';
import { ctl, nodePids, type NodeContext } from './node.js';
import { findRabbitmqBinaries } from './rabbitmqBinaries.js';
import { defaultStateDir, readState, type ClusterState } from './state.js';
import type { ClusterStatus, LocalNodeInfo } from './types.js';
import { inspectFaults, otherFaultChains } from '../../faults/cleanup.js';
import { isStopped } from '../../faults/procState.js';

/** The parts of `rabbitmqctl cluster_status --formatter json` we use. */
export interface CtlClusterStatus {
  cluster_name?: string;
  disk_nodes?: string[];
  ram_nodes?: string[];
  running_nodes?: string[];
  versions?: Record<string, { erlang_version?: string; rabbitmq_version?: string }>;
}

export async function ctlClusterStatus(ctx: NodeContext, nodeName: string, timeoutMs?: number): Promise<CtlClusterStatus> {
  const out = await ctl(ctx, nodeName, ['-q', 'cluster_status', '--formatter', 'json'], timeoutMs);
  return JSON.parse(out) as CtlClusterStatus;
}

/**
 * Ask the nodes in order until one answers. Nodes with no OS process, or stopped ones
 * (paused by a fault), are skipped without calling rabbitmqctl: each call costs ~0.7 s, and
 * such a node would only time out.
 */
export async function firstClusterStatus(ctx: NodeContext, nodes: readonly LocalNodeInfo[], timeoutMs = 15_000): Promise<CtlClusterStatus | undefined> {
  for (const node of nodes) {
    const pids = await nodePids(ctx, node);
    // No process: nothing to ask. Stopped by SIGSTOP (a paused node): it would never answer.
    if (pids.length === 0 || pids.some(isStopped)) continue;
    try {
      return await ctlClusterStatus(ctx, node.name, timeoutMs);
    } catch {
      // try the next node
    }
  }
  return undefined;
}

export interface Health {
  healthy: boolean;
  /** Names of nodes that still have an OS process. */
  alive: string[];
  reason?: string;
}

/**
 * The reuse check of clusterUp, kept cheap (~50 ms): every node has an OS process, and node
 * 1's management API lists all nodes running with the recorded disc/ram types. That API
 * reads the same cluster membership rabbitmqctl does; rabbitmqctl boots an Erlang VM per
 * call (1-2 s on a busy 2-core machine), so it is only the fallback when the API fails.
 */
export async function checkHealth(ctx: NodeContext, state: ClusterState): Promise<Health> {
  const pids = await Promise.all(state.nodes.map((n) => nodePids(ctx, n)));
  const alive = state.nodes.filter((_, i) => (pids[i] ?? []).length > 0).map((n) => n.name);
  if (state.status !== 'running') return { healthy: false, alive, reason: `state is ${state.status}` };
  if (alive.length < state.nodes.length) return { healthy: false, alive, reason: 'some nodes are not running' };
  const seed = state.nodes[0];
  if (!seed) return { healthy: false, alive, reason: 'no nodes recorded' };
  let view: { running: string[]; disc: string[]; ram: string[] };
  try {
    const nodes = await new ManagementClient({ baseUrl: seed.managementUrl, timeoutMs: 3000 }).nodes();
    const names = (pred: (n: (typeof nodes)[number]) => boolean): string[] => nodes.filter(pred).map((n) => n.name);
    view = { running: names((n) => n.running), disc: names((n) => n.type === 'disc'), ram: names((n) => n.type === 'ram') };
  } catch {
    try {
      const cs = await ctlClusterStatus(ctx, seed.name, 15_000);
      view = { running: cs.running_nodes ?? [], disc: cs.disk_nodes ?? [], ram: cs.ram_nodes ?? [] };
    } catch (err) {
      return { healthy: false, alive, reason: (err as Error).message };
    }
  }
  for (const n of state.nodes) {
    if (!view.running.includes(n.name)) return { healthy: false, alive, reason: `${n.name} is not running in the cluster` };
    const listed = rabbitType(n.type) === 'disc' ? view.disc : view.ram;
    if (!listed.includes(n.name)) return { healthy: false, alive, reason: `${n.name} is not a ${n.type} node of the cluster` };
  }
  return { healthy: true, alive };
}

/** Status of the cluster recorded in stateDir, as RabbitMQ itself reports it. */
export async function clusterStatus(opts: { stateDir?: string; binDir?: string } = {}): Promise<ClusterStatus> {
  const stateDir = resolve(opts.stateDir ?? defaultStateDir());
  const state = existsSync(stateDir) ? readState(stateDir) : undefined;
  const others = (await otherFaultChains(state?.basePort)).map((c) => c.chain);
  if (!state) return { stateDir, exists: false, nodes: [], allRunning: false, leftovers: [], runningFaults: undefined, otherFaultChains: others };
  const { leftovers, running: runningFaults } = await inspectFaults(stateDir);
  const ctx: NodeContext = { stateDir, bins: findRabbitmqBinaries(opts.binDir) };
  // While a leftover partition or pause is in effect, cluster_status hangs on every node until
  // the silent peer is declared down (net_ticktime): ask briefly, the leftovers are the news.
  const cs = await firstClusterStatus(ctx, state.nodes, leftovers.length > 0 || runningFaults ? 5000 : 15_000);
  const running = new Set(cs?.running_nodes ?? []);
  const nodes = state.nodes.map((n) => {
    const v = cs?.versions?.[n.name];
    const type = cs?.disk_nodes?.includes(n.name) ? 'disc' : cs?.ram_nodes?.includes(n.name) ? 'ram' : 'unknown';
    return {
      name: n.name,
      index: n.index,
      layoutType: n.type,
      type,
      running: running.has(n.name),
      ...(v?.rabbitmq_version ? { rabbitmqVersion: v.rabbitmq_version } : {}),
      ...(v?.erlang_version ? { erlangVersion: v.erlang_version } : {}),
      amqpPort: n.amqpPort,
      managementPort: n.managementPort,
      distPort: n.distPort,
    } as const;
  });
  return {
    stateDir,
    exists: true,
    basePort: state.basePort,
    layout: state.layout,
    partitionHandling: state.partitionHandling,
    netTicktime: state.netTicktime,
    ...(cs?.cluster_name ? { clusterName: cs.cluster_name } : {}),
    nodes,
    allRunning: nodes.every((n) => n.running),
    leftovers,
    runningFaults,
    otherFaultChains: others,
  };
}

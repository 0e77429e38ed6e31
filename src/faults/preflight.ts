import { existsSync } from 'node:fs';
import { ClusterError, EXIT_USAGE } from '../cluster/errors.js';
import { nodePids } from '../cluster/local/node.js';
import { findRabbitmqBinaries } from '../cluster/local/rabbitmqBinaries.js';
import { readState } from '../cluster/local/state.js';
import type { LocalCluster } from '../cluster/local/types.js';
import type { FaultAction, FaultStep } from '../profile/faultSchema.js';
import { inspectFaults, removeLeftovers } from './cleanup.js';
import { findIptables, probe, type IptablesTools } from './iptables.js';

/** A fault experiment cannot run here; one line, exit code 2 (bad input / environment). */
export class FaultPreflightError extends ClusterError {
  constructor(message: string) {
    super(message, { exitCode: EXIT_USAGE });
    this.name = 'FaultPreflightError';
  }
}

/**
 * Checks, before the run starts, everything the steps will need, so a missing tool is reported
 * up front instead of as a failed step 20 s into the measurement. Refuses clusters mqbench did
 * not start (no state file of ours describing exactly this cluster). Removes leftovers of an
 * earlier crashed run. Returns the iptables tools when partitions are needed.
 */
export async function runPreflight(
  cluster: LocalCluster,
  steps: readonly FaultStep[],
  onProgress?: (msg: string) => void,
): Promise<{ tools: IptablesTools | undefined }> {
  const fail = (msg: string): never => {
    throw new FaultPreflightError(msg);
  };
  const state = existsSync(cluster.stateDir) ? readState(cluster.stateDir) : undefined;
  const sameNodes = state !== undefined && state.nodes.length === cluster.nodes.length && state.nodes.every((n, i) => n.name === cluster.nodes[i]?.name);
  if (!state || state.basePort !== cluster.basePort || !sameNodes) {
    fail(`faults are only applied to local clusters mqbench started: ${cluster.stateDir} holds no mqbench cluster on basePort ${cluster.basePort}`);
  }
  const actions = new Set<FaultAction>(steps.map((s) => s.action));
  const needs = (...a: FaultAction[]): boolean => a.some((x) => actions.has(x));

  if (needs('stop', 'start', 'kill')) {
    try {
      findRabbitmqBinaries();
    } catch (err) {
      fail((err as Error).message);
    }
  }
  if (needs('kill', 'pause', 'resume')) {
    if (!existsSync('/proc/self/environ')) fail('kill, pause and resume faults need /proc (Linux) to find the node processes');
    const ctx = { stateDir: cluster.stateDir, bins: findRabbitmqBinaries() };
    for (const node of cluster.nodes) {
      for (const pid of await nodePids(ctx, node)) {
        try {
          process.kill(pid, 0);
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code === 'EPERM') {
            fail(`not allowed to signal ${node.name} (pid ${pid}): run mqbench as the user that started the cluster, or as root`);
          }
        }
      }
    }
  }
  let tools: IptablesTools | undefined;
  if (needs('partition', 'heal')) {
    tools = findIptables();
    if (!tools) fail('partition faults need iptables and iptables-restore: run apt-get install -y iptables');
    if (process.getuid?.() !== 0) fail('partition faults change the firewall and need root: run mqbench as root (or drop the partition steps)');
    const p = await probe(tools!);
    if (!p.ok) fail(`iptables does not work here (${p.stderr.trim().split('\n')[0] ?? 'unknown error'}): partition faults need netfilter and CAP_NET_ADMIN`);
    if (!state!.sourceAddresses) {
      fail(`the cluster in ${cluster.stateDir} was started by an older mqbench without per-node source addresses: run mqbench cluster down --state-dir ${cluster.stateDir}, then run again`);
    }
  }

  // A crashed earlier run on this cluster: undo what it left before adding our own faults.
  for (const f of await removeLeftovers(cluster.stateDir, { spareLiveOwner: true })) onProgress?.(`removed leftover fault: ${f.what}: ${f.detail}`);
  const { running } = await inspectFaults(cluster.stateDir);
  if (running) {
    fail(`mqbench pid ${running.pid} is running a fault experiment on this cluster (${running.faults.map((f) => f.what).join(', ')}): wait for it to end`);
  }
  return { tools };
}

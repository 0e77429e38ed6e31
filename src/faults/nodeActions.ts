import { ctl, nodePids, startNode, waitForBoot, type NodeContext } from '../cluster/local/node.js';
import { sleep } from '../cluster/local/exec.js';
import { pidAlive } from '../cluster/local/procs.js';
import type { LocalNodeInfo } from '../cluster/local/types.js';
import { isStopped, signalAll } from './procState.js';

/**
 * What a fault does to one local node, each bounded in time. The injector decides when; these
 * only act (and throw a message saying what failed).
 */

/** stop_app waits for queues to move their leaders away; start_app for the node to rejoin. */
export const APP_TIMEOUT_MS = 60_000;
/** A killed node boots again on its data and waits for its peers' tables. */
export const BOOT_TIMEOUT_MS = 120_000;
const SIGNAL_SETTLE_MS = 10_000;

export async function stopApp(ctx: NodeContext, node: LocalNodeInfo): Promise<void> {
  await ctl(ctx, node.name, ['stop_app'], APP_TIMEOUT_MS);
}

export async function startApp(ctx: NodeContext, node: LocalNodeInfo): Promise<void> {
  await ctl(ctx, node.name, ['start_app'], APP_TIMEOUT_MS);
}

/** SIGKILL every OS process of the node (the VM and its helpers; never epmd) and wait until they are gone. */
export async function killNode(ctx: NodeContext, node: LocalNodeInfo): Promise<number[]> {
  const pids = await nodePids(ctx, node);
  if (pids.length === 0) throw new Error(`node ${node.name} has no OS process to kill`);
  signalAll(pids, 'SIGKILL');
  const deadline = Date.now() + SIGNAL_SETTLE_MS;
  while (pids.some(pidAlive)) {
    if (Date.now() > deadline) throw new Error(`node ${node.name}: pid(s) ${pids.filter(pidAlive).join(', ')} still alive after SIGKILL`);
    await sleep(50);
  }
  return pids;
}

/** Boot a killed node again on the same data; it rejoins its cluster by itself. */
export async function bootNode(ctx: NodeContext, node: LocalNodeInfo): Promise<void> {
  await startNode(ctx, node);
  await waitForBoot(ctx, node, BOOT_TIMEOUT_MS);
}

/**
 * SIGSTOP every OS process of the node, and wait until the kernel reports them stopped (state T).
 * `beforeSignal` receives the pids first, so they are recorded before anything is paused.
 */
export async function pauseNode(ctx: NodeContext, node: LocalNodeInfo, beforeSignal: (pids: number[]) => void): Promise<number[]> {
  const pids = await nodePids(ctx, node);
  if (pids.length === 0) throw new Error(`node ${node.name} has no OS process to pause`);
  beforeSignal(pids);
  const reached = signalAll(pids, 'SIGSTOP');
  const deadline = Date.now() + SIGNAL_SETTLE_MS;
  while (!reached.every((p) => isStopped(p) || !pidAlive(p))) {
    if (Date.now() > deadline) throw new Error(`node ${node.name}: not every process stopped after SIGSTOP`);
    await sleep(20);
  }
  if (!reached.some(isStopped)) throw new Error(`node ${node.name}: its processes exited instead of stopping`);
  return reached;
}

/** SIGCONT the pids paused earlier and any process of the node still stopped; wait until none is stopped. */
export async function resumeNode(ctx: NodeContext, node: LocalNodeInfo, pausedPids: readonly number[]): Promise<void> {
  const pids = [...new Set([...pausedPids, ...(await nodePids(ctx, node))])];
  signalAll(pids, 'SIGCONT');
  const deadline = Date.now() + SIGNAL_SETTLE_MS;
  while (pids.some(isStopped)) {
    if (Date.now() > deadline) throw new Error(`node ${node.name}: pid(s) ${pids.filter(isStopped).join(', ')} still stopped after SIGCONT`);
    signalAll(pids.filter(isStopped), 'SIGCONT');
    await sleep(20);
  }
}

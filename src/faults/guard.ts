import { constants } from 'node:os';
import { removeFaultFile, writeFaultFile } from './faultFile.js';
import { findIptables, removeChainSync } from './iptables.js';
import { processStartTicks, signalAll } from './procState.js';
import type { Cut } from './rules.js';

/**
 * The process-level safety net. Every fault that would harm the cluster beyond this process's
 * life (an iptables chain, SIGSTOPped node processes) is registered here *before* it is applied
 * and unregistered once undone. The registry is mirrored to <stateDir>/faults.json for other
 * processes, and undone synchronously when this process exits:
 *
 * - process 'exit' (normal end, process.exit(), and after an uncaught exception): SIGCONT the
 *   paused pids, remove the chain and its OUTPUT hook (execFileSync), delete faults.json.
 * - SIGTERM, SIGINT, SIGHUP while a fault is active: if our listener is the only one for that
 *   signal, Node's default (terminate) is what would have happened, so we undo and exit with
 *   128 + signal number. If the CLI has its own listener (run: Ctrl-C aborts the run, then
 *   restoreAll undoes everything gracefully), we leave the signal to it and do nothing; the exit
 *   guard still runs when the process finally exits. No listener is left installed while nothing
 *   is active, so runs without faults keep their signal behaviour unchanged.
 * - SIGKILL cannot be caught: faults.json and the chain name stay behind for `cluster status`
 *   (which reports them), `cluster down` and the next `cluster up` (which remove them).
 *
 * Stopped (stop_app) and killed nodes are not undone at exit: booting is asynchronous and takes
 * seconds. They harm nothing; `cluster status` shows them as not running and the next
 * `cluster up` restarts the cluster.
 */

export interface ActiveFaults {
  stateDir: string;
  basePort: number;
  chain: string | null;
  cuts: Cut[];
  /** node name → paused pids */
  paused: Map<string, number[]>;
}

const active = new Map<string, ActiveFaults>();
const ownStartTicks = processStartTicks(process.pid);
const HANDLED_SIGNALS: readonly NodeJS.Signals[] = ['SIGTERM', 'SIGINT', 'SIGHUP'];
let handlersInstalled = false;

/** Change what is active on a cluster; persisted (faults.json) and guarded before this returns. */
export function updateActive(stateDir: string, basePort: number, change: (a: ActiveFaults) => void): void {
  const a = active.get(stateDir) ?? { stateDir, basePort, chain: null, cuts: [], paused: new Map<string, number[]>() };
  change(a);
  if (a.chain === null && a.paused.size === 0) {
    active.delete(stateDir);
    removeFaultFile(stateDir);
  } else {
    active.set(stateDir, a);
    persist(a);
  }
  syncHandlers();
}

/** A copy of what is active on a cluster (undefined: nothing). */
export function activeFaults(stateDir: string): ActiveFaults | undefined {
  const a = active.get(stateDir);
  return a && { ...a, cuts: [...a.cuts], paused: new Map(a.paused) };
}

function persist(a: ActiveFaults): void {
  writeFaultFile(a.stateDir, {
    version: 1,
    basePort: a.basePort,
    ownerPid: process.pid,
    ...(ownStartTicks !== undefined ? { ownerStartTicks: ownStartTicks } : {}),
    updatedAt: new Date().toISOString(),
    chain: a.chain,
    cuts: a.cuts,
    paused: [...a.paused].map(([node, pids]) => ({ node, pids })),
  });
}

/**
 * Undo everything active in this process, synchronously: for exit and signal handlers, and for
 * a CLI that wants to clean up at once in its own signal handler. Never throws.
 */
export function undoActiveFaultsSync(): void {
  const tools = findIptables();
  for (const a of [...active.values()]) {
    try {
      for (const pids of a.paused.values()) signalAll(pids, 'SIGCONT');
      if (a.chain !== null && tools) removeChainSync(tools, a.chain);
      removeFaultFile(a.stateDir);
    } catch {
      // best effort: an exit handler must not throw; faults.json (if still there) tells the next process
    }
    active.delete(a.stateDir);
  }
  syncHandlers();
}

function onExit(): void {
  undoActiveFaultsSync();
}

function onSignal(signal: NodeJS.Signals): void {
  // Someone else listens too: they own the shutdown (and restoreAll); the exit guard backs them up.
  if (process.listenerCount(signal) > 1) return;
  undoActiveFaultsSync();
  process.exit(128 + (constants.signals[signal] ?? 0));
}

function syncHandlers(): void {
  const want = active.size > 0;
  if (want === handlersInstalled) return;
  handlersInstalled = want;
  if (want) {
    process.on('exit', onExit);
    for (const s of HANDLED_SIGNALS) process.on(s, onSignal);
  } else {
    process.off('exit', onExit);
    for (const s of HANDLED_SIGNALS) process.off(s, onSignal);
  }
}

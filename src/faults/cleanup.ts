import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { listBasePortProcesses, listClusterProcesses, pidAlive, type NodeProcess } from '../cluster/local/procs.js';
import { readState } from '../cluster/local/state.js';
import { readFaultFile, removeFaultFile, type FaultFile } from './faultFile.js';
import { activeFaults, updateActive } from './guard.js';
import { findIptables, listRules, removeChain } from './iptables.js';
import { parseMqbenchChains, type ChainListing } from './listing.js';
import { isStopped, processStartTicks, signalAll } from './procState.js';
import type { LeftoverFault } from './types.js';

/**
 * Finding and removing faults an earlier mqbench left on a local cluster: the cluster's iptables
 * chain and SIGSTOPped node processes, found by what is really there (iptables -S, /proc), with
 * faults.json adding what it recorded (the cuts, the owning process). This is what a SIGKILLed
 * run leaves; `cluster status` reports it, `cluster down`, `cluster up` (every run) and the
 * injector's preflight remove it.
 */

/** A state dir (absolute or relative) or, when only the port block is known, a basePort. */
export type FaultScope = string | number;

interface Located {
  stateDir: string | undefined;
  basePort: number | undefined;
  file: FaultFile | undefined;
  /** pid of another, still running, mqbench that applied the recorded faults. */
  liveOwner: number | undefined;
}

function locate(where: FaultScope): Located {
  if (typeof where === 'number') return { stateDir: undefined, basePort: where, file: undefined, liveOwner: undefined };
  const stateDir = resolve(where);
  const file = existsSync(stateDir) ? readFaultFile(stateDir) : undefined;
  const basePort = (existsSync(stateDir) ? readState(stateDir)?.basePort : undefined) ?? file?.basePort;
  const liveOwner = file && file.ownerPid !== process.pid && ownerAlive(file) ? file.ownerPid : undefined;
  return { stateDir, basePort, file, liveOwner };
}

/** The process that wrote faults.json still runs (same pid and, when recorded, same start time). */
function ownerAlive(file: FaultFile): boolean {
  if (!pidAlive(file.ownerPid)) return false;
  return file.ownerStartTicks === undefined || processStartTicks(file.ownerPid) === file.ownerStartTicks;
}

interface Found {
  located: Located;
  chain: ChainListing | undefined;
  /** iptables could not be listed (missing, not root): a recorded chain cannot be checked. */
  iptablesUnknown: boolean;
  /** node name → its stopped processes */
  paused: Map<string, NodeProcess[]>;
}

async function find(where: FaultScope): Promise<Found> {
  const located = locate(where);
  const { stateDir, basePort } = located;
  const listing = await listRules();
  const chain = basePort === undefined || listing === undefined ? undefined : parseMqbenchChains(listing).find((c) => c.basePort === basePort);
  const procs = stateDir !== undefined ? await listClusterProcesses(stateDir) : basePort !== undefined ? await listBasePortProcesses(basePort) : [];
  // Only processes that carry our marker (or node name) count: a pid recorded in faults.json may
  // have been reused since by an unrelated process, which must never be sent SIGCONT.
  const paused = new Map<string, NodeProcess[]>();
  for (const p of procs.filter((q) => isStopped(q.pid))) paused.set(p.nodeName, [...(paused.get(p.nodeName) ?? []), p]);
  return { located, chain, iptablesUnknown: listing === undefined, paused };
}

function describe(found: Found): LeftoverFault[] {
  const { located, chain, paused } = found;
  const out: LeftoverFault[] = [];
  const cuts = located.file?.cuts.map((c) => `${c.cut.join(', ')}${c.clients ? ' and their AMQP clients' : ''}`) ?? [];
  const cutText = cuts.length > 0 ? `; cuts off ${cuts.join(' | ')}` : '';
  if (chain) {
    out.push({
      kind: 'iptables-chain',
      what: chain.chain,
      detail: `${chain.rules.length} DROP rule(s), ${chain.hooked ? 'hooked into OUTPUT' : 'not hooked into OUTPUT'}${cutText}`,
    });
  } else if (found.iptablesUnknown && located.file?.chain) {
    out.push({ kind: 'iptables-chain', what: located.file.chain, detail: `recorded in faults.json; iptables could not be listed to check it${cutText}` });
  }
  for (const [node, procs] of paused) {
    const list = procs.map((p) => `${p.pid} (${p.comm})`).join(', ');
    out.push({ kind: 'paused-node', what: node, detail: `process(es) ${list} stopped with SIGSTOP` });
  }
  return out;
}

export interface FaultReport {
  /** Faults nobody will undo: their mqbench died (or faults.json is gone). */
  leftovers: LeftoverFault[];
  /** Faults of a fault experiment still running in another mqbench process, which undoes them when it ends. */
  running: { pid: number; faults: LeftoverFault[] } | undefined;
}

/** The faults in effect on the cluster of a state dir (or port block), split by whether their owner still runs. */
export async function inspectFaults(where: FaultScope): Promise<FaultReport> {
  const found = await find(where);
  const faults = describe(found);
  const pid = found.located.liveOwner;
  return pid === undefined ? { leftovers: faults, running: undefined } : { leftovers: [], running: { pid, faults } };
}

/** Faults left on the cluster of a state dir (or port block) by an mqbench that is gone. Empty when there are none. */
export async function findLeftovers(where: FaultScope): Promise<LeftoverFault[]> {
  return (await inspectFaults(where)).leftovers;
}

export interface RemoveOptions {
  /** Leave faults alone that another, still running, mqbench applied (a run in progress). Default false. */
  spareLiveOwner?: boolean;
}

/**
 * Undo leftovers: SIGCONT stopped node processes, remove the chain and its OUTPUT hook, delete
 * faults.json. Returns what was removed; throws only when a chain could not be removed.
 */
export async function removeLeftovers(where: FaultScope, opts: RemoveOptions = {}): Promise<LeftoverFault[]> {
  const found = await find(where);
  const { located } = found;
  if (opts.spareLiveOwner && located.liveOwner !== undefined) return [];
  const leftovers = describe(found);
  for (const procs of found.paused.values()) signalAll(procs.map((p) => p.pid), 'SIGCONT');
  const chain = found.chain?.chain ?? located.file?.chain ?? undefined;
  const tools = findIptables();
  let chainError: string | undefined;
  if (chain && tools && !found.iptablesUnknown) chainError = await removeChain(tools, chain);
  if (located.stateDir !== undefined) {
    // This process's own registry too: what it recorded is gone now.
    if (activeFaults(located.stateDir) && located.basePort !== undefined) {
      updateActive(located.stateDir, located.basePort, (a) => {
        a.chain = null;
        a.cuts = [];
        a.paused.clear();
      });
    }
    if (existsSync(located.stateDir)) removeFaultFile(located.stateDir);
  }
  if (chainError) throw new Error(`could not remove iptables chain ${chain}: ${chainError}`);
  return leftovers;
}

/** mqbench chains of other port blocks on this machine (for a warning), or [] when iptables cannot be listed. */
export async function otherFaultChains(basePort: number | undefined): Promise<ChainListing[]> {
  const listing = await listRules();
  if (listing === undefined) return [];
  return parseMqbenchChains(listing).filter((c) => c.basePort !== basePort);
}

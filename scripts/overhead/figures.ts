/** One run of one side of scripts/bench-overhead.ts, reduced to the figures compared. */
import type { UsageDelta } from '../bare/usage.js';
import type { QueueType } from './options.js';

export type Side = 'bare' | 'mqbench';

/** Which run: a side, a queue type and a round. */
export interface RunId {
  side: Side;
  queueType: QueueType;
  round: number;
}

export interface RunFigures extends RunId {
  consumedMsgsPerS: number;
  publishedMsgsPerS: number;
  measuredMs: number;
  measuredConsumed: number;
  /** CPU (user + system) of the client process over the measured window / messages consumed in it. */
  windowCpuUsPerMsg: number;
  /** Read + write system calls and context switches of the client process per message, measured window. */
  windowSyscallsPerMsg: number | null;
  windowCtxSwitchesPerMsg: number;
  /** CPU of the client process from its start to its exit / every message consumed in the run. */
  processCpuUsPerMsg: number;
  /** Every message consumed in the run (warm-up and drain included). */
  totalConsumed: number;
  windowUsage: UsageDelta;
  processUsage: UsageDelta;
  /** Wall time of the child process. */
  wallMs: number;
  /** 1-minute load average before and after the run: other work on the machine skews throughput. */
  loadavg1: [number, number];
  /** Lost/duplicate checks of the side (mqbench's delivery report; the bare client's drain). */
  deliveryOk: boolean;
  note: string | null;
}

export type PerMessage = Pick<RunFigures, 'windowCpuUsPerMsg' | 'windowSyscallsPerMsg' | 'windowCtxSwitchesPerMsg' | 'processCpuUsPerMsg' | 'totalConsumed' | 'windowUsage' | 'processUsage'>;

/** The resource use of a run per message: the window's over the messages consumed in it, the process's over all. */
export function perMessage(windowUsage: UsageDelta, windowConsumed: number, processUsage: UsageDelta, totalConsumed: number): PerMessage {
  const syscalls = windowUsage.readSyscalls === null || windowUsage.writeSyscalls === null ? null : windowUsage.readSyscalls + windowUsage.writeSyscalls;
  return {
    windowCpuUsPerMsg: windowUsage.cpuUs / windowConsumed,
    windowSyscallsPerMsg: syscalls === null ? null : syscalls / windowConsumed,
    windowCtxSwitchesPerMsg: (windowUsage.voluntaryCtxSwitches + windowUsage.involuntaryCtxSwitches) / windowConsumed,
    processCpuUsPerMsg: processUsage.cpuUs / totalConsumed,
    totalConsumed,
    windowUsage,
    processUsage,
  };
}

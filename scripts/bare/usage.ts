/**
 * Process-wide resource readings taken the same way in the bare client and in mqbench (through
 * cpuProbe.ts), so the two sides can be compared figure by figure.
 *
 * CPU and context switches come from process.resourceUsage() (getrusage RUSAGE_SELF: every thread
 * of the process, worker threads included, also those that already exited). Read and write
 * system-call counts come from /proc/self/io (Linux; null elsewhere), also for the whole process.
 */
import { readFileSync } from 'node:fs';

export interface UsageReading {
  /** Monotonic clock, µs (process.hrtime). */
  atUs: number;
  userUs: number;
  systemUs: number;
  voluntaryCtxSwitches: number;
  involuntaryCtxSwitches: number;
  /** read-like (read, recvmsg…) and write-like (write, writev, sendmsg…) system calls; null off Linux. */
  readSyscalls: number | null;
  writeSyscalls: number | null;
}

export interface UsageDelta {
  /** null for a delta from the process start. */
  wallMs: number | null;
  cpuUs: number;
  userUs: number;
  systemUs: number;
  voluntaryCtxSwitches: number;
  involuntaryCtxSwitches: number;
  readSyscalls: number | null;
  writeSyscalls: number | null;
}

function procIo(): { syscr: number; syscw: number } | null {
  try {
    const text = readFileSync('/proc/self/io', 'utf8');
    const field = (name: string): number => Number(new RegExp(`^${name}:\\s*(\\d+)`, 'm').exec(text)?.[1] ?? NaN);
    const syscr = field('syscr');
    const syscw = field('syscw');
    return Number.isFinite(syscr) && Number.isFinite(syscw) ? { syscr, syscw } : null;
  } catch {
    return null;
  }
}

export function nowUs(): number {
  const [s, ns] = process.hrtime();
  return s * 1e6 + ns / 1e3;
}

export function takeUsage(): UsageReading {
  const io = procIo();
  const ru = process.resourceUsage();
  return {
    atUs: nowUs(),
    userUs: ru.userCPUTime,
    systemUs: ru.systemCPUTime,
    voluntaryCtxSwitches: ru.voluntaryContextSwitches,
    involuntaryCtxSwitches: ru.involuntaryContextSwitches,
    readSyscalls: io?.syscr ?? null,
    writeSyscalls: io?.syscw ?? null,
  };
}

/** b - a; `a` defaults to the process start (all zero). */
export function usageDelta(b: UsageReading, a?: UsageReading): UsageDelta {
  const sub = (x: number | null, y: number | null | undefined): number | null => (x === null || y === null ? null : x - (y ?? 0));
  const userUs = b.userUs - (a?.userUs ?? 0);
  const systemUs = b.systemUs - (a?.systemUs ?? 0);
  return {
    wallMs: a ? (b.atUs - a.atUs) / 1000 : null,
    cpuUs: userUs + systemUs,
    userUs,
    systemUs,
    voluntaryCtxSwitches: b.voluntaryCtxSwitches - (a?.voluntaryCtxSwitches ?? 0),
    involuntaryCtxSwitches: b.involuntaryCtxSwitches - (a?.involuntaryCtxSwitches ?? 0),
    readSyscalls: sub(b.readSyscalls, a?.readSyscalls),
    writeSyscalls: sub(b.writeSyscalls, a?.writeSyscalls),
  };
}

import { readFileSync } from 'node:fs';

/**
 * Process state letter from /proc/<pid>/stat: R running, S sleeping, D disk wait, T stopped
 * (SIGSTOP), t traced, Z zombie... undefined when the process is gone. The command name in
 * parentheses may itself contain spaces and parentheses, so the state is read after the last ')'.
 */
export function parseStatState(stat: string): string | undefined {
  const close = stat.lastIndexOf(')');
  if (close < 0) return undefined;
  const state = stat.slice(close + 1).trim().split(/\s+/)[0];
  return state && /^[A-Za-z]$/.test(state) ? state : undefined;
}

/**
 * Start time of a process (field 22 of /proc/<pid>/stat, clock ticks since boot). With the pid
 * it identifies a process for good: a pid reused by another process has another start time.
 */
export function parseStatStartTicks(stat: string): number | undefined {
  const close = stat.lastIndexOf(')');
  if (close < 0) return undefined;
  const v = Number(stat.slice(close + 1).trim().split(/\s+/)[19]);
  return Number.isFinite(v) ? v : undefined;
}

export function processStartTicks(pid: number): number | undefined {
  try {
    return parseStatStartTicks(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return undefined;
  }
}

export function processState(pid: number): string | undefined {
  try {
    return parseStatState(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return undefined;
  }
}

/** True while the process is stopped by a signal (SIGSTOP): what a paused node looks like. */
export function isStopped(pid: number): boolean {
  return processState(pid) === 'T';
}

/** Send a signal to each pid; pids already gone are skipped. Returns the pids it reached. */
export function signalAll(pids: readonly number[], signal: NodeJS.Signals): number[] {
  const reached: number[] = [];
  for (const pid of pids) {
    try {
      process.kill(pid, signal);
      reached.push(pid);
    } catch {
      // exited meanwhile
    }
  }
  return reached;
}

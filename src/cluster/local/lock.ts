import { mkdirSync, openSync, readFileSync, statSync, unlinkSync, writeSync, closeSync } from 'node:fs';
import { dirname } from 'node:path';
import { ClusterError } from '../errors.js';
import { pidAlive } from './procs.js';
import { sleep } from './exec.js';

/**
 * Cross-process lock on a state dir. Test files run in separate processes and all call
 * clusterUp on the same shared test cluster; without a lock two of them would boot it at
 * once. The lock file sits next to the state dir (clusterDown deletes the dir itself) and
 * holds the owner's pid, so a lock left by a crashed process is taken over.
 */
export async function withLock<T>(stateDir: string, timeoutMs: number, fn: () => Promise<T>): Promise<T> {
  const lockPath = `${stateDir}.lock`;
  mkdirSync(dirname(lockPath), { recursive: true });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const fd = openSync(lockPath, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    if (isStale(lockPath)) {
      try {
        unlinkSync(lockPath);
      } catch {
        // someone else removed it first
      }
      continue;
    }
    if (Date.now() > deadline) {
      throw new ClusterError(`timed out after ${timeoutMs} ms waiting for the lock ${lockPath} (another mqbench is managing this cluster)`);
    }
    await sleep(200);
  }
  try {
    return await fn();
  } finally {
    try {
      unlinkSync(lockPath);
    } catch {
      // already removed
    }
  }
}

function isStale(lockPath: string): boolean {
  try {
    const pid = Number(readFileSync(lockPath, 'utf8').trim());
    // An empty file is a lock being written right now, unless it has been empty for a while.
    if (!Number.isInteger(pid) || pid <= 0) return Date.now() - statSync(lockPath).mtimeMs > 10_000;
    return pid !== process.pid && !pidAlive(pid);
  } catch {
    return false;
  }
}

/** Runs one side's client as a child `node` process, time-bounded, as scripts/bench-overhead.ts measures it. */
import { join } from 'node:path';
import { run } from '../../src/cluster/local/exec.js';
import { loadAverage } from '../../src/results/environment.js';
import { maskSecretsInText } from '../../src/util/mask.js';
import type { RunId } from './figures.js';
import type { Options } from './options.js';

/** Extra time a child may take beyond warm-up + duration + drain before it is killed. */
const CHILD_GRACE_MS = 60_000;
/** Lines of a failed child's stderr quoted in the error. */
const STDERR_TAIL_LINES = 15;

export interface ClientProcess {
  stdout: string;
  /** Wall time of the child process. */
  wallMs: number;
  /** 1-minute load average before and after the child ran. */
  loadavg1: [number, number];
}

/** `--cpu-prof` flags putting this run's profiles in their own directory under --cpu-prof-dir, if given. */
function profArgs(o: Options, id: RunId): string[] {
  return o.cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${join(o.cpuProfDir, `${id.side}-${id.queueType}-r${id.round}`)}`] : [];
}

/**
 * `node <args>` (with the --cpu-prof flags when asked), killed after warm-up + duration + drain
 * timeout + a minute; throws with the end of its stderr unless it exits 0.
 */
export async function runClientProcess(what: string, o: Options, id: RunId, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<ClientProcess> {
  const timeoutMs = (o.warmupS + o.durationS + o.drainTimeoutS) * 1000 + CHILD_GRACE_MS;
  const load0 = loadAverage()[0]!;
  const started = performance.now();
  const c = await run(process.execPath, [...profArgs(o, id), ...args], { env, cwd: process.cwd(), timeoutMs });
  const wallMs = performance.now() - started;
  if (c.code !== 0) {
    const how = c.timedOut ? `killed after ${Math.round(timeoutMs / 1000)} s` : `exit ${c.code ?? c.signal}`;
    const tail = c.stderr.trim().split('\n').slice(-STDERR_TAIL_LINES).join('\n');
    throw new Error(`${what} failed (${how}):\n${maskSecretsInText(tail)}`);
  }
  return { stdout: c.stdout, wallMs, loadavg1: [load0, loadAverage()[0]!] };
}

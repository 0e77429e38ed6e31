import { readdir, readFile } from 'node:fs/promises';

/**
 * Finding our RabbitMQ processes. Every node is started with MQBENCH_CLUSTER_DIR=<stateDir>
 * in its environment; the Erlang VM keeps it in /proc/<pid>/environ. The node name is not
 * on the beam.smp command line (RabbitMQ 3.10 starts distribution itself), so this marker
 * is how we find a node even before it wrote its pid file, or after the state dir is gone.
 */
export const MARKER_ENV = 'MQBENCH_CLUSTER_DIR';

export interface NodeProcess {
  pid: number;
  comm: string;
  nodeName: string;
}

function envOf(raw: string): Map<string, string> {
  const env = new Map<string, string>();
  for (const entry of raw.split('\0')) {
    const eq = entry.indexOf('=');
    if (eq > 0) env.set(entry.slice(0, eq), entry.slice(eq + 1));
  }
  return env;
}

/**
 * Processes (the VM and its helpers) started for stateDir. epmd is excluded: a node may
 * have spawned it, but it is shared by every Erlang node on the machine. Empty on systems
 * without /proc; callers then rely on pid files.
 */
export async function listClusterProcesses(stateDir: string): Promise<NodeProcess[]> {
  return scanProcesses(`${MARKER_ENV}=${stateDir}\0`, (env) => env.get(MARKER_ENV) === stateDir);
}

/**
 * Node processes of the cluster on basePort, whatever their state dir: found by node name
 * (mqbench-<basePort>-<n>@host), for when only the port block is known.
 */
export async function listBasePortProcesses(basePort: number): Promise<NodeProcess[]> {
  const re = new RegExp(`^mqbench-${basePort}-\\d+@`);
  return scanProcesses(`RABBITMQ_NODENAME=mqbench-${basePort}-`, (env) => re.test(env.get('RABBITMQ_NODENAME') ?? ''));
}

/** Processes whose environment contains `needle` (a cheap pre-filter) and passes `match`; epmd excluded. */
async function scanProcesses(needle: string, match: (env: Map<string, string>) => boolean): Promise<NodeProcess[]> {
  let entries: string[];
  try {
    entries = await readdir('/proc');
  } catch {
    return [];
  }
  const found = await Promise.all(
    entries
      .filter((e) => /^\d+$/.test(e) && Number(e) !== process.pid)
      .map(async (e): Promise<NodeProcess | undefined> => {
        try {
          const raw = await readFile(`/proc/${e}/environ`, 'latin1');
          if (!raw.includes(needle)) return undefined;
          const env = envOf(raw);
          if (!match(env)) return undefined;
          const comm = (await readFile(`/proc/${e}/comm`, 'utf8')).trim();
          if (comm === 'epmd') return undefined;
          return { pid: Number(e), comm, nodeName: env.get('RABBITMQ_NODENAME') ?? '' };
        } catch {
          return undefined; // exited meanwhile, or not readable
        }
      }),
  );
  return found.filter((p): p is NodeProcess => p !== undefined);
}

export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function killHard(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

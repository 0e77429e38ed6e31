import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { LOOPBACK, nodePorts } from './ports.js';
import type { NodeType } from './layout.js';
import { DEFAULT_PARTITION_HANDLING, ERLANG_DEFAULT_NET_TICKTIME_S, PARTITION_HANDLINGS, type LocalNodeInfo } from './types.js';

/**
 * <stateDir>/cluster.json records what we started, so `down`, `status` and a later `up`
 * (possibly from another process) know the node names, ports and directories.
 * Per-node files live in <stateDir>/nodes/<n>/ (n = index + 1).
 */
export const STATE_FILE = 'cluster.json';

const nodeSchema = z.object({
  index: z.number().int().nonnegative(),
  name: z.string().min(1),
  type: z.enum(['disk', 'ram']),
  amqpPort: z.number().int(),
  managementPort: z.number().int(),
  distPort: z.number().int(),
  amqpUri: z.string(),
  managementUrl: z.string(),
  logFile: z.string(),
  dataDir: z.string(),
});

const stateSchema = z.object({
  version: z.literal(1),
  /** 'starting' until clusterUp finished; a crashed `up` leaves it so the next `up` cleans up. */
  status: z.enum(['starting', 'running', 'failed']),
  createdAt: z.string(),
  basePort: z.number().int(),
  layout: z.array(z.enum(['disk', 'ram'])).min(1),
  nodes: z.array(nodeSchema).min(1),
  /** Absent in state files of mqbench versions before it was configurable: those nodes ran RabbitMQ's default. */
  partitionHandling: z.enum(PARTITION_HANDLINGS).default(DEFAULT_PARTITION_HANDLING),
  /** Likewise: nodes started without a setting ran Erlang's default. */
  netTicktime: z.number().int().positive().default(ERLANG_DEFAULT_NET_TICKTIME_S),
  /**
   * true when the nodes were started with per-node distribution source addresses (nodeAddress.ts).
   * A cluster started before that cannot be partitioned with iptables, so clusterUp restarts it.
   */
  sourceAddresses: z.boolean().default(false),
  /** Lines appended to every node's rabbitmq.conf (UpOptions.extraConfig). */
  extraConfig: z.array(z.string()).optional(),
});

export type ClusterState = z.output<typeof stateSchema>;

export function defaultStateDir(): string {
  return join(process.cwd(), '.mqbench', 'cluster');
}

/** Node names include basePort so clusters on different port blocks never clash in epmd. */
export function nodeName(basePort: number, index: number): string {
  return `mqbench-${basePort}-${index + 1}@localhost`;
}

export interface NodePaths {
  dir: string;
  dataDir: string;
  logDir: string;
  logFile: string;
  configFile: string;
  pluginsFile: string;
  pidFile: string;
  startOutput: string;
}

export function nodePaths(stateDir: string, index: number, name: string): NodePaths {
  const dir = join(stateDir, 'nodes', String(index + 1));
  const logDir = join(dir, 'log');
  return {
    dir,
    dataDir: join(dir, 'mnesia'),
    logDir,
    // RabbitMQ names its main log <RABBITMQ_LOG_BASE>/<nodename>.log.
    logFile: join(logDir, `${name}.log`),
    configFile: join(dir, 'rabbitmq.conf'),
    pluginsFile: join(dir, 'enabled_plugins'),
    pidFile: join(dir, 'rabbitmq.pid'),
    startOutput: join(dir, 'start.out'),
  };
}

export function planNodes(stateDir: string, layout: readonly NodeType[], basePort: number): LocalNodeInfo[] {
  return layout.map((type, index) => {
    const name = nodeName(basePort, index);
    const ports = nodePorts(basePort, index);
    const paths = nodePaths(stateDir, index, name);
    return {
      index,
      name,
      type,
      amqpPort: ports.amqp,
      managementPort: ports.management,
      distPort: ports.dist,
      amqpUri: `amqp://guest:guest@${LOOPBACK}:${ports.amqp}/`,
      managementUrl: `http://${LOOPBACK}:${ports.management}`,
      logFile: paths.logFile,
      dataDir: paths.dataDir,
    };
  });
}

/** undefined if there is no (valid) state file; callers still sweep the dir for processes of ours. */
export function readState(stateDir: string): ClusterState | undefined {
  const file = join(stateDir, STATE_FILE);
  if (!existsSync(file)) return undefined;
  const parsed = stateSchema.safeParse(safeJson(readFileSync(file, 'utf8')));
  return parsed.success ? parsed.data : undefined;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** Written via rename so a concurrent reader never sees half a file. */
export function writeState(stateDir: string, state: ClusterState): void {
  mkdirSync(stateDir, { recursive: true });
  const file = join(stateDir, STATE_FILE);
  writeFileSync(`${file}.tmp`, `${JSON.stringify(state, null, 2)}\n`);
  renameSync(`${file}.tmp`, file);
}

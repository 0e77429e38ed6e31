import { resolve } from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import Table from 'cli-table3';
import { clusterDown, clusterUp, describeLeftover } from '../../cluster/local/cluster.js';
import { DEFAULT_NET_TICKTIME_S, DEFAULT_PARTITION_HANDLING, PARTITION_HANDLINGS, type PartitionHandling } from '../../cluster/local/types.js';
import { formatLayout, layoutFromCounts, parseLayout } from '../../cluster/local/layout.js';
import { DEFAULT_BASE_PORT } from '../../cluster/local/ports.js';
import { clusterStatus } from '../../cluster/local/status.js';
import { UserError } from '../fail.js';
import { PLAIN_TABLE } from '../../report/plainTable.js';
import { maskUri } from '../../util/mask.js';

interface Common {
  'state-dir': string;
}
interface UpArgs extends Common {
  nodes: number | undefined;
  ram: number;
  layout: string | undefined;
  'base-port': number;
  'partition-handling': PartitionHandling;
  'net-ticktime': number;
  force: boolean;
}

const stateDirOption = <T>(y: Argv<T>): Argv<T & Common> =>
  y.option('state-dir', { type: 'string', default: '.mqbench/cluster', describe: 'Directory holding the nodes\' data, logs and cookie' });

const say = (m: string): void => void process.stderr.write(`mqbench: ${m}\n`);

const up: CommandModule<object, UpArgs> = {
  command: 'up',
  describe: 'Start a local cluster on loopback (reused if the same one is running)',
  builder: (y) =>
    stateDirOption(y)
      .option('nodes', { alias: 'n', type: 'number', describe: 'Number of nodes' })
      .option('ram', { type: 'number', default: 0, describe: 'How many of them are RAM nodes (the last ones)' })
      .option('layout', { type: 'string', describe: 'Node types in order, e.g. disk,disk,ram (instead of --nodes/--ram)' })
      .option('base-port', {
        type: 'number',
        default: DEFAULT_BASE_PORT,
        describe: 'Node i: AMQP base+i, management base+10000+i, Erlang distribution base+20000+i',
      })
      .option('partition-handling', {
        choices: PARTITION_HANDLINGS,
        default: DEFAULT_PARTITION_HANDLING,
        describe: 'cluster_partition_handling of the nodes (what they do after a network partition)',
      })
      .option('net-ticktime', {
        type: 'number',
        default: DEFAULT_NET_TICKTIME_S,
        describe: 'Erlang net_ticktime in seconds: how soon a silent (paused, cut-off) node is declared down (RabbitMQ default 60)',
      })
      .option('force', { type: 'boolean', default: false, describe: 'Replace a running cluster with a different layout, partition handling or net_ticktime' })
      .example('$0 cluster up --nodes 3', 'Three disk nodes: AMQP 5700-5702, management 15700-15702')
      .example('$0 cluster up --nodes 3 --ram 1', 'Two disk nodes and one RAM node')
      .example('$0 cluster up --layout disk,ram,ram --base-port 6000', 'Explicit layout on other ports')
      .example('$0 cluster up --nodes 3 --partition-handling pause_minority', 'Nodes on the minority side of a partition pause themselves'),
  handler: async (args) => {
    if (args.layout === undefined && args.nodes === undefined) throw new UserError('cluster up: give --nodes N (with --ram K) or --layout disk,disk,ram');
    const layout = args.layout !== undefined ? parseLayout(args.layout) : layoutFromCounts(args.nodes!, args.ram);
    const cluster = await clusterUp({
      stateDir: resolve(args['state-dir']),
      layout,
      basePort: args['base-port'],
      partitionHandling: args['partition-handling'],
      netTicktime: args['net-ticktime'],
      force: args.force,
      onProgress: say,
    });
    say(`${cluster.reused ? 'reused' : 'started'} ${formatLayout(layout)} in ${cluster.stateDir}`);
    for (const n of cluster.nodes) process.stdout.write(`${n.name}  ${n.type}  ${maskUri(n.amqpUri)}  ${n.managementUrl}\n`);
  },
};

const status: CommandModule<object, Common> = {
  command: 'status',
  describe: 'Show the local cluster: nodes, types, running state, versions, ports, leftover faults',
  builder: (y) => stateDirOption(y),
  handler: async (args) => {
    const s = await clusterStatus({ stateDir: resolve(args['state-dir']) });
    for (const chain of s.otherFaultChains) {
      say(`warning: iptables chain ${chain} of another mqbench cluster is in place (see: iptables -S ${chain}; removed by cluster down of that cluster)`);
    }
    if (!s.exists) {
      process.stdout.write(`no cluster in ${s.stateDir} (start one with: mqbench cluster up --nodes 3)\n`);
      return;
    }
    const settings = `partition handling ${s.partitionHandling ?? '?'}, net_ticktime ${s.netTicktime ?? '?'} s`;
    process.stdout.write(`cluster ${s.clusterName ?? '?'} in ${s.stateDir} (${settings}): ${s.allRunning ? 'all nodes running' : 'NOT all nodes running'}\n`);
    const t = new Table({ ...PLAIN_TABLE, head: ['node', 'type', 'running', 'rabbitmq', 'erlang', 'amqp', 'management', 'dist'] });
    for (const n of s.nodes) {
      t.push([n.name, n.type, n.running ? 'yes' : 'no', n.rabbitmqVersion ?? '', n.erlangVersion ?? '', n.amqpPort, n.managementPort, n.distPort]);
    }
    process.stdout.write(`${t.toString()}\n`);
    if (s.leftovers.length > 0) {
      // A killed mqbench could not undo its faults: make that impossible to miss.
      process.stdout.write(`\nLEFTOVER FAULTS (a fault experiment did not clean up; \`mqbench cluster down\` or the next \`cluster up\` removes them):\n`);
      for (const f of s.leftovers) process.stdout.write(`  ${describeLeftover(f)}\n`);
    }
    if (s.runningFaults) {
      process.stdout.write(`\nFAULTS IN EFFECT (mqbench pid ${s.runningFaults.pid} is running a fault experiment and undoes them when it ends):\n`);
      for (const f of s.runningFaults.faults) process.stdout.write(`  ${describeLeftover(f)}\n`);
    }
    if (!s.allRunning || s.leftovers.length > 0) process.exitCode = 1;
  },
};

const down: CommandModule<object, Common> = {
  command: 'down',
  describe: 'Remove leftover faults, stop every node of the local cluster and remove its state',
  builder: (y) => stateDirOption(y),
  handler: async (args) => {
    // Leftover faults are reported through onProgress as they are removed ("removed leftover fault: ...").
    const { stopped } = await clusterDown({ stateDir: resolve(args['state-dir']), onProgress: say });
    say(stopped.length > 0 ? `stopped ${stopped.join(', ')}` : 'no node was running');
  },
};

export const clusterCommand: CommandModule = {
  command: 'cluster <command>',
  describe: 'Start, inspect and stop local RabbitMQ clusters',
  builder: (y) => y.command(up).command(status).command(down).demandCommand(1, 'Name a cluster command: up, status, down'),
  handler: () => undefined,
};

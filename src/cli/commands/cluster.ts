import { resolve } from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import Table from 'cli-table3';
import { clusterDown, clusterUp } from '../../cluster/local/cluster.js';
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
      .option('force', { type: 'boolean', default: false, describe: 'Replace a running cluster with a different layout' })
      .example('$0 cluster up --nodes 3', 'Three disk nodes: AMQP 5700-5702, management 15700-15702')
      .example('$0 cluster up --nodes 3 --ram 1', 'Two disk nodes and one RAM node')
      .example('$0 cluster up --layout disk,ram,ram --base-port 6000', 'Explicit layout on other ports'),
  handler: async (args) => {
    if (args.layout === undefined && args.nodes === undefined) throw new UserError('cluster up: give --nodes N (with --ram K) or --layout disk,disk,ram');
    const layout = args.layout !== undefined ? parseLayout(args.layout) : layoutFromCounts(args.nodes!, args.ram);
    const cluster = await clusterUp({ stateDir: resolve(args['state-dir']), layout, basePort: args['base-port'], force: args.force, onProgress: say });
    say(`${cluster.reused ? 'reused' : 'started'} ${formatLayout(layout)} in ${cluster.stateDir}`);
    for (const n of cluster.nodes) process.stdout.write(`${n.name}  ${n.type}  ${maskUri(n.amqpUri)}  ${n.managementUrl}\n`);
  },
};

const status: CommandModule<object, Common> = {
  command: 'status',
  describe: 'Show the local cluster: nodes, types, running state, versions, ports',
  builder: (y) => stateDirOption(y),
  handler: async (args) => {
    const s = await clusterStatus({ stateDir: resolve(args['state-dir']) });
    if (!s.exists) {
      process.stdout.write(`no cluster in ${s.stateDir} (start one with: mqbench cluster up --nodes 3)\n`);
      return;
    }
    process.stdout.write(`cluster ${s.clusterName ?? '?'} in ${s.stateDir}: ${s.allRunning ? 'all nodes running' : 'NOT all nodes running'}\n`);
    const t = new Table({ ...PLAIN_TABLE, head: ['node', 'type', 'running', 'rabbitmq', 'erlang', 'amqp', 'management', 'dist'] });
    for (const n of s.nodes) {
      t.push([n.name, n.type, n.running ? 'yes' : 'no', n.rabbitmqVersion ?? '', n.erlangVersion ?? '', n.amqpPort, n.managementPort, n.distPort]);
    }
    process.stdout.write(`${t.toString()}\n`);
    if (!s.allRunning) process.exitCode = 1;
  },
};

const down: CommandModule<object, Common> = {
  command: 'down',
  describe: 'Stop every node of the local cluster and remove its state',
  builder: (y) => stateDirOption(y),
  handler: async (args) => {
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

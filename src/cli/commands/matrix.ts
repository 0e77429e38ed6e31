import type { CommandModule } from 'yargs';
import { matrixFailuresOf, runMatrix } from '../../api/runMatrix.js';
import { MATRIX_CLUSTER_DIR, MATRIX_FIRST_BASE_PORT } from '../../matrix/runner.js';
import { renderCapacityMatrix } from '../../report/capacityMatrixTable.js';
import { renderMatrix } from '../../report/matrixTable.js';
import { EXIT } from '../fail.js';
import { StopSignals } from '../stopSignals.js';

interface MatrixArgs {
  profile: string;
  out: string;
  quiet: boolean;
  'keep-clusters': boolean;
  repeat: number | undefined;
  'cluster-dir': string;
  'first-port': number;
}

export const matrixCommand: CommandModule<object, MatrixArgs> = {
  command: 'matrix <profile>',
  describe: 'Run a base profile across axes (queue type × nodes × layout …), repeated and interleaved, and compare cells',
  builder: (y) =>
    y
      .positional('profile', { type: 'string', demandOption: true, describe: 'Matrix profile JSON (base profile + axes)' })
      .option('out', { type: 'string', default: 'results', describe: 'Directory for the matrix result (JSON + summary CSV)' })
      .option('repeat', { type: 'number', describe: 'Override the profile\'s repetitions per cell' })
      .option('keep-clusters', { type: 'boolean', default: false, describe: 'Leave the local clusters running for the next matrix' })
      .option('quiet', { alias: 'q', type: 'boolean', default: false, describe: 'Only the final table' })
      .option('cluster-dir', { type: 'string', default: MATRIX_CLUSTER_DIR, describe: 'Where each layout\'s local cluster keeps its state (one subdirectory per layout)' })
      .option('first-port', {
        type: 'number',
        default: MATRIX_FIRST_BASE_PORT,
        describe: 'Base port of the first layout\'s cluster; each further layout is 10 ports up (AMQP, +10000 management, +20000 distribution)',
      })
      .example('$0 matrix profiles/replication-matrix.json', 'classic vs mirrored vs quorum on 1, 3 and 5 nodes, disk and RAM layouts')
      .example('$0 matrix profiles/replication-matrix-quick.json --repeat 1', 'A quick look')
      .example('$0 matrix profiles/capacity-matrix.json', 'Capacity mode: each cell\'s sustainable rate (searched, repeated), its latency curve, and latency at one rate every cell sustains')
      .example('$0 matrix profiles/faults/resilience-matrix.json', 'The same fault in every cell: what each queue type lost, how long it was unavailable')
      .epilogue(
        'Capacity mode ("mode": "capacity", options in "capacity" as for `mqbench capacity`): every repetition is a sustainable-rate search per cell; ' +
          'then each cell\'s latency curve and one step at a common rate; the table gives sustainable msgs/s ± stddev and × baseline. ' +
          'Overrides: "overrides": [{"when": {"queues.type": "quorum", "cluster.local.nodes": 5}, "set": {"queues.initialGroupSize": 5}}] ' +
          'sets fields only in the cells whose axis values match "when" (applied in order, after the axis values). ' +
          'Exit codes: 0 every cell measured; 1 a repetition failed (did not start, crashed, was interrupted, or its verdict is "failed": ' +
          'account incomplete, messages neither consumed nor proven lost, agents left without a connection) or a run lost confirmed messages ' +
          'in a cell whose profile does not set allowLoss (with allowLoss, loss is the measured result); 2 bad input (profile); 130 Ctrl-C. ' +
          'The result is written in every case.',
      ),
  handler: async (args) => {
    process.exitCode = await runMatrixCommand(args);
  },
};

/** The CLI over the library's runMatrix: progress on stderr, the table on stdout, failures as the exit code. */
async function runMatrixCommand(args: MatrixArgs): Promise<number> {
  const run = runMatrix(args.profile, {
    out: args.out,
    repeat: args.repeat,
    keepClusters: args['keep-clusters'],
    clusterDir: args['cluster-dir'],
    firstPort: args['first-port'],
  });
  if (!args.quiet) run.on('status', (s) => process.stderr.write(`mqbench: ${s}\n`));
  const signals = new StopSignals((reason) => run.abort(reason));
  try {
    const result = await run;
    const table = result.mode === 'capacity' ? renderCapacityMatrix(result) : renderMatrix(result);
    process.stdout.write(`${table}\n\nresult: ${run.files.join(', ')}\n`);
    if (signals.exitCode !== undefined) return signals.exitCode;
    const failures = matrixFailuresOf(result);
    for (const f of failures) process.stderr.write(`mqbench: failed: ${f}\n`);
    return failures.length > 0 ? EXIT.runFailed : EXIT.ok;
  } finally {
    signals.dispose();
  }
}

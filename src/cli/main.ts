import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { baselineCommand } from './commands/baseline.js';
import { capacityCommand } from './commands/capacity.js';
import { clusterCommand } from './commands/cluster.js';
import { compareCommand } from './commands/compare.js';
import { exportCommand } from './commands/export.js';
import { gateCommand } from './commands/gate.js';
import { matrixCommand } from './commands/matrix.js';
import { reportCommand } from './commands/report.js';
import { runCommand } from './commands/run.js';
import { reportError } from './fail.js';
import { packageVersion } from '../util/packageRoot.js';

const cli = yargs(hideBin(process.argv))
  .scriptName('mqbench')
  .usage('$0 <command> [options]\n\nMeasure what replication costs on RabbitMQ.')
  .command(runCommand)
  .command(exportCommand)
  .command(matrixCommand)
  .command(capacityCommand)
  .command(compareCommand)
  .command(reportCommand)
  .command(gateCommand)
  .command(baselineCommand)
  .command(clusterCommand)
  .demandCommand(1, 'Name a command: run, matrix, capacity, compare, report, export, gate, baseline, cluster')
  .strict()
  .version(packageVersion())
  .help()
  .alias('h', 'help')
  .epilogue('Exit codes: 0 ok, 1 run failed or interrupted, 2 bad input (profile, broker, credentials, thresholds), 3 confirmed messages lost, 99 a threshold crossed (gate, run --gate), 130 Ctrl-C, 143 SIGTERM.')
  .fail((msg, err) => {
    if (err) throw err;
    process.stderr.write(`mqbench: ${msg} (see mqbench --help)\n`);
    process.exit(2);
  });

try {
  await cli.parseAsync();
} catch (err) {
  process.exitCode = reportError(err);
}

import type { CommandModule } from 'yargs';
import { defaultReportPath, writeReport } from '../../report/html/renderReport.js';

interface ReportArgs {
  result: string;
  output: string | undefined;
}

export const reportCommand: CommandModule<object, ReportArgs> = {
  command: 'report <result>',
  describe: 'Write a self-contained HTML report (charts, topology, profile) of a run, repeated run, matrix or capacity result',
  builder: (y) =>
    y
      .positional('result', { type: 'string', demandOption: true, describe: 'Result JSON written by mqbench run (once or --repeat), mqbench matrix or mqbench capacity' })
      .option('output', { alias: 'o', type: 'string', describe: 'HTML file to write (default: beside the result, .json → .html)' })
      .example('$0 report results/smoke-<time>.json', 'Writes results/smoke-<time>.html')
      .example('$0 report matrix.json -o m.html', 'A matrix result, written to m.html')
      .example('$0 report results/quorum-3node-<time>.json', 'A repeated run (run --repeat N): every repetition\'s rates and throughput, the latency of all merged')
      .example('$0 report results/quorum-3node-capacity-<time>.json', 'A capacity search: the sustainable rate, latency against throughput (log axis), every step')
      .epilogue(
        'The page embeds Chart.js and all data, so it opens offline in any browser: the verdict and the delivery account, ' +
          'throughput over time (warm-up shaded; with a fault timeline, every fault window shaded and every step marked), ' +
          'the queues\' depth over time and the backlog (a warning when it grew), ' +
          'the fault timeline (steps, recovery times, account by phase, leader changes, connection events), ' +
          'latency percentile curves (HDR style, corrected and raw), throughput by cell with error bars and fault columns for matrix results, ' +
          'for a repeated run one bar per repetition, the summary across repetitions and their merged latency, ' +
          'cluster topology before and after, and the profile. ' +
          'A capacity result (mqbench capacity) gets the sustainable rate and bracket, the settings, latency (e2e and confirm, p50 and p99) against the ' +
          'achieved consume rate on a logarithmic axis with the search steps as faint points, and every step; a capacity matrix one curve per cell ' +
          '(a selector picks the latency figure), its cells\' capacity with latency at the table fraction and the common rate, and every search\'s steps.',
      ),
  handler: async (args) => {
    const { output } = await writeReport(args.result, args.output ?? defaultReportPath(args.result));
    process.stdout.write(`${output}\n`);
  },
};

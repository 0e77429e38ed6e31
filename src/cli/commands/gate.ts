import type { CommandModule } from 'yargs';
import { DEFAULT_ALPHA } from '../../gate/evaluate.js';
import { metricCatalogue } from '../../gate/metrics.js';
import { gateFile } from '../../gate/runGate.js';

interface GateArgs {
  result: string;
  baseline?: string;
  thresholds?: string;
  'summary-md'?: string;
  junit?: string;
  json: boolean;
  alpha: number;
  'baseline-dir': string;
}

export const gateCommand: CommandModule<object, GateArgs> = {
  command: 'gate <result>',
  describe: 'Hold a result to thresholds (absolute, or relative to a baseline beyond the noise): exit 0 passed, 99 crossed',
  builder: (y) =>
    y
      .positional('result', { type: 'string', demandOption: true, describe: 'A run or repeated result JSON (mqbench run [--repeat N]), or a capacity result (mqbench capacity)' })
      .option('baseline', { type: 'string', describe: 'Baseline result JSON (a run, repeated or capacity result), or the name of a saved baseline (baselines/<name>.json)' })
      .option('thresholds', { type: 'string', describe: 'Thresholds file ({"thresholds": {...}}); default: the thresholds of the result\'s profile' })
      .option('summary-md', { type: 'string', describe: 'Append a Markdown summary to this file (e.g. "$GITHUB_STEP_SUMMARY")' })
      .option('junit', { type: 'string', describe: 'Write JUnit XML, one test case per threshold' })
      .option('json', { type: 'boolean', default: false, describe: 'Print the gate report as JSON instead of the table' })
      .option('alpha', { type: 'number', default: DEFAULT_ALPHA, describe: 'Significance level of the between-run test for relative thresholds' })
      .option('baseline-dir', { type: 'string', default: 'baselines', describe: 'Where named baselines live' })
      .example('$0 gate results/quorum-3node-20261201T120000Z.json', 'Thresholds from the profile')
      .example('$0 gate results/new.json --baseline main --thresholds ci/thresholds.json', 'Against the saved baseline "main"')
      .example('$0 gate results/new.json --baseline main --summary-md "$GITHUB_STEP_SUMMARY" --junit results/gate.xml', 'For CI')
      .example('$0 gate results/q3-capacity-20261201T062236Z.json --thresholds t.json', 'A capacity result, e.g. with {"thresholds": {"capacity.sustainable": ["value >= 4000"]}}')
      .epilogue(
        [
          'Threshold expressions: <statistic> <comparison> <limit>, e.g. "mean >= 20000", "p(99) < 50ms", "count == 0", ' +
            '"mean >= baseline - 10%", "p(99) <= baseline + 25%". Statistics: mean, min, max, med, stddev, count, value, p(q). Units: us, ms, s.',
          'A relative threshold fails only when its estimate crosses the limit AND subject and baseline differ beyond the noise ' +
            '(two-sided Mann–Whitney U on their per-run values, p < alpha); both must be repeated results (mqbench run --repeat N), ' +
            'a single run gets no verdict. A capacity result is one search: only capacity.* metrics, and relative thresholds get no verdict either.',
          'Exit codes: 0 every threshold held; 99 a threshold was crossed; 2 bad input (threshold, unknown or missing metric, no baseline for a relative limit).',
          '',
          'Metrics:',
          ...metricCatalogue().map((l) => `  ${l}`),
        ].join('\n'),
      ),
  handler: async (args) => {
    process.exitCode = await gateFile(args.result, {
      baseline: args.baseline,
      baselineDir: args['baseline-dir'],
      thresholds: args.thresholds,
      summaryMd: args['summary-md'],
      junit: args.junit,
      json: args.json,
      alpha: args.alpha,
    });
  },
};

import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { CommandModule } from 'yargs';
import { clusterDown } from '../../cluster/local/cluster.js';
import { formatDurationMs } from '../../profile/duration.js';
import { capacitySettings } from '../../capacity/settings.js';
import { addCapacityRelative, CapacityMatrixRunner, capacityFailures } from '../../matrix/capacityRunner.js';
import { baselineCell, expandMatrix, type PlannedCell } from '../../matrix/expand.js';
import { loadMatrixProfile, matrixCapacitySchema, type MatrixProfile } from '../../matrix/matrixProfile.js';
import { ProfileError } from '../../profile/errors.js';
import { capacityMatrixStepRows, capacityMatrixSummaryRows } from '../../results/capacityMatrixCsv.js';
import { renderCapacityMatrix } from '../../report/capacityMatrixTable.js';
import type { MatrixResult } from '../../matrix/model.js';
import { assignClusters, MATRIX_CLUSTER_DIR, MATRIX_FIRST_BASE_PORT, MatrixRunner } from '../../matrix/runner.js';
import { addRelative, matrixFailures } from '../../matrix/summarize.js';
import { toCsv } from '../../results/csv.js';
import { environmentInfo, loadAverage } from '../../results/environment.js';
import { matrixSummaryRows } from '../../results/matrixCsv.js';
import { RESULT_FORMAT_VERSION } from '../../results/model.js';
import { resultBaseName, writeJson } from '../../results/writer.js';
import { renderMatrix } from '../../report/matrixTable.js';
import { maskSecrets } from '../../util/mask.js';
import { EXIT } from '../fail.js';
import { describeStep } from '../../capacity/stepLine.js';
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
    process.exitCode = await runMatrix(args);
  },
};

async function runMatrix(args: MatrixArgs): Promise<number> {
  const m = await loadMatrixProfile(args.profile);
  const repeat = args.repeat ?? m.repeat;
  const planned = expandMatrix(m, args.profile);
  const clusterDirs = assignClusters(planned, args['cluster-dir'], args['first-port']);
  const baseline = baselineCell(planned, m.baseline);
  const say = (s: string): void => {
    if (!args.quiet) process.stderr.write(`mqbench: ${s}\n`);
  };
  for (const c of planned.filter((p) => p.skipped)) say(`skipping ${c.label}: ${c.skipped}`);
  if (m.mode === 'capacity') return runCapacityMatrix(args, m, repeat, planned, clusterDirs, baseline?.id ?? null, say);

  const runner = new MatrixRunner(planned, repeat, args.profile);
  runner.on('run', (p) => say(`[${p.runNumber}/${p.totalRuns}] ${p.cell.label} — repetition ${p.repetition}/${p.repeat}, about ${formatDurationMs(Math.round(p.etaMs / 1000) * 1000)} left`));
  runner.on('status', (s) => say(`  ${s}`));
  runner.on('runDone', (_c, ok, detail) => say(`  ${ok ? 'done' : 'FAILED'}: ${detail}`));
  const signals = new StopSignals((reason) => runner.abort(reason));
  const startedAt = new Date();
  const loadBefore = loadAverage();
  try {
    const cells = await runner.run();
    addRelative(cells, baseline?.id ?? null);
    const result = matrixResult(args, m, { startedAt, loadBefore, aborted: runner.aborted, repeat, baselineCellId: baseline?.id ?? null, cells });
    const base = resultBaseName(m.name, startedAt);
    const json = await writeJson(args.out, base, result);
    const csv = join(args.out, `${base}-summary.csv`);
    await writeFile(csv, toCsv(matrixSummaryRows(result)));
    process.stdout.write(`${renderMatrix(result)}\n\nresult: ${json}, ${csv}\n`);
    if (signals.exitCode !== undefined) return signals.exitCode;
    const failures = matrixFailures(cells);
    for (const f of failures) process.stderr.write(`mqbench: failed: ${f}\n`);
    return failures.length > 0 ? EXIT.runFailed : EXIT.ok;
  } finally {
    signals.dispose();
    await stopClusters(args, clusterDirs, say);
  }
}

/** The matrix result's header and cells, as both modes write it. */
function matrixResult(
  args: MatrixArgs,
  m: MatrixProfile,
  r: { startedAt: Date; loadBefore: number[]; aborted: string | undefined; repeat: number; baselineCellId: string | null; cells: MatrixResult['cells'] },
): MatrixResult {
  return {
    formatVersion: RESULT_FORMAT_VERSION,
    kind: 'matrix',
    name: m.name,
    profileSource: args.profile,
    matrix: maskSecrets(m),
    environment: environmentInfo(r.loadBefore),
    startedAt: r.startedAt.toISOString(),
    endedAt: new Date().toISOString(),
    interrupted: r.aborted !== undefined,
    error: r.aborted ?? null,
    repeat: r.repeat,
    baselineCellId: r.baselineCellId,
    cells: r.cells,
  };
}

async function stopClusters(args: MatrixArgs, clusterDirs: string[], say: (s: string) => void): Promise<void> {
  if (args['keep-clusters']) return;
  for (const dir of clusterDirs) {
    say(`stopping cluster ${dir}`);
    await clusterDown({ stateDir: resolve(dir) }).catch((err: unknown) => say(`could not stop ${dir}: ${String(err)}`));
  }
}

/** What a capacity search needs of every cell's profile; a problem is the profile's (exit 2). */
function capacityCellIssues(planned: PlannedCell[]): string[] {
  const issues = new Set<string>();
  for (const c of planned) {
    const p = c.profile;
    if (c.skipped !== null || !p) continue;
    if (p.publishers.count === 0 || p.consumers.count === 0) issues.add(`capacity mode needs publishers and consumers (${c.label})`);
    if (p.queues.onStart !== 'delete') issues.add('base.queues.onStart: capacity mode needs "delete" so every step starts from empty queues');
    if (p.faults.length > 0) issues.add('base.faults: capacity mode measures no fault timeline; use a throughput matrix for faults');
  }
  return [...issues];
}

async function runCapacityMatrix(
  args: MatrixArgs,
  m: MatrixProfile,
  repeat: number,
  planned: PlannedCell[],
  clusterDirs: string[],
  baselineId: string | null,
  say: (s: string) => void,
): Promise<number> {
  const issues = capacityCellIssues(planned);
  if (issues.length > 0) throw ProfileError.invalid(args.profile, issues);
  const options = m.capacity ?? matrixCapacitySchema.parse({});
  const settings = capacitySettings(options);
  const runner = new CapacityMatrixRunner(planned, repeat, args.profile, settings, { commonRateMsgsPerS: options.commonRate });
  const what = (w: number | 'curve' | 'common'): string => (typeof w === 'number' ? `search ${w}/${repeat}` : w === 'curve' ? 'latency curve' : 'common rate');
  runner.on('progress', (p) => say(`[${p.number}/${p.total}] ${p.cell.label} — ${what(p.what)}, about ${formatDurationMs(Math.round(p.etaMs / 1000) * 1000)} left`));
  runner.on('step', (_c, s) => say(`  ${describeStep(s)}`));
  runner.on('searchDone', (_c, s) => say(`  ${s.error ? `FAILED: ${s.error}` : s.sustainableMsgsPerS === null ? 'no rate sustained' : `sustainable ${Math.round(s.sustainableMsgsPerS)} msgs/s`}`));
  const signals = new StopSignals((reason) => runner.abort(reason));
  const startedAt = new Date();
  const loadBefore = loadAverage();
  try {
    const { cells, commonRateMsgsPerS } = await runner.run();
    addCapacityRelative(cells, baselineId);
    const result: MatrixResult = {
      ...matrixResult(args, m, { startedAt, loadBefore, aborted: runner.aborted, repeat, baselineCellId: baselineId, cells }),
      mode: 'capacity',
      capacity: { settings, tableFraction: options.tableFraction / 100, commonRateMsgsPerS },
    };
    const base = resultBaseName(m.name, startedAt);
    const json = await writeJson(args.out, base, result);
    const csv = join(args.out, `${base}-summary.csv`);
    const stepsCsv = join(args.out, `${base}-steps.csv`);
    await writeFile(csv, toCsv(capacityMatrixSummaryRows(result)));
    await writeFile(stepsCsv, toCsv(capacityMatrixStepRows(result)));
    process.stdout.write(`${renderCapacityMatrix(result)}\n\nresult: ${json}, ${csv}, ${stepsCsv}\n`);
    if (signals.exitCode !== undefined) return signals.exitCode;
    const failures = capacityFailures(cells);
    for (const f of failures) process.stderr.write(`mqbench: failed: ${f}\n`);
    return failures.length > 0 ? EXIT.runFailed : EXIT.ok;
  } finally {
    signals.dispose();
    await stopClusters(args, clusterDirs, say);
  }
}

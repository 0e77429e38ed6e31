import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { capacitySettings } from '../capacity/settings.js';
import { describeStep } from '../capacity/stepLine.js';
import { clusterDown } from '../cluster/local/cluster.js';
import { addCapacityRelative, CapacityMatrixRunner, capacityFailures } from '../matrix/capacityRunner.js';
import { baselineCell, expandMatrix, type PlannedCell } from '../matrix/expand.js';
import { loadMatrixProfile, matrixCapacitySchema, parseMatrixProfile, type MatrixProfile, type MatrixProfileInput } from '../matrix/matrixProfile.js';
import type { MatrixResult } from '../matrix/model.js';
import { assignClusters, MATRIX_CLUSTER_DIR, MATRIX_FIRST_BASE_PORT, MatrixRunner } from '../matrix/runner.js';
import { addRelative, matrixFailures } from '../matrix/summarize.js';
import { formatDurationMs } from '../profile/duration.js';
import { ProfileError } from '../profile/errors.js';
import { capacityMatrixStepRows, capacityMatrixSummaryRows } from '../results/capacityMatrixCsv.js';
import { toCsv, type Row } from '../results/csv.js';
import { environmentInfo, loadAverage } from '../results/environment.js';
import { matrixSummaryRows } from '../results/matrixCsv.js';
import { RESULT_FORMAT_VERSION } from '../results/model.js';
import { resultBaseName, writeJson } from '../results/writer.js';
import { maskSecrets } from '../util/mask.js';
import { onAbort, RunHandle } from './runHandle.js';

export interface RunMatrixOptions {
  /** Aborting ends the matrix early: the cells measured so far are kept and the promise resolves with them. */
  signal?: AbortSignal;
  /** Write the matrix result JSON and its CSV files (summary; capacity mode: steps too) into this directory; paths in `run.files`. */
  out?: string;
  /** Repetitions per cell (default: the profile's `repeat`). */
  repeat?: number;
  /** Leave the local clusters running afterwards (default: they are stopped). */
  keepClusters?: boolean;
  /** Where each layout's local cluster keeps its state (default .mqbench/matrix). */
  clusterDir?: string;
  /** Base port of the first layout's cluster; each further layout 10 ports up (default 6000). */
  firstPort?: number;
  /** Where the matrix profile came from, as the result records it (default: the path given, else "runMatrix()"). */
  source?: string;
}

export interface MatrixRunEvents {
  /** Progress in words, one line each: which cell and repetition, about how long is left, what each repetition measured. */
  status: [message: string];
}

/** A running matrix: progress lines as events, and a promise of the matrix result. */
export class MatrixRun extends RunHandle<MatrixResult, MatrixRunEvents> {
  /** The files written (with `out`): the JSON first, then the CSV files. */
  files: string[] = [];
}

/**
 * Runs a matrix profile (a path or an object as written): every cell's repetitions interleaved,
 * each layout on its own local cluster; resolves with the matrix result (`mqbench matrix`'s JSON).
 * Rejects with a UserError (ProfileError, exit 2) for an invalid profile. A repetition that failed
 * is in the result, not a rejection: `matrixFailuresOf(result)` lists what failed.
 */
export function runMatrix(profile: string | MatrixProfileInput, opts: RunMatrixOptions = {}): MatrixRun {
  const run: MatrixRun = new MatrixRun(async (signal) => {
    const source = opts.source ?? (typeof profile === 'string' ? profile : 'runMatrix()');
    const m = typeof profile === 'string' ? await loadMatrixProfile(profile) : parseMatrixProfile(profile, source);
    const planned = expandMatrix(m, source);
    const clusterDirs = assignClusters(planned, opts.clusterDir ?? MATRIX_CLUSTER_DIR, opts.firstPort ?? MATRIX_FIRST_BASE_PORT);
    const say = (s: string): void => void run.emit('status', s);
    for (const c of planned.filter((p) => p.skipped)) say(`skipping ${c.label}: ${c.skipped}`);
    if (m.mode === 'capacity') {
      // Checked before any cluster starts: a problem is the profile's (exit 2).
      const issues = capacityCellIssues(planned);
      if (issues.length > 0) throw ProfileError.invalid(source, issues);
    }
    const context: MatrixContext = { m, source, repeat: opts.repeat ?? m.repeat, planned, baselineId: baselineCell(planned, m.baseline)?.id ?? null, signal, say };
    try {
      const { result, files } = m.mode === 'capacity' ? await capacityMatrix(context, opts.out) : await throughputMatrix(context, opts.out);
      run.files = files;
      return result;
    } finally {
      if (!opts.keepClusters) await stopClusters(clusterDirs, say);
    }
  }, opts.signal);
  return run;
}

/** What failed in a matrix result (a repetition that failed, lost confirmed messages without allowLoss, a capacity search without an answer); empty when every cell was measured. */
export function matrixFailuresOf(result: MatrixResult): string[] {
  return result.mode === 'capacity' ? capacityFailures(result.cells) : matrixFailures(result.cells);
}

interface MatrixContext {
  m: MatrixProfile;
  source: string;
  repeat: number;
  planned: PlannedCell[];
  baselineId: string | null;
  signal: AbortSignal;
  say: (s: string) => void;
}

const etaText = (ms: number): string => formatDurationMs(Math.round(ms / 1000) * 1000);

async function throughputMatrix(c: MatrixContext, out: string | undefined): Promise<{ result: MatrixResult; files: string[] }> {
  const runner = new MatrixRunner(c.planned, c.repeat, c.source);
  runner.on('run', (p) => c.say(`[${p.runNumber}/${p.totalRuns}] ${p.cell.label} — repetition ${p.repetition}/${p.repeat}, about ${etaText(p.etaMs)} left`));
  runner.on('status', (s) => c.say(`  ${s}`));
  runner.on('runDone', (_c, ok, detail) => c.say(`  ${ok ? 'done' : 'FAILED'}: ${detail}`));
  const startedAt = new Date();
  const loadBefore = loadAverage();
  const undo = onAbort(c.signal, (reason) => runner.abort(reason));
  try {
    const cells = await runner.run();
    addRelative(cells, c.baselineId);
    const result = matrixResult(c, { startedAt, loadBefore, aborted: runner.aborted, cells });
    return { result, files: out ? await writeMatrixFiles(result, out, { summary: matrixSummaryRows(result) }) : [] };
  } finally {
    undo();
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

async function capacityMatrix(c: MatrixContext, out: string | undefined): Promise<{ result: MatrixResult; files: string[] }> {
  const options = c.m.capacity ?? matrixCapacitySchema.parse({});
  const settings = capacitySettings(options);
  const runner = new CapacityMatrixRunner(c.planned, c.repeat, c.source, settings, { commonRateMsgsPerS: options.commonRate });
  const what = (w: number | 'curve' | 'common'): string => (typeof w === 'number' ? `search ${w}/${c.repeat}` : w === 'curve' ? 'latency curve' : 'common rate');
  runner.on('progress', (p) => c.say(`[${p.number}/${p.total}] ${p.cell.label} — ${what(p.what)}, about ${etaText(p.etaMs)} left`));
  runner.on('step', (_c, s) => c.say(`  ${describeStep(s)}`));
  runner.on('searchDone', (_c, s) => c.say(`  ${s.error ? `FAILED: ${s.error}` : s.sustainableMsgsPerS === null ? 'no rate sustained' : `sustainable ${Math.round(s.sustainableMsgsPerS)} msgs/s`}`));
  const startedAt = new Date();
  const loadBefore = loadAverage();
  const undo = onAbort(c.signal, (reason) => runner.abort(reason));
  try {
    const { cells, commonRateMsgsPerS } = await runner.run();
    addCapacityRelative(cells, c.baselineId);
    const result: MatrixResult = {
      ...matrixResult(c, { startedAt, loadBefore, aborted: runner.aborted, cells }),
      mode: 'capacity',
      capacity: { settings, tableFraction: options.tableFraction / 100, commonRateMsgsPerS },
    };
    const files = out ? await writeMatrixFiles(result, out, { summary: capacityMatrixSummaryRows(result), steps: capacityMatrixStepRows(result) }) : [];
    return { result, files };
  } finally {
    undo();
  }
}

/** The matrix result's header and cells, as both modes write it. */
function matrixResult(c: MatrixContext, r: { startedAt: Date; loadBefore: number[]; aborted: string | undefined; cells: MatrixResult['cells'] }): MatrixResult {
  return {
    formatVersion: RESULT_FORMAT_VERSION,
    kind: 'matrix',
    name: c.m.name,
    profileSource: c.source,
    matrix: maskSecrets(c.m),
    environment: environmentInfo(r.loadBefore),
    startedAt: r.startedAt.toISOString(),
    endedAt: new Date().toISOString(),
    interrupted: r.aborted !== undefined,
    error: r.aborted ?? null,
    repeat: c.repeat,
    baselineCellId: c.baselineId,
    cells: r.cells,
  };
}

/** <out>/<name>-<timestamp>.json and a CSV file per table (<base>-summary.csv, <base>-steps.csv). */
async function writeMatrixFiles(result: MatrixResult, out: string, tables: Record<string, Row[]>): Promise<string[]> {
  const base = resultBaseName(result.name, new Date(result.startedAt));
  const files = [await writeJson(out, base, result)];
  for (const [name, rows] of Object.entries(tables)) {
    const file = join(out, `${base}-${name}.csv`);
    await writeFile(file, toCsv(rows));
    files.push(file);
  }
  return files;
}

async function stopClusters(clusterDirs: string[], say: (s: string) => void): Promise<void> {
  for (const dir of clusterDirs) {
    say(`stopping cluster ${dir}`);
    await clusterDown({ stateDir: resolve(dir) }).catch((err: unknown) => say(`could not stop ${dir}: ${String(err)}`));
  }
}

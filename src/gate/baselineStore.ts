import { copyFile, mkdir, readdir, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { UserError } from '../util/userError.js';
import type { MeanStd } from '../metrics/meanStd.js';
import { loadResult, type LoadedResult } from '../results/loadResult.js';
import { measuredRuns } from '../results/repeated.js';

/**
 * Baselines are result files kept under a name in a directory the user commits (default
 * `baselines/`): `mqbench baseline save <result.json> --name main` copies the result to
 * `baselines/main.json`; the gate's `--baseline main` reads it back. Only runs and repeated runs
 * can be baselines: a matrix holds many setups, not one.
 */

export const DEFAULT_BASELINE_DIR = 'baselines';
export const DEFAULT_BASELINE_NAME = 'main';

/** A result that can be saved as a named baseline. */
export type BaselineResult = Exclude<LoadedResult, { kind: 'matrix' | 'capacity' }>;
/** What the gate can compare with: a saved baseline, or a capacity result (one search: no noise estimate). */
export type GateBaselineResult = Exclude<LoadedResult, { kind: 'matrix' }>;

/** What a person wants to know about a baseline at a glance. */
export interface BaselineInfo {
  /** The baseline's name (file name without .json), or the file name for a path. */
  name: string;
  file: string;
  kind: BaselineResult['kind'];
  /** Measured runs (1 for a run). */
  runs: number;
  /** Repetitions asked for (1 for a run). */
  repeat: number;
  /** The result's own name (the profile's). */
  resultName: string;
  profileSource: string;
  measuredAt: string;
  /** Consumed msgs/s: across runs (stddev 0 for a single run). */
  consumed: MeanStd;
  /** Every measured run's consumed msgs/s. */
  consumedPerRun: number[];
  /** e2e p99 ms (merged histograms for a repeated result); null when nothing was measured. */
  e2eP99Ms: number | null;
  interrupted: boolean;
  /** Verdicts that were not ok, e.g. ["lost"]. */
  problems: string[];
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** A baseline name is a plain file name: letters, digits, '.', '_', '-', and no ".json". */
export function checkBaselineName(name: string): string {
  if (!NAME.test(name) || name.endsWith('.json')) {
    throw new UserError(`baseline name ${JSON.stringify(name)}: use letters, digits, '.', '_' and '-' (e.g. main, release-3.13), without .json`);
  }
  return name;
}

/** A path (has a '/' or ends with .json) or a name in dir. */
export function looksLikePath(nameOrPath: string): boolean {
  return /[/\\]/.test(nameOrPath) || nameOrPath.toLowerCase().endsWith('.json');
}

export function baselineFile(name: string, dir = DEFAULT_BASELINE_DIR): string {
  return join(dir, `${checkBaselineName(name)}.json`);
}

/** A loaded result as a baseline, or a one-line error (exit 2) for a matrix or a capacity result. */
export function asBaseline(loaded: LoadedResult, file: string): BaselineResult {
  const gateable = asGateBaseline(loaded, file);
  if (gateable.kind === 'capacity') {
    throw new UserError(
      `${file}: a capacity result is a baseline only for another capacity result, given by path (mqbench gate <capacity.json> --baseline ${file}); it cannot be saved as a named baseline or gate a run`,
    );
  }
  return gateable;
}

/** A loaded result the gate can compare with, or a one-line error (exit 2) for a matrix. */
export function asGateBaseline(loaded: LoadedResult, file: string): GateBaselineResult {
  if (loaded.kind === 'matrix') {
    throw new UserError(`${file}: a matrix result cannot be a baseline (it holds many setups); save a result of mqbench run (with or without --repeat)`);
  }
  return loaded;
}

const meanStdOf = (xs: number[]): MeanStd => {
  const n = xs.length;
  const mean = n === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / n;
  const stddev = n > 1 ? Math.sqrt(xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (n - 1)) : 0;
  return { mean, stddev, n };
};

export function describeBaseline(b: BaselineResult, file: string, name = basename(file).replace(/\.json$/i, '')): BaselineInfo {
  const common = { name, file, resultName: b.result.name, profileSource: b.result.profileSource, measuredAt: b.result.startedAt, interrupted: b.result.interrupted };
  if (b.kind === 'run') {
    const r = b.result;
    const rate = r.rates.consumed.overallMsgsPerS;
    const measured = r.timing.measuredMs > 0;
    return {
      ...common,
      kind: 'run',
      runs: measured ? 1 : 0,
      repeat: 1,
      consumed: meanStdOf(measured ? [rate] : []),
      consumedPerRun: measured ? [rate] : [],
      e2eP99Ms: measured ? r.latency.e2e.corrected.p99Ms : null,
      problems: r.verdict && r.verdict.status !== 'ok' ? [r.verdict.status] : [],
    };
  }
  const r = b.result;
  const perRun = measuredRuns(r.runs).map((run) => run.rates.consumed.overallMsgsPerS);
  return {
    ...common,
    kind: 'repeated',
    runs: perRun.length,
    repeat: r.repeat,
    consumed: r.summary?.consumeRate ?? meanStdOf(perRun),
    consumedPerRun: perRun,
    e2eP99Ms: r.summary ? r.summary.e2e.p99Ms : null,
    problems: r.runs.map((run) => run.verdict.status).filter((v) => v !== 'ok'),
  };
}

/**
 * `mqbench baseline save`: checks the file is a run or repeated result with something measured
 * and copies it, byte for byte, to `<dir>/<name>.json` (creating dir, replacing an older baseline
 * of that name).
 */
export async function saveBaseline(resultFile: string, name = DEFAULT_BASELINE_NAME, dir = DEFAULT_BASELINE_DIR): Promise<{ file: string; info: BaselineInfo; replaced: boolean }> {
  const file = baselineFile(name, dir);
  const baseline = asBaseline(await loadResult(resultFile), resultFile);
  const info = describeBaseline(baseline, file, name);
  if (info.runs === 0) throw new UserError(`${resultFile}: nothing was measured (no finished run), so it cannot be a baseline`);
  const replaced = await exists(file);
  try {
    await mkdir(dir, { recursive: true });
    await copyFile(resultFile, file);
  } catch (err) {
    throw new UserError(`cannot save baseline ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  return { file, info, replaced };
}

/**
 * A baseline by name (`main` → `<dir>/main.json`) or by path (anything with a '/' or ending in
 * .json); a missing one, a file that is not a result, or a matrix result is a one-line error (exit 2).
 */
export async function resolveBaseline(nameOrPath: string, dir = DEFAULT_BASELINE_DIR): Promise<{ file: string; loaded: BaselineResult }> {
  const { file, loaded } = await resolveGateBaseline(nameOrPath, dir);
  return { file, loaded: asBaseline(loaded, file) };
}

/** As resolveBaseline, for the gate: a capacity result is a baseline too (for capacity.* thresholds). */
export async function resolveGateBaseline(nameOrPath: string, dir = DEFAULT_BASELINE_DIR): Promise<{ file: string; loaded: GateBaselineResult }> {
  if (looksLikePath(nameOrPath)) return { file: nameOrPath, loaded: asGateBaseline(await loadResult(nameOrPath), nameOrPath) };
  const file = baselineFile(nameOrPath, dir);
  if (!(await exists(file))) {
    const known = await baselineNames(dir).catch(() => []);
    const hint = known.length > 0 ? `saved: ${known.join(', ')}` : `save one with: mqbench baseline save <result.json> --name ${nameOrPath}${dir === DEFAULT_BASELINE_DIR ? '' : ` --dir ${dir}`}`;
    throw new UserError(`no baseline ${JSON.stringify(nameOrPath)} in ${dir}/ (${hint})`);
  }
  return { file, loaded: asGateBaseline(await loadResult(file), file) };
}

/** Names of the baselines in dir (its .json files), sorted; a missing dir is a one-line error. */
export async function baselineNames(dir = DEFAULT_BASELINE_DIR): Promise<string[]> {
  let entries: string[];
  try {
    entries = await readdir(dir);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UserError(code === 'ENOENT' ? `no baseline directory ${dir}/ (save a baseline first: mqbench baseline save <result.json>)` : `cannot read ${dir}/: ${code ?? String(err)}`);
  }
  return entries
    .filter((f) => f.toLowerCase().endsWith('.json'))
    .map((f) => f.slice(0, -'.json'.length))
    .sort();
}

/** Every baseline in dir; a file there that is not a run or repeated result is listed with why. */
export async function listBaselines(dir = DEFAULT_BASELINE_DIR): Promise<Array<{ name: string; file: string; info: BaselineInfo | null; error: string | null }>> {
  const out: Array<{ name: string; file: string; info: BaselineInfo | null; error: string | null }> = [];
  for (const name of await baselineNames(dir)) {
    const file = join(dir, `${name}.json`);
    try {
      out.push({ name, file, info: describeBaseline(asBaseline(await loadResult(file), file), file, name), error: null });
    } catch (err) {
      out.push({ name, file, info: null, error: err instanceof Error ? err.message : String(err) });
    }
  }
  return out;
}

async function exists(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}

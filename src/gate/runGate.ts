import { appendFile, mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { loadResult, type LoadedResult } from '../results/loadResult.js';
import type { RepeatedResult, RunResult } from '../results/model.js';
import { resolveGateBaseline } from './baselineStore.js';
import { EXIT_THRESHOLD_CROSSED, GateInputError } from './errors.js';
import { DEFAULT_ALPHA, evaluateGate } from './evaluate.js';
import { loadThresholdsFile, thresholdsOfProfile } from './loadThresholds.js';
import type { GateReport } from './model.js';
import { renderGateJson } from './output/json.js';
import { renderGateJunit } from './output/junit.js';
import { renderGateMarkdown } from './output/markdown.js';
import { renderGateTable } from './output/table.js';
import { gateSubject } from './subject.js';

/** What `mqbench gate` and `mqbench run --gate` share. */
export interface GateOptions {
  /** A thresholds file; else the thresholds of the result's profile. */
  thresholds?: string;
  /** A baseline result file or the name of a saved baseline (baselines/<name>.json). */
  baseline?: string;
  baselineDir?: string;
  /** Appends the Markdown summary (as $GITHUB_STEP_SUMMARY expects). */
  summaryMd?: string;
  junit?: string;
  /** The report as JSON on stdout instead of the table. */
  json?: boolean;
  alpha?: number;
}

/** Gates an already loaded result; prints the table (or JSON) and writes the summaries. Exit 0 passed, 99 crossed. */
export async function gateLoaded(loaded: LoadedResult, file: string, opts: GateOptions): Promise<{ exitCode: number; report: GateReport }> {
  const alpha = opts.alpha ?? DEFAULT_ALPHA;
  if (!(alpha > 0 && alpha < 1)) throw new GateInputError(`--alpha ${alpha}: expected a significance level between 0 and 1, e.g. 0.05`);
  const subject = gateSubject(loaded, file);
  const thresholds = opts.thresholds ? await loadThresholdsFile(opts.thresholds) : thresholdsOfProfile(profileOf(loaded), file);
  if (thresholds.length === 0) {
    throw new GateInputError(`${file}: no thresholds: its profile has no "thresholds" and no --thresholds <file> was given`);
  }
  let baseline = null;
  if (opts.baseline) {
    const b = await resolveGateBaseline(opts.baseline, opts.baselineDir);
    baseline = gateSubject(b.loaded, b.file);
  }
  const report = evaluateGate(thresholds, subject, baseline, alpha);
  process.stdout.write(opts.json ? renderGateJson(report) : `${renderGateTable(report)}\n`);
  if (opts.summaryMd) await writeOut(opts.summaryMd, renderGateMarkdown(report), 'append');
  if (opts.junit) await writeOut(opts.junit, renderGateJunit(report), 'replace');
  return { exitCode: report.verdict === 'failed' ? EXIT_THRESHOLD_CROSSED : 0, report };
}

export async function gateFile(file: string, opts: GateOptions): Promise<number> {
  return (await gateLoaded(await loadResult(file), file, opts)).exitCode;
}

/** `mqbench run --gate`: the result just written, gated. */
export async function gateAfterRun(opts: { resultFile: string; result: RunResult | RepeatedResult; args: GateOptions }): Promise<number> {
  const loaded: LoadedResult = opts.result.kind === 'run' ? { kind: 'run', result: opts.result } : { kind: 'repeated', result: opts.result };
  return (await gateLoaded(loaded, opts.resultFile, opts.args)).exitCode;
}

function profileOf(loaded: LoadedResult): RunResult['profile'] | undefined {
  return loaded.kind === 'matrix' ? undefined : loaded.result.profile;
}

async function writeOut(path: string, text: string, mode: 'append' | 'replace'): Promise<void> {
  try {
    await mkdir(dirname(path), { recursive: true });
    await (mode === 'append' ? appendFile(path, text.endsWith('\n') ? text : `${text}\n`) : writeFile(path, text));
  } catch (err) {
    throw new GateInputError(`cannot write ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
}

import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ProfileInput } from '../../src/profile/schema.js';
import type { RunResult } from '../../src/results/model.js';
import { packageRoot } from '../../src/util/packageRoot.js';

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  elapsedMs: number;
}

export interface CliOptions {
  /** Called once the child runs, e.g. to signal it later. */
  onSpawn?: (pid: number) => void;
  /** Called with all stderr so far on every chunk, e.g. to signal the child when a line appears. */
  onStderr?: (stderrSoFar: string, pid: number) => void;
  timeoutMs?: number;
  env?: Record<string, string>;
}

/** Runs the built CLI (bin/mqbench.js) as a user would. */
export function runCli(args: string[], opts: CliOptions = {}): Promise<CliRun> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(packageRoot(), 'bin', 'mqbench.js'), ...args], {
      cwd: packageRoot(),
      env: { ...process.env, FORCE_COLOR: '0', ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      opts.onStderr?.(stderr, child.pid!);
    });
    const limit = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 120_000);
    child.on('error', reject);
    child.on('spawn', () => opts.onSpawn?.(child.pid!));
    child.on('close', (code, signal) => {
      clearTimeout(limit);
      resolve({ code, signal, stdout, stderr, elapsedMs: Date.now() - started });
    });
  });
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `mqbench-${prefix}-`));
}

/** Writes a profile into a fresh temporary directory and returns its path. */
export function writeProfile(profile: ProfileInput | Record<string, unknown>, dir = tempDir('profile')): string {
  const path = join(dir, 'profile.json');
  writeFileSync(path, JSON.stringify(profile, null, 2));
  return path;
}

/** The one result JSON `mqbench run` wrote into `out`; fails the test when there is none. */
export function readRunResult(out: string, cli?: CliRun): RunResult {
  const file = readdirSync(out).find((f) => f.endsWith('.json'));
  if (!file) throw new Error(`no result written${cli ? `; exit ${cli.code}; stderr: ${cli.stderr}` : ''}`);
  return JSON.parse(readFileSync(join(out, file), 'utf8')) as RunResult;
}

/**
 * `mqbench run <profile> -q` into a fresh directory, `during` started once the child runs (e.g. to
 * close a connection mid-run); returns the CLI outcome and the result it wrote.
 */
export async function runProfile(
  profile: Record<string, unknown>,
  opts: { prefix: string; during?: () => Promise<void>; timeoutMs?: number },
): Promise<{ cli: CliRun; r: RunResult }> {
  const out = tempDir(opts.prefix);
  let action: Promise<void> | undefined;
  const cli = await runCli(['run', writeProfile(profile), '--out', out, '-q'], {
    onSpawn: () => {
      action = opts.during?.();
    },
    timeoutMs: opts.timeoutMs ?? 90_000,
  });
  await action;
  return { cli, r: readRunResult(out, cli) };
}

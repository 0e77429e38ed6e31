import { execFile, execFileSync } from 'node:child_process';
import { findExecutable } from './executables.js';
import { splitRule } from './listing.js';
import { hookRule, restoreInput } from './rules.js';

/**
 * Running iptables, always with argument arrays (execFile, never a shell). `-w` waits for the
 * xtables lock instead of failing when another iptables runs at the same moment (legacy backend;
 * the nft backend accepts and ignores it). Every call is bounded in time.
 */

const CALL_TIMEOUT_MS = 15_000;
const LOCK_WAIT_S = '10';

export interface IptablesTools {
  iptables: string;
  restore: string;
}

/** iptables and iptables-restore, or undefined when either is missing. */
export function findIptables(): IptablesTools | undefined {
  const iptables = findExecutable('iptables');
  const restore = findExecutable('iptables-restore');
  return iptables && restore ? { iptables, restore } : undefined;
}

export interface CallResult {
  ok: boolean;
  stdout: string;
  stderr: string;
}

function call(file: string, args: readonly string[], input?: string): Promise<CallResult> {
  return new Promise((resolve) => {
    const child = execFile(file, args, { timeout: CALL_TIMEOUT_MS, killSignal: 'SIGKILL', encoding: 'utf8' }, (err, stdout, stderr) => {
      resolve({ ok: !err, stdout, stderr: stderr || (err ? err.message : '') });
    });
    if (input !== undefined) child.stdin?.end(input);
  });
}

function callSync(file: string, args: readonly string[], input?: string): CallResult {
  try {
    const stdout = execFileSync(file, args, { timeout: CALL_TIMEOUT_MS, killSignal: 'SIGKILL', encoding: 'utf8', input, stdio: ['pipe', 'pipe', 'pipe'] });
    return { ok: true, stdout, stderr: '' };
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    return { ok: false, stdout: '', stderr: e.stderr || e.message };
  }
}

/** The filter table as rules (`iptables -S`), or undefined when iptables is missing or fails. */
export async function listRules(tools: IptablesTools | undefined = findIptables()): Promise<string | undefined> {
  if (!tools) return undefined;
  const r = await call(tools.iptables, ['-w', LOCK_WAIT_S, '-S']);
  return r.ok ? r.stdout : undefined;
}

export function listRulesSync(tools: IptablesTools | undefined = findIptables()): string | undefined {
  if (!tools) return undefined;
  const r = callSync(tools.iptables, ['-w', LOCK_WAIT_S, '-S']);
  return r.ok ? r.stdout : undefined;
}

/** Whether iptables works here (kernel support, permissions): `iptables -S OUTPUT`, with its error when not. */
export async function probe(tools: IptablesTools): Promise<CallResult> {
  return call(tools.iptables, ['-w', LOCK_WAIT_S, '-S', 'OUTPUT']);
}

/**
 * Make the chain hold exactly these rules (created if missing, replaced atomically otherwise),
 * and hook it into OUTPUT once. Throws with iptables' message on failure.
 */
export async function setChain(tools: IptablesTools, chain: string, rules: readonly string[][]): Promise<void> {
  const r = await call(tools.restore, ['-w', LOCK_WAIT_S, '--noflush'], restoreInput(chain, rules));
  if (!r.ok) throw new Error(`iptables-restore failed for chain ${chain}: ${r.stderr.trim()}`);
  const hook = hookRule(chain);
  if ((await call(tools.iptables, ['-w', LOCK_WAIT_S, '-C', ...hook])).ok) return;
  const ins = await call(tools.iptables, ['-w', LOCK_WAIT_S, '-I', hook[0]!, '1', ...hook.slice(1)]);
  if (!ins.ok) throw new Error(`iptables -I OUTPUT 1 -j ${chain} failed: ${ins.stderr.trim()}`);
}

/**
 * Remove every OUTPUT rule jumping to the chain, then the chain. Missing pieces are fine (the
 * goal is "gone"). Returns an error message when something is still there afterwards.
 */
export async function removeChain(tools: IptablesTools, chain: string): Promise<string | undefined> {
  return removeWith((args) => call(tools.iptables, ['-w', LOCK_WAIT_S, ...args]), chain);
}

/** removeChain for process exit handlers, where nothing asynchronous runs any more. */
export function removeChainSync(tools: IptablesTools, chain: string): string | undefined {
  let result: string | undefined;
  const run = (args: string[]): CallResult => callSync(tools.iptables, ['-w', LOCK_WAIT_S, ...args]);
  // The same steps as removeWith, written out synchronously.
  for (const spec of hookSpecs(run(['-S', 'OUTPUT']).stdout, chain)) run(['-D', ...spec]);
  run(['-F', chain]);
  run(['-X', chain]);
  const left = run(['-S']).stdout;
  if (chainPresent(left, chain)) result = `chain ${chain} is still present`;
  return result;
}

async function removeWith(run: (args: string[]) => Promise<CallResult>, chain: string): Promise<string | undefined> {
  for (const spec of hookSpecs((await run(['-S', 'OUTPUT'])).stdout, chain)) await run(['-D', ...spec]);
  await run(['-F', chain]);
  const x = await run(['-X', chain]);
  const left = (await run(['-S'])).stdout;
  if (chainPresent(left, chain)) return `chain ${chain} is still present: ${x.stderr.trim()}`;
  return undefined;
}

/** Rule specs (for -D, without the leading -A) of every OUTPUT rule jumping to the chain. */
export function hookSpecs(outputRules: string, chain: string): string[][] {
  return outputRules
    .split('\n')
    .map(splitRule)
    .filter((t) => t[0] === '-A' && t[1] === 'OUTPUT' && jumpTarget(t) === chain)
    .map((t) => t.slice(1));
}

function jumpTarget(tokens: string[]): string | undefined {
  const j = tokens.findIndex((t) => t === '-j' || t === '--jump');
  return j >= 0 ? tokens[j + 1] : undefined;
}

function chainPresent(rules: string, chain: string): boolean {
  return rules.split('\n').some((l) => {
    const t = splitRule(l);
    return t[0] === '-N' && t[1] === chain;
  });
}

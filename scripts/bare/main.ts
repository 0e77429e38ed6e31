/**
 * Child-process entry of the bare client: `node dist/scripts/bare/main.js '<BareOptions JSON>'`.
 * Runs one bare benchmark and writes one JSON line on stdout: the BareResult plus the resource
 * use of the whole process, read on 'exit' exactly as scripts/bare/cpuProbe.ts does for mqbench.
 * Exits 1 with a message on stderr when the run fails.
 */
import { writeSync } from 'node:fs';
import { runBare, type BareOptions, type BareResult } from './bareClient.js';
import { takeUsage, usageDelta, type UsageDelta } from './usage.js';

export interface BareChildOutput extends BareResult {
  /** Read on 'exit': the whole process since it started (Node start-up included). */
  processUsage: UsageDelta;
}

const arg = process.argv[2];
if (!arg) {
  process.stderr.write('usage: node dist/scripts/bare/main.js <options JSON>\n');
  process.exit(2);
}

const options = JSON.parse(arg) as BareOptions;
try {
  const result = await runBare(options);
  process.once('exit', () => {
    const out: BareChildOutput = { ...result, processUsage: usageDelta(takeUsage()) };
    writeSync(1, `${JSON.stringify(out)}\n`);
  });
} catch (err) {
  process.stderr.write(`bare: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
}

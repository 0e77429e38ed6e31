import { maskSecretsInText } from '../util/mask.js';
import { EXIT } from '../util/userError.js';

export { EXIT, UserError } from '../util/userError.js';

/** Prints an error for a person: the message only (passwords masked), never a stack trace for known errors. */
export function reportError(err: unknown): number {
  const exitCode = err instanceof Error ? (err as Error & { exitCode?: unknown }).exitCode : undefined;
  const known = typeof exitCode === 'number';
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`mqbench: ${maskSecretsInText(message)}\n`);
  if (!known && err instanceof Error && process.env.MQBENCH_DEBUG) process.stderr.write(`${err.stack ?? ''}\n`);
  return known ? exitCode : EXIT.runFailed;
}

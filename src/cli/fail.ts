import { maskSecretsInText } from '../util/mask.js';

/**
 * Exit codes: 0 ok, 1 the run failed or was interrupted (or its account is incomplete), 2 bad input
 * (profile, broker address, credentials), 3 confirmed messages were lost (unless the profile sets
 * allowLoss), 130 Ctrl-C, 143 SIGTERM.
 */
export const EXIT = { ok: 0, runFailed: 1, badInput: 2, lost: 3, interrupted: 130, terminated: 143 } as const;

/** An error the user can act on: printed as one line (no stack), with its exit code. */
export class UserError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.badInput,
  ) {
    super(message);
  }
}

/** Prints an error for a person: the message only (passwords masked), never a stack trace for known errors. */
export function reportError(err: unknown): number {
  const exitCode = err instanceof Error ? (err as Error & { exitCode?: unknown }).exitCode : undefined;
  const known = typeof exitCode === 'number';
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`mqbench: ${maskSecretsInText(message)}\n`);
  if (!known && err instanceof Error && process.env.MQBENCH_DEBUG) process.stderr.write(`${err.stack ?? ''}\n`);
  return known ? exitCode : EXIT.runFailed;
}

/**
 * Exit codes: 0 ok, 1 the run failed or was interrupted (or its account is incomplete), 2 bad input
 * (profile, broker address, credentials), 3 confirmed messages were lost (unless the profile sets
 * allowLoss), 130 Ctrl-C, 143 SIGTERM.
 */
export const EXIT = { ok: 0, runFailed: 1, badInput: 2, lost: 3, interrupted: 130, terminated: 143 } as const;

/** An error the user can act on: printed as one line (no stack), with its exit code. Shared by every layer, so none imports the CLI for it. */
export class UserError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.badInput,
  ) {
    super(message);
  }
}

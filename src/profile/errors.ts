import { EXIT, UserError } from '../util/userError.js';

/** A profile that cannot be used. The CLI prints `message` and exits with `exitCode` (2 = bad input). */
export class ProfileError extends UserError {
  override readonly name = 'ProfileError';

  /**
   * With a headline, the message is the headline followed by one indented line per issue
   * (`profiles/x.json: invalid profile` + issues); without, it is the issues themselves.
   */
  constructor(
    readonly source: string,
    readonly issues: readonly string[],
    headline?: string,
  ) {
    super(headline === undefined ? issues.join('\n') : [headline, ...issues.map((line) => `  ${line}`)].join('\n'), EXIT.badInput);
  }

  /** All validation problems of one profile file. */
  static invalid(source: string, issues: readonly string[]): ProfileError {
    return new ProfileError(source, issues, `${source}: invalid profile`);
  }
}

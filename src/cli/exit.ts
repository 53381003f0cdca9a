/** The CLI's exit codes (docs/formats.md, command line): scripts and CI depend on these numbers. */
export const enum ExitCode {
  /** Success. */
  Ok = 0,
  /** A check found what it checks for (for `check`: AI changes nobody has signed off). */
  Found = 1,
  /** Bad usage or bad input: the message says what to change. */
  Usage = 2,
  /** git or the environment failed: the message says what to fix. */
  Environment = 3,
}

/** Bad usage or input. The message is shown as is and must say what to do. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  readonly cliExitCode = ExitCode.Usage;
}

/** git or the environment failed. The message is shown as is and must say what to do. */
export class EnvironmentError extends Error {
  override readonly name = 'EnvironmentError';
  readonly cliExitCode = ExitCode.Environment;
}

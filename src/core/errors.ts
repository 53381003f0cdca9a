/**
 * Errors a person can act on say how the CLI reports them: the exit code of docs/formats.md (2: bad usage or
 * input, 3: git or the environment failed), and optionally a headline before the message and a hint after it.
 * `src/cli/main.ts` maps any error once from these fields; an error without them is our bug and says so. Hook
 * commands never exit non-zero for our own failure, whatever the error declares.
 */
export interface CliFailure {
  readonly cliExitCode: 2 | 3;
  /** Said before the message, e.g. `bad policy`. */
  readonly headline?: string;
  /** What to do, said after the message when the message itself does not. */
  readonly hint?: string;
}

export const USAGE_EXIT = 2;
export const ENVIRONMENT_EXIT = 3;

/** The error's CLI failure fields, when it declares them. */
export function cliFailure(error: unknown): (CliFailure & Error) | undefined {
  if (!(error instanceof Error)) return undefined;
  const code = (error as Partial<CliFailure>).cliExitCode;
  return code === USAGE_EXIT || code === ENVIRONMENT_EXIT ? (error as CliFailure & Error) : undefined;
}

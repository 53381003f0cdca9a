import type { Logger } from '../../core/log';
import {
  DEFAULT_TIMEOUT_MS,
  ProcessError,
  runProcess,
  startProcess,
  type PipedHandlers,
  type PipedProcess,
} from '../process/run';
import { ENVIRONMENT_EXIT } from '../../core/errors';

/**
 * How git is run: through the process runner (src/io/process/run.ts: argument arrays, a timeout, EPIPE-safe
 * stdin), with fixed options and a fixed environment so output is stable and parseable, and a typed GitError that
 * carries what git said.
 */

export interface GitRunOptions {
  /** Working directory; git finds the repository from here. */
  cwd: string;
  /** Written to git's stdin. */
  input?: string | Buffer | undefined;
  /** Extra environment on top of the fixed one (e.g. GIT_INDEX_FILE). */
  env?: Record<string, string | undefined>;
  /** Exit codes that are answers rather than failures (e.g. 1 for `git diff --quiet`). */
  okExitCodes?: readonly number[];
  /** Kill git after this many milliseconds; default GIT_TIMEOUT_MS. */
  timeoutMs?: number | undefined;
  logger?: Logger | undefined;
}

export interface GitResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

/** git failed to start, or exited with a code the caller did not expect. */
export class GitError extends Error {
  override readonly name = 'GitError';
  readonly cliExitCode = ENVIRONMENT_EXIT;
  constructor(
    readonly args: readonly string[],
    readonly exitCode: number | null,
    readonly stderr: string,
    readonly cwd: string,
    cause?: unknown,
  ) {
    super(GitError.describe(args, exitCode, stderr, cause), cause === undefined ? undefined : { cause });
  }

  /** True when git itself could not be run (not installed, or the folder does not exist), or was stopped. */
  get notRunnable(): boolean {
    return this.exitCode === null;
  }

  /** True when git ran past its timeout and was stopped. */
  get timedOut(): boolean {
    return this.cause instanceof ProcessError && this.cause.timedOut;
  }

  private static describe(args: readonly string[], exitCode: number | null, stderr: string, cause: unknown): string {
    const what = `git ${args.join(' ')}`;
    if (cause instanceof ProcessError && cause.timedOut) return `${what} timed out and was stopped`;
    const said = stderr.trim().split('\n').filter(Boolean).slice(0, 3).join(' / ');
    return exitCode === null
      ? `${what} could not run${said ? `: ${said}` : ''}`
      : `${what} failed (exit ${exitCode})${said ? `: ${said}` : ''}`;
  }
}

/** Every git call has a timeout: a hook must never hang a commit forever. Callers may give a shorter one. */
export const GIT_TIMEOUT_MS = DEFAULT_TIMEOUT_MS;

/** Options every git call gets: no colour, no pager, raw (unquoted) paths. */
const FIXED_CONFIG = ['-c', 'core.quotepath=false', '-c', 'color.ui=false', '-c', 'core.pager=cat'];

function fixedEnv(extra: Record<string, string | undefined> | undefined): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    LC_ALL: 'C',
    LANG: 'C',
    GCM_INTERACTIVE: 'NEVER',
    GIT_TERMINAL_PROMPT: '0',
    // refs/replace can make a commit look like another one: provenance and sign-offs are about the real objects.
    GIT_NO_REPLACE_OBJECTS: '1',
  };
  delete env.GIT_PAGER;
  for (const [key, value] of Object.entries(extra ?? {})) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  return env;
}

/** Turns the runner's error into a GitError (same message; `timedOut` when git was stopped). */
function gitError(args: readonly string[], cwd: string, error: unknown): unknown {
  if (!(error instanceof ProcessError)) return error;
  return new GitError(
    args,
    error.exitCode,
    error.reason === 'exit' ? error.stderr : error.stderr || error.message,
    cwd,
    error,
  );
}

export async function runGit(args: readonly string[], options: GitRunOptions): Promise<GitResult> {
  options.logger?.trace(`git ${args.join(' ')} (in ${options.cwd})`);
  try {
    return await runProcess('git', [...FIXED_CONFIG, ...args], {
      cwd: options.cwd,
      env: fixedEnv(options.env),
      input: options.input,
      okExitCodes: options.okExitCodes,
      timeoutMs: options.timeoutMs ?? GIT_TIMEOUT_MS,
      // Logged above without the fixed options, as the person would type it.
      logger: undefined,
    });
  } catch (error) {
    throw gitError(args, options.cwd, error);
  }
}

/** Runs git and returns stdout with one trailing newline removed. */
export async function git(args: readonly string[], options: GitRunOptions): Promise<string> {
  const { stdout } = await runGit(args, options);
  return stdout.endsWith('\n') ? stdout.slice(0, -1) : stdout;
}

/**
 * Starts git to answer many requests in one run (`cat-file --batch`), with the fixed options and environment; its
 * end comes to `onExit` as a GitError.
 */
export function startGit(
  args: readonly string[],
  options: Pick<GitRunOptions, 'cwd' | 'env' | 'logger'>,
  handlers: { onData: PipedHandlers['onData']; onExit(error: unknown): void },
): PipedProcess {
  options.logger?.trace(`git ${args.join(' ')} (in ${options.cwd}, kept running)`);
  return startProcess(
    'git',
    [...FIXED_CONFIG, ...args],
    { cwd: options.cwd, env: fixedEnv(options.env) },
    { onData: handlers.onData, onExit: error => handlers.onExit(gitError(args, options.cwd, error)) },
  );
}

/**
 * `git <first> | git <second>`, without a shell: `first` gets `input`, its output goes to `second` as it comes (the two
 * run at once, as a pipe does), and the caller gets both outputs, `first`'s as bytes. A failure of either rejects
 * with a GitError; both are stopped after the timeout.
 */
export function pipeGit(
  first: readonly string[],
  second: readonly string[],
  options: GitRunOptions,
): Promise<{ first: Buffer; second: string }> {
  options.logger?.trace(`git ${first.join(' ')} | git ${second.join(' ')} (in ${options.cwd})`);
  return new Promise((resolve, reject) => {
    const firstOut: Buffer[] = [];
    const secondOut: Buffer[] = [];
    let failed = false;
    let running = 2;
    const fail = (error: unknown): void => {
      if (failed) return;
      failed = true;
      clearTimeout(timer);
      a.kill();
      b.kill();
      reject(error);
    };
    const exited = (args: readonly string[]) => (error: unknown) => {
      if (!(error instanceof ProcessError) || error.exitCode !== 0) return fail(gitError(args, options.cwd, error));
      if (args === first) b.end();
      if (--running > 0 || failed) return;
      clearTimeout(timer);
      try {
        resolve({ first: Buffer.concat(firstOut), second: Buffer.concat(secondOut).toString('utf8') });
      } catch (error) {
        reject(error); // more than a Buffer holds
      }
    };
    const run = { cwd: options.cwd, env: fixedEnv(options.env) };
    // Everything `first` wrote must reach `second`: a second that stops reading early answered about part of it.
    const unread = (error?: Error) =>
      fail(
        gitError(
          second,
          options.cwd,
          new ProcessError('git', second, null, error?.message ?? 'input not read', options.cwd, 'failed', error),
        ),
      );
    const b = startProcess('git', [...FIXED_CONFIG, ...second], run, {
      onData: chunk => void secondOut.push(chunk),
      onExit: exited(second),
      onInputError: unread,
    });
    const a = startProcess('git', [...FIXED_CONFIG, ...first], run, {
      onData: chunk => {
        firstOut.push(chunk);
        if (!b.write(chunk)) unread();
      },
      onExit: exited(first),
    });
    const timer = setTimeout(
      () => fail(gitError(first, options.cwd, new ProcessError('git', first, null, '', options.cwd, 'timeout'))),
      options.timeoutMs ?? GIT_TIMEOUT_MS,
    );
    if (options.input !== undefined) a.write(options.input);
    a.end();
  });
}

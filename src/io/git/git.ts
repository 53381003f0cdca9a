import { execFile } from 'node:child_process';
import type { Logger } from '../../core/log';
import { nullLogger } from '../../core/log';
import { ENVIRONMENT_EXIT } from '../../core/errors';

/**
 * The one place that runs git. Always an argument array (never a shell string), a fixed environment so output
 * is stable and parseable, and a typed error that carries what git said.
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
  /** Kill git after this many milliseconds. */
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
    super(GitError.describe(args, exitCode, stderr), cause === undefined ? undefined : { cause });
  }

  /** True when git itself could not be run (not installed, or the folder does not exist). */
  get notRunnable(): boolean {
    return this.exitCode === null;
  }

  private static describe(args: readonly string[], exitCode: number | null, stderr: string): string {
    const what = `git ${args.join(' ')}`;
    const said = stderr.trim().split('\n').filter(Boolean).slice(0, 3).join(' / ');
    return exitCode === null
      ? `${what} could not run${said ? `: ${said}` : ''}`
      : `${what} failed (exit ${exitCode})${said ? `: ${said}` : ''}`;
  }
}

/** Options every git call gets: no colour, no pager, raw (unquoted) paths. */
const FIXED_CONFIG = ['-c', 'core.quotepath=false', '-c', 'color.ui=false', '-c', 'core.pager=cat'];

function fixedEnv(extra: Record<string, string | undefined> | undefined): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    LC_ALL: 'C',
    LANG: 'C',
    GCM_INTERACTIVE: 'NEVER',
    GIT_TERMINAL_PROMPT: '0',
  };
  delete env.GIT_PAGER;
  for (const [key, value] of Object.entries(extra ?? {})) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  return env;
}

export function runGit(args: readonly string[], options: GitRunOptions): Promise<GitResult> {
  const logger = options.logger ?? nullLogger;
  const ok = options.okExitCodes ?? [0];
  const fullArgs = [...FIXED_CONFIG, ...args];
  logger.trace(`git ${args.join(' ')} (in ${options.cwd})`);
  return new Promise((resolve, reject) => {
    const child = execFile(
      'git',
      fullArgs,
      {
        cwd: options.cwd,
        env: fixedEnv(options.env),
        encoding: 'utf8',
        maxBuffer: 1024 * 1024 * 1024,
        timeout: options.timeoutMs ?? 0,
        windowsHide: true,
      },
      (error, stdout, stderr) => {
        if (!error) {
          resolve({ stdout, stderr, exitCode: 0 });
          return;
        }
        const code = typeof error.code === 'number' ? error.code : null;
        if (code !== null && ok.includes(code)) {
          resolve({ stdout, stderr, exitCode: code });
          return;
        }
        reject(new GitError(args, code, stderr || (code === null ? error.message : ''), options.cwd, error));
      },
    );
    if (options.input !== undefined) child.stdin?.end(options.input);
  });
}

/** Runs git and returns stdout as bytes: for file contents, which need not be UTF-8. */
export function gitBuffer(args: readonly string[], options: GitRunOptions): Promise<Buffer> {
  const logger = options.logger ?? nullLogger;
  logger.trace(`git ${args.join(' ')} (in ${options.cwd})`);
  return new Promise((resolve, reject) => {
    const child = execFile(
      'git',
      [...FIXED_CONFIG, ...args],
      {
        cwd: options.cwd,
        env: fixedEnv(options.env),
        encoding: 'buffer',
        maxBuffer: 4 * 1024 * 1024 * 1024,
        timeout: options.timeoutMs ?? 0,
        windowsHide: true,
      },
      (error, stdout, stderr) => {
        if (!error) return resolve(stdout);
        const code = typeof error.code === 'number' ? error.code : null;
        reject(
          new GitError(args, code, stderr.toString('utf8') || (code === null ? error.message : ''), options.cwd, error),
        );
      },
    );
    if (options.input !== undefined) child.stdin?.end(options.input);
  });
}

/** Runs git and returns stdout with one trailing newline removed. */
export async function git(args: readonly string[], options: GitRunOptions): Promise<string> {
  const { stdout } = await runGit(args, options);
  return stdout.endsWith('\n') ? stdout.slice(0, -1) : stdout;
}

/** Splits `-z` output into its NUL-terminated records. */
export function splitNul(output: string): string[] {
  const parts = output.split('\0');
  if (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  return parts;
}

import type * as ChildProcess from 'node:child_process';
import type { Logger } from '../../core/log';
import { nullLogger } from '../../core/log';
import { ENVIRONMENT_EXIT } from '../../core/errors';

/**
 * The one place that starts processes (lint forbids child_process anywhere else in src). git, ssh-keygen and ps
 * all go through `runProcess`:
 * - an argument array, never a shell string;
 * - a timeout on every call (a default per program; a hook must never hang a commit or an agent forever), after
 *   which the process is killed and the call fails with a ProcessError that says it timed out;
 * - stdin written safely: a child that exits before reading all of its input (git rejecting an argument, a
 *   signature check failing early) makes the pipe fail with EPIPE, which must not become an unhandled error that
 *   crashes the editor's extension host or the CLI; the child's exit code is the answer;
 * - output as text (UTF-8) or bytes (file contents need not be UTF-8);
 * - a typed error with the program, its arguments, the exit code or signal, and what it wrote to stderr.
 */

let childProcess: typeof ChildProcess | undefined;
/** node:child_process, loaded when a process is first started: the agent hook seldom starts one (2 ms saved). */
function loadChildProcess(): typeof ChildProcess {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (childProcess ??= require('node:child_process') as typeof ChildProcess);
}

/** Used when the caller gives no timeout. Generous: big repositories take time; hanging forever is never right. */
export const DEFAULT_TIMEOUT_MS = 10 * 60 * 1000;

export interface ProcessOptions {
  /** Working directory. */
  cwd?: string | undefined;
  /** Written to the process's stdin, which is then closed (closed at once when absent). */
  input?: string | Buffer | undefined;
  /** The whole environment of the process (default: this process's). */
  env?: NodeJS.ProcessEnv | undefined;
  /** Exit codes that are answers rather than failures (e.g. 1 for `git diff --quiet`), or 'any'; default [0]. */
  okExitCodes?: readonly number[] | 'any' | undefined;
  /** Kill the process after this many milliseconds; default DEFAULT_TIMEOUT_MS. */
  timeoutMs?: number | undefined;
  /** Largest stdout accepted, in bytes; default 1 GiB. */
  maxBuffer?: number | undefined;
  logger?: Logger | undefined;
}

export interface ProcessResult<T extends string | Buffer> {
  stdout: T;
  stderr: string;
  exitCode: number;
}

/** A process could not start, timed out, or exited with a code the caller did not expect. */
export class ProcessError extends Error {
  override readonly name: string = 'ProcessError';
  readonly cliExitCode = ENVIRONMENT_EXIT;
  constructor(
    readonly program: string,
    readonly args: readonly string[],
    /** The exit code; null when the process did not run to an exit (not found, killed, timed out). */
    readonly exitCode: number | null,
    readonly stderr: string,
    readonly cwd: string | undefined,
    readonly reason: 'exit' | 'not-found' | 'timeout' | 'killed' | 'failed',
    cause?: unknown,
  ) {
    super(ProcessError.describe(program, args, exitCode, stderr, reason), cause === undefined ? undefined : { cause });
  }

  get timedOut(): boolean {
    return this.reason === 'timeout';
  }

  private static describe(
    program: string,
    args: readonly string[],
    exitCode: number | null,
    stderr: string,
    reason: ProcessError['reason'],
  ): string {
    const what = `${program} ${args.join(' ')}`.trim();
    const said = stderr.trim().split('\n').filter(Boolean).slice(0, 3).join(' / ');
    switch (reason) {
      case 'exit':
        return `${what} failed (exit ${exitCode})${said ? `: ${said}` : ''}`;
      case 'not-found':
        return `${program} was not found: install it and make sure it is on PATH`;
      case 'timeout':
        return `${what} timed out and was stopped`;
      case 'killed':
        return `${what} was killed${said ? `: ${said}` : ''}`;
      case 'failed':
        return `${what} could not run${said ? `: ${said}` : ''}`;
    }
  }
}

type Encoding = 'utf8' | 'buffer';

/** Runs `program` with `args`; resolves with its output, rejects with a ProcessError. */
export function runProcess(
  program: string,
  args: readonly string[],
  options: ProcessOptions & { encoding: 'buffer' },
): Promise<ProcessResult<Buffer>>;
export function runProcess(
  program: string,
  args: readonly string[],
  options?: ProcessOptions & { encoding?: 'utf8' },
): Promise<ProcessResult<string>>;
export function runProcess(
  program: string,
  args: readonly string[],
  options: ProcessOptions & { encoding?: Encoding } = {},
): Promise<ProcessResult<string | Buffer>> {
  const logger = options.logger ?? nullLogger;
  const ok = options.okExitCodes ?? [0];
  const encoding: Encoding = options.encoding ?? 'utf8';
  logger.trace(`${program} ${args.join(' ')}${options.cwd ? ` (in ${options.cwd})` : ''}`);
  return new Promise((resolve, reject) => {
    const child = loadChildProcess().execFile(
      program,
      [...args],
      {
        ...(options.cwd !== undefined ? { cwd: options.cwd } : {}),
        env: options.env ?? process.env,
        encoding,
        maxBuffer: options.maxBuffer ?? 1024 * 1024 * 1024,
        timeout: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
        killSignal: 'SIGKILL',
        windowsHide: true,
      },
      (error, stdout: string | Buffer, stderrRaw: string | Buffer) => {
        const stderr = typeof stderrRaw === 'string' ? stderrRaw : stderrRaw.toString('utf8');
        if (!error) return resolve({ stdout, stderr, exitCode: 0 });
        const code = typeof error.code === 'number' ? error.code : null;
        if (code !== null && (ok === 'any' || ok.includes(code))) return resolve({ stdout, stderr, exitCode: code });
        const reason: ProcessError['reason'] =
          code !== null
            ? 'exit'
            : error.code === 'ENOENT'
              ? 'not-found'
              : error.killed && error.signal === 'SIGKILL'
                ? 'timeout'
                : error.signal
                  ? 'killed'
                  : 'failed';
        reject(
          new ProcessError(
            program,
            args,
            code,
            stderr || (code === null ? error.message : ''),
            options.cwd,
            reason,
            error,
          ),
        );
      },
    );
    // A child that exits before reading its whole input closes the pipe: the write fails with EPIPE (or
    // ECONNRESET). Its exit code is the answer; the failed write must not become an unhandled 'error' event.
    child.stdin?.on('error', error => logger.debug(`${program}: stdin not fully read (${error.message})`));
    child.stdin?.end(options.input ?? '');
  });
}

/** A process kept running to answer requests on its stdin (e.g. `git cat-file --batch`): see startProcess. */
export interface PipedProcess {
  /**
   * Writes to its stdin; a write after the process is gone is dropped (its exit rejects what waits on it). False
   * when dropped.
   */
  write(data: string | Uint8Array): boolean;
  /** Closes its stdin: the process ends when it has answered everything. */
  end(): void;
  /** Stops it at once. */
  kill(): void;
  /** Whether this Node process may exit while it runs (false: it may, as for an idle helper). */
  hold(held: boolean): void;
}

export interface PipedHandlers {
  onData(chunk: Buffer): void;
  /**
   * Once: it exited, could not start, or was killed, as a ProcessError whatever the exit code (0 included: it is
   * `exitCode`), with what it wrote to stderr (the last 4 KB).
   */
  onExit(error: ProcessError): void;
  /** Its stdin failed (it exited or closed stdin before reading all it was given); else only logged. */
  onInputError?(error: Error): void;
}

/**
 * Starts `program` with `args` and pipes to and from it, for a process that answers many requests in one run (one
 * start instead of one per request: each start costs milliseconds). The same rules as runProcess: an argument
 * array, EPIPE-safe stdin, a ProcessError when it ends. The caller owns timeouts (the requests are its own).
 */
export function startProcess(
  program: string,
  args: readonly string[],
  options: Pick<ProcessOptions, 'cwd' | 'env' | 'logger'>,
  handlers: PipedHandlers,
): PipedProcess {
  const logger = options.logger ?? nullLogger;
  logger.trace(`${program} ${args.join(' ')}${options.cwd ? ` (in ${options.cwd})` : ''} (kept running)`);
  const child = loadChildProcess().spawn(program, [...args], {
    ...(options.cwd !== undefined ? { cwd: options.cwd } : {}),
    env: options.env ?? process.env,
    stdio: ['pipe', 'pipe', 'pipe'],
    windowsHide: true,
  });
  let stderr = '';
  let gone = false;
  let killed = false;
  const finish = (code: number | null, reason: ProcessError['reason'], cause?: unknown): void => {
    if (gone) return;
    gone = true;
    handlers.onExit(new ProcessError(program, args, code, stderr, options.cwd, reason, cause));
  };
  child.stdout.on('data', (chunk: Buffer) => handlers.onData(chunk));
  child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString('utf8')).slice(-4096)));
  child.stdin.on('error', error => {
    logger.debug(`${program}: stdin not fully read (${error.message})`);
    handlers.onInputError?.(error);
  });
  child.on('error', (error: NodeJS.ErrnoException) =>
    finish(null, error.code === 'ENOENT' ? 'not-found' : 'failed', error),
  );
  child.on('close', (code, signal) =>
    finish(code, code !== null ? 'exit' : killed ? 'timeout' : signal ? 'killed' : 'failed'),
  );
  const handles = [child, child.stdin, child.stdout, child.stderr];
  return {
    write: data => {
      if (gone || !child.stdin.writable) return false;
      child.stdin.write(data);
      return true;
    },
    end: () => {
      if (child.stdin.writable) child.stdin.end();
    },
    kill: () => {
      killed = true;
      child.kill('SIGKILL');
    },
    hold: held => {
      for (const h of handles as unknown as { ref?: () => void; unref?: () => void }[]) {
        if (held) h.ref?.();
        else h.unref?.();
      }
    },
  };
}

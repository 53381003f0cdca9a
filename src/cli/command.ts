import type { Logger } from '../core/log';
import type { ExitCode } from './exit';

/** What every command gets: where it runs, where it writes, how it logs. */
export interface CommandContext {
  /** The folder the command works from (the process's cwd, or -C DIR). */
  cwd: string;
  stdout: NodeJS.WritableStream;
  stdin: NodeJS.ReadableStream;
  logger: Logger;
}

export interface Command {
  name: string;
  /** One line for the command list. */
  summary: string;
  /** The full `--help` text: usage line first. */
  help: string;
  run(args: string[], context: CommandContext): Promise<ExitCode>;
}

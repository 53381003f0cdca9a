import * as fs from 'node:fs';
import * as path from 'node:path';
import { PRODUCT } from '../core/product';
import type { Command, CommandContext } from './command';
import { commands } from './commands/index';
import { ExitCode, UsageError } from './exit';
import { cliFailure } from '../core/errors';
import { stderrLogger } from './logger';
import { toolVersion } from './version';

export function usage(): string {
  const width = Math.max(...commands.map(c => c.name.length));
  const list = commands.map(c => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n');
  return `Usage: ${PRODUCT.cli} [-C DIR] COMMAND [ARGS...]

Knows which code AI wrote, writes it into commits, and checks that a senior signed it off.

Commands:
${list}

Options:
  -C DIR         run as if started in DIR
  -h, --help     show this help, or a command's help with COMMAND --help
  --version      print the version

Exit codes: 0 success, 1 a check found what it checks for, 2 bad usage or input, 3 git or the environment failed.
`;
}

interface Parsed {
  cwd: string;
  command?: Command | undefined;
  args: string[];
  help: boolean;
  version: boolean;
}

function parseGlobal(argv: string[], cwd: string): Parsed {
  const parsed: Parsed = { cwd, args: [], help: false, version: false };
  let i = 0;
  for (; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '-C') {
      const dir = argv[++i];
      if (dir === undefined || dir === '') throw new UsageError('-C needs a folder: -C DIR');
      parsed.cwd = path.resolve(parsed.cwd, dir);
    } else if (arg === '-h' || arg === '--help') {
      parsed.help = true;
    } else if (arg === '--version' || arg === '-V') {
      parsed.version = true;
    } else if (arg.startsWith('-')) {
      throw new UsageError(`unknown option ${arg}; run '${PRODUCT.cli} --help' for the options`);
    } else {
      break;
    }
  }
  const name = argv[i];
  if (name !== undefined) {
    const command = name === 'help' ? undefined : commands.find(c => c.name === name);
    if (name === 'help') {
      parsed.help = true;
      const topic = argv[i + 1];
      if (topic !== undefined) {
        parsed.command = commands.find(c => c.name === topic);
        if (!parsed.command)
          throw new UsageError(`unknown command '${topic}'; run '${PRODUCT.cli} --help' for the list`);
      }
      return parsed;
    }
    if (!command) throw new UsageError(`unknown command '${name}'; run '${PRODUCT.cli} --help' for the list`);
    parsed.command = command;
    parsed.args = argv.slice(i + 1);
    if (parsed.args.includes('--help') || parsed.args.includes('-h')) parsed.help = true;
  }
  return parsed;
}

/** Runs the CLI and returns its exit code. Never throws: every failure becomes a message and a code. */
export async function main(argv: string[], context: Omit<CommandContext, 'cwd'> & { cwd?: string }): Promise<ExitCode> {
  const err = (message: string): void => {
    process.stderr.write(`${PRODUCT.cli}: ${message}\n`);
  };
  try {
    const parsed = parseGlobal(argv, context.cwd ?? process.cwd());
    if (parsed.version) {
      context.stdout.write(`${toolVersion()}\n`);
      return ExitCode.Ok;
    }
    if (parsed.help) {
      context.stdout.write(parsed.command ? `${parsed.command.help.trimEnd()}\n` : usage());
      return ExitCode.Ok;
    }
    if (!parsed.command) {
      process.stderr.write(usage());
      return ExitCode.Usage;
    }
    if (!fs.existsSync(parsed.cwd) || !fs.statSync(parsed.cwd).isDirectory()) {
      throw new UsageError(`${parsed.cwd} is not a folder; -C takes an existing folder`);
    }
    return await parsed.command.run(parsed.args, { ...context, cwd: parsed.cwd });
  } catch (error) {
    // The one place errors become exit codes: each error that a person can act on declares its code (core/errors.ts).
    const failure = cliFailure(error);
    if (failure) {
      err(
        `${failure.headline ? `${failure.headline}: ` : ''}${failure.message}${failure.hint ? `\n${failure.hint}` : ''}`,
      );
      return failure.cliExitCode;
    }
    err(`internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    err('this is a bug in ai-provenance; please report it with the command you ran');
    return ExitCode.Environment;
  }
}

/** What running this file as a program does (also what the launcher's cached loader calls, cached-loader.ts). */
export function runAsMain(): void {
  void main(process.argv.slice(2), { stdout: process.stdout, stdin: process.stdin, logger: stderrLogger() }).then(
    code => {
      process.exitCode = code;
    },
  );
}

if (require.main === module) runAsMain();

import type { CommandContext } from './command';
import { UsageError } from './exit';
import { revision } from './parse-args';
import { defaultBase } from '../io/review/branch-review';

/** The `--base REV` of a command, else the branch's default base; a UsageError saying what to give when none is found. */
export async function baseOption(value: string | undefined, context: CommandContext): Promise<string> {
  const base = revision(value, '--base') ?? (await defaultBase(context.cwd, context.logger));
  if (!base)
    throw new UsageError(
      'no base branch found (no origin/HEAD, origin/main, origin/master, main or master): give one with --base REV',
    );
  return base;
}

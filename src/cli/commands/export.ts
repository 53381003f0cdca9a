import { firstRecord } from '../../core/formats/git-note';
import { PRODUCT } from '../../core/product';
import { commitsOf } from '../../io/git/queries';
import { readNotes } from '../../io/git/notes';
import { locateRepository } from '../../io/git/repository';
import type { Command, CommandContext } from '../command';
import { ExitCode, UsageError } from '../exit';

const help = `Usage: ${PRODUCT.cli} export --format agent-trace [RANGE]

Prints the line-level records of the commits in RANGE (default: HEAD and its history) as one JSON array of
Agent Trace 0.1.0 records, newest commit first. Commits without a record are left out.
`;

export const exportCommand: Command = {
  name: 'export',
  summary: 'print the line-level records of commits as Agent Trace JSON',
  help,
  async run(args: string[], context: CommandContext): Promise<ExitCode> {
    let format: string | undefined;
    const rest: string[] = [];
    for (let i = 0; i < args.length; i++) {
      const a = args[i]!;
      if (a === '--format') format = args[++i];
      else if (a.startsWith('--format=')) format = a.slice('--format='.length);
      else if (a.startsWith('-'))
        throw new UsageError(`unknown option ${a}; usage: ${PRODUCT.cli} export --format agent-trace [RANGE]`);
      else rest.push(a);
    }
    if (format !== 'agent-trace')
      throw new UsageError(`export needs --format agent-trace${format ? ` (${format} is not a format it knows)` : ''}`);
    if (rest.length > 1) throw new UsageError('export takes at most one RANGE');
    const location = await locateRepository(context.cwd);
    const range = rest[0] ?? 'HEAD';
    const commits = await commitsOf(location.root, range, context.logger);
    const notes = await readNotes(location.root, commits);
    const records: unknown[] = [];
    for (const commit of commits) {
      const note = notes.get(commit);
      if (!note) continue;
      try {
        records.push(JSON.parse(firstRecord(note)));
      } catch (error) {
        context.logger.warn(`skipping the unreadable note on ${commit.slice(0, 12)}: ${(error as Error).message}`);
      }
    }
    context.stdout.write(JSON.stringify(records, null, 2) + '\n');
    return ExitCode.Ok;
  },
};

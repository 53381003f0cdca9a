import { PRODUCT } from '../../core/product';
import { fetchNotes, pushNotes } from '../../io/git/notes';
import { locateRepository } from '../../io/git/repository';
import type { Command, CommandContext } from '../command';
import { ExitCode, UsageError } from '../exit';

const help = `Usage: ${PRODUCT.cli} notes push|fetch [REMOTE]

Line-level records live on ${PRODUCT.notesRef}, which git does not push or fetch by default.
  push    sends them to REMOTE (default origin)
  fetch   fetches REMOTE's records and merges them into yours (yours win where both have one)
`;

export const notesCommand: Command = {
  name: 'notes',
  summary: `push or fetch ${PRODUCT.notesRef}`,
  help,
  async run(args: string[], context: CommandContext): Promise<ExitCode> {
    const [action, remote = 'origin', ...extra] = args;
    if ((action !== 'push' && action !== 'fetch') || extra.length || remote.startsWith('-')) {
      throw new UsageError(`usage: ${PRODUCT.cli} notes push|fetch [REMOTE]`);
    }
    const location = await locateRepository(context.cwd);
    const result = action === 'push' ? await pushNotes(location.root, remote) : await fetchNotes(location.root, remote);
    if (result.output) context.stdout.write(result.output + '\n');
    return ExitCode.Ok;
  },
};

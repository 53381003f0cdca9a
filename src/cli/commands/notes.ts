import { PRODUCT } from '../../core/product';
import { fetchNotes, pushNotes } from '../../io/git/notes';
import { locateRepository } from '../../io/git/repository';
import { EVIDENCE_REF_PREFIX, fetchEvidence, pushEvidence } from '../../io/review/evidence';
import type { Command, CommandContext } from '../command';
import { ExitCode, UsageError } from '../exit';

const help = `Usage: ${PRODUCT.cli} notes push|fetch [REMOTE]

Line-level records live on ${PRODUCT.notesRef}, and the kept evidence of sign-offs under
${EVIDENCE_REF_PREFIX}: git does not push or fetch either by default.
  push    sends them to REMOTE (default origin): the notes, and ${EVIDENCE_REF_PREFIX}signoffs/*, which keep
          each sign-off (and the commits it reviewed) after a squash or rebase merge and after the branch is deleted
  fetch   fetches REMOTE's records and merges them into yours (yours win where both have one), its kept
          sign-offs, and the pull/merge request heads the forge keeps (refs/pull/*/head on GitHub,
          refs/merge-requests/*/head on GitLab) into ${EVIDENCE_REF_PREFIX}forge/REMOTE/: what '${PRODUCT.cli} audit' reads
`;

export const notesCommand: Command = {
  name: 'notes',
  summary: `push or fetch ${PRODUCT.notesRef} and the kept sign-offs`,
  help,
  async run(args: string[], context: CommandContext): Promise<ExitCode> {
    const [action, remote = 'origin', ...extra] = args;
    if ((action !== 'push' && action !== 'fetch') || extra.length || remote.startsWith('-')) {
      throw new UsageError(`usage: ${PRODUCT.cli} notes push|fetch [REMOTE]`);
    }
    const location = await locateRepository(context.cwd);
    const evidence =
      action === 'push'
        ? await pushEvidence(location.root, remote, context.logger)
        : await fetchEvidence(location.root, remote, context.logger);
    if (evidence) context.stdout.write(evidence + '\n');
    const result = action === 'push' ? await pushNotes(location.root, remote) : await fetchNotes(location.root, remote);
    if (result.output) context.stdout.write(result.output + '\n');
    return ExitCode.Ok;
  },
};

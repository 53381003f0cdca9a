import * as fs from 'node:fs';
import * as path from 'node:path';
import { PRODUCT } from '../../core/product';
import { requestReview } from '../../io/review/request-review';
import { defaultBase } from '../../io/review/branch-review';
import type { Command, CommandContext } from '../command';
import { ExitCode, UsageError } from '../exit';
import { parseOptions, revision, single } from '../parse-args';

const help = `Usage: ${PRODUCT.cli} request-review [--to EMAIL...] [--base REV] [--out FILE]

Asks seniors to sign off the AI-assisted commits of the current branch that wait for sign-off: records who was
asked and when (in the repository's local state, $(git rev-parse --git-path ai-provenance)/review-requests.json;
those commits then show as "requested") and prints a review packet in markdown: the commits, their files, AI
lines, tools and models, and how to sign off. Nothing is sent anywhere: share the packet yourself.

Options:
  --to EMAIL...    the seniors to ask; each must be listed in .ai-provenance/allowed_signers at the base.
                   Without --to: the owners of the waiting commits' files, from .ai-provenance/reviewers at
                   the base, else its CODEOWNERS (owners that are seniors of the roster); exit 2 when none
  --base REV       the branch's base (default: origin/HEAD, origin/main, origin/master, main or master)
  --out FILE       write the packet to FILE instead of standard output

Exit codes: 0 requested (or nothing waits); 2 bad usage, or an address not in the roster; 3 git or the local
state failed.
`;

export const requestReviewCommand: Command = {
  name: 'request-review',
  summary: 'record a request for senior sign-off and print the review packet (markdown)',
  help,
  async run(args: string[], context: CommandContext): Promise<ExitCode> {
    const parsed = parseOptions('request-review', args, {
      values: { to: { repeat: true }, base: {}, out: { short: 'o' } },
    });
    const to = (parsed.values.get('to') ?? [])
      .flatMap(v => v.split(','))
      .map(v => v.trim())
      .filter(Boolean);
    for (const email of to)
      if (!/^[^<>\s@]+@[^<>\s@]+$/.test(email))
        throw new UsageError(`--to takes e-mail addresses; "${email}" is not one`);
    const out = single(parsed, 'out');
    const base = revision(single(parsed, 'base'), '--base') ?? (await defaultBase(context.cwd, context.logger));
    if (!base)
      throw new UsageError(
        'no base branch found (no origin/HEAD, origin/main, origin/master, main or master): give one with --base REV',
      );
    const result = await requestReview({ cwd: context.cwd, base, to, logger: context.logger });
    const { review, waiting, packet } = result;
    if (!packet) {
      context.stdout.write(
        review.report.needingSignoff === 0
          ? 'Nothing to request: no AI-assisted commit on this branch needs sign-off.\n'
          : 'Nothing to request: every AI-assisted commit is signed off.\n',
      );
      return ExitCode.Ok;
    }
    if (out) {
      const file = path.resolve(context.cwd, out);
      try {
        fs.writeFileSync(file, packet);
      } catch (error) {
        throw new UsageError(
          `cannot write the packet to ${file}: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
      context.stdout.write(
        `Review requested from ${result.to.join(', ')} for ${waiting.length} ${waiting.length === 1 ? 'commit' : 'commits'}; packet written to ${file}\n`,
      );
    } else {
      context.stdout.write(packet);
    }
    return ExitCode.Ok;
  },
};

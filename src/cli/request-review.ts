import * as fs from 'node:fs';
import * as path from 'node:path';
import { PRODUCT } from '../core/product';
import type { CommitReview, ReviewRequest } from '../core/review';
import { renderReviewPacket } from '../core/review-packet';
import { runGit } from '../git/git';
import { locateRepository } from '../git/repository';
import { readReviewRequests, recordReviewRequest } from '../git/review-requests';
import { defaultBase, reviewBranch, ROSTER_PATH } from '../git/signoff';
import type { Command, CommandContext } from './command';
import { ExitCode, UsageError } from './exit';
import { parseOptions, revision, single } from './parse-args';
import { translateErrors } from './review-text';

const help = `Usage: ${PRODUCT.cli} request-review --to EMAIL... [--base REV] [--out FILE]

Asks seniors to sign off the AI-assisted commits of the current branch that wait for sign-off: records who was
asked and when (in the repository's local state, $(git rev-parse --git-path ai-provenance)/review-requests.json;
those commits then show as "requested") and prints a review packet in markdown: the commits, their files, AI
lines, tools and models, and how to sign off. Nothing is sent anywhere: share the packet yourself.

Options:
  --to EMAIL...    the seniors to ask; each must be listed in .ai-provenance/allowed_signers at the base
  --base REV       the branch's base (default: origin/HEAD, origin/main, origin/master, main or master)
  --out FILE       write the packet to FILE instead of standard output

Exit codes: 0 requested (or nothing waits); 2 bad usage, or an address not in the roster; 3 git or the local
state failed.
`;

async function configValue(cwd: string, key: string, context: CommandContext): Promise<string | undefined> {
  const r = await runGit(['config', '--get', key], { cwd, logger: context.logger, okExitCodes: [0, 1] });
  return r.exitCode === 0 ? r.stdout.trim() || undefined : undefined;
}

export const requestReviewCommand: Command = {
  name: 'request-review',
  summary: 'record a request for senior sign-off and print the review packet (markdown)',
  help,
  async run(args: string[], context: CommandContext): Promise<ExitCode> {
    const parsed = parseOptions('request-review', args, { values: { to: { repeat: true }, base: {}, out: { short: 'o' } } });
    const to = (parsed.values.get('to') ?? []).flatMap(v => v.split(',')).map(v => v.trim()).filter(Boolean);
    if (to.length === 0) throw new UsageError(`request-review needs --to EMAIL (one or more seniors from ${ROSTER_PATH})`);
    for (const email of to) if (!/^[^<>\s@]+@[^<>\s@]+$/.test(email)) throw new UsageError(`--to takes e-mail addresses; "${email}" is not one`);
    const out = single(parsed, 'out');
    return translateErrors(async () => {
      const location = await locateRepository(context.cwd, { logger: context.logger });
      const base = revision(single(parsed, 'base'), '--base') ?? (await defaultBase(context.cwd, context.logger));
      if (!base) throw new UsageError('no base branch found (no origin/HEAD, origin/main, origin/master, main or master): give one with --base REV');
      const requests = await readReviewRequests(location, context.logger);
      const review = await reviewBranch({ cwd: context.cwd, base, logger: context.logger, requests, withPaths: true });
      if (!review.roster || review.roster.isEmpty) {
        throw new UsageError(`${base} has no ${ROSTER_PATH} (or it lists nobody): there is no senior to ask; add the seniors' SSH keys there first`);
      }
      const unknown = to.filter(email => !review.roster!.allowsEmail(email));
      if (unknown.length > 0) {
        const known = review.roster.plainPrincipals();
        throw new UsageError(
          `not in ${ROSTER_PATH} at ${base}: ${unknown.join(', ')}; the seniors listed there are: ${known.length > 0 ? known.join(', ') : '(patterns only)'}`,
        );
      }
      const waiting = review.report.commits.filter(c => c.needsSignoff && c.state !== 'signed-off');
      if (waiting.length === 0) {
        context.stdout.write(
          review.report.needingSignoff === 0 ? 'Nothing to request: no AI-assisted commit on this branch needs sign-off.\n' : 'Nothing to request: every AI-assisted commit is signed off.\n',
        );
        return ExitCode.Ok;
      }
      const by = await configValue(review.root, 'user.email', context);
      const request: ReviewRequest = {
        at: new Date().toISOString(),
        ...(by ? { by } : {}),
        to,
        base,
        head: review.head.id,
        commits: waiting.map(c => ({ id: c.commit.id, ...(c.commit.patchId ? { patchId: c.commit.patchId } : {}) })),
      };
      await recordReviewRequest(location, context.logger, request);
      const branch = (await runGit(['symbolic-ref', '-q', '--short', 'HEAD'], { cwd: review.root, logger: context.logger, okExitCodes: [0, 1] })).stdout.trim();
      const shown: CommitReview[] = waiting.map(c => (c.state === 'pending' ? { ...c, state: 'requested', request } : c));
      const packet = renderReviewPacket({
        commits: shown,
        base: review.base,
        head: review.head,
        request,
        ...(branch ? { branch } : {}),
        signoffCommand: `${PRODUCT.cli} sign-off --base ${base}`,
      });
      if (out) {
        const file = path.resolve(context.cwd, out);
        try {
          fs.writeFileSync(file, packet);
        } catch (error) {
          throw new UsageError(`cannot write the packet to ${file}: ${error instanceof Error ? error.message : String(error)}`);
        }
        context.stdout.write(`Review requested from ${to.join(', ')} for ${waiting.length} ${waiting.length === 1 ? 'commit' : 'commits'}; packet written to ${file}\n`);
      } else {
        context.stdout.write(packet);
      }
      return ExitCode.Ok;
    });
  },
};

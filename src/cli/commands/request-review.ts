import * as fs from 'node:fs';
import * as path from 'node:path';
import { PRODUCT } from '../../core/product';
import { requestReview } from '../../io/review/request-review';
import { defaultBase } from '../../io/review/branch-review';
import { REQUEST_REF_PREFIX, readGitRequests } from '../../io/review/requests';
import { myAddresses, requestsOfMe } from '../../io/review/inbox';
import { locateRepository } from '../../io/git/repository';
import { printable } from '../../core/review/packet';

const REVIEW_REQUESTS_HERE = '$(git rev-parse --git-path ai-provenance)/review-requests.json';
import type { Command, CommandContext } from '../command';
import { baseOption } from '../base-option';
import { EnvironmentError, ExitCode, UsageError } from '../exit';
import { parseOptions, revision, single } from '../parse-args';

const help = `Usage: ${PRODUCT.cli} request-review [--to EMAIL...] [--base REV] [--push [--remote NAME]] [--message TEXT] [--out FILE]
       ${PRODUCT.cli} request-review --list [--all] [--base REV]

Asks seniors to sign off the AI-assisted commits of the current branch that wait for sign-off. Records who was
asked and when: here, in ${REVIEW_REQUESTS_HERE}
(those commits then show as "requested"), and in git, as a request commit at ${REQUEST_REF_PREFIX}<id>
whose parent is the branch's head. Prints a review packet in markdown: the commits, their files, AI lines, tools
and models, and how to sign off.

Nothing leaves this machine unless you say so: --push sends the request, and with it the branch's commits, to the
remote (default origin), where the senior's '${PRODUCT.cli} notes fetch' (or the editor's Fetch Review Requests)
finds it, whatever the forge. '${PRODUCT.cli} notes push' sends every request made here.

Options:
  --to EMAIL...    the seniors to ask; each must be listed in .ai-provenance/allowed_signers at the base.
                   Without --to: the owners of the waiting commits' files, from .ai-provenance/reviewers at
                   the base, else its CODEOWNERS (owners that are seniors of the roster); exit 2 when none
  --base REV       the branch's base (default: origin/HEAD, origin/main, origin/master, main or master)
  --push           send the request to the remote
  --remote NAME    the remote --push sends to (default origin)
  --message TEXT   a note for the seniors, kept in the request
  --out FILE       write the packet to FILE instead of standard output
  --list           list the requests carried in git that ask you (git config user.email), newest first, one per
                   branch and requester, with where the branch stands against the base; --all lists every request

Exit codes: 0 requested (or nothing waits, or listed); 2 bad usage, or an address not in the roster; 3 git or the
local state failed, or the push failed (the request is recorded all the same).
`;

export const requestReviewCommand: Command = {
  name: 'request-review',
  summary: 'record a request for senior sign-off and print the review packet (markdown)',
  help,
  async run(args: string[], context: CommandContext): Promise<ExitCode> {
    const parsed = parseOptions('request-review', args, {
      values: { to: { repeat: true }, base: {}, out: { short: 'o' }, remote: {}, message: { short: 'm' } },
      flags: { push: {}, list: {}, all: {} },
    });
    if (parsed.flags.has('list')) return listRequests(context, parsed.flags.has('all'), single(parsed, 'base'));
    const to = (parsed.values.get('to') ?? [])
      .flatMap(v => v.split(','))
      .map(v => v.trim())
      .filter(Boolean);
    for (const email of to)
      if (!/^[^<>\s@]+@[^<>\s@]+$/.test(email))
        throw new UsageError(`--to takes e-mail addresses; "${email}" is not one`);
    const out = single(parsed, 'out');
    const base = await baseOption(single(parsed, 'base'), context);
    const remote = single(parsed, 'remote');
    if (remote !== undefined && !parsed.flags.has('push')) throw new UsageError('--remote goes with --push');
    if (remote !== undefined && (remote.startsWith('-') || remote === ''))
      throw new UsageError(`--remote takes a remote's name; "${remote}" is not one`);
    const note = single(parsed, 'message');
    const result = await requestReview({
      cwd: context.cwd,
      base,
      to,
      logger: context.logger,
      ...(parsed.flags.has('push') ? { push: remote ?? 'origin' } : {}),
      ...(note !== undefined ? { note } : {}),
    });
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
    if (result.pushedTo)
      (out ? context.stdout : process.stderr).write(
        `The request was sent to ${result.pushedTo} (${result.ref}); the seniors see it after '${PRODUCT.cli} notes fetch'.\n`,
      );
    else if (result.ref && !result.pushError)
      (out ? context.stdout : process.stderr).write(
        `The request is kept in git at ${result.ref}; send it with --push or '${PRODUCT.cli} notes push'.\n`,
      );
    if (result.pushError)
      throw new EnvironmentError(
        `the request is recorded, but sending it failed (${result.pushError}): fix the remote, then run '${PRODUCT.cli} notes push'`,
      );
    return ExitCode.Ok;
  },
};

/** `--list`: the requests carried in git that ask this clone's user (or every one, with --all). */
async function listRequests(context: CommandContext, all: boolean, baseOption: string | undefined): Promise<ExitCode> {
  const location = await locateRepository(context.cwd, { logger: context.logger });
  if (all) {
    const requests = await readGitRequests(location.root, context.logger);
    if (requests.length === 0) context.stdout.write(`No review request in git here (${REQUEST_REF_PREFIX}).\n`);
    for (const r of requests)
      context.stdout.write(
        `${r.at.slice(0, 16).replace('T', ' ')}  ${printable(r.branch ?? r.head?.slice(0, 12) ?? '?')}  from ${printable(r.by ?? '?')}  to ${r.to.map(printable).join(', ')}  ${r.commits.length} ${r.commits.length === 1 ? 'commit' : 'commits'}\n`,
      );
    return ExitCode.Ok;
  }
  const me = await myAddresses(location.root, context.logger);
  if (me.length === 0)
    throw new UsageError(
      'git has no user.email, so there is no "you" to list requests for: git config user.email you@example.com',
    );
  const base = revision(baseOption, '--base') ?? (await defaultBase(context.cwd, context.logger));
  if (!base) throw new UsageError('no base branch found: give one with --base REV');
  const entries = await requestsOfMe({ location, me, base, logger: context.logger });
  if (entries.length === 0) {
    context.stdout.write(
      `No review request asks ${me.map(printable).join(', ')}. Run '${PRODUCT.cli} notes fetch' to get the ones sent to the remote.\n`,
    );
    return ExitCode.Ok;
  }
  for (const e of entries) {
    const r = e.request;
    const where = e.tipRef ? e.tipRef.replace(/^refs\/(heads|remotes)\//, '') : `${e.tip.slice(0, 12)} (${r.ref})`;
    context.stdout.write(
      `${e.state.padEnd(17)}  ${printable(r.branch ?? '(no branch)')}  from ${printable(r.by ?? '?')}  ${r.at.slice(0, 16).replace('T', ' ')}  ${e.waiting} waiting  at ${printable(where)}\n`,
    );
  }
  return ExitCode.Ok;
}

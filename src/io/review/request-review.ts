import type { Logger } from '../../core/log';
import { PRODUCT } from '../../core/product';
import { isDone, type CommitReview, type ReviewRequest } from '../../core/review/review';
import { renderReviewPacket } from '../../core/review/packet';
import { runGit } from '../git/git';
import { locateRepository } from '../git/repository';
import { recordReviewRequest } from './requests';
import { reviewWithDetails, type BranchReview } from './branch-review';
import { REVIEWERS_PATH, ROSTER_PATH } from './base-policy';
import { waitingOwners } from './routing';
import { USAGE_EXIT } from '../../core/errors';

/** A review request that cannot be made as asked; `reason` says which rule, the message what to do. */
export class ReviewRequestError extends Error {
  readonly cliExitCode = USAGE_EXIT;
  override readonly name = 'ReviewRequestError';
  constructor(
    readonly reason: 'no-roster' | 'not-in-roster' | 'no-owners',
    message: string,
  ) {
    super(message);
  }
}

export interface ReviewRequestResult {
  review: BranchReview;
  /** The commits that waited for sign-off (empty: nothing to request, and nothing was recorded). */
  waiting: CommitReview[];
  request?: ReviewRequest;
  /** The markdown review packet, when something was requested. */
  packet?: string;
  /** The seniors asked: `to` as given, else the owners of the waiting commits' files. */
  to: string[];
  /** True when `to` was not given and the owners were asked. */
  toOwners: boolean;
}

/**
 * Asks seniors to sign off the branch's waiting AI-assisted commits: checks they are in the base's roster,
 * records the request in local state (those commits show as `requested`) and renders the review packet.
 * Shared by `ai-provenance request-review` and the editor's Request Senior Review.
 */
export async function requestReview(options: {
  cwd: string;
  base: string;
  /** The seniors to ask; empty or absent: the owners of the waiting commits' files (docs/review.md). */
  to?: readonly string[];
  logger: Logger;
}): Promise<ReviewRequestResult> {
  const { cwd, base, logger } = options;
  const given = options.to ?? [];
  const location = await locateRepository(cwd, { logger });
  const review = await reviewWithDetails({ location, base, logger });
  if (!review.roster || review.roster.isEmpty) {
    throw new ReviewRequestError(
      'no-roster',
      `${base} has no ${ROSTER_PATH} (or it lists nobody): there is no senior to ask; add the seniors' SSH keys there first`,
    );
  }
  const unknown = given.filter(email => !review.roster!.allowsEmail(email));
  if (unknown.length > 0) {
    const known = review.roster.plainPrincipals();
    throw new ReviewRequestError(
      'not-in-roster',
      `not in ${ROSTER_PATH} at ${base}: ${unknown.join(', ')}; the seniors listed there are: ${known.length > 0 ? known.join(', ') : '(patterns only)'}`,
    );
  }
  const waiting = review.report.commits.filter(c => c.needsSignoff && !isDone(c.state));
  const toOwners = given.length === 0;
  if (waiting.length === 0) return { review, waiting, to: [...given], toOwners };
  const to = toOwners ? waitingOwners(review) : [...given];
  if (to.length === 0) {
    throw new ReviewRequestError(
      'no-owners',
      `request-review needs --to EMAIL (one or more seniors from ${ROSTER_PATH}): ${
        review.ownership
          ? `no file of the waiting commits has an owner in ${review.ownership.file} at ${base}`
          : `${base} has no ${REVIEWERS_PATH} or CODEOWNERS to find owners in`
      }`,
    );
  }
  const byConfig = await runGit(['config', '--get', 'user.email'], { cwd: review.root, logger, okExitCodes: [0, 1] });
  const by = byConfig.stdout.trim();
  const request: ReviewRequest = {
    at: new Date().toISOString(),
    ...(by ? { by } : {}),
    to: [...to],
    base,
    head: review.head.id,
    commits: waiting.map(c => ({ id: c.commit.id, ...(c.commit.patchId ? { patchId: c.commit.patchId } : {}) })),
  };
  await recordReviewRequest(location, logger, request);
  const branch = (
    await runGit(['symbolic-ref', '-q', '--short', 'HEAD'], { cwd: review.root, logger, okExitCodes: [0, 1] })
  ).stdout.trim();
  const shown: CommitReview[] = waiting.map(c => (c.state === 'pending' ? { ...c, state: 'requested', request } : c));
  const packet = renderReviewPacket({
    commits: shown,
    base: review.base,
    head: review.head,
    request,
    ...(branch ? { branch } : {}),
    signoffCommand: `${PRODUCT.cli} sign-off --base ${base}`,
  });
  return { review, waiting, request, packet, to, toOwners };
}

import type { Logger } from '../../core/log';
import { PRODUCT } from '../../core/product';
import type { CommitReview, ReviewRequest } from '../../core/review/review';
import { renderReviewPacket } from '../../core/review/packet';
import { runGit } from '../git/git';
import { locateRepository } from '../git/repository';
import { recordReviewRequest } from './requests';
import { reviewWithDetails, type BranchReview } from './branch-review';
import { ROSTER_PATH } from './base-policy';
import { USAGE_EXIT } from '../../core/errors';

/** A review request that cannot be made as asked; `reason` says which rule, the message what to do. */
export class ReviewRequestError extends Error {
  readonly cliExitCode = USAGE_EXIT;
  override readonly name = 'ReviewRequestError';
  constructor(
    readonly reason: 'no-roster' | 'not-in-roster',
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
}

/**
 * Asks seniors to sign off the branch's waiting AI-assisted commits: checks they are in the base's roster,
 * records the request in local state (those commits show as `requested`) and renders the review packet.
 * Shared by `ai-provenance request-review` and the editor's Request Senior Review.
 */
export async function requestReview(options: {
  cwd: string;
  base: string;
  to: readonly string[];
  logger: Logger;
}): Promise<ReviewRequestResult> {
  const { cwd, base, to, logger } = options;
  const location = await locateRepository(cwd, { logger });
  const review = await reviewWithDetails({ location, base, logger });
  if (!review.roster || review.roster.isEmpty) {
    throw new ReviewRequestError(
      'no-roster',
      `${base} has no ${ROSTER_PATH} (or it lists nobody): there is no senior to ask; add the seniors' SSH keys there first`,
    );
  }
  const unknown = to.filter(email => !review.roster!.allowsEmail(email));
  if (unknown.length > 0) {
    const known = review.roster.plainPrincipals();
    throw new ReviewRequestError(
      'not-in-roster',
      `not in ${ROSTER_PATH} at ${base}: ${unknown.join(', ')}; the seniors listed there are: ${known.length > 0 ? known.join(', ') : '(patterns only)'}`,
    );
  }
  const waiting = review.report.commits.filter(c => c.needsSignoff && c.state !== 'signed-off');
  if (waiting.length === 0) return { review, waiting };
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
  return { review, waiting, request, packet };
}

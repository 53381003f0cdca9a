import type { Logger } from '../../core/log';
import { PRODUCT } from '../../core/product';
import { isDone, type CommitReview, type ReviewRequest } from '../../core/review/review';
import { renderReviewPacket } from '../../core/review/packet';
import { runGit } from '../git/git';
import { locateRepository } from '../git/repository';
import { pushRequest, recordRequestInGit, recordReviewRequest } from './requests';
import { reviewWithDetails, type BranchReview } from './branch-review';
import { REVIEWERS_PATH, ROSTER_PATH } from './base-policy';
import { waitingOwners } from './routing';
import { USAGE_EXIT } from '../../core/errors';

/** A review request that cannot be made as asked; `reason` says which rule, the message what to do. */
export class ReviewRequestError extends Error {
  readonly cliExitCode = USAGE_EXIT;
  override readonly name = 'ReviewRequestError';
  constructor(
    readonly reason: 'no-roster' | 'not-in-roster' | 'no-identity' | 'no-owners',
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
  /** The request as carried in git (refs/ai-provenance/requests/<id>), when git knows who asks (user.email). */
  ref?: string;
  /** Where the request was pushed, when asked to. */
  pushedTo?: string;
  /** Why it could not be pushed (it is recorded all the same). */
  pushError?: string;
  /** The seniors asked: `to` as given, else the owners of the waiting commits' files. */
  to: string[];
  /** True when `to` was not given and the owners were asked. */
  toOwners: boolean;
}

/**
 * Asks seniors to sign off the branch's waiting AI-assisted commits: checks they are in the base's roster,
 * records the request in local state (those commits show as `requested`) and in git (a request commit at
 * refs/ai-provenance/requests/<id>, sent to `push` when given, so that it reaches the senior through the remote),
 * and renders the review packet. Shared by `ai-provenance request-review` and the editor's Request Senior Review.
 */
export async function requestReview(options: {
  cwd: string;
  base: string;
  /** The seniors to ask; empty or absent: the owners of the waiting commits' files (docs/review.md). */
  to?: readonly string[];
  logger: Logger;
  /** A remote to send the request to (with the branch's commits). */
  push?: string;
  note?: string;
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
  const config = async (key: string): Promise<string> =>
    (await runGit(['config', '--get', key], { cwd: review.root, logger, okExitCodes: [0, 1] })).stdout.trim();
  const by = await config('user.email');
  const name = await config('user.name');
  const branch = (
    await runGit(['symbolic-ref', '-q', '--short', 'HEAD'], { cwd: review.root, logger, okExitCodes: [0, 1] })
  ).stdout.trim();
  let request: ReviewRequest = {
    at: new Date().toISOString(),
    ...(by ? { by } : {}),
    to: [...to],
    base,
    head: review.head.id,
    ...(branch ? { branch } : {}),
    commits: waiting.map(c => ({ id: c.commit.id, ...(c.commit.patchId ? { patchId: c.commit.patchId } : {}) })),
  };
  let ref: string | undefined;
  if (by && /^[^<>\s@]+@[^<>\s@]+$/.test(by)) {
    ref = await recordRequestInGit(
      review.root,
      { ...request, head: review.head.id },
      { name, email: by },
      logger,
      options.note,
    );
    request = { ...request, ref };
  } else {
    logger.warn('the review request is not carried in git: git has no user.email to say who asks');
  }
  await recordReviewRequest(location, logger, request);
  let pushedTo: string | undefined;
  let pushError: string | undefined;
  if (options.push !== undefined) {
    if (!ref)
      throw new ReviewRequestError(
        'no-identity',
        'the request is recorded here, but cannot be sent: git has no user.email to say who asks (git config user.email you@example.com), then request again',
      );
    try {
      await pushRequest(review.root, options.push, ref, logger);
      pushedTo = options.push;
    } catch (error) {
      pushError = `${error instanceof Error ? error.message : String(error)}`;
    }
  }
  const shown: CommitReview[] = waiting.map(c => (c.state === 'pending' ? { ...c, state: 'requested', request } : c));
  const packet = renderReviewPacket({
    commits: shown,
    base: review.base,
    head: review.head,
    request,
    ...(branch ? { branch } : {}),
    signoffCommand: `${PRODUCT.cli} sign-off --base ${base}`,
  });
  return {
    review,
    waiting,
    request,
    packet,
    to,
    toOwners,
    ...(ref ? { ref } : {}),
    ...(pushedTo ? { pushedTo } : {}),
    ...(pushError ? { pushError } : {}),
  };
}

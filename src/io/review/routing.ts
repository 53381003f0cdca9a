import type { Logger } from '../../core/log';
import { isDone, normalizeAddress } from '../../core/review/review';
import { rankSeniors, type ProposedSenior } from '../../core/review/routing';
import type { RepositoryLocation } from '../git/repository';
import type { BranchReview } from './branch-review';
import { readReviewRequests } from './requests';

export type { ProposedSenior } from '../../core/review/routing';

/**
 * The owners of the files of the branch's commits that wait for sign-off (their routing, docs/review.md), once
 * each, in the order found; empty when the base has no ownership or none of those files has an owner.
 */
export function waitingOwners(review: BranchReview): string[] {
  const out: string[] = [];
  for (const c of review.report.commits) {
    if (!c.needsSignoff || isDone(c.state) || !c.routing) continue;
    for (const s of c.routing.seniors) if (!out.some(o => normalizeAddress(o) === normalizeAddress(s))) out.push(s);
  }
  return out;
}

/**
 * Seniors to propose for a review of the branch `review` judged (the editor's Request Senior Review): the owners of
 * the waiting commits' files first, then the rest of the roster at the base, each group ordered by how many open
 * review requests (made here or fetched, in the last 30 days, whose commits are not all done in this review) name
 * each of them.
 */
export async function proposeSeniors(options: {
  location: RepositoryLocation;
  review: BranchReview;
  logger: Logger;
  now?: Date;
}): Promise<ProposedSenior[]> {
  const { review } = options;
  const requests = await readReviewRequests(options.location, options.logger);
  const done = new Set<string>();
  for (const c of review.report.commits) {
    if (!c.needsSignoff || !isDone(c.state)) continue;
    done.add(c.commit.id);
    if (c.commit.patchId) done.add(`patch ${c.commit.patchId}`);
  }
  return rankSeniors({
    owners: waitingOwners(review),
    roster: review.roster?.plainPrincipals() ?? [],
    requests,
    done: c => done.has(c.id) || (c.patchId !== undefined && done.has(`patch ${c.patchId}`)),
    now: options.now ?? new Date(),
  });
}

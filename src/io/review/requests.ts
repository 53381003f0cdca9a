import type { Logger } from '../../core/log';
import { parseReviewRequest, type ReviewRequest } from '../../core/review/review';
import type { RepositoryLocation } from '../git/repository';
import { StateStore } from '../store/state-store';
import { STATE_LAYOUT } from '../store/state-file';

/**
 * Review requests, recorded in the per-worktree local state (docs/local-state.md):
 * `$(git rev-parse --git-path ai-provenance)/review-requests.json`, a versioned list written atomically under a
 * lock by the state store, so two windows and the CLI never lose each other's requests. A corrupt file is moved
 * aside with a warning by the store and reads as no requests.
 */

export const REVIEW_REQUESTS_DOCUMENT = STATE_LAYOUT.reviewRequests;

/** Keep the file small: requests older than the newest this many are dropped on write. */
const KEEP = 500;

export async function readReviewRequests(location: RepositoryLocation, logger: Logger): Promise<ReviewRequest[]> {
  return new StateStore(location, logger).readList(REVIEW_REQUESTS_DOCUMENT, parseReviewRequest);
}

/** Appends `request`; returns every request now recorded. */
export async function recordReviewRequest(
  location: RepositoryLocation,
  logger: Logger,
  request: ReviewRequest,
): Promise<ReviewRequest[]> {
  return new StateStore(location, logger).updateList(REVIEW_REQUESTS_DOCUMENT, parseReviewRequest, items =>
    [...items, request].slice(-KEEP),
  );
}

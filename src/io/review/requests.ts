import type { Logger } from '../../core/log';
import { parseReviewRequest, type ReviewRequest } from '../../core/review/review';
import { formatRequestMessage, parseRequestMessage } from '../../core/formats/review-request';
import { isObjectId, type Person, type Trailer } from '../../core/formats/signoff-message';
import { git, runGit } from '../git/git';
import type { RepositoryLocation } from '../git/repository';
import { StateStore } from '../store/state-store';
import { STATE_LAYOUT } from '../store/state-file';
import { EVIDENCE_REF_PREFIX } from './evidence';
import { parseTrailer } from './range';

/**
 * Review requests, in two places:
 * - the per-worktree local state (docs/local-state.md): `$(git rev-parse --git-path ai-provenance)/review-requests.json`,
 *   a versioned list written atomically under a lock by the state store, so two windows and the CLI never lose each
 *   other's requests. A corrupt file is moved aside with a warning by the store and reads as no requests.
 * - since 0.2, in git: a request commit at `refs/ai-provenance/requests/<id>` (docs/formats.md), which reaches the
 *   senior through any remote (`request-review --push`, `notes push`, `notes fetch`).
 */

export const REVIEW_REQUESTS_DOCUMENT = STATE_LAYOUT.reviewRequests;
export const REQUEST_REF_PREFIX = `${EVIDENCE_REF_PREFIX}requests/`;

/** Keep the file small: requests older than the newest this many are dropped on write. */
const KEEP = 500;
/** Requests carried in git read at most: the newest this many. */
const READ_IN_GIT = 1000;

async function readLocalRequests(location: RepositoryLocation, logger: Logger): Promise<ReviewRequest[]> {
  return new StateStore(location, logger).readList(REVIEW_REQUESTS_DOCUMENT, parseReviewRequest);
}

/** Every review request this clone knows: those recorded here, and those carried in git (fetched or made here). */
export async function readReviewRequests(location: RepositoryLocation, logger: Logger): Promise<ReviewRequest[]> {
  const [local, inGit] = await Promise.all([
    readLocalRequests(location, logger),
    readGitRequests(location.root, logger).catch((error: unknown) => {
      logger.warn(`could not read the review requests in git: ${(error as Error).message}`);
      return [];
    }),
  ]);
  const refs = new Set(local.map(r => r.ref).filter(Boolean));
  return [...local, ...inGit.filter(r => !refs.has(r.ref))];
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

/**
 * Writes `request` as a request commit on top of its head (same tree: it changes nothing) and points
 * refs/ai-provenance/requests/<id> at it. Returns the ref. Never signed: a request grants nothing.
 */
export async function recordRequestInGit(
  root: string,
  request: ReviewRequest & { head: string },
  by: Person,
  logger: Logger,
  note?: string,
): Promise<string> {
  const message = formatRequestMessage({
    to: request.to,
    by,
    commits: request.commits,
    ...(request.branch ? { branch: request.branch } : {}),
    ...(request.base ? { base: request.base } : {}),
    ...(note ? { note } : {}),
  });
  const at = `${Math.floor(Date.parse(request.at) / 1000)} +0000`;
  const id = (
    await git(['commit-tree', '--no-gpg-sign', `${request.head}^{tree}`, '-p', request.head, '-F', '-'], {
      cwd: root,
      input: message,
      logger,
      env: {
        GIT_AUTHOR_NAME: by.name || by.email,
        GIT_AUTHOR_EMAIL: by.email,
        GIT_AUTHOR_DATE: at,
        GIT_COMMITTER_NAME: by.name || by.email,
        GIT_COMMITTER_EMAIL: by.email,
        GIT_COMMITTER_DATE: at,
      },
    })
  ).trim();
  if (!isObjectId(id)) throw new Error(`git commit-tree gave no commit id (${id.slice(0, 80)})`);
  const ref = `${REQUEST_REF_PREFIX}${id}`;
  await git(['update-ref', ref, id, ''], { cwd: root, logger });
  return ref;
}

/** Sends one request (and with it the branch's commits, its parent) to `remote`. */
export async function pushRequest(root: string, remote: string, ref: string, logger: Logger): Promise<string> {
  if (!ref.startsWith(REQUEST_REF_PREFIX)) throw new Error(`not a review request ref: ${ref}`);
  const r = await runGit(['push', '--quiet', remote, `${ref}:${ref}`], { cwd: root, logger });
  return (r.stdout + r.stderr).trim();
}

/** The requests carried in git that this clone has, newest first. Malformed ones are skipped. */
export async function readGitRequests(root: string, logger: Logger): Promise<ReviewRequest[]> {
  const out = await git(
    [
      'for-each-ref',
      '--sort=-committerdate',
      `--count=${READ_IN_GIT}`,
      '--format=%(objecttype)%00%(refname)%00%(parent)%00%(committerdate:iso-strict)%00%(contents:subject)%00%(trailers:unfold,only)%00%00',
      REQUEST_REF_PREFIX,
    ],
    { cwd: root, logger },
  );
  const requests: ReviewRequest[] = [];
  for (const record of out.split('\0\0\n')) {
    const [type, ref, parents, at, subject, trailerText] = record.replace(/^\n/, '').split('\0');
    if (type !== 'commit' || !ref || !parents || !at || subject === undefined) continue;
    const parentList = parents.split(' ');
    if (parentList.length !== 1 || !isObjectId(parentList[0]!)) continue;
    const trailers = (trailerText ?? '')
      .split('\n')
      .map(parseTrailer)
      .filter((t): t is Trailer => t !== undefined);
    const parsed = parseRequestMessage(subject, trailers);
    if (!parsed || Number.isNaN(Date.parse(at))) continue;
    requests.push({
      at: new Date(Date.parse(at)).toISOString(),
      by: parsed.by.email,
      to: parsed.to,
      head: parentList[0]!,
      commits: parsed.commits,
      ref,
      ...(parsed.base ? { base: parsed.base } : {}),
      ...(parsed.branch ? { branch: parsed.branch } : {}),
    });
  }
  return requests;
}

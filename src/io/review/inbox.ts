import type { Logger } from '../../core/log';
import { isDone, normalizeAddress, type ReviewRequest } from '../../core/review/review';
import { isObjectId } from '../../core/formats/signoff-message';
import { git, runGit } from '../git/git';
import type { RepositoryLocation } from '../git/repository';
import { reviewBranch } from './branch-review';
import { readGitRequests } from './requests';
import { fetchEvidence } from './evidence';
import { fetchNotes } from '../git/notes';

/**
 * "Requested of me": the review requests carried in git (refs/ai-provenance/requests/, fetched by `notes fetch`)
 * that ask the person this clone's git speaks for (user.email), one per branch and requester, newest first, each with
 * where its branch stands now. What a request says is untrusted: it only picks what to show, never what counts.
 */

export type InboxState =
  /** Some AI-assisted commit of the branch waits for sign-off. */
  | 'open'
  /** A senior requested changes. */
  | 'changes-requested'
  /** Every AI-assisted commit that needs sign-off is signed off. */
  | 'signed-off'
  /** Nothing of the branch is left outside the base (merged), or nothing needs sign-off any more. */
  | 'done';

export interface InboxEntry {
  readonly request: ReviewRequest & { head: string; ref: string };
  /** The newest commit known for the branch that contains the request's head (a local or remote-tracking branch), else the head. */
  readonly tip: string;
  /** The local or remote-tracking branch that holds `tip`, when one does. */
  readonly tipRef?: string;
  readonly state: InboxState;
  /** AI-assisted commits of the branch that wait for sign-off (not signed off). */
  readonly waiting: number;
}

/** Entries shown at most (the newest): each costs a review of its branch. */
const MAX_ENTRIES = 20;

/**
 * The last answer per repository, and what it was computed from: the requests, branches and remote-tracking
 * branches (one git call), the base and who asks. The sidebar refreshes as a person types; refs do not change then.
 */
const answered = new Map<string, { key: string; entries: InboxEntry[] }>();

/** The requests carried in git that ask `me` (any of the addresses), grouped and judged against `base`. */
export async function requestsOfMe(options: {
  location: RepositoryLocation;
  me: readonly string[];
  base: string;
  logger: Logger;
}): Promise<InboxEntry[]> {
  const { location, base, logger } = options;
  const root = location.root;
  const mine = new Set(options.me.map(normalizeAddress).filter(Boolean));
  if (mine.size === 0) return [];
  const refs = await git(
    ['for-each-ref', '--format=%(objectname) %(refname)', 'refs/ai-provenance/', 'refs/heads/', 'refs/remotes/'],
    { cwd: root, logger },
  );
  if (!refs.includes(' refs/ai-provenance/requests/')) return [];
  const key = `${base}\0${[...mine].join(',')}\0${refs}`;
  const last = answered.get(root);
  if (last?.key === key) return last.entries;
  const known = new Map<string, string>();
  for (const line of refs.split('\n')) {
    const [id, ref] = line.split(' ');
    if (id && ref && isObjectId(id)) known.set(ref, id);
  }
  const entries = await judge(location, mine, base, known, logger);
  answered.set(root, { key, entries });
  return entries;
}

async function judge(
  location: RepositoryLocation,
  mine: ReadonlySet<string>,
  base: string,
  refs: ReadonlyMap<string, string>,
  logger: Logger,
): Promise<InboxEntry[]> {
  const root = location.root;
  const asked = (await readGitRequests(root, logger)).filter(
    (r): r is ReviewRequest & { head: string; ref: string } =>
      r.head !== undefined && r.ref !== undefined && r.to.some(t => mine.has(normalizeAddress(t))),
  );
  // The newest request per branch (or head) and requester; readGitRequests gives newest first.
  const seen = new Set<string>();
  const newest = asked.filter(r => {
    const key = `${r.branch ?? r.head}\0${normalizeAddress(r.by ?? '')}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  const entries: InboxEntry[] = [];
  for (const request of newest.slice(0, MAX_ENTRIES)) {
    const { tip, tipRef } = await branchTip(root, request, refs, logger);
    let state: InboxState = 'open';
    let waiting = 0;
    try {
      const review = await reviewBranch({ location, cwd: root, base, head: tip, logger });
      const needing = review.report.commits.filter(c => c.needsSignoff);
      waiting = needing.filter(c => !isDone(c.state)).length;
      state =
        needing.length === 0
          ? 'done'
          : needing.some(c => c.state === 'changes-requested')
            ? 'changes-requested'
            : waiting === 0
              ? 'signed-off'
              : 'open';
    } catch (error) {
      // Shown as open: whoever was asked looks, and sees what is wrong there.
      logger.warn(`review request ${request.ref}: ${(error as Error).message}`);
    }
    entries.push({ request, tip, ...(tipRef ? { tipRef } : {}), state, waiting });
  }
  return entries;
}

/**
 * Where the request's branch is now: of refs/heads/<branch> and refs/remotes/<remote>/<branch> (`refs`: every branch
 * this clone has), those that contain the request's head (sign-offs and fixes come after it), the most advanced;
 * else the head itself.
 */
async function branchTip(
  root: string,
  request: { head: string; branch?: string },
  refs: ReadonlyMap<string, string>,
  logger: Logger,
): Promise<{ tip: string; tipRef?: string }> {
  const branch = request.branch;
  if (branch && /^[\w./-]+$/.test(branch) && !branch.includes('..') && !branch.startsWith('-')) {
    const isAncestor = async (a: string, b: string): Promise<boolean> =>
      (await runGit(['merge-base', '--is-ancestor', a, b], { cwd: root, logger, okExitCodes: [0, 1, 128] }))
        .exitCode === 0;
    const holding: { id: string; ref: string }[] = [];
    for (const [ref, id] of refs) {
      const named =
        ref === `refs/heads/${branch}` ||
        (ref.startsWith('refs/remotes/') && ref.slice('refs/remotes/'.length).split('/').slice(1).join('/') === branch);
      if (named && (await isAncestor(request.head, id))) holding.push({ id, ref });
    }
    // The most advanced of them: the one every other contains (a local branch behind its remote's gives way).
    for (const candidate of holding) {
      let newest = true;
      for (const other of holding)
        if (other !== candidate && !(await isAncestor(other.id, candidate.id))) {
          newest = false;
          break;
        }
      if (newest) return { tip: candidate.id, tipRef: candidate.ref };
    }
    if (holding[0]) return { tip: holding[0].id, tipRef: holding[0].ref };
  }
  return { tip: request.head };
}

async function remotes(root: string, logger: Logger): Promise<string[]> {
  return (await git(['remote'], { cwd: root, logger })).split('\n').filter(r => /^[\w.-]+$/.test(r));
}

/** The addresses this clone's git speaks for: user.email. */
export async function myAddresses(root: string, logger: Logger): Promise<string[]> {
  const r = await runGit(['config', '--get', 'user.email'], { cwd: root, logger, okExitCodes: [0, 1] });
  const email = r.stdout.trim();
  return email ? [email] : [];
}

export async function hasRemote(root: string, remote: string, logger: Logger): Promise<boolean> {
  return (await remotes(root, logger)).includes(remote);
}

/** The remote's branches, its review requests and its kept sign-offs (what a senior fetches to see what asks them). */
export async function fetchForReview(root: string, remote: string, logger: Logger): Promise<void> {
  await git(['fetch', '--quiet', remote], { cwd: root, logger });
  await fetchEvidence(root, remote, logger);
  // The line-level notes: where the AI lines are, for the review's marks.
  const notes = await fetchNotes(root, remote);
  if (notes.output) logger.info(notes.output);
}

/** Where Check Out for Review puts a branch that only a request supplies: never one of the person's own branches. */
export const REVIEW_BRANCH_PREFIX = 'review/';

/**
 * Checks out the branch a request asks about, where it stands now. A request is untrusted (anyone who can push may
 * write one), so what it names is never allowed to move the person's own branches:
 * - when the tip is a remote-tracking branch of the same name (`refs/remotes/<remote>/<branch>`), the local
 *   `<branch>`: created to track it, or switched to and fast-forwarded (what `git pull --ff-only` would do);
 * - when the tip is the local `<branch>` itself, that branch;
 * - otherwise (only the request supplies the tip) `review/<branch>`, created at the tip or fast-forwarded to it;
 * - without a usable branch name, the tip, detached.
 * Never moves a branch that has commits the tip does not: `diverged`.
 */
export async function checkOutForReview(
  root: string,
  entry: InboxEntry,
  logger: Logger,
): Promise<{ result: 'checked-out' | 'diverged'; branch?: string }> {
  const run = (args: string[], ok: number[] = [0]) => runGit(args, { cwd: root, logger, okExitCodes: ok });
  const named = entry.request.branch;
  const usable =
    named !== undefined &&
    !named.startsWith('-') &&
    named !== '@' &&
    (await run(['check-ref-format', '--branch', named], [0, 1, 128])).exitCode === 0;
  if (!usable) {
    await run(['switch', '--quiet', '--detach', entry.tip]);
    return { result: 'checked-out' };
  }
  const tracking = entry.tipRef?.startsWith('refs/remotes/') && entry.tipRef.endsWith(`/${named}`);
  const own = entry.tipRef === `refs/heads/${named}`;
  const branch = tracking || own ? named : `${REVIEW_BRANCH_PREFIX}${named}`;
  const local = (
    await run(['rev-parse', '--verify', '--quiet', `refs/heads/${branch}^{commit}`], [0, 1])
  ).stdout.trim();
  if (!local) {
    await run(['switch', '--quiet', '-c', branch, entry.tip]);
    if (tracking)
      await run(
        ['branch', '--quiet', '--set-upstream-to', entry.tipRef!.slice('refs/remotes/'.length), branch],
        [0, 128],
      );
    return { result: 'checked-out', branch };
  }
  const behind = (await run(['merge-base', '--is-ancestor', local, entry.tip], [0, 1])).exitCode === 0;
  const ahead = (await run(['merge-base', '--is-ancestor', entry.tip, local], [0, 1])).exitCode === 0;
  if (!behind && !ahead) return { result: 'diverged', branch };
  await run(['switch', '--quiet', branch]);
  if (behind && local !== entry.tip) await run(['merge', '--quiet', '--ff-only', entry.tip]);
  return { result: 'checked-out', branch };
}

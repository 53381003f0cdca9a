import * as vscode from 'vscode';
import type { Logger } from '../../core/log';
import type { CommitReview } from '../../core/review/review';
import { reviewCommentBlock, viewedKey } from '../../core/review/review-files';
import {
  checkOutForReview,
  fetchForReview,
  hasRemote,
  REVIEW_BRANCH_PREFIX,
  type InboxEntry,
} from '../../io/review/inbox';
import { createSignoff, planSignoff, SignoffRefusedError } from '../../io/review/signoff';
import { PolicyFileError } from '../../io/review/base-policy';
import type { OpenedReview, ReviewSession } from '../views/review-session';
import type { SignoffModel } from '../views/signoff-model';
import { readyState } from './signoff';

/** A row of the Needs Sign-off view that names a commit's file (what the view passes to its row commands). */
interface FileRow {
  kind: 'commitFile';
  review: CommitReview;
  path: string;
}
function isFileRow(value: unknown): value is FileRow {
  return typeof value === 'object' && value !== null && (value as FileRow).kind === 'commitFile';
}
function isCommitRow(value: unknown): value is { kind: 'commit'; review: CommitReview } {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'commit';
}

/** Review: the waiting AI-assisted commits (or the one whose row was clicked) in the multi-file diff editor. */
export async function openReview(
  model: SignoffModel,
  session: ReviewSession,
  row?: unknown,
): Promise<OpenedReview | undefined> {
  const state = await readyState(model);
  if (!state) return undefined;
  // A row VS Code kept may be older than the sidebar's data: the commit as the sidebar knows it now.
  const commits = isCommitRow(row)
    ? [state.review.report.commits.find(c => c.commit.id === row.review.commit.id) ?? row.review]
    : state.waiting;
  if (commits.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('No AI-assisted commit on this branch waits for review.'));
    return undefined;
  }
  return session.open(state.location.root, commits);
}

/** Mark as Viewed: a file row (or every file of the given keys); `viewed: false` unmarks. */
export async function markViewed(session: ReviewSession, row?: unknown, viewed = true): Promise<void> {
  if (isFileRow(row)) await session.setViewed([viewedKey(row.review, row.path)], viewed);
}

/**
 * Add Review Comment on a file row (or `{ commit, path, line?, text? }`): asks for the text when not given. The
 * comment goes into the next sign-off or request for changes of that commit.
 */
export async function addReviewComment(session: ReviewSession, target?: unknown, text?: string): Promise<boolean> {
  let commit: string | undefined;
  let file: string | undefined;
  let line: number | undefined;
  if (isFileRow(target)) {
    commit = target.review.commit.id;
    file = target.path;
  } else if (typeof target === 'object' && target !== null) {
    const t = target as { commit?: unknown; path?: unknown; line?: unknown; text?: unknown };
    if (typeof t.commit === 'string' && typeof t.path === 'string') {
      commit = t.commit;
      file = t.path;
      if (typeof t.line === 'number' && Number.isInteger(t.line) && t.line > 0) line = t.line;
      if (typeof t.text === 'string') text = t.text;
    }
  }
  if (!commit || !file) {
    void vscode.window.showWarningMessage(
      vscode.l10n.t('Pick a file of a commit in Needs Sign-off to comment on (or comment on a line in the review).'),
    );
    return false;
  }
  const typed =
    text ??
    (await vscode.window.showInputBox({
      title: vscode.l10n.t('Comment on {0}', file),
      prompt: vscode.l10n.t('It goes into your sign-off or request for changes.'),
    }));
  if (!typed?.trim()) return false;
  await session.addComment({ commit, path: file, ...(line !== undefined ? { line } : {}), text: typed.trim() });
  return true;
}

/**
 * Request Changes (as a senior): a signed record, like a sign-off, that asks for changes to the waiting commits and
 * carries the senior's comment and the review's comments. `options.comment` and `confirm: false` are for tests.
 */
export async function requestChanges(
  model: SignoffModel,
  session: ReviewSession,
  logger: Logger,
  options: { confirm?: boolean; comment?: string } = {},
): Promise<string | undefined> {
  const state = await readyState(model);
  if (!state) return undefined;
  if (state.waiting.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('No AI-assisted commit on this branch waits for review.'));
    return undefined;
  }
  const general =
    options.comment ??
    (await vscode.window.showInputBox({
      title: vscode.l10n.t('Request changes'),
      prompt: vscode.l10n.t('What should change? Your review comments are added below it.'),
    }));
  if (general === undefined) return undefined;
  const comment = reviewCommentBlock({ general, comments: session.commentsOn(state.waiting), notViewed: [] });
  if (!comment.trim()) {
    void vscode.window.showWarningMessage(
      vscode.l10n.t('Say what to change: type it, or add comments to the review first, then request changes again.'),
    );
    return undefined;
  }
  let plan;
  try {
    plan = await planSignoff({
      cwd: state.location.root,
      base: state.base,
      logger,
      comment,
      verdict: 'changes-requested',
    });
  } catch (error) {
    if (error instanceof SignoffRefusedError || error instanceof PolicyFileError) {
      void vscode.window.showErrorMessage(vscode.l10n.t('Cannot request changes: {0}', error.message));
      return undefined;
    }
    throw error;
  }
  if (!plan.message) {
    void vscode.window.showInformationMessage(
      vscode.l10n.t('Nothing to ask changes of: the commits that wait are your own.'),
    );
    return undefined;
  }
  if (options.confirm !== false) {
    const yes = vscode.l10n.t('Request Changes');
    const answer = await vscode.window.showWarningMessage(
      plan.targets.length === 1
        ? vscode.l10n.t('Request changes to 1 AI-assisted commit, signed with your key?')
        : vscode.l10n.t('Request changes to {0} AI-assisted commits, signed with your key?', plan.targets.length),
      { modal: true, detail: plan.message },
      yes,
    );
    if (answer !== yes) return undefined;
  }
  try {
    const { commit, verified } = await createSignoff(plan, logger);
    await session.clearComments(plan.targets);
    void model.refresh();
    if (verified.status !== 'verified')
      void vscode.window.showWarningMessage(
        vscode.l10n.t(
          'The request for changes {0} was made, but its signature does not verify ({1}): check git config user.signingkey.',
          commit.slice(0, 12),
          verified.status,
        ),
      );
    else
      void vscode.window.showInformationMessage(
        vscode.l10n.t('Changes requested in {0}. Push the branch so its author sees it.', commit.slice(0, 12)),
      );
    return commit;
  } catch (error) {
    logger.error(error as Error);
    void vscode.window.showErrorMessage(
      vscode.l10n.t('Could not record the request for changes: {0}', (error as Error).message),
    );
    return undefined;
  }
}

/** Fetch Review Requests: the remote's review requests and kept sign-offs, and its branches. */
export async function fetchReviewRequests(model: SignoffModel, logger: Logger, remote = 'origin'): Promise<boolean> {
  const state = await readyState(model);
  if (!state) return false;
  const root = state.location.root;
  if (!(await hasRemote(root, remote, logger))) {
    void vscode.window.showWarningMessage(
      vscode.l10n.t('This repository has no remote "{0}": add it (git remote add {0} URL), then fetch again.', remote),
    );
    return false;
  }
  try {
    await fetchForReview(root, remote, logger);
  } catch (error) {
    void vscode.window.showErrorMessage(
      vscode.l10n.t(
        'Could not fetch from {0}: {1}. Check the remote and your credentials, then try again.',
        remote,
        (error as Error).message,
      ),
    );
    return false;
  }
  await model.refresh();
  return true;
}

/** Check Out for Review: the branch a request asks about, where it stands now (checkOutForReview). */
export async function checkOutRequest(
  model: SignoffModel,
  logger: Logger,
  arg?: InboxEntry | { kind: 'request'; entry: InboxEntry },
): Promise<boolean> {
  // A click on the row passes the entry; the row's inline button passes the row itself.
  const given = arg && 'kind' in arg && arg.kind === 'request' ? arg.entry : (arg as InboxEntry | undefined);
  const state = await readyState(model);
  if (!state || !given) return false;
  // The request as the sidebar knows it now: VS Code keeps a row it was not asked to redraw, with the tip the
  // branch had then (a fetch since may have brought the author's new commits).
  const entry = state.inbox.find(e => e.request.ref === given.request.ref) ?? given;
  try {
    const { result, branch } = await checkOutForReview(state.location.root, entry, logger);
    if (result === 'diverged') {
      void vscode.window.showErrorMessage(
        vscode.l10n.t(
          'Your branch {0} and the request have gone different ways: check it out yourself (git switch {0}) and merge or rebase it onto {1}.',
          branch ?? '',
          entry.tip.slice(0, 12),
        ),
      );
      return false;
    }
    if (branch?.startsWith(REVIEW_BRANCH_PREFIX))
      void vscode.window.showInformationMessage(
        vscode.l10n.t(
          'Checked out {0}: the branch as the request sent it (no remote branch has it). Push your sign-off to the author\u2019s branch with: git push <remote> HEAD:{1}',
          branch,
          branch.slice(REVIEW_BRANCH_PREFIX.length),
        ),
      );
  } catch (error) {
    void vscode.window.showErrorMessage(
      vscode.l10n.t(
        'Could not check out {0}: {1}. Commit or stash your changes, then try again.',
        entry.request.branch ?? entry.tip.slice(0, 12),
        (error as Error).message,
      ),
    );
    return false;
  }
  await model.refresh();
  return true;
}

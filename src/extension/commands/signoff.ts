import type { PacketDocuments } from '../views/packet-document';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Logger } from '../../core/log';
import { starterPolicy } from '../../core/review/policy';
import { starterAllowedSigners } from '../../core/review/roster';
import { requestReview, ReviewRequestError } from '../../io/review/request-review';
import { hasRemote } from '../../io/review/inbox';
import { proposeSeniors } from '../../io/review/routing';
import { createSignoff, planSignoff, SignoffRefusedError, withComment } from '../../io/review/signoff';
import { reviewCommentBlock } from '../../core/review/review-files';
import type { ReviewSession } from '../views/review-session';
import { PolicyFileError, POLICY_PATH, ROSTER_PATH } from '../../io/review/base-policy';
import type { GitHubReviewer } from '../platform/github';
import type { GitLabReviewer } from '../platform/gitlab';
import type { SignoffModel } from '../views/signoff-model';

/** The model's state when it is ready, refreshed first; else tells the person what is missing. */
export async function readyState(model: SignoffModel) {
  const state = await model.refresh();
  if (state.kind === 'ready') return state;
  const message =
    state.kind === 'noRepository'
      ? vscode.l10n.t('Open a folder in a git repository first.')
      : state.kind === 'noBase'
        ? vscode.l10n.t('No base branch found (origin/HEAD, origin/main, main, ...): set aiProvenance.baseBranch.')
        : state.kind === 'error'
          ? state.policyFile
            ? policyProblem(state.message, state.policyFile.base)
            : vscode.l10n.t(
                'Cannot read the branch\u2019s review state: {0}. Fix that (Show Log has the details), then try again.',
                state.message,
              )
          : vscode.l10n.t('Still loading; try again in a moment.');
  void vscode.window.showWarningMessage(message);
  return undefined;
}

/** A base policy or roster that does not read, with the way out. */
function policyProblem(message: string, base: string): string {
  return vscode.l10n.t(
    'The sign-off policy does not read: {0}. Fix the file (Open Sign-off Policy File) and merge the fix into {1}, then try again.',
    message,
    base,
  );
}

/**
 * Request Senior Review: pick seniors from the base's roster, record the request, show the review packet, and
 * where the branch has a GitHub pull request, ask GitHub too (reviewers, `ai-assisted` label, the packet as a
 * comment) with VS Code's GitHub sign-in.
 */
export async function requestSeniorReview(
  model: SignoffModel,
  github: GitHubReviewer,
  gitlab: GitLabReviewer,
  packets: PacketDocuments,
  logger: Logger,
  preset?: string[],
): Promise<{ packet: string; to: string[] } | undefined> {
  const state = await readyState(model);
  if (!state) return undefined;
  const roster = state.review.roster;
  if (!roster || roster.isEmpty) {
    void vscode.window.showWarningMessage(
      vscode.l10n.t(
        '{0} has no {1}: there is no senior to ask. Add the seniors\u2019 SSH keys there and merge it into {0} first (Create Starter Policy and Roster writes a starter file).',
        state.base,
        ROSTER_PATH,
      ),
    );
    return undefined;
  }
  if (state.waiting.length === 0) {
    void vscode.window.showInformationMessage(
      vscode.l10n.t('No AI-assisted commit on this branch waits for sign-off.'),
    );
    return undefined;
  }
  // Owners of the waiting commits' files first, then the rest of the roster, each by how many open requests
  // (made here or fetched from the team) already name them: fewest first.
  const seniors = preset ? [] : await proposeSeniors({ location: state.location, review: state.review, logger });
  const to =
    preset ??
    (
      await vscode.window.showQuickPick(
        seniors.map(s => ({
          label: s.email,
          description: [
            s.owner ? vscode.l10n.t('owns these files') : '',
            s.openRequests === 1 ? vscode.l10n.t('1 open request') : vscode.l10n.t('{0} open requests', s.openRequests),
          ]
            .filter(Boolean)
            .join(' · '),
          picked: s.owner && s === seniors[0],
        })),
        {
          canPickMany: true,
          title:
            state.waiting.length === 1
              ? vscode.l10n.t('Ask which seniors to sign off 1 commit?')
              : vscode.l10n.t('Ask which seniors to sign off {0} commits?', state.waiting.length),
        },
      )
    )?.map(p => p.label);
  if (!to || to.length === 0) return undefined;
  let result;
  try {
    // The request goes to origin with the branch's commits, so that it reaches the seniors whatever the forge.
    const remote = (await hasRemote(state.location.root, 'origin', logger)) ? 'origin' : undefined;
    result = await requestReview({
      cwd: state.location.root,
      base: state.base,
      to,
      logger,
      ...(remote ? { push: remote } : {}),
    });
  } catch (error) {
    if (error instanceof ReviewRequestError || error instanceof PolicyFileError) {
      void vscode.window.showErrorMessage(
        error instanceof PolicyFileError ? policyProblem(error.message, error.base) : error.message,
      );
      return undefined;
    }
    throw error;
  }
  void model.refresh();
  if (!result.packet) return undefined;
  await packets.show(`review-packet-${new Date().toISOString().replace(/[:.]/g, '-')}.md`, result.packet);
  const onGitHub = await github.requestOnPullRequest(state.location.root, to, result.packet).catch((error: unknown) => {
    logger.warn(`GitHub review request: ${(error as Error).message}`);
    void vscode.window.showWarningMessage(
      vscode.l10n.t(
        'The request is recorded, but GitHub could not be asked: {0}. Share the review packet with the seniors yourself, or check your GitHub sign-in and the aiProvenance.github.apiUrl setting and request again.',
        (error as Error).message,
      ),
    );
    return undefined;
  });
  const onGitLab = onGitHub
    ? undefined
    : await gitlab.requestOnMergeRequest(state.location.root, to, result.packet).catch((error: unknown) => {
        logger.warn(`GitLab review request: ${(error as Error).message}`);
        void vscode.window.showWarningMessage(
          vscode.l10n.t(
            'The request is recorded, but GitLab could not be asked: {0}. Check the token (Set GitLab Access Token) and the aiProvenance.gitlab.apiUrl setting, then request again.',
            (error as Error).message,
          ),
        );
        return undefined;
      });
  if (result.pushError)
    void vscode.window.showWarningMessage(
      vscode.l10n.t(
        "The request is recorded here, but sending it to origin failed: {0}. Fix the remote or your credentials, then run 'ai-provenance notes push'.",
        result.pushError,
      ),
    );
  const copy = vscode.l10n.t('Copy Packet');
  void vscode.window
    .showInformationMessage(
      onGitHub
        ? vscode.l10n.t('Review requested from {0} on pull request #{1}.', to.join(', '), onGitHub.number)
        : onGitLab
          ? vscode.l10n.t('Review requested from {0} on merge request !{1}.', to.join(', '), onGitLab.iid)
          : result.pushedTo
            ? vscode.l10n.t(
                'Review requested from {0}; the request was sent to {1} with the branch\u2019s commits: they see it after Fetch Review Requests.',
                to.join(', '),
                result.pushedTo,
              )
            : vscode.l10n.t('Review requested from {0}: share the review packet with them.', to.join(', ')),
      copy,
    )
    .then(answer => (answer === copy ? vscode.env.clipboard.writeText(result.packet!) : undefined));
  return { packet: result.packet, to };
}

/**
 * Sign Off (for a senior): shows exactly what will be signed (commits, patch ids, AI lines, the signer), and on
 * a yes makes the SSH-signed sign-off commit with the person's own git signing setup. `confirm` lets tests and
 * scripts skip the dialog.
 */
export async function signOff(
  model: SignoffModel,
  logger: Logger,
  confirm = true,
  review?: { session: ReviewSession; withoutViewingAll?: boolean },
): Promise<string | undefined> {
  const state = await readyState(model);
  if (!state) return undefined;
  let plan;
  try {
    plan = await planSignoff({ cwd: state.location.root, base: state.base, logger });
  } catch (error) {
    if (error instanceof SignoffRefusedError || error instanceof PolicyFileError) {
      void vscode.window.showErrorMessage(
        error instanceof PolicyFileError
          ? policyProblem(error.message, error.base)
          : vscode.l10n.t('Cannot sign off: {0}', error.message),
      );
      return undefined;
    }
    throw error;
  }
  if ((plan.targets.length === 0 && !plan.recordsRange) || !plan.message) {
    const why = [
      plan.ownCommits.length === 1
        ? vscode.l10n.t('1 is your own commit (the policy does not allow signing off your own)')
        : plan.ownCommits.length
          ? vscode.l10n.t(
              '{0} are your own commits (the policy does not allow signing off your own)',
              plan.ownCommits.length,
            )
          : '',
      plan.alreadySigned.length ? vscode.l10n.t('{0} you have signed off already', plan.alreadySigned.length) : '',
      plan.blocked.length === 1
        ? vscode.l10n.t('1 cannot be signed off as it is')
        : plan.blocked.length
          ? vscode.l10n.t('{0} cannot be signed off as they are', plan.blocked.length)
          : '',
    ]
      .filter(Boolean)
      .join('; ');
    void vscode.window.showInformationMessage(
      why
        ? vscode.l10n.t('Nothing for you to sign off: {0}.', why)
        : vscode.l10n.t('Nothing waits for sign-off on this branch.'),
    );
    return undefined;
  }
  // The review: files that need a look and are not marked viewed, and the comments made on these commits.
  const notViewed = review ? review.session.notViewed(plan.targets) : [];
  if (notViewed.length > 0 && confirm && !review?.withoutViewingAll) {
    const open = vscode.l10n.t('Review');
    const anyway = vscode.l10n.t('Sign Without Viewing All');
    const answer = await vscode.window.showWarningMessage(
      notViewed.length === 1
        ? vscode.l10n.t('1 AI-assisted file is not marked viewed.')
        : vscode.l10n.t('{0} AI-assisted files are not marked viewed.', notViewed.length),
      {
        modal: true,
        detail: vscode.l10n.t(
          'Open the review and check each file as viewed, or sign without viewing them all: your sign-off then says which files you did not view.\n\n{0}',
          notViewed.map(f => `${f.path} (${f.review.commit.id.slice(0, 8)})`).join('\n'),
        ),
      },
      open,
      anyway,
    );
    if (answer === open) {
      await review!.session.open(state.location.root, plan.targets);
      return undefined;
    }
    if (answer !== anyway) return undefined;
  }
  if (review) {
    plan = withComment(
      plan,
      reviewCommentBlock({
        comments: review.session.commentsOn(plan.targets),
        notViewed: notViewed.map(f => ({ commit: f.review.commit.id, path: f.path })),
      }),
    );
  }
  const detail = [
    vscode.l10n.t(
      'Signer: {0} <{1}> (key {2})',
      plan.signer.reviewer.name ?? '',
      plan.signer.reviewer.email,
      plan.signer.fingerprint,
    ),
    '',
    ...plan.targets.map(
      t =>
        `${t.commit.id.slice(0, 12)}  ${t.commit.subject}\n    ${t.aiLines === 1 ? vscode.l10n.t('by {0}, 1 AI line, patch {1}', t.commit.author.email, t.commit.patchId?.slice(0, 12) ?? '-') : vscode.l10n.t('by {0}, {1} AI lines, patch {2}', t.commit.author.email, t.aiLines ?? '?', t.commit.patchId?.slice(0, 12) ?? '-')}`,
    ),
    ...(plan.ownCommits.length
      ? ['', vscode.l10n.t('Left out, your own: {0}', plan.ownCommits.map(c => c.commit.id.slice(0, 12)).join(', '))]
      : []),
  ].join('\n');
  if (confirm) {
    const yes = vscode.l10n.t('Sign Off');
    const answer = await vscode.window.showWarningMessage(
      plan.recordsRange
        ? vscode.l10n.t(
            "Nothing waits for sign-off, but commits came after the last sign-off. Record the branch's whole change with your key, so that a squash merge of it counts as signed?",
          )
        : plan.targets.length === 1
          ? vscode.l10n.t('Sign off 1 AI-assisted commit as reviewed by you?')
          : vscode.l10n.t('Sign off {0} AI-assisted commits as reviewed by you?', plan.targets.length),
      { modal: true, detail },
      yes,
    );
    if (answer !== yes) return undefined;
  }
  try {
    const { commit, verified } = await createSignoff(plan, logger);
    if (review) await review.session.clearComments(plan.targets);
    void model.refresh();
    if (verified.status !== 'verified') {
      void vscode.window.showWarningMessage(
        vscode.l10n.t(
          'Sign-off commit {0} was made, but its signature does not verify against {1} at {2} ({3}). Check that git signs with the key listed for you there (user.signingkey), then drop the commit (git reset --soft HEAD~1) and sign off again.',
          commit.slice(0, 12),
          ROSTER_PATH,
          state.base,
          verified.status,
        ),
      );
    } else {
      void vscode.window.showInformationMessage(
        plan.targets.length === 1
          ? vscode.l10n.t(
              "Signed off 1 commit in {0}. Push the branch so CI sees it, and run 'ai-provenance notes push' so the sign-off is kept after a squash or rebase merge.",
              commit.slice(0, 12),
            )
          : vscode.l10n.t(
              "Signed off {0} commits in {1}. Push the branch so CI sees it, and run 'ai-provenance notes push' so the sign-off is kept after a squash or rebase merge.",
              plan.targets.length,
              commit.slice(0, 12),
            ),
      );
    }
    return commit;
  } catch (error) {
    logger.error(error as Error);
    void vscode.window.showErrorMessage(
      vscode.l10n.t(
        'Could not make the sign-off commit: {0}. Fix that (Show Log has the details), then run Sign Off again.',
        (error as Error).message,
      ),
    );
    return undefined;
  }
}

/** Create Starter Policy: writes .ai-provenance/policy.json and allowed_signers where missing, and opens them. */
export async function createStarterPolicy(root: string): Promise<void> {
  const written: string[] = [];
  for (const [rel, text] of [
    [POLICY_PATH, starterPolicy()],
    [ROSTER_PATH, starterAllowedSigners()],
  ] as const) {
    const file = path.join(root, rel);
    if (fs.existsSync(file)) continue;
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
    written.push(file);
  }
  for (const file of [path.join(root, ROSTER_PATH), path.join(root, POLICY_PATH)]) {
    await vscode.window.showTextDocument(vscode.Uri.file(file), { preview: false });
  }
  void vscode.window.showInformationMessage(
    written.length
      ? vscode.l10n.t(
          'Starter policy written. List each senior in allowed_signers as "email ssh-ed25519 AAAA…" (their public signing key), then commit both files to the base branch: sign-offs are checked against the base.',
        )
      : vscode.l10n.t('The policy files exist already; they are open.'),
  );
}

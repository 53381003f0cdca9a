import { BasePolicy, ROSTER_PATH, RevisionRef, resolveCommit } from './base-policy';
import { BranchReview, reviewBranch } from './branch-review';
import { signoffEvidenceRef } from './evidence';
import type { Logger } from '../../core/log';
import { nullLogger } from '../../core/log';
import {
  isDone,
  isSigner,
  signoffTargets,
  type CommitReview,
  type SignatureCheck,
  type Signer,
} from '../../core/review/review';
import {
  formatChangesRequestMessage,
  formatSignoffMessage,
  isObjectId,
  type Person,
  type SignoffRange,
  type Verdict,
} from '../../core/formats/signoff-message';
import { rangeKey, rangePatchIds } from './range';
import { git, runGit } from '../git/git';
import { keyFingerprint, resolveSigningKey } from '../ssh/ssh';
import { USAGE_EXIT } from '../../core/errors';
import { splitNul } from '../git/parse';

/**
 * Making a sign-off: who would sign (the signing key, and its principal in the base's roster), what the sign-off
 * would list, and the signed empty commit itself, checked after it landed.
 */

/** The sign-off cannot be made as asked; the message says why and what to do. */
export class SignoffRefusedError extends Error {
  override readonly name = 'SignoffRefusedError';
  readonly cliExitCode = USAGE_EXIT;
  readonly headline = 'cannot sign off';
  constructor(
    readonly code:
      | 'no-roster'
      | 'not-ssh'
      | 'no-signing-key'
      | 'bad-signing-key'
      | 'key-not-in-roster'
      | 'staged-changes'
      | 'moved'
      | 'no-identity',
    message: string,
  ) {
    super(message);
  }
}

export interface SigningIdentity {
  reviewer: Person;
  keyType: string;
  key: string;
  fingerprint: string;
  /** Every principal the roster lists for this key. */
  principals: string[];
}

function sameEmailOf(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

export interface SignoffPlan {
  /** A sign-off, or a request for changes (a record of the same shape that signs nothing). */
  verdict: Verdict;
  review: BranchReview;
  signer: SigningIdentity;
  /** What the sign-off lists. */
  targets: CommitReview[];
  /** Left out: the signer wrote them and the policy does not allow self sign-off. */
  ownCommits: CommitReview[];
  /** Left out: the signer already signed them off (they wait for other signers). */
  alreadySigned: CommitReview[];
  /** Left out: they cannot be signed off as they are (e.g. NUL bytes in the diff). */
  blocked: CommitReview[];
  /** The commit message the sign-off would have; undefined when there is nothing to sign. */
  message?: string;
  /**
   * Nothing waits, but no sign-off records the branch's whole change as it is now (commits came after the last
   * one): the sign-off lists no commit and records it (`AI-Signoff-Range`), so a squash merge of the branch counts.
   */
  recordsRange?: boolean;
  /** The branch's whole change the sign-off records (AI-Signoff-Range), when known. */
  range?: SignoffRange;
}

/** The plan with `comment` in its message instead of the one it was planned with (the editor adds the review's). */
export function withComment(plan: SignoffPlan, comment: string): SignoffPlan {
  if (!plan.message || !comment.trim()) return plan;
  const entries = plan.targets.map(c => ({ patchId: c.commit.patchId!, commitId: c.commit.id }));
  const message =
    plan.verdict === 'signoff'
      ? formatSignoffMessage({
          reviewer: plan.signer.reviewer,
          entries,
          comment,
          ...(plan.range ? { range: plan.range } : {}),
        })
      : formatChangesRequestMessage({ reviewer: plan.signer.reviewer, entries, comment });
  return { ...plan, message };
}

async function gitConfig(root: string, logger: Logger): Promise<Map<string, string>> {
  const { stdout } = await runGit(
    ['config', '-z', '--get-regexp', '^(gpg\\.format|user\\.signingkey|user\\.name|user\\.email)$'],
    {
      cwd: root,
      logger,
      okExitCodes: [0, 1],
    },
  );
  const values = new Map<string, string>();
  for (const record of splitNul(stdout)) {
    const nl = record.indexOf('\n');
    if (nl > 0) values.set(record.slice(0, nl).toLowerCase(), record.slice(nl + 1));
  }
  return values;
}

/** Who would sign: the key in git's signing setup, and the roster principal it belongs to. Throws SignoffRefusedError. */
export async function signingIdentity(
  root: string,
  review: BasePolicy & { base: RevisionRef },
  logger: Logger = nullLogger,
): Promise<SigningIdentity> {
  const roster = review.roster;
  if (!roster || roster.isEmpty) {
    throw new SignoffRefusedError(
      'no-roster',
      `${review.base.rev} has no ${ROSTER_PATH} (or it lists nobody), so nobody can sign off: add the seniors' SSH public keys there and merge it into ${review.base.rev} first`,
    );
  }
  const config = await gitConfig(root, logger);
  if ((config.get('gpg.format') ?? 'openpgp') !== 'ssh') {
    throw new SignoffRefusedError(
      'not-ssh',
      'sign-offs are SSH-signed: run git config gpg.format ssh (and set user.signingkey to your SSH public key)',
    );
  }
  const signingKey = config.get('user.signingkey');
  if (!signingKey) {
    throw new SignoffRefusedError(
      'no-signing-key',
      'git has no signing key: run git config user.signingkey ~/.ssh/id_ed25519.pub (the key listed for you in allowed_signers)',
    );
  }
  const key = await resolveSigningKey(signingKey, root, logger);
  if ('problem' in key) throw new SignoffRefusedError('bad-signing-key', key.problem);
  const fingerprint = keyFingerprint(key.key);
  // Entries limited to other namespaces (namespaces="file") cannot sign git commits.
  const entries = roster
    .entriesForKey(key.keyType, key.key)
    .filter(e => e.namespaces === undefined || e.namespaces.includes('git'));
  const plain = entries.flatMap(e => e.principals).filter(p => !/[*?!]/.test(p));
  if (plain.length === 0) {
    throw new SignoffRefusedError(
      'key-not-in-roster',
      `your signing key (${key.keyType} ${fingerprint}) is not in ${ROSTER_PATH} at ${review.base.rev}: only the seniors listed there can sign off; ` +
        `to be added, ask for a line "<your email> ${key.keyType} ${key.key}" to be merged into ${review.base.rev}`,
    );
  }
  const email = config.get('user.email');
  const principal = plain.find(p => email !== undefined && p.toLowerCase() === email.toLowerCase()) ?? plain[0]!;
  const name = (config.get('user.name') ?? '').trim() || principal;
  return {
    reviewer: { name, email: principal },
    keyType: key.keyType,
    key: key.key,
    fingerprint,
    principals: [...new Set(entries.flatMap(e => e.principals))],
  };
}

/**
 * The branch's whole change as the sign-off records it (`AI-Signoff-Range`): from where it left the base (their merge
 * base) to its head. A squash merge of exactly this branch has its patch id (docs/audit.md).
 */
async function wholeChange(
  root: string,
  baseId: string,
  headId: string,
  logger: Logger,
): Promise<SignoffRange | undefined> {
  const mb = await runGit(['merge-base', baseId, headId], { cwd: root, logger, okExitCodes: [0, 1] });
  const from = mb.stdout.trim();
  if (mb.exitCode !== 0 || !isObjectId(from)) return undefined;
  const patchId = (await rangePatchIds(root, [{ head: headId, from }], logger)).get(rangeKey({ head: headId, from }));
  return patchId ? { patchId, from, to: headId } : undefined;
}

/** Works out what `sign-off` would sign, without changing anything. Throws SignoffRefusedError when it cannot. */
export async function planSignoff(options: {
  cwd: string;
  base: string;
  comment?: string;
  logger?: Logger;
  /** `changes-requested`: plan a request for changes instead (the comment is required). */
  verdict?: Verdict;
}): Promise<SignoffPlan> {
  const logger = options.logger ?? nullLogger;
  const review = await reviewBranch({
    cwd: options.cwd,
    base: options.base,
    logger,
    withPaths: true,
  });
  const signer = await signingIdentity(review.root, review, logger);
  const me: Signer = { email: signer.reviewer.email, fingerprint: signer.fingerprint, principals: signer.principals };
  const same = (email: string): boolean => isSigner(me, email);
  const candidates = review.report.commits.filter(c => c.needsSignoff && !isDone(c.state));
  const blocked = candidates.filter(c => c.blocker !== undefined);
  const open = signoffTargets(review.report);
  const own = review.policy.signoff.allowSelfSignoff ? [] : open.filter(c => same(c.commit.author.email));
  const alreadySigned = open.filter(
    c =>
      !own.includes(c) &&
      c.signers.some(s => sameEmailOf(s.email, signer.reviewer.email) || s.fingerprint === signer.fingerprint),
  );
  if (options.verdict === 'changes-requested') {
    // Changes are asked of the commits that wait (never one's own); a request withdraws one's own earlier sign-off of
    // the same patch (another senior's still counts).
    const reviewable = review.report.commits.filter(
      c =>
        c.needsSignoff &&
        c.blocker === undefined &&
        (!same(c.commit.author.email) || review.policy.signoff.allowSelfSignoff),
    );
    // The commits that wait; when none waits, those done (a senior takes back their own sign-off this way).
    const waiting = reviewable.filter(c => !isDone(c.state));
    const targets = waiting.length > 0 ? waiting : reviewable;
    const comment = options.comment ?? '';
    return {
      verdict: 'changes-requested',
      review,
      signer,
      targets,
      ownCommits: own,
      alreadySigned: [],
      blocked,
      ...(targets.length > 0 && comment.trim()
        ? {
            message: formatChangesRequestMessage({
              reviewer: signer.reviewer,
              entries: targets.map(c => ({ patchId: c.commit.patchId!, commitId: c.commit.id })),
              comment,
            }),
          }
        : {}),
    };
  }
  const targets = open.filter(c => !own.includes(c) && !alreadySigned.includes(c));
  const plan: SignoffPlan = { verdict: 'signoff', review, signer, targets, ownCommits: own, alreadySigned, blocked };
  const needing = review.report.commits.filter(c => c.needsSignoff);
  const allSigned = needing.length > 0 && needing.every(c => isDone(c.state));
  if (targets.length > 0 || (allSigned && own.length === 0 && blocked.length === 0)) {
    const range = await wholeChange(review.root, review.base.id, review.head.id, logger);
    const recorded = review.report.signoffs.some(
      x => x.defects.length === 0 && x.facts.parsed.range?.patchId === range?.patchId,
    );
    if (targets.length > 0 || (range && !recorded)) {
      plan.message = formatSignoffMessage({
        reviewer: signer.reviewer,
        entries: targets.map(c => ({ patchId: c.commit.patchId!, commitId: c.commit.id })),
        ...(options.comment !== undefined ? { comment: options.comment } : {}),
        ...(range ? { range } : {}),
      });
      if (targets.length === 0) plan.recordsRange = true;
      if (range) plan.range = range;
    }
  }
  return plan;
}

/**
 * Makes the sign-off commit of `plan` with the person's own signing setup (`git commit --allow-empty -S`), then
 * checks that what landed is the sign-off that was shown: empty, the same message, and verifying against the base's
 * roster. Returns the new commit id. Throws SignoffRefusedError when the branch moved or changes are staged.
 */
export async function createSignoff(
  plan: SignoffPlan,
  logger: Logger = nullLogger,
): Promise<{ commit: string; verified: SignatureCheck }> {
  if (!plan.message)
    throw new Error(plan.verdict === 'signoff' ? 'nothing to sign off' : 'no request for changes to make');
  const root = plan.review.root;
  const headNow = await resolveCommit(root, 'HEAD', logger);
  if (headNow !== plan.review.head.id) {
    throw new SignoffRefusedError(
      'moved',
      `HEAD moved while the sign-off was prepared (now ${headNow?.slice(0, 12) ?? 'unborn'}): run sign-off again`,
    );
  }
  const staged = await runGit(['diff', '--cached', '--quiet', '--ignore-submodules=none'], {
    cwd: root,
    logger,
    okExitCodes: [0, 1],
  });
  if (staged.exitCode === 1) {
    throw new SignoffRefusedError(
      'staged-changes',
      'changes are staged, and a sign-off must be an empty commit: commit, unstage (git restore --staged .) or stash them first',
    );
  }
  await runGit(['commit', '--allow-empty', '-S', '--cleanup=verbatim', '--quiet', '-F', '-'], {
    cwd: root,
    input: plan.message,
    logger,
  });
  const commit = await git(['rev-parse', 'HEAD'], { cwd: root, logger });
  // Keep the sign-off (and with it the reviewed commits) reachable when the branch is squashed, rebased or deleted:
  // the audit of the main branch finds it there (docs/audit.md). `notes push` sends it.
  // A request for changes is kept too: the audit sees it withdraw its author's earlier sign-off after any merge.
  await git(['update-ref', signoffEvidenceRef(commit), commit], { cwd: root, logger });
  const review = await reviewBranch({ cwd: root, base: plan.review.base.id, head: commit, logger });
  const mine = review.report.signoffs.find(s => s.facts.id === commit);
  const check: SignatureCheck = mine?.facts.signature ?? { status: 'not-checked' };
  return { commit, verified: check };
}

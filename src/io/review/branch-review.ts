import {
  BasePolicy,
  BranchReviewError,
  RevisionRef,
  readBaseOwners,
  readBasePolicy,
  readShallow,
  repoFacts,
  resolveReviewRevision,
  unknownRevision,
} from './base-policy';
import {
  changedFilesAtHead,
  landingPaths,
  formerCommits,
  logRange,
  patchIds,
  policyCommits,
  scratch,
  touchedPaths,
} from './range';
import { checkSignatures } from './signatures';
import { commitEvidence, commitFacts, hasAiLineEvidence, isReviewed, type CommitEvidence } from './commit-facts';
import * as os from 'node:os';
import type { Logger } from '../../core/log';
import { nullLogger } from '../../core/log';
import {
  computeReview,
  type CommitFacts,
  type ReviewReport,
  type ReviewRequest,
  type SignatureCheck,
  type SignoffFacts,
} from '../../core/review/review';
import { interpretSignoff, isSignoffCandidate } from '../../core/formats/signoff-message';
import { policyMatchers } from '../../core/review/policy';
import { runGit } from '../git/git';
import { locateRepository } from '../git/repository';
import { notesLineSource } from '../git/notes';
import { refsNamedBy } from '../git/queries';
import { readReviewRequests } from './requests';
import type { RepositoryLocation } from '../git/repository';
import { ownersOf, type OwnersFile } from '../../core/review/owners';

/**
 * Gathers the facts of a branch's review from git and hands them to the pure model (src/core/review/review.ts):
 * - policy and roster from the BASE revision (`git ls-tree` + `git cat-file`), never the branch or the work tree;
 * - base..head with git's own trailer parsing (`%(trailers)`), so trailer look-alikes in a body count for nothing;
 * - patch ids of the AI commits and sign-off candidates in one `git log -p | git patch-id --verbatim` pass, with the
 *   diff options pinned so a person's diff config cannot change a patch id, the log bytes kept exact (piped from
 *   git to git as bytes: no text decoding in between);
 * - sign-off signatures from the raw commit objects, verified with ssh-keygen against the base's allowed_signers.
 */

export interface BranchReview extends BasePolicy {
  root: string;
  base: RevisionRef;
  head: RevisionRef;
  /** Every commit of base..head, oldest first. */
  rangeSize: number;
  report: ReviewReport;
  /** Who owns which paths at the base (`.ai-provenance/reviewers`, else CODEOWNERS); undefined when neither. */
  ownership: OwnersFile | undefined;
}

export interface ReviewOptions {
  cwd: string;
  /** The repository, when the caller located it already (one git start fewer). */
  location?: RepositoryLocation;
  base: string;
  head?: string;
  logger?: Logger;
  /** Review requests to match (`requested` state); default: none. */
  requests?: readonly ReviewRequest[];
  /** Load the files each AI commit touches even when the policy has no globs (review packets, annotations). */
  withPaths?: boolean;
  /** How many ssh-keygen processes may run at once. */
  concurrency?: number;
}

/** How many ssh-keygen processes verify signatures at once by default: one per core, at least 2, at most 16. */
export function signatureConcurrency(): number {
  return Math.max(2, Math.min(16, os.availableParallelism?.() ?? os.cpus().length));
}

/** Reviews base..head: every AI commit with its state. Throws BranchReviewError, PolicyFileError, GitError, SshKeygenError. */
export async function reviewBranch(options: ReviewOptions): Promise<BranchReview> {
  const logger = options.logger ?? nullLogger;
  const location = options.location ?? (await locateRepository(options.cwd, { logger }));
  const root = location.root;
  const headName = options.head ?? 'HEAD';
  const [facts, baseId, headId] = await Promise.all([
    repoFacts(root, logger),
    resolveReviewRevision(root, 'base', options.base, logger),
    resolveReviewRevision(root, 'head', headName, logger),
  ]);
  if (!baseId) throw unknownRevision('unknown-base', options.base, facts.shallow);
  if (!headId) throw unknownRevision('unknown-head', headName, facts.shallow);
  const base: RevisionRef = { rev: options.base, id: baseId };
  const head: RevisionRef = { rev: headName, id: headId };

  // The commits that change the gate's own files: a path-limited walk of the whole range, as long as the log below;
  // both at once.
  const touchingPolicyAsked = policyCommits(root, baseId, headId, logger);
  touchingPolicyAsked.catch(() => undefined); // awaited below; a failure there is the one reported
  const [basePolicy, logged] = await Promise.all([
    readBasePolicy(root, baseId, options.base, logger),
    logRange(root, baseId, headId, logger),
  ]);

  if (facts.shallow) {
    // A commit of the range whose parents this clone does not have: the range may be cut short, so no answer.
    const cut = await readShallow(facts.shallowFile);
    const cutInRange = logged.filter(c => cut.has(c.id));
    if (cutInRange.length > 0) {
      throw new BranchReviewError(
        'shallow',
        `this clone is shallow and its history stops inside ${options.base}..${headName} (at ${cutInRange[0]!.id.slice(0, 12)}), so the commits to check are not all here: ` +
          'run git fetch --unshallow (or git fetch --deepen=N), or in GitHub Actions use actions/checkout with fetch-depth: 0',
      );
    }
  }

  const graph = new Map(logged.map(c => [c.id, c.parents] as const));
  const candidates = logged
    .filter(c => isSignoffCandidate(c.subject, c.trailers))
    .map(c => ({ c, parsed: interpretSignoff(c.subject, c.trailers) }));
  const candidateIds = new Set(candidates.map(s => s.c.id));
  const others = logged.filter(c => !candidateIds.has(c.id));
  // Every commit's evidence that an AI took part (the review profile, src/core/review/profile.ts).
  const [touchingPolicy, notes] = await Promise.all([
    touchingPolicyAsked,
    notesLineSource(root).lines(others.map(c => c.id)),
  ]);
  const onEveryCommit = basePolicy.policy.trailers.onEveryCommit;
  const evidence = others.map(c => commitEvidence(c, touchingPolicy, notes)).filter(x => isReviewed(x, onEveryCommit));
  const ownership = await readBaseOwners(root, baseId, options.base, basePolicy.roster, logger);
  const needPaths =
    options.withPaths === true ||
    ownership !== undefined ||
    basePolicy.policy.signoff.ignore.length > 0 ||
    basePolicy.policy.signoff.highRisk.length > 0;
  const inRange = new Set(logged.map(c => c.id));
  const listedOutside = [
    ...new Set(candidates.flatMap(s => s.parsed.entries.map(e => e.commitId)).filter(id => !inRange.has(id))),
  ];

  const tmp = await scratch();
  try {
    const reviewedIds = evidence.map(x => x.c.id);
    // Senior-signed commits (policy): the commit's own signature, verified for its author's address, for commits
    // whose author the roster lists. The author field alone proves nothing; the signature decides.
    const roster = basePolicy.roster;
    const selfSignable =
      basePolicy.policy.signoff.seniorSignedCommits && roster && !roster.isEmpty
        ? evidence.filter(x => roster.allows(x.c.author.email))
        : [];
    const [patches, paths, former, signatures, authorSignatures] = await Promise.all([
      patchIds(root, [...reviewedIds, ...candidateIds], logger),
      needPaths ? touchedPaths(root, [...reviewedIds, ...candidateIds], logger) : Promise.resolve(undefined),
      formerCommits(root, listedOutside, logger),
      checkSignatures({
        root,
        candidates: candidates.map(s => ({
          id: s.c.id,
          wellFormed: s.parsed.problems.length === 0,
          ...(s.parsed.reviewer ? { reviewerEmail: s.parsed.reviewer.email } : {}),
        })),
        basePolicy,
        objectFormat: facts.objectFormat,
        scratchDir: tmp.dir,
        concurrency: options.concurrency ?? signatureConcurrency(),
        logger,
      }),
      selfSignable.length === 0
        ? Promise.resolve(new Map<string, SignatureCheck>())
        : checkSignatures({
            root,
            candidates: selfSignable.map(x => ({ id: x.c.id, wellFormed: true, reviewerEmail: x.c.author.email })),
            basePolicy,
            objectFormat: facts.objectFormat,
            scratchDir: tmp.dir,
            concurrency: Math.max(1, Math.min(8, os.availableParallelism?.() ?? os.cpus().length)),
            logger,
            alwaysVerify: true,
            filePrefix: 'author-',
          }),
    ]);
    // Sign-offs made before 0.2 list --stable patch ids: compute those only for the commits such a sign-off names.
    const reviewedSet = new Set(reviewedIds);
    const legacyWanted = [
      ...new Set(
        candidates
          .flatMap(cand => cand.parsed.entries)
          .filter(e => reviewedSet.has(e.commitId) && patches.ids.get(e.commitId) !== e.patchId)
          .map(e => e.commitId),
      ),
    ];
    const legacy = legacyWanted.length > 0 ? await patchIds(root, legacyWanted, logger, 'legacy-stable') : undefined;
    const landing = paths
      ? await whereLinesLanded(root, baseId, headId, evidence, paths, basePolicy.policy, logger, ownership)
      : new Map<string, string[]>();
    const loaded = { patches, legacy, paths, landing };
    // A "sign-off" that changes files skipped the commit hook (it takes the subject for a sign-off): its changes are
    // attributed by nobody, so it is reviewed like any unattested commit.
    const disguised = candidates
      .filter(s => patches.ids.has(s.c.id))
      .map(s => commitFacts(commitEvidence(s.c, touchingPolicy, new Map()), loaded, { signoffWithChanges: true }));
    const commits: CommitFacts[] = [
      ...evidence.map(x => {
        const facts = commitFacts(x, loaded);
        const authorSignature = authorSignatures.get(x.c.id);
        return authorSignature ? { ...facts, authorSignature } : facts;
      }),
      ...disguised,
    ];
    const signoffs: SignoffFacts[] = candidates.map(({ c, parsed }) => ({
      id: c.id,
      parents: c.parents,
      subject: c.subject,
      parsed,
      empty: !patches.ids.has(c.id),
      signature: signatures.get(c.id) ?? { status: 'not-checked' },
    }));
    const report = computeReview({
      policy: basePolicy.policy,
      roster: basePolicy.roster,
      graph,
      commits,
      signoffs,
      formerCommits: former,
      requests: options.requests ?? [],
      ...(ownership ? { ownership } : {}),
    });
    return { ...basePolicy, root, base, head, rangeSize: logged.length, report, ownership };
  } finally {
    await tmp.dispose();
  }
}

/**
 * The review as people read it (the sidebar, `log`, request-review): the gate's decisions exactly as `check` makes
 * them, plus the review requests recorded on this machine and each AI commit's line ranges from the notes.
 */
export async function reviewWithDetails(options: {
  location: RepositoryLocation;
  base: string;
  head?: string | undefined;
  logger: Logger;
}): Promise<BranchReview> {
  const { location, base, head, logger } = options;
  return reviewBranch({
    cwd: location.root,
    base,
    ...(head !== undefined ? { head } : {}),
    logger,
    requests: await readReviewRequests(location, logger),
    withPaths: true,
  });
}

/**
 * The base a branch is reviewed against when none is given: the remote's default branch (origin/HEAD), else
 * origin/main or origin/master, else a local main or master that is not the current branch.
 */
export async function defaultBase(
  cwd: string,
  logger: Logger = nullLogger,
  options: { includeCurrent?: boolean } = {},
): Promise<string | undefined> {
  // The short name people know, unless another ref shares it (a tag "main"): then the full name, never a guess.
  const named = async (short: string, full: string): Promise<string> =>
    (await refsNamedBy(cwd, short, logger)).length > 1 ? full : short;
  const symbolic = await runGit(['symbolic-ref', '-q', 'refs/remotes/origin/HEAD'], {
    cwd,
    logger,
    okExitCodes: [0, 1, 128],
  });
  const target = symbolic.stdout.trim();
  if (symbolic.exitCode === 0 && target.startsWith('refs/remotes/'))
    return named(target.slice('refs/remotes/'.length), target);
  const current = (
    await runGit(['symbolic-ref', '-q', '--short', 'HEAD'], { cwd, logger, okExitCodes: [0, 1, 128] })
  ).stdout.trim();
  for (const candidate of ['origin/main', 'origin/master', 'main', 'master']) {
    if (candidate === current && !options.includeCurrent) continue;
    const ref = candidate.startsWith('origin/') ? `refs/remotes/${candidate}` : `refs/heads/${candidate}`;
    const found = await runGit(['rev-parse', '--verify', '--quiet', ref], { cwd, logger, okExitCodes: [0, 1] });
    if (found.exitCode === 0) return named(candidate, ref);
  }
  return undefined;
}

/**
 * For the path rules (docs/review.md): where the lines of the branch's AI commits are at its head, among the files
 * that could change a decision: high-risk files, and (when some AI commit touched only ignored paths) files that
 * are not ignored. Moves and copies are followed by `git blame -C`.
 */
export async function whereLinesLanded(
  root: string,
  baseId: string,
  headId: string,
  evidence: readonly CommitEvidence[],
  paths: ReadonlyMap<string, readonly string[]>,
  policy: BasePolicy['policy'],
  logger: Logger,
  ownership?: OwnersFile,
): Promise<Map<string, string[]>> {
  // Enforced owners (.ai-provenance/reviewers) follow AI lines moved into their files, like high-risk paths.
  const owned =
    ownership?.source === 'reviewers' ? (p: string): boolean => ownersOf(ownership, p).length > 0 : undefined;
  if (policy.signoff.highRisk.length === 0 && policy.signoff.ignore.length === 0 && !owned) return new Map();
  const ai = evidence.filter(hasAiLineEvidence);
  if (ai.length === 0) return new Map();
  const matchers = policyMatchers(policy);
  const ignored = (p: string): boolean => matchers.ignore.matches(p) && !matchers.highRisk.matches(p);
  const someOnlyIgnored = ai.some(x => {
    const touched = paths.get(x.c.id) ?? [];
    return touched.length > 0 && touched.every(ignored);
  });
  const files = (await changedFilesAtHead(root, baseId, headId, logger)).filter(
    f => matchers.highRisk.matches(f) || (someOnlyIgnored && !ignored(f)) || owned?.(f) === true,
  );
  return landingPaths(root, baseId, headId, new Set(ai.map(x => x.c.id)), files, logger);
}

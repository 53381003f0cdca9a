import {
  BranchReviewError,
  PolicyFileError,
  readBaseOwners,
  readBasePolicy,
  repoFacts,
  resolveReviewRevision,
  unknownRevision,
  type BasePolicy,
} from './base-policy';
import { defaultBase, signatureConcurrency, whereLinesLanded } from './branch-review';
import type { OwnersFile } from '../../core/review/owners';
import { commitEvidence, commitFacts, hasAiLineEvidence, isReviewed, type CommitEvidence } from './commit-facts';
import {
  agentCoAuthors,
  logCommits,
  patchIds,
  rangeKey,
  rangePatchIds,
  scratch,
  touchedPaths,
  type LoggedCommit,
  type PatchIds,
} from './range';
import { checkSignatures } from './signatures';
import {
  diffStats,
  firstRoster,
  forkPoints,
  keptRefs,
  messages,
  policyKeys,
  policyTouching,
  squashCandidatesOf,
} from './audit-queries';
import type { Logger } from '../../core/log';
import { nullLogger } from '../../core/log';
import { pooled } from '../../core/pool';
import { DEFAULT_POLICY } from '../../core/review/policy';
import {
  bodyClaimsAi,
  landingsOf,
  reachable,
  LATE_SIGNOFF_SECONDS,
  lateSignoffs,
  linearThreshold,
  timesOutOfOrder,
  reviewOutcome,
  squashOutcome,
  type AuditException,
  type AuditReport,
  type AuditedChange,
  type KeptBranch,
} from '../../core/review/audit';
import {
  computeReview,
  type CommitFacts,
  type FormerCommit,
  type ReviewReport,
  type SignatureCheck,
  type SignoffFacts,
} from '../../core/review/review';
import {
  interpretSignoff,
  isObjectId,
  isSignoffCandidate,
  type ParsedSignoff,
} from '../../core/formats/signoff-message';
import { git, runGit } from '../git/git';
import { notesLineSource } from '../git/notes';
import { locateRepository } from '../git/repository';

/**
 * The audit of a branch's history (docs/audit.md): every change that reached it in a period, and for each
 * AI-assisted one the sign-off that let it in, verified against the roster of its base.
 *
 * The evidence survives any merge style because it is looked for in two places:
 * - the branch's own history: merge commits and fast-forwards keep the pull request's commits and its signed
 *   sign-off commits; a rebase merge keeps the commits' messages (their trailers) and their patch ids;
 * - the kept evidence under `refs/ai-provenance/`: `sign-off` keeps each sign-off commit (and so the reviewed
 *   branch) reachable there, `notes push` sends them, `notes fetch` brings them and the forge's pull request heads
 *   (which GitHub and GitLab keep after the branch is deleted). A sign-off found there counts for a commit of the
 *   branch with the patch id it lists (a rebased twin), and a kept branch whose whole change has the patch id of a
 *   commit of the branch stands behind that commit (a squash).
 * Nothing kept is trusted: sign-offs are verified against the roster at the base of the change they count for,
 * and a kept branch only matches by a patch id computed here.
 */

export interface AuditOptions {
  cwd: string;
  /** The branch to audit; default: the remote's default branch, else the current one. */
  branch?: string | undefined;
  /** Seconds since the epoch; changes that landed (committer time) before it are left out. */
  since?: number | undefined;
  /** Seconds since the epoch; changes that landed after it are left out. */
  until?: number | undefined;
  logger?: Logger;
  concurrency?: number;
}

interface Landing {
  commit: LoggedCommit;
  side: LoggedCommit[];
}

/** The branch the audit reads when none is given: the remote's default branch, else HEAD. */
async function defaultBranch(root: string, logger: Logger): Promise<string> {
  return (await defaultBase(root, logger, { includeCurrent: true })) ?? 'HEAD';
}

interface Judged {
  /** The commits judged, their evidence. */
  evidence: CommitEvidence[];
  extra: Map<string, { signoffWithChanges?: boolean; bodyClaims?: boolean }>;
  /** Where lines are followed to (git blame): the range's base and head. */
  span: { base: string; head: string } | undefined;
  /**
   * A kept branch's commits (its sign-offs included): only sign-offs among them count, and only for commits they
   * descend from, as `check` judges a branch. Undefined for the branch's own history (sign-offs from anywhere count).
   */
  scope?: ReadonlySet<string>;
  /** Sign-offs judged with the range whatever they list: a signed range's own sign-off. */
  also?: readonly string[];
}

/** Audits the branch. Throws BranchReviewError (unknown or ambiguous branch, shallow clone), GitError. */
export async function auditBranch(options: AuditOptions): Promise<AuditReport> {
  const logger = options.logger ?? nullLogger;
  const location = await locateRepository(options.cwd, { logger });
  const root = location.root;
  const facts = await repoFacts(root, logger);
  const branchName = options.branch ?? (await defaultBranch(root, logger));
  const tip = await resolveReviewRevision(root, 'branch', branchName, logger);
  if (!tip) throw unknownRevision('unknown-branch', branchName, facts.shallow);
  if (facts.shallow) {
    throw new BranchReviewError(
      'shallow',
      `this clone is shallow, and the audit reads ${branchName}'s whole history: run git fetch --unshallow (in GitHub Actions, actions/checkout with fetch-depth: 0)`,
    );
  }

  const all = await logCommits(root, [tip], logger);
  const byId = new Map(all.map(c => [c.id, c] as const));
  const chain: Landing[] = landingsOf(tip, new Map(all.map(c => [c.id, c.parents] as const))).map(l => ({
    commit: byId.get(l.id)!,
    side: l.side.map(id => byId.get(id)!),
  }));
  const outOfOrder = timesOutOfOrder(chain.map(l => l.commit.committerTime));
  // A committer time is a claim: one out of order with the history around it is in every period (fail closed).
  const landings = chain.filter(
    (l, i) =>
      outOfOrder.has(i) ||
      ((options.since === undefined || l.commit.committerTime >= options.since) &&
        (options.until === undefined || l.commit.committerTime <= options.until)),
  );
  const unordered = new Set([...outOfOrder].map(i => chain[i]!.commit.id));

  const refs = await keptRefs(root, logger);
  const keptCommits = refs.length > 0 ? await logCommits(root, [...refs.map(r => r.id), `^${tip}`], logger) : [];
  const kept = new Map(keptCommits.map(c => [c.id, c] as const));
  const known = (id: string): LoggedCommit | undefined => byId.get(id) ?? kept.get(id);
  let everyKnownGraph: Map<string, readonly string[]> | undefined;
  const everyKnown = (): Map<string, readonly string[]> =>
    (everyKnownGraph ??= new Map([...byId.values(), ...kept.values()].map(c => [c.id, c.parents] as const)));

  // Kept branches: heads not on the audited branch, their own commits, where they left it.
  const refsOf = new Map<string, string[]>();
  for (const r of refs) refsOf.set(r.id, [...(refsOf.get(r.id) ?? []), r.ref].sort());
  const keptHeads = new Map<string, string[]>();
  for (const r of refs) if (kept.has(r.id)) keptHeads.set(r.id, [...(keptHeads.get(r.id) ?? []), r.ref]);
  const forks = await forkPoints(root, tip, [...keptHeads.keys()], logger);
  const order = new Map(keptCommits.map((c, i) => [c.id, i] as const));
  const branches: KeptBranch[] = [...keptHeads].flatMap(([head, names]) => {
    const from = forks.get(head);
    if (!from) return [];
    const commits = [...reachable([head], id => kept.get(id)?.parents)];
    commits.sort((a, b) => order.get(a)! - order.get(b)!);
    return [{ refs: names.sort(), head, from, commits }];
  });

  // The sign-offs there are: in the branch's history and in the kept evidence.
  const pool = [...all, ...keptCommits]
    .filter(c => isSignoffCandidate(c.subject, c.trailers))
    .map(c => ({ c, parsed: interpretSignoff(c.subject, c.trailers) }));
  const poolIds = new Set(pool.map(s => s.c.id));

  const singles = landings.filter(l => l.commit.parents.length <= 1);
  const gateSetup = await firstRoster(root, tip, all, logger);
  // Commits before the first roster (a policy.json, say) could not be signed off either.
  const beforeRoster = gateSetup ? reachable(byId.get(gateSetup)!.parents, id => byId.get(id)?.parents) : new Set();
  // Sign-offs that recorded the branch's whole change (AI-Signoff-Range) as of their own parent: what a squash of that
  // branch can be matched to. Their patch ids are computed again here before they are used.
  const claimedRanges = pool.filter(
    s =>
      kept.has(s.c.id) &&
      s.parsed.range !== undefined &&
      s.c.parents.length === 1 &&
      s.c.parents[0] === s.parsed.range.to,
  );
  const claimedPairs = claimedRanges.map(s => ({ head: s.parsed.range!.to, from: s.parsed.range!.from }));
  // A squash of a kept branch changes the same files: only such commits and ranges need patch ids to be matched.
  const [bodies, touching, squash] = await Promise.all([
    messages(
      root,
      singles.map(l => l.commit.id),
      logger,
    ),
    policyTouching(root, [tip, ...keptHeads.keys()], logger),
    branches.length + claimedPairs.length > 0
      ? squashCandidatesOf(
          root,
          singles.map(l => l.commit.id),
          [...branches, ...claimedPairs],
          logger,
        )
      : { singles: new Set<string>(), ranges: new Set<string>() },
  ]);
  const squashCandidates = squash.singles;
  const [rangePatches, candidatePatches] = await Promise.all([
    rangePatchIds(
      root,
      [...branches, ...claimedPairs].filter(r => squash.ranges.has(rangeKey(r))),
      logger,
    ),
    patchIds(root, [...squashCandidates], logger),
  ]);
  const signedRanges = claimedRanges
    .filter(
      s =>
        rangePatches.get(rangeKey({ head: s.parsed.range!.to, from: s.parsed.range!.from })) ===
        s.parsed.range!.patchId,
    )
    .map(s => ({ signoff: s.c.id, ...s.parsed.range! }));

  // Policies, one read per distinct .ai-provenance folder at the bases. The merges and their other parents too: a
  // merge whose folder is none of its parents' changed the gate's files itself (an "evil merge").
  const bases = [...new Set(landings.map(l => l.commit.parents[0]).filter((b): b is string => b !== undefined))];
  const merges = landings.filter(l => l.commit.parents.length > 1).map(l => l.commit);
  const keys = await policyKeys(root, [...new Set([...bases, ...merges.flatMap(m => [m.id, ...m.parents])])], logger);
  // Its folder is none of its parents': unless git's own merge of the parents gives that folder too (each side changed
  // a different file), the merge changed the gate's files itself.
  // What git merges a two-parent merge's parents to (a tree id), asked once per merge; undefined on a conflict.
  const mergedTrees = new Map<string, Promise<string | undefined>>();
  const mergedTree = (m: LoggedCommit): Promise<string | undefined> => {
    let tree = mergedTrees.get(m.id);
    if (!tree) {
      tree =
        m.parents.length !== 2
          ? Promise.resolve(undefined)
          : runGit(['merge-tree', '--write-tree', '--no-messages', m.parents[0]!, m.parents[1]!], {
              cwd: root,
              logger,
              okExitCodes: [0, 1],
            }).then(r => {
              const id = r.stdout.split('\n')[0]!.trim();
              return r.exitCode === 0 && isObjectId(id) ? id : undefined;
            });
      mergedTrees.set(m.id, tree);
    }
    return tree;
  };
  const mergeTouchesPolicy = new Set<string>();
  await pooled(
    merges.filter(m => m.parents.every(p => keys.get(p) !== keys.get(m.id))),
    4,
    async m => {
      const tree = await mergedTree(m);
      if (tree && (await policyKeys(root, [tree], logger)).get(tree) === keys.get(m.id)) return;
      mergeTouchesPolicy.add(m.id);
    },
  );
  const policies = new Map<string, BasePolicy | PolicyFileError>();
  // `.ai-provenance/reviewers` of each base (in the gate's folder, so keyed like the policy): enforced ownership.
  const ownershipOf = new Map<BasePolicy, OwnersFile>();
  for (const b of bases) {
    const key = keys.get(b)!;
    if (policies.has(key)) continue;
    try {
      const read = await readBasePolicy(root, b, b.slice(0, 12), logger);
      const owners = await readBaseOwners(root, b, b.slice(0, 12), read.roster, logger, { codeowners: false });
      policies.set(key, read);
      if (owners) ownershipOf.set(read, owners);
    } catch (error) {
      if (error instanceof PolicyFileError) policies.set(key, error);
      else throw error;
    }
  }
  const policyOf = (l: Landing): BasePolicy | PolicyFileError | undefined => {
    const base = l.commit.parents[0];
    return base === undefined ? undefined : policies.get(keys.get(base)!);
  };

  // The notes of every commit that may be judged; a sign-off that changes nothing (its parent's tree) is evidence.
  const sideIds = landings.flatMap(l => l.side.map(c => c.id));
  const noteIds = [
    ...new Set([
      ...singles.map(l => l.commit.id),
      ...sideIds,
      ...branches.flatMap(b => b.commits),
      ...landings.filter(l => l.side.length > 0).map(l => l.commit.id),
    ]),
  ];
  const isEmpty = (c: LoggedCommit): boolean => {
    const parent = c.parents.length === 1 ? known(c.parents[0]!) : undefined;
    return parent !== undefined && parent.tree === c.tree;
  };
  const emptySignoff = (c: LoggedCommit): boolean => poolIds.has(c.id) && isEmpty(c);
  const notes = await notesLineSource(root).lines(noteIds);

  const bodyClaimed = new Set(
    singles
      .filter(l =>
        bodyClaimsAi(
          bodies.get(l.commit.id) ?? '',
          l.commit.trailers,
          value => agentCoAuthors([{ key: 'Co-authored-by', value }]).length > 0,
        ),
      )
      .map(l => l.commit.id),
  );
  const judge = (commits: readonly LoggedCommit[], onEveryCommit: boolean): Judged['evidence'] =>
    commits
      .filter(c => !emptySignoff(c)) // an empty sign-off is evidence, not a change
      .map(c => commitEvidence(c, touching, notes))
      .filter(x => isReviewed(x, onEveryCommit) || poolIds.has(x.c.id) || bodyClaimed.has(x.c.id));
  const extraOf = (x: CommitEvidence): { signoffWithChanges?: boolean; bodyClaims?: boolean; gateSetup?: boolean } => ({
    ...(poolIds.has(x.c.id) ? { signoffWithChanges: true } : {}),
    ...(bodyClaimed.has(x.c.id) ? { bodyClaims: true } : {}),
    ...(x.c.id === gateSetup || beforeRoster.has(x.c.id) ? { gateSetup: true } : {}),
  });

  // Each change's reviews to make: its own commits, and for a single commit the kept branches whose change it is.
  const branchesByPatch = new Map<string, KeptBranch[]>();
  for (const b of branches) {
    const p = rangePatches.get(rangeKey(b));
    if (p) branchesByPatch.set(p, [...(branchesByPatch.get(p) ?? []), b]);
  }
  const signedByPatch = new Map<string, (typeof signedRanges)[number][]>();
  for (const r of signedRanges) signedByPatch.set(r.patchId, [...(signedByPatch.get(r.patchId) ?? []), r]);
  interface Plan {
    landing: Landing;
    policy: BasePolicy | PolicyFileError | undefined;
    own: Judged;
    /** Kept branches whose whole change is this commit's: they can only add exceptions (and vouch for hooks). */
    ranges: { branch: KeptBranch; judged: Judged }[];
    /** Sign-offs whose recorded whole change is this commit's (a squash of a signed branch). */
    signed: { range: (typeof signedRanges)[number]; judged?: Judged }[];
  }
  /** Whether a merge's tree is not what git merges its parents to (conflicts resolved, or changes of its own). */
  const ownChanges = async (m: LoggedCommit): Promise<boolean> => (await mergedTree(m)) !== m.tree;
  const onEveryOf = (policy: Plan['policy']): boolean =>
    policy !== undefined && !(policy instanceof PolicyFileError) && policy.policy.trailers.onEveryCommit;
  /** A review to make of `commits`: their evidence and what the audit adds to it. */
  const judgedOf = (
    commits: readonly LoggedCommit[],
    onEvery: boolean,
    span: Judged['span'],
    more: Pick<Judged, 'scope' | 'also'> = {},
  ): Judged => {
    const evidence = judge(commits, onEvery);
    return { evidence, extra: new Map(evidence.map(x => [x.c.id, extraOf(x)] as const)), span, ...more };
  };
  const plans: Plan[] = [];
  for (const l of landings) {
    const policy = policyOf(l);
    const onEvery = onEveryOf(policy);
    const merge = l.commit.parents.length > 1;
    if (!merge && emptySignoff(l.commit)) continue; // an empty sign-off
    const own = judgedOf(
      merge ? l.side : [l.commit],
      onEvery,
      merge && l.commit.parents[0] ? { base: l.commit.parents[0], head: l.commit.id } : undefined,
    );
    if (merge) {
      // The merge commit itself counts when it says an AI took part (an agent resolved its conflicts), when it changed
      // the gate's files itself, and, where the policy asks every commit for a trailer, when it has none and its tree
      // is not what merging its parents gives (changes of its own).
      const m = commitEvidence(l.commit, mergeTouchesPolicy, notes);
      if (
        hasAiLineEvidence(m) ||
        m.touchesPolicy ||
        (onEvery && m.attribution.kind === 'none' && (await ownChanges(l.commit)))
      ) {
        own.evidence.push(m);
        own.extra.set(m.c.id, extraOf(m));
      }
    }
    const p = merge ? undefined : candidatePatches.ids.get(l.commit.id);
    const signedHere = new Set((p ? (signedByPatch.get(p) ?? []) : []).map(r => r.signoff));
    const matched = (p ? (branchesByPatch.get(p) ?? []) : []).filter(b => !signedHere.has(b.head));
    const ranges = matched.map(b => ({
      branch: b,
      judged: judgedOf(
        b.commits.map(id => kept.get(id)!),
        onEvery,
        { base: b.from, head: b.head },
        { scope: new Set(b.commits) },
      ),
    }));
    const signed = (p ? (signedByPatch.get(p) ?? []) : []).map(range => ({ range }));
    plans.push({ landing: l, policy, own, ranges, signed });
  }
  // The commits of each matched signed range (from..the sign-off), judged as `check` judges a branch.
  const rangeCommits = new Map<string, string[]>();
  await pooled(
    [...new Set(plans.flatMap(p => p.signed.map(s => `${s.range.from}..${s.range.signoff}`)))],
    4,
    async spec => {
      const out = await git(['rev-list', '--topo-order', '--reverse', spec, '--'], { cwd: root, logger });
      rangeCommits.set(spec, out.split('\n').filter(isObjectId));
    },
  );
  for (const plan of plans) {
    for (const s of plan.signed) {
      const ids = rangeCommits.get(`${s.range.from}..${s.range.signoff}`) ?? [];
      s.judged = judgedOf(
        ids.map(known).filter((c): c is LoggedCommit => c !== undefined),
        onEveryOf(plan.policy),
        { base: s.range.from, head: s.range.to },
        { scope: new Set(ids), also: [s.range.signoff] },
      );
    }
  }

  const reviewsOf = (p: Plan): Judged[] => [p.own, ...p.ranges.map(r => r.judged), ...p.signed.map(s => s.judged!)];
  // Patch ids of every commit judged (and of the squash candidates, computed above).
  const judgedAll = [...new Set(plans.flatMap(reviewsOf).flatMap(j => j.evidence.map(x => x.c.id)))];
  const [rest, stats] = await Promise.all([
    patchIds(
      root,
      judgedAll.filter(id => !candidatePatches.ids.has(id) && !squashCandidates.has(id)),
      logger,
    ),
    diffStats(
      root,
      plans.map(p => p.landing.commit.id),
      logger,
    ),
  ]);
  const patches: PatchIds = {
    ids: new Map([...candidatePatches.ids, ...rest.ids]),
    withNul: new Set([...candidatePatches.withNul, ...rest.withNul]),
  };

  // Sign-offs that list a commit to judge, by patch id or commit id; their signatures, once per roster.
  const byPatch = new Map<string, Set<string>>();
  const byCommit = new Map<string, Set<string>>();
  for (const s of pool) {
    for (const e of s.parsed.entries) {
      byPatch.set(e.patchId, (byPatch.get(e.patchId) ?? new Set()).add(s.c.id));
      byCommit.set(e.commitId, (byCommit.get(e.commitId) ?? new Set()).add(s.c.id));
    }
  }
  const parsedOf = new Map<string, ParsedSignoff>(pool.map(s => [s.c.id, s.parsed] as const));
  const relevant = (judged: Judged): string[] => {
    const ids = new Set<string>();
    for (const x of judged.evidence) {
      const p = patches.ids.get(x.c.id);
      for (const s of (p ? byPatch.get(p) : undefined) ?? []) ids.add(s);
      for (const s of byCommit.get(x.c.id) ?? []) ids.add(s);
    }
    for (const id of judged.also ?? []) ids.add(id);
    return judged.scope ? [...ids].filter(id => judged.scope!.has(id)) : [...ids];
  };
  const wanted = new Map<BasePolicy, Set<string>>();
  for (const plan of plans) {
    if (!plan.policy || plan.policy instanceof PolicyFileError) continue;
    const set = wanted.get(plan.policy) ?? new Set<string>();
    for (const j of reviewsOf(plan)) for (const id of relevant(j)) set.add(id);
    wanted.set(plan.policy, set);
  }
  const signatures = new Map<BasePolicy, Map<string, SignatureCheck>>();
  // Senior-signed commits (policy): the judged commits' own signatures, for authors the base's roster lists.
  const authorWanted = new Map<BasePolicy, Map<string, string>>();
  for (const plan of plans) {
    const policy = plan.policy;
    if (!policy || policy instanceof PolicyFileError || !policy.policy.signoff.seniorSignedCommits) continue;
    const roster = policy.roster;
    if (!roster || roster.isEmpty) continue;
    const set = authorWanted.get(policy) ?? new Map<string, string>();
    for (const j of reviewsOf(plan))
      for (const x of j.evidence) if (roster.allows(x.c.author.email)) set.set(x.c.id, x.c.author.email);
    authorWanted.set(policy, set);
  }
  const authorSignatures = new Map<BasePolicy, Map<string, SignatureCheck>>();
  const concurrency = options.concurrency ?? signatureConcurrency();
  const tmp = await scratch();
  try {
    for (const [policy, ids] of wanted) {
      signatures.set(
        policy,
        await checkSignatures({
          root,
          candidates: [...ids].map(id => {
            const parsed = parsedOf.get(id)!;
            return {
              id,
              wellFormed: parsed.problems.length === 0,
              ...(parsed.reviewer ? { reviewerEmail: parsed.reviewer.email } : {}),
            };
          }),
          basePolicy: policy,
          objectFormat: facts.objectFormat,
          scratchDir: tmp.dir,
          concurrency,
          logger,
        }),
      );
    }
    for (const [policy, ids] of authorWanted) {
      if (ids.size === 0) continue;
      authorSignatures.set(
        policy,
        await checkSignatures({
          root,
          candidates: [...ids].map(([id, email]) => ({ id, wellFormed: true, reviewerEmail: email })),
          basePolicy: policy,
          objectFormat: facts.objectFormat,
          scratchDir: tmp.dir,
          concurrency,
          logger,
          alwaysVerify: true,
          filePrefix: 'author-',
        }),
      );
    }
  } finally {
    await tmp.dispose();
  }

  // Where lines went (path rules only), the files touched, then the reviews.
  const needPaths = plans.some(
    p =>
      p.policy &&
      !(p.policy instanceof PolicyFileError) &&
      (p.policy.policy.signoff.ignore.length > 0 ||
        p.policy.policy.signoff.highRisk.length > 0 ||
        ownershipOf.has(p.policy)),
  );
  const paths = needPaths ? await touchedPaths(root, judgedAll, logger) : undefined;

  const review = async (judged: Judged, policy: BasePolicy): Promise<ReviewReport> => {
    const landing =
      paths && judged.span
        ? await whereLinesLanded(
            root,
            judged.span.base,
            judged.span.head,
            judged.evidence,
            paths,
            policy.policy,
            logger,
            ownershipOf.get(policy),
          )
        : undefined;
    const loaded = { patches, paths, landing };
    const authors = authorSignatures.get(policy);
    const commits: CommitFacts[] = judged.evidence.map(x => {
      const facts = commitFacts(x, loaded, judged.extra.get(x.c.id));
      const authorSignature = authors?.get(x.c.id);
      return authorSignature ? { ...facts, authorSignature } : facts;
    });
    const checks = signatures.get(policy) ?? new Map<string, SignatureCheck>();
    const signoffs: SignoffFacts[] = relevant(judged).map(id => {
      const c = known(id)!;
      return {
        id,
        parents: c.parents,
        subject: c.subject,
        parsed: parsedOf.get(id)!,
        empty: isEmpty(c),
        signature: checks.get(id) ?? { status: 'not-checked' },
      };
    });
    const inReview = new Set(commits.map(c => c.id));
    const former: FormerCommit[] = [
      ...new Set(signoffs.flatMap(s => s.parsed.entries.map(e => e.commitId)).filter(id => !inReview.has(id))),
    ]
      .map(known)
      .filter((c): c is LoggedCommit => c !== undefined)
      .map(c => ({ id: c.id, author: c.author, authorTime: c.authorTime }));
    // Without a scope the sign-offs count wherever they are; the graph then only says which request for changes
    // came after which sign-off (one withdraws its author's earlier sign-off), so it is every commit known.
    const withdrawals = signoffs.some(s => s.parsed.verdict === 'changes-requested');
    return computeReview({
      policy: policy.policy,
      roster: policy.roster,
      graph: judged.scope
        ? new Map([...judged.scope].map(id => [id, known(id)?.parents ?? []] as const))
        : withdrawals
          ? everyKnown()
          : new Map(),
      commits,
      signoffs,
      formerCommits: former,
      signoffsAnywhere: judged.scope === undefined,
      ...(ownershipOf.has(policy) ? { ownership: ownershipOf.get(policy)! } : {}),
    });
  };

  const changes: AuditedChange[] = [];
  for (const plan of plans) {
    const { landing: l } = plan;
    const base = l.commit.parents[0];
    const common = {
      id: l.commit.id,
      subject: l.commit.subject,
      author: l.commit.author,
      landedAt: l.commit.committerTime,
      committerEmail: l.commit.committerEmail,
      kind: l.commit.parents.length > 1 ? ('merge' as const) : ('commit' as const),
      ...(base ? { base } : {}),
      size: l.commit.parents.length > 1 ? l.side.length : 1,
      diff: stats.get(l.commit.id) ?? { added: 0, removed: 0, folders: {} },
      ...(unordered.has(l.commit.id) ? { timeOutOfOrder: true } : {}),
    };
    if (plan.policy instanceof PolicyFileError || plan.policy === undefined) {
      // No base (a root commit) or a policy that does not read: judged under no roster, so AI changes are exceptions.
      const problem = plan.policy instanceof PolicyFileError ? plan.policy.message : undefined;
      const fallback: BasePolicy = {
        policy: DEFAULT_POLICY,
        policySource: 'default',
        roster: undefined,
        rosterText: undefined,
      };
      const own = await review(plan.own, fallback);
      const outcome = reviewOutcome(own);
      const exceptions: AuditException[] =
        problem && outcome.status !== 'human' ? [{ code: 'bad-policy' }, ...outcome.exceptions] : outcome.exceptions;
      changes.push({
        ...common,
        via: 'history',
        kept: [],
        reviews: [own],
        status: exceptions.length > 0 ? 'exception' : outcome.status,
        exceptions,
        ...(problem ? { policyProblem: problem } : {}),
      });
      continue;
    }
    const own = await review(plan.own, plan.policy);
    const ranges = await Promise.all(plan.ranges.map(r => review(r.judged, plan.policy as BasePolicy)));
    const signedReviews = await Promise.all(plan.signed.map(r => review(r.judged!, plan.policy as BasePolicy)));
    // A recorded whole change counts only when its own sign-off counts (verified against the roster at this base,
    // well-formed, a plain empty commit) and came in time; any other is one more branch that can only add exceptions.
    const counts = plan.signed.map(
      (r, i) =>
        signedReviews[i]!.signoffs.find(x => x.facts.id === r.range.signoff)?.defects.length === 0 &&
        (byId.has(r.range.signoff) ||
          (known(r.range.signoff)?.committerTime ?? Infinity) <= l.commit.committerTime + LATE_SIGNOFF_SECONDS),
    );
    const signed = signedReviews.filter((_, i) => counts[i]);
    ranges.push(...signedReviews.filter((_, i) => !counts[i]));
    const outcome =
      common.kind === 'merge' ? { ...reviewOutcome(own), via: 'own' as const } : squashOutcome(own, signed, ranges);
    changes.push({
      ...common,
      via: outcome.via === 'ranges' ? 'kept-branch' : 'history',
      kept:
        outcome.via === 'ranges'
          ? [
              ...plan.signed.map(r => ({
                refs: refsOf.get(r.range.signoff) ?? [],
                head: r.range.signoff,
                from: r.range.from,
                commits: [...(r.judged!.scope ?? [])],
              })),
              ...plan.ranges.map(r => r.branch),
            ]
          : [],
      reviews: outcome.via === 'ranges' ? [...signed, ...ranges] : [own],
      status: outcome.status,
      exceptions: outcome.exceptions,
    });
  }

  for (const change of changes)
    lateSignoffs(
      change,
      id => known(id)?.committerTime,
      id => byId.has(id),
    );
  const minAiOf = new Map(plans.map(p => [p.landing.commit.id, p.policy] as const));
  linearThreshold(changes, ch => {
    const policy = minAiOf.get(ch.id);
    return policy && !(policy instanceof PolicyFileError) ? policy.policy.signoff.minAiLines : undefined;
  });

  return {
    root,
    branch: { rev: branchName, id: tip },
    ...(options.since !== undefined ? { since: options.since } : {}),
    ...(options.until !== undefined ? { until: options.until } : {}),
    keptRefs: refs.length,
    changes,
    signoffTimes: Object.fromEntries(
      changes
        .flatMap(c => c.reviews.flatMap(r => r.signoffs.map(s => s.facts.id)))
        .map(id => [id, known(id)?.committerTime ?? 0] as const),
    ),
  };
}

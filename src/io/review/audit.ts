import * as os from 'node:os';
import {
  BranchReviewError,
  POLICY_PATH,
  PolicyFileError,
  ROSTER_PATH,
  readBasePolicy,
  repoFacts,
  resolveReviewRevision,
  unknownRevision,
  type BasePolicy,
} from './base-policy';
import { defaultBase, whereLinesLanded } from './branch-review';
import { commitEvidence, commitFacts, hasAiLineEvidence, isReviewed, type CommitEvidence } from './commit-facts';
import { logCommits, patchIds, scratch, touchedPaths, PATCH_ID_ARGS, type LoggedCommit, type PatchIds } from './range';
import { checkSignatures } from './signatures';
import { EVIDENCE_REF_PREFIX } from './evidence';
import type { Logger } from '../../core/log';
import { nullLogger } from '../../core/log';
import { pooled } from '../../core/pool';
import { DEFAULT_POLICY } from '../../core/review/policy';
import { PRODUCT } from '../../core/product';
import {
  bodyClaimsAi,
  landingsOf,
  reviewOutcome,
  squashOutcome,
  type AuditException,
  type AuditReport,
  type AuditedChange,
  type DiffStat,
  type KeptBranch,
  topFolder,
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
import { git, pipeGit, runGit } from '../git/git';
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

/** Refs under refs/ai-provenance/ that name commits (tags peeled): the kept evidence. */
async function keptRefs(root: string, logger: Logger): Promise<{ ref: string; id: string }[]> {
  const out = await git(
    ['for-each-ref', '--format=%(objecttype)%00%(objectname)%00%(*objectname)%00%(refname)', EVIDENCE_REF_PREFIX],
    { cwd: root, logger },
  );
  const refs: { ref: string; id: string }[] = [];
  for (const line of out.split('\n').filter(Boolean)) {
    const [type, id, peeled, ref] = line.split('\0');
    const commit = type === 'commit' ? id : type === 'tag' ? peeled : undefined;
    if (commit && isObjectId(commit) && ref) refs.push({ ref, id: commit });
  }
  return refs;
}

/** Full messages of commits, one git call. */
async function messages(root: string, ids: readonly string[], logger: Logger): Promise<Map<string, string>> {
  const result = new Map<string, string>();
  if (ids.length === 0) return result;
  const out = await git(['log', '--stdin', '--no-walk=unsorted', '--no-show-signature', '-z', '--format=%H%n%B'], {
    cwd: root,
    input: `${ids.join('\n')}\n`,
    logger,
  });
  for (const record of out.split('\0')) {
    const nl = record.indexOf('\n');
    const id = (nl < 0 ? record : record.slice(0, nl)).trim();
    if (isObjectId(id)) result.set(id, nl < 0 ? '' : record.slice(nl + 1));
  }
  return result;
}

/** Commits (of all) that change the gate's files, by a path-limited walk from the tips. */
async function policyTouching(root: string, tips: readonly string[], logger: Logger): Promise<Set<string>> {
  const out = await git(
    ['log', '--full-history', '--no-renames', '--format=%H', '--stdin', '--', `${PRODUCT.policyDir}/`],
    { cwd: root, input: `${tips.join('\n')}\n`, logger },
  );
  return new Set(out.split('\n').filter(Boolean));
}

/** The object ids of policy.json and allowed_signers at each base: bases with the same pair share a policy. */
async function policyKeys(root: string, bases: readonly string[], logger: Logger): Promise<Map<string, string>> {
  const result = new Map<string, string>();
  if (bases.length === 0) return result;
  const lines = bases.flatMap(b => [`${b}:${POLICY_PATH}`, `${b}:${ROSTER_PATH}`]);
  const out = (await git(['cat-file', '--batch-check'], { cwd: root, input: `${lines.join('\n')}\n`, logger })).split(
    '\n',
  );
  bases.forEach((b, i) => {
    const oid = (line: string | undefined): string => (line && !line.endsWith(' missing') ? line.split(' ')[0]! : '-');
    result.set(b, `${oid(out[2 * i])} ${oid(out[2 * i + 1])}`);
  });
  return result;
}

/** Patch ids of whole ranges `from..head` (one diff-tree and one patch-id process for all). */
async function rangePatchIds(
  root: string,
  ranges: readonly { head: string; from: string }[],
  logger: Logger,
): Promise<Map<string, string>> {
  const result = new Map<string, string>();
  if (ranges.length === 0) return result;
  const { second: out } = await pipeGit(
    [
      '-c',
      'diff.relative=false',
      '-c',
      'core.bigFileThreshold=512m',
      'diff-tree',
      '--stdin',
      '-p',
      '--no-color',
      '--no-ext-diff',
      '--no-textconv',
      '--full-index',
      '--no-renames',
      '--diff-algorithm=myers',
      '--indent-heuristic',
      '-U3',
      '--inter-hunk-context=0',
      '--src-prefix=a/',
      '--dst-prefix=b/',
      '--ignore-submodules=none',
      '--submodule=short',
    ],
    [...PATCH_ID_ARGS],
    { cwd: root, input: ranges.map(r => `${r.head} ${r.from}\n`).join(''), logger },
  );
  for (const line of out.split('\n')) {
    const [patchId, head] = line.trim().split(' ');
    if (patchId && head && isObjectId(patchId) && isObjectId(head)) result.set(head, patchId);
  }
  return result;
}

/**
 * The commits among `singles` that change exactly the files some kept branch changes as a whole: the only ones
 * that can be its squash. One `git diff-tree --stdin` for both sides (names only, no content).
 */
async function squashCandidatesOf(
  root: string,
  singles: readonly string[],
  branches: readonly KeptBranch[],
  logger: Logger,
): Promise<Set<string>> {
  const expected = new Set([...singles, ...branches.map(b => b.head)]);
  const out = await git(['diff-tree', '--stdin', '-r', '--name-only', '--no-renames', '-z'], {
    cwd: root,
    input: [...branches.map(b => `${b.head} ${b.from}`), ...singles].join('\n') + '\n',
    logger,
  });
  const files = new Map<string, string[]>();
  let current: string[] | undefined;
  for (const token of out.split('\0')) {
    if (token === '') continue;
    if (expected.has(token) && !files.has(token)) {
      current = [];
      files.set(token, current);
    } else current?.push(token);
  }
  const key = (id: string): string | undefined => files.get(id)?.sort().join('\0');
  const wanted = new Set(branches.map(b => key(b.head)).filter((k): k is string => k !== undefined));
  return new Set(
    singles.filter(id => {
      const k = key(id);
      return k !== undefined && wanted.has(k);
    }),
  );
}

/** The merge base of the branch and each kept head (pooled git calls). */
async function forkPoints(
  root: string,
  tip: string,
  heads: readonly string[],
  logger: Logger,
): Promise<Map<string, string>> {
  const result = new Map<string, string>();
  await pooled(heads, 4, async head => {
    const r = await runGit(['merge-base', tip, head], { cwd: root, logger, okExitCodes: [0, 1] });
    const id = r.stdout.trim();
    if (r.exitCode === 0 && isObjectId(id)) result.set(head, id);
  });
  return result;
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
  const landings: Landing[] = landingsOf(tip, new Map(all.map(c => [c.id, c.parents] as const)))
    .map(l => ({ commit: byId.get(l.id)!, side: l.side.map(id => byId.get(id)!) }))
    .filter(
      l =>
        (options.since === undefined || l.commit.committerTime >= options.since) &&
        (options.until === undefined || l.commit.committerTime <= options.until),
    );

  const refs = await keptRefs(root, logger);
  const keptCommits = refs.length > 0 ? await logCommits(root, [...refs.map(r => r.id), `^${tip}`], logger) : [];
  const kept = new Map(keptCommits.map(c => [c.id, c] as const));
  const known = (id: string): LoggedCommit | undefined => byId.get(id) ?? kept.get(id);

  // Kept branches: heads not on the audited branch, their own commits, where they left it.
  const keptHeads = new Map<string, string[]>();
  for (const r of refs) if (kept.has(r.id)) keptHeads.set(r.id, [...(keptHeads.get(r.id) ?? []), r.ref]);
  const forks = await forkPoints(root, tip, [...keptHeads.keys()], logger);
  const branches: KeptBranch[] = [...keptHeads].flatMap(([head, names]) => {
    const from = forks.get(head);
    if (!from) return [];
    const commits: string[] = [];
    const seen = new Set<string>();
    const stack = [head];
    while (stack.length > 0) {
      const id = stack.pop()!;
      const c = kept.get(id);
      if (!c || seen.has(id)) continue;
      seen.add(id);
      commits.push(id);
      stack.push(...c.parents);
    }
    const order = new Map(keptCommits.map((c, i) => [c.id, i] as const));
    commits.sort((a, b) => order.get(a)! - order.get(b)!);
    return [{ refs: names.sort(), head, from, commits }];
  });

  // The sign-offs there are: in the branch's history and in the kept evidence.
  const pool = [...all, ...keptCommits]
    .filter(c => isSignoffCandidate(c.subject, c.trailers))
    .map(c => ({ c, parsed: interpretSignoff(c.subject, c.trailers) }));
  const poolIds = new Set(pool.map(s => s.c.id));

  const singles = landings.filter(l => l.commit.parents.length <= 1);
  const [bodies, touching, rangePatches] = await Promise.all([
    messages(
      root,
      singles.map(l => l.commit.id),
      logger,
    ),
    policyTouching(root, [tip, ...keptHeads.keys()], logger),
    rangePatchIds(root, branches, logger),
  ]);

  // Policies, one read per distinct (policy.json, allowed_signers) pair at the bases.
  const bases = [...new Set(landings.map(l => l.commit.parents[0]).filter((b): b is string => b !== undefined))];
  const keys = await policyKeys(root, bases, logger);
  const policies = new Map<string, BasePolicy | PolicyFileError>();
  for (const b of bases) {
    const key = keys.get(b)!;
    if (policies.has(key)) continue;
    try {
      policies.set(key, await readBasePolicy(root, b, b.slice(0, 12), logger));
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
  // A squash of a kept branch changes the same files: only such commits need a patch id to be matched.
  const [notes, squashCandidates] = await Promise.all([
    notesLineSource(root).lines(noteIds),
    branches.length > 0
      ? squashCandidatesOf(
          root,
          singles.map(l => l.commit.id),
          branches,
          logger,
        )
      : new Set<string>(),
  ]);
  const candidatePatches = await patchIds(root, [...squashCandidates], logger);

  const bodyClaimed = new Set(
    singles.filter(l => bodyClaimsAi(bodies.get(l.commit.id) ?? '', l.commit.trailers)).map(l => l.commit.id),
  );
  const judge = (commits: readonly LoggedCommit[], onEveryCommit: boolean): Judged['evidence'] =>
    commits
      .filter(c => !emptySignoff(c)) // an empty sign-off is evidence, not a change
      .map(c => commitEvidence(c, touching, notes))
      .filter(x => isReviewed(x, onEveryCommit) || poolIds.has(x.c.id) || bodyClaimed.has(x.c.id));
  const extraOf = (x: CommitEvidence): { signoffWithChanges?: boolean; bodyClaims?: boolean } => ({
    ...(poolIds.has(x.c.id) ? { signoffWithChanges: true } : {}),
    ...(bodyClaimed.has(x.c.id) ? { bodyClaims: true } : {}),
  });

  // Each change's reviews to make: its own commits, and for a single commit the kept branches whose change it is.
  const branchesByPatch = new Map<string, KeptBranch[]>();
  for (const b of branches) {
    const p = rangePatches.get(b.head);
    if (p) branchesByPatch.set(p, [...(branchesByPatch.get(p) ?? []), b]);
  }
  interface Plan {
    landing: Landing;
    policy: BasePolicy | PolicyFileError | undefined;
    own: Judged;
    ranges: { branch: KeptBranch; judged: Judged }[];
  }
  const plans: Plan[] = [];
  for (const l of landings) {
    const policy = policyOf(l);
    const onEvery =
      policy instanceof PolicyFileError || policy === undefined ? false : policy.policy.trailers.onEveryCommit;
    const merge = l.commit.parents.length > 1;
    if (!merge && emptySignoff(l.commit)) continue; // an empty sign-off
    const ownCommits = merge ? l.side : [l.commit];
    const evidence = judge(ownCommits, onEvery);
    if (merge) {
      // The merge commit itself counts when it says an AI took part (an agent resolved its conflicts).
      const m = commitEvidence(l.commit, new Set(), notes);
      if (hasAiLineEvidence(m)) evidence.push(m);
    }
    const own: Judged = {
      evidence,
      extra: new Map(evidence.map(x => [x.c.id, extraOf(x)] as const)),
      span: merge && l.commit.parents[0] ? { base: l.commit.parents[0], head: l.commit.id } : undefined,
    };
    const p = merge ? undefined : candidatePatches.ids.get(l.commit.id);
    const matched = p ? (branchesByPatch.get(p) ?? []) : [];
    const ranges = matched.map(b => {
      const ev = judge(
        b.commits.map(id => kept.get(id)!),
        onEvery,
      );
      return {
        branch: b,
        judged: {
          evidence: ev,
          extra: new Map(ev.map(x => [x.c.id, extraOf(x)] as const)),
          span: { base: b.from, head: b.head },
        },
      };
    });
    plans.push({ landing: l, policy, own, ranges });
  }

  // Patch ids of every commit judged (and of the squash candidates, computed above).
  const judgedAll = [
    ...new Set(plans.flatMap(p => [p.own, ...p.ranges.map(r => r.judged)]).flatMap(j => j.evidence.map(x => x.c.id))),
  ];
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
    return [...ids];
  };
  const wanted = new Map<BasePolicy, Set<string>>();
  for (const plan of plans) {
    if (!plan.policy || plan.policy instanceof PolicyFileError) continue;
    const set = wanted.get(plan.policy) ?? new Set<string>();
    for (const j of [plan.own, ...plan.ranges.map(r => r.judged)]) for (const id of relevant(j)) set.add(id);
    wanted.set(plan.policy, set);
  }
  const signatures = new Map<BasePolicy, Map<string, SignatureCheck>>();
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
          concurrency:
            options.concurrency ?? Math.max(2, Math.min(16, os.availableParallelism?.() ?? os.cpus().length)),
          logger,
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
      (p.policy.policy.signoff.ignore.length > 0 || p.policy.policy.signoff.highRisk.length > 0),
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
          )
        : undefined;
    const loaded = { patches, paths, landing };
    const commits: CommitFacts[] = judged.evidence.map(x => commitFacts(x, loaded, judged.extra.get(x.c.id)));
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
    return computeReview({
      policy: policy.policy,
      roster: policy.roster,
      graph: new Map(),
      commits,
      signoffs,
      formerCommits: former,
      signoffsAnywhere: true,
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
      kind: l.commit.parents.length > 1 ? ('merge' as const) : ('commit' as const),
      ...(base ? { base } : {}),
      size: l.commit.parents.length > 1 ? l.side.length : 1,
      diff: stats.get(l.commit.id) ?? { added: 0, removed: 0, folders: {} },
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
    const outcome =
      common.kind === 'merge' ? { ...reviewOutcome(own), via: 'own' as const } : squashOutcome(own, ranges);
    changes.push({
      ...common,
      via: outcome.via === 'ranges' ? 'kept-branch' : 'history',
      kept: outcome.via === 'ranges' ? plan.ranges.map(r => r.branch) : [],
      reviews: outcome.via === 'ranges' ? ranges : [own],
      status: outcome.status,
      exceptions: outcome.exceptions,
    });
  }

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

/** `git log --numstat` of the commits (first-parent diff for merges), one git call; binary files count no lines. */
export async function diffStats(root: string, ids: readonly string[], logger: Logger): Promise<Map<string, DiffStat>> {
  const result = new Map<string, DiffStat>();
  if (ids.length === 0) return result;
  const out = await git(
    [
      'log',
      '--stdin',
      '--no-walk=unsorted',
      '--no-show-signature',
      '--numstat',
      '-z',
      '--no-renames',
      '--diff-merges=first-parent',
      '--format=%x00%H',
    ],
    { cwd: root, input: `${ids.join('\n')}\n`, logger },
  );
  const tokens = out.split('\0');
  let current: DiffStat | undefined;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token === '' && i + 1 < tokens.length && isObjectId(tokens[i + 1]!)) {
      current = { added: 0, removed: 0, folders: {} };
      result.set(tokens[i + 1]!, current);
      i++;
      continue;
    }
    const m = /^\n?(\d+|-)\t(\d+|-)\t(.+)$/s.exec(token);
    if (!m || !current) continue;
    const added = m[1] === '-' ? 0 : Number(m[1]);
    current.added += added;
    current.removed += m[2] === '-' ? 0 : Number(m[2]);
    const folder = topFolder(m[3]!);
    current.folders[folder] = (current.folders[folder] ?? 0) + added;
  }
  return result;
}

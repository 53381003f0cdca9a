import { isDone, isSigner, type CommitReview, type Person, type ReviewReport } from './review';
import { AI_ATTRIBUTION, ASSISTED_BY, FAILED_ATTRIBUTION, parseAiAttribution } from '../formats/trailers';
import type { Trailer } from '../formats/signoff-message';

/**
 * The audit of a branch's history (docs/audit.md): which changes reached it, and whether each AI-assisted one had
 * a senior's sign-off. Pure: the git layer (src/io/review/audit.ts) gathers the facts.
 */

/**
 * The changes that reached a branch: each commit of its first-parent chain, oldest first, with the commits it
 * brought in through its other parents (a merge's side: the pull request's commits). A side commit belongs to the
 * first merge that brought it, so each commit is counted once.
 */
export function landingsOf(
  tip: string,
  parentsOf: ReadonlyMap<string, readonly string[]>,
): { id: string; side: string[] }[] {
  const chain: string[] = [];
  const onChain = new Set<string>();
  for (let at: string | undefined = tip; at !== undefined && parentsOf.has(at) && !onChain.has(at);) {
    chain.push(at);
    onChain.add(at);
    at = parentsOf.get(at)![0];
  }
  chain.reverse();
  const taken = new Set<string>();
  return chain.map(id => {
    const side: string[] = [];
    const stack = [...parentsOf.get(id)!.slice(1)];
    while (stack.length > 0) {
      const c = stack.pop()!;
      if (onChain.has(c) || taken.has(c) || !parentsOf.has(c)) continue;
      taken.add(c);
      side.push(c);
      stack.push(...parentsOf.get(c)!);
    }
    return { id, side: side.reverse() };
  });
}

/** Every id reachable from `starts` by `next` (the starts included), each visited once. */
export function reachable(starts: readonly string[], next: (id: string) => readonly string[] | undefined): Set<string> {
  const seen = new Set<string>();
  const stack = [...starts];
  while (stack.length > 0) {
    const id = stack.pop()!;
    const onward = next(id);
    if (seen.has(id) || onward === undefined) continue;
    seen.add(id);
    stack.push(...onward);
  }
  return seen;
}

/** How far apart two machines' clocks may be before a committer time counts as out of order: one day. */
export const CLOCK_SKEW_SECONDS = 86_400;

/**
 * Positions (in a first-parent history, oldest first) whose committer time contradicts the order: earlier than a
 * change that landed before it, or later than one that landed after it, by more than the clock skew. Such a time
 * says nothing about when the change landed, so a period cannot leave it out.
 */
export function timesOutOfOrder(times: readonly number[]): Set<number> {
  const out = new Set<number>();
  const minAfter: number[] = new Array<number>(times.length);
  let min = Infinity;
  for (let i = times.length - 1; i >= 0; i--) {
    minAfter[i] = min;
    min = Math.min(min, times[i]!);
  }
  let max = -Infinity;
  times.forEach((t, i) => {
    if (t < max - CLOCK_SKEW_SECONDS || t > minAfter[i]! + CLOCK_SKEW_SECONDS) out.add(i);
    max = Math.max(max, t);
  });
  return out;
}

/** An `AI-Attribution` or `Assisted-by` value that says an AI took part. */
function claimsAi(key: string, value: string): boolean {
  if (key.toLowerCase() === ASSISTED_BY.toLowerCase()) return value.trim() !== '';
  if (value.trim() === FAILED_ATTRIBUTION) return true;
  try {
    const a = parseAiAttribution(value);
    return a.ai + a.mixed + (a.deleted ?? 0) + (a.skipped ?? 0) > 0;
  } catch {
    return true; // a damaged record must not read as none
  }
}

/**
 * Whether a commit message holds lines that say an AI took part outside its trailer block (`trailers`, as git parsed
 * them): `AI-Attribution` with AI lines, `Assisted-by`, or a `Co-authored-by` that `isAgent` takes for an AI agent.
 * That is what a squash merge does to the branch's trailers (GitHub lists the squashed messages in the body). A line
 * may be indented or bulleted.
 */
export function bodyClaimsAi(
  message: string,
  trailers: readonly Trailer[],
  isAgent: (coAuthor: string) => boolean = () => false,
): boolean {
  const inBlock = new Map<string, number>();
  const keyOf = (k: string, v: string): string => `${k.toLowerCase()}\0${v.trim()}`;
  for (const t of trailers) inBlock.set(keyOf(t.key, t.value), (inBlock.get(keyOf(t.key, t.value)) ?? 0) + 1);
  const pattern = new RegExp(`^\\s*(?:[*-]\\s+)?(${AI_ATTRIBUTION}|${ASSISTED_BY}|Co-authored-by)\\s*:(.*)$`, 'i');
  for (const line of message.split('\n')) {
    const m = pattern.exec(line);
    if (!m) continue;
    const k = keyOf(m[1]!, m[2]!);
    const left = inBlock.get(k) ?? 0;
    if (left > 0) {
      inBlock.set(k, left - 1);
      continue;
    }
    if (m[1]!.toLowerCase() === 'co-authored-by' ? isAgent(m[2]!.trim()) : claimsAi(m[1]!, m[2]!)) return true;
  }
  return false;
}

/** Why a change that reached the branch is an exception to the rule. */
export type AuditExceptionCode =
  /** AI-assisted, needed a senior's sign-off, and none was found (in the history or the kept evidence). */
  | 'no-signoff'
  /** A sign-off claims it but does not verify (unsigned, bad signature, malformed, by its author ...). */
  | 'unverified'
  /** The sign-off's key is not the senior's in the roster of that time. */
  | 'not-senior'
  /** Signed off, but the code that reached the branch is not the code that was signed. */
  | 'stale'
  /** The policy asks every commit for a trailer and it has none: made without the provenance hooks. */
  | 'no-provenance'
  /** The base had no roster, so nobody could sign off. */
  | 'no-roster'
  /** Signed off, but only after it reached the branch: it landed unreviewed. */
  | 'late-signoff'
  /** Its message says an AI took part, but the kept branch that matches its code shows no signed-off AI commit. */
  | 'evidence-mismatch'
  /** The policy or roster at its base does not read. */
  | 'bad-policy';

export interface AuditException {
  readonly code: AuditExceptionCode;
  /** The commit the exception is about (a commit of the change), when it is about one. */
  readonly commit?: string;
}

/** `human`: no sign of AI; `not-needed`: AI lines the policy does not ask a sign-off for. */
export type ChangeStatus = 'human' | 'not-needed' | 'signed-off' | 'exception';

function exceptionOf(c: CommitReview): AuditExceptionCode {
  if (c.blocker === 'no-roster') return 'no-roster';
  if (c.state === 'unverified')
    return c.claims.some(cl => cl.defects.includes('unknown-signer')) ? 'not-senior' : 'unverified';
  if (c.state === 'stale') return 'stale';
  if (c.needReason?.code === 'unattested' && c.needReason.why === 'no-trailer') return 'no-provenance';
  return 'no-signoff';
}

/**
 * The commit that first lists the seniors (its base has no roster, and every other change of the roster in the
 * history descends from it) and shows no sign of AI: the rule starts there, nobody could have signed it, and it is
 * not an exception. A roster added again after one was removed, or added on a side branch next to another, is not.
 */
export function setsUpGate(c: CommitReview): boolean {
  return (
    c.commit.gateSetup === true && c.blocker === 'no-roster' && c.needReason?.code === 'policy-change' && !showsAi(c)
  );
}

/** Whether a commit review shows any sign that an AI took part. */
export function showsAi(c: CommitReview): boolean {
  const a = c.commit.attribution;
  return (
    (c.aiLines ?? 0) > 0 ||
    a.kind === 'failed' ||
    a.kind === 'malformed' ||
    (a.kind === 'valid' && (a.attribution.skipped ?? 0) > 0) ||
    c.commit.assistedBy.length > 0 ||
    (c.commit.agentCoAuthors?.length ?? 0) > 0 ||
    c.commit.bodyClaims === true
  );
}

/** The status and exceptions of one review. */
export function reviewOutcome(report: ReviewReport): { status: ChangeStatus; exceptions: AuditException[] } {
  const exceptions = report.commits
    .filter(c => c.needsSignoff && !isDone(c.state) && !setsUpGate(c))
    .map(c => ({ code: exceptionOf(c), commit: c.commit.id }));
  const status: ChangeStatus =
    exceptions.length > 0
      ? 'exception'
      : report.commits.some(c => c.needsSignoff && isDone(c.state))
        ? 'signed-off'
        : report.commits.some(showsAi)
          ? 'not-needed'
          : 'human';
  return { status, exceptions };
}

function combined(statuses: readonly ChangeStatus[]): ChangeStatus {
  return statuses.includes('signed-off') ? 'signed-off' : statuses.includes('not-needed') ? 'not-needed' : 'human';
}

/**
 * A non-merge commit that reached the branch, judged on its own record (`own`: its trailers, and sign-offs from
 * anywhere that list its patch id) and, for a squash, on the branches whose whole change it is: `signed`, the
 * branches a senior's verified sign-off recorded (`AI-Signoff-Range`), and `kept`, other kept branches (pull request
 * heads). Fail closed:
 * - any matching branch that fails makes it an exception;
 * - its own record passing decides;
 * - when its own record shows AI, only a signed branch clears it: a kept branch's commits are only claims, and
 *   a crafted one could carry the squash's code as "human" commits; when every commit a kept branch has is signed
 *   but no sign-off recorded that whole change, code came after the last sign-off (`stale`);
 * - when it fails without showing AI (no trailer where the policy asks for one: the forge made the squash), a
 *   matching branch that passes is its record.
 */
export function squashOutcome(
  own: ReviewReport,
  signed: readonly ReviewReport[],
  kept: readonly ReviewReport[],
): { status: ChangeStatus; exceptions: AuditException[]; via: 'own' | 'ranges' } {
  const mine = reviewOutcome(own);
  const ranges = [...signed, ...kept];
  if (ranges.length === 0) return { ...mine, via: 'own' };
  const outcomes = ranges.map(reviewOutcome);
  const failing = outcomes.filter(o => o.status === 'exception');
  if (failing.length > 0) return { status: 'exception', exceptions: failing.flatMap(o => o.exceptions), via: 'ranges' };
  if (mine.status !== 'exception') {
    if (mine.status !== 'human' || outcomes.every(o => o.status === 'human')) return { ...mine, via: 'own' };
    return { status: combined(outcomes.map(o => o.status)), exceptions: [], via: 'ranges' };
  }
  const commit = own.commits[0]?.commit.id;
  const at = commit ? { commit } : {};
  if (!own.commits.some(showsAi))
    return { status: combined(outcomes.map(o => o.status)), exceptions: [], via: 'ranges' };
  const signedAiIn = (r: ReviewReport): boolean =>
    r.commits.some(c => c.needsSignoff && c.state === 'signed-off' && showsAi(c));
  if (signed.some(signedAiIn)) return { status: 'signed-off', exceptions: [], via: 'ranges' };
  const signedAi = ranges.some(signedAiIn);
  return {
    status: 'exception',
    exceptions: [{ code: signedAi ? 'stale' : 'evidence-mismatch', ...at }],
    via: 'ranges',
  };
}

/** A kept branch (a sign-off or a pull request head under refs/ai-provenance/) whose whole change matched a commit. */
export interface KeptBranch {
  /** The refs that point at its head. */
  refs: string[];
  head: string;
  /** Where it left the audited branch (their merge base). */
  from: string;
  /** Its commits that are not on the audited branch, oldest first. */
  commits: string[];
}

export interface AuditedChange {
  /** The commit of the branch's first-parent history that brought the change. */
  id: string;
  subject: string;
  author: Person;
  /** Committer time of that commit: when the change reached the branch. */
  landedAt: number;
  /** Its committer's address: not the author's when a forge or another person made it (a squash, a rebase). */
  committerEmail: string;
  /** `merge`: a merge commit and the commits it brought; `commit`: one commit (fast-forward, rebase, squash, push). */
  kind: 'merge' | 'commit';
  /** Its first parent: the base whose policy and roster judged it; undefined for a root commit. */
  base?: string;
  /** The commits of the change judged by the review (the merge's side, or the commit itself). */
  size: number;
  /** What the change did to the branch: its first-parent diff. */
  diff: DiffStat;
  /** Its committer time contradicts the history's order (see timesOutOfOrder): it is in every period. */
  timeOutOfOrder?: boolean;
  /** `history`: judged on the branch's own commits; `kept-branch`: a squash judged on the kept branch it matches. */
  via: 'history' | 'kept-branch';
  kept: KeptBranch[];
  /** The reviews that decided: its own, or those of the kept branches it matched. */
  reviews: ReviewReport[];
  status: ChangeStatus;
  exceptions: AuditException[];
  /** The policy or roster at its base did not read (then status is exception, code bad-policy). */
  policyProblem?: string;
}

export interface AuditReport {
  root: string;
  branch: { rev: string; id: string };
  since?: number;
  until?: number;
  /** Refs under refs/ai-provenance/ the audit could use. */
  keptRefs: number;
  /** Every change that reached the branch in the period, oldest first (sign-off commits are evidence, not changes). */
  changes: AuditedChange[];
  /** Committer time of every sign-off commit a review used (seconds). */
  signoffTimes: Record<string, number>;
}

/** Lines added and removed by each change (first-parent diff), in total and per top-level folder. */
export interface DiffStat {
  added: number;
  removed: number;
  /** Top-level folder (`(root)` for files at the top) -> lines added there. */
  folders: Record<string, number>;
}

/** The top-level folder of a repository path, `(root)` for a file at the top. */
export function topFolder(file: string): string {
  const slash = file.indexOf('/');
  return slash < 0 ? '(root)' : file.slice(0, slash);
}

/** How much later than the change's landing a sign-off may be dated and still count as before it: one hour of clocks. */
export const LATE_SIGNOFF_SECONDS = 3_600;

/**
 * Marks signed-off commits whose counting sign-offs were all made after the change reached the branch: the rule asks
 * for the sign-off before the change lands. A sign-off in the branch's own history came with it (a merge brings its
 * branch's sign-offs; a fast-forward's landing time is not recorded anywhere); one found only in the kept evidence is
 * late when its committer time (`signedAt`, seconds) is after the change's landing, with an hour for clocks.
 */
export function lateSignoffs(
  change: AuditedChange,
  signedAt: (signoff: string) => number | undefined,
  inHistory: (signoff: string) => boolean,
): void {
  if (change.status !== 'signed-off') return;
  const late: AuditException[] = [];
  for (const c of change.reviews.flatMap(r => r.commits)) {
    if (!c.needsSignoff || c.state !== 'signed-off') continue;
    const signers = c.claims
      .filter(cl => cl.verdict === undefined && cl.defects.length === 0 && cl.match === 'patch' && cl.signer)
      .filter(
        cl => inHistory(cl.signoff) || (signedAt(cl.signoff) ?? Infinity) <= change.landedAt + LATE_SIGNOFF_SECONDS,
      )
      .map(cl => cl.signer!);
    const inTime = new Set(signers.map(s => s.email.toLowerCase()));
    // Under enforced ownership, every owned path needed an owner among the signers in time.
    const unowned =
      c.routing?.enforced === true && c.routing.paths.some(p => !signers.some(s => p.owners.some(o => isSigner(s, o))));
    if (inTime.size < c.requiredSigners || unowned) late.push({ code: 'late-signoff', commit: c.commit.id });
  }
  if (late.length === 0) return;
  change.status = 'exception';
  change.exceptions = [...change.exceptions, ...late];
}

/**
 * Below `minAiLines`, `check` sums a branch's AI lines. A history of fast-forwards (or pushes) does not say where one
 * branch ended, so consecutive single commits by the same author who also committed them, judged on their own record,
 * count as one branch (fail closed): when their AI lines below the threshold reach it together, those not signed off
 * are exceptions.
 */
export function linearThreshold(
  changes: readonly AuditedChange[],
  minAiLines: (change: AuditedChange) => number | undefined,
): void {
  let run: AuditedChange[] = [];
  const close = (): void => {
    const below = run.flatMap(ch =>
      ch.reviews.flatMap(r => r.commits.filter(c => c.notNeeded === 'below-threshold').map(c => ({ ch, c }))),
    );
    const total = below.reduce((n, x) => n + (x.c.aiLines ?? 0), 0);
    const threshold = Math.min(...run.map(ch => minAiLines(ch) ?? Infinity));
    if (below.length > 0 && total >= threshold) {
      for (const { ch, c } of below) {
        if (c.signers.length > 0) continue;
        ch.status = 'exception';
        ch.exceptions = [...ch.exceptions, { code: 'no-signoff', commit: c.commit.id }];
      }
    }
    run = [];
  };
  for (const ch of changes) {
    // A squash or rebase made by a forge (committer not the author), or one a kept branch matched, ends a branch.
    const single =
      ch.kind === 'commit' &&
      ch.via === 'history' &&
      ch.kept.length === 0 &&
      ch.committerEmail.toLowerCase() === ch.author.email.toLowerCase();
    const same = run.length > 0 && run[0]!.author.email.toLowerCase() === ch.author.email.toLowerCase();
    if (!single || !same) close();
    if (single) run.push(ch);
  }
  close();
}

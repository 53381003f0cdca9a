import { ownersOf, type OwnersFile, type OwnersSource } from './owners';
import { policyMatchers, type Policy } from './policy';
import { reviewNeed, type NeedReason, type NotNeededReason } from './profile';
import { matchPrincipal, type Roster } from './roster';
import type { ParsedSignoff, Person } from '../formats/signoff-message';
import type { Attribution } from '../formats/trailers';

/**
 * The review state of a branch (docs/review.md), computed from facts the git layer gathered: the commits of
 * base..head, the sign-off commits among them with the result of verifying their signatures, the base's policy and
 * roster, and the review requests recorded locally. Pure: the same facts always give the same report.
 *
 * Whether a commit needs sign-off, and whether it is high-risk, is the review profile's decision (profile.ts). It is signed off when sign-off commits that descend from it list its current patch id, verify, are
 * not by its author (unless allowed), and come from enough distinct signers (highRiskSigners for a high-risk
 * commit, else one). Otherwise its state is, in this order:
 * - `unverified`: a sign-off claims it (by patch id, or by commit id with another patch) but does not count: not
 *   signed, signature bad, signer not in the roster, malformed, not empty, or signed by the commit's own author;
 * - `stale`: a valid sign-off reviewed it (same commit id, or its rebased twin) but the patch has changed since;
 * - `changes-requested` (since 0.2, decided right after `signed-off` and `self-signed`): a verified request for
 *   changes lists its current patch id (a record like a sign-off that never counts as one; a request for changes
 *   withdraws its author's earlier sign-off of the same patch);
 * - `requested`: a review request names it (by commit id or patch id);
 * - `pending`: nothing of the above.
 * A commit is `self-signed` instead of signed off when the policy allows senior-signed commits
 * (`signoff.seniorSignedCommits`) and it counts as reviewed only thanks to its own SSH signature: verified with the
 * base's roster for its author's address, so its author is a senior (docs/review.md).
 *
 * With `.ai-provenance/reviewers` at the base (ownership, owners.ts), a commit is signed off only when every path it
 * touches that has owners is owned by one of the seniors whose sign-off counts; a sign-off by a senior who owns none
 * of them does not count (`not-owner`) until the owners are covered.
 */

export const REVIEW_STATES = [
  'pending',
  'requested',
  'signed-off',
  'self-signed',
  'stale',
  'unverified',
  'changes-requested',
] as const;
export type ReviewState = (typeof REVIEW_STATES)[number];

/** The states in which a commit needs nothing more: signed off, or signed by its author, a senior (policy). */
export const DONE_STATES: readonly ReviewState[] = ['signed-off', 'self-signed'];

/** Whether a commit in `state` needs nothing more (signed off, or self-signed where the policy allows it). */
export function isDone(state: ReviewState | undefined): boolean {
  return state !== undefined && DONE_STATES.includes(state);
}

export type { Person } from '../formats/signoff-message';

/** What a commit's AI-Attribution trailer says. */
export type AttributionFact =
  | { readonly kind: 'none' }
  | { readonly kind: 'valid'; readonly attribution: Attribution }
  /** The commit hook failed (`AI-Attribution: v1 failed`): nothing is known about its lines. */
  | { readonly kind: 'failed' }
  /** Unparseable, or more than one AI-Attribution trailer: counts as AI (a damaged trailer must not read as none). */
  | { readonly kind: 'malformed'; readonly reason: string };

/** AI lines of one file of one commit, from a source that knows them (git notes); ranges are 1-based, inclusive. */
export interface AiPathLines {
  readonly path: string;
  /** ai + mixed lines of this file in this commit. */
  readonly aiLines: number;
  readonly ranges?: readonly {
    readonly start: number;
    readonly end: number;
    readonly tool?: string;
    readonly kind?: string;
    readonly model?: string;
  }[];
  /** Lines an AI removed from this file, numbered as the parent had it (the note's `removed`). */
  readonly removed?: readonly {
    readonly start: number;
    readonly end: number;
    readonly tool: string;
    readonly kind: string;
    readonly model?: string;
  }[];
}

/** How many lines an AI removed from a file, by its note's ranges. */
export function removedLineCount(file: AiPathLines): number {
  return (file.removed ?? []).reduce((n, r) => n + r.end - r.start + 1, 0);
}

/**
 * Where per-file AI line ranges come from for display (the git notes on refs/notes/ai-provenance). Never used to
 * decide whether a commit needs sign-off: that is the review profile's (profile.ts), from what travels with the
 * commit.
 */
export interface AiLineSource {
  readonly name: string;
  /** Per-file AI lines of the commits it knows; commits it does not know are absent from the map. */
  lines(commitIds: readonly string[]): Promise<ReadonlyMap<string, readonly AiPathLines[]>>;
}

export interface CommitFacts {
  readonly id: string;
  readonly parents: readonly string[];
  readonly subject: string;
  readonly author: Person;
  /** Author time, seconds since the epoch (kept by rebase and amend: identifies a rebased twin). */
  readonly authorTime: number;
  readonly attribution: AttributionFact;
  /** `Assisted-by` values. */
  readonly assistedBy: readonly string[];
  /** `git patch-id --verbatim` of the commit's diff (first-parent diff for a merge); undefined when the diff is empty. */
  readonly patchId?: string | undefined;
  /**
   * `git patch-id --stable` of the diff, loaded only when a sign-off lists this very commit (by its id) with a patch
   * id that is not its verbatim one: a sign-off made before 0.2. The commit id pins the content, so it still counts.
   */
  readonly legacyPatchId?: string | undefined;
  /** The diff holds NUL bytes, which git patch-id does not hash: a patch id cannot pin the change. */
  readonly patchHasNul?: boolean;
  /**
   * Files at the head of the branch that hold lines this commit brought, found by `git blame -C` (moves and copies
   * followed); loaded only for commits with AI evidence when the policy has path rules.
   */
  readonly landingPaths?: readonly string[] | undefined;
  /** Files the commit touches (first parent); undefined when not loaded. */
  readonly paths?: readonly string[];
  /** Per-file AI line ranges from the notes, for display only (never for decisions); undefined when unknown. */
  readonly aiPaths?: readonly AiPathLines[];
  /** The commit changes the gate's own files (`.ai-provenance/`): it needs a senior like AI code does. */
  readonly touchesPolicy?: boolean;
  /** ai + mixed lines its line-level note records; undefined when it has no readable note. */
  readonly noteAiLines?: number;
  /** Lines an AI removed that its note records (`removed`); undefined when it has no readable note. */
  readonly noteRemovedLines?: number;
  /** `Co-authored-by` values that name an AI agent (the agent table's identities). */
  readonly agentCoAuthors?: readonly string[];
  /** Its subject says sign-off but it changes files: the commit hook skipped it, so nothing attributed them. */
  readonly signoffWithChanges?: boolean;
  /** Its message body holds AI trailers outside the trailer block: the branch's trailers kept in a squash message. */
  readonly bodyClaims?: boolean;
  /**
   * The audit found it to be the commit that first listed the seniors: every other change of the roster in the
   * history descends from it. Only such a commit, with no roster at its base and no sign of AI, starts the rule.
   */
  readonly gateSetup?: boolean;
  /**
   * The commit's own SSH signature, verified with the base's roster for the principal that is its author's address;
   * loaded only when the policy allows senior-signed commits and the roster lists the author.
   */
  readonly authorSignature?: SignatureCheck;
}

/** The result of checking a sign-off commit's signature against the base's roster. */
export type SignatureCheck =
  | {
      readonly status: 'verified';
      readonly principal: string;
      readonly fingerprint?: string;
      /** Every principal the roster lists for the signing key: the signer is each of them (self sign-off check). */
      readonly keyPrincipals?: readonly string[];
    }
  /** requireSignature is false: the reviewer only has to be in the roster. */
  | { readonly status: 'not-required' }
  | { readonly status: 'unsigned' }
  | { readonly status: 'not-ssh' }
  | { readonly status: 'bad-signature'; readonly detail?: string }
  | { readonly status: 'unknown-signer'; readonly detail?: string; readonly fingerprint?: string }
  | { readonly status: 'unreadable'; readonly detail: string }
  | { readonly status: 'no-roster' }
  /** Not checked because the message is not a well-formed sign-off. */
  | { readonly status: 'not-checked' };

export interface SignoffFacts {
  readonly id: string;
  readonly parents: readonly string[];
  readonly subject: string;
  readonly parsed: ParsedSignoff;
  /** The commit changes no file (a sign-off must be an empty commit). */
  readonly empty: boolean;
  readonly signature: SignatureCheck;
}

/** A commit a sign-off lists that is not in base..head but is known locally: enough to recognise its rebased twin. */
export interface FormerCommit {
  readonly id: string;
  readonly author: Person;
  readonly authorTime: number;
}

export interface ReviewRequest {
  /** ISO 8601. */
  readonly at: string;
  readonly by?: string;
  readonly to: readonly string[];
  readonly base?: string;
  readonly head?: string;
  readonly commits: readonly { readonly id: string; readonly patchId?: string }[];
  /** Since 0.2: the branch asked about, and the ref under refs/ai-provenance/requests/ that carries it in git. */
  readonly branch?: string;
  readonly ref?: string;
}

export interface ReviewInput {
  readonly policy: Policy;
  /** The base's roster; undefined when the base has no allowed_signers (nothing can be signed off). */
  readonly roster: Roster | undefined;
  /** Every commit of base..head: id -> parents. Ancestry ("a sign-off later on the branch") is decided on it. */
  readonly graph: ReadonlyMap<string, readonly string[]>;
  /** The commits of base..head that carry an AI-Attribution trailer (or per-file AI data), oldest first. */
  readonly commits: readonly CommitFacts[];
  readonly signoffs: readonly SignoffFacts[];
  readonly formerCommits?: readonly FormerCommit[];
  readonly requests?: readonly ReviewRequest[];
  /**
   * Sign-offs count wherever they are, by the patch id they list, not only when they descend from the commit: the
   * audit of a branch after the merge (squash and rebase merges make new commits, and the signed sign-offs are kept
   * beside the branch, not in it). The patch id still binds the sign-off to the exact change.
   */
  readonly signoffsAnywhere?: boolean;
  /**
   * Who owns which paths, read from the base: `.ai-provenance/reviewers` (enforced) or the repository's CODEOWNERS
   * (advisory). Undefined: no ownership. Needs the commits' `paths`.
   */
  readonly ownership?: OwnersFile;
}

/** Why a sign-off does not count (for a commit, or at all). */
export type SignoffDefect =
  | 'unsigned'
  | 'not-ssh'
  | 'bad-signature'
  | 'unknown-signer'
  | 'unreadable'
  | 'no-roster'
  | 'malformed'
  | 'not-empty'
  | 'merge'
  | 'self-signoff'
  /** `.ai-provenance/reviewers` names owners for the commit's paths, and the signer is none of them. */
  | 'not-owner';

export interface Signer {
  readonly email: string;
  readonly name?: string;
  readonly fingerprint?: string;
  /** Every principal the roster lists for the signer's key. */
  readonly principals?: readonly string[];
}

export interface SignoffReview {
  readonly facts: SignoffFacts;
  /** Defects of the sign-off itself (not per commit); empty when it counts. */
  readonly defects: readonly SignoffDefect[];
  readonly signer?: Signer;
  /** Commits of the range it lists (by patch id or as stale). */
  readonly covers: readonly string[];
}

/** Who may sign a commit, by the ownership of its paths. */
export interface CommitRouting {
  readonly source: OwnersSource;
  /** The ownership file at the base. */
  readonly file: string;
  /** True for `.ai-provenance/reviewers`: only owners' sign-offs count. CODEOWNERS is advisory. */
  readonly enforced: boolean;
  /** The commit's AI-touched paths that have owners in the roster, each with its owners. */
  readonly paths: readonly { readonly path: string; readonly owners: readonly string[] }[];
  /** The owners of those paths, once each; empty when none of its paths has an owner (any senior may sign). */
  readonly seniors: readonly string[];
  /** Enforced only: owned paths that no senior whose sign-off counts owns yet. */
  readonly uncovered: readonly string[];
}

/** One sign-off's relation to one commit. */
export interface Claim {
  readonly signoff: string;
  /** `patch`: it lists the commit's current patch id. `stale`: it lists the commit (or its twin) with another patch. */
  readonly match: 'patch' | 'stale';
  /** Empty when the claim counts. */
  readonly defects: readonly SignoffDefect[];
  readonly signer?: Signer;
  /** For a stale claim: the patch id the sign-off listed. */
  readonly listedPatchId?: string;
  /** The record is a senior's request for changes (since 0.2), not a sign-off: it never counts as one. */
  readonly verdict?: 'changes-requested';
}

export interface CommitReview {
  readonly commit: CommitFacts;
  readonly needsSignoff: boolean;
  /** When no sign-off is needed: why not. */
  readonly notNeeded?: NotNeededReason;
  /** ai + mixed lines the review profile counted; undefined when the trailer is malformed. */
  readonly aiLines?: number;
  /** Why it needs sign-off when that is not (only) its AI lines: it changes the gate's files, or is unattested. */
  readonly needReason?: NeedReason;
  readonly highRisk: boolean;
  readonly highRiskPaths: readonly string[];
  /** Files the commit did not touch where its lines are now, when the path rules counted them (moved AI code). */
  readonly landedIn?: readonly string[];
  readonly requiredSigners: number;
  /** Defined when needsSignoff. */
  readonly state?: ReviewState;
  /** Distinct signers whose sign-off counts for this commit. */
  readonly signers: readonly Signer[];
  readonly claims: readonly Claim[];
  /** The newest review request that names it. */
  readonly request?: ReviewRequest;
  /** Something that keeps it from ever being signed off as it is. */
  readonly blocker?: 'no-roster' | 'patch-has-nul';
  /** Who may sign it, when the base has ownership (`.ai-provenance/reviewers` or CODEOWNERS); set when it needs sign-off. */
  readonly routing?: CommitRouting;
  /** Its author, a senior, signed the commit itself and the policy allows that (`signoff.seniorSignedCommits`). */
  readonly selfSigned?: Signer;
}

export type ReviewNote =
  | { readonly code: 'no-roster' }
  | { readonly code: 'empty-roster' }
  | { readonly code: 'signers-exceed-roster'; readonly required: number; readonly available: number };

export interface ReviewReport {
  /** Every commit with AI attribution, oldest first. */
  readonly commits: readonly CommitReview[];
  readonly signoffs: readonly SignoffReview[];
  /** Commits needing sign-off per state. */
  readonly counts: Readonly<Record<ReviewState, number>>;
  readonly needingSignoff: number;
  /** True when every commit that needs sign-off is signed off. */
  readonly ok: boolean;
  readonly notes: readonly ReviewNote[];
}

/**
 * "Does sign-off S descend from commit C" for the commits of the range, with integer indexes: each sign-off's
 * ancestors are walked once, when a claim first needs them.
 */
function ancestry(graph: ReadonlyMap<string, readonly string[]>): (from: string, to: string) => boolean {
  const index = new Map<string, number>();
  for (const id of graph.keys()) index.set(id, index.size);
  const parents: number[][] = [];
  for (const [id, ps] of graph) {
    const list: number[] = [];
    for (const p of ps) {
      const i = index.get(p);
      if (i !== undefined) list.push(i);
    }
    parents[index.get(id)!] = list;
  }
  const reached = new Map<number, Uint8Array>();
  return (from, to) => {
    const start = index.get(from);
    const target = index.get(to);
    if (start === undefined || target === undefined) return false;
    let seen = reached.get(start);
    if (!seen) {
      seen = new Uint8Array(index.size);
      const stack = [start];
      while (stack.length > 0) {
        const i = stack.pop()!;
        if (seen[i]) continue;
        seen[i] = 1;
        for (const p of parents[i]!) if (!seen[p]) stack.push(p);
      }
      reached.set(start, seen);
    }
    return seen[target] === 1;
  };
}

/**
 * Whether `email` is the signer: their Reviewed-by address, or any principal the roster lists for their key (one
 * person listed as senior@ and alias@ cannot author as one and sign off as the other).
 */
export function isSigner(signer: Signer, email: string): boolean {
  return (
    sameEmail(signer.email, email) ||
    (signer.principals !== undefined &&
      matchPrincipal(
        signer.principals.map(p => normalizeAddress(p)),
        normalizeAddress(email),
      ))
  );
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/**
 * An address as a person sees it: compatibility-normalized (full-width and other look-alike forms folded), without
 * invisible characters (zero-width, bidirectional controls), trimmed, lower-case. The author field of a commit is
 * not authenticated; this only stops an address that merely looks different from passing for another person.
 */
export function normalizeAddress(email: string): string {
  return email
    .normalize('NFKC')
    .replace(/[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g, '')
    .trim()
    .toLowerCase();
}

function sameEmail(a: string, b: string): boolean {
  return normalizeAddress(a) === normalizeAddress(b);
}

/** Defects of a sign-off that hold whatever commit it lists. */
function signoffDefects(s: SignoffFacts, input: ReviewInput): { defects: SignoffDefect[]; signer?: Signer } {
  const defects: SignoffDefect[] = [];
  if (s.parsed.problems.length > 0) defects.push('malformed');
  if (s.parents.length > 1) defects.push('merge');
  if (!s.empty) defects.push('not-empty');
  const reviewer = s.parsed.reviewer;
  let signer: Signer | undefined;
  const sig = s.signature;
  if (!input.roster || input.roster.isEmpty) {
    defects.push('no-roster');
  } else if (sig.status === 'verified') {
    // The signature verified for the principal the reviewer claims (ssh-keygen -I): that is the signer.
    if (reviewer && sameEmail(sig.principal, reviewer.email)) {
      signer = {
        email: reviewer.email,
        name: reviewer.name,
        ...(sig.fingerprint ? { fingerprint: sig.fingerprint } : {}),
        ...(sig.keyPrincipals ? { principals: sig.keyPrincipals } : {}),
      };
    } else if (reviewer) {
      defects.push('unknown-signer');
    }
  } else if (sig.status === 'not-required') {
    if (input.policy.signoff.requireSignature) defects.push('unsigned');
    else if (reviewer && input.roster.allows(reviewer.email)) signer = { email: reviewer.email, name: reviewer.name };
    else defects.push('unknown-signer');
  } else if (sig.status === 'not-checked') {
    if (!defects.includes('malformed')) defects.push('malformed');
  } else {
    defects.push(sig.status);
  }
  return signer && defects.length === 0 ? { defects, signer } : { defects };
}

/** One person: the same e-mail address or the same key. */
function sameSigner(a: Signer, b: Signer): boolean {
  return sameEmail(a.email, b.email) || (a.fingerprint !== undefined && a.fingerprint === b.fingerprint);
}

/** Groups signers that share an e-mail address or a key: one person signing twice under two names counts once. */
function distinctSigners(signers: readonly Signer[]): Signer[] {
  const groups: Signer[][] = [];
  for (const s of signers) {
    const joined = groups.filter(g =>
      g.some(o => sameEmail(o.email, s.email) || (o.fingerprint !== undefined && o.fingerprint === s.fingerprint)),
    );
    const merged = [s, ...joined.flat()];
    for (const g of joined) groups.splice(groups.indexOf(g), 1);
    groups.push(merged);
  }
  return groups.map(g => g[g.length - 1]!);
}

/** Computes the review report. */
export function computeReview(input: ReviewInput): ReviewReport {
  const matchers = policyMatchers(input.policy);
  const { highRiskSigners, allowSelfSignoff } = input.policy.signoff;
  const former = new Map((input.formerCommits ?? []).map(f => [f.id, f]));

  const descends = ancestry(input.graph);
  const signoffs = input.signoffs.map(s => ({ facts: s, ...signoffDefects(s, input) }));
  const covers = new Map<string, string[]>(signoffs.map(s => [s.facts.id, []]));

  // Claims are found from each sign-off's entries through indexes (messages come from the branch author and may
  // be huge), never by testing every commit against every entry.
  const byPatch = new Map<string, CommitFacts[]>();
  const byId = new Map<string, CommitFacts>();
  for (const c of input.commits) {
    byId.set(c.id, c);
    if (c.patchId !== undefined) push(byPatch, c.patchId, c);
  }
  // A listed commit that is no longer in the range stands for its rebased or amended twin: same author, same
  // author time (both kept by rebase and amend).
  const byAuthor = new Map<string, CommitFacts[]>();
  for (const c of input.commits) {
    push(byAuthor, `${c.author.email.toLowerCase()} ${c.authorTime}`, c);
  }
  const twinsOf = (listed: string): CommitFacts[] => {
    const f = former.get(listed);
    return f ? (byAuthor.get(`${f.author.email.toLowerCase()} ${f.authorTime}`) ?? []) : [];
  };
  const claimsOf = new Map<string, Claim[]>();
  for (const s of signoffs) {
    const matched = new Map<string, { match: Claim['match']; listedPatchId?: string }>();
    for (const e of s.facts.parsed.entries)
      for (const c of byPatch.get(e.patchId) ?? []) matched.set(c.id, { match: 'patch' });
    for (const e of s.facts.parsed.entries) {
      const same = byId.get(e.commitId);
      // A sign-off from before 0.2 names the exact commit with its --stable id: that commit, unchanged, was reviewed.
      if (same?.legacyPatchId !== undefined && same.legacyPatchId === e.patchId && !matched.has(same.id))
        matched.set(same.id, { match: 'patch' });
      for (const c of same ? [same, ...twinsOf(e.commitId)] : twinsOf(e.commitId)) {
        if (!matched.has(c.id)) matched.set(c.id, { match: 'stale', listedPatchId: e.patchId });
      }
    }
    for (const [commitId, m] of matched) {
      // "A sign-off commit later on the same branch": it must descend from the commit.
      if (commitId === s.facts.id || (!input.signoffsAnywhere && !descends(s.facts.id, commitId))) continue;
      const c = byId.get(commitId)!;
      covers.get(s.facts.id)!.push(commitId);
      const defects = [...s.defects];
      const changes = s.facts.parsed.verdict === 'changes-requested';
      if (s.signer && !changes && !allowSelfSignoff && isSigner(s.signer, c.author.email)) defects.push('self-signoff');
      const claim: Claim = {
        signoff: s.facts.id,
        match: m.match,
        defects,
        ...(defects.length === 0 && s.signer ? { signer: s.signer } : {}),
        ...(m.listedPatchId ? { listedPatchId: m.listedPatchId } : {}),
        ...(changes ? { verdict: 'changes-requested' as const } : {}),
      };
      push(claimsOf, commitId, claim);
    }
  }

  // minAiLines holds for the branch as a whole too: a change split into small commits is still one change.
  const needs = new Map(input.commits.map(c => [c.id, reviewNeed(c, input.policy, matchers)] as const));
  const branchAiLines = [...needs.values()]
    .filter(n => n.needsSignoff || n.notNeeded === 'below-threshold')
    .reduce((sum, n) => sum + (n.aiLines ?? 0), 0);
  if (branchAiLines >= input.policy.signoff.minAiLines) {
    for (const [id, n] of needs) {
      if (n.notNeeded !== 'below-threshold') continue;
      const { notNeeded: _below, ...rest } = n;
      needs.set(id, { ...rest, needsSignoff: true, reason: { code: 'branch-threshold', branchAiLines } });
    }
  }

  const ownersOfPath = pathOwners(input);
  const commits: CommitReview[] = input.commits.map(c => {
    const need = needs.get(c.id)!;
    const highRisk = need.highRiskPaths.length > 0;
    const requiredSigners = highRisk ? highRiskSigners : 1;
    let claims = claimsOf.get(c.id) ?? [];
    // A request for changes is no sign-off, and a defective one says nothing at all.
    const asked = claims.filter(
      cl => cl.verdict === 'changes-requested' && cl.defects.length === 0 && cl.match === 'patch',
    );
    // A senior who requested changes later on the branch withdrew their own earlier sign-off of the same patch.
    // (Where both are in the graph: the audit's histories too, whatever the merge style.)
    const withdrawn = (cl: Claim): boolean =>
      asked.some(a => a.signer && cl.signer && sameSigner(a.signer, cl.signer) && descends(a.signoff, cl.signoff));
    const signoffSigners = distinctSigners(
      claims
        .filter(cl => cl.verdict === undefined && cl.defects.length === 0 && cl.match === 'patch' && !withdrawn(cl))
        .map(cl => cl.signer!),
    );
    const request = [...(input.requests ?? [])]
      .filter(r => r.commits.some(rc => rc.id === c.id || (c.patchId !== undefined && rc.patchId === c.patchId)))
      .sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0))[0];
    const blocker = !input.roster || input.roster.isEmpty ? 'no-roster' : c.patchHasNul ? 'patch-has-nul' : undefined;
    let selfSigner = blocker ? undefined : selfSignerOf(c, input);

    // Ownership: who may sign, and (for .ai-provenance/reviewers) whose sign-off counts.
    let routing: CommitRouting | undefined;
    let counted = signoffSigners;
    let covered = (_set: readonly Signer[]): boolean => true;
    if (input.ownership && ownersOfPath && need.needsSignoff) {
      const enforced = input.ownership.source === 'reviewers';
      const owned = aiTouchedPaths(c, need.landedIn, enforced)
        .map(path => ({ path, owners: ownersOfPath(path) }))
        .filter(p => p.owners.length > 0);
      const ownsSome = (s: Signer): boolean => owned.some(p => owns(s, p.owners));
      const uncoveredBy = (set: readonly Signer[]): string[] =>
        owned.filter(p => !set.some(s => owns(s, p.owners))).map(p => p.path);
      const everyone = selfSigner ? [...signoffSigners, selfSigner] : signoffSigners;
      let uncovered: string[] = [];
      if (enforced && owned.length > 0) {
        covered = set => uncoveredBy(set).length === 0;
        uncovered = uncoveredBy(everyone);
        if (uncovered.length > 0) {
          // Until every owned path has an owner's sign-off, only owners count.
          counted = signoffSigners.filter(ownsSome);
          if (selfSigner && !ownsSome(selfSigner)) selfSigner = undefined;
          claims = claims.map(cl =>
            cl.verdict === undefined &&
            cl.defects.length === 0 &&
            cl.match === 'patch' &&
            cl.signer &&
            !ownsSome(cl.signer)
              ? {
                  signoff: cl.signoff,
                  match: cl.match,
                  defects: ['not-owner'],
                  ...(cl.listedPatchId ? { listedPatchId: cl.listedPatchId } : {}),
                }
              : cl,
          );
        }
      }
      const seniors: string[] = [];
      for (const p of owned) for (const o of p.owners) if (!seniors.some(x => sameEmail(x, o))) seniors.push(o);
      routing = {
        source: input.ownership.source,
        file: input.ownership.file,
        enforced,
        paths: owned,
        seniors,
        uncovered,
      };
    }
    const valid = claims.filter(cl => cl.verdict === undefined && cl.defects.length === 0 && !withdrawn(cl));
    const withSelf = selfSigner ? distinctSigners([...counted, selfSigner]) : counted;
    let state: ReviewState | undefined;
    if (need.needsSignoff) {
      if (!blocker && counted.length >= requiredSigners && covered(counted)) state = 'signed-off';
      else if (!blocker && selfSigner && withSelf.length >= requiredSigners && covered(withSelf)) state = 'self-signed';
      else if (asked.length > 0) state = 'changes-requested';
      else if (claims.some(cl => cl.verdict === undefined && cl.defects.length > 0)) state = 'unverified';
      else if (valid.some(cl => cl.match === 'stale')) state = 'stale';
      else if (request) state = 'requested';
      else state = 'pending';
    }
    const signers = state === 'signed-off' ? counted : withSelf;
    return {
      commit: c,
      needsSignoff: need.needsSignoff,
      ...(need.notNeeded ? { notNeeded: need.notNeeded } : {}),
      ...(need.aiLines !== undefined ? { aiLines: need.aiLines } : {}),
      ...(need.reason ? { needReason: need.reason } : {}),
      highRisk,
      highRiskPaths: need.highRiskPaths,
      ...(need.landedIn && need.landedIn.length > 0 ? { landedIn: need.landedIn } : {}),
      requiredSigners,
      ...(state ? { state } : {}),
      signers,
      claims,
      ...(request ? { request } : {}),
      ...(need.needsSignoff && blocker ? { blocker } : {}),
      ...(routing ? { routing } : {}),
      ...(need.needsSignoff && selfSigner && state !== 'signed-off' ? { selfSigned: selfSigner } : {}),
    };
  });

  const counts = Object.fromEntries(REVIEW_STATES.map(s => [s, 0])) as Record<ReviewState, number>;
  for (const c of commits) if (c.state) counts[c.state]++;
  const needingSignoff = commits.filter(c => c.needsSignoff).length;
  const notes: ReviewNote[] = [];
  if (!input.roster) notes.push({ code: 'no-roster' });
  else if (input.roster.isEmpty) notes.push({ code: 'empty-roster' });
  else if (commits.some(c => c.needsSignoff && c.highRisk) && input.roster.signerCapacity() < highRiskSigners) {
    notes.push({ code: 'signers-exceed-roster', required: highRiskSigners, available: input.roster.signerCapacity() });
  }
  return {
    commits,
    signoffs: signoffs.map(s => ({
      facts: s.facts,
      defects: s.defects,
      ...(s.signer ? { signer: s.signer } : {}),
      covers: covers.get(s.facts.id)!,
    })),
    counts,
    needingSignoff,
    ok: counts['signed-off'] + counts['self-signed'] === needingSignoff,
    notes,
  };
}

/** The commits a new sign-off by `signer` would add something to: needing sign-off, not yet signed off. */
export function signoffTargets(report: ReviewReport): CommitReview[] {
  return report.commits.filter(c => c.needsSignoff && !isDone(c.state) && c.blocker === undefined);
}

/**
 * The author of the commit as a signer, when the policy allows senior-signed commits and the commit's own SSH
 * signature verified with the base's roster for the principal that is its author's address. The author field alone
 * proves nothing: only the signature does.
 */
function selfSignerOf(c: CommitFacts, input: ReviewInput): Signer | undefined {
  if (!input.policy.signoff.seniorSignedCommits || !input.roster || input.roster.isEmpty) return undefined;
  // The gate's own files (the seniors, the policy) always need another senior: a senior cannot add a senior alone.
  if (c.touchesPolicy) return undefined;
  const sig = c.authorSignature;
  if (sig?.status !== 'verified' || !sameEmail(sig.principal, c.author.email)) return undefined;
  return {
    email: c.author.email,
    name: c.author.name,
    ...(sig.fingerprint ? { fingerprint: sig.fingerprint } : {}),
    ...(sig.keyPrincipals ? { principals: sig.keyPrincipals } : {}),
  };
}

/** The owners of a path in the roster (memoized), or undefined without ownership. */
function pathOwners(input: ReviewInput): ((path: string) => string[]) | undefined {
  const ownership = input.ownership;
  if (!ownership) return undefined;
  const roster = input.roster;
  const cache = new Map<string, string[]>();
  return path => {
    let owners = cache.get(path);
    if (!owners) {
      owners = roster && !roster.isEmpty ? ownersOf(ownership, path).filter(o => roster.allowsEmail(o)) : [];
      cache.set(path, owners);
    }
    return owners;
  };
}

/**
 * The paths whose owners a commit is routed to. Enforced (`.ai-provenance/reviewers`): every path git says it
 * touches, and where its lines are now when the path rules followed them; the line-level note is written by the
 * branch's author and may only add review, never narrow who must sign. Advisory (CODEOWNERS): the files its note
 * records AI lines in, when it has a note, else every path it touches.
 */
export function aiTouchedPaths(c: CommitFacts, landedIn: readonly string[] | undefined, enforced: boolean): string[] {
  const touched = c.paths;
  if (touched === undefined && enforced)
    throw new Error(`the paths of ${c.id} were not loaded, so its owners cannot be checked`);
  const all = [...new Set([...(touched ?? []), ...(landedIn ?? [])])];
  if (enforced) return all;
  const noted = (c.aiPaths ?? [])
    .filter(p => p.aiLines > 0 || removedLineCount(p) > 0)
    .map(p => p.path)
    .filter(p => touched === undefined || touched.includes(p));
  return noted.length > 0 ? [...new Set(noted)] : all;
}

/** Whether the signer is one of `owners`: their verified address, or a plain address the roster lists for their key. */
export function owns(signer: Signer, owners: readonly string[]): boolean {
  return owners.some(
    o => sameEmail(signer.email, o) || (signer.principals ?? []).some(p => !/[*?!]/.test(p) && sameEmail(p, o)),
  );
}

/** Parses one stored review request (local state); throws when its shape is wrong. */
export function parseReviewRequest(value: unknown): ReviewRequest {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new Error('a review request must be an object');
  const v = value as Record<string, unknown>;
  const str = (x: unknown): x is string => typeof x === 'string';
  if (!str(v.at) || Number.isNaN(Date.parse(v.at))) throw new Error('review request: "at" must be an ISO time');
  if (!Array.isArray(v.to) || !v.to.every(str))
    throw new Error('review request: "to" must be a list of e-mail addresses');
  if (!Array.isArray(v.commits)) throw new Error('review request: "commits" must be a list');
  const commits = v.commits.map((c: unknown) => {
    const o = c as Record<string, unknown> | null;
    if (typeof o !== 'object' || o === null || !str(o.id)) throw new Error('review request: each commit needs an "id"');
    if (o.patchId !== undefined && !str(o.patchId)) throw new Error('review request: "patchId" must be a string');
    return { id: o.id, ...(str(o.patchId) ? { patchId: o.patchId } : {}) };
  });
  for (const k of ['by', 'base', 'head', 'branch', 'ref'] as const) {
    if (v[k] !== undefined && !str(v[k])) throw new Error(`review request: "${k}" must be a string`);
  }
  return {
    at: v.at,
    to: v.to as string[],
    commits,
    ...(str(v.by) ? { by: v.by } : {}),
    ...(str(v.base) ? { base: v.base } : {}),
    ...(str(v.head) ? { head: v.head } : {}),
    ...(str(v.branch) ? { branch: v.branch } : {}),
    ...(str(v.ref) ? { ref: v.ref } : {}),
  };
}

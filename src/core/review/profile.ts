import type { Policy, PolicyMatchers } from './policy';
import type { AttributionFact } from './review';

/**
 * The review profile (docs/review.md): the one rule that decides whether a commit needs a senior's sign-off and
 * whether it is high-risk. `check`, `sign-off`, `log`, request-review and the sidebar all reach it through
 * computeReview, and no caller can choose another: a sidebar that said "signed off" while CI failed would teach
 * people to ignore one of them.
 *
 * It reads what travels with the commit through every push and CI clone:
 * - how many AI lines: the AI-Attribution trailer (ai + mixed, plus the lines an AI removed, `deleted=`, unless the
 *   policy's `signoff.aiDeletions` is false); a trailer that does not parse, or more than one, counts as AI (a
 *   damaged record must not read as none);
 * - where: the files the commit touches, and the files at the branch's head its lines were moved or copied into
 *   later (`git blame -C`: code an AI wrote under an ignored path and a person moved into `src/` is judged where it
 *   is now). High-risk when any of them matches `highRisk`; left out as ignored only when every one of them
 *   matches `ignore` (a path both ignored and high-risk is high-risk);
 * - the gate's own files: a commit that changes `.ai-provenance/` (the roster, the policy) needs a senior's sign-off
 *   like AI code, whatever its lines: else a branch with no AI lines could add its author to the seniors;
 * - and whatever else says an AI took part, which can only ask for more review, never less. The commit is
 *   **unattested** (needs sign-off whatever the thresholds, since its count cannot be trusted) when the evidence
 *   disagrees: an agent is credited (`Assisted-by`, an agent's `Co-authored-by`) but the trailer is missing or says
 *   no AI line; its line-level note records more AI lines than its trailer (a trailer stripped by an amend or a
 *   reword); the policy asks for a trailer on every commit (`trailers.onEveryCommit`) and it has none; or its
 *   subject says "AI sign-off" but it changes files (the commit hook skips sign-offs, so nothing attributed them);
 *   or the commit hook says it failed (`v1 failed`) or could not attribute some files (`skipped=`).
 * Notes are not fetched by CI clones by default, so where they are present they can add review; where they are
 * not, the trailer decides. They also show where the AI lines are (ranges).
 */

export type NotNeededReason = 'no-ai-lines' | 'below-threshold' | 'ignored' | 'no-changes';

/** Why a commit needs sign-off when its AI lines alone would not say so. */
export type NeedReason =
  | { readonly code: 'policy-change' }
  /** Below minAiLines alone, but the branch's AI lines together reach it (computeReview decides this one). */
  | { readonly code: 'branch-threshold'; readonly branchAiLines: number }
  | {
      readonly code: 'unattested';
      readonly why:
        | 'credited-agent'
        | 'note-disagrees'
        | 'no-trailer'
        | 'signoff-with-changes'
        | 'hook-failed'
        | 'incomplete'
        /** AI trailers in the message body, not its trailer block: a squash merge's message (the audit reads it). */
        | 'message-body';
    };

export interface ProfileInput {
  readonly attribution: AttributionFact;
  readonly assistedBy?: readonly string[] | undefined;
  readonly agentCoAuthors?: readonly string[] | undefined;
  readonly noteAiLines?: number | undefined;
  readonly noteRemovedLines?: number | undefined;
  readonly touchesPolicy?: boolean | undefined;
  readonly signoffWithChanges?: boolean | undefined;
  /** Its message body holds AI-Attribution or Assisted-by lines outside the trailer block (a squash's message). */
  readonly bodyClaims?: boolean | undefined;
  /** The commit's patch id; undefined when its diff is empty. */
  readonly patchId?: string | undefined;
  /** Files the commit touches; undefined when not loaded (the policy has no path rules). */
  readonly paths?: readonly string[] | undefined;
  /** Files at the head holding lines this commit brought (moves and copies followed). */
  readonly landingPaths?: readonly string[] | undefined;
}

export interface NeedDecision {
  readonly needsSignoff: boolean;
  readonly notNeeded?: NotNeededReason;
  /** ai + mixed lines the decision counted. */
  readonly aiLines?: number;
  /** Touched paths, and paths its lines were moved into, that make the commit high-risk. */
  readonly highRiskPaths: string[];
  /** Paths the commit did not touch that hold its lines now and that the decision counted. */
  readonly landedIn?: string[];
  readonly reason?: NeedReason;
}

/** Unattested: the evidence that an AI took part disagrees with the trailer (see the comment at the top). */
function unattested(commit: ProfileInput, policy: Policy, trailerAi: number | undefined): NeedReason | undefined {
  if (commit.signoffWithChanges) return { code: 'unattested', why: 'signoff-with-changes' };
  if (commit.attribution.kind === 'failed') return { code: 'unattested', why: 'hook-failed' };
  if (commit.attribution.kind === 'valid' && (commit.attribution.attribution.skipped ?? 0) > 0)
    return { code: 'unattested', why: 'incomplete' };
  const credited = (commit.assistedBy?.length ?? 0) > 0 || (commit.agentCoAuthors?.length ?? 0) > 0;
  const deleted = commit.attribution.kind === 'valid' ? (commit.attribution.attribution.deleted ?? 0) : 0;
  if (credited && (trailerAi ?? 0) === 0 && deleted === 0) return { code: 'unattested', why: 'credited-agent' };
  if (commit.noteAiLines !== undefined && commit.noteAiLines > (trailerAi ?? 0))
    return { code: 'unattested', why: 'note-disagrees' };
  if (commit.noteRemovedLines !== undefined && commit.noteRemovedLines > deleted)
    return { code: 'unattested', why: 'note-disagrees' };
  if (policy.trailers.onEveryCommit && commit.attribution.kind === 'none')
    return { code: 'unattested', why: 'no-trailer' };
  if (commit.bodyClaims) return { code: 'unattested', why: 'message-body' };
  return undefined;
}

export function reviewNeed(commit: ProfileInput, policy: Policy, matchers: PolicyMatchers): NeedDecision {
  if (commit.patchId === undefined) return { needsSignoff: false, notNeeded: 'no-changes', highRiskPaths: [] };
  const paths = commit.paths ?? [];
  const ignored = (p: string): boolean => matchers.ignore.matches(p) && !matchers.highRisk.matches(p);
  const touched = new Set(paths);
  // Where its lines went later and the rules see them: a high-risk path, or one that is not ignored.
  const landedIn = (commit.landingPaths ?? []).filter(p => !touched.has(p) && !ignored(p));
  const where = [...paths, ...landedIn];
  const highRiskPaths = where.filter(p => matchers.highRisk.matches(p));
  const moved = landedIn.length > 0 ? { landedIn } : {};
  if (commit.touchesPolicy) return { needsSignoff: true, highRiskPaths, ...moved, reason: { code: 'policy-change' } };
  if (where.length > 0 && where.every(ignored)) return { needsSignoff: false, notNeeded: 'ignored', highRiskPaths };
  if (commit.attribution.kind === 'malformed') return { needsSignoff: true, highRiskPaths, ...moved };
  const trailerAi =
    commit.attribution.kind === 'valid'
      ? commit.attribution.attribution.ai + commit.attribution.attribution.mixed
      : undefined;
  const reason = unattested(commit, policy, trailerAi);
  // Lines an AI removed count like lines it wrote (policy signoff.aiDeletions, on by default): an agent that deletes
  // a check or a resource definition changed the code as much as one that wrote it.
  const deleted = policy.signoff.aiDeletions
    ? Math.max(
        commit.attribution.kind === 'valid' ? (commit.attribution.attribution.deleted ?? 0) : 0,
        commit.noteRemovedLines ?? 0,
      )
    : 0;
  const aiLines = Math.max(trailerAi ?? 0, commit.noteAiLines ?? 0) + deleted;
  if (reason) return { needsSignoff: true, aiLines, highRiskPaths, ...moved, reason };
  if (aiLines === 0) return { needsSignoff: false, notNeeded: 'no-ai-lines', aiLines, highRiskPaths };
  // Any AI line in a commit that touches a high-risk path needs sign-off, whatever minAiLines says.
  if (highRiskPaths.length === 0 && aiLines < policy.signoff.minAiLines) {
    return { needsSignoff: false, notNeeded: 'below-threshold', aiLines, highRiskPaths, ...moved };
  }
  return { needsSignoff: true, aiLines, highRiskPaths, ...moved };
}

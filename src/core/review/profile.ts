import type { Policy, PolicyMatchers } from './policy';
import type { AttributionFact } from './review';

/**
 * The review profile (docs/review.md): the one rule that decides whether a commit needs a senior's sign-off and
 * whether it is high-risk. `check`, `sign-off`, `log`, request-review and the sidebar all reach it through
 * computeReview, and no caller can choose another: a sidebar that said "signed off" while CI failed would teach
 * people to ignore one of them.
 *
 * It reads only what travels with the commit through every push and CI clone:
 * - how many AI lines: the AI-Attribution trailer (ai + mixed); a trailer that does not parse, or more than one,
 *   counts as AI (a damaged record must not read as none);
 * - where: the files the commit touches. High-risk when any of them matches `highRisk`; left out as ignored only
 *   when every one of them matches `ignore` (a path both ignored and high-risk is high-risk).
 * Line-level notes are not read here: CI clones do not fetch notes by default, so a decision that used them would
 * depend on the clone, and a note is written on the author's machine. They are for display only (ranges).
 */

export type NotNeededReason = 'no-ai-lines' | 'below-threshold' | 'ignored' | 'no-changes';

export interface ProfileInput {
  readonly attribution: AttributionFact;
  /** The commit's patch id; undefined when its diff is empty. */
  readonly patchId?: string | undefined;
  /** Files the commit touches; undefined when not loaded (the policy has no path rules). */
  readonly paths?: readonly string[] | undefined;
}

export interface NeedDecision {
  readonly needsSignoff: boolean;
  readonly notNeeded?: NotNeededReason;
  /** ai + mixed lines the decision counted. */
  readonly aiLines?: number;
  /** Touched paths that make the commit high-risk. */
  readonly highRiskPaths: string[];
}

export function reviewNeed(commit: ProfileInput, policy: Policy, matchers: PolicyMatchers): NeedDecision {
  if (commit.patchId === undefined) return { needsSignoff: false, notNeeded: 'no-changes', highRiskPaths: [] };
  const paths = commit.paths ?? [];
  const highRiskPaths = paths.filter(p => matchers.highRisk.matches(p));
  const ignored = (p: string): boolean => matchers.ignore.matches(p) && !matchers.highRisk.matches(p);
  if (paths.length > 0 && paths.every(ignored)) return { needsSignoff: false, notNeeded: 'ignored', highRiskPaths };
  if (commit.attribution.kind === 'malformed') return { needsSignoff: true, highRiskPaths };
  const aiLines =
    commit.attribution.kind === 'valid' ? commit.attribution.attribution.ai + commit.attribution.attribution.mixed : 0;
  if (aiLines === 0) return { needsSignoff: false, notNeeded: 'no-ai-lines', aiLines, highRiskPaths };
  // Any AI line in a commit that touches a high-risk path needs sign-off, whatever minAiLines says.
  if (highRiskPaths.length === 0 && aiLines < policy.signoff.minAiLines) {
    return { needsSignoff: false, notNeeded: 'below-threshold', aiLines, highRiskPaths };
  }
  return { needsSignoff: true, aiLines, highRiskPaths };
}

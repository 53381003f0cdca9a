import { agentCoAuthors, attributionOf, type LoggedCommit, type PatchIds } from './range';
import { removedLineCount, type AiPathLines, type CommitFacts } from '../../core/review/review';
import { trailerValues } from '../../core/formats/signoff-message';
import { ASSISTED_BY } from '../../core/formats/trailers';

/**
 * What a commit says about AI taking part, from what travels with it (trailers, the gate's own files) and its
 * line-level note: the facts the review profile (src/core/review/profile.ts) decides on. Shared by the review of a
 * branch and the audit of one, so the two can never read a commit differently.
 */
export interface CommitEvidence {
  c: LoggedCommit;
  attribution: ReturnType<typeof attributionOf>;
  assistedBy: string[];
  coAuthors: string[];
  touchesPolicy: boolean;
  aiPaths: readonly AiPathLines[] | undefined;
  noteAiLines: number | undefined;
  noteRemovedLines: number | undefined;
}

export function commitEvidence(
  c: LoggedCommit,
  touchingPolicy: ReadonlySet<string>,
  notes: ReadonlyMap<string, readonly AiPathLines[]>,
): CommitEvidence {
  const aiPaths = notes.get(c.id);
  return {
    c,
    attribution: attributionOf(c.trailers),
    assistedBy: trailerValues(c.trailers, ASSISTED_BY),
    coAuthors: agentCoAuthors(c.trailers),
    touchesPolicy: touchingPolicy.has(c.id),
    aiPaths,
    noteAiLines: aiPaths?.reduce((n, p) => n + p.aiLines, 0),
    noteRemovedLines: aiPaths?.reduce((n, p) => n + removedLineCount(p), 0),
  };
}

/** Whether the review looks at the commit at all: any sign of AI, the gate's files, or a trailer the policy asks for. */
export function isReviewed(x: CommitEvidence, onEveryCommit: boolean): boolean {
  return (
    x.attribution.kind !== 'none' ||
    x.assistedBy.length > 0 ||
    x.coAuthors.length > 0 ||
    x.touchesPolicy ||
    (x.noteAiLines ?? 0) > 0 ||
    (x.noteRemovedLines ?? 0) > 0 ||
    onEveryCommit
  );
}

/** Whether the commit carries evidence that an AI wrote or removed lines (the path rules follow its lines). */
export function hasAiLineEvidence(x: CommitEvidence): boolean {
  const a = x.attribution;
  return (
    (a.kind === 'valid' &&
      a.attribution.ai + a.attribution.mixed + (a.attribution.skipped ?? 0) + (a.attribution.deleted ?? 0) > 0) ||
    a.kind === 'failed' ||
    a.kind === 'malformed' ||
    (x.noteAiLines ?? 0) > 0 ||
    (x.noteRemovedLines ?? 0) > 0 ||
    x.assistedBy.length > 0 ||
    x.coAuthors.length > 0
  );
}

/** The review model's facts of one commit. */
export function commitFacts(
  x: CommitEvidence,
  loaded: {
    patches: PatchIds;
    legacy?: PatchIds | undefined;
    paths?: ReadonlyMap<string, readonly string[]> | undefined;
    landing?: ReadonlyMap<string, readonly string[]> | undefined;
  },
  extra: { signoffWithChanges?: boolean; bodyClaims?: boolean; gateSetup?: boolean } = {},
): CommitFacts {
  const { c } = x;
  const patchId = loaded.patches.ids.get(c.id);
  const legacyPatchId = loaded.legacy?.ids.get(c.id);
  const filePaths = loaded.paths?.get(c.id);
  const landing = loaded.landing?.get(c.id);
  return {
    id: c.id,
    parents: c.parents,
    subject: c.subject,
    author: c.author,
    authorTime: c.authorTime,
    attribution: x.attribution,
    assistedBy: x.assistedBy,
    ...(x.coAuthors.length > 0 ? { agentCoAuthors: x.coAuthors } : {}),
    ...(x.touchesPolicy ? { touchesPolicy: true } : {}),
    ...(x.noteAiLines !== undefined ? { noteAiLines: x.noteAiLines } : {}),
    ...(x.noteRemovedLines !== undefined ? { noteRemovedLines: x.noteRemovedLines } : {}),
    ...(extra.signoffWithChanges ? { signoffWithChanges: true } : {}),
    ...(extra.bodyClaims ? { bodyClaims: true } : {}),
    ...(extra.gateSetup ? { gateSetup: true } : {}),
    ...(patchId ? { patchId } : {}),
    ...(legacyPatchId && legacyPatchId !== patchId ? { legacyPatchId } : {}),
    ...(loaded.patches.withNul.has(c.id) ? { patchHasNul: true } : {}),
    ...(filePaths ? { paths: filePaths } : {}),
    ...(landing ? { landingPaths: landing } : {}),
    ...(x.aiPaths ? { aiPaths: x.aiPaths } : {}),
  };
}

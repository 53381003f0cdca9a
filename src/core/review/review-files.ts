import type { AiPathLines, CommitReview } from './review';

/** A line range of a file, 1-based and inclusive, with who wrote (or removed) it when known. */
export interface MarkedRange {
  readonly start: number;
  readonly end: number;
  readonly tool?: string;
  readonly kind?: string;
  readonly model?: string;
}

/** One file of one commit as the review shows it: the diff against the commit's first parent. */
export interface ReviewFile {
  readonly review: CommitReview;
  readonly path: string;
  /** The key its "viewed" mark is kept under: the commit's patch id and the path, so a new patch is unviewed. */
  readonly viewedKey: string;
  /** ai + mixed lines the note records for the file; undefined when the commit has no line-level record. */
  readonly aiLines?: number;
  /** AI-written lines, numbered in the commit's version of the file. */
  readonly aiRanges: readonly MarkedRange[];
  /** Lines an AI removed, numbered in the parent's version. */
  readonly removedRanges: readonly MarkedRange[];
  /**
   * The file is one a senior must look at: it has AI-written or AI-removed lines, or the commit has no line-level
   * record (then every file it touches may hold AI lines).
   */
  readonly needsLook: boolean;
}

/** The key a file's "viewed" mark is kept under: the commit's patch id (its id when it has none) and the path. */
export function viewedKey(review: CommitReview, path: string): string {
  return `${review.commit.patchId ?? review.commit.id}:${path}`;
}

/**
 * The files a review of `commits` shows, files with AI lines first (in commit order, oldest first), then the other
 * files the commits touch. A commit without a line-level record (no note) shows every file it touches as one to look at.
 */
export function reviewFiles(commits: readonly CommitReview[]): ReviewFile[] {
  const first: ReviewFile[] = [];
  const rest: ReviewFile[] = [];
  for (const review of commits) {
    const noted = new Map<string, AiPathLines>((review.commit.aiPaths ?? []).map(p => [p.path, p]));
    const touched = review.commit.paths ?? [...noted.keys()];
    const paths = [...new Set([...touched, ...noted.keys()])];
    for (const path of paths) {
      const note = noted.get(path);
      const aiRanges = [...(note?.ranges ?? [])];
      const removedRanges = [...(note?.removed ?? [])];
      const needsLook = review.commit.aiPaths === undefined || (note?.aiLines ?? 0) > 0 || removedRanges.length > 0;
      const file: ReviewFile = {
        review,
        path,
        viewedKey: viewedKey(review, path),
        ...(note ? { aiLines: note.aiLines } : {}),
        aiRanges,
        removedRanges,
        needsLook,
      };
      (needsLook ? first : rest).push(file);
    }
  }
  return [...first, ...rest];
}

/** A review's comment: on a file of a commit, or on one of its lines. */
export interface ReviewComment {
  readonly commit: string;
  readonly path: string;
  /** 1-based, in the commit's version of the file; undefined for a comment on the whole file. */
  readonly line?: number;
  readonly text: string;
}

/**
 * The comment block a sign-off (or a request for changes) carries: the senior's general comment, the comments per
 * file and line, and, when they sign without viewing every file that needed a look, which files those were.
 */
export function reviewCommentBlock(input: {
  general?: string;
  comments: readonly ReviewComment[];
  notViewed: readonly { commit: string; path: string }[];
}): string {
  const oneLine = (text: string): string =>
    text
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, ' ')
      .replace(/\s*\n\s*/g, ' / ')
      .trim();
  const parts: string[] = [];
  if (input.general?.trim()) parts.push(input.general.trim());
  if (input.comments.length > 0) {
    parts.push(
      [
        'Review comments:',
        ...input.comments.map(
          c =>
            `- ${oneLine(c.path)}${c.line !== undefined ? `:${c.line}` : ''} (${c.commit.slice(0, 12)}): ${oneLine(c.text)}`,
        ),
      ].join('\n'),
    );
  }
  if (input.notViewed.length > 0) {
    parts.push(
      [
        'Signed without viewing every AI-assisted file; not viewed:',
        ...input.notViewed.map(f => `- ${oneLine(f.path)} (${f.commit.slice(0, 12)})`),
      ].join('\n'),
    );
  }
  return parts.join('\n\n');
}

/**
 * The sign-off commit message of docs/formats.md, a contract:
 *
 *   AI sign-off: <n> commit(s)
 *
 *   <the reviewer's optional comments>
 *
 *   Reviewed-by: <Name> <email>
 *   AI-Signoff: <patch-id> <commit-id>
 *
 * one `AI-Signoff` per reviewed commit, the patch id from `git patch-id --verbatim` (`--stable` before 0.2). This module writes the message
 * and interprets the trailers git parsed out of one (the caller hands over git's own trailer parsing, never a
 * regular expression over the whole message).
 */

export const SIGNOFF_SUBJECT_PREFIX = 'AI sign-off: ';
export const REVIEWED_BY = 'Reviewed-by';
export const AI_SIGNOFF = 'AI-Signoff';
/** Since 0.2: the whole change the branch made when it was signed off, `<patch-id> <from> <to>`. */
export const AI_SIGNOFF_RANGE = 'AI-Signoff-Range';

export interface Person {
  readonly name: string;
  readonly email: string;
}

export interface SignoffEntry {
  readonly patchId: string;
  readonly commitId: string;
}

/**
 * The branch's whole change when it was signed off: the patch id of `git diff <from> <to>` (from: where the branch
 * left its base, their merge base; to: the sign-off's parent). A squash merge of exactly that branch has this patch id.
 */
export interface SignoffRange {
  readonly patchId: string;
  readonly from: string;
  readonly to: string;
}

const OBJECT_ID = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;

export function isObjectId(value: string): boolean {
  return OBJECT_ID.test(value);
}

/** `AI sign-off: 1 commit`, `AI sign-off: 3 commits`. */
export function signoffSubject(count: number): string {
  return `${SIGNOFF_SUBJECT_PREFIX}${count} ${count === 1 ? 'commit' : 'commits'}`;
}

/** The count of a sign-off subject (`commit`, `commits` and the literal `commit(s)` are accepted), or undefined. */
export function parseSignoffSubject(subject: string): number | undefined {
  const m = /^AI sign-off: (0|[1-9]\d{0,6}) (?:commit|commits|commit\(s\))$/.exec(subject.trim());
  return m ? Number(m[1]) : undefined;
}

/** True when a subject claims to be a sign-off, well-formed or not. */
export function looksLikeSignoffSubject(subject: string): boolean {
  return /^\s*AI sign-off\b/i.test(subject);
}

/** `Name <email>` as it appears in Reviewed-by; throws when there is no single `<email>` at the end. */
export function parsePerson(value: string): Person {
  const m = /^([^<>]*?)\s*<([^<>\s]+@[^<>\s]+)>$/.exec(value.trim());
  if (!m) throw new Error(`"${value.slice(0, 120)}" is not "Name <email>"`);
  return { name: m[1]!.trim(), email: m[2]! };
}

/** `<patch-id> <commit-id>`; throws when either is not a full lower-case object id. */
export function parseSignoffEntry(value: string): SignoffEntry {
  const parts = value.trim().split(/ +/);
  if (parts.length !== 2 || !isObjectId(parts[0]!) || !isObjectId(parts[1]!)) {
    throw new Error(`"${value.slice(0, 120)}" is not "<patch-id> <commit-id>" with full hexadecimal ids`);
  }
  return { patchId: parts[0]!, commitId: parts[1]! };
}

/** A name as a trailer can carry it: one line, no angle brackets. */
export function cleanName(name: string): string {
  return name
    .replace(/[<>\r\n\0]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The reviewer's comment as a paragraph block: no NULs or CRs, no trailing spaces, at most one blank line in a row. */
export function cleanComment(comment: string | undefined): string {
  if (comment === undefined) return '';
  const lines = comment
    .replace(/\0/g, '')
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map(l => l.replace(/\s+$/, ''));
  const out: string[] = [];
  for (const line of lines) {
    if (line === '' && (out.length === 0 || out[out.length - 1] === '')) continue;
    out.push(line);
  }
  while (out.length > 0 && out[out.length - 1] === '') out.pop();
  return out.join('\n');
}

/** The full message of a sign-off commit, ending with a newline. */
export function formatSignoffMessage(input: {
  reviewer: Person;
  entries: readonly SignoffEntry[];
  comment?: string;
  range?: SignoffRange;
}): string {
  const name = cleanName(input.reviewer.name);
  const email = input.reviewer.email;
  if (!/^[^<>\s]+@[^<>\s]+$/.test(email)) throw new Error(`"${email}" is not an e-mail address`);
  for (const e of input.entries) {
    if (!isObjectId(e.patchId) || !isObjectId(e.commitId))
      throw new Error(`bad sign-off entry ${e.patchId} ${e.commitId}`);
  }
  const range = input.range;
  if (range && ![range.patchId, range.from, range.to].every(isObjectId)) throw new Error('bad sign-off range');
  const comment = cleanComment(input.comment);
  const trailers = [
    `${REVIEWED_BY}: ${name ? `${name} ` : ''}<${email}>`,
    ...input.entries.map(e => `${AI_SIGNOFF}: ${e.patchId} ${e.commitId}`),
    ...(range ? [`${AI_SIGNOFF_RANGE}: ${range.patchId} ${range.from} ${range.to}`] : []),
  ];
  return [signoffSubject(input.entries.length), '', ...(comment ? [comment, ''] : []), ...trailers].join('\n') + '\n';
}

/** A trailer as git parsed it: the key as written (compare case-insensitively) and the unfolded value. */
export interface Trailer {
  readonly key: string;
  readonly value: string;
}

export function trailerValues(trailers: readonly Trailer[], key: string): string[] {
  const lower = key.toLowerCase();
  return trailers.filter(t => t.key.toLowerCase() === lower).map(t => t.value);
}

export type SignoffMessageProblem =
  | { code: 'subject'; subject: string }
  | { code: 'count-mismatch'; subjectCount: number; entries: number }
  | { code: 'no-entries' }
  | { code: 'entry'; value: string }
  | { code: 'reviewer-missing' }
  | { code: 'reviewer-many'; count: number }
  | { code: 'reviewer-malformed'; value: string };

export interface ParsedSignoff {
  readonly reviewer?: Person;
  readonly entries: readonly SignoffEntry[];
  /** The `AI-Signoff-Range` (since 0.2), when there is exactly one well-formed one; it never makes a problem. */
  readonly range?: SignoffRange;
  /** Empty when the message is a well-formed sign-off. */
  readonly problems: readonly SignoffMessageProblem[];
}

/** True when a commit presents itself as a sign-off: a sign-off subject or any AI-Signoff trailer. */
export function isSignoffCandidate(subject: string, trailers: readonly Trailer[]): boolean {
  return looksLikeSignoffSubject(subject) || trailerValues(trailers, AI_SIGNOFF).length > 0;
}

/** Interprets a sign-off commit's subject and git-parsed trailers. */
export function interpretSignoff(subject: string, trailers: readonly Trailer[]): ParsedSignoff {
  const problems: SignoffMessageProblem[] = [];
  const entries: SignoffEntry[] = [];
  const seen = new Set<string>();
  for (const value of trailerValues(trailers, AI_SIGNOFF)) {
    try {
      const entry = parseSignoffEntry(value);
      const key = `${entry.patchId} ${entry.commitId}`;
      if (!seen.has(key)) {
        seen.add(key);
        entries.push(entry);
      }
    } catch {
      problems.push({ code: 'entry', value });
    }
  }
  // Since 0.2 a sign-off may list no commit and only record the branch's whole change (nothing else waited).
  const ranges = trailerValues(trailers, AI_SIGNOFF_RANGE).map(v => v.trim().split(/ +/));
  const range =
    ranges.length === 1 && ranges[0]!.length === 3 && ranges[0]!.every(isObjectId)
      ? { patchId: ranges[0]![0]!, from: ranges[0]![1]!, to: ranges[0]![2]! }
      : undefined;
  if (entries.length === 0 && !range && !problems.some(p => p.code === 'entry')) problems.push({ code: 'no-entries' });
  const count = parseSignoffSubject(subject);
  if (count === undefined) problems.push({ code: 'subject', subject });
  else if (count !== trailerValues(trailers, AI_SIGNOFF).length) {
    problems.push({ code: 'count-mismatch', subjectCount: count, entries: trailerValues(trailers, AI_SIGNOFF).length });
  }
  const reviewers = trailerValues(trailers, REVIEWED_BY);
  let reviewer: Person | undefined;
  if (reviewers.length === 0) problems.push({ code: 'reviewer-missing' });
  else if (reviewers.length > 1) problems.push({ code: 'reviewer-many', count: reviewers.length });
  else {
    try {
      reviewer = parsePerson(reviewers[0]!);
    } catch {
      problems.push({ code: 'reviewer-malformed', value: reviewers[0]! });
    }
  }
  return { ...(reviewer ? { reviewer } : {}), entries, ...(range ? { range } : {}), problems };
}

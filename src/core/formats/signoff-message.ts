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
 *
 * Since 0.2 a senior can also request changes, with a record of the same shape that signs nothing:
 *
 *   AI changes requested: <n> commit(s)
 *
 *   <the reviewer's comment, required>
 *
 *   Reviewed-by: <Name> <email>
 *   AI-Changes-Requested: <patch-id> <commit-id>
 *
 * Its own subject and trailer key, so that no reader, old or new, can take it for a sign-off.
 */

export const SIGNOFF_SUBJECT_PREFIX = 'AI sign-off: ';
export const REVIEWED_BY = 'Reviewed-by';
export const AI_SIGNOFF = 'AI-Signoff';
/** Since 0.2: the whole change the branch made when it was signed off, `<patch-id> <from> <to>`. */
export const AI_SIGNOFF_RANGE = 'AI-Signoff-Range';
/** Since 0.2: a senior's request for changes (signed like a sign-off, counting for nothing). */
export const CHANGES_SUBJECT_PREFIX = 'AI changes requested: ';
export const AI_CHANGES_REQUESTED = 'AI-Changes-Requested';

/** What a signed review record says of the commits it lists. */
export type Verdict = 'signoff' | 'changes-requested';

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

/** `AI changes requested: 1 commit`, `AI changes requested: 3 commits`. */
export function changesRequestedSubject(count: number): string {
  return `${CHANGES_SUBJECT_PREFIX}${count} ${count === 1 ? 'commit' : 'commits'}`;
}

/** The count of a sign-off subject (`commit`, `commits` and the literal `commit(s)` are accepted), or undefined. */
export function parseSignoffSubject(subject: string): number | undefined {
  const m = /^AI sign-off: (0|[1-9]\d{0,6}) (?:commit|commits|commit\(s\))$/.exec(subject.trim());
  return m ? Number(m[1]) : undefined;
}

/** The count of a changes-requested subject, or undefined. */
function parseChangesSubject(subject: string): number | undefined {
  const m = /^AI changes requested: ([1-9]\d{0,6}) (?:commit|commits)$/.exec(subject.trim());
  return m ? Number(m[1]) : undefined;
}

/** True when a subject claims to be a sign-off, well-formed or not. */
export function looksLikeSignoffSubject(subject: string): boolean {
  return /^\s*AI sign-off\b/i.test(subject);
}

/** True when a subject claims to be a request for changes, well-formed or not. */
export function looksLikeChangesSubject(subject: string): boolean {
  return /^\s*AI changes requested\b/i.test(subject);
}

/** A signed review record's subject (a sign-off or a request for changes): the commit hooks leave these alone. */
export function isReviewRecordMessage(message: string): boolean {
  return /^(?:AI sign-off|AI changes requested): /.test(message);
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
  const range = input.range;
  if (range && ![range.patchId, range.from, range.to].every(isObjectId)) throw new Error('bad sign-off range');
  return formatRecord(signoffSubject(input.entries.length), AI_SIGNOFF, input, [
    ...(range ? [`${AI_SIGNOFF_RANGE}: ${range.patchId} ${range.from} ${range.to}`] : []),
  ]);
}

/** The full message of a request for changes (a comment is required: it is what the author must do). */
export function formatChangesRequestMessage(input: {
  reviewer: Person;
  entries: readonly SignoffEntry[];
  comment: string;
}): string {
  if (!cleanComment(input.comment)) throw new Error('a request for changes needs a comment saying what to change');
  if (input.entries.length === 0) throw new Error('a request for changes lists at least one commit');
  return formatRecord(changesRequestedSubject(input.entries.length), AI_CHANGES_REQUESTED, input, []);
}

/** A signed review record's message: subject, the comment, Reviewed-by, one `entryKey` trailer per entry, `more`. */
function formatRecord(
  subject: string,
  entryKey: string,
  input: { reviewer: Person; entries: readonly SignoffEntry[]; comment?: string },
  more: readonly string[],
): string {
  const name = cleanName(input.reviewer.name);
  const email = input.reviewer.email;
  if (!/^[^<>\s]+@[^<>\s]+$/.test(email)) throw new Error(`"${email}" is not an e-mail address`);
  for (const e of input.entries) {
    if (!isObjectId(e.patchId) || !isObjectId(e.commitId))
      throw new Error(`bad sign-off entry ${e.patchId} ${e.commitId}`);
  }
  const comment = cleanComment(input.comment);
  const trailers = [
    `${REVIEWED_BY}: ${name ? `${name} ` : ''}<${email}>`,
    ...input.entries.map(e => `${entryKey}: ${e.patchId} ${e.commitId}`),
    ...more,
  ];
  return [subject, '', ...(comment ? [comment, ''] : []), ...trailers].join('\n') + '\n';
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
  | { code: 'reviewer-malformed'; value: string }
  /** Both AI-Signoff and AI-Changes-Requested trailers: a record is one or the other. */
  | { code: 'mixed-verdicts' };

export interface ParsedSignoff {
  /** A sign-off, or (since 0.2) a request for changes, which never counts as a sign-off. */
  readonly verdict: Verdict;
  readonly reviewer?: Person;
  readonly entries: readonly SignoffEntry[];
  /** The `AI-Signoff-Range` (since 0.2), when there is exactly one well-formed one; it never makes a problem. */
  readonly range?: SignoffRange;
  /** Empty when the message is a well-formed sign-off. */
  readonly problems: readonly SignoffMessageProblem[];
}

/**
 * True when a commit presents itself as a signed review record: a sign-off or changes-requested subject, or any
 * AI-Signoff or AI-Changes-Requested trailer.
 */
export function isSignoffCandidate(subject: string, trailers: readonly Trailer[]): boolean {
  return (
    looksLikeSignoffSubject(subject) ||
    looksLikeChangesSubject(subject) ||
    trailerValues(trailers, AI_SIGNOFF).length > 0 ||
    trailerValues(trailers, AI_CHANGES_REQUESTED).length > 0
  );
}

/** Interprets a sign-off commit's subject and git-parsed trailers. */
export function interpretSignoff(subject: string, trailers: readonly Trailer[]): ParsedSignoff {
  const problems: SignoffMessageProblem[] = [];
  const entries: SignoffEntry[] = [];
  const seen = new Set<string>();
  const signoffValues = trailerValues(trailers, AI_SIGNOFF);
  const changesValues = trailerValues(trailers, AI_CHANGES_REQUESTED);
  // A record that says "changes requested" anywhere is one (a malformed one never counts as a sign-off).
  const verdict: Verdict =
    looksLikeChangesSubject(subject) || changesValues.length > 0 ? 'changes-requested' : 'signoff';
  if (signoffValues.length > 0 && verdict === 'changes-requested') problems.push({ code: 'mixed-verdicts' });
  const listed = verdict === 'signoff' ? signoffValues : changesValues;
  for (const value of listed) {
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
    verdict === 'signoff' && ranges.length === 1 && ranges[0]!.length === 3 && ranges[0]!.every(isObjectId)
      ? { patchId: ranges[0]![0]!, from: ranges[0]![1]!, to: ranges[0]![2]! }
      : undefined;
  if (entries.length === 0 && !range && !problems.some(p => p.code === 'entry')) problems.push({ code: 'no-entries' });
  const count = verdict === 'signoff' ? parseSignoffSubject(subject) : parseChangesSubject(subject);
  if (count === undefined) problems.push({ code: 'subject', subject });
  else if (count !== listed.length) {
    problems.push({ code: 'count-mismatch', subjectCount: count, entries: listed.length });
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
  return { verdict, ...(reviewer ? { reviewer } : {}), entries, ...(range ? { range } : {}), problems };
}

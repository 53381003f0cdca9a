import {
  cleanComment,
  cleanName,
  isObjectId,
  parsePerson,
  trailerValues,
  type Person,
  type Trailer,
} from './signoff-message';

/**
 * A review request carried in git (docs/formats.md, since 0.2), so that it reaches the senior whatever the forge:
 * a commit whose parent is the branch's head and whose tree is the head's, kept at
 * `refs/ai-provenance/requests/<its own id>`, pushed by `request-review --push` (or `notes push`) and fetched by
 * `notes fetch`. Its parent carries the branch's commits along with it. The message:
 *
 *   AI review request: <n> commit(s)
 *
 *   <the author's optional note>
 *
 *   Requested-of: <email>              (one per senior asked)
 *   Requested-by: <Name> <email>
 *   AI-Review-Branch: <branch name>    (when on a branch)
 *   AI-Review-Base: <base as named>
 *   AI-Review-Commit: <patch-id> <commit-id>   (one per commit that waited)
 *
 * Anyone who can push may write one: a request only asks for attention, it never counts for anything.
 */

export const REQUEST_SUBJECT_PREFIX = 'AI review request: ';
export const REQUESTED_OF = 'Requested-of';
export const REQUESTED_BY = 'Requested-by';
export const REVIEW_BRANCH = 'AI-Review-Branch';
export const REVIEW_BASE = 'AI-Review-Base';
export const REVIEW_COMMIT = 'AI-Review-Commit';

export interface RequestMessage {
  to: readonly string[];
  by: Person;
  branch?: string;
  base?: string;
  commits: readonly { id: string; patchId?: string }[];
  note?: string;
}

const EMAIL = /^[^<>\s@]+@[^<>\s@]+$/;

/** One line, no control characters: a value a trailer can carry. */
function oneLine(value: string): string {
  // eslint-disable-next-line no-control-regex
  return value.replace(/[\u0000-\u001f\u007f]/g, ' ').trim();
}

export function formatRequestMessage(request: RequestMessage): string {
  for (const email of [...request.to, request.by.email])
    if (!EMAIL.test(email)) throw new Error(`"${email}" is not an e-mail address`);
  const withPatch = request.commits.filter(c => c.patchId !== undefined && isObjectId(c.patchId) && isObjectId(c.id));
  if (withPatch.length === 0) throw new Error('a review request names at least one commit');
  const n = withPatch.length;
  const note = cleanComment(request.note);
  const name = cleanName(request.by.name);
  const trailers = [
    ...request.to.map(email => `${REQUESTED_OF}: ${email}`),
    `${REQUESTED_BY}: ${name ? `${name} ` : ''}<${request.by.email}>`,
    ...(request.branch && oneLine(request.branch) ? [`${REVIEW_BRANCH}: ${oneLine(request.branch)}`] : []),
    ...(request.base && oneLine(request.base) ? [`${REVIEW_BASE}: ${oneLine(request.base)}`] : []),
    ...withPatch.map(c => `${REVIEW_COMMIT}: ${c.patchId} ${c.id}`),
  ];
  return (
    [
      `${REQUEST_SUBJECT_PREFIX}${n} ${n === 1 ? 'commit' : 'commits'}`,
      '',
      ...(note ? [note, ''] : []),
      ...trailers,
    ].join('\n') + '\n'
  );
}

/** What a request commit says, or undefined when it is not a well-formed request (it is then ignored). */
export function parseRequestMessage(subject: string, trailers: readonly Trailer[]): RequestMessage | undefined {
  if (!subject.startsWith(REQUEST_SUBJECT_PREFIX)) return undefined;
  const to = trailerValues(trailers, REQUESTED_OF)
    .map(v => v.trim())
    .filter(v => EMAIL.test(v));
  const byValues = trailerValues(trailers, REQUESTED_BY);
  if (to.length === 0 || byValues.length !== 1) return undefined;
  let by: Person;
  try {
    by = parsePerson(byValues[0]!);
  } catch {
    return undefined;
  }
  const commits: { id: string; patchId: string }[] = [];
  for (const value of trailerValues(trailers, REVIEW_COMMIT)) {
    const [patchId, id, ...rest] = value.trim().split(/ +/);
    if (rest.length === 0 && patchId && id && isObjectId(patchId) && isObjectId(id)) commits.push({ id, patchId });
  }
  if (commits.length === 0) return undefined;
  const branch = trailerValues(trailers, REVIEW_BRANCH)[0]?.trim();
  const base = trailerValues(trailers, REVIEW_BASE)[0]?.trim();
  return { to, by, commits, ...(branch ? { branch } : {}), ...(base ? { base } : {}) };
}

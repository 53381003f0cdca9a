/**
 * Ownership of paths (docs/review.md, "Routing by ownership"): `.ai-provenance/reviewers`, our own policy file, and
 * the repository's CODEOWNERS, both in CODEOWNERS syntax, read from the base revision. Pure: text in, rules out.
 *
 *   # a comment
 *   pattern owner owner ...      owners of the paths the pattern matches (a later matching line wins)
 *   pattern                      no owner: clears what earlier lines gave
 *   [Section] owner ...          GitLab: a section, with default owners for its lines that name none
 *   ^[Optional section]          GitLab: an optional section (read like any other)
 *
 * Patterns are gitignore-style, matched against the whole repository path (`/`-separated, no leading `/`):
 * - a leading `/`, or a `/` inside the pattern, anchors it at the root; otherwise it matches at any depth;
 * - a trailing `/` matches folders only (everything under them);
 * - `*` and `?` within one folder name, `[abc]`, `[a-z]`, `[!a]` classes, `**` across folders (`**\/x`, `x/**`,
 *   `a/**\/b`); `**` inside a name reads as `*`;
 * - a pattern that matches a folder matches everything under it, except one whose last part is `*` (GitHub:
 *   `docs/*` owns `docs/a.md` but not `docs/sub/b.md`);
 * - `\ ` is a space in a pattern, `\#` a `#`, `\` before any other character that character, literally.
 * `#` starts a comment at the start of a line or after white space. Negation (`!`) is not CODEOWNERS syntax.
 *
 * Owners are e-mail addresses. In CODEOWNERS, `@user` and `@org/team` owners cannot be matched to a roster and are
 * dropped; in `.ai-provenance/reviewers` they are errors. A path's owners are the union, over sections, of the
 * owners of the last line in that section that matches it (lines before any section form one section of their own).
 */

import { printable } from './packet';

export type OwnersSource = 'reviewers' | 'codeowners';

export interface OwnersProblem {
  /** 1-based line number. */
  readonly line: number;
  readonly message: string;
}

/** One part of a folder name: a literal character, `?`, `*`, or a class. */
type Token =
  | { readonly t: 'char'; readonly c: string }
  | { readonly t: 'any' }
  | { readonly t: 'star' }
  | { readonly t: 'class'; readonly negated: boolean; readonly items: readonly (readonly [string, string])[] };

/** A folder-name pattern, or `**` (any number of folders). */
type Segment = { readonly globstar: true } | { readonly globstar: false; readonly tokens: readonly Token[] };

export interface OwnersRule {
  readonly line: number;
  /** The pattern as written (escapes kept). */
  readonly pattern: string;
  /** E-mail owners, as written; empty: the line clears ownership. */
  readonly owners: readonly string[];
  /** The section key (lower-case name; '' before any section). */
  readonly section: string;
  readonly segments: readonly Segment[];
  /** Matches folders only (trailing `/`). */
  readonly dirOnly: boolean;
  /** A match of a folder does not extend to what is under it (last part `*`). */
  readonly noDescend: boolean;
}

export interface OwnersFile {
  readonly source: OwnersSource;
  /** The repository path it was read from. */
  readonly file: string;
  readonly rules: readonly OwnersRule[];
}

const EMAIL = /^[^@\s<>,]+@[^@\s<>,]+$/;
const HANDLE = /^@[^@\s]+$/;

/** Splits a line at white space that is not escaped; a token that starts with an unescaped `#` ends the line. */
function tokenize(text: string): string[] {
  const tokens: string[] = [];
  let current = '';
  let inToken = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\\' && i + 1 < text.length) {
      current += c + text[i + 1]!;
      inToken = true;
      i++;
    } else if (c === ' ' || c === '\t') {
      if (inToken) tokens.push(current);
      current = '';
      inToken = false;
    } else if (c === '#' && !inToken) {
      break;
    } else {
      current += c;
      inToken = true;
    }
  }
  if (inToken) tokens.push(current);
  return tokens;
}

/** A text from the file, quoted and shown visibly (control and invisible characters as their codes). */
function quote(text: string): string {
  return `"${printable(text.length > 80 ? `${text.slice(0, 77)}...` : text)}"`;
}

function unescape(text: string): string {
  return text.replace(/\\(.)/g, '$1');
}

/** Splits a pattern at unescaped `/`, keeping escapes in the parts. */
function splitSlashes(pattern: string): string[] {
  const parts: string[] = [];
  let current = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\' && i + 1 < pattern.length) {
      current += c + pattern[i + 1]!;
      i++;
    } else if (c === '/') {
      parts.push(current);
      current = '';
    } else current += c;
  }
  parts.push(current);
  return parts;
}

function compileSegment(part: string): Token[] | string {
  const tokens: Token[] = [];
  for (let i = 0; i < part.length; i++) {
    const c = part[i]!;
    if (c === '\\' && i + 1 < part.length) {
      tokens.push({ t: 'char', c: part[++i]! });
    } else if (c === '?') {
      tokens.push({ t: 'any' });
    } else if (c === '*') {
      if (tokens[tokens.length - 1]?.t !== 'star') tokens.push({ t: 'star' });
    } else if (c === '[') {
      let j = i + 1;
      const negated = part[j] === '!' || part[j] === '^';
      if (negated) j++;
      const items: [string, string][] = [];
      let first = true;
      let closed = false;
      while (j < part.length) {
        let ch = part[j]!;
        if (ch === ']' && !first) {
          closed = true;
          break;
        }
        if (ch === '\\' && j + 1 < part.length) ch = part[++j]!;
        first = false;
        if (part[j + 1] === '-' && j + 2 < part.length && part[j + 2] !== ']') {
          let to = part[j + 2]!;
          let skip = 2;
          if (to === '\\' && j + 3 < part.length) {
            to = part[j + 3]!;
            skip = 3;
          }
          if (to < ch) return `the range ${ch}-${to} in [...] is backwards`;
          items.push([ch, to]);
          j += skip + 1;
        } else {
          items.push([ch, ch]);
          j++;
        }
      }
      if (!closed) return 'a "[" has no closing "]" (write \\[ for the character itself)';
      tokens.push({ t: 'class', negated, items });
      i = j;
    } else {
      tokens.push({ t: 'char', c });
    }
  }
  return tokens;
}

/** Compiles a pattern (escapes kept); a string is the problem. */
function compilePattern(
  pattern: string,
): { segments: Segment[]; dirOnly: boolean; noDescend: boolean } | { problem: string } {
  if (pattern.startsWith('!'))
    return { problem: 'negation ("!") is not CODEOWNERS syntax; list what to match instead' };
  let body = pattern;
  const dirOnly = body.endsWith('/') && !body.endsWith('\\/');
  if (dirOnly) body = body.replace(/\/+$/, '');
  const rooted = body.startsWith('/');
  body = body.replace(/^\/+/, '');
  if (body === '')
    return rooted && !dirOnly
      ? { problem: '"/" alone matches nothing; write /** for everything' }
      : { problem: 'the pattern matches nothing' };
  const parts = splitSlashes(body);
  if (parts.some(p => p === '')) return { problem: 'the pattern has an empty folder name ("//")' };
  if (parts.some(p => p === '.' || p === '..'))
    return { problem: 'the pattern has a "." or ".." folder; patterns are relative to the repository root' };
  const anchored = rooted || parts.length > 1;
  const segments: Segment[] = anchored ? [] : [{ globstar: true }];
  for (const part of parts) {
    if (part === '**') {
      if (segments[segments.length - 1]?.globstar !== true) segments.push({ globstar: true });
      continue;
    }
    const tokens = compileSegment(part);
    if (typeof tokens === 'string') return { problem: tokens };
    segments.push({ globstar: false, tokens });
  }
  const last = parts[parts.length - 1]!;
  return { segments, dirOnly, noDescend: last === '*' };
}

function tokenMatches(token: Token, c: string): boolean {
  switch (token.t) {
    case 'char':
      return token.c === c;
    case 'any':
      return true;
    case 'class': {
      const inside = token.items.some(([from, to]) => c >= from && c <= to);
      return inside !== token.negated;
    }
    case 'star':
      return false;
  }
}

/** One folder name against its tokens: `*` backtracks to its last position only (linear for one star, no regex). */
function segmentMatches(tokens: readonly Token[], name: string): boolean {
  let p = 0;
  let n = 0;
  let star = -1;
  let mark = 0;
  while (n < name.length) {
    const token = tokens[p];
    if (token && token.t !== 'star' && tokenMatches(token, name[n]!)) {
      p++;
      n++;
    } else if (token?.t === 'star') {
      star = p++;
      mark = n;
    } else if (star >= 0) {
      p = star + 1;
      n = ++mark;
    } else return false;
  }
  while (tokens[p]?.t === 'star') p++;
  return p === tokens.length;
}

/** Whether the segments match exactly the folder names `names` (a trailing `**` needs one name at least). */
function segmentsMatch(segments: readonly Segment[], names: readonly string[]): boolean {
  // reach[j]: the first i pattern segments can match the first j names.
  let reach = new Uint8Array(names.length + 1);
  reach[0] = 1;
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i]!;
    const next = new Uint8Array(names.length + 1);
    const lastGlobstar = seg.globstar && i === segments.length - 1;
    for (let j = 0; j <= names.length; j++) {
      if (!reach[j]) continue;
      if (seg.globstar) {
        for (let k = lastGlobstar ? j + 1 : j; k <= names.length; k++) next[k] = 1;
      } else if (j < names.length && segmentMatches(seg.tokens, names[j]!)) {
        next[j + 1] = 1;
      }
    }
    reach = next;
  }
  return reach[names.length] === 1;
}

/** Whether the rule matches the file `path` (repository-relative, `/`-separated). */
export function ruleMatches(rule: Pick<OwnersRule, 'segments' | 'dirOnly' | 'noDescend'>, path: string): boolean {
  const names = path.split('/');
  if (!rule.dirOnly && segmentsMatch(rule.segments, names)) return true;
  // `docs/*` owns only what is directly in docs/; `docs/*/` owns the folders there and what they hold.
  if (rule.noDescend && !rule.dirOnly) return false;
  // A folder that holds the path: everything under a matched folder is matched.
  for (let k = names.length - 1; k >= 1; k--) {
    if (segmentsMatch(rule.segments, names.slice(0, k))) return true;
  }
  return false;
}

/**
 * Parses an ownership file. Problems are collected with line numbers: `.ai-provenance/reviewers` is refused when it
 * has any (its callers make them an error); for CODEOWNERS the line is skipped, and the caller warns.
 */
export function parseOwners(
  text: string,
  source: OwnersSource,
  file: string,
): { owners: OwnersFile; problems: OwnersProblem[] } {
  const rules: OwnersRule[] = [];
  const problems: OwnersProblem[] = [];
  const defaults = new Map<string, string[]>();
  let section = '';
  const lines = text.split('\n');
  lines.forEach((raw, index) => {
    const line = index + 1;
    const fail = (message: string): void => {
      problems.push({ line, message });
    };
    const content = (index === 0 && raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw).replace(/\r$/, '');
    if ([...content].some(c => (c.charCodeAt(0) < 0x20 && c !== '\t') || c.charCodeAt(0) === 0x7f))
      return fail('the line contains control characters');
    const trimmed = content.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;

    const header = /^(\^)?\[([^\]]*)\](?:\[(\d+)\])?(?=\s|$)(.*)$/.exec(trimmed);
    if (header) {
      const name = header[2]!.trim();
      if (name === '') return fail('a section header needs a name: [Section name]');
      const owners = checkOwners(tokenize(header[4]!), source, fail);
      if (!owners) return;
      section = name.toLowerCase();
      defaults.set(section, [...(defaults.get(section) ?? []), ...owners]);
      return;
    }

    const tokens = tokenize(trimmed);
    if (tokens.length === 0) return;
    const pattern = tokens[0]!;
    const compiled = compilePattern(pattern);
    if ('problem' in compiled) return fail(`pattern ${quote(unescape(pattern))}: ${compiled.problem}`);
    const owners = checkOwners(tokens.slice(1), source, fail);
    if (!owners) return;
    const named = owners.length > 0 || tokens.length > 1 ? owners : (defaults.get(section) ?? []);
    rules.push({ line, pattern, owners: named, section, ...compiled });
  });
  return { owners: { source, file, rules }, problems };
}

/** The e-mail owners of a line, or undefined when the line has a problem (reported through `fail`). */
function checkOwners(
  tokens: readonly string[],
  source: OwnersSource,
  fail: (message: string) => void,
): string[] | undefined {
  const owners: string[] = [];
  for (const token of tokens.map(unescape)) {
    if (EMAIL.test(token)) {
      if (!owners.some(o => o.toLowerCase() === token.toLowerCase())) owners.push(token);
    } else if (HANDLE.test(token)) {
      if (source === 'reviewers') {
        fail(
          `owner ${quote(token)}: owners here are the e-mail addresses of seniors in the roster; a @user or @team cannot be matched to a key`,
        );
        return undefined;
      }
      // CODEOWNERS: a forge account or team, which no key in the roster is tied to.
    } else {
      fail(`owner ${quote(token)} is neither an e-mail address nor a @user or @team`);
      return undefined;
    }
  }
  return owners;
}

/**
 * The owners of `path`: for each section, the owners of its last line that matches the path; their union, in the
 * order found. Empty: the path has no owner.
 */
export function ownersOf(file: OwnersFile, path: string): string[] {
  const last = new Map<string, OwnersRule>();
  for (const rule of file.rules) if (ruleMatches(rule, path)) last.set(rule.section, rule);
  const out: string[] = [];
  for (const rule of last.values())
    for (const o of rule.owners) if (!out.some(x => x.toLowerCase() === o.toLowerCase())) out.push(o);
  return out;
}

/** Every owner the file names, once (case-insensitive), with the first line that names it. */
export function namedOwners(file: OwnersFile): { owner: string; line: number }[] {
  const out: { owner: string; line: number }[] = [];
  for (const rule of file.rules)
    for (const owner of rule.owners)
      if (!out.some(x => x.owner.toLowerCase() === owner.toLowerCase())) out.push({ owner, line: rule.line });
  return out;
}

/** The problem text of a line, for messages: "line N: ...". */
export function ownersProblemText(problems: readonly OwnersProblem[]): string {
  return problems.map(p => `line ${p.line}: ${p.message}`).join('; ');
}

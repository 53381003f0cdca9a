/**
 * The roster of seniors: `.ai-provenance/allowed_signers`, in OpenSSH's allowed-signers format (ssh-keygen(1),
 * "ALLOWED SIGNERS"), read from the base revision:
 *
 *   principals [options] keytype base64-key [comment]
 *
 * `principals` is a comma-separated list of patterns (`*`, `?`, `!` negation), optionally in double quotes;
 * `options` is a comma-separated list of `cert-authority`, `namespaces="…"`, `valid-after="…"`, `valid-before="…"`.
 * Blank lines and lines starting with `#` are ignored. ssh-keygen does the cryptographic verification against the
 * same file; this parser exists to reject a bad roster with line numbers before anything relies on it, and to map
 * keys to principals (who is signing, is this key in the roster).
 */

export const KEY_TYPES = [
  'ssh-ed25519',
  'ssh-rsa',
  'ssh-dss',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'sk-ssh-ed25519@openssh.com',
  'sk-ecdsa-sha2-nistp256@openssh.com',
] as const;

export interface RosterEntry {
  /** 1-based line number in the file. */
  readonly line: number;
  /** Principal patterns, as written (unquoted, split at commas). */
  readonly principals: readonly string[];
  /** The key is a certificate authority: keys it certified may sign. */
  readonly certAuthority: boolean;
  /** Signature namespaces the key may sign for; undefined: any. */
  readonly namespaces?: readonly string[];
  readonly validAfter?: string;
  readonly validBefore?: string;
  readonly keyType: string;
  /** The key blob, base64 as written. */
  readonly key: string;
  readonly comment?: string;
}

export interface RosterProblem {
  readonly line: number;
  readonly message: string;
}

/** The roster has lines ssh-keygen would not accept (or that could never authorize anyone). */
export class RosterError extends Error {
  override readonly name = 'RosterError';
  constructor(readonly problems: readonly RosterProblem[]) {
    super(problems.map(p => `line ${p.line}: ${p.message}`).join('; '));
  }
}

const OPTION_NAMES = ['cert-authority', 'namespaces', 'valid-after', 'valid-before'] as const;
const TIME = /^\d{8}(?:\d{4}(?:\d{2})?)?Z?$/;

/** Reads one whitespace-delimited field; a field starting with `"` runs to the closing quote. */
function takeField(text: string, at: number): { value: string; quoted: boolean; end: number } | { error: string } {
  if (text[at] === '"') {
    const close = text.indexOf('"', at + 1);
    if (close < 0) return { error: 'a quoted field has no closing quote' };
    const end = close + 1;
    if (end < text.length && !/\s/.test(text[end]!)) return { error: 'a quoted field must be followed by a space' };
    return { value: text.slice(at + 1, close), quoted: true, end };
  }
  let end = at;
  while (end < text.length && !/\s/.test(text[end]!)) end++;
  return { value: text.slice(at, end), quoted: false, end };
}

/** Reads the options field: up to the first space outside double quotes. */
function takeOptions(text: string, at: number): { value: string; end: number } | { error: string } {
  let quoted = false;
  let end = at;
  for (; end < text.length; end++) {
    const c = text[end]!;
    if (c === '"') quoted = !quoted;
    else if (!quoted && /\s/.test(c)) break;
  }
  if (quoted) return { error: 'an option value has no closing quote' };
  return { value: text.slice(at, end), end };
}

function skipSpace(text: string, at: number): number {
  while (at < text.length && (text[at] === ' ' || text[at] === '\t')) at++;
  return at;
}

/** Splits options at commas outside quotes. */
function splitOptions(value: string): string[] {
  const out: string[] = [];
  let quoted = false;
  let start = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c === '"') quoted = !quoted;
    else if (c === ',' && !quoted) {
      out.push(value.slice(start, i));
      start = i + 1;
    }
  }
  out.push(value.slice(start));
  return out;
}

interface ParsedOptions {
  certAuthority: boolean;
  namespaces?: string[];
  validAfter?: string;
  validBefore?: string;
}

function parseOptions(value: string): ParsedOptions | { error: string } {
  const result: ParsedOptions = { certAuthority: false };
  const seen = new Set<string>();
  for (const option of splitOptions(value)) {
    const eq = option.indexOf('=');
    const name = (eq < 0 ? option : option.slice(0, eq)).toLowerCase();
    if (!(OPTION_NAMES as readonly string[]).includes(name)) {
      return { error: `unknown option "${option}" (allowed: ${OPTION_NAMES.join(', ')})` };
    }
    if (seen.has(name)) return { error: `option ${name} appears twice` };
    seen.add(name);
    if (name === 'cert-authority') {
      if (eq >= 0) return { error: 'cert-authority takes no value' };
      result.certAuthority = true;
      continue;
    }
    const raw = eq < 0 ? undefined : option.slice(eq + 1);
    if (raw === undefined || raw.length < 2 || !raw.startsWith('"') || !raw.endsWith('"')) {
      return {
        error: `${name} needs a value in double quotes, e.g. ${name}="${name === 'namespaces' ? 'git' : '20260101'}"`,
      };
    }
    const inner = raw.slice(1, -1);
    if (name === 'namespaces') {
      const list = inner.split(',').map(s => s.trim());
      if (list.some(s => s === '')) return { error: 'namespaces has an empty entry' };
      result.namespaces = list;
    } else {
      if (!TIME.test(inner)) return { error: `${name} must be YYYYMMDD[HHMM[SS]][Z] (got "${inner}")` };
      if (name === 'valid-after') result.validAfter = inner;
      else result.validBefore = inner;
    }
  }
  return result;
}

/** Reads an SSH wire-format string (uint32 length + bytes) at `at`; undefined when the blob is too short. */
function readSshString(bytes: Uint8Array, at: number): { value: Uint8Array; end: number } | undefined {
  if (at + 4 > bytes.length) return undefined;
  const length = ((bytes[at]! << 24) >>> 0) + (bytes[at + 1]! << 16) + (bytes[at + 2]! << 8) + bytes[at + 3]!;
  const end = at + 4 + length;
  if (end > bytes.length) return undefined;
  return { value: bytes.subarray(at + 4, end), end };
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** Why `key` is not a public key blob of `keyType`, or undefined when it is one. */
export function keyBlobProblem(keyType: string, key: string): string | undefined {
  if (!BASE64.test(key) || key.length % 4 !== 0) return 'the key is not valid base64';
  const bytes = Buffer.from(key, 'base64');
  if (bytes.toString('base64') !== key) return 'the key is not valid base64';
  const first = readSshString(bytes, 0);
  if (!first) return 'the key blob is truncated';
  const inner = Buffer.from(first.value).toString('latin1');
  if (inner !== keyType) return `the key blob is a ${JSON.stringify(inner.slice(0, 40))} key, not ${keyType}`;
  if (first.end >= bytes.length) return 'the key blob is truncated';
  return undefined;
}

function isKeyType(token: string): boolean {
  return (KEY_TYPES as readonly string[]).includes(token);
}

/** Parses allowed_signers text. Problems are collected, not thrown: a caller lists them all with line numbers. */
export function parseAllowedSigners(text: string): { entries: RosterEntry[]; problems: RosterProblem[] } {
  const entries: RosterEntry[] = [];
  const problems: RosterProblem[] = [];
  const lines = text.split('\n');
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  lines.forEach((raw, index) => {
    const line = index + 1;
    const fail = (message: string): void => {
      problems.push({ line, message });
    };
    const text = (index === 0 && raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw).replace(/\r$/, '');
    if ([...text].some(c => (c.charCodeAt(0) < 0x20 && c !== '\t') || c.charCodeAt(0) === 0x7f))
      return fail('the line contains control characters');
    let at = skipSpace(text, 0);
    if (at >= text.length || text[at] === '#') return;

    const principalField = takeField(text, at);
    if ('error' in principalField) return fail(principalField.error);
    const principals = principalField.value.split(',');
    if (principalField.value === '' || principals.some(p => p.trim() === '' || p !== p.trim())) {
      return fail(
        'the principals (first field) must be a comma-separated list of e-mail addresses or patterns without spaces',
      );
    }
    if (principals.every(p => p.startsWith('!')))
      return fail('the principals only exclude (every pattern starts with "!"), so they match nobody');
    at = skipSpace(text, principalField.end);
    if (at >= text.length) return fail('a key type and key must follow the principals');

    let options: ParsedOptions = { certAuthority: false };
    let next = takeField(text, at);
    if ('error' in next) return fail(next.error);
    if (!isKeyType(next.value)) {
      const optionField = takeOptions(text, at);
      if ('error' in optionField) return fail(optionField.error);
      const looksLikeType = /^(ssh|ecdsa|sk)-/.test(optionField.value);
      if (looksLikeType) return fail(`unknown key type "${optionField.value}" (known: ${KEY_TYPES.join(', ')})`);
      const parsed = parseOptions(optionField.value);
      if ('error' in parsed) return fail(parsed.error);
      options = parsed;
      at = skipSpace(text, optionField.end);
      if (at >= text.length) return fail('a key type and key must follow the options');
      next = takeField(text, at);
      if ('error' in next) return fail(next.error);
      if (!isKeyType(next.value)) return fail(`unknown key type "${next.value}" (known: ${KEY_TYPES.join(', ')})`);
    }
    const keyType = next.value;
    at = skipSpace(text, next.end);
    const keyField = takeField(text, at);
    if ('error' in keyField || keyField.value === '')
      return fail(`the ${keyType} key (base64) is missing after the key type`);
    const keyProblem = keyBlobProblem(keyType, keyField.value);
    if (keyProblem) return fail(keyProblem);
    const comment = text.slice(skipSpace(text, keyField.end)).trim();
    const entry: RosterEntry = {
      line,
      principals,
      certAuthority: options.certAuthority,
      keyType,
      key: keyField.value,
      ...(options.namespaces ? { namespaces: options.namespaces } : {}),
      ...(options.validAfter ? { validAfter: options.validAfter } : {}),
      ...(options.validBefore ? { validBefore: options.validBefore } : {}),
      ...(comment ? { comment } : {}),
    };
    entries.push(entry);
  });
  return { entries, problems };
}

/**
 * OpenSSH's pattern-list match (match_pattern_list): `name` matches when some pattern matches it and no negated
 * (`!`) pattern does. `*` matches any run, `?` one character. Case-sensitive, as ssh-keygen is for principals.
 */
export function matchPrincipal(patterns: readonly string[], name: string): boolean {
  let matched = false;
  for (const pattern of patterns) {
    const negated = pattern.startsWith('!');
    if (wildcardMatch(negated ? pattern.slice(1) : pattern, name)) {
      if (negated) return false;
      matched = true;
    }
  }
  return matched;
}

function wildcardMatch(pattern: string, name: string): boolean {
  // Iterative glob with backtracking on the last `*`: linear in practice, no regular expression built from input.
  let p = 0;
  let n = 0;
  let star = -1;
  let mark = 0;
  while (n < name.length) {
    if (p < pattern.length && (pattern[p] === '?' || pattern[p] === name[n])) {
      p++;
      n++;
    } else if (p < pattern.length && pattern[p] === '*') {
      star = p++;
      mark = n;
    } else if (star >= 0) {
      p = star + 1;
      n = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.length && pattern[p] === '*') p++;
  return p === pattern.length;
}

/** A validated roster. */
export class Roster {
  constructor(readonly entries: readonly RosterEntry[]) {}

  get isEmpty(): boolean {
    return this.entries.length === 0;
  }

  /** Entries (not certificate authorities) whose key is exactly `keyType key`. */
  entriesForKey(keyType: string, key: string): RosterEntry[] {
    return this.entries.filter(e => !e.certAuthority && e.keyType === keyType && e.key === key);
  }

  /** Whether `principal` is allowed by some entry (OpenSSH pattern semantics, case-sensitive). */
  allows(principal: string): boolean {
    return this.entries.some(e => matchPrincipal(e.principals, principal));
  }

  /** Whether some entry names `email` (case-insensitive for a person typing an address; patterns apply). */
  allowsEmail(email: string): boolean {
    const lower = email.toLowerCase();
    return this.entries.some(e =>
      matchPrincipal(
        e.principals.map(p => p.toLowerCase()),
        lower,
      ),
    );
  }

  /** The plain (pattern-free, non-negated) principals, in file order, without duplicates. */
  plainPrincipals(): string[] {
    const out: string[] = [];
    for (const e of this.entries) {
      for (const p of e.principals) if (!/[*?!]/.test(p) && !out.includes(p)) out.push(p);
    }
    return out;
  }

  /** How many distinct people could sign: distinct keys (a person with two keys counts twice at most). */
  signerCapacity(): number {
    return new Set(this.entries.map(e => `${e.keyType} ${e.key}`)).size;
  }
}

/** Parses and validates allowed_signers; throws RosterError listing every bad line. */
export function loadRoster(text: string): Roster {
  const { entries, problems } = parseAllowedSigners(text);
  if (problems.length > 0) throw new RosterError(problems);
  return new Roster(entries);
}

/** A commented template that explains the format, for a repository that has no roster yet. */
export function starterAllowedSigners(): string {
  return [
    '# Seniors who may sign off AI-assisted changes (OpenSSH allowed-signers format, see ssh-keygen(1)).',
    '# One line per person and key:  <email> <key-type> <base64-key> [comment]',
    '# The key is the public key they sign commits with (git config user.signingkey, gpg.format=ssh), e.g. the',
    '# contents of ~/.ssh/id_ed25519.pub. Options go between the email and the key: namespaces="git",',
    '# valid-after="20260101", valid-before="20270101". This file is read from the base branch: a change to it',
    '# takes effect once it is merged there.',
    '#',
    '# senior@example.com ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI... senior laptop',
    '',
  ].join('\n');
}

import { Minimatch, type MinimatchOptions } from 'minimatch';

/**
 * The repository policy of docs/review.md: `.ai-provenance/policy.json`, read from the base revision of the
 * branch under review. Every key is optional; the defaults below are the contract. An unknown key or a bad value is
 * a PolicyError naming the key path (`signoff.highRiskSigners`), never silently ignored: a typo in a policy must not
 * turn the gate off.
 */

export const POLICY_VERSION = 1;

export interface SignoffPolicy {
  /** A commit needs sign-off when at least this many of its ai+mixed lines are in paths the policy does not ignore. */
  readonly minAiLines: number;
  /** Globs over repository paths whose AI lines need no sign-off. */
  readonly ignore: readonly string[];
  /** Globs over repository paths where an AI line makes the commit high-risk. */
  readonly highRisk: readonly string[];
  /** Distinct verified signers a high-risk commit needs. */
  readonly highRiskSigners: number;
  /** Whether a senior may sign off commits they authored. */
  readonly allowSelfSignoff: boolean;
  /** Whether a sign-off counts only when its SSH signature verifies against the roster. */
  readonly requireSignature: boolean;
  /** Whether lines an AI removed count like lines it wrote (`deleted=` in AI-Attribution). Default true. */
  readonly aiDeletions: boolean;
  /**
   * Whether a senior's own commit counts as reviewed by one senior when the commit itself carries an SSH signature
   * that verifies with the roster for its author's address (state `self-signed`). Default false.
   */
  readonly seniorSignedCommits: boolean;
}

export interface TrailerPolicy {
  /** Write `AI-Attribution` on every commit, so a bypassed hook shows. */
  readonly onEveryCommit: boolean;
  /** Add `Co-authored-by` for AI agents. */
  readonly coAuthoredBy: boolean;
}

export interface Policy {
  readonly version: typeof POLICY_VERSION;
  readonly signoff: SignoffPolicy;
  readonly trailers: TrailerPolicy;
}

export const DEFAULT_POLICY: Policy = Object.freeze({
  version: POLICY_VERSION,
  signoff: Object.freeze({
    minAiLines: 1,
    ignore: Object.freeze([] as string[]),
    highRisk: Object.freeze([] as string[]),
    highRiskSigners: 2,
    allowSelfSignoff: false,
    requireSignature: true,
    aiDeletions: true,
    seniorSignedCommits: false,
  }),
  trailers: Object.freeze({ onEveryCommit: false, coAuthoredBy: false }),
});

/** The policy is not valid. `key` is the dotted path of the offending key ('' for the document itself). */
export class PolicyError extends Error {
  override readonly name = 'PolicyError';
  constructor(
    readonly key: string,
    readonly problem: string,
  ) {
    super(key === '' ? problem : `${key} ${problem}`);
  }
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  const text = JSON.stringify(value);
  return text === undefined ? String(value) : text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function checkKeys(value: Json, prefix: string, known: readonly string[]): void {
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) {
      const path = prefix ? `${prefix}.${key}` : key;
      throw new PolicyError(path, `is not a policy key (known${prefix ? ` in ${prefix}` : ''}: ${known.join(', ')})`);
    }
  }
}

function wholeNumber(value: unknown, key: string, min: number, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    throw new PolicyError(key, `must be a whole number >= ${min} (got ${describe(value)})`);
  }
  return value;
}

function flag(value: unknown, key: string, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw new PolicyError(key, `must be true or false (got ${describe(value)})`);
  return value;
}

function globList(value: unknown, key: string): readonly string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value))
    throw new PolicyError(key, `must be a list of glob patterns, e.g. ["docs/**"] (got ${describe(value)})`);
  return Object.freeze(
    value.map((item: unknown, i) => {
      const itemKey = `${key}[${i}]`;
      if (typeof item !== 'string')
        throw new PolicyError(itemKey, `must be a glob pattern string (got ${describe(item)})`);
      const problem = globProblem(item);
      if (problem) throw new PolicyError(itemKey, `${problem} (got ${describe(item)})`);
      return item;
    }),
  );
}

/** Validates a parsed policy document. Throws PolicyError naming the first bad key. */
export function validatePolicy(value: unknown): Policy {
  if (!isObject(value)) throw new PolicyError('', `the policy must be a JSON object (got ${describe(value)})`);
  checkKeys(value, '', ['version', 'signoff', 'trailers']);
  if (value.version !== undefined && value.version !== POLICY_VERSION) {
    throw new PolicyError(
      'version',
      `must be ${POLICY_VERSION} (got ${describe(value.version)}); this ai-provenance reads policy version ${POLICY_VERSION}`,
    );
  }
  const signoff = value.signoff ?? {};
  if (!isObject(signoff)) throw new PolicyError('signoff', `must be an object (got ${describe(signoff)})`);
  checkKeys(signoff, 'signoff', [
    'minAiLines',
    'ignore',
    'highRisk',
    'highRiskSigners',
    'allowSelfSignoff',
    'requireSignature',
    'aiDeletions',
    'seniorSignedCommits',
  ]);
  const trailers = value.trailers ?? {};
  if (!isObject(trailers)) throw new PolicyError('trailers', `must be an object (got ${describe(trailers)})`);
  checkKeys(trailers, 'trailers', ['onEveryCommit', 'coAuthoredBy']);
  const d = DEFAULT_POLICY;
  return Object.freeze({
    version: POLICY_VERSION,
    signoff: Object.freeze({
      minAiLines: wholeNumber(signoff.minAiLines, 'signoff.minAiLines', 1, d.signoff.minAiLines),
      ignore: globList(signoff.ignore, 'signoff.ignore'),
      highRisk: globList(signoff.highRisk, 'signoff.highRisk'),
      highRiskSigners: wholeNumber(signoff.highRiskSigners, 'signoff.highRiskSigners', 1, d.signoff.highRiskSigners),
      allowSelfSignoff: flag(signoff.allowSelfSignoff, 'signoff.allowSelfSignoff', d.signoff.allowSelfSignoff),
      requireSignature: flag(signoff.requireSignature, 'signoff.requireSignature', d.signoff.requireSignature),
      aiDeletions: flag(signoff.aiDeletions, 'signoff.aiDeletions', d.signoff.aiDeletions),
      seniorSignedCommits: flag(
        signoff.seniorSignedCommits,
        'signoff.seniorSignedCommits',
        d.signoff.seniorSignedCommits,
      ),
    }),
    trailers: Object.freeze({
      onEveryCommit: flag(trailers.onEveryCommit, 'trailers.onEveryCommit', d.trailers.onEveryCommit),
      coAuthoredBy: flag(trailers.coAuthoredBy, 'trailers.coAuthoredBy', d.trailers.coAuthoredBy),
    }),
  });
}

/** Parses the text of `.ai-provenance/policy.json`. Throws PolicyError ('' key for a document that is not JSON). */
export function parsePolicy(text: string): Policy {
  let value: unknown;
  try {
    // A UTF-8 byte order mark is what some editors write; it is not part of the JSON.
    value = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (error) {
    throw new PolicyError(
      '',
      `the policy is not valid JSON: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  return validatePolicy(value);
}

/** The text a new repository starts with: every key at its default, so a person sees what can be set. */
export function starterPolicy(): string {
  return `${JSON.stringify(
    {
      version: POLICY_VERSION,
      signoff: { ...DEFAULT_POLICY.signoff },
      trailers: { ...DEFAULT_POLICY.trailers },
    },
    null,
    2,
  )}\n`;
}

// ---------------------------------------------------------------------------------------------------------------
// Globs over repository paths

/**
 * The glob language of `ignore` and `highRisk`, matched against the whole repository path (`/`-separated, no
 * leading `/`): `*` and `?` within one folder name, `**` across folders (also zero), `[abc]` classes, `{a,b}`
 * alternatives; dot files match like any other (`**` covers `.github/`). A pattern ending in `/` means everything
 * under that folder. Negation (`!`), extglobs and backslashes are not part of it.
 */
const GLOB_OPTIONS: MinimatchOptions = {
  dot: true,
  nonegate: true,
  nocomment: true,
  noext: true,
  nocase: false,
  matchBase: false,
  platform: 'linux',
};

/** Why a pattern is not usable, or undefined when it is. */
export function globProblem(pattern: string): string | undefined {
  if (pattern.trim() === '') return 'must not be empty';
  if (pattern !== pattern.trim()) return 'must not start or end with spaces';
  if (pattern.startsWith('!')) return 'must not start with "!": negation is not supported; list what to match instead';
  if (pattern.startsWith('/')) return 'is relative to the repository root and must not start with "/"';
  if (pattern.startsWith('./')) return 'is relative to the repository root and must not start with "./"';
  if (pattern.includes('\\')) return 'must use "/" between folders and no "\\"';
  if ([...pattern].some(c => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f))
    return 'must not contain control characters';
  return undefined;
}

export interface PathMatcher {
  readonly patterns: readonly string[];
  /** True when `path` (repository-relative, `/`-separated) matches any pattern. */
  matches(path: string): boolean;
  /** The first pattern `path` matches, or undefined. */
  firstMatch(path: string): string | undefined;
}

/** Compiles a validated glob list. Throws PolicyError (with `key`) for a pattern globProblem rejects. */
export function compileGlobs(patterns: readonly string[], key = 'pattern'): PathMatcher {
  const compiled = patterns.map((pattern, i) => {
    const problem = globProblem(pattern);
    if (problem) throw new PolicyError(`${key}[${i}]`, `${problem} (got ${describe(pattern)})`);
    return { pattern, matcher: new Minimatch(pattern.endsWith('/') ? `${pattern}**` : pattern, GLOB_OPTIONS) };
  });
  const firstMatch = (path: string): string | undefined => compiled.find(c => c.matcher.match(path))?.pattern;
  return { patterns: Object.freeze([...patterns]), matches: path => firstMatch(path) !== undefined, firstMatch };
}

export interface PolicyMatchers {
  ignore: PathMatcher;
  highRisk: PathMatcher;
}

export function policyMatchers(policy: Policy): PolicyMatchers {
  return {
    ignore: compileGlobs(policy.signoff.ignore, 'signoff.ignore'),
    highRisk: compileGlobs(policy.signoff.highRisk, 'signoff.highRisk'),
  };
}

import * as fsp from 'node:fs/promises';
import * as path from 'node:path';
import type { Logger } from '../../core/log';
import { nullLogger } from '../../core/log';
import { DEFAULT_POLICY, parsePolicy, PolicyError, type Policy } from '../../core/review/policy';
import { loadRoster, RosterError, type Roster } from '../../core/review/roster';
import {
  namedOwners,
  parseOwners,
  ownersProblemText,
  type OwnersFile,
  type OwnersProblem,
} from '../../core/review/owners';
import { isObjectId } from '../../core/formats/signoff-message';
import { git, runGit } from '../git/git';
import { ENVIRONMENT_EXIT, USAGE_EXIT } from '../../core/errors';
import { splitNul } from '../git/parse';
import { refsNamedBy } from '../git/queries';

/**
 * The base of a review, resolved from git: revisions, whether the clone is shallow, and the policy and roster
 * read from the BASE revision (`git ls-tree` + `git cat-file`), never from the branch or the work tree.
 */

export const POLICY_PATH = '.ai-provenance/policy.json';
export const ROSTER_PATH = '.ai-provenance/allowed_signers';
/** Who owns which paths, for routing and enforcement (CODEOWNERS syntax; docs/review.md). */
export const REVIEWERS_PATH = '.ai-provenance/reviewers';
/** Where GitHub and GitLab look for CODEOWNERS, in this order; the first found is read. */
export const CODEOWNERS_PATHS = ['.github/CODEOWNERS', 'CODEOWNERS', 'docs/CODEOWNERS', '.gitlab/CODEOWNERS'] as const;
/** GitHub ignores a CODEOWNERS larger than this; so do we. */
const CODEOWNERS_MAX_BYTES = 3 * 1024 * 1024;

/** git cannot answer the question as asked: unknown or ambiguous revision, shallow history. The message says how to fix it. */
export class BranchReviewError extends Error {
  override readonly name = 'BranchReviewError';
  constructor(
    readonly code: 'unknown-base' | 'unknown-head' | 'unknown-branch' | 'shallow' | 'ambiguous',
    message: string,
  ) {
    super(message);
  }

  /** An ambiguous name is bad input (exit 2); the others are what the clone lacks (exit 3). */
  get cliExitCode(): 2 | 3 {
    return this.code === 'ambiguous' ? USAGE_EXIT : ENVIRONMENT_EXIT;
  }
}

/** The base's policy or roster is not valid; `cause` names the key (PolicyError) or the lines (RosterError). */
export class PolicyFileError extends Error {
  override readonly name = 'PolicyFileError';
  readonly cliExitCode = USAGE_EXIT;
  readonly headline = 'bad policy';
  constructor(
    readonly file: string,
    readonly base: string,
    readonly problem: PolicyError | RosterError | OwnersError | Error,
  ) {
    super(`${file} at ${base}: ${problem.message}`);
  }

  /** The policy key at fault, for a PolicyError. */
  get key(): string | undefined {
    return this.problem instanceof PolicyError ? this.problem.key : undefined;
  }
}

/** `.ai-provenance/reviewers` has lines that do not read, or owners that are not seniors. */
export class OwnersError extends Error {
  override readonly name = 'OwnersError';
  constructor(readonly problems: readonly OwnersProblem[]) {
    super(ownersProblemText(problems));
  }
}

export interface RevisionRef {
  /** As the person named it. */
  rev: string;
  id: string;
}

export interface BasePolicy {
  policy: Policy;
  /** `base`: read from the base's policy.json; `default`: the base has none. */
  policySource: 'base' | 'default';
  roster: Roster | undefined;
  /** The roster file's text as committed at base (what ssh-keygen verifies against). */
  rosterText: string | undefined;
}

export async function resolveCommit(root: string, rev: string, logger: Logger): Promise<string | undefined> {
  const { stdout, exitCode } = await runGit(
    ['rev-parse', '--verify', '--quiet', '--end-of-options', `${rev}^{commit}`],
    {
      cwd: root,
      logger,
      okExitCodes: [0, 1, 128],
    },
  );
  const id = stdout.trim();
  return exitCode === 0 && isObjectId(id) ? id : undefined;
}

/**
 * Resolves a revision the person gave for a review (`--base`, `--head`) to one commit, refusing a name git could
 * take for more than one thing: a pushed tag `main` next to the branch, a local branch `origin/main` next to the
 * remote one. Git would pick one silently; the gate says which names clash and how to pick.
 */
export async function resolveReviewRevision(
  root: string,
  which: 'base' | 'head' | 'branch',
  rev: string,
  logger: Logger,
): Promise<string | undefined> {
  const refs = await refsNamedBy(root, rev, logger);
  if (refs.length > 1) {
    const shown = refs.map(r => (r === 'object' ? 'an object id' : r)).join(', ');
    // Suggest a branch (remote first): a base is a branch, and tags are what get pushed to confuse it.
    const full =
      refs.find(r => r.startsWith('refs/remotes/')) ??
      refs.find(r => r.startsWith('refs/heads/')) ??
      refs.find(r => r.startsWith('refs/')) ??
      refs[0]!;
    throw new BranchReviewError(
      'ambiguous',
      `the ${which} "${rev}" is ambiguous: it names ${shown}. Give the full name of the one you mean, e.g. --${which} ${full.replace(/^\$GIT_DIR\//, '')}`,
    );
  }
  return resolveCommit(root, rev, logger);
}

interface RepoFacts {
  objectFormat: 'sha1' | 'sha256';
  shallow: boolean;
  shallowFile: string;
}

export async function repoFacts(root: string, logger: Logger): Promise<RepoFacts> {
  const out = (
    await git(['rev-parse', '--show-object-format', '--is-shallow-repository', '--git-path', 'shallow'], {
      cwd: root,
      logger,
    })
  ).split('\n');
  return {
    objectFormat: out[0] === 'sha256' ? 'sha256' : 'sha1',
    shallow: out[1] === 'true',
    shallowFile: path.resolve(root, out[2] ?? '.git/shallow'),
  };
}

export function unknownRevision(
  code: 'unknown-base' | 'unknown-head' | 'unknown-branch',
  rev: string,
  shallow: boolean,
): BranchReviewError {
  const what = code === 'unknown-base' ? 'base' : code === 'unknown-head' ? 'head' : 'branch';
  const fix = shallow
    ? `this clone is shallow: fetch the history (git fetch --unshallow origin, or in GitHub Actions actions/checkout with fetch-depth: 0)`
    : `fetch it (e.g. git fetch origin ${rev.replace(/^origin\//, '')}) or name a commit that exists here`;
  return new BranchReviewError(code, `the ${what} revision '${rev}' is not a commit in this repository: ${fix}`);
}

async function readBlobAt(
  root: string,
  base: string,
  entry: { mode: string; oid: string; path: string },
  logger: Logger,
): Promise<string> {
  if (entry.mode !== '100644' && entry.mode !== '100755') {
    throw new PolicyFileError(
      entry.path,
      base,
      new Error('must be a regular file (it is a link, folder or submodule at base)'),
    );
  }
  const text = await git(['cat-file', 'blob', entry.oid], { cwd: root, logger });
  if (text.includes('\uFFFD')) throw new PolicyFileError(entry.path, base, new Error('is not UTF-8 text'));
  return text;
}

/** Reads policy.json and allowed_signers as committed at `baseId`. Throws PolicyFileError when one is invalid. */
export async function readBasePolicy(
  root: string,
  baseId: string,
  baseName: string,
  logger: Logger = nullLogger,
): Promise<BasePolicy> {
  const listing = await git(['ls-tree', '-z', '--full-tree', baseId, '--', POLICY_PATH, ROSTER_PATH], {
    cwd: root,
    logger,
  });
  const entries = new Map<string, { mode: string; oid: string; path: string }>();
  for (const record of splitNul(listing)) {
    const m = /^(\d+) (\w+) ([0-9a-f]+)\t(.*)$/s.exec(record);
    if (m) entries.set(m[4]!, { mode: m[1]!, oid: m[3]!, path: m[4]! });
  }
  const policyEntry = entries.get(POLICY_PATH);
  const rosterEntry = entries.get(ROSTER_PATH);
  const [policyText, rosterText] = await Promise.all([
    policyEntry ? readBlobAt(root, baseName, policyEntry, logger) : undefined,
    rosterEntry ? readBlobAt(root, baseName, rosterEntry, logger) : undefined,
  ]);
  let policy: Policy = DEFAULT_POLICY;
  if (policyText !== undefined) {
    try {
      policy = parsePolicy(policyText);
    } catch (error) {
      if (error instanceof PolicyError) throw new PolicyFileError(POLICY_PATH, baseName, error);
      throw error;
    }
  }
  let roster: Roster | undefined;
  if (rosterText !== undefined) {
    try {
      roster = loadRoster(rosterText);
    } catch (error) {
      if (error instanceof RosterError) throw new PolicyFileError(ROSTER_PATH, baseName, error);
      throw error;
    }
  }
  return { policy, policySource: policyText === undefined ? 'default' : 'base', roster, rosterText };
}

export async function readShallow(file: string): Promise<Set<string>> {
  try {
    return new Set(
      (await fsp.readFile(file, 'utf8'))
        .split('\n')
        .map(s => s.trim())
        .filter(Boolean),
    );
  } catch {
    return new Set();
  }
}

/**
 * Who owns which paths, read from the BASE like the policy: `.ai-provenance/reviewers` when the base has it (our
 * policy file: a line that does not read, or an owner the roster does not list, is a PolicyFileError naming the
 * line), else the first CODEOWNERS GitHub or GitLab would read (someone else's file: a line that does not read is
 * skipped with a warning, and owners that are not seniors of the roster are dropped when the review matches them).
 * Undefined when the base has neither. `codeowners: false` reads `.ai-provenance/reviewers` only (the audit, which
 * applies the enforced ownership only).
 */
export async function readBaseOwners(
  root: string,
  baseId: string,
  baseName: string,
  roster: Roster | undefined,
  logger: Logger = nullLogger,
  options: { codeowners?: boolean } = {},
): Promise<OwnersFile | undefined> {
  const wanted = options.codeowners === false ? [REVIEWERS_PATH] : [REVIEWERS_PATH, ...CODEOWNERS_PATHS];
  const listing = await git(['ls-tree', '-z', '-l', '--full-tree', baseId, '--', ...wanted], { cwd: root, logger });
  const entries = new Map<string, { mode: string; oid: string; path: string; size: number }>();
  for (const record of splitNul(listing)) {
    const m = /^(\d+) (\w+) ([0-9a-f]+) +(\d+|-)\t(.*)$/s.exec(record);
    if (m) entries.set(m[5]!, { mode: m[1]!, oid: m[3]!, path: m[5]!, size: m[4] === '-' ? 0 : Number(m[4]) });
  }
  const reviewers = entries.get(REVIEWERS_PATH);
  if (reviewers) {
    const text = await readBlobAt(root, baseName, reviewers, logger);
    const { owners, problems } = parseOwners(text, 'reviewers', REVIEWERS_PATH);
    if (roster && !roster.isEmpty) {
      for (const { owner, line } of namedOwners(owners))
        if (!roster.allowsEmail(owner))
          problems.push({ line, message: `owner ${owner} is not a senior in ${ROSTER_PATH} at the base` });
    }
    if (problems.length > 0) {
      problems.sort((a, b) => a.line - b.line);
      throw new PolicyFileError(REVIEWERS_PATH, baseName, new OwnersError(problems));
    }
    return owners;
  }
  if (options.codeowners === false) return undefined;
  const found = CODEOWNERS_PATHS.map(p => entries.get(p)).find(e => e !== undefined);
  if (!found) return undefined;
  const where = `${found.path} at ${baseName}`;
  if (found.size > CODEOWNERS_MAX_BYTES) {
    logger.warn(`${where} is larger than 3 MB and is not read (GitHub ignores it too)`);
    return undefined;
  }
  let text: string;
  try {
    text = await readBlobAt(root, baseName, found, logger);
  } catch (error) {
    if (!(error instanceof PolicyFileError)) throw error;
    logger.warn(`${where} ${error.problem.message}: it is not read, so no owners are proposed`);
    return undefined;
  }
  const { owners, problems } = parseOwners(text, 'codeowners', found.path);
  for (const p of problems) logger.warn(`${where}, line ${p.line}: ${p.message}; the line is skipped`);
  return owners;
}

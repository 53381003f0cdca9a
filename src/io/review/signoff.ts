import * as fsp from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Logger } from '../../core/log';
import { nullLogger } from '../../core/log';
import { DEFAULT_POLICY, parsePolicy, PolicyError, type Policy } from '../../core/review/policy';
import {
  computeReview,
  isSigner,
  signoffTargets,
  trailerCountsOnly,
  type AiLineSource,
  type AttributionFact,
  type CommitFacts,
  type CommitReview,
  type FormerCommit,
  type ReviewReport,
  type ReviewRequest,
  type SignatureCheck,
  type Signer,
  type SignoffFacts,
} from '../../core/review/review';
import { loadRoster, matchPrincipal, RosterError, type Roster } from '../../core/review/roster';
import {
  formatSignoffMessage,
  interpretSignoff,
  isObjectId,
  isSignoffCandidate,
  trailerValues,
  type Person,
  type Trailer,
} from '../../core/formats/signoff-message';
import { AI_ATTRIBUTION, ASSISTED_BY, parseAiAttribution } from '../../core/formats/trailers';
import { git, runGit, splitNul } from '../git/git';
import { locateRepository } from '../git/repository';
import { pooled } from '../../core/pool';
import { keyFingerprint, resolveSigningKey, verifySshSignature } from '../ssh/ssh';
import { parseSshSignature, verifyEd25519 } from '../ssh/sshsig';

/**
 * Gathers the facts of a branch's review from git and hands them to the pure model (src/core/review/review.ts):
 * - policy and roster from the BASE revision (`git ls-tree` + `git cat-file`), never the branch or the work tree;
 * - base..head with git's own trailer parsing (`%(trailers)`), so trailer look-alikes in a body count for nothing;
 * - patch ids of the AI commits and sign-off candidates in one `git log -p | git patch-id --stable` pass, with the
 *   diff options pinned so a person's diff config cannot change a patch id, the log bytes kept exact (written by
 *   git to a file, fed to patch-id as bytes: no text decoding in between);
 * - sign-off signatures from the raw commit objects, verified with ssh-keygen against the base's allowed_signers.
 */

export const POLICY_PATH = '.ai-provenance/policy.json';
export const ROSTER_PATH = '.ai-provenance/allowed_signers';

/**
 * The patch id variant of docs/formats.md (sign-off commits). Note: `--stable` ignores whitespace, so an indentation-only change
 * (meaningful in Python or YAML) keeps the patch id; `--verbatim` (git 2.39 has it) would not. The contract says
 * `--stable`; changing this constant changes every AI-Signoff ever written.
 */
export const PATCH_ID_ARGS = ['patch-id', '--stable'] as const;

/** Diff options for patch ids: independent of diff.* config, exact for binary files (full blob ids). */
const PATCH_DIFF_ARGS = [
  '-p',
  '--no-color',
  '--no-ext-diff',
  '--no-textconv',
  '--full-index',
  '--no-renames',
  '--diff-algorithm=myers',
  '--indent-heuristic',
  '-U3',
  '--inter-hunk-context=0',
  '--src-prefix=a/',
  '--dst-prefix=b/',
  '--ignore-submodules=none',
  '--submodule=short',
  '--diff-merges=first-parent',
];
const PINNED_CONFIG = [
  '-c',
  'diff.relative=false',
  '-c',
  'diff.suppressBlankEmpty=false',
  '-c',
  'core.bigFileThreshold=512m',
];
/** git's trailer parsing with the default separator only, whatever trailer.separators says. */
const TRAILER_CONFIG = ['-c', 'trailer.separators=:'];

/** git cannot answer the question as asked: unknown revision, shallow history. The message says how to fix it. */
export class BranchReviewError extends Error {
  override readonly name = 'BranchReviewError';
  constructor(
    readonly code: 'unknown-base' | 'unknown-head' | 'shallow',
    message: string,
  ) {
    super(message);
  }
}

/** The base's policy or roster is not valid; `cause` names the key (PolicyError) or the lines (RosterError). */
export class PolicyFileError extends Error {
  override readonly name = 'PolicyFileError';
  constructor(
    readonly file: string,
    readonly base: string,
    readonly problem: PolicyError | RosterError | Error,
  ) {
    super(`${file} at ${base}: ${problem.message}`);
  }

  /** The policy key at fault, for a PolicyError. */
  get key(): string | undefined {
    return this.problem instanceof PolicyError ? this.problem.key : undefined;
  }
}

/** The sign-off cannot be made as asked; the message says why and what to do. */
export class SignoffRefusedError extends Error {
  override readonly name = 'SignoffRefusedError';
  constructor(
    readonly code:
      | 'no-roster'
      | 'not-ssh'
      | 'no-signing-key'
      | 'bad-signing-key'
      | 'key-not-in-roster'
      | 'staged-changes'
      | 'moved'
      | 'no-identity',
    message: string,
  ) {
    super(message);
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

export interface BranchReview extends BasePolicy {
  root: string;
  base: RevisionRef;
  head: RevisionRef;
  /** Every commit of base..head, oldest first. */
  rangeSize: number;
  report: ReviewReport;
  lineSource: string;
}

export interface ReviewOptions {
  cwd: string;
  base: string;
  head?: string;
  logger?: Logger;
  /** Per-file AI line data (git notes, later); default: trailer counts only. */
  lineSource?: AiLineSource;
  /** Review requests to match (`requested` state); default: none. */
  requests?: readonly ReviewRequest[];
  /** Load the files each AI commit touches even when the policy has no globs (review packets, annotations). */
  withPaths?: boolean;
  /** How many ssh-keygen processes may run at once. */
  concurrency?: number;
}

// -----------------------------------------------------------------------------------------------------------------
// Revisions and the base's policy

async function resolveCommit(root: string, rev: string, logger: Logger): Promise<string | undefined> {
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

interface RepoFacts {
  objectFormat: 'sha1' | 'sha256';
  shallow: boolean;
  shallowFile: string;
}

async function repoFacts(root: string, logger: Logger): Promise<RepoFacts> {
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

function unknownRevision(code: 'unknown-base' | 'unknown-head', rev: string, shallow: boolean): BranchReviewError {
  const what = code === 'unknown-base' ? 'base' : 'head';
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

// -----------------------------------------------------------------------------------------------------------------
// Commits of the range

interface LoggedCommit {
  id: string;
  parents: string[];
  author: Person;
  authorTime: number;
  subject: string;
  trailers: Trailer[];
}

/** One line per commit: fields NUL-separated, trailers (unfolded, so no newline) NUL-separated at the end. */
const LOG_FORMAT = '%H%x00%P%x00%an%x00%ae%x00%at%x00%s%x00%(trailers:only,unfold,separator=%x00)';

function parseTrailer(text: string): Trailer | undefined {
  const colon = text.indexOf(':');
  if (colon <= 0) return undefined;
  return { key: text.slice(0, colon).trim(), value: text.slice(colon + 1).trim() };
}

async function logRange(root: string, baseId: string, headId: string, logger: Logger): Promise<LoggedCommit[]> {
  const out = await git(
    [
      ...TRAILER_CONFIG,
      'log',
      '--no-show-signature',
      '--no-color',
      '--topo-order',
      '--reverse',
      `--format=${LOG_FORMAT}`,
      `${baseId}..${headId}`,
      '--',
    ],
    { cwd: root, logger },
  );
  if (out === '') return [];
  return out.split('\n').map(line => {
    const [id, parents, name, email, time, subject, ...trailers] = line.split('\0');
    if (!id || !isObjectId(id)) throw new Error(`unexpected git log output: ${JSON.stringify(line.slice(0, 200))}`);
    return {
      id,
      parents: parents ? parents.split(' ') : [],
      author: { name: name ?? '', email: email ?? '' },
      authorTime: Number(time),
      subject: subject ?? '',
      trailers: trailers
        .filter(t => t !== '')
        .map(parseTrailer)
        .filter((t): t is Trailer => t !== undefined),
    };
  });
}

function attributionOf(trailers: readonly Trailer[]): AttributionFact {
  const values = trailerValues(trailers, AI_ATTRIBUTION);
  if (values.length === 0) return { kind: 'none' };
  if (values.length > 1) return { kind: 'malformed', reason: `${values.length} ${AI_ATTRIBUTION} trailers` };
  try {
    return { kind: 'valid', attribution: parseAiAttribution(values[0]!) };
  } catch (error) {
    return { kind: 'malformed', reason: error instanceof Error ? error.message : String(error) };
  }
}

/** A temporary folder private to this process, removed by `dispose`. */
async function scratch(): Promise<{ dir: string; dispose(): Promise<void> }> {
  const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'ai-provenance-'));
  return { dir, dispose: () => fsp.rm(dir, { recursive: true, force: true }) };
}

export interface PatchIds {
  ids: Map<string, string>;
  /** Commits whose diff holds NUL bytes (git patch-id does not hash past a NUL). */
  withNul: Set<string>;
}

/**
 * Patch ids of `commits` (first-parent diff for merges) in one `git log -p` and one `git patch-id` run. git writes
 * the log to a file (`--output`) and patch-id reads it as bytes: diffs of non-UTF-8 files keep every byte.
 */
export async function patchIds(
  root: string,
  commits: readonly string[],
  scratchDir: string,
  logger: Logger = nullLogger,
): Promise<PatchIds> {
  const result: PatchIds = { ids: new Map(), withNul: new Set() };
  if (commits.length === 0) return result;
  const file = path.join(scratchDir, `log-${process.pid}-${Date.now()}.patch`);
  await runGit(
    [
      ...PINNED_CONFIG,
      'log',
      '--stdin',
      '--no-walk=unsorted',
      '--no-show-signature',
      ...PATCH_DIFF_ARGS,
      '--format=commit %H',
      `--output=${file}`,
    ],
    {
      cwd: root,
      input: `${commits.join('\n')}\n`,
      logger,
    },
  );
  const bytes = await fsp.readFile(file);
  await fsp.rm(file, { force: true });
  if (bytes.includes(0)) {
    // Which commits: records start at lines "commit <id>" (a diff line never starts with "commit ").
    const marker = Buffer.from('\ncommit ');
    const starts: number[] = [];
    if (bytes.subarray(0, 7).toString('latin1') === 'commit ') starts.push(0);
    for (let at = bytes.indexOf(marker); at >= 0; at = bytes.indexOf(marker, at + 1)) starts.push(at + 1);
    starts.forEach((start, i) => {
      const end = starts[i + 1] ?? bytes.length;
      if (bytes.subarray(start, end).includes(0))
        result.withNul.add(
          bytes
            .subarray(start + 7, start + 7 + 64)
            .toString('latin1')
            .split('\n')[0]!
            .trim(),
        );
    });
  }
  const out = await git([...PATCH_ID_ARGS], { cwd: root, input: bytes, logger });
  for (const line of out.split('\n')) {
    const [patchId, commitId] = line.trim().split(' ');
    if (patchId && commitId && isObjectId(patchId) && isObjectId(commitId)) result.ids.set(commitId, patchId);
  }
  return result;
}

/** The files each commit touches (first parent for merges), one `git log --name-only` run. */
export async function touchedPaths(
  root: string,
  commits: readonly string[],
  logger: Logger = nullLogger,
): Promise<Map<string, string[]>> {
  const result = new Map<string, string[]>();
  if (commits.length === 0) return result;
  const out = await git(
    [
      'log',
      '--stdin',
      '--no-walk=unsorted',
      '--no-show-signature',
      '-z',
      '--name-only',
      '--no-renames',
      '--diff-merges=first-parent',
      '--format=%x00%H',
    ],
    { cwd: root, input: `${commits.join('\n')}\n`, logger },
  );
  // Tokens: "" <id> then paths; a path is never empty, so "" always starts a commit.
  const tokens = out.split('\0');
  let current: string[] | undefined;
  let first = false;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token === '') {
      const id = tokens[i + 1];
      if (id === undefined || id === '') continue;
      current = [];
      result.set(id, current);
      first = true;
      i++;
    } else if (current) {
      current.push(first && token.startsWith('\n') ? token.slice(1) : token);
      first = false;
    }
  }
  return result;
}

// -----------------------------------------------------------------------------------------------------------------
// Signatures of sign-off commits

/** A commit object split the way git splits it to verify (commit.c, parse_buffer_signed_by_header). */
export function splitSignedCommit(
  raw: Buffer,
  objectFormat: 'sha1' | 'sha256',
): { payload: Buffer; signature?: string } {
  const header = objectFormat === 'sha256' ? 'gpgsig-sha256' : 'gpgsig';
  const payload: Buffer[] = [];
  const signature: Buffer[] = [];
  let inSignature = false;
  let otherSignature = false;
  let at = 0;
  while (at < raw.length) {
    const nl = raw.indexOf(0x0a, at);
    const next = nl < 0 ? raw.length : nl + 1;
    const line = raw.subarray(at, next);
    let sig: Buffer | undefined;
    if (inSignature && line[0] === 0x20) {
      sig = line.subarray(1);
    } else if (line.subarray(0, header.length + 1).toString('latin1') === `${header} `) {
      sig = line.subarray(header.length + 1);
      otherSignature = false;
    } else if (line.subarray(0, 6).toString('latin1') === 'gpgsig') {
      otherSignature = true;
    } else if (otherSignature && line[0] !== 0x20) {
      otherSignature = false;
    }
    if (sig) {
      signature.push(sig);
      inSignature = true;
      at = next;
      continue;
    }
    inSignature = false;
    if (line[0] === 0x0a) {
      payload.push(raw.subarray(at));
      break;
    }
    if (!otherSignature) payload.push(line);
    at = next;
  }
  return {
    payload: Buffer.concat(payload),
    ...(signature.length > 0 ? { signature: Buffer.concat(signature).toString('latin1') } : {}),
  };
}

/** Raw commit objects; undefined for one that cannot be had byte-exactly (not UTF-8: the git runner decodes text). */
async function rawCommits(
  root: string,
  ids: readonly string[],
  logger: Logger,
): Promise<Map<string, Buffer | undefined>> {
  const result = new Map<string, Buffer | undefined>();
  if (ids.length === 0) return result;
  const text = await git(['cat-file', '--batch'], { cwd: root, input: `${ids.join('\n')}\n`, logger });
  if (!text.includes('\uFFFD')) {
    const bytes = Buffer.from(`${text}\n`, 'utf8');
    let at = 0;
    for (const id of ids) {
      const nl = bytes.indexOf(0x0a, at);
      const head = bytes.subarray(at, nl).toString('latin1').split(' ');
      const size = Number(head[2]);
      if (head[0] !== id || head[1] !== 'commit' || !Number.isSafeInteger(size))
        throw new Error(`unexpected git cat-file output for ${id}`);
      result.set(id, bytes.subarray(nl + 1, nl + 1 + size));
      at = nl + 1 + size + 1;
    }
    return result;
  }
  // Some object is not UTF-8: ask for each alone so only that one is lost.
  await Promise.all(
    ids.map(async id => {
      const one = await runGit(['cat-file', 'commit', id], { cwd: root, logger });
      result.set(id, one.stdout.includes('\uFFFD') ? undefined : Buffer.from(one.stdout, 'utf8'));
    }),
  );
  return result;
}

/** The principals the roster lists for the key with this fingerprint (not certificate authorities). */
function principalsOfKey(roster: Roster, fingerprint: string): string[] {
  return [
    ...new Set(
      roster.entries.filter(e => !e.certAuthority && keyFingerprint(e.key) === fingerprint).flatMap(e => e.principals),
    ),
  ];
}

/**
 * The common case without a process: an ssh-ed25519 signature in namespace `git` that verifies, by a key whose
 * roster entry is a plain one (no certificate authority, validity window or namespace list) naming `principal`.
 * Returns the key's fingerprint, or undefined to let `ssh-keygen -Y verify` decide (it decides every refusal).
 */
function verifiedInProcess(armored: string, payload: Buffer, roster: Roster, principal: string): string | undefined {
  const sig = parseSshSignature(armored);
  if (!sig || !verifyEd25519(sig, payload, 'git')) return undefined;
  const plain = roster
    .entriesForKey(sig.publicKeyType, sig.publicKey)
    .filter(e => e.validAfter === undefined && e.validBefore === undefined && e.namespaces === undefined);
  // OpenSSH matches patterns byte by byte; ours by UTF-16 unit. They agree on ASCII only, so only ASCII is ours.
  const ascii = (t: string): boolean => /^[\x20-\x7e]*$/.test(t);
  if (!ascii(principal) || plain.some(e => !e.principals.every(ascii))) return undefined;
  return plain.some(e => matchPrincipal(e.principals, principal)) ? keyFingerprint(sig.publicKey) : undefined;
}

async function checkSignatures(input: {
  root: string;
  candidates: readonly { id: string; reviewerEmail?: string; wellFormed: boolean }[];
  basePolicy: BasePolicy;
  objectFormat: 'sha1' | 'sha256';
  scratchDir: string;
  concurrency: number;
  logger: Logger;
}): Promise<Map<string, SignatureCheck>> {
  const { basePolicy, logger } = input;
  const result = new Map<string, SignatureCheck>();
  const toVerify = input.candidates.filter(c => {
    if (!basePolicy.roster || basePolicy.roster.isEmpty || basePolicy.rosterText === undefined)
      result.set(c.id, { status: 'no-roster' });
    else if (!c.wellFormed || c.reviewerEmail === undefined) result.set(c.id, { status: 'not-checked' });
    else if (!basePolicy.policy.signoff.requireSignature) result.set(c.id, { status: 'not-required' });
    else return true;
    return false;
  });
  if (toVerify.length === 0) return result;
  const allowed = path.join(input.scratchDir, 'allowed_signers');
  await fsp.writeFile(allowed, basePolicy.rosterText!, { mode: 0o600 });
  const raws = await rawCommits(
    input.root,
    toVerify.map(c => c.id),
    logger,
  );
  await pooled(toVerify, input.concurrency, async (c, i) => {
    const raw = raws.get(c.id);
    if (!raw) {
      result.set(c.id, { status: 'unreadable', detail: 'the commit object holds bytes that are not UTF-8' });
      return;
    }
    const { payload, signature } = splitSignedCommit(raw, input.objectFormat);
    if (signature === undefined) {
      result.set(c.id, { status: 'unsigned' });
      return;
    }
    if (!signature.startsWith('-----BEGIN SSH SIGNATURE-----')) {
      result.set(c.id, { status: 'not-ssh' });
      return;
    }
    const fast = verifiedInProcess(signature, payload, basePolicy.roster!, c.reviewerEmail!);
    if (fast) {
      result.set(c.id, {
        status: 'verified',
        principal: c.reviewerEmail!,
        fingerprint: fast,
        keyPrincipals: principalsOfKey(basePolicy.roster!, fast),
      });
      return;
    }
    const signatureFile = path.join(input.scratchDir, `sig-${i}`);
    await fsp.writeFile(signatureFile, signature, { mode: 0o600 });
    const outcome = await verifySshSignature({
      allowedSignersFile: allowed,
      principal: c.reviewerEmail!,
      signatureFile,
      payload,
      logger,
    });
    if (outcome.ok) {
      const keyPrincipals = outcome.fingerprint ? principalsOfKey(basePolicy.roster!, outcome.fingerprint) : undefined;
      result.set(c.id, {
        status: 'verified',
        principal: c.reviewerEmail!,
        ...(outcome.fingerprint ? { fingerprint: outcome.fingerprint } : {}),
        ...(keyPrincipals ? { keyPrincipals } : {}),
      });
    } else if (outcome.signatureValid) {
      result.set(c.id, {
        status: 'unknown-signer',
        detail: outcome.detail,
        ...(outcome.fingerprint ? { fingerprint: outcome.fingerprint } : {}),
      });
    } else {
      result.set(c.id, { status: 'bad-signature', detail: outcome.detail });
    }
  });
  return result;
}

/** Author and time of listed commits that are not in the range but exist here: to recognise rebased twins. */
async function formerCommits(root: string, ids: readonly string[], logger: Logger): Promise<FormerCommit[]> {
  if (ids.length === 0) return [];
  const check = await git(['cat-file', '--batch-check'], { cwd: root, input: `${ids.join('\n')}\n`, logger });
  const present = check
    .split('\n')
    .map(l => l.split(' '))
    .filter(p => p[1] === 'commit' && isObjectId(p[0]!))
    .map(p => p[0]!);
  if (present.length === 0) return [];
  const out = await git(
    ['log', '--stdin', '--no-walk=unsorted', '--no-show-signature', '--format=%H%x00%an%x00%ae%x00%at'],
    {
      cwd: root,
      input: `${present.join('\n')}\n`,
      logger,
    },
  );
  return out
    .split('\n')
    .filter(Boolean)
    .map(line => {
      const [id, name, email, time] = line.split('\0');
      return { id: id!, author: { name: name ?? '', email: email ?? '' }, authorTime: Number(time) };
    });
}

async function readShallow(file: string): Promise<Set<string>> {
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

// -----------------------------------------------------------------------------------------------------------------
// The review

/** Reviews base..head: every AI commit with its state. Throws BranchReviewError, PolicyFileError, GitError, SshKeygenError. */
export async function reviewBranch(options: ReviewOptions): Promise<BranchReview> {
  const logger = options.logger ?? nullLogger;
  const location = await locateRepository(options.cwd, { logger });
  const root = location.root;
  const headName = options.head ?? 'HEAD';
  const [facts, baseId, headId] = await Promise.all([
    repoFacts(root, logger),
    resolveCommit(root, options.base, logger),
    resolveCommit(root, headName, logger),
  ]);
  if (!baseId) throw unknownRevision('unknown-base', options.base, facts.shallow);
  if (!headId) throw unknownRevision('unknown-head', headName, facts.shallow);
  const base: RevisionRef = { rev: options.base, id: baseId };
  const head: RevisionRef = { rev: headName, id: headId };

  const [basePolicy, logged] = await Promise.all([
    readBasePolicy(root, baseId, options.base, logger),
    logRange(root, baseId, headId, logger),
  ]);

  if (facts.shallow) {
    // A commit of the range whose parents this clone does not have: the range may be cut short, so no answer.
    const cut = await readShallow(facts.shallowFile);
    const cutInRange = logged.filter(c => cut.has(c.id));
    if (cutInRange.length > 0) {
      throw new BranchReviewError(
        'shallow',
        `this clone is shallow and its history stops inside ${options.base}..${headName} (at ${cutInRange[0]!.id.slice(0, 12)}), so the commits to check are not all here: ` +
          'run git fetch --unshallow (or git fetch --deepen=N), or in GitHub Actions use actions/checkout with fetch-depth: 0',
      );
    }
  }

  const graph = new Map(logged.map(c => [c.id, c.parents] as const));
  const aiLogged = logged
    .map(c => ({ c, attribution: attributionOf(c.trailers) }))
    .filter(x => x.attribution.kind !== 'none');
  const candidates = logged
    .filter(c => isSignoffCandidate(c.subject, c.trailers))
    .map(c => ({ c, parsed: interpretSignoff(c.subject, c.trailers) }));
  const lineSource = options.lineSource ?? trailerCountsOnly;
  const needPaths =
    options.withPaths === true ||
    basePolicy.policy.signoff.ignore.length > 0 ||
    basePolicy.policy.signoff.highRisk.length > 0;
  const inRange = new Set(logged.map(c => c.id));
  const listedOutside = [
    ...new Set(candidates.flatMap(s => s.parsed.entries.map(e => e.commitId)).filter(id => !inRange.has(id))),
  ];

  const tmp = await scratch();
  try {
    const aiIds = aiLogged.map(x => x.c.id);
    const [patches, paths, former, perFile, signatures] = await Promise.all([
      patchIds(root, [...aiIds, ...candidates.map(s => s.c.id).filter(id => !aiIds.includes(id))], tmp.dir, logger),
      needPaths ? touchedPaths(root, aiIds, logger) : Promise.resolve(undefined),
      formerCommits(root, listedOutside, logger),
      aiIds.length > 0 ? lineSource.lines(aiIds) : Promise.resolve(new Map()),
      checkSignatures({
        root,
        candidates: candidates.map(s => ({
          id: s.c.id,
          wellFormed: s.parsed.problems.length === 0,
          ...(s.parsed.reviewer ? { reviewerEmail: s.parsed.reviewer.email } : {}),
        })),
        basePolicy,
        objectFormat: facts.objectFormat,
        scratchDir: tmp.dir,
        concurrency: options.concurrency ?? Math.max(2, Math.min(16, os.availableParallelism?.() ?? os.cpus().length)),
        logger,
      }),
    ]);
    const commits: CommitFacts[] = aiLogged.map(({ c, attribution }) => {
      const patchId = patches.ids.get(c.id);
      const filePaths = paths?.get(c.id);
      const aiPaths = perFile.get(c.id);
      return {
        id: c.id,
        parents: c.parents,
        subject: c.subject,
        author: c.author,
        authorTime: c.authorTime,
        attribution,
        assistedBy: trailerValues(c.trailers, ASSISTED_BY),
        ...(patchId ? { patchId } : {}),
        ...(patches.withNul.has(c.id) ? { patchHasNul: true } : {}),
        ...(filePaths ? { paths: filePaths } : {}),
        ...(aiPaths ? { aiPaths } : {}),
      };
    });
    const signoffs: SignoffFacts[] = candidates.map(({ c, parsed }) => ({
      id: c.id,
      parents: c.parents,
      subject: c.subject,
      parsed,
      empty: !patches.ids.has(c.id),
      signature: signatures.get(c.id) ?? { status: 'not-checked' },
    }));
    const report = computeReview({
      policy: basePolicy.policy,
      roster: basePolicy.roster,
      graph,
      commits,
      signoffs,
      formerCommits: former,
      requests: options.requests ?? [],
    });
    return { ...basePolicy, root, base, head, rangeSize: logged.length, report, lineSource: lineSource.name };
  } finally {
    await tmp.dispose();
  }
}

/**
 * The base a branch is reviewed against when none is given: the remote's default branch (origin/HEAD), else
 * origin/main or origin/master, else a local main or master that is not the current branch.
 */
export async function defaultBase(cwd: string, logger: Logger = nullLogger): Promise<string | undefined> {
  const symbolic = await runGit(['symbolic-ref', '-q', '--short', 'refs/remotes/origin/HEAD'], {
    cwd,
    logger,
    okExitCodes: [0, 1, 128],
  });
  if (symbolic.exitCode === 0 && symbolic.stdout.trim()) return symbolic.stdout.trim();
  const current = (
    await runGit(['symbolic-ref', '-q', '--short', 'HEAD'], { cwd, logger, okExitCodes: [0, 1, 128] })
  ).stdout.trim();
  for (const candidate of ['origin/main', 'origin/master', 'main', 'master']) {
    if (candidate === current) continue;
    const ref = candidate.startsWith('origin/') ? `refs/remotes/${candidate}` : `refs/heads/${candidate}`;
    const found = await runGit(['rev-parse', '--verify', '--quiet', ref], { cwd, logger, okExitCodes: [0, 1] });
    if (found.exitCode === 0) return candidate;
  }
  return undefined;
}

// -----------------------------------------------------------------------------------------------------------------
// Making a sign-off

export interface SigningIdentity {
  reviewer: Person;
  keyType: string;
  key: string;
  fingerprint: string;
  /** Every principal the roster lists for this key. */
  principals: string[];
}

function sameEmailOf(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

export interface SignoffPlan {
  review: BranchReview;
  signer: SigningIdentity;
  /** What the sign-off lists. */
  targets: CommitReview[];
  /** Left out: the signer wrote them and the policy does not allow self sign-off. */
  ownCommits: CommitReview[];
  /** Left out: the signer already signed them off (they wait for other signers). */
  alreadySigned: CommitReview[];
  /** Left out: they cannot be signed off as they are (e.g. NUL bytes in the diff). */
  blocked: CommitReview[];
  /** The commit message the sign-off would have; undefined when there is nothing to sign. */
  message?: string;
}

async function gitConfig(root: string, logger: Logger): Promise<Map<string, string>> {
  const { stdout } = await runGit(
    ['config', '-z', '--get-regexp', '^(gpg\\.format|user\\.signingkey|user\\.name|user\\.email)$'],
    {
      cwd: root,
      logger,
      okExitCodes: [0, 1],
    },
  );
  const values = new Map<string, string>();
  for (const record of splitNul(stdout)) {
    const nl = record.indexOf('\n');
    if (nl > 0) values.set(record.slice(0, nl).toLowerCase(), record.slice(nl + 1));
  }
  return values;
}

/** Who would sign: the key in git's signing setup, and the roster principal it belongs to. Throws SignoffRefusedError. */
export async function signingIdentity(
  root: string,
  review: BasePolicy & { base: RevisionRef },
  logger: Logger = nullLogger,
): Promise<SigningIdentity> {
  const roster = review.roster;
  if (!roster || roster.isEmpty) {
    throw new SignoffRefusedError(
      'no-roster',
      `${review.base.rev} has no ${ROSTER_PATH} (or it lists nobody), so nobody can sign off: add the seniors' SSH public keys there and merge it into ${review.base.rev} first`,
    );
  }
  const config = await gitConfig(root, logger);
  if ((config.get('gpg.format') ?? 'openpgp') !== 'ssh') {
    throw new SignoffRefusedError(
      'not-ssh',
      'sign-offs are SSH-signed: run git config gpg.format ssh (and set user.signingkey to your SSH public key)',
    );
  }
  const signingKey = config.get('user.signingkey');
  if (!signingKey) {
    throw new SignoffRefusedError(
      'no-signing-key',
      'git has no signing key: run git config user.signingkey ~/.ssh/id_ed25519.pub (the key listed for you in allowed_signers)',
    );
  }
  const key = await resolveSigningKey(signingKey, root, logger);
  if ('problem' in key) throw new SignoffRefusedError('bad-signing-key', key.problem);
  const fingerprint = keyFingerprint(key.key);
  // Entries limited to other namespaces (namespaces="file") cannot sign git commits.
  const entries = roster
    .entriesForKey(key.keyType, key.key)
    .filter(e => e.namespaces === undefined || e.namespaces.includes('git'));
  const plain = entries.flatMap(e => e.principals).filter(p => !/[*?!]/.test(p));
  if (plain.length === 0) {
    throw new SignoffRefusedError(
      'key-not-in-roster',
      `your signing key (${key.keyType} ${fingerprint}) is not in ${ROSTER_PATH} at ${review.base.rev}: only the seniors listed there can sign off; ` +
        `to be added, ask for a line "<your email> ${key.keyType} ${key.key}" to be merged into ${review.base.rev}`,
    );
  }
  const email = config.get('user.email');
  const principal = plain.find(p => email !== undefined && p.toLowerCase() === email.toLowerCase()) ?? plain[0]!;
  const name = (config.get('user.name') ?? '').trim() || principal;
  return {
    reviewer: { name, email: principal },
    keyType: key.keyType,
    key: key.key,
    fingerprint,
    principals: [...new Set(entries.flatMap(e => e.principals))],
  };
}

/** Works out what `sign-off` would sign, without changing anything. Throws SignoffRefusedError when it cannot. */
export async function planSignoff(options: {
  cwd: string;
  base: string;
  comment?: string;
  logger?: Logger;
  lineSource?: AiLineSource;
}): Promise<SignoffPlan> {
  const logger = options.logger ?? nullLogger;
  const review = await reviewBranch({
    cwd: options.cwd,
    base: options.base,
    logger,
    withPaths: true,
    ...(options.lineSource ? { lineSource: options.lineSource } : {}),
  });
  const signer = await signingIdentity(review.root, review, logger);
  const me: Signer = { email: signer.reviewer.email, fingerprint: signer.fingerprint, principals: signer.principals };
  const same = (email: string): boolean => isSigner(me, email);
  const candidates = review.report.commits.filter(c => c.needsSignoff && c.state !== 'signed-off');
  const blocked = candidates.filter(c => c.blocker !== undefined);
  const open = signoffTargets(review.report);
  const own = review.policy.signoff.allowSelfSignoff ? [] : open.filter(c => same(c.commit.author.email));
  const alreadySigned = open.filter(
    c =>
      !own.includes(c) &&
      c.signers.some(s => sameEmailOf(s.email, signer.reviewer.email) || s.fingerprint === signer.fingerprint),
  );
  const targets = open.filter(c => !own.includes(c) && !alreadySigned.includes(c));
  const plan: SignoffPlan = { review, signer, targets, ownCommits: own, alreadySigned, blocked };
  if (targets.length > 0) {
    plan.message = formatSignoffMessage({
      reviewer: signer.reviewer,
      entries: targets.map(c => ({ patchId: c.commit.patchId!, commitId: c.commit.id })),
      ...(options.comment !== undefined ? { comment: options.comment } : {}),
    });
  }
  return plan;
}

/**
 * Makes the sign-off commit of `plan` with the person's own signing setup (`git commit --allow-empty -S`), then
 * checks that what landed is the sign-off that was shown: empty, the same message, and verifying against the base's
 * roster. Returns the new commit id. Throws SignoffRefusedError when the branch moved or changes are staged.
 */
export async function createSignoff(
  plan: SignoffPlan,
  logger: Logger = nullLogger,
): Promise<{ commit: string; verified: SignatureCheck }> {
  if (!plan.message) throw new Error('nothing to sign off');
  const root = plan.review.root;
  const headNow = await resolveCommit(root, 'HEAD', logger);
  if (headNow !== plan.review.head.id) {
    throw new SignoffRefusedError(
      'moved',
      `HEAD moved while the sign-off was prepared (now ${headNow?.slice(0, 12) ?? 'unborn'}): run sign-off again`,
    );
  }
  const staged = await runGit(['diff', '--cached', '--quiet', '--ignore-submodules=none'], {
    cwd: root,
    logger,
    okExitCodes: [0, 1],
  });
  if (staged.exitCode === 1) {
    throw new SignoffRefusedError(
      'staged-changes',
      'changes are staged, and a sign-off must be an empty commit: commit, unstage (git restore --staged .) or stash them first',
    );
  }
  await runGit(['commit', '--allow-empty', '-S', '--cleanup=verbatim', '--quiet', '-F', '-'], {
    cwd: root,
    input: plan.message,
    logger,
  });
  const commit = await git(['rev-parse', 'HEAD'], { cwd: root, logger });
  const review = await reviewBranch({ cwd: root, base: plan.review.base.id, head: commit, logger });
  const mine = review.report.signoffs.find(s => s.facts.id === commit);
  const check: SignatureCheck = mine?.facts.signature ?? { status: 'not-checked' };
  return { commit, verified: check };
}

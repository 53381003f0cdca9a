import * as fsp from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Logger } from '../../core/log';
import { nullLogger } from '../../core/log';
import { type AttributionFact, type FormerCommit } from '../../core/review/review';
import { isObjectId, trailerValues, type Person, type Trailer } from '../../core/formats/signoff-message';
import { AI_ATTRIBUTION, FAILED_ATTRIBUTION, parseAiAttribution } from '../../core/formats/trailers';
import { git, pipeGit } from '../git/git';
import { parseBlamePorcelain, parseNameOnlyLog } from '../git/parse';
import { pooled } from '../../core/pool';
import { PRODUCT } from '../../core/product';
import { TOOLS, TOOL_TABLE } from '../../core/agents/table';

/**
 * The commits of base..head as the review needs them: read with git's own trailer parsing (`%(trailers)`), so
 * trailer look-alikes in a body count for nothing; patch ids of the AI commits and sign-off candidates in one
 * `git log -p | git patch-id --verbatim` pass, with the diff options pinned so a person's diff config cannot change a
 * patch id and the log bytes kept exact (piped as bytes, never decoded); the files each commit
 * touches; and commits a sign-off lists that are no longer on the branch (rebased twins).
 */

/**
 * The patch id of docs/formats.md (sign-off commits): `--verbatim`, so whitespace counts (a re-indent can change what
 * Python or YAML does after the senior saw it). Until 0.2 it was `--stable`; see LEGACY_PATCH_ID_ARGS.
 */
export const PATCH_ID_ARGS = ['patch-id', '--verbatim'] as const;
/** What sign-offs made before 0.2 list: whitespace-blind ids, honoured only for the exact commit they name. */
const LEGACY_PATCH_ID_ARGS = ['patch-id', '--stable'] as const;

/**
 * Diff options for patch ids: independent of diff.* config, exact for binary files (full blob ids). A commit's patch
 * id and a whole range's (a squash's match, `AI-Signoff-Range`) must be taken alike, so both use these.
 */
const TREE_DIFF_ARGS = [
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
];
const PATCH_DIFF_ARGS = [...TREE_DIFF_ARGS, '--diff-merges=first-parent'];
const PINNED_CONFIG = [
  '-c',
  'log.showRoot=true',
  '-c',
  'diff.relative=false',
  '-c',
  'diff.suppressBlankEmpty=false',
  '-c',
  'core.bigFileThreshold=512m',
];
/**
 * git's trailer parsing as every default git reads it, whatever this machine's config says: the default separator
 * only, and `#` as the comment character (a CI runner with core.commentChar=';' would otherwise stop seeing trailers
 * that a `#` line follows, and read an AI commit as human).
 */
const TRAILER_CONFIG = ['-c', 'trailer.separators=:', '-c', 'core.commentChar=#'];

export interface LoggedCommit {
  id: string;
  parents: string[];
  /** Its tree: a commit with its parent's tree changes nothing. */
  tree: string;
  author: Person;
  authorTime: number;
  /** Committer time, seconds since the epoch: when a commit landed where it is (a merge, a squash, a rebase). */
  committerTime: number;
  committerEmail: string;
  subject: string;
  trailers: Trailer[];
}

/** One line per commit: fields NUL-separated, trailers (unfolded, so no newline) NUL-separated at the end. */
const LOG_FORMAT = '%H%x00%P%x00%T%x00%an%x00%ae%x00%at%x00%ct%x00%ce%x00%s%x00%(trailers:only,unfold,separator=%x00)';

/** One `Key: value` line of git's unfolded trailers, or undefined when it is not one. */
export function parseTrailer(text: string): Trailer | undefined {
  const colon = text.indexOf(':');
  if (colon <= 0) return undefined;
  return { key: text.slice(0, colon).trim(), value: text.slice(colon + 1).trim() };
}

export async function logRange(root: string, baseId: string, headId: string, logger: Logger): Promise<LoggedCommit[]> {
  return logCommits(root, [`${baseId}..${headId}`], logger);
}

/** The commits `revisions` name (git log's revision arguments: `A..B`, tips, `^excluded`), oldest first. */
export async function logCommits(root: string, revisions: readonly string[], logger: Logger): Promise<LoggedCommit[]> {
  const out = await git(
    [
      ...TRAILER_CONFIG,
      'log',
      '--no-show-signature',
      '--no-color',
      '--topo-order',
      '--reverse',
      `--format=${LOG_FORMAT}`,
      '--stdin',
      '--',
    ],
    { cwd: root, logger, input: `${revisions.join('\n')}\n` },
  );
  if (out === '') return [];
  return out.split('\n').map(line => {
    const [id, parents, tree, name, email, time, committed, committer, subject, ...trailers] = line.split('\0');
    if (!id || !isObjectId(id)) throw new Error(`unexpected git log output: ${JSON.stringify(line.slice(0, 200))}`);
    return {
      id,
      parents: parents ? parents.split(' ') : [],
      tree: tree ?? '',
      author: { name: name ?? '', email: email ?? '' },
      authorTime: Number(time),
      committerTime: Number(committed),
      committerEmail: committer ?? '',
      subject: subject ?? '',
      trailers: trailers
        .filter(t => t !== '')
        .map(parseTrailer)
        .filter((t): t is Trailer => t !== undefined),
    };
  });
}

export function attributionOf(trailers: readonly Trailer[]): AttributionFact {
  const values = trailerValues(trailers, AI_ATTRIBUTION);
  if (values.length === 0) return { kind: 'none' };
  if (values.length > 1) return { kind: 'malformed', reason: `${values.length} ${AI_ATTRIBUTION} trailers` };
  if (values[0]!.trim() === FAILED_ATTRIBUTION) return { kind: 'failed' };
  try {
    return { kind: 'valid', attribution: parseAiAttribution(values[0]!) };
  } catch (error) {
    return { kind: 'malformed', reason: error instanceof Error ? error.message : String(error) };
  }
}

/** A temporary folder private to this process, removed by `dispose`. */
export async function scratch(): Promise<{ dir: string; dispose(): Promise<void> }> {
  const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'ai-provenance-'));
  return { dir, dispose: () => fsp.rm(dir, { recursive: true, force: true }) };
}

export interface PatchIds {
  ids: Map<string, string>;
  /** Commits whose diff holds NUL bytes (git patch-id does not hash past a NUL). */
  withNul: Set<string>;
}

/**
 * Patch ids of `commits` (first-parent diff for merges): `git log -p` piped into `git patch-id`, the two at once. The
 * log goes through as bytes (diffs of non-UTF-8 files keep every byte), and is kept to find diffs with NUL bytes.
 */
export async function patchIds(
  root: string,
  commits: readonly string[],
  logger: Logger = nullLogger,
  variant: 'verbatim' | 'legacy-stable' = 'verbatim',
): Promise<PatchIds> {
  const result: PatchIds = { ids: new Map(), withNul: new Set() };
  if (commits.length === 0) return result;
  const { first: bytes, second: out } = await pipeGit(
    [
      ...PINNED_CONFIG,
      'log',
      '--stdin',
      '--no-walk=unsorted',
      '--no-show-signature',
      ...PATCH_DIFF_ARGS,
      '--format=commit %H',
    ],
    [...(variant === 'verbatim' ? PATCH_ID_ARGS : LEGACY_PATCH_ID_ARGS)],
    { cwd: root, input: `${commits.join('\n')}\n`, logger },
  );
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
  for (const line of out.split('\n')) {
    const [patchId, commitId] = line.trim().split(' ');
    if (patchId && commitId && isObjectId(patchId) && isObjectId(commitId)) result.ids.set(commitId, patchId);
  }
  return result;
}

/** Patch ids of whole ranges `from..head`, keyed by rangeKey (one diff-tree and one patch-id process per run). */
export async function rangePatchIds(
  root: string,
  ranges: readonly { head: string; from: string }[],
  logger: Logger,
): Promise<Map<string, string>> {
  const result = new Map<string, string>();
  // git prints only the head of each pair: pairs that share a head go in separate runs, so none can answer for another.
  const batches: { head: string; from: string }[][] = [];
  for (const r of new Map(ranges.map(r => [rangeKey(r), r] as const)).values()) {
    const batch = batches.find(b => !b.some(x => x.head === r.head));
    if (batch) batch.push(r);
    else batches.push([r]);
  }
  for (const batch of batches) {
    const { second: out } = await pipeGit(
      [...PINNED_CONFIG, 'diff-tree', '--stdin', ...TREE_DIFF_ARGS],
      [...PATCH_ID_ARGS],
      { cwd: root, input: batch.map(r => `${r.head} ${r.from}\n`).join(''), logger },
    );
    const fromOf = new Map(batch.map(r => [r.head, r.from] as const));
    for (const line of out.split('\n')) {
      const [patchId, head] = line.trim().split(' ');
      if (patchId && head && isObjectId(patchId) && fromOf.has(head))
        result.set(rangeKey({ head, from: fromOf.get(head)! }), patchId);
    }
  }
  return result;
}

/** The key of rangePatchIds' answers. */
export function rangeKey(r: { head: string; from: string }): string {
  return `${r.from}..${r.head}`;
}

/** `git log` of the commits given on standard input, each alone, root commits with their diff whatever the config. */
export const LOG_OF_COMMITS = [
  '-c',
  'log.showRoot=true',
  'log',
  '--stdin',
  '--no-walk=unsorted',
  '--no-show-signature',
] as const;

/** The files each commit touches (first parent for merges), one `git log --name-only` run. */
export async function touchedPaths(
  root: string,
  commits: readonly string[],
  logger: Logger = nullLogger,
): Promise<Map<string, string[]>> {
  const result = new Map<string, string[]>();
  if (commits.length === 0) return result;
  const out = await git(
    [...LOG_OF_COMMITS, '-z', '--name-only', '--no-renames', '--diff-merges=first-parent', '--format=%x00%H'],
    { cwd: root, input: `${commits.join('\n')}\n`, logger },
  );
  return parseNameOnlyLog(out);
}

/** Author and time of listed commits that are not in the range but exist here: to recognise rebased twins. */
export async function formerCommits(root: string, ids: readonly string[], logger: Logger): Promise<FormerCommit[]> {
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

/** The commits of base..head that change the gate's own files (`.ai-provenance/`), by a path-limited log. */
export async function policyCommits(
  root: string,
  baseId: string,
  headId: string,
  logger: Logger = nullLogger,
): Promise<Set<string>> {
  const out = await git(
    ['log', '--full-history', '--no-renames', '--format=%H', `${baseId}..${headId}`, '--', `${PRODUCT.policyDir}/`],
    { cwd: root, logger },
  );
  return new Set(out.split('\n').filter(Boolean));
}

/** `Co-authored-by` values that name an AI agent: an identity of the agent table, or an agent's name. */
export function agentCoAuthors(trailers: readonly Trailer[]): string[] {
  const identities = TOOLS.flatMap(t => {
    const row = TOOL_TABLE[t];
    const email = row.coAuthor ? /<([^>]+)>/.exec(row.coAuthor)?.[1]?.toLowerCase() : undefined;
    return [...(email ? [email] : []), ...(t === 'ai' ? [] : [row.trailerName.toLowerCase()])];
  });
  return trailerValues(trailers, 'Co-authored-by').filter(value => {
    const email = /<([^>]*)>/.exec(value)?.[1]?.toLowerCase();
    const name = value
      .replace(/<[^>]*>/, '')
      .trim()
      .toLowerCase();
    return (email !== undefined && identities.includes(email)) || identities.includes(name);
  });
}

/** Files that exist at `headId` and differ from `baseId` (renames not followed: each side's own path). */
export async function changedFilesAtHead(
  root: string,
  baseId: string,
  headId: string,
  logger: Logger = nullLogger,
): Promise<string[]> {
  const out = await git(['diff', '--name-only', '-z', '--no-renames', '--diff-filter=d', baseId, headId, '--'], {
    cwd: root,
    logger,
  });
  return out.split('\0').filter(Boolean);
}

/**
 * Where the lines of `commits` are at `headId`, among `files` (paths at head): `git blame` over base..head, with
 * lines followed when moved or copied between files (`-M -C -C -C`) and whitespace ignored (`-w`, so code
 * re-indented as it moves still counts), so a person moving an AI commit's code into another file cannot take it
 * out of the rules for where it ends up. git's copy detection needs a block of about 40 letters and digits: a
 * shorter copy (one short line) is not followed. Every line a commit brought counts, not only
 * the ones its note says are AI: the note is written by the branch's author, git's history is not. A person's
 * `blame.ignoreRevsFile` is not honoured (an ignored commit's lines would be credited to another).
 */
export async function landingPaths(
  root: string,
  baseId: string,
  headId: string,
  commits: ReadonlySet<string>,
  files: readonly string[],
  logger: Logger = nullLogger,
): Promise<Map<string, string[]>> {
  const result = new Map<string, string[]>();
  if (commits.size === 0 || files.length === 0) return result;
  await pooled(files, 4, async file => {
    const out = await git(
      ['blame', '--porcelain', '-w', '-M', '-C', '-C', '-C', '--ignore-revs-file=', `^${baseId}`, headId, '--', file],
      { cwd: root, logger },
    );
    const found = new Set(
      parseBlamePorcelain(out)
        .map(l => l.commit)
        .filter(c => commits.has(c)),
    );
    for (const commit of found) {
      const list = result.get(commit) ?? [];
      list.push(file);
      result.set(commit, list);
    }
  });
  for (const list of result.values()) list.sort();
  return result;
}

import { LOG_OF_COMMITS, rangeKey, type LoggedCommit } from './range';
import { EVIDENCE_REF_PREFIX } from './evidence';
import type { Logger } from '../../core/log';
import { pooled } from '../../core/pool';
import { PRODUCT } from '../../core/product';
import { reachable, topFolder, type DiffStat } from '../../core/review/audit';
import { isObjectId } from '../../core/formats/signoff-message';
import { git, runGit } from '../git/git';

/** The git queries of the audit (src/io/review/audit.ts): one or a few git processes each, whatever the history's size. */

/** Refs under refs/ai-provenance/signoffs/ and forge/ that name commits (tags peeled): the kept evidence (not the review requests). */
export async function keptRefs(root: string, logger: Logger): Promise<{ ref: string; id: string }[]> {
  const out = await git(
    [
      'for-each-ref',
      '--format=%(objecttype)%00%(objectname)%00%(*objectname)%00%(refname)',
      `${EVIDENCE_REF_PREFIX}signoffs/`,
      `${EVIDENCE_REF_PREFIX}forge/`,
    ],
    { cwd: root, logger },
  );
  const refs: { ref: string; id: string }[] = [];
  for (const line of out.split('\n').filter(Boolean)) {
    const [type, id, peeled, ref] = line.split('\0');
    const commit = type === 'commit' ? id : type === 'tag' ? peeled : undefined;
    if (commit && isObjectId(commit) && ref) refs.push({ ref, id: commit });
  }
  return refs;
}

/** Full messages of commits, one git call. */
export async function messages(root: string, ids: readonly string[], logger: Logger): Promise<Map<string, string>> {
  const result = new Map<string, string>();
  if (ids.length === 0) return result;
  const out = await git(['log', '--stdin', '--no-walk=unsorted', '--no-show-signature', '-z', '--format=%H%n%B'], {
    cwd: root,
    input: `${ids.join('\n')}\n`,
    logger,
  });
  for (const record of out.split('\0')) {
    const nl = record.indexOf('\n');
    const id = (nl < 0 ? record : record.slice(0, nl)).trim();
    if (isObjectId(id)) result.set(id, nl < 0 ? '' : record.slice(nl + 1));
  }
  return result;
}

/** Commits (of all) that change the gate's files, by a path-limited walk from the tips. */
export async function policyTouching(root: string, tips: readonly string[], logger: Logger): Promise<Set<string>> {
  const out = await git(
    ['log', '--full-history', '--no-renames', '--format=%H', '--stdin', '--', `${PRODUCT.policyDir}/`],
    { cwd: root, input: `${tips.join('\n')}\n`, logger },
  );
  return new Set(out.split('\n').filter(Boolean));
}

/**
 * The object id of the `.ai-provenance` entry at each base (a tree's id covers its files' contents and modes): bases
 * with the same one share a policy.
 */
export async function policyKeys(root: string, bases: readonly string[], logger: Logger): Promise<Map<string, string>> {
  const result = new Map<string, string>();
  if (bases.length === 0) return result;
  const out = (
    await git(['cat-file', '--batch-check=%(objectname) %(objecttype)'], {
      cwd: root,
      input: bases.map(b => `${b}:${PRODUCT.policyDir}\n`).join(''),
      logger,
    })
  ).split('\n');
  bases.forEach((b, i) => {
    const line = out[i] ?? '';
    result.set(b, line.endsWith(' missing') ? '-' : line);
  });
  return result;
}

/** The files each diff-tree line's diff touches, keyed by the line's first id (names only, no content). */
async function changedFiles(root: string, lines: readonly string[], logger: Logger): Promise<Map<string, string[]>> {
  const files = new Map<string, string[]>();
  if (lines.length === 0) return files;
  // --name-status -z: "<id>\0" headers, then "<status>\0<path>\0" pairs: a path is always after a status letter,
  // so no file name can pass for a header.
  const out = await git(['diff-tree', '--stdin', '-r', '--name-status', '--no-renames', '-z'], {
    cwd: root,
    input: lines.join('\n') + '\n',
    logger,
  });
  let current: string[] | undefined;
  const tokens = out.split('\0');
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (/^[ACDMTUXB]$/.test(token) && current && i + 1 < tokens.length) {
      current.push(tokens[++i]!);
    } else if (isObjectId(token)) {
      current = [];
      files.set(token, current);
    }
  }
  return files;
}

/**
 * Which of `singles` change exactly the files some range (`from..head`) changes as a whole, and which ranges: only
 * those can be a squash and the branch it squashed, so only they need patch ids. Ranges that share a head are asked
 * in separate runs (git names only the head), so none can stand in for another.
 */
export async function squashCandidatesOf(
  root: string,
  singles: readonly string[],
  ranges: readonly { head: string; from: string }[],
  logger: Logger,
): Promise<{ singles: Set<string>; ranges: Set<string> }> {
  const batches: { head: string; from: string }[][] = [];
  for (const r of ranges) {
    const batch = batches.find(b => !b.some(x => x.head === r.head));
    if (batch) batch.push(r);
    else batches.push([r]);
  }
  const [own, ...perBatch] = await Promise.all([
    changedFiles(root, singles, logger),
    ...batches.map(batch =>
      changedFiles(
        root,
        batch.map(r => `${r.head} ${r.from}`),
        logger,
      ),
    ),
  ]);
  const key = (files: string[] | undefined): string | undefined => files?.sort().join('\0');
  const rangeFiles = new Map<string, string>();
  batches.forEach((batch, i) => {
    for (const r of batch) {
      const k = key(perBatch[i]!.get(r.head));
      if (k !== undefined) rangeFiles.set(rangeKey(r), k);
    }
  });
  const singleKeys = new Set(singles.map(id => key(own.get(id))).filter((k): k is string => k !== undefined));
  const wanted = new Set(rangeFiles.values());
  return {
    singles: new Set(singles.filter(id => wanted.has(key(own.get(id)) ?? '\0none'))),
    ranges: new Set([...rangeFiles].filter(([, k]) => singleKeys.has(k)).map(([r]) => r)),
  };
}

/** The merge base of the branch and each kept head (pooled git calls). */
export async function forkPoints(
  root: string,
  tip: string,
  heads: readonly string[],
  logger: Logger,
): Promise<Map<string, string>> {
  const result = new Map<string, string>();
  await pooled(heads, 4, async head => {
    const r = await runGit(['merge-base', tip, head], { cwd: root, logger, okExitCodes: [0, 1] });
    const id = r.stdout.trim();
    if (r.exitCode === 0 && isObjectId(id)) result.set(head, id);
  });
  return result;
}

/**
 * The commit that first listed the seniors: the oldest commit that changes the roster, when every other commit that
 * changes it descends from it. Undefined when there is none, or when two roster histories start apart (a roster made
 * on a side branch, merged or fast-forwarded later).
 */
export async function firstRoster(
  root: string,
  tip: string,
  all: readonly LoggedCommit[],
  logger: Logger,
): Promise<string | undefined> {
  const out = await git(
    [
      'log',
      '--topo-order',
      '--full-history',
      '--no-renames',
      '--format=%H',
      tip,
      '--',
      `${PRODUCT.policyDir}/allowed_signers`,
    ],
    { cwd: root, logger },
  );
  const touching = out.split('\n').filter(isObjectId);
  const oldest = touching.at(-1);
  if (!oldest) return undefined;
  const children = new Map<string, string[]>();
  for (const c of all) for (const p of c.parents) children.set(p, [...(children.get(p) ?? []), c.id]);
  const below = reachable([oldest], id => children.get(id) ?? []);
  return touching.every(id => below.has(id)) ? oldest : undefined;
}

/** `git log --numstat` of the commits (first-parent diff for merges), one git call; binary files count no lines. */
export async function diffStats(root: string, ids: readonly string[], logger: Logger): Promise<Map<string, DiffStat>> {
  const result = new Map<string, DiffStat>();
  if (ids.length === 0) return result;
  const out = await git(
    [...LOG_OF_COMMITS, '--numstat', '-z', '--no-renames', '--diff-merges=first-parent', '--format=%x00%H'],
    { cwd: root, input: `${ids.join('\n')}\n`, logger },
  );
  const tokens = out.split('\0');
  let current: DiffStat | undefined;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token === '' && i + 1 < tokens.length && isObjectId(tokens[i + 1]!)) {
      current = { added: 0, removed: 0, folders: {} };
      result.set(tokens[i + 1]!, current);
      i++;
      continue;
    }
    const m = /^\n?(\d+|-)\t(\d+|-)\t(.+)$/s.exec(token);
    if (!m || !current) continue;
    const added = m[1] === '-' ? 0 : Number(m[1]);
    current.added += added;
    current.removed += m[2] === '-' ? 0 : Number(m[2]);
    const folder = topFolder(m[3]!);
    current.folders[folder] = (current.folders[folder] ?? 0) + added;
  }
  return result;
}

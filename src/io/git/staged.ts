import { readObject } from './cat-file';
import { git, runGit, type GitRunOptions } from './git';
import { parseRawDiff, isNullBlob } from './parse';

/** What `git diff --cached --raw` says about one staged file. */
export interface StagedChange {
  /** A added, M modified, R renamed, C copied, T type changed (D deleted files are left out). */
  status: 'A' | 'M' | 'R' | 'C' | 'T';
  path: string;
  /** For renames and copies: where the file came from. */
  oldPath?: string;
  /** Blob before, or undefined for a new file. */
  oldBlob?: string;
  newBlob: string;
}

/** The id of the empty tree in this repository's object format (a first commit diffs against it). */
export async function emptyTree(root: string): Promise<string> {
  return git(['hash-object', '-t', 'tree', '--stdin'], { cwd: root, input: '' });
}

/** Whether `rev` names a commit. */
export async function commitExists(root: string, rev: string): Promise<boolean> {
  const r = await runGit(['rev-parse', '--verify', '--quiet', `${rev}^{commit}`], { cwd: root, okExitCodes: [0, 1] });
  return r.exitCode === 0;
}

/**
 * Regular files whose staged content differs from `base` (a commit or tree), renames followed. Submodules,
 * symbolic links and deletions are left out: they add no lines of text.
 */
export async function stagedChanges(
  root: string,
  base: string,
  options: Omit<GitRunOptions, 'cwd'> = {},
): Promise<StagedChange[]> {
  const out = await git(
    ['diff', '--cached', '--raw', '-z', '-M', '--no-abbrev', '--no-ext-diff', '--no-textconv', base, '--'],
    { ...options, cwd: root },
  );
  const changes: StagedChange[] = [];
  for (const e of parseRawDiff(out)) {
    if (e.status === 'D' || !e.newMode.startsWith('100')) continue;
    if (!['A', 'M', 'R', 'C', 'T'].includes(e.status)) continue;
    const change: StagedChange = { status: e.status as StagedChange['status'], path: e.path, newBlob: e.newBlob };
    if (e.oldPath !== undefined) change.oldPath = e.oldPath;
    if (!isNullBlob(e.oldBlob)) change.oldBlob = e.oldBlob;
    changes.push(change);
  }
  return changes;
}

/** Files the index deletes against `base` (renames followed, so a moved file is not among them), with their blob. */
export async function stagedDeletedFiles(
  root: string,
  base: string,
  options: Omit<GitRunOptions, 'cwd'> = {},
): Promise<{ path: string; oldBlob: string }[]> {
  const out = await git(
    ['diff', '--cached', '--raw', '-z', '-M', '--no-abbrev', '--no-ext-diff', '--no-textconv', base, '--'],
    { ...options, cwd: root },
  );
  return parseRawDiff(out)
    .filter(e => e.status === 'D' && e.oldMode.startsWith('100'))
    .map(e => ({ path: e.path, oldBlob: e.oldBlob }));
}

/** Reads many blobs through the repository's one `git cat-file --batch` (cat-file.ts). Missing ids are absent. */
export async function readBlobs(
  root: string,
  ids: readonly string[],
  options: Pick<GitRunOptions, 'logger'> = {},
): Promise<Map<string, Buffer>> {
  const unique = [...new Set(ids)];
  const contents = await Promise.all(unique.map(id => readObject(root, id, options.logger)));
  const result = new Map<string, Buffer>();
  unique.forEach((id, i) => {
    const content = contents[i];
    if (content !== undefined) result.set(id, content);
  });
  return result;
}

/** Binary as git decides it: a NUL byte in the first 8000 bytes. */
export function isBinary(content: Buffer): boolean {
  return content.subarray(0, 8000).includes(0);
}

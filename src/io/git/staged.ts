import { git, gitBuffer, runGit, splitNul, type GitRunOptions } from './git';

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

const ZERO = /^0+$/;

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
  const parts = splitNul(out);
  const changes: StagedChange[] = [];
  for (let i = 0; i < parts.length;) {
    const header = parts[i++]!;
    const m = /^:(\d{6}) (\d{6}) ([0-9a-f]+) ([0-9a-f]+) ([A-Z])(\d*)$/.exec(header);
    if (!m) throw new Error(`unexpected git diff --raw output: ${header.slice(0, 100)}`);
    const [, , newMode, oldBlob, newBlob, status] = m;
    const twoPaths = status === 'R' || status === 'C';
    const first = parts[i++]!;
    const second = twoPaths ? parts[i++]! : undefined;
    if (status === 'D' || !newMode!.startsWith('100')) continue;
    if (!['A', 'M', 'R', 'C', 'T'].includes(status!)) continue;
    const change: StagedChange = { status: status as StagedChange['status'], path: second ?? first, newBlob: newBlob! };
    if (second !== undefined) change.oldPath = first;
    if (!ZERO.test(oldBlob!)) change.oldBlob = oldBlob!;
    changes.push(change);
  }
  return changes;
}

/** Reads many blobs in one `git cat-file --batch`. Missing ids are absent from the result. */
export async function readBlobs(
  root: string,
  ids: readonly string[],
  options: Omit<GitRunOptions, 'cwd'> = {},
): Promise<Map<string, Buffer>> {
  const unique = [...new Set(ids)];
  const result = new Map<string, Buffer>();
  if (unique.length === 0) return result;
  const out = await gitBuffer(['cat-file', '--batch'], { ...options, cwd: root, input: unique.join('\n') + '\n' });
  let pos = 0;
  for (const id of unique) {
    const eol = out.indexOf(0x0a, pos);
    if (eol < 0) break;
    const header = out.subarray(pos, eol).toString('utf8');
    pos = eol + 1;
    if (header.endsWith(' missing') || header.endsWith(' ambiguous')) continue;
    const size = Number(header.split(' ')[2]);
    result.set(id, out.subarray(pos, pos + size));
    pos += size + 1; // the content, then a newline
  }
  return result;
}

/** Binary as git decides it: a NUL byte in the first 8000 bytes. */
export function isBinary(content: Buffer): boolean {
  return content.subarray(0, 8000).includes(0);
}

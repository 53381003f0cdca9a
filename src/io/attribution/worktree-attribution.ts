import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { attributeCommit, type CommitAttribution, type StagedText } from '../../core/commit/attribution';
import type { Logger } from '../../core/log';
import { git, splitNul } from '../git/git';
import { runsForStaged, type RunsStore } from './staged-attribution';
import { isBinary, readBlobs, type StagedChange } from '../git/staged';

/**
 * The work tree's changes against a base commit, attributed line by line the way the commit hook attributes the
 * index: what `git commit -a` (plus the untracked files) would add.
 */

interface WorktreeChange {
  path: string;
  oldPath?: string;
  oldBlob?: string;
  status: StagedChange['status'];
}

const ZERO = /^0+$/;

/** Regular files of the work tree that differ from `base` (renames followed), and untracked files not ignored. */
export async function worktreeChanges(root: string, base: string, logger?: Logger): Promise<WorktreeChange[]> {
  const out = await git(['diff', '--raw', '-z', '-M', '--no-abbrev', '--no-ext-diff', '--no-textconv', base, '--'], {
    cwd: root,
    logger,
  });
  const parts = splitNul(out);
  const changes: WorktreeChange[] = [];
  for (let i = 0; i < parts.length;) {
    const header = parts[i++]!;
    const m = /^:(\d{6}) (\d{6}) ([0-9a-f]+) ([0-9a-f]+) ([A-Z])(\d*)$/.exec(header);
    if (!m) throw new Error(`unexpected git diff --raw output: ${header.slice(0, 100)}`);
    const [, , newMode, oldBlob, , status] = m;
    const twoPaths = status === 'R' || status === 'C';
    const first = parts[i++]!;
    const second = twoPaths ? parts[i++]! : undefined;
    if (status === 'D' || !newMode!.startsWith('100') || !['A', 'M', 'R', 'C', 'T'].includes(status!)) continue;
    const change: WorktreeChange = { status: status as StagedChange['status'], path: second ?? first };
    if (second !== undefined) change.oldPath = first;
    if (!ZERO.test(oldBlob!)) change.oldBlob = oldBlob!;
    changes.push(change);
  }
  const untracked = await git(['ls-files', '-z', '--others', '--exclude-standard'], { cwd: root, logger });
  for (const p of splitNul(untracked)) changes.push({ status: 'A', path: p });
  return changes;
}

/** Everything in the work tree that differs from `base`, attributed line by line from the runs store. */
export async function worktreeAttribution(
  store: RunsStore,
  root: string,
  base: string,
  logger: Logger,
): Promise<CommitAttribution> {
  const changes = await worktreeChanges(root, base, logger);
  const old = await readBlobs(
    root,
    changes.flatMap(c => (c.oldBlob ? [c.oldBlob] : [])),
    { logger },
  );
  const files: StagedText[] = [];
  for (const change of changes) {
    let content: Buffer;
    try {
      const file = path.join(root, ...change.path.split('/'));
      if (!(await fs.lstat(file)).isFile()) continue;
      content = await fs.readFile(file);
    } catch {
      continue;
    }
    const previous = change.oldBlob ? old.get(change.oldBlob) : undefined;
    if (isBinary(content) || (previous && isBinary(previous))) continue;
    const newText = content.toString('utf8');
    const file: StagedText = { path: change.path, oldText: previous ? previous.toString('utf8') : '', newText };
    const staged: StagedChange = { status: change.status, path: change.path, newBlob: await store.blobId(content) };
    if (change.oldPath !== undefined) staged.oldPath = change.oldPath;
    if (change.oldBlob !== undefined) staged.oldBlob = change.oldBlob;
    const runs = await runsForStaged(store, root, staged, newText, logger);
    if (runs) file.runs = runs;
    files.push(file);
  }
  return attributeCommit(files);
}

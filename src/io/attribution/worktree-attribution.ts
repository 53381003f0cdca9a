import * as fs from 'node:fs';
import * as path from 'node:path';
import { attributeCommit, type CommitAttribution, type StagedText } from '../../core/commit/attribution';
import type { Logger } from '../../core/log';
import { git } from '../git/git';
import { pooled } from '../../core/pool';
import { runsForStaged } from './staged-attribution';
import { type RunsStore } from './runs-store';
import { isBinary, readBlobs, type StagedChange } from '../git/staged';
import { splitNul, parseRawDiff, isNullBlob } from '../git/parse';

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

/** Regular files of the work tree that differ from `base` (renames followed), and untracked files not ignored. */
export async function worktreeChanges(root: string, base: string, logger?: Logger): Promise<WorktreeChange[]> {
  const out = await git(['diff', '--raw', '-z', '-M', '--no-abbrev', '--no-ext-diff', '--no-textconv', base, '--'], {
    cwd: root,
    logger,
  });
  const changes: WorktreeChange[] = [];
  for (const e of parseRawDiff(out)) {
    if (e.status === 'D' || !e.newMode.startsWith('100') || !['A', 'M', 'R', 'C', 'T'].includes(e.status)) continue;
    const change: WorktreeChange = { status: e.status as StagedChange['status'], path: e.path };
    if (e.oldPath !== undefined) change.oldPath = e.oldPath;
    if (!isNullBlob(e.oldBlob)) change.oldBlob = e.oldBlob;
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
  // Several files at a time, as the commit hook does: a record's older text may come from git, and its answers then
  // overlap (cat-file.ts). The files keep their order.
  const files: (StagedText | undefined)[] = await pooled(changes, 16, async change => {
    let content: Buffer;
    try {
      const file = path.join(root, ...change.path.split('/'));
      // Synchronous, as state files are read (state-file.ts): two thread pool trips a file cost more than the read.
      if (!fs.lstatSync(file).isFile()) return undefined;
      content = fs.readFileSync(file);
    } catch {
      return undefined;
    }
    const previous = change.oldBlob ? old.get(change.oldBlob) : undefined;
    if (isBinary(content) || (previous && isBinary(previous))) return undefined;
    const newText = content.toString('utf8');
    const file: StagedText = { path: change.path, oldText: previous ? previous.toString('utf8') : '', newText };
    const staged: StagedChange = { status: change.status, path: change.path, newBlob: await store.blobId(content) };
    if (change.oldPath !== undefined) staged.oldPath = change.oldPath;
    if (change.oldBlob !== undefined) staged.oldBlob = change.oldBlob;
    const runs = await runsForStaged(store, root, staged, newText, logger);
    if (runs) file.runs = runs;
    return file;
  });
  return attributeCommit(files.filter((f): f is StagedText => f !== undefined));
}

import {
  attributeCommit,
  removedLineTexts,
  removedLines,
  type CommitAttribution,
  type RemovedByAi,
  type StagedText,
} from '../../core/commit/attribution';
import { matchDeletions, readDeletions } from './ai-deletions';
import type { Logger } from '../../core/log';
import type { Run } from '../../core/attribution/origin';
import { reanchor } from '../../core/attribution/reanchor';
import { isBinary, readBlobs, stagedChanges, stagedDeletedFiles, type StagedChange } from '../git/staged';
import { lastChangeTime } from '../git/queries';
import { pooled } from '../../core/pool';
import { bestRecord } from './best-record';
import type { RunsStore } from './runs-store';
import { carryHistory, NO_HISTORY, type History } from './history-attribution';
import { movedAsideAt, STATE_LAYOUT } from '../store/state-file';
import { pathKey } from '../store/state-store';
import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * The attribution of a staged file's text, from the best record there is (best-record.ts): a record for exactly
 * this blob; else the latest record for the path re-anchored onto the staged text (the partial-staging case,
 * `git add -p`); else nothing, and the caller treats the text as `unknown`.
 */
export async function runsForStaged(
  store: RunsStore,
  root: string,
  change: StagedChange,
  text: string,
  logger: Logger,
): Promise<Run[] | undefined> {
  const paths = change.oldPath ? [change.path, change.oldPath] : [change.path];
  const found = await bestRecord(store, { paths, text, root, logger });
  if (!found || found.exact) return found?.runs;
  const mapped = reanchor(found.text, found.runs, text);
  if (!mapped.complete)
    logger.warn(
      `${change.path}: the staged text differs too much from the tracked text to map all of it; the rest counts as unknown`,
    );
  return mapped.runs;
}

export interface StagedOptions {
  /** A merge's other parents: a line counts only when it is new against every parent (docs/commits.md). */
  readonly otherParents?: readonly string[];
  /** AI lines earlier commits recorded, carried onto the staged text (history-attribution.ts). */
  readonly history?: History;
  /**
   * Files an agent's shell command may have written that no record holds yet (capture.ts, unfinishedShells), with
   * the command: a staged file among them with unknown lines counts as skipped.
   */
  readonly unfinished?: ReadonlyMap<string, string>;
}

/** Everything staged against `base`, attributed line by line. */
export async function stagedAttribution(
  store: RunsStore,
  root: string,
  base: string,
  logger: Logger,
  options: StagedOptions = {},
): Promise<CommitAttribution> {
  const history = options.history ?? NO_HISTORY;
  const [changes, ...againstOthers] = await Promise.all([
    stagedChanges(root, base, { logger }),
    ...(options.otherParents ?? []).map(parent => stagedChanges(root, parent, { logger })),
  ]);
  // Per other parent: the staged files that differ from it, and the blob they had there (none: new there too).
  const otherBlobs = againstOthers.map(list => new Map(list.map(c => [c.path, c.oldBlob] as const)));
  const blobs = await readBlobs(
    root,
    [
      ...changes!.flatMap(c => (c.oldBlob ? [c.oldBlob, c.newBlob] : [c.newBlob])),
      ...otherBlobs.flatMap(m => [...m.values()].filter((b): b is string => b !== undefined)),
    ],
    { logger },
  );
  const texts = changes!.flatMap(change => {
    const next = blobs.get(change.newBlob);
    const previous = change.oldBlob ? blobs.get(change.oldBlob) : undefined;
    if (!next || isBinary(next) || (previous && isBinary(previous))) return [];
    const file: StagedText = {
      path: change.path,
      oldText: previous ? previous.toString('utf8') : '',
      newText: next.toString('utf8'),
    };
    if (otherBlobs.length > 0) {
      const others: string[] = [];
      for (const m of otherBlobs) {
        // The same text as that parent has: nothing in it is new to the merge.
        if (!m.has(change.path)) return [];
        const blob = m.get(change.path);
        const content = blob ? blobs.get(blob) : undefined;
        if (content && isBinary(content)) return [];
        others.push(content ? content.toString('utf8') : '');
      }
      file.otherParentTexts = others;
    }
    return [{ change, file }];
  });
  // The records are small files: read them several at a time, so a large commit waits on the disk less.
  // One file that cannot be looked up (a name the store refuses, a record it cannot read) must not cost the others
  // their attribution: its lines count as unknown, and the trailer says how many files were skipped (`skipped=`),
  // which makes `check` ask a senior to look.
  const skipped: string[] = [];
  // A record that does not read is moved aside by the store, and the file's lines fall back to unknown: what it held
  // is lost, so the file counts as skipped (check asks a senior), never as simply unknown.
  const corruptBefore = corruptEntries(store.stateDir);
  await pooled(texts, 16, async ({ change, file }) => {
    try {
      const stored = await runsForStaged(store, root, change, file.newText, logger);
      const paths = change.oldPath ? [change.path, change.oldPath] : [change.path];
      const runs = (await carryHistory(root, history, paths, file.newText, stored, logger)) ?? stored;
      if (runs) file.runs = runs;
      if (paths.some(p => history.unplaced.has(p))) skipped.push(change.path);
    } catch (error) {
      skipped.push(change.path);
      logger.warn(
        `${change.path}: its attribution could not be read (${(error as Error).message}); counted as unknown`,
      );
    }
  });
  // Moved aside by this lookup, or by another process (the editor, `status`) since the file's last commit on the
  // base: the record may have held lines of the staged text, so the file counts as skipped until a commit of it
  // after the move (this one, if it goes through) has said so.
  const corruptAll = corruptEntries(store.stateDir);
  const corruptNow = new Set([...corruptAll].filter(n => !corruptBefore.has(n)));
  await pooled(texts, 8, async ({ change }) => {
    const paths = change.oldPath ? [change.path, change.oldPath] : [change.path];
    const entries = [...corruptAll].filter(n => paths.some(p => n.startsWith(`${STATE_LAYOUT.runs}~${pathKey(p)}~`)));
    if (entries.length === 0) return;
    let lost = entries.some(n => corruptNow.has(n));
    if (!lost) {
      // 0 when never committed on the base: whatever the record held is in this commit. Commit times have whole
      // seconds: a move in the second of that commit counts (better asked twice than missed).
      const since = await lastChangeTime(root, base, paths, logger);
      lost = entries.some(n => Math.floor((movedAsideAt(n) ?? Number.POSITIVE_INFINITY) / 1000) * 1000 >= since);
    }
    if (!lost) return;
    logger.warn(`${change.path}: a record of its attribution did not read and was moved aside; counted as skipped`);
    skipped.push(change.path);
  });
  // AI lines a replayed or squashed commit's note places in a file that is not staged here (renamed on the way,
  // or under another path on this branch): they cannot be followed, so they count as skipped.
  const staged = new Set(changes!.flatMap(c => (c.oldPath ? [c.path, c.oldPath] : [c.path])));
  for (const p of history.expected) {
    if (staged.has(p)) continue;
    logger.warn(
      `${p}: an earlier commit's note has AI lines there, and this commit has no such file; counted as skipped`,
    );
    skipped.push(p);
  }
  const result = attributeCommit(texts.map(t => t.file));
  await countAiDeletions(store, root, base, texts, result, options, logger);
  // Unknown lines in a file an agent's unfinished shell command may have written may be its text, and lines it
  // removes may be its removal.
  const unfinishedHits = await unfinishedShellHits(root, base, texts, result, options, logger);
  skipped.push(...unfinishedHits);
  // Only files that add lines can hide AI text: a skipped file with nothing new is not worth a senior's look.
  const adding = new Set(result.files.map(f => f.path));
  const counted = [...new Set(skipped)].filter(
    p => adding.has(p) || history.expected.has(p) || unfinishedHits.includes(p),
  );
  if (counted.length > 0) result.attribution.skipped = counted.length;
  return result;
}

/**
 * The staged files an agent's unfinished shell command (options.unfinished) may have changed, and whose change we
 * cannot tell apart from its: unknown added lines, removed lines, or the file deleted.
 */
async function unfinishedShellHits(
  root: string,
  base: string,
  texts: readonly { change: StagedChange; file: StagedText }[],
  result: CommitAttribution,
  options: StagedOptions,
  logger: Logger,
): Promise<string[]> {
  const unfinished = options.unfinished;
  if (!unfinished || unfinished.size === 0) return [];
  const hits = new Map<string, string>();
  for (const f of result.files) {
    const shell = unfinished.get(f.path);
    if (shell !== undefined && f.added.some(l => l.cls === 'u'))
      hits.set(f.path, `${shell} may have written its unknown lines`);
  }
  for (const { change, file } of texts) {
    const shell = unfinished.get(change.path);
    if (shell !== undefined && !hits.has(change.path) && removedLines(file.oldText, file.newText).length > 0)
      hits.set(change.path, `${shell} may have removed its lines`);
  }
  for (const g of await stagedDeletedFiles(root, base, { logger })) {
    const shell = unfinished.get(g.path);
    if (shell !== undefined) hits.set(g.path, `${shell} may have deleted it`);
  }
  for (const [p, why] of hits) logger.warn(`${p}: ${why}; counted as skipped`);
  return [...hits.keys()];
}

/**
 * The commit's removed lines that an AI removed (ai-deletions.ts): `deleted=` in the trailer, and the agents that
 * removed them credited like the ones that wrote lines. A merge counts only lines removed against every parent.
 */
async function countAiDeletions(
  store: RunsStore,
  root: string,
  base: string,
  texts: readonly { change: StagedChange; file: StagedText }[],
  result: CommitAttribution,
  options: StagedOptions,
  logger: Logger,
): Promise<void> {
  const entries = await readDeletions(store);
  if (entries.length === 0) return;
  const removed = texts.map(({ change, file }) => {
    let lines = removedLines(file.oldText, file.newText);
    for (const other of file.otherParentTexts ?? []) lines = intersect(lines, removedLineTexts(other, file.newText));
    return { paths: change.oldPath ? [change.oldPath, change.path] : [change.path], lines };
  });
  if (!options.otherParents || options.otherParents.length === 0) {
    const gone = await stagedDeletedFiles(root, base, { logger });
    const blobs = await readBlobs(
      root,
      gone.map(g => g.oldBlob),
      { logger },
    );
    for (const g of gone) {
      const content = blobs.get(g.oldBlob);
      if (content && !isBinary(content))
        removed.push({ paths: [g.path], lines: removedLines(content.toString('utf8'), '') });
    }
  }
  const { deleted, by, matched } = matchDeletions(entries, removed);
  if (deleted === 0) return;
  result.attribution.deleted = deleted;
  // For the note: which lines, per file and AI (line numbers in the parent's version of the file).
  const groups = new Map<string, RemovedByAi>();
  for (const m of matched) {
    const { tool, kind, model } = m.entry;
    const key = JSON.stringify([m.path, tool, kind, model ?? '']);
    const group = groups.get(key) ?? { path: m.path, lines: [], tool, kind, ...(model !== undefined ? { model } : {}) };
    group.lines.push(m.line);
    groups.set(key, group);
  }
  result.removed = [...groups.values()].map(g => ({ ...g, lines: g.lines.sort((a, b) => a - b) }));
  for (const e of by) {
    if (!result.agents.some(a => a.tool === e.tool && a.model === e.model))
      result.agents.push(e.model === undefined ? { tool: e.tool } : { tool: e.tool, model: e.model });
  }
}

/** The lines of `a` whose text is also in `b`, as multisets. */
function intersect<T extends { text: string }>(a: readonly T[], b: readonly string[]): T[] {
  const left = new Map<string, number>();
  for (const x of b) left.set(x, (left.get(x) ?? 0) + 1);
  return a.filter(({ text: x }) => {
    const n = left.get(x) ?? 0;
    if (n === 0) return false;
    left.set(x, n - 1);
    return true;
  });
}

/** The names in the store's corrupt folder (none when it does not exist). */
function corruptEntries(stateDir: string): Set<string> {
  try {
    return new Set(fs.readdirSync(path.join(stateDir, STATE_LAYOUT.corrupt)));
  } catch {
    return new Set();
  }
}

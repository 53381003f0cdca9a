import { attributeCommit, type CommitAttribution, type StagedText } from '../../core/commit/attribution';
import type { Logger } from '../../core/log';
import type { Run } from '../../core/attribution/origin';
import { reanchor } from '../../core/attribution/reanchor';
import { isBinary, readBlobs, stagedChanges, type StagedChange } from '../git/staged';
import { pooled } from '../../core/pool';
import { bestRecord } from './best-record';
import type { RunsStore } from './runs-store';

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

/** Everything staged against `base`, attributed line by line. */
export async function stagedAttribution(
  store: RunsStore,
  root: string,
  base: string,
  logger: Logger,
): Promise<CommitAttribution> {
  const changes = await stagedChanges(root, base, { logger });
  const blobs = await readBlobs(
    root,
    changes.flatMap(c => (c.oldBlob ? [c.oldBlob, c.newBlob] : [c.newBlob])),
    { logger },
  );
  const texts = changes.flatMap(change => {
    const next = blobs.get(change.newBlob);
    const previous = change.oldBlob ? blobs.get(change.oldBlob) : undefined;
    if (!next || isBinary(next) || (previous && isBinary(previous))) return [];
    return [
      {
        change,
        file: {
          path: change.path,
          oldText: previous ? previous.toString('utf8') : '',
          newText: next.toString('utf8'),
        } as StagedText,
      },
    ];
  });
  // The records are small files: read them several at a time, so a large commit waits on the disk less.
  // One file that cannot be looked up (a name the store refuses, a record it cannot read) must not cost the others
  // their attribution: its lines count as unknown, and the trailer says how many files were skipped (`skipped=`),
  // which makes `check` ask a senior to look.
  const skipped: string[] = [];
  await pooled(texts, 16, async ({ change, file }) => {
    try {
      const runs = await runsForStaged(store, root, change, file.newText, logger);
      if (runs) file.runs = runs;
    } catch (error) {
      skipped.push(change.path);
      logger.warn(
        `${change.path}: its attribution could not be read (${(error as Error).message}); counted as unknown`,
      );
    }
  });
  const result = attributeCommit(texts.map(t => t.file));
  if (skipped.length > 0) result.attribution.skipped = skipped.length;
  return result;
}

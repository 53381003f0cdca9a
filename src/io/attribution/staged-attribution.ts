import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { attributeCommit, type CommitAttribution, type StagedText } from '../../core/commit/attribution';
import type { Logger } from '../../core/log';
import type { Run } from '../../core/attribution/origin';
import { reanchor } from '../../core/attribution/reanchor';
import { decodeRuns, type StoredRuns } from '../../core/formats/stored-runs';
import type { RunsRecord } from '../../core/formats/state-files';
import type { RepositoryLocation } from '../git/repository';
import { isBinary, readBlobs, stagedChanges, type StagedChange } from '../git/staged';
import { pooled } from '../../core/pool';
import { StateStore } from '../store/state-store';

/** The store of attribution runs, as the engine writes them (src/core/formats/stored-runs.ts). */
export type RunsStore = StateStore<StoredRuns>;

export function openRunsStore(location: RepositoryLocation, logger: Logger): RunsStore {
  return new StateStore<StoredRuns>(location, logger, {
    parseRuns: value => {
      decodeRuns(value); // validates the shape; the store moves a record that fails aside
      return value as StoredRuns;
    },
  });
}

/**
 * The attribution of a staged file's text, from the best record there is:
 * 1. a record for exactly this blob (the editor saved this text; or the file was renamed: any path);
 * 2. the latest record for the path, whose text is the working tree file (or a blob git still has),
 *    re-anchored onto the staged text: this is the partial-staging case (`git add -p`);
 * 3. nothing: the caller treats the text as `unknown`.
 */
export async function runsForStaged(
  store: RunsStore,
  root: string,
  change: StagedChange,
  text: string,
  logger: Logger,
): Promise<Run[] | undefined> {
  const decode = (record: RunsRecord<StoredRuns>, expected: number): Run[] | undefined => {
    try {
      return decodeRuns(record.runs, expected);
    } catch (error) {
      logger.warn(`ignoring the attribution record of ${record.path} (${record.blob}): ${(error as Error).message}`);
      return undefined;
    }
  };
  const paths = change.oldPath ? [change.path, change.oldPath] : [change.path];
  for (const p of paths) {
    const exact = await store.readRuns(p, change.newBlob);
    if (exact) return decode(exact, text.length);
  }
  const elsewhere = (await store.findByBlob(change.newBlob))[0];
  if (elsewhere) return decode(elsewhere, text.length);

  for (const p of paths) {
    const latest = await store.readLatest(p);
    if (!latest) continue;
    const known = await textOfBlob(store, root, p, latest.blob);
    if (known === undefined) continue;
    const runs = decode(latest, known.length);
    if (!runs) continue;
    const mapped = reanchor(known, runs, text);
    if (!mapped.complete)
      logger.warn(
        `${change.path}: the staged text differs too much from the tracked text to map all of it; the rest counts as unknown`,
      );
    return mapped.runs;
  }
  return undefined;
}

/** The text whose blob id is `blob`: the working tree file if it still has it, else git's object database. */
async function textOfBlob(store: RunsStore, root: string, repoPath: string, blob: string): Promise<string | undefined> {
  try {
    const content = await fs.readFile(path.join(root, ...repoPath.split('/')));
    if ((await store.blobId(content)) === blob) return content.toString('utf8');
  } catch {
    // not in the work tree any more
  }
  const fromGit = (await readBlobs(root, [blob])).get(blob);
  return fromGit && !isBinary(fromGit) ? fromGit.toString('utf8') : undefined;
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
  await pooled(texts, 16, async ({ change, file }) => {
    const runs = await runsForStaged(store, root, change, file.newText, logger);
    if (runs) file.runs = runs;
  });
  return attributeCommit(texts.map(t => t.file));
}

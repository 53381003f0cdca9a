import type { Engine } from '../../core/attribution/engine';
import type { Logger } from '../../core/log';
import type { Run } from '../../core/attribution/origin';
import { exactRecord, latestRecord } from '../../io/attribution/best-record';
import type { Repositories } from '../platform/repositories';

/**
 * Where a document's attribution comes from as it opens or reloads, best first (docs/attribution.md):
 * 1. `exact`: a stored record for exactly this text (under this path, or any path: a file moved outside the
 *    editor), from the one best-record lookup the commit hook and spool ingestion use too;
 * 2. `session`: what this window already knows of the file (an agent's record applied while it was closed);
 * 3. `older`: the file's latest record with the older text it describes, to re-anchor onto this text;
 * 4. `none`: nothing known; the text was there before we looked, by someone we cannot tell.
 */
export type Found =
  | { kind: 'exact'; runs: Run[] }
  | { kind: 'session' }
  | { kind: 'older'; text: string; runs: Run[] }
  | { kind: 'none' };

export async function findAttribution(
  repos: Repositories,
  engine: Engine,
  path: string,
  text: string,
  logger: Logger,
): Promise<Found> {
  const repo = await repos.forFile(path);
  const query = repo && { paths: [repo.repoPath], text, root: repo.location.root, logger };
  if (repo && query) {
    const exact = await exactRecord(repo.store, query);
    if (exact) return { kind: 'exact', runs: exact.runs };
  }
  if (engine.has(path)) return { kind: 'session' };
  if (repo && query) {
    const older = await latestRecord(repo.store, query);
    if (older) return { kind: 'older', text: older.text, runs: older.runs };
  }
  return { kind: 'none' };
}

/** A stored record for exactly `text` (after a reload: a branch switched back, an agent's edit saved by us). */
export async function findExact(
  repos: Repositories,
  path: string,
  text: string,
  logger: Logger,
): Promise<Run[] | undefined> {
  const repo = await repos.forFile(path);
  if (!repo) return undefined;
  return (await exactRecord(repo.store, { paths: [repo.repoPath], text, root: repo.location.root, logger }))?.runs;
}

import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Logger } from '../../core/log';
import type { Run } from '../../core/attribution/origin';
import { decodeRuns, type StoredRuns } from '../../core/formats/stored-runs';
import type { RunsRecord } from '../../core/formats/state-files';
import { isBinary, readBlobs } from '../git/staged';
import type { RunsStore } from './runs-store';

/**
 * The best stored record for a file's text: the one lookup the editor (a document opening or reloading), the
 * commit hook (a staged file) and spool ingestion (a file an agent's call names) share, so they never disagree on
 * what is known about a text. Order of preference:
 *
 * 1. exact: a record for exactly this text (its git blob id) under the file's path, then under its old paths (a
 *    rename), then under any path (a file moved or copied outside the editor). It describes this text exactly.
 * 2. latest: the newest record saved for the path (then its old paths), with the text it describes, found among
 *    the texts the caller already holds, else in the work tree file, else in git's object database. Its runs
 *    describe that older text; the caller re-anchors them to the text it has (kept text keeps its origin, new text
 *    is unknown), which never labels unexplained text AI.
 * 3. nothing: the caller counts the text as unknown.
 *
 * A record that does not decode (a bug, or a file edited by hand) is skipped with a warning, never thrown: the next
 * source is tried.
 */

export interface FoundRecord {
  /** The text the runs describe. */
  text: string;
  runs: Run[];
  /** True when `text` is the text asked for (1), false for a latest record of an older text (2). */
  exact: boolean;
  /** Where the record was stored: path and blob id. */
  path: string;
  blob: string;
}

export interface RecordQuery {
  /** The file's repository path first, then paths it had before (renames). */
  paths: readonly string[];
  /** The text whose attribution is wanted; undefined when any latest record will do. */
  text?: string | undefined;
  /** Other texts the caller holds (an agent's before and after snapshots): the latest record's text may be one. */
  candidates?: readonly string[];
  /** The repository root (for the work tree file and git's object database). */
  root: string;
  logger: Logger;
}

function decoded(record: RunsRecord<StoredRuns>, text: string, logger: Logger): Run[] | undefined {
  try {
    return decodeRuns(record.runs, text.length);
  } catch (error) {
    logger.warn(`ignoring the attribution record of ${record.path} (${record.blob}): ${(error as Error).message}`);
    return undefined;
  }
}

/** (1) A record for exactly `text`, under one of `paths` or any path. */
export async function exactRecord(
  store: RunsStore,
  query: RecordQuery & { text: string },
): Promise<FoundRecord | undefined> {
  const blob = await store.blobId(query.text);
  const records: RunsRecord<StoredRuns>[] = [];
  for (const p of query.paths) {
    const r = await store.readRuns(p, blob);
    if (r) records.push(r);
  }
  if (records.length === 0) records.push(...(await store.findByBlob(blob)));
  for (const record of records) {
    const runs = decoded(record, query.text, query.logger);
    if (runs) return { text: query.text, runs, exact: true, path: record.path, blob };
  }
  return undefined;
}

/** (2) The latest record of one of `paths`, with the text it describes. */
export async function latestRecord(store: RunsStore, query: RecordQuery): Promise<FoundRecord | undefined> {
  for (const p of query.paths) {
    const latest = await store.readLatest(p);
    if (!latest) continue;
    const text = await textOfBlob(store, query, p, latest.blob);
    if (text === undefined) {
      query.logger.debug(`${p}: the text of its latest attribution record (${latest.blob}) is gone`);
      continue;
    }
    const runs = decoded(latest, text, query.logger);
    if (runs) return { text, runs, exact: text === query.text, path: p, blob: latest.blob };
  }
  return undefined;
}

/** The best record there is: exact, else latest (see the order above). */
export async function bestRecord(store: RunsStore, query: RecordQuery): Promise<FoundRecord | undefined> {
  const exact = query.text !== undefined ? await exactRecord(store, { ...query, text: query.text }) : undefined;
  return exact ?? (await latestRecord(store, query));
}

/** The text whose blob id is `blob`: a text the caller holds, the work tree file, or git's object database. */
async function textOfBlob(
  store: RunsStore,
  query: RecordQuery,
  repoPath: string,
  blob: string,
): Promise<string | undefined> {
  for (const candidate of [query.text, ...(query.candidates ?? [])]) {
    if (candidate !== undefined && (await store.blobId(candidate)) === blob) return candidate;
  }
  try {
    const content = fs.readFileSync(path.join(query.root, ...repoPath.split('/')));
    if ((await store.blobId(content)) === blob && !isBinary(content)) return content.toString('utf8');
  } catch {
    // not in the work tree any more
  }
  const fromGit = (await readBlobs(query.root, [blob], { logger: query.logger })).get(blob);
  return fromGit && !isBinary(fromGit) ? fromGit.toString('utf8') : undefined;
}

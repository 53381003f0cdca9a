import { LockOptions, withLockFile } from './lock';
import { STATE_LAYOUT, StateContext, exists, readStateFile } from './state-file';
import { StateStoreError, describeError, ensureDir, isMissing, removeStaleTemps, writeFileAtomic } from './atomic-file';
import { computeBlobId, detectObjectFormat } from './blob-id';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';
import type { Logger } from '../../core/log';
import {
  STATE_FORMAT_VERSION,
  StateFormatError,
  anyPayload,
  isBlobId,
  isRepoPath,
  parseLatestPointer,
  parseListDocument,
  parseRunsRecord,
  parseVersioned,
  type LatestPointer,
  type ListDocument,
  type ObjectFormat,
  type PayloadParser,
  type RunsRecord,
} from '../../core/formats/state-files';
import type { RepositoryLocation } from '../git/repository';

/**
 * Per-worktree local state (docs/local-state.md), under `$(git rev-parse --git-path ai-provenance)`:
 *
 * ```
 * <stateDir>/
 *   runs/<sha1(path)>/<blob>.json     RunsRecord: runs of one file's text, keyed by that text's git blob id
 *   runs/<sha1(path)>/latest.json     LatestPointer: which blob's record is the newest for the path
 *   blobs/<blob>/<sha1(path)>         empty: the path has (or had) a record of that blob (findByBlob's index)
 *   blobs/.indexed                    every record written before the index has its entry
 *   spool/<time>-<pid>-<seq>-<rand>.json  SpoolEnvelope: one appended record per file (see spool.ts)
 *   spool/.claimed/                   records a drain has claimed and not yet finished
 *   review-requests.json, <name>.json generic versioned documents (readJson/writeJson/updateJson/…List)
 *   locks/<name>.lock                 short-lived locks for read-modify-write of one document
 *   corrupt/<name>.<timestamp>        files that failed to parse, moved aside with a warning
 * ```
 *
 * Guarantees, for every file written here:
 * - Atomic: the bytes go to a temporary file in the same folder (name starts with `.` and ends with `.tmp`), which is
 *   fsynced, renamed over the target, and the folder fsynced. A reader sees the old complete file or the new
 *   complete file, never a mix, even when the writer is killed at any instruction. Leftover temporary files are
 *   invisible to readers and removed by `cleanup()` once older than `staleTempMs`.
 * - Versioned: every file has `"version": 1`. A file that is not JSON, has another version, or has the wrong shape is
 *   moved to `corrupt/` with a warning naming the file, where it went and why; the read returns `undefined`. Reads
 *   throw only for operating-system failures (permission denied, I/O error), as StateStoreError.
 * - No shared read-modify-write on the hot paths: each path has its own folder, records are content-addressed, and
 *   the "latest" pointer is last-writer-wins, which is what "latest" means. Documents that do need
 *   read-modify-write (review requests) go through `updateJson`, serialized by a lock file that a dead holder
 *   cannot keep forever.
 */

export interface StateStoreOptions<R> {
  /** Validates the `runs` payload of a record on read; throw when it is not what the engine wrote. */
  parseRuns?: PayloadParser<R>;
  /** Skip asking git (`git rev-parse --show-object-format`) when the caller already knows. */
  objectFormat?: ObjectFormat;
  /** Records kept per path by pruning (newest first), besides the one `latest.json` names. Default 8; writes let a path grow to twice this before pruning. */
  keepPerPath?: number;
  /** Pruning never removes a record written less than this long ago (a racing writer may be about to point at it). Default 10 s. */
  pruneGraceMs?: number;
  /** `cleanup()` removes temporary files older than this. Default 5 minutes. */
  staleTempMs?: number;
  /** fsync files and folders on every write. Default true; tests may turn it off for speed. */
  durable?: boolean;
  /** Lock waiting limit for `updateJson`/`updateList`. Default 10 s. */
  lockTimeoutMs?: number;
  /** A lock older than this is broken even if its holder looks alive. Default 30 s. */
  lockStaleMs?: number;
}

/** What `latest.json` of a path says, as listed by `listTracked()`. */
export type TrackedFile = Omit<LatestPointer, 'version'>;

/**
 * Local state of one worktree. Cheap to construct (no I/O until used); safe to use from several processes at once.
 * `R` is the type of the engine's runs payload; the store never looks inside it.
 */
export class StateStore<R = unknown> {
  readonly stateDir: string;
  readonly root: string;
  private readonly context: StateContext;
  private readonly parseRuns: PayloadParser<R>;
  private readonly keepPerPath: number;
  private readonly pruneGraceMs: number;
  private readonly staleTempMs: number;
  private readonly durable: boolean;
  private readonly lockOptions: LockOptions;
  private format: Promise<ObjectFormat> | undefined;
  /** The sweep of ensureBlobIndex, shared by every caller of this store (undefined again after a failure). */
  private blobIndexSweep: Promise<void> | undefined;

  constructor(
    location: RepositoryLocation,
    private readonly logger: Logger,
    options: StateStoreOptions<R> = {},
  ) {
    this.stateDir = location.stateDir;
    this.root = location.root;
    this.context = { stateDir: this.stateDir, logger };
    this.parseRuns = options.parseRuns ?? (anyPayload as PayloadParser<R>);
    this.keepPerPath = Math.max(1, Math.floor(options.keepPerPath ?? 8));
    this.pruneGraceMs = options.pruneGraceMs ?? 10_000;
    this.staleTempMs = options.staleTempMs ?? 5 * 60_000;
    this.durable = options.durable ?? true;
    this.lockOptions = { timeoutMs: options.lockTimeoutMs ?? 10_000, staleMs: options.lockStaleMs ?? 30_000 };
    if (options.objectFormat) this.format = Promise.resolve(options.objectFormat);
  }

  /** The repository's object format, asked of git once per store. */
  objectFormat(): Promise<ObjectFormat> {
    this.format ??= detectObjectFormat(this.root, this.logger).catch((error: unknown) => {
      this.format = undefined; // do not cache a failure: the next call may succeed
      throw error;
    });
    return this.format;
  }

  /** The blob id git would give `content` (see computeBlobId), in this repository's object format. */
  async blobId(content: string | Uint8Array): Promise<string> {
    return computeBlobId(content, await this.objectFormat());
  }

  // --- runs records -------------------------------------------------------------------------------------------

  /**
   * Saves `runs` as describing `content` of `path`, and makes it the path's latest record. Returns the record
   * (with the blob id it is stored under). Then prunes the path's old records, best effort.
   */
  async writeRuns(repoPath: string, content: string | Uint8Array, runs: R): Promise<RunsRecord<R>> {
    return this.writeRunsForBlob(repoPath, await this.blobId(content), runs);
  }

  /** As writeRuns, for a caller that already has the blob id. */
  async writeRunsForBlob(repoPath: string, blob: string, runs: R): Promise<RunsRecord<R>> {
    checkRepoPath(repoPath);
    checkBlobId(blob);
    const dir = this.pathDir(repoPath);
    await ensureDir(dir);
    const record: RunsRecord<R> = {
      version: STATE_FORMAT_VERSION,
      path: repoPath,
      blob,
      savedAt: new Date().toISOString(),
      runs,
    };
    const text = JSON.stringify(record) + '\n';
    const file = path.join(dir, `${blob}.json`);
    // The index entry first: an entry without its record reads as nothing, a record without its entry would hide.
    await this.indexBlob(blob, pathKey(repoPath));
    await writeFileAtomic(file, text, { durable: this.durable });
    const pointer: LatestPointer = { version: STATE_FORMAT_VERSION, path: repoPath, blob, savedAt: record.savedAt };
    await writeFileAtomic(path.join(dir, STATE_LAYOUT.latest), JSON.stringify(pointer) + '\n', {
      durable: this.durable,
    });
    // A prune racing with us may have removed the record between our two writes (only possible with a zero grace
    // period); the pointer must not name a missing record, so write it again.
    if (!(await exists(file))) await writeFileAtomic(file, text, { durable: this.durable });
    try {
      // Prune only once the folder holds twice what is kept: a write then costs one readdir, and the stat of every
      // record that pruning needs happens once per `keep` writes instead of on each.
      await this.prune(repoPath, { onlyAbove: 2 * this.keepPerPath });
    } catch (error) {
      this.logger.warn(`could not prune old records of ${repoPath}: ${describeError(error)}`);
    }
    return record;
  }

  /** The record of `path` for exactly the text with blob id `blob`, or `undefined` (absent, corrupt, other path). */
  async readRuns(repoPath: string, blob: string): Promise<RunsRecord<R> | undefined> {
    checkRepoPath(repoPath);
    checkBlobId(blob);
    const file = path.join(this.pathDir(repoPath), `${blob}.json`);
    return readStateFile(this.context, file, text => this.parseRecord(text, repoPath, blob));
  }

  /** The record of `path` for exactly `content`, or `undefined`. */
  async readRunsForText(repoPath: string, content: string | Uint8Array): Promise<RunsRecord<R> | undefined> {
    return this.readRuns(repoPath, await this.blobId(content));
  }

  /** Which blob the latest record of `path` describes, or `undefined`. */
  async latest(repoPath: string): Promise<TrackedFile | undefined> {
    checkRepoPath(repoPath);
    const file = path.join(this.pathDir(repoPath), STATE_LAYOUT.latest);
    const pointer = await readStateFile(this.context, file, text => {
      const value = parseLatestPointer(parseVersioned(text));
      if (value.path !== repoPath) throw new StateFormatError('shape', `it names ${value.path}, not ${repoPath}`);
      return value;
    });
    return pointer && { path: pointer.path, blob: pointer.blob, savedAt: pointer.savedAt };
  }

  /** The latest record of `path` (whatever text it describes), or `undefined`. */
  async readLatest(repoPath: string): Promise<RunsRecord<R> | undefined> {
    const pointer = await this.latest(repoPath);
    if (!pointer) return undefined;
    const record = await this.readRuns(repoPath, pointer.blob);
    if (!record) this.logger.debug(`latest.json of ${repoPath} names ${pointer.blob}, which has no record`);
    return record;
  }

  /** Every path with a latest record, sorted by path. */
  async listTracked(): Promise<TrackedFile[]> {
    const runsDir = path.join(this.stateDir, STATE_LAYOUT.runs);
    const tracked: TrackedFile[] = [];
    for (const key of await listDir(runsDir)) {
      if (!/^[0-9a-f]{40}$/.test(key)) continue;
      const file = path.join(runsDir, key, STATE_LAYOUT.latest);
      const pointer = await readStateFile(this.context, file, text => {
        const value = parseLatestPointer(parseVersioned(text));
        if (pathKey(value.path) !== key)
          throw new StateFormatError('shape', `it names ${value.path}, which belongs elsewhere`);
        return value;
      });
      if (pointer) tracked.push({ path: pointer.path, blob: pointer.blob, savedAt: pointer.savedAt });
    }
    return tracked.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  /** Records of any path for the text with blob id `blob` (e.g. to follow a rename), newest first. */
  async findByBlob(blob: string): Promise<RunsRecord<R>[]> {
    checkBlobId(blob);
    await this.ensureBlobIndex();
    const runsDir = path.join(this.stateDir, STATE_LAYOUT.runs);
    const found: RunsRecord<R>[] = [];
    for (const key of await listDir(path.join(this.stateDir, STATE_LAYOUT.blobs, blob))) {
      if (!/^[0-9a-f]{40}$/.test(key)) continue;
      const file = path.join(runsDir, key, `${blob}.json`);
      const record = await readStateFile(this.context, file, text => {
        const value = parseRunsRecord(parseVersioned(text), this.parseRuns);
        if (value.blob !== blob || pathKey(value.path) !== key)
          throw new StateFormatError('shape', 'it is filed under the wrong path or blob');
        return value;
      });
      if (record) found.push(record);
    }
    return found.sort((a, b) => Date.parse(b.savedAt) - Date.parse(a.savedAt));
  }

  /**
   * Notes that the path with key `key` has a record of `blob` (findByBlob reads the paths listed for a blob). An
   * empty file, created in place (its creation is atomic) and not flushed: an entry a crash loses only hides the
   * record from the search across paths (a file renamed outside git's view), never from its own path.
   */
  private async indexBlob(blob: string, key: string): Promise<void> {
    const dir = path.join(this.stateDir, STATE_LAYOUT.blobs, blob);
    try {
      await ensureDir(dir);
      await fsp.writeFile(path.join(dir, key), '', { flag: 'a' });
    } catch (error) {
      throw new StateStoreError('write', dir, error);
    }
  }

  /**
   * Once per process: gives every record that has no index entry its entry. A record is written by this version
   * with its entry; one written by another (an older extension still running in a window, an older CLI) has none.
   * `blobs/.indexed` holds when the last sweep began: only the paths whose folder changed since then are read again
   * (a new record changes its folder's modification time), so the sweep is one stat per tracked path.
   */
  private ensureBlobIndex(): Promise<void> {
    // Callers that ask at once (status looks files up several at a time) share one sweep; a failed one is tried again.
    this.blobIndexSweep ??= this.sweepBlobIndex().catch((error: unknown) => {
      this.blobIndexSweep = undefined;
      throw error;
    });
    return this.blobIndexSweep;
  }

  private async sweepBlobIndex(): Promise<void> {
    const marker = path.join(this.stateDir, STATE_LAYOUT.blobs, STATE_LAYOUT.blobsIndexed);
    let since = -Infinity;
    try {
      since = Date.parse((await fsp.readFile(marker, 'utf8')).trim());
      if (Number.isNaN(since)) since = -Infinity;
    } catch (error) {
      if (!isMissing(error)) throw new StateStoreError('read', marker, error);
    }
    const sweep = new Date();
    const runsDir = path.join(this.stateDir, STATE_LAYOUT.runs);
    for (const key of await listDir(runsDir)) {
      if (!/^[0-9a-f]{40}$/.test(key)) continue;
      const dir = path.join(runsDir, key);
      try {
        // A margin for clocks that tick coarsely: reading a folder again costs little.
        if (fs.statSync(dir).mtimeMs < since - 2000) continue;
      } catch (error) {
        if (isMissing(error)) continue;
        throw new StateStoreError('inspect', dir, error);
      }
      for (const name of await listDir(dir))
        if (name.endsWith('.json') && isBlobId(name.slice(0, -5))) await this.indexBlob(name.slice(0, -5), key);
    }
    await ensureDir(path.dirname(marker));
    await writeFileAtomic(marker, `${sweep.toISOString()}\n`, { durable: this.durable });
  }

  /**
   * Removes old records of `path`: keeps the `keep` newest (by write time), the one `latest.json` names, and any
   * written less than `graceMs` ago. Returns how many were removed. With `onlyAbove`, does nothing until the path
   * has more than that many records. Writes call it with twice `keepPerPath`, so a path holds at most
   * `2 × keepPerPath` records (plus the latest, plus any younger than the grace period).
   */
  async prune(
    repoPath: string,
    options: { keep?: number; graceMs?: number; onlyAbove?: number } = {},
  ): Promise<number> {
    checkRepoPath(repoPath);
    const keep = Math.max(1, Math.floor(options.keep ?? this.keepPerPath));
    const graceMs = options.graceMs ?? this.pruneGraceMs;
    const dir = this.pathDir(repoPath);
    const names = (await listDir(dir)).filter(name => name.endsWith('.json') && isBlobId(name.slice(0, -5)));
    if (names.length <= Math.max(keep, options.onlyAbove ?? 0)) return 0;
    const pointer = await this.latest(repoPath);
    const dated: { name: string; mtimeMs: number }[] = [];
    for (const name of names) {
      try {
        dated.push({ name, mtimeMs: (await fsp.stat(path.join(dir, name))).mtimeMs });
      } catch (error) {
        if (!isMissing(error)) throw new StateStoreError('inspect', path.join(dir, name), error);
      }
    }
    dated.sort((a, b) => b.mtimeMs - a.mtimeMs || (a.name < b.name ? 1 : -1));
    const now = Date.now();
    let removed = 0;
    for (const { name, mtimeMs } of dated.slice(keep)) {
      if (pointer && name === `${pointer.blob}.json`) continue;
      if (now - mtimeMs < graceMs) continue;
      // Its index entry stays: an entry whose record is gone reads as nothing, and removing it could race a writer
      // that just wrote the same text's record again.
      await fsp.rm(path.join(dir, name), { force: true });
      removed++;
    }
    if (removed > 0) this.logger.debug(`pruned ${removed} old record(s) of ${repoPath}`);
    return removed;
  }

  /** Forgets everything recorded for `path` (the file was deleted for good). */
  async forget(repoPath: string): Promise<void> {
    checkRepoPath(repoPath);
    const dir = this.pathDir(repoPath);
    try {
      await fsp.rm(dir, { recursive: true, force: true });
    } catch (error) {
      throw new StateStoreError('remove', dir, error);
    }
  }

  // --- generic documents (review requests and the like) ---------------------------------------------------------

  /**
   * Reads `<stateDir>/<name>` (a plain `*.json` file name), which must carry `"version": version`; `parse` gets
   * the object and throws when its shape is wrong. Absent or unusable (moved aside): `undefined`.
   */
  async readJson<T>(
    name: string,
    version: number,
    parse: (value: Record<string, unknown>) => T,
  ): Promise<T | undefined> {
    const file = this.documentFile(name);
    return readStateFile(this.context, file, text => {
      const value = parseVersioned(text, version);
      try {
        return parse(value);
      } catch (error) {
        if (error instanceof StateFormatError) throw error;
        throw new StateFormatError('shape', describeError(error));
      }
    });
  }

  /** Atomically replaces `<stateDir>/<name>` with `value` (last writer wins; see updateJson for read-modify-write). */
  async writeJson<T extends { version: number }>(name: string, value: T): Promise<void> {
    const file = this.documentFile(name);
    await ensureDir(this.stateDir);
    await writeFileAtomic(file, JSON.stringify(value, null, 2) + '\n', { durable: this.durable });
  }

  /**
   * Read-modify-write of `<stateDir>/<name>` under a lock, so concurrent updaters (two windows, the CLI) never
   * lose each other's changes. `update` gets the current value (`undefined` when absent or unusable) and returns
   * the new one, which is written atomically and returned. Keep `update` short: the lock is broken after
   * `lockStaleMs`.
   */
  async updateJson<T extends { version: number }>(
    name: string,
    version: number,
    parse: (value: Record<string, unknown>) => T,
    update: (current: T | undefined) => T | Promise<T>,
  ): Promise<T> {
    const lockFile = path.join(this.stateDir, STATE_LAYOUT.locks, `${name}.lock`);
    return withLockFile(lockFile, this.lockOptions, this.logger, async () => {
      const next = await update(await this.readJson(name, version, parse));
      await this.writeJson(name, next);
      return next;
    });
  }

  /** The items of the versioned list `<stateDir>/<name>` (`{"version":1,"items":[…]}`); empty when absent or unusable. */
  async readList<T>(name: string, parseItem: PayloadParser<T>): Promise<T[]> {
    const doc = await this.readJson(name, STATE_FORMAT_VERSION, value => parseListDocument(value, parseItem));
    return doc?.items ?? [];
  }

  /** Locked read-modify-write of a versioned list; returns the items written. */
  async updateList<T>(
    name: string,
    parseItem: PayloadParser<T>,
    update: (items: T[]) => T[] | Promise<T[]>,
  ): Promise<T[]> {
    const doc = await this.updateJson<ListDocument<T>>(
      name,
      STATE_FORMAT_VERSION,
      value => parseListDocument(value, parseItem),
      async current => ({ version: STATE_FORMAT_VERSION, items: await update(current?.items ?? []) }),
    );
    return doc.items;
  }

  /** Runs `body` holding the named lock (`<stateDir>/locks/<name>.lock`); for callers with their own multi-file updates. */
  async withLock<T>(name: string, body: () => Promise<T>): Promise<T> {
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)) throw new TypeError(`not a lock name: ${JSON.stringify(name)}`);
    return withLockFile(
      path.join(this.stateDir, STATE_LAYOUT.locks, `${name}.lock`),
      this.lockOptions,
      this.logger,
      body,
    );
  }

  /**
   * Removes temporary files that writers killed mid-write left behind (older than `olderThanMs`, default
   * `staleTempMs`, so a live writer's file is not pulled from under it). The spool cleans its own folder.
   */
  async cleanup(olderThanMs: number = this.staleTempMs): Promise<number> {
    let removed = await removeStaleTemps(this.stateDir, olderThanMs);
    removed += await removeStaleTemps(path.join(this.stateDir, STATE_LAYOUT.locks), olderThanMs);
    const runsDir = path.join(this.stateDir, STATE_LAYOUT.runs);
    for (const key of await listDir(runsDir)) removed += await removeStaleTemps(path.join(runsDir, key), olderThanMs);
    return removed;
  }

  private pathDir(repoPath: string): string {
    return path.join(this.stateDir, STATE_LAYOUT.runs, pathKey(repoPath));
  }

  private documentFile(name: string): string {
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]*\.json$/.test(name))
      throw new TypeError(`not a state document name: ${JSON.stringify(name)}`);
    return path.join(this.stateDir, name);
  }

  private parseRecord(text: string, repoPath: string, blob: string): RunsRecord<R> {
    const record = parseRunsRecord(parseVersioned(text), this.parseRuns);
    // The file name is the key; a record whose content disagrees with its name was copied or damaged.
    if (record.path !== repoPath) throw new StateFormatError('shape', `it describes ${record.path}, not ${repoPath}`);
    if (record.blob !== blob) throw new StateFormatError('shape', `it describes blob ${record.blob}, not ${blob}`);
    return record;
  }
}

/**
 * The folder name of a path's records: a hash, because paths contain separators, may be long, and may differ only
 * in case (which a case-insensitive file system would merge).
 */
export function pathKey(repoPath: string): string {
  return createHash('sha1').update(repoPath, 'utf8').digest('hex');
}

/** A folder's entries, read synchronously as state files are (state-file.ts): one call, no thread pool trip. */
async function listDir(dir: string): Promise<string[]> {
  try {
    return fs.readdirSync(dir);
  } catch (error) {
    if (isMissing(error)) return [];
    throw new StateStoreError('list', dir, error);
  }
}

function checkRepoPath(value: string): void {
  if (!isRepoPath(value)) throw new TypeError(`not a repository-relative path: ${JSON.stringify(value)}`);
}

function checkBlobId(value: string): void {
  if (!isBlobId(value)) throw new TypeError(`not a blob id: ${JSON.stringify(value)}`);
}

import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as fsp from 'node:fs/promises';
import * as os from 'node:os';
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
  parseLockInfo,
  parseRunsRecord,
  parseVersioned,
  type LatestPointer,
  type ListDocument,
  type LockInfo,
  type ObjectFormat,
  type PayloadParser,
  type RunsRecord,
} from '../../core/formats/state-files';
import { git } from '../git/git';
import type { RepositoryLocation } from '../git/repository';
import { ENVIRONMENT_EXIT } from '../../core/errors';

/**
 * Per-worktree local state (docs/local-state.md), under `$(git rev-parse --git-path ai-provenance)`:
 *
 * ```
 * <stateDir>/
 *   runs/<sha1(path)>/<blob>.json     RunsRecord: runs of one file's text, keyed by that text's git blob id
 *   runs/<sha1(path)>/latest.json     LatestPointer: which blob's record is the newest for the path
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

/** Names of the folders and files in the state folder. */
export const STATE_LAYOUT = {
  runs: 'runs',
  latest: 'latest.json',
  spool: 'spool',
  claimed: '.claimed',
  locks: 'locks',
  corrupt: 'corrupt',
  reviewRequests: 'review-requests.json',
} as const;

/** Folders are private to the user: the state names files and may describe unpublished work. */
const DIR_MODE = 0o700;
const FILE_MODE = 0o600;

/** An operating-system failure while reading or writing local state (not a corrupt file: those are moved aside). */
export class StateStoreError extends Error {
  override readonly name = 'StateStoreError';
  readonly cliExitCode = ENVIRONMENT_EXIT;
  readonly hint =
    "AI Provenance keeps its local state there: check the file's permissions and the disk's free space; do not delete it, it holds attribution";
  constructor(
    readonly operation: string,
    readonly file: string,
    cause: unknown,
  ) {
    super(`could not ${operation} ${file}: ${describeError(cause)}`, { cause });
  }

  /** The errno code (`EACCES`, `ENOSPC`, …) when the cause was a system error. */
  get code(): string | undefined {
    return errorCode(this.cause);
  }
}

/** Another process held a lock for longer than the caller was willing to wait. */
export class LockTimeoutError extends Error {
  override readonly name = 'LockTimeoutError';
  readonly cliExitCode = ENVIRONMENT_EXIT;
  readonly hint = 'another AI Provenance process is updating the same file: try again in a moment';
  constructor(
    readonly lockFile: string,
    readonly waitedMs: number,
    readonly holder: LockInfo | undefined,
  ) {
    super(
      `timed out after ${waitedMs} ms waiting for ${lockFile}` +
        (holder ? `, held by process ${holder.pid} on ${holder.host} since ${holder.at}` : ''),
    );
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Blob ids

/**
 * The git blob id of `content`, exactly as `git hash-object --stdin` computes it (no filters: the bytes as given).
 * A string is hashed as UTF-8, which is what the editor writes for a UTF-8 file without a BOM; pass bytes for any
 * other encoding. In-process because it runs on every save and spawning git costs milliseconds.
 */
export function computeBlobId(content: string | Uint8Array, format: ObjectFormat = 'sha1'): string {
  const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  const hash = createHash(format);
  hash.update(`blob ${bytes.byteLength}\0`);
  hash.update(bytes);
  return hash.digest('hex');
}

/**
 * The repository's object format. A git too old to know `--show-object-format` echoes the option back; such a git
 * cannot read sha256 repositories, so the answer is sha1.
 */
export async function detectObjectFormat(cwd: string, logger?: Logger): Promise<ObjectFormat> {
  const out = (await git(['rev-parse', '--show-object-format'], { cwd, logger })).trim();
  if (out === 'sha1' || out === 'sha256') return out;
  logger?.debug(`git rev-parse --show-object-format answered ${JSON.stringify(out)}; assuming sha1`);
  return 'sha1';
}

// ---------------------------------------------------------------------------------------------------------------
// File primitives shared with spool.ts. Exported for that module and for tests, not as a general-purpose API.

/** What a state file reader needs to move a bad file aside. */
export interface StateContext {
  stateDir: string;
  logger: Logger;
}

/** dev+inode of a file as it was read: lets `moveAside` notice that the path now holds a different file. */
export interface FileIdentity {
  dev: bigint;
  ino: bigint;
}

/** A temporary name next to `base`: hidden (leading dot) and `.tmp`, so no reader mistakes it for data. */
export function tempName(base: string): string {
  return `.${base}.${process.pid}-${randomHex(6)}.tmp`;
}

export function isTempName(name: string): boolean {
  return name.startsWith('.') && name.endsWith('.tmp');
}

export function randomHex(bytes: number): string {
  return randomBytes(bytes).toString('hex');
}

export async function ensureDir(dir: string): Promise<void> {
  try {
    await fsp.mkdir(dir, { recursive: true, mode: DIR_MODE });
  } catch (error) {
    throw new StateStoreError('create folder', dir, error);
  }
}

export function ensureDirSync(dir: string): void {
  try {
    fs.mkdirSync(dir, { recursive: true, mode: DIR_MODE });
  } catch (error) {
    throw new StateStoreError('create folder', dir, error);
  }
}

/**
 * Writes `data` to `target` so that readers see the old or the new content, never a part. With `durable`, the
 * data and the rename are on disk when the promise resolves (fsync of file and folder), so a power cut does not
 * roll the state back to a torn file either. The folder must exist.
 */
export async function writeFileAtomic(target: string, data: string, durable: boolean): Promise<void> {
  const dir = path.dirname(target);
  const temp = path.join(dir, tempName(path.basename(target)));
  try {
    const handle = await fsp.open(temp, 'wx', FILE_MODE);
    try {
      await handle.writeFile(data, 'utf8');
      if (durable) await handle.sync();
    } finally {
      await handle.close();
    }
    await renameReplacing(temp, target);
  } catch (error) {
    await fsp.rm(temp, { force: true }).catch(() => undefined);
    throw new StateStoreError('write', target, error);
  }
  if (durable) await fsyncDirectory(dir);
}

/** The synchronous twin of writeFileAtomic, for short-lived hook processes that write one record and exit. */
export function writeFileAtomicSync(target: string, data: string, durable: boolean): void {
  const dir = path.dirname(target);
  const temp = path.join(dir, tempName(path.basename(target)));
  try {
    const fd = fs.openSync(temp, 'wx', FILE_MODE);
    try {
      fs.writeFileSync(fd, data, 'utf8');
      if (durable) fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(temp, target);
  } catch (error) {
    try {
      fs.rmSync(temp, { force: true });
    } catch {
      // the temporary file stays; cleanup() removes it later
    }
    throw new StateStoreError('write', target, error);
  }
  if (durable) fsyncDirectorySync(dir);
}

/**
 * Renames over an existing file. POSIX rename replaces atomically; on Windows a reader holding the target open
 * makes the rename fail for a moment (EPERM/EACCES/EBUSY), so retry briefly there instead of failing the write.
 */
async function renameReplacing(from: string, to: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await fsp.rename(from, to);
      return;
    } catch (error) {
      const transient = process.platform === 'win32' && ['EPERM', 'EACCES', 'EBUSY'].includes(errorCode(error) ?? '');
      if (!transient || attempt >= 10) throw error;
      await delay(5 * (attempt + 1));
    }
  }
}

/** fsync a folder so a rename in it survives a crash. Not possible on Windows and some file systems: skipped. */
async function fsyncDirectory(dir: string): Promise<void> {
  let handle: fsp.FileHandle | undefined;
  try {
    handle = await fsp.open(dir, 'r');
    await handle.sync();
  } catch (error) {
    if (!isUnsupportedDirSync(error)) throw new StateStoreError('flush folder', dir, error);
  } finally {
    await handle?.close();
  }
}

function fsyncDirectorySync(dir: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch (error) {
    if (!isUnsupportedDirSync(error)) throw new StateStoreError('flush folder', dir, error);
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

function isUnsupportedDirSync(error: unknown): boolean {
  return ['EISDIR', 'EPERM', 'EINVAL', 'EBADF', 'EACCES', 'ENOTSUP'].includes(errorCode(error) ?? '');
}

/**
 * Reads a state file and parses it with `parse`. Absent file: `undefined`. A StateFormatError from `parse`: the
 * file is moved aside (warning logged) and the answer is `undefined`. Other read failures: StateStoreError.
 */
export async function readStateFile<T>(
  context: StateContext,
  file: string,
  parse: (text: string) => T,
  label?: string,
): Promise<T | undefined> {
  let handle: fsp.FileHandle;
  try {
    handle = await fsp.open(file, 'r');
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw new StateStoreError('read', file, error);
  }
  let text: string;
  let identity: FileIdentity;
  try {
    const stat = await handle.stat({ bigint: true });
    identity = { dev: stat.dev, ino: stat.ino };
    text = await handle.readFile('utf8');
  } catch (error) {
    throw new StateStoreError('read', file, error);
  } finally {
    await handle.close();
  }
  try {
    return parse(text);
  } catch (error) {
    if (!(error instanceof StateFormatError)) throw error;
    await moveAside(context, file, error.message, { identity, label });
    return undefined;
  }
}

/**
 * Moves an unusable file to `<stateDir>/corrupt/<label>.<timestamp>` and logs a warning saying what moved where and
 * why. `label` defaults to the path relative to the state folder, with separators turned into `~`.
 *
 * With `identity`, the move is checked: if a writer replaced the file between our read and our rename (an atomic
 * write of a good version), the good file is put back and nothing is reported. Returns where the file went, or
 * `undefined` when it was already gone or turned out not to be the file we judged.
 */
export async function moveAside(
  context: StateContext,
  file: string,
  reason: string,
  options: { identity?: FileIdentity; label?: string | undefined } = {},
): Promise<string | undefined> {
  const corruptDir = path.join(context.stateDir, STATE_LAYOUT.corrupt);
  await ensureDir(corruptDir);
  const label = (options.label ?? path.relative(context.stateDir, file)).split(/[\\/]/).join('~');
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  let destination = path.join(corruptDir, `${label}.${stamp}`);
  for (let n = 1; await exists(destination); n++) destination = path.join(corruptDir, `${label}.${stamp}-${n}`);
  try {
    await fsp.rename(file, destination);
  } catch (error) {
    if (isMissing(error)) return undefined; // someone else moved or replaced it: nothing for us to do
    throw new StateStoreError('move aside', file, error);
  }
  if (options.identity) {
    const moved = await fsp.stat(destination, { bigint: true });
    if (moved.ino !== options.identity.ino || moved.dev !== options.identity.dev) {
      // We moved a file that a writer put there after our read: it is good. Put it back unless an even newer one
      // has landed (link does not replace), then forget the copy.
      await fsp.link(destination, file).catch(() => undefined);
      await fsp.rm(destination, { force: true });
      return undefined;
    }
  }
  context.logger.warn(
    `local state file ${file} is unusable (${reason}); moved it to ${destination} and carried on without it.`,
  );
  return destination;
}

/** Removes temporary files older than `olderThanMs` in `dir` (not recursive). Returns how many went. */
export async function removeStaleTemps(dir: string, olderThanMs: number): Promise<number> {
  let names: string[];
  try {
    names = await fsp.readdir(dir);
  } catch (error) {
    if (isMissing(error)) return 0;
    throw new StateStoreError('list', dir, error);
  }
  let removed = 0;
  const now = Date.now();
  for (const name of names.filter(isTempName)) {
    const file = path.join(dir, name);
    try {
      const stat = await fsp.lstat(file);
      if (now - stat.mtimeMs < olderThanMs) continue; // a writer may be filling it right now
      await fsp.rm(file, { force: true });
      removed++;
    } catch (error) {
      if (!isMissing(error)) throw new StateStoreError('remove', file, error);
    }
  }
  return removed;
}

/** True when `pid` names a live process on this machine (EPERM: it exists but belongs to someone else). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return errorCode(error) === 'EPERM';
  }
}

export function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

export function isMissing(error: unknown): boolean {
  const code = errorCode(error);
  return code === 'ENOENT' || code === 'ENOTDIR';
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function exists(file: string): Promise<boolean> {
  try {
    await fsp.lstat(file);
    return true;
  } catch {
    return false;
  }
}

function delay(ms: number): Promise<void> {
  return new Promise(resolve => setTimeout(resolve, ms));
}

// ---------------------------------------------------------------------------------------------------------------
// Locks

export interface LockOptions {
  /** Give up (LockTimeoutError) after this long. */
  timeoutMs: number;
  /** A lock older than this is broken even if its holder looks alive (a reused pid, another machine). */
  staleMs: number;
}

/**
 * Takes `lockFile` exclusively, runs `body`, releases it. The lock is created complete in one step (hard link of a
 * fully written temporary file), so a holder killed at any moment leaves either no lock or a readable one; a lock
 * whose holder process is dead (same host) or that is older than `staleMs` is broken with a warning. Not
 * re-entrant: taking the same lock inside `body` waits for the timeout.
 */
export async function withLockFile<T>(
  lockFile: string,
  options: LockOptions,
  logger: Logger,
  body: () => Promise<T>,
): Promise<T> {
  const token = randomHex(8);
  await acquireLock(lockFile, token, options, logger);
  try {
    return await body();
  } finally {
    await releaseLock(lockFile, token, logger);
  }
}

async function acquireLock(lockFile: string, token: string, options: LockOptions, logger: Logger): Promise<void> {
  const dir = path.dirname(lockFile);
  await ensureDir(dir);
  const info: LockInfo = {
    version: STATE_FORMAT_VERSION,
    pid: process.pid,
    host: os.hostname(),
    at: new Date().toISOString(),
    token,
  };
  const temp = path.join(dir, tempName(path.basename(lockFile)));
  try {
    await fsp.writeFile(temp, JSON.stringify(info), { mode: FILE_MODE, flag: 'wx' });
  } catch (error) {
    throw new StateStoreError('create lock', temp, error);
  }
  try {
    const started = Date.now();
    let pause = 2;
    for (;;) {
      if (await placeLock(temp, lockFile)) return;
      const seen = await inspectLock(lockFile);
      if (seen === undefined) continue; // released between our attempt and our look: try again at once
      const staleBecause = lockIsStale(seen, options.staleMs);
      if (staleBecause) {
        await breakLock(lockFile, seen, staleBecause, logger);
        continue;
      }
      if (Date.now() - started >= options.timeoutMs)
        throw new LockTimeoutError(lockFile, Date.now() - started, seen.holder);
      await delay(pause + Math.random() * pause);
      pause = Math.min(pause * 2, 50);
    }
  } finally {
    await fsp.rm(temp, { force: true }).catch(() => undefined);
  }
}

/** Creates the lock from the complete temporary file; false when someone holds it. */
async function placeLock(temp: string, lockFile: string): Promise<boolean> {
  try {
    await fsp.link(temp, lockFile);
    return true;
  } catch (error) {
    const code = errorCode(error);
    if (code === 'EEXIST') return false;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'ENOSYS')
      throw new StateStoreError('create lock', lockFile, error);
  }
  // A file system without hard links: an exclusive copy is still exclusive, only not complete in one step (a
  // reader may see it empty for a moment; such a lock is judged by its age alone).
  try {
    await fsp.copyFile(temp, lockFile, fs.constants.COPYFILE_EXCL);
    return true;
  } catch (error) {
    if (errorCode(error) === 'EEXIST') return false;
    throw new StateStoreError('create lock', lockFile, error);
  }
}

interface SeenLock {
  identity: FileIdentity;
  ageMs: number;
  holder: LockInfo | undefined;
}

async function inspectLock(lockFile: string): Promise<SeenLock | undefined> {
  try {
    const stat = await fsp.stat(lockFile, { bigint: true });
    const text = await fsp.readFile(lockFile, 'utf8');
    let holder: LockInfo | undefined;
    try {
      holder = parseLockInfo(parseVersioned(text));
    } catch {
      holder = undefined;
    }
    return { identity: { dev: stat.dev, ino: stat.ino }, ageMs: Date.now() - Number(stat.mtimeMs), holder };
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw new StateStoreError('read lock', lockFile, error);
  }
}

function lockIsStale(seen: SeenLock, staleMs: number): string | undefined {
  if (seen.holder && seen.holder.host === os.hostname() && !isProcessAlive(seen.holder.pid)) {
    return `its holder, process ${seen.holder.pid}, is gone`;
  }
  if (seen.ageMs > staleMs) return `it is ${Math.round(seen.ageMs / 1000)} s old`;
  return undefined;
}

/**
 * Removes a stale lock without ever removing a live one: rename it away (only one breaker wins the rename), then
 * check the renamed file is the one judged stale; if a new holder's lock was caught instead, put it back.
 */
async function breakLock(lockFile: string, seen: SeenLock, why: string, logger: Logger): Promise<void> {
  const grave = path.join(path.dirname(lockFile), tempName(path.basename(lockFile)));
  try {
    await fsp.rename(lockFile, grave);
  } catch (error) {
    if (isMissing(error)) return;
    throw new StateStoreError('break lock', lockFile, error);
  }
  const moved = await fsp.stat(grave, { bigint: true });
  if (moved.ino === seen.identity.ino && moved.dev === seen.identity.dev) {
    logger.warn(`removed the stale lock ${lockFile} because ${why}.`);
  } else {
    await fsp.link(grave, lockFile).catch(() => undefined);
  }
  await fsp.rm(grave, { force: true });
}

async function releaseLock(lockFile: string, token: string, logger: Logger): Promise<void> {
  const seen = await inspectLock(lockFile).catch(() => undefined);
  if (seen?.holder?.token !== token) {
    logger.warn(`the lock ${lockFile} was taken over while held (held longer than its stale limit?).`);
    return;
  }
  await fsp.rm(lockFile, { force: true });
}

// ---------------------------------------------------------------------------------------------------------------
// The store

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
    await writeFileAtomic(file, text, this.durable);
    const pointer: LatestPointer = { version: STATE_FORMAT_VERSION, path: repoPath, blob, savedAt: record.savedAt };
    await writeFileAtomic(path.join(dir, STATE_LAYOUT.latest), JSON.stringify(pointer) + '\n', this.durable);
    // A prune racing with us may have removed the record between our two writes (only possible with a zero grace
    // period); the pointer must not name a missing record, so write it again.
    if (!(await exists(file))) await writeFileAtomic(file, text, this.durable);
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
    const runsDir = path.join(this.stateDir, STATE_LAYOUT.runs);
    const found: RunsRecord<R>[] = [];
    for (const key of await listDir(runsDir)) {
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
    await writeFileAtomic(file, JSON.stringify(value, null, 2) + '\n', this.durable);
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

async function listDir(dir: string): Promise<string[]> {
  try {
    return await fsp.readdir(dir);
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

import { FILE_MODE, StateStoreError, delay, ensureDir, errorCode, isMissing, randomHex, tempName } from './atomic-file';
import { FileIdentity } from './state-file';
import * as fs from 'node:fs';
import * as fsp from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Logger } from '../../core/log';
import { STATE_FORMAT_VERSION, parseLockInfo, parseVersioned, type LockInfo } from '../../core/formats/state-files';
import { ENVIRONMENT_EXIT } from '../../core/errors';

/**
 * Lock files for the few local-state documents that need read-modify-write: a holder that died cannot keep a lock
 * forever (its process id is checked, and a lock past its time limit is broken with a warning).
 */

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

/** True when `pid` names a live process on this machine (EPERM: it exists but belongs to someone else). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return errorCode(error) === 'EPERM';
  }
}

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

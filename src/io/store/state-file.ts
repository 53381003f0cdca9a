import { StateStoreError, ensureDir, isMissing } from './atomic-file';
import * as fs from 'node:fs';
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';
import type { Logger } from '../../core/log';
import { StateFormatError } from '../../core/formats/state-files';

/**
 * Reading a versioned local-state file (docs/local-state.md): absent reads as undefined, a file that fails its
 * format check is moved aside to corrupt/ with a warning, operating-system failures throw StateStoreError.
 */

/** Names of the folders and files in the state folder. */
export const STATE_LAYOUT = {
  runs: 'runs',
  latest: 'latest.json',
  blobs: 'blobs',
  blobsIndexed: '.indexed',
  spool: 'spool',
  claimed: '.claimed',
  locks: 'locks',
  corrupt: 'corrupt',
  reviewRequests: 'review-requests.json',
  aiDeletions: 'ai-deletions.json',
} as const;

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
  // Synchronous: these files are small and local, and each asynchronous step is a trip through libuv's thread pool
  // (open, stat, read, close: four of them). A status or a commit over a thousand files reads thousands of them, and
  // those trips were most of its time (docs/budgets.md).
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw new StateStoreError('read', file, error);
  }
  let text: string;
  let identity: FileIdentity;
  try {
    const stat = fs.fstatSync(fd, { bigint: true });
    identity = { dev: stat.dev, ino: stat.ino };
    text = fs.readFileSync(fd, 'utf8');
  } catch (error) {
    throw new StateStoreError('read', file, error);
  } finally {
    fs.closeSync(fd);
  }
  try {
    return parse(text);
  } catch (error) {
    if (!(error instanceof StateFormatError)) throw error;
    await moveAside(context, file, error.message, { identity, label });
    return undefined;
  }
}

/** When moveAside moved a file, from the time it puts in the name in `corrupt/`; undefined for another name. */
export function movedAsideAt(name: string): number | undefined {
  const m = /\.(\d{4}-\d{2}-\d{2})T(\d{2})-(\d{2})-(\d{2})-(\d{3})Z(?:-\d+)?$/.exec(name);
  if (!m) return undefined;
  const at = Date.parse(`${m[1]}T${m[2]}:${m[3]}:${m[4]}.${m[5]}Z`);
  return Number.isNaN(at) ? undefined : at;
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

export async function exists(file: string): Promise<boolean> {
  try {
    await fsp.lstat(file);
    return true;
  } catch {
    return false;
  }
}

import * as fs from 'node:fs';
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';
import { ENVIRONMENT_EXIT } from '../../core/errors';

/**
 * The one atomic write of the product (docs/local-state.md): readers see the old content or the new, never a
 * part, even when the writer is killed at any instruction. Text or bytes, an optional file mode (hook files are
 * executable and keep their mode), durable (file and folder flushed) or not. The state store, the spool, the git
 * hook files, the launcher and agents' configuration files all write through it. Also the small file-system
 * helpers they share (folders, temporary names, error codes).
 */

const DIR_MODE = 0o700;
export const FILE_MODE = 0o600;

/** An operating-system failure while reading or writing local state (not a corrupt file: those are moved aside). */
export class StateStoreError extends Error {
  override readonly name = 'StateStoreError';
  readonly cliExitCode = ENVIRONMENT_EXIT;
  readonly hint =
    "check the file's and its folder's permissions and the disk's free space; do not delete AI Provenance's local state to get past this: it holds attribution";
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

/** A temporary name next to `base`: hidden (leading dot) and `.tmp`, so no reader mistakes it for data. */
export function tempName(base: string): string {
  return `.${base}.${process.pid}-${randomHex(6)}.tmp`;
}

export function isTempName(name: string): boolean {
  return name.startsWith('.') && name.endsWith('.tmp');
}

/**
 * Hex digits that make a temporary name, a spool entry or a lock token unique among concurrent writers (beside the
 * process id they go with). Not secrets: Math.random, since node:crypto costs the agent hook 3 ms to load.
 */
export function randomHex(bytes: number): string {
  let out = '';
  for (let i = 0; i < bytes; i++)
    out += Math.floor(Math.random() * 256)
      .toString(16)
      .padStart(2, '0');
  return out;
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

export interface AtomicWriteOptions {
  /** Flush the file and its folder before returning, so a power cut cannot roll back to a torn file. Default false. */
  durable?: boolean;
  /** The file's mode (exactly, whatever the umask). Default FILE_MODE, private to the user. */
  mode?: number;
  /** Keep the mode of the file being replaced, when there is one (hook and configuration files). */
  keepMode?: boolean;
}

function modeFor(target: string, options: AtomicWriteOptions): number {
  if (options.keepMode) {
    try {
      return fs.statSync(target).mode & 0o7777;
    } catch {
      // a new file: the given mode
    }
  }
  return options.mode ?? FILE_MODE;
}

/**
 * Writes `data` (text as UTF-8, or bytes as given) to `target` so that readers see the old or the new content, never
 * a part: a temporary file in the same folder (hidden, `.tmp`), renamed over the target. The folder must exist.
 * Throws StateStoreError; the temporary file is removed on failure.
 */
export async function writeFileAtomic(
  target: string,
  data: string | Uint8Array,
  options: AtomicWriteOptions = {},
): Promise<void> {
  const dir = path.dirname(target);
  const temp = path.join(dir, tempName(path.basename(target)));
  const mode = modeFor(target, options);
  try {
    const handle = await fsp.open(temp, 'wx', mode);
    try {
      await handle.writeFile(data);
      await handle.chmod(mode);
      if (options.durable) await handle.sync();
    } finally {
      await handle.close();
    }
    await renameReplacing(temp, target);
  } catch (error) {
    await fsp.rm(temp, { force: true }).catch(() => undefined);
    throw new StateStoreError('write', target, error);
  }
  if (options.durable) await fsyncDirectory(dir);
}

/** The synchronous twin of writeFileAtomic, for short-lived hook processes that write one file and exit. */
export function writeFileAtomicSync(target: string, data: string | Uint8Array, options: AtomicWriteOptions = {}): void {
  const dir = path.dirname(target);
  const temp = path.join(dir, tempName(path.basename(target)));
  const mode = modeFor(target, options);
  try {
    const fd = fs.openSync(temp, 'wx', mode);
    try {
      fs.writeFileSync(fd, data);
      fs.fchmodSync(fd, mode);
      if (options.durable) fs.fsyncSync(fd);
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
  if (options.durable) fsyncDirectorySync(dir);
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

export function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

export function isMissing(error: unknown): boolean {
  const code = errorCode(error);
  return code === 'ENOENT' || code === 'ENOTDIR';
}

export function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function delay(ms: number): Promise<void> {
  return new Promise(resolve => setTimeout(resolve, ms));
}

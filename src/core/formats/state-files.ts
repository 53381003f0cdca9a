/**
 * On-disk formats of the per-worktree local state (docs/local-state.md): the shapes, their version, and the
 * validation that decides whether a file is usable. Pure: no I/O. `src/io/store/store.ts` and `src/io/store/spool.ts` do the
 * reading and writing; a file that fails validation here is moved aside there, never half-trusted.
 *
 * Every file carries `"version": STATE_FORMAT_VERSION`. A reader that meets another version treats the file like a
 * corrupt one: it cannot know what a newer writer meant, and guessing would attribute text wrongly.
 */

/** The one version of every local-state file this build reads and writes. */
export const STATE_FORMAT_VERSION = 1;

/** The hash a repository names its objects with (`git rev-parse --show-object-format`). */
export type ObjectFormat = 'sha1' | 'sha256';

/** Why a file was rejected: it was not JSON, it had a version this build does not know, or fields were wrong. */
export type FormatProblem = 'syntax' | 'version' | 'shape';

/** A local-state file is unusable. `message` says why, in words a person reading the log can act on. */
export class StateFormatError extends Error {
  override readonly name = 'StateFormatError';
  constructor(
    readonly problem: FormatProblem,
    message: string,
  ) {
    super(message);
  }
}

/** Runs recorded for one file's text: `runs` describes exactly the text whose git blob id is `blob`. */
export interface RunsRecord<R> {
  version: typeof STATE_FORMAT_VERSION;
  /** Repository-relative path with `/` separators, as git prints it. */
  path: string;
  /** Git blob id (lower-case hex, 40 or 64 digits) of the text the runs describe. */
  blob: string;
  /** ISO-8601 time of the write. */
  savedAt: string;
  /** Opaque to the store: the engine's attribution runs, validated by the caller's parser. */
  runs: R;
}

/** Which blob's record is the latest for a path: what the editor showed when it last saved state. */
export interface LatestPointer {
  version: typeof STATE_FORMAT_VERSION;
  path: string;
  blob: string;
  savedAt: string;
}

/** One spool file: a record appended by some process (an agent hook, an editor window, a git hook). */
export interface SpoolEnvelope<T> {
  version: typeof STATE_FORMAT_VERSION;
  /** ISO-8601 time the record was appended. */
  at: string;
  /** Process that appended it (for debugging; ordering comes from the file name). */
  pid: number;
  record: T;
}

/** A versioned list document, e.g. the review requests. */
export interface ListDocument<T> {
  version: typeof STATE_FORMAT_VERSION;
  items: T[];
}

/** Lock file contents: enough to tell a lock left by a dead process from a live one. */
export interface LockInfo {
  version: typeof STATE_FORMAT_VERSION;
  pid: number;
  host: string;
  at: string;
  token: string;
}

/** Parses a caller-owned payload; throws (any error) when the value does not have the expected shape. */
export type PayloadParser<T> = (value: unknown) => T;

/** The identity parser: accepts whatever JSON holds, typed as `unknown`. */
export const anyPayload: PayloadParser<unknown> = value => value;

const BLOB_ID = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;

/** True for a lower-case hex object id of either object format. */
export function isBlobId(value: unknown): value is string {
  return typeof value === 'string' && BLOB_ID.test(value);
}

/**
 * A repository path as the store accepts it: non-empty, relative, `/`-separated, no NUL, no `.`/`..` segments.
 * The store keys files by it; letting `a/../b` and `b` name different entries would split one file's history.
 */
export function isRepoPath(value: unknown): value is string {
  if (typeof value !== 'string' || value.length === 0 || value.includes('\0') || value.includes('\\')) return false;
  if (value.startsWith('/') || /^[A-Za-z]:/.test(value)) return false;
  return value.split('/').every(segment => segment !== '' && segment !== '.' && segment !== '..');
}

/**
 * Parses file text into a JSON object carrying `"version": expected`. Throws StateFormatError with the problem:
 * `syntax` (not JSON, or not an object), `version` (missing or different version).
 */
export function parseVersioned(text: string, expected: number = STATE_FORMAT_VERSION): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new StateFormatError('syntax', text.length === 0 ? 'the file is empty' : `not valid JSON (${detail})`);
  }
  if (!isObject(value)) throw new StateFormatError('syntax', 'not a JSON object');
  if (!('version' in value)) throw new StateFormatError('version', 'it has no "version" field');
  if (value.version !== expected) {
    throw new StateFormatError(
      'version',
      `unknown version ${JSON.stringify(value.version)} (this build reads version ${expected})`,
    );
  }
  return value;
}

export function parseRunsRecord<R>(value: Record<string, unknown>, parseRuns: PayloadParser<R>): RunsRecord<R> {
  const path = field(value, 'path', isRepoPath, 'a repository path');
  const blob = field(value, 'blob', isBlobId, 'a blob id');
  const savedAt = field(value, 'savedAt', isTimestamp, 'an ISO timestamp');
  if (!('runs' in value)) throw new StateFormatError('shape', 'field "runs" is missing');
  return { version: STATE_FORMAT_VERSION, path, blob, savedAt, runs: parsePayload(value.runs, 'runs', parseRuns) };
}

export function parseLatestPointer(value: Record<string, unknown>): LatestPointer {
  return {
    version: STATE_FORMAT_VERSION,
    path: field(value, 'path', isRepoPath, 'a repository path'),
    blob: field(value, 'blob', isBlobId, 'a blob id'),
    savedAt: field(value, 'savedAt', isTimestamp, 'an ISO timestamp'),
  };
}

export function parseSpoolEnvelope<T>(value: Record<string, unknown>, parseRecord: PayloadParser<T>): SpoolEnvelope<T> {
  const at = field(value, 'at', isTimestamp, 'an ISO timestamp');
  const pid = field(value, 'pid', (v): v is number => Number.isSafeInteger(v) && (v as number) >= 0, 'a process id');
  if (!('record' in value)) throw new StateFormatError('shape', 'field "record" is missing');
  return { version: STATE_FORMAT_VERSION, at, pid, record: parsePayload(value.record, 'record', parseRecord) };
}

export function parseListDocument<T>(value: Record<string, unknown>, parseItem: PayloadParser<T>): ListDocument<T> {
  const items = field(value, 'items', (v): v is unknown[] => Array.isArray(v), 'an array');
  return { version: STATE_FORMAT_VERSION, items: items.map((item, i) => parsePayload(item, `items[${i}]`, parseItem)) };
}

export function parseLockInfo(value: Record<string, unknown>): LockInfo {
  return {
    version: STATE_FORMAT_VERSION,
    pid: field(value, 'pid', (v): v is number => Number.isSafeInteger(v) && (v as number) > 0, 'a process id'),
    host: field(value, 'host', (v): v is string => typeof v === 'string', 'a host name'),
    at: field(value, 'at', isTimestamp, 'an ISO timestamp'),
    token: field(value, 'token', (v): v is string => typeof v === 'string' && v.length > 0, 'a token'),
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isTimestamp(value: unknown): value is string {
  return typeof value === 'string' && !Number.isNaN(Date.parse(value));
}

function field<T>(value: Record<string, unknown>, name: string, ok: (v: unknown) => v is T, what: string): T {
  const v = value[name];
  if (!ok(v)) throw new StateFormatError('shape', `field "${name}" is ${v === undefined ? 'missing' : 'not ' + what}`);
  return v;
}

/** Runs a caller's parser; whatever it throws becomes a shape problem naming the field. */
function parsePayload<T>(value: unknown, name: string, parse: PayloadParser<T>): T {
  try {
    return parse(value);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new StateFormatError('shape', `field "${name}" is invalid (${detail})`);
  }
}

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { callPaths, mapCallPaths, type AgentCall } from '../../core/agents/call';
import {
  AGENT_RECORD_TYPE,
  AGENT_RECORD_VERSION,
  type AgentFileSnapshot,
  type AgentSpoolRecord,
} from '../../core/agents/record';
import type { Logger } from '../../core/log';
import { shortHash } from '../../core/short-hash';
import { copilotHome } from './copilot-trust';
import { isRepoPath } from '../../core/formats/state-files';
import { git, runGit } from '../git/git';
import { computeBlobId, detectObjectFormat } from '../store/blob-id';
import {
  NotARepositoryError,
  locateRepository,
  locateRepositoryWithoutGit,
  type RepositoryLocation,
} from '../git/repository';
import { isBinary, readBlobs } from '../git/staged';
import { ensureDirSync, randomHex, writeFileAtomicSync } from '../store/atomic-file';
import { splitNul, parseStatus } from '../git/parse';

/**
 * The I/O half of an agent hook: from an interpreted call (src/core/agents/payload.ts) to one spool record.
 * Finds the repository, resolves and checks every path the payload names (paths from payloads are untrusted:
 * anything outside the work tree, inside `.git`, through a symbolic link, or not a regular file is refused),
 * reads the target files (bounded), the model from the transcript's end (bounded), and for shell commands a
 * before/after snapshot of the work tree (git status plus stat; bounded).
 */

export const AGENT_HOOK_LIMITS = {
  /** Payloads larger than this are skipped. */
  payloadBytes: 32 * 1024 * 1024,
  /** A file's text is recorded only up to this size. */
  fileBytes: 8 * 1024 * 1024,
  /** How much of the transcript's end is read for the model. */
  transcriptTailBytes: 256 * 1024,
  /** Files a shell command's record attributes at most. */
  shellFiles: 200,
  /** git status entries a shell snapshot keeps at most. */
  shellStatusEntries: 20_000,
  /** Texts of modified files a shell snapshot keeps, in total. */
  shellSnapshotBytes: 16 * 1024 * 1024,
  /** Texts a record carries, in total. */
  recordBytes: 64 * 1024 * 1024,
};
export type AgentHookLimits = typeof AGENT_HOOK_LIMITS;

export interface CaptureOptions {
  /** The hook process's working folder: relative payload paths start here when the payload gives no cwd. */
  cwd: string;
  logger: Logger;
  limits?: Partial<AgentHookLimits>;
  /** The record's time (tests). */
  now?: () => Date;
}

export interface CaptureResult {
  /** The repository, once found. */
  location?: RepositoryLocation;
  /** The record to append, when there is anything to record. */
  record?: AgentSpoolRecord;
  /** More records to append after it (background shell tasks that ended, at a turn's end). */
  more?: AgentSpoolRecord[];
  /** Snapshot files the records replace: to remove once they are in the spool (settleSnapshots), not before. */
  settled?: string[];
  /** What was refused or could not be read, for the one log line. */
  problems: string[];
}

/** Removes the snapshot files a capture's records replace, once those records are in the spool. Best effort. */
export function settleSnapshots(result: CaptureResult): void {
  for (const file of result.settled ?? []) fs.rmSync(file, { force: true });
}

/** The folder under the state folder where a shell command's pre-tool snapshot waits for its post-tool hook. */
export const SHELL_SNAPSHOT_DIR = 'agent-shell';
/** Where an edit tool's pre-tool hook keeps the texts of its targets for the post-tool hook of the same call. */
export const EDIT_SNAPSHOT_DIR = 'agent-edit';

function exists(p: string): boolean {
  try {
    fs.lstatSync(p);
    return true;
  } catch {
    return false;
  }
}

function hasGitSegment(p: string): boolean {
  return p.split(/[\\/]/).some(s => s.toLowerCase() === '.git');
}

/** The deepest folder of `p` (or `p` itself) that exists. */
function existingFolder(p: string): string | undefined {
  let dir = p;
  for (;;) {
    try {
      if (fs.statSync(dir).isDirectory()) return dir;
    } catch {
      // keep climbing
    }
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

async function findRepository(
  candidates: (string | undefined)[],
  logger: Logger,
): Promise<RepositoryLocation | undefined> {
  const tried = new Set<string>();
  for (const candidate of candidates) {
    if (candidate === undefined || !path.isAbsolute(candidate) || hasGitSegment(candidate)) continue;
    const dir = existingFolder(candidate);
    if (dir === undefined || tried.has(dir)) continue;
    tried.add(dir);
    try {
      return locateRepositoryWithoutGit(dir) ?? (await locateRepository(dir, { logger }));
    } catch (error) {
      if (!(error instanceof NotARepositoryError)) throw error;
    }
  }
  return undefined;
}

/** A payload path as a repository path, or why it is refused. */
export function resolvePayloadPath(
  p: string,
  baseDir: string,
  realRoot: string,
): { repoPath: string; abs: string } | { problem: string } {
  const shown = JSON.stringify(p.length > 200 ? `${p.slice(0, 200)}...` : p);
  if (p === '' || p.includes('\0')) return { problem: `refused path ${shown}: not a file path` };
  const abs = path.resolve(baseDir, p);
  if (hasGitSegment(abs)) return { problem: `refused path ${shown}: inside a .git folder` };
  // Resolve symbolic links of the folders (the file itself must not be one), then compare with the real root.
  const tail: string[] = [path.basename(abs)];
  let dir = path.dirname(abs);
  while (!exists(dir)) {
    const parent = path.dirname(dir);
    if (parent === dir) return { problem: `refused path ${shown}: no such folder` };
    tail.unshift(path.basename(dir));
    dir = parent;
  }
  let realDir: string;
  try {
    realDir = fs.realpathSync(dir);
  } catch (error) {
    return { problem: `refused path ${shown}: ${(error as Error).message}` };
  }
  const real = path.join(realDir, ...tail);
  const rel = path.relative(realRoot, real);
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel))
    return { problem: `refused path ${shown}: outside the repository` };
  const repoPath = rel.split(path.sep).join('/');
  if (!isRepoPath(repoPath) || hasGitSegment(repoPath))
    return { problem: `refused path ${shown}: inside a .git folder or not a plain path` };
  try {
    const st = fs.lstatSync(real);
    if (st.isSymbolicLink()) return { problem: `refused path ${shown}: a symbolic link` };
    if (!st.isFile()) return { problem: `refused path ${shown}: not a regular file` };
  } catch {
    // does not exist (yet): fine for a file the tool creates
  }
  return { repoPath, abs: real };
}

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

type TextRead = { text: string } | { missing: true } | { note: string };

/** Reads a text file: its text, that it is missing, or why its text is not recorded. Never follows a final symlink. */
export function readTextFile(abs: string, maxBytes: number): TextRead {
  let st: fs.Stats;
  try {
    st = fs.lstatSync(abs);
  } catch {
    return { missing: true };
  }
  if (!st.isFile()) return { note: 'not a regular file' };
  if (st.size > maxBytes) return { note: `larger than ${Math.round(maxBytes / 1024 / 1024)} MB` };
  let bytes: Buffer;
  try {
    const fd = fs.openSync(abs, fs.constants.O_RDONLY | (fs.constants.O_NOFOLLOW ?? 0));
    try {
      bytes = fs.readFileSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { missing: true };
    return { note: `unreadable (${(error as NodeJS.ErrnoException).code ?? 'error'})` };
  }
  if (bytes.length > maxBytes) return { note: `larger than ${Math.round(maxBytes / 1024 / 1024)} MB` };
  if (isBinary(bytes)) return { note: 'binary' };
  try {
    return { text: UTF8.decode(bytes) };
  } catch {
    return { note: 'not UTF-8 text' };
  }
}

/**
 * Copilot CLI's session log, which names the model (its hook payloads do not):
 * `$COPILOT_HOME/session-state/<session>/events.jsonl`, `COPILOT_HOME` defaulting to `~/.copilot`.
 */
function copilotCliEvents(call: AgentCall): string | undefined {
  if (call.agent !== 'copilot-cli' || call.session === undefined || !/^[A-Za-z0-9_-]{1,128}$/.test(call.session))
    return undefined;
  return path.join(copilotHome(), 'session-state', call.session, 'events.jsonl');
}

/**
 * The Cline CLI's record of the session, which names its model: `<sessions>/<id>/<id>.json`, the sessions folder
 * being `CLINE_SESSION_DATA_DIR`, else `sessions` in `CLINE_DATA_DIR`, else in `data` of `CLINE_DIR` (`~/.cline`).
 */
function clineSessionRecord(call: AgentCall): string | undefined {
  if (call.agent !== 'cline' || call.session === undefined || !/^[A-Za-z0-9_-]{1,128}$/.test(call.session))
    return undefined;
  const env = process.env;
  const absolute = (p: string | undefined): string | undefined =>
    p !== undefined && p.trim() !== '' && path.isAbsolute(p.trim()) ? p.trim() : undefined;
  const data =
    absolute(env.CLINE_DATA_DIR) ?? path.join(absolute(env.CLINE_DIR) ?? path.join(os.homedir(), '.cline'), 'data');
  const sessions = absolute(env.CLINE_SESSION_DATA_DIR) ?? path.join(data, 'sessions');
  return path.join(sessions, call.session, `${call.session}.json`);
}

/** The model of a call, from the end of its transcript (Copilot CLI's session log: the main agent's or a sub-agent's). */
export function modelOfCall(call: AgentCall, maxBytes: number): string | undefined {
  if (call.transcriptPath === undefined) return undefined;
  return call.agent === 'copilot-cli'
    ? copilotModel(call.transcriptPath, call.agentId, maxBytes)
    : modelFromTranscript(call.transcriptPath, maxBytes);
}

/**
 * The model Copilot CLI's session log names last for one agent: the session's main agent (events without an
 * `agentId`) or the sub-agent `agentId`. Only the events that say which model answers (`assistant.message`,
 * `session.model_change`, `tool.execution_start`): the log also holds a sub-agent's summary under the parent, with
 * the sub-agent's model.
 */
function copilotModel(file: string, agentId: string | undefined, maxBytes: number): string | undefined {
  const log = readTail(file, maxBytes);
  if (log === undefined) return undefined;
  let model: string | undefined;
  for (const line of log.split('\n')) {
    if (!/"type":"(?:assistant\.message|session\.model_change|tool\.execution_start)"/.test(line)) continue;
    try {
      const event = JSON.parse(line) as { agentId?: unknown; data?: { model?: unknown; newModel?: unknown } };
      if (event.agentId !== agentId) continue;
      const name = event.data?.newModel ?? event.data?.model;
      if (typeof name === 'string' && name.trim() !== '' && name.length <= 200) model = name.trim();
    } catch {
      // the first line of the tail, cut
    }
  }
  return model;
}

/**
 * The model named last in the end of a transcript (Claude Code's JSONL `"model": "..."` of assistant messages,
 * Gemini CLI's chat JSON, Codex's rollout): reads at most `maxBytes` from the end of a regular file.
 */
export function modelFromTranscript(file: string, maxBytes: number): string | undefined {
  if (!path.isAbsolute(file)) return undefined;
  let fd: number | undefined;
  try {
    const st = fs.statSync(file);
    if (!st.isFile() || st.size === 0) return undefined;
    fd = fs.openSync(file, 'r');
    // The last 16 KB name the model in a transcript that is going on; more only when they do not.
    for (let length = Math.min(st.size, 16 * 1024); ; length = Math.min(st.size, maxBytes)) {
      const buffer = Buffer.alloc(length);
      fs.readSync(fd, buffer, 0, length, st.size - length);
      const model = lastModel(buffer.toString('utf8'));
      if (model !== undefined || length >= Math.min(st.size, maxBytes)) return model;
    }
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

function lastModel(text: string): string | undefined {
  const pattern = /(?<!\\)"(?:model|newModel)"\s*:\s*"([^"\\\r\n]{1,200})"/g;
  let model: string | undefined;
  for (let m = pattern.exec(text); m; m = pattern.exec(text)) {
    const name = m[1]!.trim();
    if (name !== '' && name !== '<synthetic>') model = name;
  }
  return model;
}

interface StatusEntry {
  size: number;
  mtimeMs: number;
  missing?: true;
  /** The work tree differs from the index (or the file is untracked). */
  dirty: boolean;
  untracked: boolean;
  text?: string;
}

interface ShellSnapshot {
  v: 1;
  at: string;
  truncated: boolean;
  entries: Record<string, StatusEntry>;
  /** For a command that mentions `stash`: the blobs the stash entries held before it ran. */
  stashBlobs?: string[];
  /** The agent, session and command whose pre-tool hook took it (absent in snapshots before 0.2). */
  agent?: string;
  session?: string;
  command?: string;
  /**
   * A background task's snapshot, kept until the agent shows the task ended: its task, command and tool call id,
   * and where its end can be read (the agent's status file for it, its process).
   */
  background?: {
    taskId: string;
    command: string;
    toolUseId?: string;
    statusFile?: string;
    pid?: number;
    agentId?: string;
  };
}

/** Most stash entries whose blobs a snapshot lists. */
const STASH_ENTRIES = 10;

/**
 * The blobs of the stash entries (work tree, index and untracked parts): text a `git stash pop` or `apply` brings
 * back existed before the command, so the command did not write it (a person's stashed work stays theirs).
 */
async function stashBlobs(root: string, logger: Logger): Promise<string[]> {
  const listed = await runGit(['log', '-g', `-${STASH_ENTRIES}`, '--format=%H %P', 'refs/stash', '--'], {
    cwd: root,
    logger,
    okExitCodes: [0, 128],
  });
  if (listed.exitCode !== 0) return [];
  const commits = [...new Set(listed.stdout.split(/\s+/).filter(id => /^[0-9a-f]{40,64}$/.test(id)))];
  const trees = await Promise.all(
    commits.map(c => git(['ls-tree', '-r', '-z', '--object-only', c, '--'], { cwd: root, logger }).catch(() => '')),
  );
  return [...new Set(trees.flatMap(out => out.split('\0')).filter(Boolean))];
}

/** `git status` entries with their stat: the cheap picture of what differs from the index. */
async function statusEntries(
  root: string,
  limits: AgentHookLimits,
  logger: Logger,
): Promise<{ entries: Map<string, StatusEntry>; truncated: boolean }> {
  const out = await git(
    ['status', '--porcelain=v1', '-z', '--untracked-files=all', '--no-renames', '--ignore-submodules=all'],
    { cwd: root, logger },
  );
  const entries = new Map<string, StatusEntry>();
  let truncated = false;
  for (const { index: x, worktree: y, path: p } of parseStatus(out)) {
    if (entries.size >= limits.shellStatusEntries) {
      truncated = true;
      break;
    }
    if (!isRepoPath(p)) continue;
    const untracked = x === '?';
    const entry: StatusEntry = { size: 0, mtimeMs: 0, dirty: untracked || y !== ' ', untracked };
    try {
      const st = fs.lstatSync(path.join(root, p));
      if (!st.isFile()) continue;
      entry.size = st.size;
      entry.mtimeMs = st.mtimeMs;
    } catch {
      entry.missing = true;
    }
    entries.set(p, entry);
  }
  return { entries, truncated };
}

function snapshotFile(location: RepositoryLocation, call: AgentCall, dir = SHELL_SNAPSHOT_DIR): string {
  // Agents that give no tool call id (Gemini CLI) send the same input to both hooks of one call.
  const id = call.toolUseId ?? call.shell?.command ?? `${call.tool}\0${JSON.stringify(call.edits)}`;
  const key = shortHash(`${call.agent}\0${call.session ?? ''}\0${id}`);
  return path.join(location.stateDir, dir, `${key}.json`);
}

/**
 * Writes what a later hook of the same call needs. Edit snapshots whose post-tool hook never came are swept after a
 * day; shell snapshots are not: until their end is known they ask for review (unfinishedShells expires them).
 */
function writeSnapshot(file: string, value: object): void {
  ensureDirSync(path.dirname(file));
  if (path.basename(path.dirname(file)) === EDIT_SNAPSHOT_DIR) removeStaleSnapshots(path.dirname(file));
  writeFileAtomicSync(file, JSON.stringify(value));
}

/**
 * A snapshot file's JSON; undefined when it is missing or unreadable. With `settled`, the file is one the record
 * being made replaces: it is listed there, and removed only once that record is in the spool (agent-hook.ts), so
 * that a hook killed in between, or a commit looking meanwhile, still finds it.
 */
function readJson(file: string, settled?: string[]): unknown {
  try {
    const value: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
    settled?.push(file);
    return value;
  } catch {
    return undefined;
  }
}

/** The texts an edit tool's targets had at its pre-tool hook: `before` or `beforeMissing` per path. */
type EditSnapshot = { v: 1; files: Record<string, { text?: string; missing?: boolean }> };

/**
 * Keeps the pre-tool texts for the post-tool hook of the same call, so its record says both what the file was and
 * what it became, whenever and by whichever process it is read: the tool's effect is then known even where the
 * payload does not spell it out (docs/capture.md), and the lines it removed are whole lines.
 */
function saveEditSnapshot(location: RepositoryLocation, call: AgentCall, files: readonly AgentFileSnapshot[]): void {
  const snapshot: EditSnapshot = { v: 1, files: {} };
  for (const f of files)
    if (f.before !== undefined) snapshot.files[f.path] = { text: f.before };
    else if (f.beforeMissing) snapshot.files[f.path] = { missing: true };
  if (Object.keys(snapshot.files).length > 0) writeSnapshot(snapshotFile(location, call, EDIT_SNAPSHOT_DIR), snapshot);
}

/** Adds the pre-tool texts the same call's pre-tool hook kept to a post-tool record's files (and forgets them). */
function addEditSnapshot(
  location: RepositoryLocation,
  call: AgentCall,
  files: AgentFileSnapshot[],
  settled: string[],
): void {
  const snapshot = readJson(snapshotFile(location, call, EDIT_SNAPSHOT_DIR), settled) as EditSnapshot | undefined;
  if (snapshot?.v !== 1 || typeof snapshot.files !== 'object' || snapshot.files === null) return;
  for (const f of files) {
    const was = snapshot.files[f.path];
    if (typeof was?.text === 'string') f.before = was.text;
    else if (was?.missing === true) f.beforeMissing = true;
  }
}

/** Where a background task's snapshot waits for the turn's end: by agent and session, then by task. */
function backgroundPrefix(call: AgentCall): string {
  return `bg-${shortHash(`${call.agent}\0${call.session ?? ''}`).slice(0, 16)}-`;
}

/**
 * A shell command left running in the background: its post-tool hook came before it wrote. Its pre-tool snapshot
 * is kept, under its task id, until the agent says the task ended (endedBackgroundTasks).
 */
function keepForBackground(location: RepositoryLocation, call: AgentCall): void {
  const pre = snapshotFile(location, call);
  const snapshot = readSnapshot(pre);
  const task = call.background;
  if (!snapshot || !call.shell || !task) return;
  snapshot.background = {
    taskId: task.taskId,
    command: call.shell.command,
    ...(call.toolUseId !== undefined ? { toolUseId: call.toolUseId } : {}),
    ...(task.statusFile !== undefined ? { statusFile: task.statusFile } : {}),
    ...(task.pid !== undefined ? { pid: task.pid } : {}),
    ...(call.agentId !== undefined ? { agentId: call.agentId } : {}),
  };
  // A sub-agent numbers its shells as its parent does: its id is part of the name.
  const name = `${backgroundPrefix(call)}${shortHash(`${call.agentId ?? ''}\0${task.taskId}`).slice(0, 16)}.json`;
  writeSnapshot(path.join(location.stateDir, SHELL_SNAPSHOT_DIR, name), snapshot);
  // The task's snapshot stands for it now.
  fs.rmSync(pre, { force: true });
}

/** How many bytes of an agent's own record of its tasks (a status file, a session log) are read at most. */
const TASK_RECORD_BYTES = 16 * 1024 * 1024;

/** The end of a regular file (not through a link), at most `maxBytes`; undefined when it cannot be read. */
function readTail(file: string, maxBytes: number): string | undefined {
  if (!path.isAbsolute(file)) return undefined;
  let fd: number | undefined;
  try {
    const st = fs.lstatSync(file);
    if (!st.isFile()) return undefined;
    const length = Math.min(st.size, maxBytes);
    const buffer = Buffer.alloc(length);
    fd = fs.openSync(file, 'r');
    fs.readSync(fd, buffer, 0, length, st.size - length);
    return buffer.toString('utf8');
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/**
 * Copilot CLI's shells that its session log says completed (`system.notification`, kind `shell_completed`). The log
 * may be written a moment after the hooks of the turn that follows: its Notification hook says it first.
 */
function copilotEndedShells(events: string | undefined): { agentId?: string; shellId: string; at: number }[] {
  const ended: { agentId?: string; shellId: string; at: number }[] = [];
  const log = events !== undefined ? readTail(events, TASK_RECORD_BYTES) : undefined;
  if (log === undefined) return ended;
  for (const line of log.split('\n')) {
    if (!line.includes('shell_completed') && !line.includes('shell_detached_completed')) continue;
    try {
      const event = JSON.parse(line) as {
        type?: unknown;
        timestamp?: unknown;
        agentId?: unknown;
        data?: { kind?: { type?: unknown; shellId?: unknown } };
      };
      const kind = event.data?.kind;
      const at = typeof event.timestamp === 'string' ? Date.parse(event.timestamp) : NaN;
      if (
        event.type === 'system.notification' &&
        (kind?.type === 'shell_completed' || kind?.type === 'shell_detached_completed') &&
        typeof kind.shellId === 'string' &&
        !Number.isNaN(at)
      )
        ended.push({
          shellId: kind.shellId,
          at,
          ...(typeof event.agentId === 'string' ? { agentId: event.agentId } : {}),
        });
    } catch {
      // a line cut by the tail, or not JSON: not a notification we can read
    }
  }
  return ended;
}

/** Whether a process and its group are gone (a pid reused since is taken for the task still running: the safe side). */
function processGone(pid: number): boolean {
  // The process, and its group (the agents start a background shell as a group's leader; what it started goes on in
  // the group after it ends).
  for (const target of [pid, -pid]) {
    try {
      process.kill(target, 0);
      return false;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ESRCH') return false;
    }
  }
  return true;
}

/**
 * Whether the agent shows a background task ended, and when when it says (`at`, milliseconds): the turn's list of
 * running tasks (Claude Code), the task's status file (Qwen Code: its `id`, a final `status`, its `endTime`),
 * Copilot CLI's notification or session log, the process and its group (Gemini CLI). Anything else: still running.
 */
function taskEnded(
  snapshot: ShellSnapshot,
  task: NonNullable<ShellSnapshot['background']>,
  stop: AgentCall,
  copilotEnded: () => ReturnType<typeof copilotEndedShells>,
  now: Date,
): { at?: number } | undefined {
  // The word of the agent that started it: a sub-agent's shell ids are its own.
  if (stop.stop?.ended?.includes(task.taskId) && stop.agentId === task.agentId) return { at: now.getTime() };
  const running = stop.stop?.running;
  if (running) return running.includes(task.taskId) ? undefined : {};
  if (task.statusFile !== undefined) {
    const text = readTail(task.statusFile, 64 * 1024);
    try {
      const state = JSON.parse(text ?? '') as { id?: unknown; status?: unknown; endTime?: unknown };
      if (state.id === task.taskId && typeof state.status === 'string') {
        if (state.status !== 'completed' && state.status !== 'failed' && state.status !== 'cancelled') return undefined;
        const at =
          typeof state.endTime === 'string'
            ? Date.parse(state.endTime)
            : typeof state.endTime === 'number'
              ? state.endTime
              : NaN;
        return Number.isNaN(at) ? {} : { at };
      }
    } catch {
      // unreadable: fall through to the process
    }
  }
  // A completion logged after the shell started (an id used again later must not end the newer shell).
  if (stop.agent === 'copilot-cli') {
    const started = Date.parse(snapshot.at);
    const ends = copilotEnded().filter(e => e.shellId === task.taskId && e.agentId === task.agentId && e.at >= started);
    return ends.length > 0 ? { at: Math.min(...ends.map(e => e.at)) } : undefined;
  }
  return task.pid !== undefined && processGone(task.pid) ? {} : undefined;
}

/**
 * At the end of a turn: each background task of the session that is no longer running gets the record its
 * post-tool hook would have written had it waited, the work tree's changes since its pre-tool snapshot.
 */
async function endedBackgroundTasks(
  location: RepositoryLocation,
  stop: AgentCall,
  limits: AgentHookLimits,
  problems: string[],
  now: Date,
  logger: Logger,
  settled: string[],
): Promise<AgentSpoolRecord[]> {
  const dir = path.join(location.stateDir, SHELL_SNAPSHOT_DIR);
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  if (stop.stop?.idle === true) await forgetRefusedShells(location, dir, names, stop, logger);
  names = names.filter(n => n.startsWith(backgroundPrefix(stop)));
  let copilotEnded: ReturnType<typeof copilotEndedShells> | undefined;
  const endedInLog = (): ReturnType<typeof copilotEndedShells> =>
    (copilotEnded ??= copilotEndedShells(stop.transcriptPath));
  const records: AgentSpoolRecord[] = [];
  for (const name of names) {
    const file = path.join(dir, name);
    const snapshot = readJson(file) as ShellSnapshot | undefined;
    const task = snapshot?.background;
    if (snapshot?.v !== 1 || !task || typeof task.command !== 'string') continue;
    const ended = taskEnded(snapshot, task, stop, endedInLog, now);
    if (!ended) continue;
    // Claimed by renaming (one hook only, when a notification and a turn's end come at once); the claimed file
    // still counts as unfinished until the record is in the spool.
    const claimed = path.join(dir, `claimed-${process.pid}-${randomHex(4)}-${name}`);
    try {
      fs.renameSync(file, claimed);
    } catch {
      continue;
    }
    settled.push(claimed);
    const { stop: _stop, ...rest } = stop;
    const call: AgentCall = {
      ...rest,
      event: 'PostToolUse',
      tool: 'Bash',
      shell: { command: task.command },
      ...(task.toolUseId !== undefined ? { toolUseId: task.toolUseId } : {}),
    };
    let files = await shellPost(location, call, limits, problems, logger, settled, snapshot);
    // A file changed after the agent says the task ended was changed by someone else too: its text is not all the
    // task's, and which part is cannot be told. It is not credited; it asks for review (as an expired task would).
    if (ended.at !== undefined) {
      const later = files.filter(f => modifiedAfter(path.join(location.root, f.path), ended.at! + END_SLACK_MS));
      // Only once they are sure to ask for review.
      if (
        later.length > 0 &&
        expire(
          claimed,
          {
            since: snapshot.at,
            background: true,
            paths: later.map(f => f.path),
            ...(snapshot.agent !== undefined ? { agent: snapshot.agent } : {}),
            command: task.command,
          },
          false,
        )
      )
        files = files.filter(f => !later.includes(f));
    }
    records.push({ type: AGENT_RECORD_TYPE, v: AGENT_RECORD_VERSION, at: now.toISOString(), call, files });
  }
  return records;
}

/**
 * At a turn's end with nothing of the session still running: its pre-tool snapshots still waiting for their
 * post-tool hook are calls the person refused (the agents that say so post every shell call that ran, and say when
 * one goes on in the background). Codex sends no post-tool hook for a command still running when it answers the
 * model: its waiting snapshots stay, and ask for review at commit, until they expire.
 */
async function forgetRefusedShells(
  location: RepositoryLocation,
  dir: string,
  names: readonly string[],
  stop: AgentCall,
  logger: Logger,
): Promise<void> {
  const waiting: { file: string; snapshot: ShellSnapshot }[] = [];
  for (const name of names) {
    if (!name.endsWith('.json') || /^(bg|claimed|expired)-/.test(name)) continue;
    const file = path.join(dir, name);
    const snapshot = readJson(file) as ShellSnapshot | undefined;
    if (
      snapshot?.v === 1 &&
      typeof snapshot.entries === 'object' &&
      snapshot.entries !== null &&
      snapshot.agent === stop.agent &&
      snapshot.session === stop.session &&
      snapshot.background === undefined
    )
      waiting.push({ file, snapshot });
  }
  if (waiting.length === 0) return;
  // Only one after which nothing changed: a call that ran and whose post-tool hook was lost (a timeout, an
  // interruption) may have written, and stays to ask for review.
  const { entries: now } = await statusEntries(location.root, AGENT_HOOK_LIMITS, logger);
  for (const { file, snapshot } of waiting) {
    if (snapshot.truncated) continue;
    const changes = changesSince(location.root, new Map(Object.entries(snapshot.entries)), now);
    if (changes.changed.length === 0 && changes.vanished.length === 0 && changes.gone.length === 0)
      fs.rmSync(file, { force: true });
  }
}

/** How long a snapshot waits for its post-tool hook or its task's end: a day. */
const SNAPSHOT_LIFETIME_MS = 24 * 3600_000;

/** Removes snapshots whose post-tool hook never came (older than a day). Best effort. */
function removeStaleSnapshots(dir: string): void {
  try {
    const now = Date.now();
    for (const name of fs.readdirSync(dir)) {
      const file = path.join(dir, name);
      try {
        if (now - fs.statSync(file).mtimeMs > SNAPSHOT_LIFETIME_MS) fs.rmSync(file, { force: true });
      } catch {
        // gone already
      }
    }
  } catch {
    // no folder yet
  }
}

async function shellPre(
  location: RepositoryLocation,
  call: AgentCall,
  limits: AgentHookLimits,
  now: Date,
  logger: Logger,
): Promise<void> {
  const { entries, truncated } = await statusEntries(location.root, limits, logger);
  let kept = 0;
  for (const [p, entry] of entries) {
    if (!entry.dirty || entry.missing || entry.size > limits.fileBytes || kept + entry.size > limits.shellSnapshotBytes)
      continue;
    const read = readTextFile(path.join(location.root, p), limits.fileBytes);
    if ('text' in read) {
      entry.text = read.text;
      kept += entry.size;
    }
  }
  const snapshot: ShellSnapshot = {
    v: 1,
    at: now.toISOString(),
    truncated,
    entries: Object.fromEntries(entries),
    agent: call.agent,
    ...(call.session !== undefined ? { session: call.session } : {}),
    ...(call.shell ? { command: call.shell.command } : {}),
  };
  if (call.shell && /\bstash\b/.test(call.shell.command)) snapshot.stashBlobs = await stashBlobs(location.root, logger);
  writeSnapshot(snapshotFile(location, call), snapshot);
}

function readSnapshot(file: string, settled?: string[]): ShellSnapshot | undefined {
  const value = readJson(file, settled) as ShellSnapshot | undefined;
  return value?.v === 1 && typeof value.entries === 'object' && value.entries !== null ? value : undefined;
}

/**
 * The work tree's changes since a shell snapshot: files written (`changed`, sorted), files there before and deleted
 * since (`vanished`, with what their stat was), files clean before and deleted since (`gone`).
 */
function changesSince(
  root: string,
  before: ReadonlyMap<string, StatusEntry>,
  now: ReadonlyMap<string, StatusEntry>,
): { changed: string[]; vanished: { path: string; size: number; mtimeMs: number }[]; gone: string[] } {
  const changed: string[] = [];
  const vanished: { path: string; size: number; mtimeMs: number }[] = [];
  const gone: string[] = [];
  for (const p of new Set([...before.keys(), ...now.keys()])) {
    const was = before.get(p);
    let st: fs.Stats;
    try {
      st = fs.lstatSync(path.join(root, p));
    } catch {
      // Deleted: nothing left to attribute, but remembered, so a file that turns up under another name is a move,
      // and what it held counts as removed by the agent (docs/commits.md, "AI deletions").
      if (was && !was.missing) vanished.push({ path: p, size: was.size, mtimeMs: was.mtimeMs });
      else if (!was && now.has(p)) gone.push(p); // clean before (its text was the index's), deleted now
      continue;
    }
    if (!st.isFile()) continue;
    if (was) {
      if (!was.missing && was.size === st.size && was.mtimeMs === st.mtimeMs) continue;
    } else if (!now.has(p)) {
      continue; // clean before and after
    }
    changed.push(p);
  }
  changed.sort();
  return { changed, vanished, gone };
}

/** An agent's shell command whose changes are not recorded yet: still running, or its end never reported. */
export interface UnfinishedShell {
  agent?: string;
  command?: string;
  /** Not a shell command but an agent hook record that did not read, and why (keepLostRecord). */
  lost?: string;
  /** When its pre-tool hook ran. */
  since: string;
  /** It went on in the background (its post-tool hook came). */
  background: boolean;
  /** Files written since it started: any of them may be its. */
  paths: string[];
}

/**
 * The agents' shell commands whose changes no record holds yet (docs/capture.md): a background task whose end the
 * agent has not shown, or a pre-tool snapshot whose post-tool hook never came (still running, killed, or, for an
 * agent that never said the turn ended, refused). What the work tree gained since each may be its text: the
 * commit hook counts such files that hold unknown lines as skipped, so a senior looks.
 */
export async function unfinishedShells(location: RepositoryLocation, logger: Logger): Promise<UnfinishedShell[]> {
  const dir = path.join(location.stateDir, SHELL_SNAPSHOT_DIR);
  let names: string[];
  try {
    names = fs.readdirSync(dir).filter(n => n.endsWith('.json'));
  } catch {
    return [];
  }
  const snapshots: { file: string; snapshot: ShellSnapshot }[] = [];
  const expired: { file: string; entry: ExpiredShell }[] = [];
  for (const name of names) {
    const file = path.join(dir, name);
    const value = readJson(file) as ShellSnapshot | ExpiredShell | undefined;
    if (value?.v !== 1) continue;
    if ('expired' in value && value.expired === true && Array.isArray(value.paths))
      expired.push({ file, entry: value });
    else if ('entries' in value && typeof value.entries === 'object' && value.entries !== null)
      snapshots.push({ file, snapshot: value });
  }
  if (snapshots.length === 0 && expired.length === 0) return [];
  const { entries: now, truncated } = await statusEntries(location.root, AGENT_HOOK_LIMITS, logger);
  const changed = (p: string): boolean => now.has(p);
  const cutoff = Date.now() - SNAPSHOT_LIFETIME_MS;
  const shells: UnfinishedShell[] = [];
  for (const { file, snapshot } of snapshots) {
    // A snapshot that could not list everything: whatever is changed now may be the command's.
    const since =
      snapshot.truncated || truncated
        ? { changed: [...now.keys()].sort(), vanished: [], gone: [] }
        : changesSince(location.root, new Map(Object.entries(snapshot.entries)), now);
    const paths = [...new Set([...since.changed, ...since.vanished.map(v => v.path), ...since.gone])].sort();
    const shell: UnfinishedShell = { since: snapshot.at, background: snapshot.background !== undefined, paths };
    if (snapshot.agent !== undefined) shell.agent = snapshot.agent;
    const command = snapshot.background?.command ?? snapshot.command;
    if (command !== undefined) shell.command = command;
    if (!(Date.parse(snapshot.at) >= cutoff)) expire(file, shell);
    shells.push(shell);
  }
  // The pre-commit framework sets unstaged changes aside while a commit's hooks run (PRE_COMMIT=1 in their
  // environment): a file missing from the work tree then has not been committed or put back.
  const stashed = process.env.PRE_COMMIT === '1';
  for (const { file, entry } of expired) {
    // Until each file it may have written is committed (or put back): then nothing is left to ask about.
    const paths = entry.paths.filter(p => typeof p === 'string' && changed(p));
    if (paths.length === 0) {
      if (!stashed) fs.rmSync(file, { force: true });
      continue;
    }
    shells.push({
      since: entry.since,
      background: entry.background === true,
      paths,
      ...(typeof entry.agent === 'string' ? { agent: entry.agent } : {}),
      ...(typeof entry.command === 'string' ? { command: entry.command } : {}),
      ...(typeof entry.lost === 'string' ? { lost: entry.lost } : {}),
    });
  }
  return shells;
}

/**
 * What is kept of a shell snapshot older than a day: the files changed since it started, as they were when it
 * expired. Later changes no longer count against it; these do, until each is committed or put back.
 */
interface ExpiredShell {
  v: 1;
  expired: true;
  since: string;
  background?: boolean;
  agent?: string;
  command?: string;
  /** Not a shell command: an agent hook record that did not read, and why (keepLostRecord). */
  lost?: string;
  paths: string[];
}

/**
 * An agent hook record that does not read (ingestion drops it): the call it describes changed files whose text nobody
 * can now attribute. It is kept like an expired shell command: the files it names (or, when it names none that
 * read, every file changed in the work tree now) ask for review when a commit adds unknown lines to them or removes
 * lines, until each is committed or put back. Returns those files.
 */
export async function keepLostRecord(
  location: RepositoryLocation,
  raw: unknown,
  reason: string,
  logger: Logger,
): Promise<string[]> {
  const object = (v: unknown): Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
  const record = object(raw);
  const call = object(record.call);
  const named = [
    ...list(record.files).map(f => object(f).path),
    ...list(call.edits).flatMap(e => [object(e).path, object(e).moveTo]),
  ].filter(p => p !== undefined);
  // Only when every path it names reads: one that does not could be any file.
  const paths =
    named.length > 0 && named.every(p => isRepoPath(p))
      ? (named as string[])
      : [...(await statusEntries(location.root, AGENT_HOOK_LIMITS, logger)).entries.keys()];
  const written = typeof record.at === 'string' ? Date.parse(record.at) : Number.NaN;
  const at = new Date(Number.isNaN(written) ? Date.now() : written).toISOString();
  const entry: ExpiredShell = {
    v: 1,
    expired: true,
    since: at,
    background: false,
    ...(typeof call.agent === 'string' && /^[a-z][a-z0-9-]{0,40}$/.test(call.agent) ? { agent: call.agent } : {}),
    lost: reason,
    paths: [...new Set(paths)].sort(),
  };
  const dir = path.join(location.stateDir, SHELL_SNAPSHOT_DIR);
  ensureDirSync(dir);
  writeFileAtomicSync(path.join(dir, `expired-lost-${randomHex(8)}.json`), JSON.stringify(entry));
  return entry.paths;
}

/** Keeps the files of `shell` asking for review (ExpiredShell), in place of its snapshot `file` (removed unless not `replace`). */
function expire(file: string, shell: UnfinishedShell, replace = true): boolean {
  const entry: ExpiredShell = {
    v: 1,
    expired: true,
    since: shell.since,
    background: shell.background,
    paths: shell.paths,
    ...(shell.agent !== undefined ? { agent: shell.agent } : {}),
    ...(shell.command !== undefined ? { command: shell.command } : {}),
  };
  try {
    const name = path.basename(file).replace(/^(claimed-\d+-[0-9a-f]+-)/, '');
    writeFileAtomicSync(path.join(path.dirname(file), `expired-${name}`), JSON.stringify(entry));
    if (replace) fs.rmSync(file, { force: true });
    return true;
  } catch {
    return false; // kept as it is: it goes on counting
  }
}

/** How much later than the end an agent reports a file may still have been written by the task (clocks, flushes). */
const END_SLACK_MS = 2000;

function modifiedAfter(file: string, ms: number): boolean {
  try {
    return fs.lstatSync(file).mtimeMs > ms;
  } catch {
    return false;
  }
}

async function shellPost(
  location: RepositoryLocation,
  call: AgentCall,
  limits: AgentHookLimits,
  problems: string[],
  logger: Logger,
  settled: string[],
  kept?: ShellSnapshot,
): Promise<AgentFileSnapshot[]> {
  const snapshot = kept ?? readSnapshot(snapshotFile(location, call), settled);
  if (!snapshot) {
    problems.push(
      'no work tree snapshot from before the command (is the pre-tool hook installed?); its changes stay unattributed',
    );
    return [];
  }
  const { entries: now } = await statusEntries(location.root, limits, logger);
  const before = new Map(Object.entries(snapshot.entries));
  const { changed, vanished, gone } = changesSince(location.root, before, now);
  if (changed.length > limits.shellFiles) {
    problems.push(`the command changed ${changed.length} files; recorded the first ${limits.shellFiles}`);
    changed.length = limits.shellFiles;
  }
  // Files whose work tree matched the index before the command held the index's text then.
  const fromIndex = changed.filter(p => {
    const was = before.get(p);
    if (was) return !was.dirty && !was.missing;
    return !snapshot.truncated && !now.get(p)?.untracked;
  });
  const indexBlobs = new Map<string, string>();
  if (fromIndex.length > 0) {
    const out = await git(['ls-files', '-s', '-z', '--', ...fromIndex.map(p => `:(literal)${p}`)], {
      cwd: location.root,
      logger,
    });
    for (const item of splitNul(out)) {
      const m = /^\d{6} ([0-9a-f]+) 0\t(.+)$/s.exec(item);
      if (m) indexBlobs.set(m[2]!, m[1]!);
    }
  }
  const blobs = await readBlobs(location.root, [...indexBlobs.values()], { logger });
  const files: AgentFileSnapshot[] = [];
  let total = 0;
  // Text a stash held before the command (stash pop, stash apply) is given back, not written: it keeps what it was.
  const stashed = new Set(snapshot.stashBlobs ?? []);
  const format = stashed.size > 0 ? await detectObjectFormat(location.root, logger) : 'sha1';
  for (const p of changed) {
    const read = readTextFile(path.join(location.root, p), limits.fileBytes);
    const file: AgentFileSnapshot = { path: p };
    if ('text' in read) {
      if (total + read.text.length > limits.recordBytes) {
        problems.push(`the record reached ${Math.round(limits.recordBytes / 1024 / 1024)} MB; later files left out`);
        break;
      }
      total += read.text.length;
      file.after = read.text;
    } else if ('missing' in read) continue;
    else {
      file.note = read.note;
      files.push(file);
      continue;
    }
    const was = before.get(p);
    const isNew = was?.missing === true || (!was && !snapshot.truncated && now.get(p)?.untracked === true);
    // mv keeps a file's size and modification time: a new file that matches exactly one vanished file is that file,
    // moved, not written; its text is as it was (the engine moves what it knows of it).
    const movedFrom = isNew ? sameFile(vanished, path.join(location.root, p)) : undefined;
    if (movedFrom !== undefined || (stashed.size > 0 && stashed.has(computeBlobId(file.after, format))))
      file.before = file.after;
    else if (was?.missing) file.beforeMissing = true;
    else if (was?.text !== undefined) file.before = was.text;
    else if (isNew) file.beforeMissing = true;
    else {
      const blob = indexBlobs.get(p);
      const content = blob ? blobs.get(blob) : undefined;
      if (content && !isBinary(content)) file.before = content.toString('utf8');
    }
    files.push(file);
  }
  // What the deleted files held: the snapshot's text for a file that was dirty, else the index's (HEAD's once the
  // deletion is staged, as `git rm` does).
  const deleted = [...vanished.map(v => v.path), ...gone].filter(p => !p.includes('\n'));
  const heldNames = deleted.filter(p => before.get(p)?.text === undefined).flatMap(p => [`:${p}`, `HEAD:${p}`]);
  const held = await readBlobs(location.root, heldNames, { logger });
  for (const p of deleted) {
    const file: AgentFileSnapshot = { path: p, afterMissing: true };
    const content = held.get(`:${p}`) ?? held.get(`HEAD:${p}`);
    const text = before.get(p)?.text ?? (content && !isBinary(content) ? content.toString('utf8') : undefined);
    if (text !== undefined && total + text.length <= limits.recordBytes) {
      total += text.length;
      file.before = text;
    }
    files.push(file);
  }
  return files;
}

/** The one vanished file with the size and modification time `file` has now, if there is exactly one. */
function sameFile(
  vanished: readonly { path: string; size: number; mtimeMs: number }[],
  file: string,
): string | undefined {
  let st: fs.Stats;
  try {
    st = fs.lstatSync(file);
  } catch {
    return undefined;
  }
  const same = vanished.filter(v => v.size === st.size && v.mtimeMs === st.mtimeMs);
  return same.length === 1 ? same[0]!.path : undefined;
}

/**
 * Turns an interpreted call into a spool record: finds the repository (from the payload's cwd, else its first
 * file, else the hook's folder), resolves the call's paths, and reads what the phase needs. Problems (refused
 * paths, unreadable files) are returned for the log; the record holds what could be recorded.
 */
export async function captureAgentCall(call: AgentCall, options: CaptureOptions): Promise<CaptureResult> {
  const limits: AgentHookLimits = { ...AGENT_HOOK_LIMITS, ...options.limits };
  const problems: string[] = [];
  const baseDir = call.cwd !== undefined && path.isAbsolute(call.cwd) ? call.cwd : options.cwd;
  const firstPath = call.edits[0]?.path;
  const location = await findRepository(
    [
      call.cwd !== undefined && path.isAbsolute(call.cwd) ? call.cwd : undefined,
      firstPath !== undefined ? path.resolve(baseDir, firstPath) : undefined,
      options.cwd,
    ],
    options.logger,
  );
  if (!location) {
    problems.push(
      `no git repository at ${call.cwd ?? options.cwd}${firstPath !== undefined ? ` or ${firstPath}` : ''}`,
    );
    return { problems };
  }
  const realRoot = fs.realpathSync(location.root);
  const absolute = new Map<string, string>();
  const mapped = mapCallPaths(call, p => {
    const r = resolvePayloadPath(p, baseDir, realRoot);
    if ('problem' in r) {
      problems.push(r.problem);
      return undefined;
    }
    absolute.set(r.repoPath, r.abs);
    return r.repoPath;
  });
  if (mapped.transcriptPath === undefined) {
    const record = copilotCliEvents(mapped) ?? clineSessionRecord(mapped);
    if (record !== undefined) mapped.transcriptPath = record;
  }
  if (mapped.transcriptPath !== undefined && mapped.model === undefined) {
    const model = modelOfCall(mapped, limits.transcriptTailBytes);
    if (model !== undefined) mapped.model = model;
  }
  const now = options.now?.() ?? new Date();
  const record: AgentSpoolRecord = {
    type: AGENT_RECORD_TYPE,
    v: AGENT_RECORD_VERSION,
    at: now.toISOString(),
    call: mapped,
    files: [],
  };
  const settled: string[] = [];
  if (mapped.stop) {
    const more = await endedBackgroundTasks(location, mapped, limits, problems, now, options.logger, settled);
    return more.length > 0 ? { location, more, problems, settled } : { location, problems };
  }
  if (mapped.shell) {
    if (mapped.phase === 'pre') await shellPre(location, mapped, limits, now, options.logger);
    else if (mapped.background) {
      keepForBackground(location, mapped);
      return { location, problems };
    } else record.files = await shellPost(location, mapped, limits, problems, options.logger, settled);
    return { location, record, problems, settled };
  }
  if (mapped.edits.length === 0) return { location, problems };
  let total = 0;
  for (const p of callPaths(mapped)) {
    const abs = absolute.get(p)!;
    const read = readTextFile(abs, limits.fileBytes);
    const file: AgentFileSnapshot = { path: p };
    if ('text' in read) {
      if (total + read.text.length > limits.recordBytes) {
        problems.push(`${p}: left out, the record reached its size limit`);
        continue;
      }
      total += read.text.length;
      if (mapped.phase === 'pre') file.before = read.text;
      else file.after = read.text;
    } else if ('missing' in read) {
      if (mapped.phase === 'pre') file.beforeMissing = true;
      else file.afterMissing = true;
    } else {
      file.note = read.note;
      problems.push(`${p}: ${read.note}; its text is not recorded`);
    }
    record.files.push(file);
  }
  if (mapped.phase === 'pre') saveEditSnapshot(location, mapped, record.files);
  else {
    addEditSnapshot(location, mapped, record.files, settled);
    notWrittenYet(mapped, record.files);
  }
  return { location, record, problems, settled };
}

/**
 * VS Code's post-tool hook that finds a file as the pre-tool hook saw it, though the call says it changed it: the
 * change has not reached the disk yet. VS Code's agent (1.139) edits the open document and saves it a moment later, sometimes
 * after its PostToolUse hook ran. Recording that text as the one after the call would say the call changed nothing;
 * left out, the call's own description of the change is applied to the text before it (docs/capture.md).
 */
function notWrittenYet(call: AgentCall, files: AgentFileSnapshot[]): void {
  // Only VS Code saves after its hook; another agent's file as it was means its tool changed nothing (it failed).
  if (call.agent !== 'vscode') return;
  for (const file of files) {
    const unchanged =
      (file.before !== undefined && file.after === file.before) ||
      (file.beforeMissing === true && (file.afterMissing === true || file.after === ''));
    if (!unchanged) continue;
    const was = file.before ?? '';
    const declared = call.edits.some(
      e =>
        e.path === file.path &&
        (!('moveTo' in e) || e.moveTo === undefined) &&
        ((e.op === 'write' && e.content !== was) ||
          (e.op === 'replace' && e.replacements.some(r => r.old !== r.new && was.includes(r.old)))),
    );
    if (!declared) continue;
    delete file.after;
    delete file.afterMissing;
  }
}

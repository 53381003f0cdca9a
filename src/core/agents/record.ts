import type { AgentCall, AgentFileTexts, FileEdit, Replacement } from './call';
import { AGENTS, type AgentName } from '../attribution/events';
import { isAiKind, isTool } from '../attribution/origin';
import { isRepoPath } from '../formats/state-files';

/**
 * The spool record an agent hook appends (one per hook invocation), and its validation on ingestion. Paths are
 * repository paths: the hook resolved and checked every payload path before writing the record.
 *
 *   { "type": "agent-hook", "v": 1, "at": "<ISO time the hook ran>",
 *     "call": { AgentCall: agent, event, phase, tool, session, agentId, model, origin, edits, shell... },
 *     "files": [ { "path": "src/a.ts", "before": "...", "after": "...", "beforeMissing": true, "note": "..." } ] }
 *
 * `files` holds, for a pre-tool record, each target's text before the tool ran; for a post-tool record, each
 * target's text after it (and for a shell command, the text before it when the pre-tool snapshot had it).
 */

export const AGENT_RECORD_TYPE = 'agent-hook';
export const AGENT_RECORD_VERSION = 1;

export interface AgentFileSnapshot extends AgentFileTexts {
  path: string;
  /** Why a text is missing: "binary", "larger than 8 MB"... */
  note?: string;
}

export interface AgentSpoolRecord {
  type: typeof AGENT_RECORD_TYPE;
  v: typeof AGENT_RECORD_VERSION;
  at: string;
  call: AgentCall;
  files: AgentFileSnapshot[];
}

export class AgentRecordError extends Error {
  override readonly name = 'AgentRecordError';
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** True for a spool record written by an agent hook (whatever its version). */
export function isAgentSpoolRecord(value: unknown): boolean {
  return isObject(value) && value.type === AGENT_RECORD_TYPE;
}

function str(v: unknown, where: string): string {
  if (typeof v !== 'string') throw new AgentRecordError(`${where} must be a string`);
  return v;
}

function optStr(v: unknown, where: string): string | undefined {
  return v === undefined ? undefined : str(v, where);
}

function repoPath(v: unknown, where: string): string {
  if (!isRepoPath(v)) throw new AgentRecordError(`${where} must be a repository path`);
  return v;
}

function parseReplacement(v: unknown, where: string): Replacement {
  if (!isObject(v)) throw new AgentRecordError(`${where} must be an object`);
  const r: Replacement = { old: str(v.old, `${where}.old`), new: str(v.new, `${where}.new`) };
  if (v.all === true) r.all = true;
  if (typeof v.line === 'number' && Number.isInteger(v.line)) r.line = v.line;
  if (typeof v.anchor === 'string') r.anchor = v.anchor;
  if (v.atEnd === true) r.atEnd = true;
  return r;
}

function parseEdit(v: unknown, where: string): FileEdit {
  if (!isObject(v)) throw new AgentRecordError(`${where} must be an object`);
  const path = repoPath(v.path, `${where}.path`);
  const moveTo = v.moveTo === undefined ? undefined : repoPath(v.moveTo, `${where}.moveTo`);
  const withMove = <T extends FileEdit>(e: T): T => (moveTo !== undefined ? { ...e, moveTo } : e);
  switch (v.op) {
    case 'write':
      return withMove({ path, op: 'write', content: str(v.content, `${where}.content`) });
    case 'replace': {
      if (!Array.isArray(v.replacements)) throw new AgentRecordError(`${where}.replacements must be an array`);
      const e: FileEdit = {
        path,
        op: 'replace',
        replacements: v.replacements.map((r, i) => parseReplacement(r, `${where}.replacements[${i}]`)),
      };
      if (v.ordered === true) e.ordered = true;
      return withMove(e);
    }
    case 'delete':
      return { path, op: 'delete' };
    case 'unknown':
      return withMove({ path, op: 'unknown' });
    default:
      throw new AgentRecordError(`${where}.op must be write, replace, delete or unknown`);
  }
}

function parseCall(v: unknown): AgentCall {
  if (!isObject(v)) throw new AgentRecordError('call must be an object');
  if (typeof v.agent !== 'string' || !(AGENTS as readonly string[]).includes(v.agent))
    throw new AgentRecordError('call.agent is not a known agent');
  if (v.phase !== 'pre' && v.phase !== 'post') throw new AgentRecordError('call.phase must be pre or post');
  const origin = v.origin;
  if (!isObject(origin) || !isTool(origin.tool) || !isAiKind(origin.kind))
    throw new AgentRecordError('call.origin must name a known tool and kind');
  if (!Array.isArray(v.edits)) throw new AgentRecordError('call.edits must be an array');
  const call: AgentCall = {
    agent: v.agent as AgentName,
    event: str(v.event, 'call.event'),
    phase: v.phase,
    tool: str(v.tool, 'call.tool'),
    origin: { tool: origin.tool, kind: origin.kind },
    edits: v.edits.map((e, i) => parseEdit(e, `call.edits[${i}]`)),
  };
  for (const key of ['toolUseId', 'session', 'agentId', 'model', 'transcriptPath', 'cwd'] as const) {
    const s = optStr(v[key], `call.${key}`);
    if (s !== undefined) call[key] = s;
  }
  if (v.failed === true) call.failed = true;
  if (v.shell !== undefined) {
    if (!isObject(v.shell)) throw new AgentRecordError('call.shell must be an object');
    call.shell = { command: str(v.shell.command, 'call.shell.command') };
  }
  return call;
}

function parseFile(v: unknown, where: string): AgentFileSnapshot {
  if (!isObject(v)) throw new AgentRecordError(`${where} must be an object`);
  const f: AgentFileSnapshot = { path: repoPath(v.path, `${where}.path`) };
  const before = optStr(v.before, `${where}.before`);
  if (before !== undefined) f.before = before;
  const after = optStr(v.after, `${where}.after`);
  if (after !== undefined) f.after = after;
  if (v.beforeMissing === true) f.beforeMissing = true;
  if (v.afterMissing === true) f.afterMissing = true;
  const note = optStr(v.note, `${where}.note`);
  if (note !== undefined) f.note = note;
  return f;
}

/** Validates a record read back from the spool. Throws AgentRecordError naming the bad field. */
export function parseAgentSpoolRecord(value: unknown): AgentSpoolRecord {
  if (!isObject(value) || value.type !== AGENT_RECORD_TYPE)
    throw new AgentRecordError(`not an ${AGENT_RECORD_TYPE} record`);
  if (value.v !== AGENT_RECORD_VERSION)
    throw new AgentRecordError(`unknown ${AGENT_RECORD_TYPE} record version ${JSON.stringify(value.v)}`);
  const at = str(value.at, 'at');
  if (Number.isNaN(Date.parse(at))) throw new AgentRecordError('at must be an ISO time');
  if (!Array.isArray(value.files)) throw new AgentRecordError('files must be an array');
  return {
    type: AGENT_RECORD_TYPE,
    v: AGENT_RECORD_VERSION,
    at,
    call: parseCall(value.call),
    files: value.files.map((f, i) => parseFile(f, `files[${i}]`)),
  };
}

/** The record's file texts by path, as `Engine.applyAgentCall` takes them. */
export function recordFileTexts(record: Pick<AgentSpoolRecord, 'files'>): Map<string, AgentFileTexts> {
  const map = new Map<string, AgentFileTexts>();
  for (const { path, note: _note, ...texts } of record.files) map.set(path, texts);
  return map;
}

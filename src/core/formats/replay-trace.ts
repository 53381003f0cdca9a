import { Engine, type EngineOptions } from '../attribution/engine';
import { EngineError } from '../attribution/errors';
import { ACCEPT_KINDS, AGENTS, type EventType, type ProvenanceEvent, type TextChange } from '../attribution/events';
import type { FileSummary } from '../attribution/lines';
import { AI_KINDS, TOOLS } from '../attribution/origin';
import { AGENT_RECORD_TYPE, AGENT_RECORD_VERSION, AgentRecordError, parseAgentSpoolRecord } from '../agents/record';

/**
 * Replay traces (docs/formats.md): one JSON event per line. `parseTraceLine` turns a line into a typed
 * event or says exactly what is wrong with it; `replayTrace` feeds a whole trace to a fresh engine and returns
 * the attribution of every tracked file.
 *
 * Strictness, so a trace never replays into a silently wrong answer: unknown event types, unknown keys (a typo
 * such as "reson" would otherwise turn an undo into typing), missing or mistyped fields, unknown tools and kinds
 * are all errors. Blank lines are skipped (a trailing newline, a hand-written trace's spacing); lines may end in
 * CRLF; a leading byte order mark is ignored. A `header`, when present, must be the first event.
 *
 * Output decisions: every tracked file is reported, sorted by path: files that were closed (their attribution
 * is still known), files only seen through `disk` events, and renamed files under their new path.
 */
export class TraceError extends Error {
  override readonly name = 'TraceError';
  constructor(
    /** 1-based line number in the trace. */
    readonly line: number,
    /** What is wrong, without the line number. */
    readonly reason: string,
  ) {
    super(`line ${line}: ${reason}`);
  }
}

export interface ReplayOutput {
  files: Record<string, FileSummary>;
}

/** Which keys each event type has: required ones, then optional ones. */
const SHAPES: Record<EventType, { required: readonly string[]; optional: readonly string[] }> = {
  header: { required: ['v'], optional: ['root'] },
  open: { required: ['path', 'text'], optional: ['origin'] },
  edit: { required: ['path', 'changes'], optional: ['reason'] },
  accept: { required: ['kind', 'tool'], optional: ['model'] },
  copy: { required: ['path', 'offset', 'length'], optional: [] },
  paste: { required: ['path', 'text'], optional: [] },
  chat: { required: ['path', 'phase'], optional: ['tool', 'model'] },
  disk: { required: ['path', 'text'], optional: [] },
  agent: { required: ['agent', 'payload'], optional: [] },
  'agent-call': { required: ['at', 'call', 'files'], optional: [] },
  mark: { required: ['path', 'offset', 'length', 'as'], optional: ['tool', 'kind', 'model'] },
  save: { required: ['path'], optional: [] },
  close: { required: ['path'], optional: [] },
  rename: { required: ['from', 'to'], optional: [] },
};

const quote = (value: unknown): string => JSON.stringify(value) ?? String(value);
const oneOf = (values: readonly string[]): string => values.map(v => `"${v}"`).join(', ');

/** Reads typed fields of one JSON object, failing with the field's name and what it should be. */
class Fields {
  constructor(
    private readonly obj: Record<string, unknown>,
    /** Where the fields are, for messages: `"copy" event`, `"edit" event, change 2`. */
    private readonly where: string,
  ) {}

  private fail(key: string, expected: string): never {
    throw new Error(`${this.where}: "${key}" must be ${expected}, got ${quote(this.obj[key])}`);
  }

  string(key: string): string {
    const v = this.obj[key];
    return typeof v === 'string' ? v : this.fail(key, 'a string');
  }

  path(key: string): string {
    const v = this.string(key);
    return v.length > 0 ? v : this.fail(key, 'a non-empty path');
  }

  count(key: string): number {
    const v = this.obj[key];
    return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? v : this.fail(key, 'a whole number >= 0');
  }

  optionalString(key: string): string | undefined {
    return this.obj[key] === undefined ? undefined : this.string(key);
  }

  literal<T extends string>(key: string, values: readonly T[]): T {
    const v = this.obj[key];
    return typeof v === 'string' && (values as readonly string[]).includes(v)
      ? (v as T)
      : this.fail(key, `one of ${oneOf(values)}`);
  }

  optionalLiteral<T extends string>(key: string, values: readonly T[]): T | undefined {
    return this.obj[key] === undefined ? undefined : this.literal(key, values);
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseChanges(value: unknown): TextChange[] {
  if (!Array.isArray(value))
    throw new Error(`"edit" event: "changes" must be an array of {offset, length, text}, got ${quote(value)}`);
  return value.map((c: unknown, i) => {
    const where = `"edit" event: change ${i + 1}`;
    if (!isObject(c)) throw new Error(`${where} must be an object {offset, length, text}, got ${quote(c)}`);
    for (const key of Object.keys(c)) {
      if (key !== 'offset' && key !== 'length' && key !== 'text')
        throw new Error(`${where} has unknown key "${key}"; a change has offset, length, text`);
    }
    const f = new Fields(c, where);
    return { offset: f.count('offset'), length: f.count('length'), text: f.string('text') };
  });
}

/** Parses one trace line (already known not to be blank) into an event. Throws Error with what is wrong. */
export function parseEvent(line: string): ProvenanceEvent {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    throw new Error(`not valid JSON (${error instanceof Error ? error.message : String(error)})`, { cause: error });
  }
  if (!isObject(value)) throw new Error(`an event must be a JSON object, got ${quote(value)}`);
  const t = value.t;
  if (typeof t !== 'string') throw new Error(`an event needs "t", its type: one of ${oneOf(Object.keys(SHAPES))}`);
  if (!Object.prototype.hasOwnProperty.call(SHAPES, t))
    throw new Error(`unknown event type ${quote(t)}; known types: ${oneOf(Object.keys(SHAPES))}`);
  const type = t as EventType;
  const shape = SHAPES[type];
  for (const key of Object.keys(value)) {
    if (key !== 't' && !shape.required.includes(key) && !shape.optional.includes(key)) {
      const allowed = [...shape.required, ...shape.optional].map(k => `"${k}"`).join(', ');
      throw new Error(`"${type}" event has unknown key "${key}"; it takes ${allowed}`);
    }
  }
  for (const key of shape.required) {
    if (value[key] === undefined) throw new Error(`"${type}" event is missing "${key}"`);
  }
  const f = new Fields(value, `"${type}" event`);
  switch (type) {
    case 'header': {
      if (value.v !== 1)
        throw new Error(`"header" event: "v" must be 1 (the only trace version), got ${quote(value.v)}`);
      const root = f.optionalString('root');
      return root === undefined ? { t: 'header', v: 1 } : { t: 'header', v: 1, root };
    }
    case 'open': {
      const origin = f.optionalLiteral('origin', ['human', 'unknown'] as const);
      return { t: 'open', path: f.path('path'), text: f.string('text'), ...(origin ? { origin } : {}) };
    }
    case 'edit': {
      const reason = f.optionalLiteral('reason', ['undo', 'redo'] as const);
      return { t: 'edit', path: f.path('path'), changes: parseChanges(value.changes), ...(reason ? { reason } : {}) };
    }
    case 'accept': {
      const model = f.optionalString('model');
      return {
        t: 'accept',
        kind: f.literal('kind', ACCEPT_KINDS),
        tool: f.literal('tool', TOOLS),
        ...(model !== undefined ? { model } : {}),
      };
    }
    case 'copy':
      return { t: 'copy', path: f.path('path'), offset: f.count('offset'), length: f.count('length') };
    case 'paste':
      return { t: 'paste', path: f.path('path'), text: f.string('text') };
    case 'chat': {
      const phase = f.literal('phase', ['start', 'end'] as const);
      const tool = f.optionalLiteral('tool', TOOLS);
      const model = f.optionalString('model');
      if (phase === 'start' && tool === undefined) throw new Error(`"chat" start needs "tool": one of ${oneOf(TOOLS)}`);
      return {
        t: 'chat',
        path: f.path('path'),
        phase,
        ...(tool ? { tool } : {}),
        ...(model !== undefined ? { model } : {}),
      };
    }
    case 'disk':
      return { t: 'disk', path: f.path('path'), text: f.string('text') };
    case 'agent':
      return { t: 'agent', agent: f.literal('agent', AGENTS), payload: value.payload };
    case 'agent-call': {
      // The spool record's own validation: the same call and texts the CLI would apply.
      try {
        const record = parseAgentSpoolRecord({
          ...value,
          t: undefined,
          type: AGENT_RECORD_TYPE,
          v: AGENT_RECORD_VERSION,
        });
        return { t: 'agent-call', at: record.at, call: record.call, files: record.files };
      } catch (error) {
        if (error instanceof AgentRecordError)
          throw new Error(`"agent-call" event: ${error.message}`, { cause: error });
        throw error;
      }
    }
    case 'mark': {
      const as = f.literal('as', ['ai', 'human'] as const);
      const tool = f.optionalLiteral('tool', TOOLS);
      const kind = f.optionalLiteral('kind', AI_KINDS);
      const model = f.optionalString('model');
      if (as === 'human' && (tool !== undefined || kind !== undefined || model !== undefined)) {
        throw new Error('"mark" as "human" cannot carry "tool", "kind" or "model"; those describe AI text');
      }
      return {
        t: 'mark',
        path: f.path('path'),
        offset: f.count('offset'),
        length: f.count('length'),
        as,
        ...(tool ? { tool } : {}),
        ...(kind ? { kind } : {}),
        ...(model !== undefined ? { model } : {}),
      };
    }
    case 'save':
      return { t: 'save', path: f.path('path') };
    case 'close':
      return { t: 'close', path: f.path('path') };
    case 'rename':
      return { t: 'rename', from: f.path('from'), to: f.path('to') };
  }
}

/**
 * Parses and applies a whole trace, line by line, to a fresh engine. Throws TraceError (line number and what
 * is wrong) at the first bad line: nothing is returned for a trace that does not replay completely.
 */
export function replayTrace(trace: string, options: EngineOptions = {}): ReplayOutput {
  const engine = runTrace(trace, options);
  const files: Record<string, FileSummary> = {};
  for (const path of engine.paths()) files[path] = engine.summary(path);
  return { files };
}

/** Applies a trace to a fresh engine and returns the engine (for callers that want more than the summary). */
export function runTrace(trace: string, options: EngineOptions = {}): Engine {
  const engine = new Engine(options);
  let lineNumber = 0;
  // A byte order mark (some Windows editors write one) is not part of the first event.
  let start = trace.charCodeAt(0) === 0xfeff ? 1 : 0;
  let seenEvent = false;
  while (start <= trace.length) {
    let end = trace.indexOf('\n', start);
    if (end === -1) end = trace.length;
    lineNumber++;
    const line = trace.slice(start, end).replace(/\r$/, '');
    start = end + 1;
    if (line.trim().length === 0) continue;
    let event: ProvenanceEvent;
    try {
      event = parseEvent(line);
    } catch (error) {
      throw new TraceError(lineNumber, error instanceof Error ? error.message : String(error));
    }
    if (event.t === 'header' && seenEvent)
      throw new TraceError(lineNumber, '"header" must be the first event of a trace');
    seenEvent = true;
    try {
      engine.apply(event);
    } catch (error) {
      if (error instanceof EngineError) throw new TraceError(lineNumber, error.message);
      throw error;
    }
  }
  return engine;
}

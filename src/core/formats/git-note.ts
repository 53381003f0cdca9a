import type { AddedLine, CommitAttribution } from '../commit/attribution';
import type { LineClass } from '../attribution/lines';
import { isAiKind, isTool, type AiKind, type Tool } from '../attribution/origin';
import { formatAiAttribution } from './trailers';

/**
 * The line-level record of a commit, written as a git note on refs/notes/ai-provenance in the Agent Trace
 * format (version 0.1.0). Agent Trace groups line ranges into "conversations" with a contributor (ai, mixed,
 * unknown; lines not listed are human). Our tool and kind have no field there, so they go under the vendor key
 * `dev.ai-provenance` in `metadata`, in arrays parallel to `files` and their `conversations`.
 */

export const AGENT_TRACE_VERSION = '0.1.0';
export const VENDOR_KEY = 'dev.ai-provenance';

type ContributorType = 'ai' | 'mixed' | 'unknown';

export interface TraceRange {
  start_line: number;
  end_line: number;
}

export interface TraceConversation {
  contributor: { type: ContributorType; model_id?: string };
  ranges: TraceRange[];
}

export interface TraceFile {
  path: string;
  conversations: TraceConversation[];
}

export interface VendorConversation {
  tool?: Tool;
  kind?: AiKind;
  session?: string;
}

export interface VendorRemoved {
  path: string;
  tool: Tool;
  kind: AiKind;
  model?: string;
  ranges: TraceRange[];
}

export interface AgentTraceRecord {
  version: string;
  id: string;
  timestamp: string;
  vcs: { type: 'git'; revision: string };
  tool: { name: string; version: string };
  files: TraceFile[];
  metadata: {
    [VENDOR_KEY]: {
      attribution: string;
      files: { path: string; conversations: VendorConversation[] }[];
      /** Lines an AI removed (since 0.2; absent when none), numbered in the file as the first parent had it. */
      removed?: VendorRemoved[];
    };
  };
}

const TYPE_OF: Record<LineClass, ContributorType | undefined> = { a: 'ai', m: 'mixed', u: 'unknown', h: undefined };

function toRanges(lines: readonly number[]): TraceRange[] {
  const ranges: TraceRange[] = [];
  for (const line of [...lines].sort((a, b) => a - b)) {
    const last = ranges[ranges.length - 1];
    if (last && last.end_line === line - 1) last.end_line = line;
    else ranges.push({ start_line: line, end_line: line });
  }
  return ranges;
}

export interface TraceIdentity {
  id: string;
  timestamp: string;
  revision: string;
  toolVersion: string;
}

export function buildAgentTrace(commit: CommitAttribution, identity: TraceIdentity): AgentTraceRecord {
  const files: TraceFile[] = [];
  const vendorFiles: { path: string; conversations: VendorConversation[] }[] = [];
  for (const file of commit.files) {
    const groups = new Map<
      string,
      { type: ContributorType; model?: string; vendor: VendorConversation; lines: number[] }
    >();
    for (const line of file.added as readonly AddedLine[]) {
      const type = TYPE_OF[line.cls];
      if (!type) continue;
      const o = line.origin;
      const key = [type, o?.tool ?? '', o?.kind ?? '', o?.model ?? '', o?.session ?? ''].join('\0');
      let group = groups.get(key);
      if (!group) {
        const vendor: VendorConversation = {};
        if (o) {
          vendor.tool = o.tool;
          vendor.kind = o.kind;
          if (o.session !== undefined) vendor.session = o.session;
        }
        group = { type, vendor, lines: [], ...(o?.model !== undefined ? { model: o.model } : {}) };
        groups.set(key, group);
      }
      group.lines.push(line.line);
    }
    if (groups.size === 0) continue;
    const conversations: TraceConversation[] = [];
    const vendor: VendorConversation[] = [];
    for (const g of groups.values()) {
      conversations.push({
        contributor: g.model !== undefined ? { type: g.type, model_id: g.model } : { type: g.type },
        ranges: toRanges(g.lines),
      });
      vendor.push(g.vendor);
    }
    files.push({ path: file.path, conversations });
    vendorFiles.push({ path: file.path, conversations: vendor });
  }
  return {
    version: AGENT_TRACE_VERSION,
    id: identity.id,
    timestamp: identity.timestamp,
    vcs: { type: 'git', revision: identity.revision },
    tool: { name: 'ai-provenance', version: identity.toolVersion },
    files,
    metadata: {
      [VENDOR_KEY]: {
        attribution: formatAiAttribution(commit.attribution),
        files: vendorFiles,
        ...(commit.removed && commit.removed.length > 0
          ? {
              removed: commit.removed.map(r => ({
                path: r.path,
                tool: r.tool,
                kind: r.kind,
                ...(r.model !== undefined ? { model: r.model } : {}),
                ranges: toRanges(r.lines),
              })),
            }
          : {}),
      },
    },
  };
}

/**
 * The lines an AI removed, as a note lists them (`removed` in our metadata): per file and AI, line ranges in the
 * parent's version of the file. Malformed entries and ranges are left out; a note without the list (written before
 * 0.2, or by another tool) gives none. Throws AgentTraceFormatError only for a note that is not JSON.
 */
export function parseRemovedLines(text: string): VendorRemoved[] {
  const record = noteRecord(text);
  const list = (record as Partial<AgentTraceRecord> | null)?.metadata?.[VENDOR_KEY]?.removed;
  if (!Array.isArray(list)) return [];
  const out: VendorRemoved[] = [];
  for (const entry of list as unknown[]) {
    const e = entry as Partial<VendorRemoved> | null;
    if (typeof e?.path !== 'string' || !isTool(e.tool) || !isAiKind(e.kind) || !Array.isArray(e.ranges)) continue;
    const ranges: TraceRange[] = [];
    for (const r of e.ranges) {
      const range = lineRange(r);
      // No file has more lines than a note may list: a range past that is not a record of anything.
      if (range && range.end_line <= MAX_NOTE_LINES) ranges.push(range);
    }
    if (ranges.length === 0) continue;
    out.push({
      path: e.path,
      tool: e.tool,
      kind: e.kind,
      ...(typeof e.model === 'string' ? { model: e.model } : {}),
      ranges,
    });
  }
  return out;
}

/** What a note says about one line of a file at its commit. */
export interface NoteLine {
  cls: LineClass;
  tool?: Tool;
  kind?: AiKind;
  model?: string;
}

export class AgentTraceFormatError extends Error {
  override readonly name = 'AgentTraceFormatError';
}

/**
 * Reads a note back as line information per file: line number -> class and origin. Lines the note does not
 * list are human-written. Tolerates Agent Trace records from other tools (no vendor metadata: tool `ai`).
 */
/**
 * The newest record of a note. git joins notes when it carries one onto a commit that has one already
 * (notes.rewriteMode "concatenate", the default, on amend): our post-commit note comes first, then a blank
 * line, then the carried one. We write records without blank lines, so the first block is the newest.
 */
export function firstRecord(text: string): string {
  const blank = /\n[ \t]*\n(?=[ \t]*\{)/.exec(text);
  return blank ? text.slice(0, blank.index + 1) : text;
}

/**
 * Most lines a note may list, all files together: a note is read line by line into memory, and one with ranges
 * of millions of lines (written by hand or by a hostile branch) must be refused, not exhaust the heap.
 */
export const MAX_NOTE_LINES = 2_000_000;

/** The newest record of a note, parsed; throws AgentTraceFormatError when it is not JSON. */
function noteRecord(text: string): unknown {
  try {
    return JSON.parse(firstRecord(text));
  } catch (error) {
    throw new AgentTraceFormatError(`the note is not JSON: ${(error as Error).message}`, { cause: error });
  }
}

/** A note's `{ start_line, end_line }`, when it is one: whole numbers, 1-based, in order. */
function lineRange(value: unknown): TraceRange | undefined {
  const r = value as Partial<TraceRange> | null | undefined;
  const start = Number(r?.start_line);
  const end = Number(r?.end_line);
  return Number.isInteger(start) && Number.isInteger(end) && start >= 1 && end >= start
    ? { start_line: start, end_line: end }
    : undefined;
}

export function parseAgentTrace(text: string): Map<string, Map<number, NoteLine>> {
  let listed = 0;
  const r = noteRecord(text) as Partial<AgentTraceRecord>;
  if (typeof r !== 'object' || r === null || !Array.isArray(r.files))
    throw new AgentTraceFormatError('the note has no files array');
  const vendorFiles = (r.metadata as AgentTraceRecord['metadata'] | undefined)?.[VENDOR_KEY]?.files;
  const out = new Map<string, Map<number, NoteLine>>();
  r.files.forEach((file, fi) => {
    if (typeof file?.path !== 'string' || !Array.isArray(file.conversations))
      throw new AgentTraceFormatError(`files[${fi}] is malformed`);
    const lines = out.get(file.path) ?? new Map<number, NoteLine>();
    const vendorConversations = vendorFiles?.[fi]?.path === file.path ? vendorFiles[fi]!.conversations : undefined;
    file.conversations.forEach((conv, ci) => {
      const type = conv?.contributor?.type;
      const cls: LineClass | undefined =
        type === 'ai' ? 'a' : type === 'mixed' ? 'm' : type === 'unknown' ? 'u' : undefined;
      if (!cls || !Array.isArray(conv.ranges)) return;
      const v = vendorConversations?.[ci];
      const info: NoteLine = { cls };
      if (cls !== 'u') {
        info.tool = isTool(v?.tool) ? v.tool : 'ai';
        if (isAiKind(v?.kind)) info.kind = v.kind;
        if (typeof conv.contributor.model_id === 'string') info.model = conv.contributor.model_id;
      }
      for (const range of conv.ranges) {
        const valid = lineRange(range);
        if (!valid) continue;
        const { start_line: start, end_line: end } = valid;
        listed += end - start + 1;
        if (listed > MAX_NOTE_LINES)
          throw new AgentTraceFormatError(`the note lists more than ${MAX_NOTE_LINES} lines, more than any commit has`);
        for (let line = start; line <= end; line++) lines.set(line, info);
      }
    });
    out.set(file.path, lines);
  });
  return out;
}

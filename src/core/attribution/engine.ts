import { v4 as uuidv4 } from 'uuid';
import { matchLineEnds, relabelUnexplained, reverseEdit, type Attributed } from '../agents/apply';
import { AgentPlan, planAgentEdit, planMove, shellMoves, type AgentAction, type PlannedState } from '../agents/plan';
import {
  callPaths,
  isRelevantCall,
  mapCallPaths,
  type AgentCall,
  type AgentFileTexts,
  type FileEdit,
} from '../agents/call';
import { rootRelative } from '../agents/paths';
import { recordFileTexts } from '../agents/record';
import { AgentPayloadError, interpretAgentPayload } from '../agents/payload';
import { removedLineTexts } from '../commit/attribution';
import { Capture } from './capture';
import { EngineError, checkRange, validateChanges } from './errors';
import type { AgentEvent, AgentName, EditEvent, MarkEvent, ProvenanceEvent, TextChange } from './events';
import { DEFAULT_HISTORY_LIMITS, History, type ChangeRecord, type HistoryLimits } from './history';
import { classifyLines, summarize, type FileSummary, type LineReport } from './lines';
import { HUMAN, UNKNOWN, originFactory, type AiOrigin, type Origin, type OriginFactory, type Run } from './origin';
import { reanchor } from './reanchor';
import { RunList } from './runs';
import { TextBuffer } from './text';

/**
 * The attribution engine: every tracked document's text and runs, fed by the normalized events of
 * the replay traces of docs/formats.md. The extension, the CLI's replay and the tests all drive this one class, through `apply`.
 *
 * Lifecycle of a path: `open` (the editor opened it) or `disk` (seen changing outside the editor) makes it
 * tracked. `close` keeps it tracked but not open: its attribution is still known and still reported, and a
 * later `open` or `disk` resumes it (re-anchoring if the text moved on meanwhile). Events that only make sense
 * in an editor (edit, save, close, copy, paste, mark, chat) need the path open. `rename` moves a tracked path,
 * with its history and pending signals, replacing a closed file tracked under the new name (an open one there is
 * an error: the editor would have closed it first).
 *
 * Every event is validated completely before anything changes, so an event either applies whole or throws an
 * EngineError and leaves the engine as it was.
 *
 * Agent hook payloads (`agent` events of a trace, and spool records through `applyAgentCall`) are read by
 * src/core/agents/payload.ts, planned by src/core/agents/plan.ts (a list of actions, plain data) and applied here:
 * the same code for replays, the CLI's spool ingestion and the extension.
 *
 * About 570 lines, on purpose: the document state (text, runs, undo history, pending signals) is private to this
 * class so that no other code can change one without the others; what can live outside it (text and run storage,
 * history, capture, line classes, re-anchoring, agent planning) already does.
 */
export interface EngineOptions {
  /** Fresh ids for AI origins: uuid v4 unless a test wants determinism. */
  newId?: () => string;
  /** The clock for AI origins' `at`. */
  now?: () => Date;
  /** Bounds of each document's undo history. */
  history?: HistoryLimits;
  /** Time budget for re-anchoring one external change, in milliseconds. */
  reanchorTimeoutMs?: number;
  /** Chunk sizes of the text and run structures; small values exercise chunk boundaries in tests. */
  chunking?: { textChunk?: number; runChunk?: number };
  /** Most agent events kept until another part of the product consumes them. */
  agentEventLimit?: number;
}

/** An agent hook payload as it came (kept for debugging: `agentEvents()`); its meaning is applied at once. */
export interface AgentRecord {
  agent: AgentName;
  payload: unknown;
}

/** How `applyAgentCall` applies a call. */
export interface AgentApplyOptions {
  /** What the hook saw of each file, by the call's paths (a spool record carries these; a trace does not). */
  files?: ReadonlyMap<string, AgentFileTexts>;
  /** When the agent's text arrived (ISO 8601): the AI origin's `at`. Default: the engine's clock. */
  at?: string;
  /**
   * Throw an EngineError, changing nothing, when an edit cannot be applied (its old text is not in the file, the
   * file's text is not known). Replay traces are strict; spool ingestion is not (it skips the file and reports).
   */
  strict?: boolean;
}

export interface AgentApplyReport {
  /** Paths whose text or attribution changed, or that wait for the editor's text (open documents). */
  changed: string[];
  /** Files the call could not be applied to, and why. */
  skipped: { path: string; reason: string }[];
}

/** Most agent edits kept per open document while its text has not caught up with the agent's. */
const PENDING_LIMIT = 16;
/** Most AI removals kept for the caller to take. */
const AI_REMOVAL_LIMIT = 1000;
/** How far past a change to look for the end of its line (a file of one huge line is not read whole). */
const LINE_SCAN = 64 * 1024;

/**
 * The whole lines a change takes out (docs/commits.md, AI deletions): the lines it touches, before and after it,
 * diffed. Looks at most LINE_SCAN code units either side for the ends of those lines.
 */
function removedWholeLines(text: TextBuffer, c: TextChange): string[] {
  let start = c.offset;
  for (let window = 256; start > 0 && c.offset - start < LINE_SCAN; window *= 2) {
    const from = Math.max(0, start - window, c.offset - LINE_SCAN);
    const at = text.slice(from, start).lastIndexOf('\n');
    if (at >= 0) {
      start = from + at + 1;
      break;
    }
    start = from;
  }
  const tail = c.offset + c.length;
  const rest = text.slice(tail, Math.min(text.length, tail + LINE_SCAN));
  const newline = rest.indexOf('\n');
  const end = newline < 0 ? tail + rest.length : tail + newline + 1;
  const before = text.slice(start, end);
  const after = before.slice(0, c.offset - start) + c.text + before.slice(tail - start);
  return removedLineTexts(before, after);
}

/** Whole lines an AI edit in the editor took out of a file. */
export interface EditorAiRemoval {
  path: string;
  /** The removed lines' text, without line breaks (blank lines left out). */
  lines: string[];
  origin: AiOrigin;
}

/**
 * The non-blank lines of `before` that `after` holds fewer times, in order: the lines a change removed, counted, in
 * linear time (a reload of a large file must not stall the editor on a line diff).
 */
function linesGone(before: string, after: string): string[] {
  const left = new Map<string, number>();
  for (const line of after.split('\n')) left.set(line, (left.get(line) ?? 0) + 1);
  const gone: string[] = [];
  for (const line of before.split('\n')) {
    if (line.trim() === '') continue;
    const n = left.get(line) ?? 0;
    if (n > 0) left.set(line, n - 1);
    else gone.push(line);
  }
  return gone;
}

/** Most shell commands of a trace whose pre-tool event came and whose post has not. */
const SHELL_SNAPSHOT_LIMIT = 16;

/** Pairs a shell command's pre-tool event with its post. */
function shellKey(call: AgentCall): string {
  return JSON.stringify([call.agent, call.session ?? '', call.toolUseId ?? '', call.shell?.command ?? '']);
}

class TrackedDocument {
  open = true;
  readonly history: History;
  /** The text and runs before the last `disk` event re-anchored them: an agent payload arriving later explains that change. */
  beforeDisk: Attributed | undefined;
  /** A disk event brought this file first, and nothing has explained its text since (its text before is not known). */
  newOnDisk = false;

  /** What a disk event brought is no longer waiting for an agent payload to explain it. */
  forgetDiskChange(): void {
    this.beforeDisk = undefined;
    this.newOnDisk = false;
  }
  /** The file's text in the last pre-tool snapshot an agent hook took of it. */
  agentBefore: string | undefined;
  /** Agent edits of an open document whose editor text has not caught up: applied when a disk or open event brings `after`. */
  pending: { after: string; runs: Run[] }[] = [];

  constructor(
    public text: TextBuffer,
    public runs: RunList,
    limits: HistoryLimits,
  ) {
    this.history = new History(limits);
  }
}

export class Engine {
  private readonly docs = new Map<string, TrackedDocument>();
  private readonly origins: OriginFactory;
  private readonly capture: Capture;
  private readonly agentRecords: AgentRecord[] = [];
  private readonly aiRemovals: EditorAiRemoval[] = [];
  /** Trace replay: each open shell command's view of the tracked texts at its pre-tool event. */
  private readonly shellSnapshots = new Map<string, Map<string, string>>();
  private workspaceRoot: string | undefined;

  constructor(private readonly options: EngineOptions = {}) {
    this.origins = originFactory(options.newId ?? uuidv4, options.now ?? (() => new Date()));
    this.capture = new Capture(this.origins);
  }

  /** Applies one normalized event. Throws EngineError, changing nothing, if the event does not fit the state. */
  apply(event: ProvenanceEvent): void {
    switch (event.t) {
      case 'header':
        this.workspaceRoot = event.root;
        return;
      case 'open':
        return this.open(event.path, event.text, event.origin === 'unknown' ? UNKNOWN : HUMAN);
      case 'edit':
        return this.edit(event);
      case 'accept':
        this.capture.accept(
          event.model !== undefined
            ? { kind: event.kind, tool: event.tool, model: event.model }
            : { kind: event.kind, tool: event.tool },
        );
        return;
      case 'copy': {
        const doc = this.openDoc(event.path, 'copy');
        checkRange(event.offset, event.length, doc.text.length, `copy from ${event.path}`);
        this.capture.copy(
          doc.text.slice(event.offset, event.offset + event.length),
          doc.runs.slice(event.offset, event.length),
        );
        return;
      }
      case 'paste':
        this.openDoc(event.path, 'paste');
        this.capture.paste(event.path, event.text);
        return;
      case 'chat':
        this.openDoc(event.path, `chat ${event.phase}`);
        if (event.phase === 'end') this.capture.chatEnd(event.path);
        else if (event.tool === undefined) throw new EngineError('invalid', `chat start on ${event.path} needs a tool`);
        else this.capture.chatStart(event.path, event.tool, event.model);
        return;
      case 'disk':
        return this.disk(event.path, event.text);
      case 'agent':
        return this.agentEvent(event);
      case 'agent-call': {
        // As the editor applied it: lenient, so what did not apply is skipped as it was then.
        this.applyAgentCall(event.call, { files: recordFileTexts(event), at: event.at });
        return;
      }
      case 'mark':
        return this.mark(event);
      case 'save':
        this.openDoc(event.path, 'save');
        return;
      case 'close':
        this.openDoc(event.path, 'close').open = false;
        this.capture.forget(event.path);
        return;
      case 'rename':
        return this.rename(event.from, event.to);
    }
  }

  // ---- queries ----

  /** Every tracked path (open or closed), sorted. */
  paths(): string[] {
    return [...this.docs.keys()].sort();
  }

  has(path: string): boolean {
    return this.docs.has(path);
  }

  isOpen(path: string): boolean {
    return this.docs.get(path)?.open ?? false;
  }

  text(path: string): string {
    return this.doc(path).text.toString();
  }

  runs(path: string): Run[] {
    return this.doc(path).runs.toArray();
  }

  runCount(path: string): number {
    return this.doc(path).runs.runCount;
  }

  lines(path: string): LineReport {
    const doc = this.doc(path);
    return classifyLines(doc.text.toString(), doc.runs);
  }

  summary(path: string): FileSummary {
    return summarize(this.lines(path));
  }

  /** The header's root, if a trace gave one: where agent payload paths are relative to. */
  get root(): string | undefined {
    return this.workspaceRoot;
  }

  /** The last agent payloads received, oldest first (as they came; for debugging and recorded traces). */
  agentEvents(): readonly AgentRecord[] {
    return this.agentRecords;
  }

  /**
   * Applies an agent's tool call (docs/attribution.md, docs/capture.md, and the replay traces of docs/formats.md): a pre-tool call brings closed files to the
   * hook's snapshot (text changed since the last known text is `unknown`); a post-tool call attributes the delta
   * of each file to the agent, exactly where the payload says what changed. Paths are this engine's paths.
   *
   * Open documents keep the editor's text: the agent's edit only names the author of text that arrives as a disk
   * event (at once if it already did, else when a disk or open event brings the text the agent wrote). Closed and
   * untracked files take the text the hook saw after the tool ran (or, in a trace, the edit applied to the known
   * text). An edit is planned for every file before any is applied: a strict call applies whole or not at all.
   */
  applyAgentCall(call: AgentCall, options: AgentApplyOptions = {}): AgentApplyReport {
    const report: AgentApplyReport = { changed: [], skipped: [] };
    if (!isRelevantCall(call)) return report;
    const files = options.files ?? new Map<string, AgentFileTexts>();
    if (call.phase === 'pre') {
      for (const path of new Set([...callPaths(call), ...files.keys()])) {
        // The tool has not run yet: a disk change seen before now was not its doing.
        const known = this.docs.get(path);
        known?.forgetDiskChange();
        const t = files.get(path);
        if (!t || (t.before === undefined && !t.beforeMissing)) continue;
        const before = t.before ?? '';
        const doc = this.docs.get(path);
        if (!doc) {
          if (t.before !== undefined) {
            const created = this.newDoc(
              before,
              RunList.uniform(before.length, UNKNOWN, this.options.chunking?.runChunk),
            );
            created.open = false;
            created.agentBefore = before;
            this.docs.set(path, created);
            report.changed.push(path);
          }
          continue;
        }
        doc.agentBefore = before;
        if (!doc.open && doc.text.toString() !== before && t.before !== undefined) {
          this.reanchor(doc, before);
          report.changed.push(path);
        }
      }
      return report;
    }

    const fields: Parameters<OriginFactory['ai']>[0] = { tool: call.origin.tool, kind: call.origin.kind };
    if (call.model !== undefined) fields.model = call.model;
    if (call.session !== undefined) fields.session = call.session;
    let origin: AiOrigin = this.origins.ai(fields);
    if (options.at !== undefined) origin = { ...origin, at: options.at };

    let edits: FileEdit[] = call.edits;
    if (call.shell) {
      // A shell command says nothing of files; the hook's before and after snapshots do.
      edits = [...files].filter(([, t]) => t.after !== undefined).map(([path]) => ({ path, op: 'unknown' as const }));
    } else if (call.failed) {
      return report;
    }

    const plan = new AgentPlan(path => this.plannedView(path));
    // A shell command that moved a file (mv, git mv) did not write its text: the text keeps the origin it had.
    const moves = call.shell ? shellMoves(files, plan) : new Map<string, string>();
    for (const edit of edits) {
      const from = moves.get(edit.path);
      if (from !== undefined) {
        planMove(plan, from, edit.path, files.get(edit.path)!.after!);
        continue;
      }
      const reason = planAgentEdit(plan, edit, files, origin, call.shell !== undefined);
      if (reason === undefined) continue;
      if (options.strict) throw new EngineError('invalid', `${call.agent} ${call.tool} on ${edit.path}: ${reason}`);
      report.skipped.push({ path: edit.path, reason });
    }
    report.changed = this.applyAgentActions(plan.actions);
    return report;
  }

  /** Stops tracking `path`: the editor closed it and its attribution is stored (keeps memory to open files). */
  forget(path: string): void {
    this.docs.delete(path);
    this.capture.forget(path);
  }

  /**
   * Starts tracking `path` with stored attribution (the local store's runs for this text), closed. Throws if
   * the runs do not cover the text exactly.
   */
  restore(path: string, text: string, runs: readonly Run[]): void {
    let total = 0;
    for (const r of runs) {
      if (!Number.isInteger(r.length) || r.length < 0)
        throw new EngineError('invalid', `stored runs for ${path} have a bad length ${r.length}`);
      total += r.length;
    }
    if (total !== text.length) {
      throw new EngineError(
        'invalid',
        `stored runs for ${path} cover ${total} code units but the text has ${text.length}`,
      );
    }
    const doc = this.newDoc(text, new RunList(runs, this.options.chunking?.runChunk));
    doc.open = false;
    this.docs.set(path, doc);
  }

  // ---- agent calls ----

  private agentEvent(event: AgentEvent): void {
    let call: AgentCall | undefined;
    try {
      call = interpretAgentPayload(event.agent, event.payload);
    } catch (error) {
      if (error instanceof AgentPayloadError)
        throw new EngineError('invalid', `${event.agent} payload: ${error.message}`);
      throw error;
    }
    this.agentRecords.push({ agent: event.agent, payload: event.payload });
    if (this.agentRecords.length > (this.options.agentEventLimit ?? 1000)) this.agentRecords.shift();
    if (!call) return;
    const cwd = call.cwd;
    const mapped = mapCallPaths(call, p => rootRelative(p, this.workspaceRoot, cwd));
    this.applyAgentCall(mapped, { strict: true, files: this.traceTexts(mapped) });
  }

  /**
   * A trace's payload carries no snapshot of the files, but its disk events show what the tool did
   * (docs/formats.md, replay traces): the texts a hook would have seen, worked out from them, so a replayed call
   * gives what the CLI gives. A shell command's pre-tool event keeps every tracked text; at its post, each file that
   * changed since is the command's doing. A file that a disk event brought first, with nothing known of it before,
   * is the tool's doing when the post's edit explains its text exactly (a new file's Write, or an Edit whose
   * text is already there); it is never applied a second time.
   */
  private traceTexts(call: AgentCall): Map<string, AgentFileTexts> {
    const files = new Map<string, AgentFileTexts>();
    if (call.shell) {
      const key = shellKey(call);
      if (call.phase === 'pre') {
        const texts = new Map<string, string>();
        for (const [path, doc] of this.docs) texts.set(path, doc.text.toString());
        this.shellSnapshots.set(key, texts);
        if (this.shellSnapshots.size > SHELL_SNAPSHOT_LIMIT)
          this.shellSnapshots.delete(this.shellSnapshots.keys().next().value!);
        return files;
      }
      const before = this.shellSnapshots.get(key);
      this.shellSnapshots.delete(key);
      if (!before) return files; // no pre-tool event: what the command changed is not known
      for (const [path, doc] of this.docs) {
        const was = before.get(path);
        const now = doc.text.toString();
        if (was !== undefined && was !== now) files.set(path, { before: was, after: now });
      }
      return files;
    }
    if (call.phase !== 'post') return files;
    for (const edit of call.edits) {
      const doc = this.docs.get(edit.path);
      if (!doc?.newOnDisk || ('moveTo' in edit && edit.moveTo !== undefined)) continue;
      const text = doc.text.toString();
      const matched = matchLineEnds(edit, text);
      const explains =
        matched.op === 'write'
          ? matched.content === text
          : matched.op === 'replace' && reverseEdit(text, matched) !== undefined;
      if (explains) files.set(edit.path, { after: text });
    }
    return files;
  }

  /** What agent planning sees of a tracked path (src/core/agents/plan.ts): a copy, never the document itself. */
  private plannedView(path: string): PlannedState | undefined {
    const doc = this.docs.get(path);
    if (!doc) return undefined;
    return {
      text: doc.text.toString(),
      runs: doc.runs.toArray(),
      open: doc.open,
      beforeDisk: doc.beforeDisk,
      agentBefore: doc.agentBefore,
    };
  }

  /** Applies a planned agent call's actions, in order; returns the paths they touched. */
  private applyAgentActions(actions: readonly AgentAction[]): string[] {
    const touched = new Set<string>();
    for (const a of actions) {
      switch (a.kind) {
        case 'set':
          this.setAgentState(a.from, a.to, a.value);
          touched.add(a.to);
          break;
        case 'relabel': {
          const doc = this.docs.get(a.path);
          if (doc) {
            doc.runs = new RunList(relabelUnexplained(doc.runs.toArray(), a.runs), this.options.chunking?.runChunk);
            doc.forgetDiskChange();
            doc.agentBefore = undefined;
          }
          touched.add(a.path);
          break;
        }
        case 'pending': {
          // An agent edit of an open document: it names the author of its text when that text arrives.
          const doc = this.docs.get(a.path);
          if (doc) {
            doc.pending.push({ after: a.after, runs: a.runs });
            if (doc.pending.length > PENDING_LIMIT) doc.pending.shift();
            doc.agentBefore = undefined;
          }
          touched.add(a.path);
          break;
        }
      }
    }
    return [...touched];
  }

  /** Replaces a tracked path's text and runs (moving it when the tool moved the file), creating it closed if new. */
  private setAgentState(from: string, to: string, value: Attributed): void {
    let doc = this.docs.get(from);
    if (doc && from !== to) {
      if (this.docs.get(to)?.open)
        throw new EngineError('path-in-use', `cannot move ${from} to ${to}: ${to} is open in the editor`);
      this.docs.delete(from);
      this.capture.renamed(from, to);
      this.docs.set(to, doc);
    }
    doc = this.docs.get(to);
    if (!doc) {
      doc = this.newDoc(value.text, new RunList(value.runs, this.options.chunking?.runChunk));
      doc.open = false;
      this.docs.set(to, doc);
    } else {
      if (doc.text.toString() !== value.text) {
        doc.text = new TextBuffer(value.text, this.options.chunking?.textChunk);
        doc.history.clear();
      }
      doc.runs = new RunList(value.runs, this.options.chunking?.runChunk);
    }
    doc.forgetDiskChange();
    doc.agentBefore = undefined;
  }

  /** After a disk or open event re-anchored a document: agent edits that wrote exactly this text name its author. */
  private applyPending(doc: TrackedDocument): void {
    if (doc.pending.length === 0) return;
    const text = doc.text.toString();
    const i = doc.pending.findIndex(p => p.after === text);
    if (i < 0) return;
    const [p] = doc.pending.splice(i, 1);
    doc.runs = new RunList(relabelUnexplained(doc.runs.toArray(), p!.runs), this.options.chunking?.runChunk);
  }

  // ---- events ----

  private open(path: string, text: string, origin: Origin): void {
    const known = this.docs.get(path);
    if (!known) {
      this.docs.set(path, this.newDoc(text, RunList.uniform(text.length, origin, this.options.chunking?.runChunk)));
      return;
    }
    // Known from before (closed, or seen on disk): keep what we know; if the text moved on meanwhile, re-anchor.
    if (known.text.toString() !== text) {
      this.reanchor(known, text);
      this.applyPending(known);
    }
    known.open = true;
  }

  private disk(path: string, text: string): void {
    const known = this.docs.get(path);
    if (!known) {
      const doc = this.newDoc(text, RunList.uniform(text.length, UNKNOWN, this.options.chunking?.runChunk));
      doc.open = false;
      doc.newOnDisk = true;
      this.docs.set(path, doc);
      return;
    }
    const old = known.text.toString();
    if (old === text) return;
    // Kept for an agent's post-tool payload that may arrive after the change it caused (docs/formats.md, replay traces).
    known.beforeDisk = { text: old, runs: known.runs.toArray() };
    // VS Code 1.109 and later write a chat editing session's changes to disk and reload the document: what such a
    // change adds to a file the session holds is the session's (capture.md, signal 3), placed by the diff.
    const chat = this.capture.chatOrigin(path);
    this.reanchor(known, text, chat);
    if (chat) {
      // And the lines it removed are the session's removals, as an edit by it in the editor records them.
      const lines = linesGone(old, text);
      if (lines.length > 0) this.pushAiRemoval({ path, lines, origin: chat });
    }
    this.applyPending(known);
  }

  private reanchor(doc: TrackedDocument, text: string, added?: AiOrigin): void {
    const result = reanchor(doc.text.toString(), doc.runs.toArray(), text, {
      timeoutMs: this.options.reanchorTimeoutMs ?? 3000,
      ...(added ? { added } : {}),
    });
    doc.text = new TextBuffer(text, this.options.chunking?.textChunk);
    doc.runs = new RunList(result.runs, this.options.chunking?.runChunk);
    // The editor's undo stack no longer describes this text; stale records would only cost failed searches.
    doc.history.clear();
  }

  private edit(event: EditEvent): void {
    const doc = this.openDoc(event.path, 'edit');
    try {
      validateChanges(event.changes, doc.text.length, event.path);
    } catch (error) {
      // The signals were meant for this edit: left pending, they would label some later keystroke.
      this.capture.consume(event.path);
      throw error;
    }
    if (event.changes.length === 0) return; // VS Code sends empty events for dirty-state changes.
    // The text before the last disk event no longer sits under this one: no agent payload explains what follows.
    doc.forgetDiskChange();

    if (event.reason === 'undo' || event.reason === 'redo') {
      this.capture.consume(event.path);
      const target = doc.text.clone();
      for (const c of event.changes) target.replace(c.offset, c.length, c.text);
      const restored = event.reason === 'undo' ? doc.history.undo(doc, target) : doc.history.redo(doc, target);
      if (restored) {
        doc.text = restored.text;
        doc.runs = restored.runs;
        return;
      }
      // Not explained by our history (cut, or cleared by a reload): the text comes back from somewhere we cannot
      // name, so it is unknown (never invented AI, and not claimed as typed either).
      for (const c of event.changes) {
        doc.text.replace(c.offset, c.length, c.text);
        doc.runs.replace(c.offset, c.length, c.text.length > 0 ? [{ length: c.text.length, origin: UNKNOWN }] : []);
      }
      return;
    }

    const { runs: inserted, removers } = this.capture.originsFor(event.path, event.changes);
    const records: ChangeRecord[] = new Array<ChangeRecord>(event.changes.length);
    const removed = new Map<AiOrigin, string[]>();
    for (let i = 0; i < event.changes.length; i++) {
      const c = event.changes[i]!;
      const removedText = c.length > 0 ? doc.text.slice(c.offset, c.offset + c.length) : '';
      const remover = removers[i];
      if (remover && c.length > 0) {
        const lines = removedWholeLines(doc.text, c);
        if (lines.length > 0) {
          const list = removed.get(remover);
          if (list) list.push(...lines);
          else removed.set(remover, lines);
        }
      }
      const removedRuns = c.length > 0 ? doc.runs.slice(c.offset, c.length) : NO_RUNS;
      const insertedRuns = inserted[i]!;
      doc.text.replace(c.offset, c.length, c.text);
      doc.runs.replace(c.offset, c.length, insertedRuns);
      records[i] = { offset: c.offset, removedText, removedRuns, insertedText: c.text, insertedRuns };
    }
    doc.history.pushEdit({ changes: records });
    // One entry per AI and event, however many changes it had (a rename on every line is one edit).
    for (const [origin, lines] of removed) this.pushAiRemoval({ path: event.path, lines, origin });
  }

  private pushAiRemoval(removal: EditorAiRemoval): void {
    this.aiRemovals.push(removal);
    if (this.aiRemovals.length > AI_REMOVAL_LIMIT) this.aiRemovals.shift();
  }

  /** Lines AI edits in the editor removed since the last call, oldest first (the editor records them). */
  takeAiRemovals(): EditorAiRemoval[] {
    return this.aiRemovals.splice(0);
  }

  private mark(event: MarkEvent): void {
    const doc = this.openDoc(event.path, 'mark');
    checkRange(event.offset, event.length, doc.text.length, `mark on ${event.path}`);
    if (event.as === 'human' && (event.tool !== undefined || event.kind !== undefined || event.model !== undefined)) {
      throw new EngineError(
        'invalid',
        `mark as human on ${event.path} cannot carry tool, kind or model; those describe AI`,
      );
    }
    if (event.length === 0) return;
    let origin: Origin = HUMAN;
    if (event.as === 'ai') {
      const fields: Parameters<OriginFactory['ai']>[0] = { tool: event.tool ?? 'ai', kind: event.kind ?? 'manual' };
      if (event.model !== undefined) fields.model = event.model;
      origin = this.origins.ai(fields);
    }
    doc.runs.replace(event.offset, event.length, [{ length: event.length, origin }]);
  }

  private rename(from: string, to: string): void {
    const doc = this.doc(from, 'rename');
    if (from === to) return;
    if (this.docs.get(to)?.open) {
      throw new EngineError(
        'path-in-use',
        `cannot rename ${from} to ${to}: ${to} is open in the editor; close it first`,
      );
    }
    this.docs.delete(from);
    this.docs.set(to, doc);
    this.capture.renamed(from, to);
  }

  // ---- helpers ----

  private newDoc(text: string, runs: RunList): TrackedDocument {
    return new TrackedDocument(
      new TextBuffer(text, this.options.chunking?.textChunk),
      runs,
      this.options.history ?? DEFAULT_HISTORY_LIMITS,
    );
  }

  private doc(path: string, what = 'query'): TrackedDocument {
    const doc = this.docs.get(path);
    if (!doc)
      throw new EngineError('unknown-path', `${what}: ${path} is not tracked; it needs an open (or disk) event first`);
    return doc;
  }

  private openDoc(path: string, what: string): TrackedDocument {
    const doc = this.doc(path, what);
    if (!doc.open) throw new EngineError('not-open', `${what}: ${path} was closed; it needs an open event first`);
    return doc;
  }
}

const NO_RUNS: readonly Run[] = Object.freeze([]);

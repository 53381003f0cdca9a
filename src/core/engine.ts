import { v4 as uuidv4 } from 'uuid';
import { Capture } from './capture';
import { EngineError, checkRange } from './errors';
import type { AgentName, EditEvent, MarkEvent, ProvenanceEvent, TextChange } from './events';
import { DEFAULT_HISTORY_LIMITS, History, type ChangeRecord, type HistoryLimits } from './history';
import { classifyLines, summarize, type FileSummary, type LineReport } from './lines';
import { HUMAN, UNKNOWN, originFactory, type Origin, type OriginFactory, type Run } from './origin';
import { reanchor } from './reanchor';
import { RunList } from './runs';
import { TextBuffer } from './text';

/**
 * The attribution engine: every tracked document's text and runs, fed by the normalized events of design.md
 * section 7. The extension, the CLI's replay and the tests all drive this one class, through `apply`.
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

/** An agent hook payload, kept as it came until the agent-hook layer gives it meaning. */
export interface AgentRecord {
  agent: AgentName;
  payload: unknown;
}

class TrackedDocument {
  open = true;
  readonly history: History;

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
        this.capture.accept(event.model !== undefined ? { kind: event.kind, tool: event.tool, model: event.model } : { kind: event.kind, tool: event.tool });
        return;
      case 'copy': {
        const doc = this.openDoc(event.path, 'copy');
        checkRange(event.offset, event.length, doc.text.length, `copy from ${event.path}`);
        this.capture.copy(doc.text.slice(event.offset, event.offset + event.length), doc.runs.slice(event.offset, event.length));
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
        this.agentRecords.push({ agent: event.agent, payload: event.payload });
        if (this.agentRecords.length > (this.options.agentEventLimit ?? 1000)) this.agentRecords.shift();
        return;
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

  /** Agent payloads received and not yet taken by their consumer (the agent-hook layer), oldest first. */
  agentEvents(): readonly AgentRecord[] {
    return this.agentRecords;
  }

  /**
   * Starts tracking `path` with stored attribution (the local store's runs for this text), closed. Throws if
   * the runs do not cover the text exactly.
   */
  restore(path: string, text: string, runs: readonly Run[]): void {
    let total = 0;
    for (const r of runs) {
      if (!Number.isInteger(r.length) || r.length < 0) throw new EngineError('invalid', `stored runs for ${path} have a bad length ${r.length}`);
      total += r.length;
    }
    if (total !== text.length) {
      throw new EngineError('invalid', `stored runs for ${path} cover ${total} code units but the text has ${text.length}`);
    }
    const doc = this.newDoc(text, new RunList(runs, this.options.chunking?.runChunk));
    doc.open = false;
    this.docs.set(path, doc);
  }

  // ---- events ----

  private open(path: string, text: string, origin: Origin): void {
    const known = this.docs.get(path);
    if (!known) {
      this.docs.set(path, this.newDoc(text, RunList.uniform(text.length, origin, this.options.chunking?.runChunk)));
      return;
    }
    // Known from before (closed, or seen on disk): keep what we know; if the text moved on meanwhile, re-anchor.
    if (known.text.toString() !== text) this.reanchor(known, text);
    known.open = true;
  }

  private disk(path: string, text: string): void {
    const known = this.docs.get(path);
    if (!known) {
      const doc = this.newDoc(text, RunList.uniform(text.length, UNKNOWN, this.options.chunking?.runChunk));
      doc.open = false;
      this.docs.set(path, doc);
      return;
    }
    if (known.text.toString() !== text) this.reanchor(known, text);
  }

  private reanchor(doc: TrackedDocument, text: string): void {
    const result = reanchor(doc.text.toString(), doc.runs.toArray(), text, { timeoutMs: this.options.reanchorTimeoutMs ?? 3000 });
    doc.text = new TextBuffer(text, this.options.chunking?.textChunk);
    doc.runs = new RunList(result.runs, this.options.chunking?.runChunk);
    // The editor's undo stack no longer describes this text; stale records would only cost failed searches.
    doc.history.clear();
  }

  private edit(event: EditEvent): void {
    const doc = this.openDoc(event.path, 'edit');
    validateChanges(event.changes, doc.text.length, event.path);
    if (event.changes.length === 0) return; // VS Code sends empty events for dirty-state changes.

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
      // Not explained by our history: safe fallback, the re-inserted text is human (never invented AI).
      for (const c of event.changes) {
        doc.text.replace(c.offset, c.length, c.text);
        doc.runs.replace(c.offset, c.length, c.text.length > 0 ? [{ length: c.text.length, origin: HUMAN }] : []);
      }
      return;
    }

    const inserted = this.capture.originsFor(event.path, event.changes);
    const records: ChangeRecord[] = new Array<ChangeRecord>(event.changes.length);
    for (let i = 0; i < event.changes.length; i++) {
      const c = event.changes[i]!;
      const removedText = c.length > 0 ? doc.text.slice(c.offset, c.offset + c.length) : '';
      const removedRuns = c.length > 0 ? doc.runs.slice(c.offset, c.length) : NO_RUNS;
      const insertedRuns = inserted[i]!;
      doc.text.replace(c.offset, c.length, c.text);
      doc.runs.replace(c.offset, c.length, insertedRuns);
      records[i] = { offset: c.offset, removedText, removedRuns, insertedText: c.text, insertedRuns };
    }
    doc.history.pushEdit({ changes: records });
  }

  private mark(event: MarkEvent): void {
    const doc = this.openDoc(event.path, 'mark');
    checkRange(event.offset, event.length, doc.text.length, `mark on ${event.path}`);
    if (event.as === 'human' && (event.tool !== undefined || event.kind !== undefined || event.model !== undefined)) {
      throw new EngineError('invalid', `mark as human on ${event.path} cannot carry tool, kind or model; those describe AI`);
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
      throw new EngineError('path-in-use', `cannot rename ${from} to ${to}: ${to} is open in the editor; close it first`);
    }
    this.docs.delete(from);
    this.docs.set(to, doc);
    this.capture.renamed(from, to);
  }

  // ---- helpers ----

  private newDoc(text: string, runs: RunList): TrackedDocument {
    return new TrackedDocument(new TextBuffer(text, this.options.chunking?.textChunk), runs, this.options.history ?? DEFAULT_HISTORY_LIMITS);
  }

  private doc(path: string, what = 'query'): TrackedDocument {
    const doc = this.docs.get(path);
    if (!doc) throw new EngineError('unknown-path', `${what}: ${path} is not tracked; it needs an open (or disk) event first`);
    return doc;
  }

  private openDoc(path: string, what: string): TrackedDocument {
    const doc = this.doc(path, what);
    if (!doc.open) throw new EngineError('not-open', `${what}: ${path} was closed; it needs an open event first`);
    return doc;
  }
}

const NO_RUNS: readonly Run[] = Object.freeze([]);

/**
 * Checks one change event against a text of `size` code units: whole numbers, in range, and in VS Code's order
 * (bottom to top, not overlapping), so applying them one after the other with their original offsets is right.
 */
export function validateChanges(changes: readonly TextChange[], size: number, path: string): void {
  let limit = size;
  for (let i = 0; i < changes.length; i++) {
    const c = changes[i]!;
    if (typeof c.text !== 'string') throw new EngineError('invalid', `edit on ${path}: change ${i + 1} has no text`);
    checkRange(c.offset, c.length, size, `edit on ${path}, change ${i + 1}`);
    if (c.offset + c.length > limit) {
      throw new EngineError(
        'change-order',
        `edit on ${path}: change ${i + 1} (offset ${c.offset}, length ${c.length}) overlaps or follows change ${i}, which starts at ${limit}; ` +
          'changes must come bottom to top, as VS Code delivers them',
      );
    }
    limit = c.offset;
  }
}

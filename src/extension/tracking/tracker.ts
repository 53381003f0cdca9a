import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { Engine, type EditorAiRemoval } from '../../core/attribution/engine';
import type { AcceptEvent, ProvenanceEvent, TextChange } from '../../core/attribution/events';
import type { Logger } from '../../core/log';
import { Disposable } from '../platform/lifecycle';
import type { Repositories } from '../platform/repositories';
import { recordDeletions } from '../../io/attribution/ai-deletions';
import { findAttribution, findExact } from './loader';
import { Persistence } from './persistence';
import { ChangeProfiler } from './profiler';
import type { TraceRecorder } from './recorder';
import { CaptureSignals } from './signals';

/**
 * Whether a clean document's text is what the disk has: then a change event that left it clean was a reload.
 * `isDirty` alone cannot tell: the first edit after a save can reach extensions before VS Code marks the
 * document dirty. Read only for events on clean documents, so at most once per save on the typing path.
 */
function matchesDisk(doc: vscode.TextDocument): boolean {
  try {
    // VS Code drops a BOM and makes mixed line ends uniform when it loads a file: compare as it would.
    const normal = (t: string): string => (t.charCodeAt(0) === 0xfeff ? t.slice(1) : t).replace(/\r\n?/g, '\n');
    return normal(fs.readFileSync(doc.uri.fsPath, 'utf8')) === normal(doc.getText());
  } catch {
    return false;
  }
}

/** How long `ready()` waits for documents whose stored attribution is still loading. */
const READY_TIMEOUT_MS = 2000;

interface OpenDoc {
  /** False while the stored attribution is being looked up; events wait in `queue` meanwhile. */
  ready: boolean;
  /** Settles when the lookup is done and the queue applied. */
  loaded: Promise<void>;
  queue: ProvenanceEvent[];
}

/**
 * The extension's adapter around the core engine, and the coordinator of the tracking parts: turns VS Code's
 * document events into normalized events (docs/formats.md, replay traces) with the capture signals in front
 * (signals.ts), keeps the attribution of every open file, loads it as a file opens (loader.ts: the one best-record
 * lookup), stores it (persistence.ts), follows renames, and feeds the recorder and the profiler.
 *
 * The typing path is onDidChangeTextDocument -> apply: converting the change list and applying it. Everything
 * else (storage, decorations) happens later, off that path.
 */
export class ProvenanceTracker extends Disposable {
  readonly engine = new Engine();
  private readonly docs = new Map<string, OpenDoc>();
  private readonly signals = new CaptureSignals();
  /** Files a chat editing session holds, and its tool: their changes are the session's. */
  private readonly chats = new Map<string, { tool: AcceptEvent['tool']; model?: string }>();
  private readonly persistence: Persistence;
  private readonly profiler = new ChangeProfiler();
  private recorder: TraceRecorder | undefined;
  private readonly changed = this.register(new vscode.EventEmitter<string>());
  /** Fires with a file's path after its attribution changed. */
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly repos: Repositories,
    private readonly logger: Logger,
  ) {
    super();
    this.persistence = new Persistence(this.engine, repos, logger);
    this.register(vscode.workspace.onDidOpenTextDocument(doc => this.track(doc)));
    this.register(vscode.workspace.onDidChangeTextDocument(e => this.profiler.measure(() => this.onChange(e))));
    this.register(vscode.workspace.onDidSaveTextDocument(doc => this.onSave(doc)));
    this.register(vscode.workspace.onDidCloseTextDocument(doc => this.onClose(doc)));
    this.register(vscode.workspace.onDidRenameFiles(e => this.onRename(e)));
    for (const doc of vscode.workspace.textDocuments) this.track(doc);
  }

  static trackable(doc: vscode.TextDocument): boolean {
    return doc.uri.scheme === 'file';
  }

  /** Resolves once every open document's stored attribution has been loaded, or after READY_TIMEOUT_MS. */
  async ready(): Promise<void> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<void>(resolve => (timer = setTimeout(resolve, READY_TIMEOUT_MS)));
    await Promise.race([Promise.all([...this.docs.values()].map(d => d.loaded)), timeout]);
    clearTimeout(timer);
  }

  isTracked(path: string): boolean {
    return this.engine.has(path) && (this.docs.get(path)?.ready ?? false);
  }

  // ---- signals from the capture layer ----

  /**
   * An accept command is about to run on `doc`: its next edit is the AI's. Resolves true when that edit came,
   * false when none came in time (nothing was accepted, or a next-edit suggestion only moved the cursor).
   */
  expectAccept(doc: vscode.TextDocument, event: AcceptEvent): Promise<boolean> {
    return this.signals.expectAccept(doc, event);
  }

  /** The accept command for `doc` returned: an accept still waiting for its edit produced none. */
  cancelAccept(doc: vscode.TextDocument): void {
    this.signals.cancelAccept(doc.uri.fsPath);
  }

  /** A paste of `text` is about to land in `doc` (from the paste provider). */
  expectPaste(doc: vscode.TextDocument, text: string): void {
    this.signals.expectPaste(doc.uri.fsPath, text);
  }

  /** Text was copied from `range` of `doc`: remember its origins for a paste inside the editor. */
  copied(doc: vscode.TextDocument, offset: number, length: number): void {
    this.signals.copied(doc.getText().slice(offset, offset + length));
    this.apply({ t: 'copy', path: doc.uri.fsPath, offset, length });
  }

  /**
   * A chat editing session starts or stops holding `path` (chat.ts). VS Code opens the file's document and the
   * session's in one go, and the file's stored attribution is still loading then: the start waits in the queue,
   * ahead of the session's edit; for a file not open yet, it is applied when the file opens.
   */
  chat(path: string, phase: 'start' | 'end', tool: AcceptEvent['tool'], model?: string): void {
    if (phase === 'start') this.chats.set(path, { tool, ...(model !== undefined ? { model } : {}) });
    else this.chats.delete(path);
    const event: ProvenanceEvent =
      phase === 'start'
        ? { t: 'chat', path, phase, tool, ...(model !== undefined ? { model } : {}) }
        : { t: 'chat', path, phase };
    const state = this.docs.get(path);
    if (state && !state.ready) state.queue.push(event);
    else if (this.engine.has(path)) this.apply(event);
  }

  mark(
    doc: vscode.TextDocument,
    ranges: readonly vscode.Range[],
    as: 'ai' | 'human',
    tool: AcceptEvent['tool'],
  ): number {
    let marked = 0;
    for (const range of ranges) {
      if (range.isEmpty) continue;
      const offset = doc.offsetAt(range.start);
      const length = doc.offsetAt(range.end) - offset;
      this.apply(
        as === 'ai'
          ? { t: 'mark', path: doc.uri.fsPath, offset, length, as, tool }
          : { t: 'mark', path: doc.uri.fsPath, offset, length, as },
      );
      marked++;
    }
    if (marked) {
      this.persistence.edited(doc.uri.fsPath);
      this.persistence.schedule(doc.uri.fsPath);
    }
    return marked;
  }

  startRecording(recorder: TraceRecorder): void {
    this.recorder?.close();
    this.recorder = recorder;
  }

  stopRecording(): TraceRecorder | undefined {
    const r = this.recorder;
    r?.close();
    this.recorder = undefined;
    return r;
  }

  get recording(): TraceRecorder | undefined {
    return this.recorder;
  }

  /** Attribution of `path` changed outside the event path (agent records): redraw and store it. */
  notifyChanged(path: string): void {
    this.persistence.edited(path);
    this.changed.fire(path);
    this.persistence.schedule(path);
  }

  openPaths(): string[] {
    return [...this.docs.keys()].filter(p => this.engine.has(p));
  }

  /** Starts recording how long each change event takes in our handler, listeners included. */
  profileChanges(): { stop(): number[] } {
    return this.profiler.start();
  }

  // ---- VS Code events ----

  private track(doc: vscode.TextDocument): void {
    if (!ProvenanceTracker.trackable(doc)) return;
    const path = doc.uri.fsPath;
    if (this.docs.has(path)) return;
    const text = doc.getText(); // the snapshot the queued events apply to
    const state: OpenDoc = { ready: false, queue: [], loaded: Promise.resolve() };
    const chat = this.chats.get(path);
    if (chat) state.queue.push({ t: 'chat', path, phase: 'start', ...chat });
    this.docs.set(path, state);
    this.persistence.opened(path);
    state.loaded = this.load(path, text)
      .catch(error => {
        this.logger.warn(`could not load the stored attribution of ${path}: ${(error as Error).message}`);
        if (!this.engine.has(path) || this.engine.isOpen(path))
          this.safeApply({ t: 'open', path, text, origin: 'unknown' });
      })
      .finally(() => {
        state.ready = true;
        if (this.docs.get(path) !== state) {
          // Closed (or closed and opened again) while loading: this load's result is not the document's.
          if (this.engine.isOpen(path) && !this.docs.has(path)) this.engine.forget(path);
          return;
        }
        const queued = state.queue.splice(0);
        for (const event of queued) this.apply(event);
        this.changed.fire(path);
      });
  }

  /** Opens a document with the best attribution there is for its text (loader.ts). */
  private async load(path: string, text: string): Promise<void> {
    const found = await findAttribution(this.repos, this.engine, path, text, this.logger);
    switch (found.kind) {
      case 'exact':
        this.engine.restore(path, text, found.runs);
        return this.apply({ t: 'open', path, text });
      case 'session':
        return this.apply({ t: 'open', path, text });
      case 'older':
        this.engine.restore(path, found.text, found.runs);
        return this.apply({ t: 'open', path, text }); // re-anchors: kept text keeps its origin, the rest is unknown
      case 'none':
        return this.apply({ t: 'open', path, text, origin: 'unknown' });
    }
  }

  private onChange(e: vscode.TextDocumentChangeEvent): void {
    const doc = e.document;
    if (!ProvenanceTracker.trackable(doc) || e.contentChanges.length === 0) return;
    const path = doc.uri.fsPath;
    const state = this.docs.get(path);
    if (!state) return this.track(doc);
    const events: ProvenanceEvent[] = [];
    const reason =
      e.reason === vscode.TextDocumentChangeReason.Undo
        ? 'undo'
        : e.reason === vscode.TextDocumentChangeReason.Redo
          ? 'redo'
          : undefined;
    const reload = reason === undefined && !doc.isDirty && !this.signals.acceptPending(path) && matchesDisk(doc);
    // A chat editing session that holds the file writes its changes to disk (VS Code 1.109+): the reload is its
    // edit, attributed to it (engine), and stored like one.
    const chatWrote = reload && this.chats.has(path);
    if (reload) {
      // Not typed: the file was reloaded because it changed on disk.
      if (chatWrote) this.persistence.edited(path);
      events.push({ t: 'disk', path, text: doc.getText() });
    } else {
      this.persistence.edited(path);
      const single = e.contentChanges.length === 1 ? e.contentChanges[0]!.text : undefined;
      events.push(...this.signals.eventsBefore(path, reason !== undefined, single));
      const changes: TextChange[] = e.contentChanges.map(c => ({
        offset: c.rangeOffset,
        length: c.rangeLength,
        text: c.text,
      }));
      events.push(reason ? { t: 'edit', path, changes, reason } : { t: 'edit', path, changes });
    }
    if (state.ready) for (const event of events) this.apply(event);
    else state.queue.push(...events);
    if (reload) void this.exactAfterReload(doc, path);
    if (!reload || chatWrote) this.persistence.schedule(path);
  }

  /** After a reload: if this exact text has a stored record (a branch switched back, an agent's edit), use it. */
  private async exactAfterReload(doc: vscode.TextDocument, path: string): Promise<void> {
    const version = doc.version;
    const text = doc.getText();
    const runs = await findExact(this.repos, path, text, this.logger);
    const state = this.docs.get(path);
    if (!runs || !state?.ready || doc.version !== version || this.engine.text(path) !== text) return;
    this.engine.restore(path, text, runs);
    this.engine.apply({ t: 'open', path, text });
    this.changed.fire(path);
  }

  private onSave(doc: vscode.TextDocument): void {
    if (!ProvenanceTracker.trackable(doc) || !this.isTracked(doc.uri.fsPath)) return;
    this.apply({ t: 'save', path: doc.uri.fsPath });
    this.persistence.persistSoon(doc.uri.fsPath);
  }

  private onClose(doc: vscode.TextDocument): void {
    if (!ProvenanceTracker.trackable(doc)) return;
    const path = doc.uri.fsPath;
    const state = this.docs.get(path);
    if (!state) return;
    this.docs.delete(path);
    this.signals.forget(path);
    // A document closed without saving goes back to what the disk has: its record is the one stored at save.
    this.persistence.closed(path, this.engine.has(path) && !doc.isDirty && state.ready);
    if (!this.engine.has(path)) return;
    this.recorder?.write({ t: 'close', path });
    // Its attribution is stored: keep memory to open documents.
    this.engine.forget(path);
  }

  private onRename(e: vscode.FileRenameEvent): void {
    for (const { oldUri, newUri } of e.files) {
      if (oldUri.scheme !== 'file' || newUri.scheme !== 'file') continue;
      const from = oldUri.fsPath;
      const to = newUri.fsPath;
      if (!this.engine.has(from)) {
        void this.persistence.moveStored(from, to);
        continue;
      }
      // VS Code opens the new document before telling us of the rename: move the old attribution onto it.
      const text = this.engine.text(from);
      const runs = this.engine.runs(from);
      this.engine.forget(from);
      this.engine.restore(to, text, runs);
      this.recorder?.write({ t: 'rename', from, to });
      this.persistence.edited(to);
      const open = vscode.workspace.textDocuments.find(d => d.uri.fsPath === to);
      if (open) this.apply({ t: 'open', path: to, text: open.getText() });
      this.changed.fire(to);
      this.persistence.persistSoon(to, true);
    }
  }

  // ---- applying and storing ----

  /** Lines an AI edit in the editor removed go where the commit hook counts AI deletions (docs/commits.md). */
  private async recordAiRemovals(removed: readonly EditorAiRemoval[]): Promise<void> {
    for (const r of removed) {
      try {
        const repo = await this.repos.forFile(r.path);
        if (!repo) continue;
        const { tool, kind, model } = r.origin;
        await recordDeletions(
          repo.location,
          this.logger,
          [{ path: repo.repoPath, lines: r.lines, tool, kind, ...(model !== undefined ? { model } : {}) }],
          r.origin.at,
        );
      } catch (error) {
        this.logger.warn(`could not record lines an AI removed from ${r.path}: ${(error as Error).message}`);
      }
    }
  }

  private apply(event: ProvenanceEvent): void {
    try {
      this.engine.apply(event);
      if (event.t === 'edit' || event.t === 'disk') {
        const removed = this.engine.takeAiRemovals();
        if (removed.length > 0) void this.recordAiRemovals(removed);
      }
      this.recorder?.write(event);
      if ('path' in event) this.changed.fire(event.path);
    } catch (error) {
      this.logger.warn(`attribution out of step (${(error as Error).message}); resynchronising`);
      if ('path' in event) this.resync(event.path);
    }
  }

  private safeApply(event: ProvenanceEvent): void {
    try {
      this.engine.apply(event);
    } catch (error) {
      this.logger.error(`could not track ${'path' in event ? event.path : 'a document'}: ${(error as Error).message}`);
    }
  }

  /** Our view of a document diverged from VS Code's (a bug, or an event we missed): take its text as it is. */
  private resync(path: string): void {
    const doc = vscode.workspace.textDocuments.find(d => d.uri.fsPath === path);
    if (!doc) return;
    this.safeApply(
      this.engine.has(path)
        ? { t: 'disk', path, text: doc.getText() }
        : { t: 'open', path, text: doc.getText(), origin: 'unknown' },
    );
    this.changed.fire(path);
  }

  /** Stores every open document now and waits for all stores to finish (deactivate, tests). */
  flush(): Promise<void> {
    return this.persistence.flush();
  }

  override dispose(): void {
    this.persistence.dispose();
    this.signals.dispose();
    this.recorder?.close();
    super.dispose();
  }
}

import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { Engine } from '../../core/attribution/engine';
import type { AcceptEvent, ProvenanceEvent, TextChange } from '../../core/attribution/events';
import type { Logger } from '../../core/log';
import { isAi, type Run } from '../../core/attribution/origin';
import { decodeRuns } from '../../core/formats/stored-runs';
import { encodeRuns } from '../../core/formats/stored-runs';
import { writeBlob } from '../../io/git/queries';
import { readBlobs, isBinary } from '../../io/git/staged';
import { Disposable } from '../platform/lifecycle';
import type { TraceRecorder } from './recorder';
import type { Repositories } from '../platform/repositories';

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

/** How long an accept command may take to produce its edit before we stop waiting for it. */
const ACCEPT_TIMEOUT_MS = 1000;
/** A paste that did not go through the paste provider is recognised by its text only this soon after the copy. */
const PASTE_WINDOW_MS = 60_000;
/** A dirty document's attribution is saved this long after its last change, so a crash loses little. */
const IDLE_PERSIST_MS = 3000;

interface OpenDoc {
  /** False while the stored attribution is being looked up; events wait in `queue` meanwhile. */
  ready: boolean;
  queue: ProvenanceEvent[];
  idle?: ReturnType<typeof setTimeout> | undefined;
  lastChange?: number;
  /**
   * Whether something happened in the editor since the attribution was loaded (an edit, a mark, an agent's edit
   * shown here). Only then is it stored: storing what was just loaded, or a reload's re-anchoring, would
   * overwrite an exact record with less (AI text turned unknown).
   */
  edited: boolean;
}

interface PendingAccept {
  path: string;
  version: number;
  event: AcceptEvent;
  settle: (changed: boolean) => void;
  timer: ReturnType<typeof setTimeout>;
}

/**
 * The extension's adapter around the core engine: turns VS Code's document events into normalized events
 * (docs/formats.md, replay traces), keeps the attribution of every open file, stores it per repository on save, close and
 * idle, and gives it back when a file opens again (same text: exact; changed text: re-anchored).
 *
 * The typing path is onDidChangeTextDocument -> apply: converting the change list and applying it. Everything
 * else (storage, decorations) happens later, off that path.
 */
export class ProvenanceTracker extends Disposable {
  readonly engine = new Engine();
  private readonly docs = new Map<string, OpenDoc>();
  private readonly pastes = new Map<string, string>();
  /** The text of the last copy inside the editor: a paste that did not go through the paste provider is recognised by it. */
  private lastCopied: { text: string; at: number } | undefined;
  private accept: PendingAccept | undefined;
  private recorder: TraceRecorder | undefined;
  private readonly changed = this.register(new vscode.EventEmitter<string>());
  /** Fires with a file's path after its attribution changed. */
  readonly onDidChange = this.changed.event;
  private readonly persisting = new Set<Promise<void>>();
  /** When set, the time each change event takes in our handler, in microseconds (npm run bench). */
  private timings: number[] | undefined;

  constructor(
    private readonly repos: Repositories,
    private readonly logger: Logger,
  ) {
    super();
    this.register(vscode.workspace.onDidOpenTextDocument(doc => this.track(doc)));
    this.register(vscode.workspace.onDidChangeTextDocument(e => this.onChange(e)));
    this.register(vscode.workspace.onDidSaveTextDocument(doc => this.onSave(doc)));
    this.register(vscode.workspace.onDidCloseTextDocument(doc => this.onClose(doc)));
    this.register(vscode.workspace.onDidRenameFiles(e => this.onRename(e)));
    for (const doc of vscode.workspace.textDocuments) this.track(doc);
  }

  static trackable(doc: vscode.TextDocument): boolean {
    return doc.uri.scheme === 'file';
  }

  /** Resolves once every open document's stored attribution has been loaded (tests, commands). */
  async ready(): Promise<void> {
    for (let i = 0; i < 100 && [...this.docs.values()].some(d => !d.ready); i++)
      await new Promise(r => setTimeout(r, 20));
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
    this.accept?.settle(false);
    return new Promise(resolve => {
      const pending: PendingAccept = {
        path: doc.uri.fsPath,
        version: doc.version,
        event,
        settle: changed => {
          clearTimeout(pending.timer);
          if (this.accept === pending) this.accept = undefined;
          resolve(changed);
        },
        timer: setTimeout(() => pending.settle(false), ACCEPT_TIMEOUT_MS),
      };
      this.accept = pending;
    });
  }

  /** The accept command for `doc` returned: an accept still waiting for its edit produced none. */
  cancelAccept(doc: vscode.TextDocument): void {
    if (this.accept?.path === doc.uri.fsPath) this.accept.settle(false);
  }

  /** A paste of `text` is about to land in `doc` (from the paste provider). */
  expectPaste(doc: vscode.TextDocument, text: string): void {
    this.pastes.set(doc.uri.fsPath, text);
  }

  /** Text was copied from `range` of `doc`: remember its origins for a paste inside the editor. */
  copied(doc: vscode.TextDocument, offset: number, length: number): void {
    const text = doc.getText().slice(offset, offset + length);
    this.lastCopied = text.length > 1 ? { text, at: Date.now() } : undefined;
    this.apply({ t: 'copy', path: doc.uri.fsPath, offset, length });
  }

  chat(path: string, phase: 'start' | 'end', tool: AcceptEvent['tool'], model?: string): void {
    if (!this.engine.has(path)) return;
    this.apply(
      phase === 'start'
        ? { t: 'chat', path, phase, tool, ...(model !== undefined ? { model } : {}) }
        : { t: 'chat', path, phase },
    );
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
      const state = this.docs.get(doc.uri.fsPath);
      if (state) state.edited = true;
      this.schedulePersist(doc.uri.fsPath);
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
    const state = this.docs.get(path);
    if (state) state.edited = true;
    this.changed.fire(path);
    this.schedulePersist(path);
  }

  openPaths(): string[] {
    return [...this.docs.keys()].filter(p => this.engine.has(p));
  }

  // ---- VS Code events ----

  private track(doc: vscode.TextDocument): void {
    if (!ProvenanceTracker.trackable(doc)) return;
    const path = doc.uri.fsPath;
    if (this.docs.has(path)) return;
    const state: OpenDoc = { ready: false, queue: [], edited: false };
    this.docs.set(path, state);
    const text = doc.getText(); // the snapshot the queued events apply to
    void this.load(path, text, doc.languageId)
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

  /**
   * The attribution of a document as it opens, best source first: a stored record for exactly this text (under
   * this path, or any path: a file moved outside the editor); what this session knew of the file, re-anchored;
   * the file's last record, re-anchored from the text kept as a git blob; else unknown.
   */
  private async load(path: string, text: string, _languageId: string): Promise<void> {
    const repo = await this.repos.forFile(path);
    if (repo) {
      const blob = await repo.store.blobId(text);
      const exact = (await repo.store.readRuns(repo.repoPath, blob)) ?? (await repo.store.findByBlob(blob))[0];
      if (exact) {
        this.engine.restore(path, text, decodeRuns(exact.runs, text.length));
        this.apply({ t: 'open', path, text });
        return;
      }
    }
    if (this.engine.has(path)) {
      this.apply({ t: 'open', path, text });
      return;
    }
    if (repo) {
      const latest = await repo.store.readLatest(repo.repoPath);
      if (latest) {
        const old = (await readBlobs(repo.location.root, [latest.blob])).get(latest.blob);
        if (old && !isBinary(old)) {
          const oldText = old.toString('utf8');
          this.engine.restore(path, oldText, decodeRuns(latest.runs, oldText.length));
          this.apply({ t: 'open', path, text }); // re-anchors: kept text keeps its origin, the rest is unknown
          return;
        }
      }
    }
    // Nothing known: the text was there before we looked, written by someone we cannot tell.
    this.apply({ t: 'open', path, text, origin: 'unknown' });
  }

  /** Starts recording how long each change event takes in our handler, listeners included. */
  profileChanges(): { stop(): number[] } {
    const timings: number[] = [];
    this.timings = timings;
    return {
      stop: () => {
        if (this.timings === timings) this.timings = undefined;
        return timings;
      },
    };
  }

  private onChange(e: vscode.TextDocumentChangeEvent): void {
    if (!this.timings) return this.handleChange(e);
    const start = performance.now();
    this.handleChange(e);
    this.timings.push((performance.now() - start) * 1000);
  }

  private handleChange(e: vscode.TextDocumentChangeEvent): void {
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
    const reload = reason === undefined && !doc.isDirty && this.accept?.path !== path && matchesDisk(doc);
    if (reload) {
      // Not typed: the file was reloaded because it changed on disk.
      events.push({ t: 'disk', path, text: doc.getText() });
    } else {
      state.edited = true;
      if (this.accept && this.accept.path === path && reason === undefined) {
        events.push(this.accept.event);
        this.accept.settle(true);
      }
      let paste = this.pastes.get(path);
      this.pastes.delete(path);
      // Clipboard comparison: paste commands that bypass the paste provider (VS Code for the web's paste action,
      // some keybindings) still insert exactly the copied text, in one change, soon after the copy. Typing inserts
      // one character; a completion or a rename inserting the same text is not a single fresh change like that.
      const copied = this.lastCopied;
      if (
        paste === undefined &&
        copied &&
        Date.now() - copied.at < PASTE_WINDOW_MS &&
        e.contentChanges.length === 1 &&
        e.contentChanges[0]!.text === copied.text
      ) {
        paste = copied.text;
        this.lastCopied = undefined;
      }
      if (paste !== undefined) events.push({ t: 'paste', path, text: paste });
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
    else this.schedulePersist(path);
  }

  /** After a reload: if this exact text has a stored record (a branch switched back, an agent's edit), use it. */
  private async exactAfterReload(doc: vscode.TextDocument, path: string): Promise<void> {
    const version = doc.version;
    const repo = await this.repos.forFile(path);
    if (!repo) return;
    const text = doc.getText();
    const blob = await repo.store.blobId(text);
    const exact = (await repo.store.readRuns(repo.repoPath, blob)) ?? (await repo.store.findByBlob(blob))[0];
    const state = this.docs.get(path);
    if (!exact || !state?.ready || doc.version !== version || this.engine.text(path) !== text) return;
    this.engine.restore(path, text, decodeRuns(exact.runs, text.length));
    this.engine.apply({ t: 'open', path, text });
    this.changed.fire(path);
  }

  private onSave(doc: vscode.TextDocument): void {
    if (!ProvenanceTracker.trackable(doc) || !this.isTracked(doc.uri.fsPath)) return;
    this.apply({ t: 'save', path: doc.uri.fsPath });
    this.persistSoon(doc.uri.fsPath, false);
  }

  private onClose(doc: vscode.TextDocument): void {
    if (!ProvenanceTracker.trackable(doc)) return;
    const path = doc.uri.fsPath;
    const state = this.docs.get(path);
    if (!state) return;
    if (state.idle) clearTimeout(state.idle);
    this.docs.delete(path);
    this.pastes.delete(path);
    if (!this.engine.has(path)) return;
    // A document closed without saving goes back to what the disk has: its record is the one stored at save.
    if (!doc.isDirty && state.ready) this.persistSoon(path, false, state);
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
        void this.renameStored(from, to);
        continue;
      }
      // VS Code opens the new document before telling us of the rename: move the old attribution onto it.
      const text = this.engine.text(from);
      const runs = this.engine.runs(from);
      this.engine.forget(from);
      this.engine.restore(to, text, runs);
      this.recorder?.write({ t: 'rename', from, to });
      const moved = this.docs.get(to);
      if (moved) moved.edited = true;
      const open = vscode.workspace.textDocuments.find(d => d.uri.fsPath === to);
      if (open) this.apply({ t: 'open', path: to, text: open.getText() });
      this.changed.fire(to);
      this.persistSoon(to, true);
    }
  }

  /** A file renamed while closed: its stored record follows it. */
  private async renameStored(from: string, to: string): Promise<void> {
    const [oldRepo, newRepo] = await Promise.all([this.repos.forFile(from), this.repos.forFile(to)]);
    if (!oldRepo || !newRepo || oldRepo.location.stateDir !== newRepo.location.stateDir) return;
    const latest = await oldRepo.store.readLatest(oldRepo.repoPath);
    if (latest) await newRepo.store.writeRunsForBlob(newRepo.repoPath, latest.blob, latest.runs);
  }

  // ---- applying and storing ----

  private apply(event: ProvenanceEvent): void {
    try {
      this.engine.apply(event);
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

  /**
   * Stores a file's attribution once it has been idle for IDLE_PERSIST_MS. On the typing path this only notes
   * the time: one timer per document checks, and re-arms while changes keep coming.
   */
  private schedulePersist(path: string): void {
    const state = this.docs.get(path);
    if (!state) return;
    state.lastChange = Date.now();
    if (state.idle) return;
    const check = (): void => {
      const wait = (state.lastChange ?? 0) + IDLE_PERSIST_MS - Date.now();
      if (wait > 0) {
        state.idle = setTimeout(check, wait);
        return;
      }
      state.idle = undefined;
      this.persistSoon(path);
    };
    state.idle = setTimeout(check, IDLE_PERSIST_MS);
  }

  /**
   * Stores the document's attribution if something happened to it in the editor (see OpenDoc.edited); `force`
   * stores it anyway (a rename). The text and runs are taken now, so the document may be forgotten right after.
   */
  private persistSoon(path: string, force = false, state = this.docs.get(path)): void {
    if (!this.engine.has(path) || (!force && !state?.edited)) return;
    if (state) state.edited = false;
    const text = this.engine.text(path);
    const runs = this.engine.runs(path);
    const p = this.persist(path, text, runs).catch(error => {
      if (state) state.edited = true;
      this.logger.warn(`could not store the attribution of ${path}: ${(error as Error).message}`);
    });
    this.persisting.add(p);
    void p.finally(() => this.persisting.delete(p));
  }

  /** Stores a file's attribution keyed by the blob id of its text; for AI text, the text too (as a git blob). */
  private async persist(path: string, text: string, runs: Run[]): Promise<void> {
    const repo = await this.repos.forFile(path);
    if (!repo) return;
    await repo.store.writeRuns(repo.repoPath, text, encodeRuns(runs));
    if (runs.some(r => isAi(r.origin))) {
      // Lets a later session re-anchor from this text when the file has changed meanwhile.
      await writeBlob(repo.location.root, text);
    }
  }

  /** Stores every open document now and waits for all stores to finish (deactivate, tests). */
  async flush(): Promise<void> {
    for (const [path, state] of this.docs) {
      if (state.idle) clearTimeout(state.idle);
      state.idle = undefined;
      this.persistSoon(path, false, state);
    }
    await Promise.all([...this.persisting]);
  }

  override dispose(): void {
    for (const state of this.docs.values()) if (state.idle) clearTimeout(state.idle);
    this.accept?.settle(false);
    this.recorder?.close();
    super.dispose();
  }
}

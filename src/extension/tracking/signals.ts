import type * as vscode from 'vscode';
import type { AcceptEvent, ProvenanceEvent } from '../../core/attribution/events';

/** How long an accept command may take to produce its edit before we stop waiting for it. */
const ACCEPT_TIMEOUT_MS = 1000;
/** A paste that did not go through the paste provider is recognised by its text only this soon after the copy. */
const PASTE_WINDOW_MS = 60_000;

interface PendingAccept {
  path: string;
  event: AcceptEvent;
  settle: (changed: boolean) => void;
  timer: ReturnType<typeof setTimeout>;
}

/**
 * The signals that arrive just before an edit and say who wrote it (docs/capture.md): an accept command about to
 * run, a paste about to land, the text of the last copy. `eventsBefore` turns them into the normalized events
 * that go in front of the edit they explain, consuming them.
 */
export class CaptureSignals {
  private accept: PendingAccept | undefined;
  private readonly pastes = new Map<string, string>();
  /** The text of the last copy inside the editor: a paste that did not go through the paste provider is recognised by it. */
  private lastCopied: { text: string; at: number } | undefined;

  /** Whether an accept is waiting for its edit in `path` (a clean change there is then not a reload). */
  acceptPending(path: string): boolean {
    return this.accept?.path === path;
  }

  /**
   * An accept command is about to run on `doc`: its next edit is the AI's. Resolves true when that edit came,
   * false when none came in time (nothing was accepted, or a next-edit suggestion only moved the cursor).
   */
  expectAccept(doc: vscode.TextDocument, event: AcceptEvent): Promise<boolean> {
    this.accept?.settle(false);
    return new Promise(resolve => {
      const pending: PendingAccept = {
        path: doc.uri.fsPath,
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

  /** The accept command for `path` returned: an accept still waiting for its edit produced none. */
  cancelAccept(path: string): void {
    if (this.accept?.path === path) this.accept.settle(false);
  }

  /** A paste of `text` is about to land in `path` (from the paste provider). */
  expectPaste(path: string, text: string): void {
    this.pastes.set(path, text);
  }

  /** Text was copied inside the editor. */
  copied(text: string): void {
    this.lastCopied = text.length > 1 ? { text, at: Date.now() } : undefined;
  }

  /**
   * The events that explain an edit of `path` before it is applied: the pending accept's (unless the edit is an
   * undo or redo), and a paste's. `single` is the text of the edit when it is one change.
   */
  eventsBefore(path: string, undoOrRedo: boolean, single: string | undefined): ProvenanceEvent[] {
    const events: ProvenanceEvent[] = [];
    if (this.accept && this.accept.path === path && !undoOrRedo) {
      events.push(this.accept.event);
      this.accept.settle(true);
    }
    let paste = this.pastes.get(path);
    this.pastes.delete(path);
    // Clipboard comparison: paste commands that bypass the paste provider (VS Code for the web's paste action,
    // some keybindings) still insert exactly the copied text, in one change, soon after the copy. Typing inserts
    // one character; a completion or a rename inserting the same text is not a single fresh change like that.
    const copied = this.lastCopied;
    if (paste === undefined && copied && Date.now() - copied.at < PASTE_WINDOW_MS && single === copied.text) {
      paste = copied.text;
      this.lastCopied = undefined;
    }
    if (paste !== undefined) events.push({ t: 'paste', path, text: paste });
    return events;
  }

  /** The document closed: its pending paste goes. */
  forget(path: string): void {
    this.pastes.delete(path);
  }

  dispose(): void {
    this.accept?.settle(false);
  }
}

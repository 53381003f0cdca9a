import type { AcceptKind, TextChange } from './events';
import { HUMAN, type AiKind, type AiOrigin, type OriginFactory, type Run, type Tool } from './origin';

/**
 * The capture state machine (docs/capture.md and docs/formats.md, replay traces): remembers the signals that arrive just before an edit
 * (an accept, a paste, a chat session, a copy) and decides the origin of the text that edit inserts.
 *
 * Rules, in order of precedence, for one edit event that is not an undo or redo:
 * 1. A pending `accept` (from any path: the accept command does not say which document it edits) makes all text
 *    the event inserts AI, one origin for the event, kind `inline` / `partial` (word, line) / `nes`.
 * 2. A pending `paste` on this path: each change whose text is exactly the pasted text takes the origins of the
 *    characters the last `copy` copied when the pasted text equals the copied text, else human (a paste from
 *    outside the editor is human unless someone marks it).
 * 3. An open chat session on this path: the text is a `chat` edit of that session's tool and model.
 * 4. Otherwise: human typing.
 *
 * Consumption: the next non-empty edit event consumes a pending accept (whatever its path) and the next one on
 * the paste's path consumes a pending paste, whether or not it matched. A paste that did not land as announced
 * (an auto-indented paste, a multi-cursor split) therefore becomes human rather than waiting to mislabel some
 * later keystroke that happens to type the same text. Undo and redo events consume signals too; their origins
 * come from the undo history instead.
 */
export interface PendingAccept {
  kind: AcceptKind;
  tool: Tool;
  model?: string;
}

interface Copied {
  text: string;
  runs: readonly Run[];
}

interface ChatSession {
  origin: AiOrigin;
}

export function acceptKind(kind: AcceptKind): AiKind {
  return kind === 'word' || kind === 'line' ? 'partial' : kind;
}

export class Capture {
  private accepted: PendingAccept | undefined;
  private copied: Copied | undefined;
  private readonly pastes = new Map<string, string>();
  private readonly chats = new Map<string, ChatSession>();

  constructor(private readonly origins: OriginFactory) {}

  accept(signal: PendingAccept): void {
    this.accepted = { ...signal };
  }

  /** Remembers what a copy took: its text and the origins of its characters. */
  copy(text: string, runs: readonly Run[]): void {
    this.copied = { text, runs };
  }

  paste(path: string, text: string): void {
    this.pastes.set(path, text);
  }

  chatStart(path: string, tool: Tool, model?: string): void {
    const fields: { tool: Tool; kind: AiKind; model?: string } = { tool, kind: 'chat' };
    if (model !== undefined) fields.model = model;
    this.chats.set(path, { origin: this.origins.ai(fields) });
  }

  chatEnd(path: string): void {
    this.chats.delete(path);
  }

  inChat(path: string): boolean {
    return this.chats.has(path);
  }

  /** The origin of what the chat editing session that holds `path` writes, if one does. */
  chatOrigin(path: string): AiOrigin | undefined {
    return this.chats.get(path)?.origin;
  }

  /** The document was closed: signals aimed at it can no longer land. */
  forget(path: string): void {
    this.pastes.delete(path);
    this.chats.delete(path);
  }

  renamed(from: string, to: string): void {
    this.forget(to);
    const paste = this.pastes.get(from);
    if (paste !== undefined) {
      this.pastes.set(to, paste);
      this.pastes.delete(from);
    }
    const chat = this.chats.get(from);
    if (chat) {
      this.chats.set(to, chat);
      this.chats.delete(from);
    }
  }

  /** An undo or redo event on `path` arrived: it consumes the signals an edit would have, and uses none. */
  consume(path: string): void {
    this.accepted = undefined;
    this.pastes.delete(path);
  }

  /**
   * The origins of each change's inserted text, for one non-undo edit event on `path`, and for each change the AI
   * that made it when one did (an accept, a chat edit that is not a paste): what that change removed, that AI
   * removed. Consumes signals.
   */
  originsFor(path: string, changes: readonly TextChange[]): { runs: Run[][]; removers: (AiOrigin | undefined)[] } {
    const accepted = this.accepted;
    const paste = this.pastes.get(path);
    this.accepted = undefined;
    if (paste !== undefined) this.pastes.delete(path);

    if (accepted) {
      const fields: { tool: Tool; kind: AiKind; model?: string } = {
        tool: accepted.tool,
        kind: acceptKind(accepted.kind),
      };
      if (accepted.model !== undefined) fields.model = accepted.model;
      const origin = this.origins.ai(fields);
      return {
        runs: changes.map(c => (c.text.length > 0 ? [{ length: c.text.length, origin }] : [])),
        removers: changes.map(() => origin),
      };
    }
    const chat = this.chats.get(path);
    const copied = this.copied;
    const runs = changes.map((c): Run[] => {
      if (c.text.length === 0) return [];
      if (paste !== undefined && c.text === paste) {
        return copied && copied.text === paste ? copied.runs.slice() : [{ length: c.text.length, origin: HUMAN }];
      }
      return [{ length: c.text.length, origin: chat ? chat.origin : HUMAN }];
    });
    const removers = changes.map(c => (chat && !(paste !== undefined && c.text === paste) ? chat.origin : undefined));
    return { runs, removers };
  }
}

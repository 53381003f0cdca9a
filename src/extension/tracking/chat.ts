import * as vscode from 'vscode';
import type { Tool } from '../../core/attribution/origin';
import { Disposable } from '../platform/lifecycle';
import type { ProvenanceTracker } from './tracker';

/**
 * In-editor chat and agent edits (docs/capture.md, signal 3), best effort for VS Code 1.100 to 1.108: while a
 * chat editing session holds a file, VS Code keeps a `chat-editing-text-model:` document whose path is the
 * file's. Edits to the file while such a document is open are the chat's. VS Code 1.109+ agent hooks report
 * edits exactly through `ai-provenance agent-hook vscode`.
 */
export const CHAT_EDITING_SCHEME = 'chat-editing-text-model';

export class ChatEditingWatcher extends Disposable {
  private readonly sessions = new Map<string, number>();

  constructor(
    private readonly tracker: ProvenanceTracker,
    private readonly tool: () => Tool,
  ) {
    super();
    this.register(vscode.workspace.onDidOpenTextDocument(doc => this.opened(doc)));
    this.register(vscode.workspace.onDidCloseTextDocument(doc => this.closed(doc)));
    for (const doc of vscode.workspace.textDocuments) this.opened(doc);
  }

  private fileOf(doc: vscode.TextDocument): string | undefined {
    return doc.uri.scheme === CHAT_EDITING_SCHEME && doc.uri.path ? vscode.Uri.file(doc.uri.path).fsPath : undefined;
  }

  private opened(doc: vscode.TextDocument): void {
    const file = this.fileOf(doc);
    if (!file) return;
    const count = (this.sessions.get(file) ?? 0) + 1;
    this.sessions.set(file, count);
    if (count === 1) this.tracker.chat(file, 'start', this.chatTool());
  }

  private closed(doc: vscode.TextDocument): void {
    const file = this.fileOf(doc);
    if (!file) return;
    const count = (this.sessions.get(file) ?? 1) - 1;
    if (count > 0) return void this.sessions.set(file, count);
    this.sessions.delete(file);
    this.tracker.chat(file, 'end', this.chatTool());
  }

  /** VS Code's chat is Copilot's unless another AI extension is the one installed. */
  private chatTool(): Tool {
    const tool = this.tool();
    return tool === 'ai' ? 'copilot' : tool;
  }
}

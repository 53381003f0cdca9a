import * as vscode from 'vscode';
import { Disposable } from '../platform/lifecycle';

/** The scheme of review packets: read-only documents that exist only while the window does. */
export const PACKET_SCHEME = 'ai-provenance-packet';

/**
 * Review packets as read-only documents (never a dirty Untitled buffer that asks to be saved on close), shown
 * rendered in VS Code's markdown preview; where the preview is missing, as the read-only markdown text.
 */
export class PacketDocuments extends Disposable implements vscode.TextDocumentContentProvider {
  private readonly packets = new Map<string, string>();
  private readonly changed = this.register(new vscode.EventEmitter<vscode.Uri>());
  readonly onDidChange = this.changed.event;

  constructor() {
    super();
    this.register(vscode.workspace.registerTextDocumentContentProvider(PACKET_SCHEME, this));
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.packets.get(uri.path) ?? '';
  }

  /** Shows `markdown` as a packet named `name` (a file name ending in .md), rendered. Returns its URI. */
  async show(name: string, markdown: string): Promise<vscode.Uri> {
    const uri = vscode.Uri.from({ scheme: PACKET_SCHEME, path: `/${name}` });
    this.packets.set(uri.path, markdown);
    this.changed.fire(uri);
    // The built-in markdown extension activates on its command; without it, the read-only text.
    try {
      await vscode.commands.executeCommand('markdown.showPreview', uri);
    } catch {
      await vscode.window.showTextDocument(uri, { preview: false });
    }
    return uri;
  }
}

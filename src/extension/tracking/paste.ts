import * as vscode from 'vscode';
import type { ProvenanceTracker } from './tracker';

/** Our marker in the clipboard's data transfer: set on copy inside the editor. */
const COPY_MIME = 'application/vnd.ai-provenance.copy';

/**
 * Copy and paste inside the editor (docs/capture.md, signal 4). On copy, the origins of the copied text are
 * remembered; on paste, the tracker is told which text is about to land, and the engine gives it the copied
 * origins when it is that same text (else a paste is human). We never change what is pasted: no edits returned.
 */
export class ProvenancePasteProvider implements vscode.DocumentPasteEditProvider {
  constructor(private readonly tracker: ProvenanceTracker) {}

  prepareDocumentPaste(
    document: vscode.TextDocument,
    ranges: readonly vscode.Range[],
    dataTransfer: vscode.DataTransfer,
  ): void {
    // One range: its origins can follow it. Several (multi-cursor copy) paste as joined text: treated as human.
    if (ranges.length !== 1 || ranges[0]!.isEmpty) return;
    const offset = document.offsetAt(ranges[0]!.start);
    this.tracker.copied(document, offset, document.offsetAt(ranges[0]!.end) - offset);
    dataTransfer.set(COPY_MIME, new vscode.DataTransferItem('1'));
  }

  async provideDocumentPasteEdits(
    document: vscode.TextDocument,
    _ranges: readonly vscode.Range[],
    dataTransfer: vscode.DataTransfer,
  ): Promise<vscode.DocumentPasteEdit[] | undefined> {
    const text = await dataTransfer.get('text/plain')?.asString();
    if (text) this.tracker.expectPaste(document, text);
    return undefined;
  }
}

export function registerPasteProvider(tracker: ProvenanceTracker): vscode.Disposable {
  return vscode.languages.registerDocumentPasteEditProvider({ scheme: 'file' }, new ProvenancePasteProvider(tracker), {
    providedPasteEditKinds: [],
    copyMimeTypes: [COPY_MIME],
    pasteMimeTypes: ['text/plain'],
  });
}

import * as vscode from 'vscode';
import { commitOfLine } from '../../io/git/queries';
import type { LineReport } from '../../core/attribution/lines';
import type { AiOrigin } from '../../core/attribution/origin';
import { Disposable } from '../platform/lifecycle';
import type { Settings } from '../platform/settings';
import type { ProvenanceTracker } from '../tracking/tracker';

const DEBOUNCE_MS = 150;

/**
 * Gutter and overview-ruler marks on AI lines (ai and mixed look different) and a hover that says who wrote a
 * line. Decoration types are made once; only visible editors are recomputed, debounced off the typing path.
 */
export class Decorations extends Disposable implements vscode.HoverProvider {
  private readonly ai: vscode.TextEditorDecorationType;
  private readonly mixed: vscode.TextEditorDecorationType;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly dirty = new Set<string>();
  /** Paths shown in an editor, kept current from VS Code's events: the typing path must not ask for them. */
  private visible = new Set<string>();

  constructor(
    extensionUri: vscode.Uri,
    private readonly tracker: ProvenanceTracker,
    private readonly settings: Settings,
  ) {
    super();
    const color = new vscode.ThemeColor('aiProvenance.aiLineForeground');
    this.ai = this.register(
      vscode.window.createTextEditorDecorationType({
        gutterIconPath: vscode.Uri.joinPath(extensionUri, 'media', 'gutter-ai.svg'),
        gutterIconSize: 'contain',
        overviewRulerColor: color,
        overviewRulerLane: vscode.OverviewRulerLane.Left,
        isWholeLine: true,
      }),
    );
    this.mixed = this.register(
      vscode.window.createTextEditorDecorationType({
        gutterIconPath: vscode.Uri.joinPath(extensionUri, 'media', 'gutter-mixed.svg'),
        gutterIconSize: 'contain',
        overviewRulerColor: new vscode.ThemeColor('aiProvenance.mixedLineForeground'),
        overviewRulerLane: vscode.OverviewRulerLane.Left,
        isWholeLine: true,
      }),
    );
    this.register(tracker.onDidChange(path => this.schedule(path)));
    this.register(vscode.window.onDidChangeVisibleTextEditors(() => this.scheduleAll()));
    this.updateVisible();
    this.register(settings.onDidChange(() => this.scheduleAll()));
    this.register(vscode.languages.registerHoverProvider({ scheme: 'file' }, this));
    this.scheduleAll();
  }

  private updateVisible(): void {
    this.visible = new Set(vscode.window.visibleTextEditors.map(e => e.document.uri.fsPath));
  }

  private scheduleAll(): void {
    this.updateVisible();
    for (const p of this.visible) this.dirty.add(p);
    this.arm();
  }

  private schedule(path: string): void {
    if (!this.visible.has(path)) return;
    this.dirty.add(path);
    this.arm();
  }

  private arm(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.render();
    }, DEBOUNCE_MS);
  }

  /** Recomputes the marks of the visible editors whose attribution changed. Also what the tests call. */
  render(): void {
    const paths = new Set(this.dirty);
    this.dirty.clear();
    for (const editor of vscode.window.visibleTextEditors) {
      const path = editor.document.uri.fsPath;
      if (!paths.has(path)) continue;
      const { ai, mixed } = this.rangesFor(editor.document);
      editor.setDecorations(this.ai, ai);
      editor.setDecorations(this.mixed, mixed);
    }
  }

  rangesFor(doc: vscode.TextDocument): { ai: vscode.Range[]; mixed: vscode.Range[] } {
    const path = doc.uri.fsPath;
    const ai: vscode.Range[] = [];
    const mixed: vscode.Range[] = [];
    if (!this.settings.values.decorations || !this.tracker.isTracked(path)) return { ai, mixed };
    const { classes } = this.tracker.engine.lines(path);
    for (let i = 0; i < classes.length && i < doc.lineCount; i++) {
      const cls = classes[i];
      if (cls === 'a') ai.push(new vscode.Range(i, 0, i, 0));
      else if (cls === 'm') mixed.push(new vscode.Range(i, 0, i, 0));
    }
    return { ai, mixed };
  }

  async provideHover(doc: vscode.TextDocument, position: vscode.Position): Promise<vscode.Hover | undefined> {
    const path = doc.uri.fsPath;
    if (!this.settings.values.decorations || !this.tracker.isTracked(path)) return undefined;
    const report: LineReport = this.tracker.engine.lines(path);
    const cls = report.classes[position.line];
    const origin = report.dominant[position.line];
    if ((cls !== 'a' && cls !== 'm') || !origin) return undefined;
    const md = describe(cls, origin);
    // Line numbers match the file on disk only while the document is saved.
    if (!doc.isDirty) {
      const commit = await committedIn(path, position.line + 1);
      md.appendMarkdown('\n\n');
      md.appendMarkdown(
        commit ? vscode.l10n.t('Committed in {0}', commit.slice(0, 12)) : vscode.l10n.t('Not committed yet'),
      );
    }
    return new vscode.Hover(md, doc.lineAt(position.line).range);
  }

  override dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    super.dispose();
  }
}

/** The commit that last changed line `line` (1-based) of the saved file, or undefined when it is not committed. */
function committedIn(file: string, line: number): Promise<string | undefined> {
  return commitOfLine(file, line).catch(() => undefined);
}

export function describe(cls: 'a' | 'm', origin: AiOrigin): vscode.MarkdownString {
  const md = new vscode.MarkdownString();
  md.appendMarkdown(
    cls === 'a' ? vscode.l10n.t('**AI-written line**') : vscode.l10n.t('**Mixed line**: AI and human edits'),
  );
  md.appendMarkdown('\n\n');
  md.appendMarkdown(vscode.l10n.t('Tool: {0} · Kind: {1}', origin.tool, origin.kind));
  if (origin.model) md.appendMarkdown(vscode.l10n.t(' · Model: {0}', origin.model));
  md.appendMarkdown('\n\n');
  md.appendMarkdown(vscode.l10n.t('Written: {0}', new Date(origin.at).toLocaleString()));
  return md;
}

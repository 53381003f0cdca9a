import * as vscode from 'vscode';
import { commitOfLine } from '../../io/git/queries';
import type { LineReport } from '../../core/attribution/lines';
import type { AiOrigin } from '../../core/attribution/origin';
import { escapeMarkdown } from '../../core/review/packet';
import { Disposable } from '../platform/lifecycle';
import type { Settings } from '../platform/settings';
import type { ProvenanceTracker } from '../tracking/tracker';

const DEBOUNCE_MS = 150;
/** Hovers kept between renders; past this many the cache starts again. */
const MAX_HOVERS = 2000;

/**
 * Gutter and overview-ruler marks on AI lines (ai and mixed look different). Each mark carries a hover (the
 * decoration's hoverMessage: tool, kind, model, time, and how to mark the lines human); a hover provider adds the
 * commit that holds the line, which needs git. Decoration types are made once; only visible editors are recomputed,
 * debounced off the typing path.
 */
export class Decorations extends Disposable implements vscode.HoverProvider {
  private readonly ai: vscode.TextEditorDecorationType;
  private readonly mixed: vscode.TextEditorDecorationType;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly dirty = new Set<string>();
  /** The marks' hovers, one per distinct origin, kept between renders (lines of one edit share theirs). */
  private readonly hovers = new Map<string, vscode.MarkdownString>();
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
      const { ai, mixed } = this.optionsFor(editor.document);
      editor.setDecorations(this.ai, ai);
      editor.setDecorations(this.mixed, mixed);
    }
  }

  rangesFor(doc: vscode.TextDocument): { ai: vscode.Range[]; mixed: vscode.Range[] } {
    const { ai, mixed } = this.optionsFor(doc);
    return { ai: ai.map(o => o.range), mixed: mixed.map(o => o.range) };
  }

  /** The hover of the mark on line `line` (0-based), as markdown (tests). */
  hoverAt(doc: vscode.TextDocument, line: number): string | undefined {
    const { ai, mixed } = this.optionsFor(doc);
    const found = [...ai, ...mixed].find(o => o.range.start.line === line)?.hoverMessage;
    return found instanceof vscode.MarkdownString ? found.value : undefined;
  }

  /** The marks of a document: one per AI or mixed line, each with its hover (shared between lines alike). */
  private optionsFor(doc: vscode.TextDocument): { ai: vscode.DecorationOptions[]; mixed: vscode.DecorationOptions[] } {
    const path = doc.uri.fsPath;
    const ai: vscode.DecorationOptions[] = [];
    const mixed: vscode.DecorationOptions[] = [];
    if (!this.settings.values.decorations || !this.tracker.isTracked(path)) return { ai, mixed };
    const { classes, dominant } = this.tracker.engine.lines(path);
    const hover = (cls: 'a' | 'm', origin: AiOrigin | undefined): vscode.MarkdownString | undefined => {
      if (!origin) return undefined;
      const key = `${cls}\0${origin.tool}\0${origin.kind}\0${origin.model ?? ''}\0${origin.at}`;
      let md = this.hovers.get(key);
      if (!md) {
        if (this.hovers.size >= MAX_HOVERS) this.hovers.clear();
        this.hovers.set(key, (md = markHover(cls, origin)));
      }
      return md;
    };
    for (let i = 0; i < classes.length && i < doc.lineCount; i++) {
      const cls = classes[i];
      if (cls !== 'a' && cls !== 'm') continue;
      const hoverMessage = hover(cls, dominant[i]);
      const option: vscode.DecorationOptions = {
        range: new vscode.Range(i, 0, i, 0),
        ...(hoverMessage ? { hoverMessage } : {}),
      };
      (cls === 'a' ? ai : mixed).push(option);
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
    // Who wrote the line is the mark's own hover; this adds the commit. Line numbers match the file on disk only
    // while the document is saved.
    if (doc.isDirty) return undefined;
    const commit = await committedIn(path, position.line + 1);
    const md = new vscode.MarkdownString(
      commit ? vscode.l10n.t('Committed in {0}', commit.slice(0, 12)) : vscode.l10n.t('Not committed yet'),
    );
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

/**
 * The hover of an AI line's mark: who wrote it and how to say a person did. Tool, kind and model come from agents'
 * payloads and stored records, so they are escaped: they cannot add markup, links or HTML.
 */
export function markHover(cls: 'a' | 'm', origin: AiOrigin): vscode.MarkdownString {
  const md = new vscode.MarkdownString();
  md.appendMarkdown(
    cls === 'a' ? vscode.l10n.t('**AI-written line**') : vscode.l10n.t('**Mixed line**: AI and human edits'),
  );
  md.appendMarkdown('\n\n');
  md.appendMarkdown(vscode.l10n.t('Tool: {0} · Kind: {1}', escapeMarkdown(origin.tool), escapeMarkdown(origin.kind)));
  if (origin.model) md.appendMarkdown(vscode.l10n.t(' · Model: {0}', escapeMarkdown(origin.model)));
  md.appendMarkdown('\n\n');
  md.appendMarkdown(escapeMarkdown(vscode.l10n.t('Written: {0}', new Date(origin.at).toLocaleString())));
  md.appendMarkdown('\n\n');
  md.appendMarkdown(
    vscode.l10n.t(
      'Not written by an AI? Select the lines and run **Mark Selection as Human-Written** (editor context menu).',
    ),
  );
  return md;
}

import * as vscode from 'vscode';
import { Commands } from '../platform/ids';
import { Disposable } from '../platform/lifecycle';
import type { Settings } from '../platform/settings';
import type { ProvenanceTracker } from '../tracking/tracker';

/** The share of AI lines (ai and mixed) in the active file; a click opens the sidebar. */
export class AiShareStatusBar extends Disposable {
  readonly item: vscode.StatusBarItem;
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** Whether the item is shown (StatusBarItem cannot tell). */
  shown = false;
  private shownPath: string | undefined;

  constructor(
    private readonly tracker: ProvenanceTracker,
    private readonly settings: Settings,
  ) {
    super();
    this.item = this.register(
      vscode.window.createStatusBarItem('aiProvenance.aiShare', vscode.StatusBarAlignment.Right, 100),
    );
    this.item.name = vscode.l10n.t('AI Provenance: AI lines');
    this.item.command = Commands.openSidebar;
    this.register(vscode.window.onDidChangeActiveTextEditor(() => this.update()));
    // Compared with the path update() last showed: the typing path does not ask VS Code for the active editor.
    this.register(
      tracker.onDidChange(path => {
        if (path === this.shownPath) this.schedule();
      }),
    );
    this.register(settings.onDidChange(() => this.update()));
    this.update();
  }

  private schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.update();
    }, 200);
  }

  update(): void {
    const doc = vscode.window.activeTextEditor?.document;
    this.shownPath = doc?.uri.fsPath;
    if (!this.settings.values.statusBar || !doc || !this.tracker.isTracked(doc.uri.fsPath)) {
      this.item.hide();
      this.shown = false;
      return;
    }
    const s = this.tracker.engine.summary(doc.uri.fsPath);
    const total = s.ai + s.mixed + s.human + s.unknown;
    const share = total === 0 ? 0 : Math.round(((s.ai + s.mixed) / total) * 100);
    this.item.text = `$(sparkle) ${vscode.l10n.t('AI {0}%', share)}`;
    this.item.tooltip = vscode.l10n.t(
      '{0} AI, {1} mixed, {2} human, {3} unknown lines in this file. Click to open AI Provenance.',
      s.ai,
      s.mixed,
      s.human,
      s.unknown,
    );
    this.item.show();
    this.shown = true;
  }

  override dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    super.dispose();
  }
}

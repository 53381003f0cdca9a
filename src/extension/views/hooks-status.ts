import * as path from 'node:path';
import * as vscode from 'vscode';
import type { GitHooksSetup } from '../commands/git-hooks';
import { Commands } from '../platform/ids';
import { Disposable } from '../platform/lifecycle';

/**
 * A warning in the status bar while a repository of the workspace lacks our git hooks and nobody said "Not for This
 * Repository": the one-time prompt slips into the notification centre within seconds, this stays. A click runs
 * Install Git Hooks for that repository; the item goes once the hooks are in.
 */
export class HooksStatusItem extends Disposable {
  readonly item: vscode.StatusBarItem;
  /** Whether the item is shown (StatusBarItem cannot tell). */
  shown = false;

  constructor(hooks: GitHooksSetup) {
    super();
    this.item = this.register(
      vscode.window.createStatusBarItem('aiProvenance.hooksMissing', vscode.StatusBarAlignment.Left, 0),
    );
    this.item.name = vscode.l10n.t('AI Provenance: git hooks missing');
    this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
    this.register(hooks.onDidChangeMissing(roots => this.update(roots)));
    this.update(hooks.missing);
  }

  private update(roots: readonly string[]): void {
    const root = roots[0];
    if (root === undefined) {
      this.item.hide();
      this.shown = false;
      return;
    }
    const names = roots.map(r => path.basename(r)).join(', ');
    this.item.text = `$(warning) ${vscode.l10n.t('AI hooks missing')}`;
    this.item.tooltip =
      roots.length === 1
        ? vscode.l10n.t(
            'The git hooks of AI Provenance are not installed in {0}: its commits get no AI trailers and no note. Click to install them.',
            names,
          )
        : vscode.l10n.t(
            'The git hooks of AI Provenance are not installed in {0}: their commits get no AI trailers and no note. Click to install them in {1}.',
            names,
            path.basename(root),
          );
    this.item.accessibilityInformation = { label: vscode.l10n.t('AI Provenance git hooks missing in {0}', names) };
    this.item.command = {
      command: Commands.installHooks,
      title: vscode.l10n.t('Install Git Hooks'),
      arguments: [root],
    };
    this.item.show();
    this.shown = true;
  }
}

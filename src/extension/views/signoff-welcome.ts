import * as vscode from 'vscode';
import { Commands, ContextKeys } from '../platform/ids';
import { Disposable } from '../platform/lifecycle';
import type { SignoffModel, SignoffState } from './signoff-model';

/**
 * Which welcome the empty Needs Sign-off view shows (the `aiProvenance.signoffView` context key, matched by the
 * manifest's viewsWelcome); `waiting` means the tree has rows, and no welcome shows.
 */
export type SignoffWelcomeKey =
  'loading' | 'noRepository' | 'noBase' | 'error' | 'badPolicy' | 'noRoster' | 'nothingWaiting' | 'waiting';

export function welcomeKey(state: SignoffState): SignoffWelcomeKey {
  switch (state.kind) {
    case 'loading':
    case 'noRepository':
    case 'noBase':
      return state.kind;
    case 'error':
      return state.policyFile ? 'badPolicy' : 'error';
    case 'ready': {
      if (state.waiting.length + state.uncommitted.length > 0) return 'waiting';
      return state.review.roster && !state.review.roster.isEmpty ? 'nothingWaiting' : 'noRoster';
    }
  }
}

/**
 * Sets the view's welcome key as the model changes. The view sets no `message` (a message hides the welcome and
 * its buttons); the words of an error the welcome cannot hold (which key of the policy, what git said) come once
 * per error as a warning with the next step, when the view is on screen.
 */
export class SignoffWelcome extends Disposable {
  private currentKey: SignoffWelcomeKey = 'loading';
  private pending: Extract<SignoffState, { kind: 'error' }> | undefined;
  private lastShown: string | undefined;

  constructor(
    model: SignoffModel,
    private readonly view: vscode.TreeView<unknown>,
  ) {
    super();
    this.register(model.onDidChange(state => this.update(state)));
    this.register(view.onDidChangeVisibility(() => this.tell()));
    this.update(model.state);
  }

  /** The key the view shows now (tests). */
  get key(): SignoffWelcomeKey {
    return this.currentKey;
  }

  private update(state: SignoffState): void {
    this.currentKey = welcomeKey(state);
    void vscode.commands.executeCommand('setContext', ContextKeys.signoffView, this.currentKey);
    if (state.kind !== 'error') {
      this.pending = undefined;
      this.lastShown = undefined;
      return;
    }
    this.pending = state.message === this.lastShown ? undefined : state;
    this.tell();
  }

  private tell(): void {
    const error = this.pending;
    if (!error || !this.view.visible) return;
    this.pending = undefined;
    this.lastShown = error.message;
    const open = vscode.l10n.t('Open Policy File');
    const log = vscode.l10n.t('Show Log');
    const refresh = vscode.l10n.t('Refresh');
    const text = error.policyFile
      ? vscode.l10n.t(
          'The sign-off policy does not read: {0}. Fix the file and merge the fix into {1}: sign-off reads it from there. Then Refresh.',
          error.message,
          error.policyFile.base,
        )
      : vscode.l10n.t(
          'Needs Sign-off could not read this branch: {0}. The log has the details; Refresh to try again.',
          error.message,
        );
    const actions = error.policyFile ? [open, refresh] : [log, refresh];
    void vscode.window.showWarningMessage(text, ...actions).then(answer => {
      if (answer === open) void vscode.commands.executeCommand(Commands.openPolicyFile);
      else if (answer === log) void vscode.commands.executeCommand(Commands.showLog);
      else if (answer === refresh) void vscode.commands.executeCommand(Commands.refresh);
    });
  }
}

import * as vscode from 'vscode';
import type { AcceptKind } from '../../core/attribution/events';
import { ACCEPT_KEYS, type AcceptKeyFeatures } from '../../core/accept-keys';
import type { Logger } from '../../core/log';
import type { Tool } from '../../core/attribution/origin';
import { toolFromExtensions } from '../../core/agents/table';
import { Disposable } from '../platform/lifecycle';
import { ProvenanceTracker } from './tracker';

/**
 * The tool inline suggestions are credited to when the setting says `auto`. The inline completion API does not
 * say which provider a suggestion came from, so the installed AI extension (the agent table's extension ids) is
 * the hint; with none, or several, the tool is `ai` (an AI we cannot name).
 */
export function detectTool(): Tool {
  return toolFromExtensions(vscode.extensions.all.map(ext => ext.id));
}

/** VS Code's own accept commands. */
export const BUILTIN_ACCEPT: Record<AcceptKind, string> = {
  inline: ACCEPT_KEYS.commit.command,
  word: ACCEPT_KEYS.nextWord.command,
  line: 'editor.action.inlineSuggest.acceptNextLine',
  nes: ACCEPT_KEYS.commit.command,
};

/**
 * Newer VS Code's other way to accept a next edit suggestion (Shift+Tab, where the suggestion offers an alternative
 * action): an accept of kind `nes` too. Older VS Code has no such command, nor the context key our binding of it
 * needs (package.json), so there it never runs.
 */
export const ALTERNATIVE_ACCEPT = 'editor.action.inlineSuggest.commitAlternativeAction';

/**
 * Runs VS Code's accept commands and attributes the edit each makes. Our keybindings use VS Code's own `when`
 * clauses, so Tab reaches us only when VS Code would accept; the edit is recognised by the document's next
 * change event (waited for by document version, not by the command's return value).
 *
 * Shadowing (setting): accepts from the ghost text toolbar or a menu call VS Code's command ids directly. When
 * shadowing is on we register those ids too; the latest registration of an id is the one VS Code runs, so the
 * call reaches us. To run the real command we step aside for that one call and register again.
 */
export class AcceptController extends Disposable {
  private readonly shadows = new Map<string, vscode.Disposable>();
  private shadowing = false;

  constructor(
    private readonly tracker: ProvenanceTracker,
    private readonly tool: () => Tool,
    private readonly logger: Logger,
  ) {
    super();
  }

  async accept(kind: AcceptKind, command: string = BUILTIN_ACCEPT[kind]): Promise<void> {
    const editor = vscode.window.activeTextEditor;
    if (!editor || !ProvenanceTracker.trackable(editor.document)) return this.runBuiltin(command);
    const outcome = this.tracker.expectAccept(editor.document, { t: 'accept', kind, tool: this.tool() });
    await this.runBuiltin(command);
    // The edit of an accept reaches us before the command returns; if none came, nothing was accepted (or a next
    // edit suggestion only moved the cursor): the next keystroke must not be taken for the AI's.
    this.tracker.cancelAccept(editor.document);
    const accepted = await outcome;
    this.logger.debug(
      `${command}: ${accepted ? 'accepted text attributed to AI' : 'no edit followed (nothing accepted, or a jump)'}`,
    );
  }

  /**
   * Tab's accept, from our keybinding. Until this VS Code's accept keys are read (accept-keys.ts), or when they
   * cannot be, our binding has VS Code 1.100's condition, broader than newer VS Code's: where this VS Code's Tab
   * indents a selection instead of accepting, Tab indents it here too.
   */
  async acceptFromTab(acceptKeys: Promise<AcceptKeyFeatures | undefined>): Promise<void> {
    const features = await acceptKeys;
    const editor = vscode.window.activeTextEditor;
    if (features?.tabSkipsSelection && editor && !editor.selection.isEmpty) {
      await vscode.commands.executeCommand('tab');
      return;
    }
    await this.accept('inline');
  }

  /** Runs VS Code's command itself, stepping aside if we shadow its id. */
  private async runBuiltin(command: string): Promise<void> {
    const shadow = this.shadows.get(command);
    if (!shadow) {
      await vscode.commands.executeCommand(command);
      return;
    }
    shadow.dispose();
    this.shadows.delete(command);
    try {
      await vscode.commands.executeCommand(command);
    } finally {
      if (this.shadowing) this.shadow(command);
    }
  }

  setShadowing(on: boolean): void {
    this.shadowing = on;
    if (!on) {
      for (const d of this.shadows.values()) d.dispose();
      this.shadows.clear();
      return;
    }
    for (const command of new Set(Object.values(BUILTIN_ACCEPT))) this.shadow(command);
    // Only where this VS Code has it: a command we registered would be one it never had.
    void vscode.commands.getCommands(true).then(all => {
      if (this.shadowing && all.includes(ALTERNATIVE_ACCEPT)) this.shadow(ALTERNATIVE_ACCEPT);
    });
  }

  private shadow(command: string): void {
    if (this.shadows.has(command)) return;
    const kind =
      command === ALTERNATIVE_ACCEPT
        ? 'nes'
        : (Object.keys(BUILTIN_ACCEPT) as AcceptKind[]).find(k => BUILTIN_ACCEPT[k] === command)!;
    this.shadows.set(
      command,
      vscode.commands.registerCommand(command, () => this.accept(kind, command)),
    );
  }

  override dispose(): void {
    this.setShadowing(false);
    super.dispose();
  }
}

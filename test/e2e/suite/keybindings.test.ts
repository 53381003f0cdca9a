import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { effectiveCondition, parseDefaultKeybindings, type Keybinding } from '../../../src/core/accept-keys';
import { activeExtension, waitFor } from './util';

/**
 * VS Code's own default keybindings, as "Preferences: Open Default Keyboard Shortcuts (JSON)" shows them, on screen,
 * in this very VS Code (the extension reads the same file without showing it).
 */
async function defaultKeybindings(): Promise<Keybinding[]> {
  await vscode.commands.executeCommand('workbench.action.openDefaultKeybindingsFile');
  let text = '';
  await waitFor(() => {
    const doc = vscode.window.activeTextEditor?.document;
    text = doc && doc.uri.path.endsWith('keybindings.json') ? doc.getText() : '';
    return text.includes('"command"');
  }, 'the default keybindings file');
  await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  return parseDefaultKeybindings(text);
}

/**
 * Our accept commands take VS Code's keys (Tab, Ctrl+Right) over to see the accept happen: each must be active in
 * exactly the cases VS Code's own command is, or a key does the wrong thing (Tab accepting where it should indent), or
 * an accept goes unseen. This fails when a VS Code version changes its conditions, and says which to copy.
 */
describe('keybindings: the accept keys mirror this VS Code version', () => {
  it("takes Tab and Ctrl+Right exactly when VS Code's inline suggestion commands would", async () => {
    const { extension, api } = await activeExtension();
    const features = await api.acceptKeys();
    assert.ok(features, "the extension read this VS Code's default keybindings");
    const ours = (extension.packageJSON as { contributes: { keybindings: Keybinding[] } }).contributes.keybindings;
    const defaults = await defaultKeybindings();
    const mirrored: [key: string, ourCommands: string[], theirs: string, onlyNewer?: true][] = [
      [
        'tab',
        ['aiProvenance.acceptInlineSuggestion', 'aiProvenance.acceptInlineEdit'],
        'editor.action.inlineSuggest.commit',
      ],
      ['ctrl+right', ['aiProvenance.acceptNextWord'], 'editor.action.inlineSuggest.acceptNextWord'],
      [
        'shift+tab',
        ['aiProvenance.acceptInlineEditAlternative'],
        'editor.action.inlineSuggest.commitAlternativeAction',
        true,
      ],
    ];
    const commands = await vscode.commands.getCommands(true);
    for (const [key, ourCommands, theirs, onlyNewer] of mirrored) {
      // Tab inside the inline edit's own preview editor is not taken over (a known limit, README).
      const theirBindings = defaults.filter(
        b => b.command === theirs && b.key === key && b.when?.trim() !== 'inInlineEditsPreviewEditor',
      );
      if (onlyNewer && theirBindings.length === 0) {
        // An accept this older VS Code does not have: ours waits on a context key it never sets.
        assert.ok(!commands.includes(theirs), `VS Code ${vscode.version} has ${theirs} but binds no ${key} to it`);
        continue;
      }
      assert.ok(theirBindings.length > 0, `VS Code ${vscode.version} binds no ${key} to ${theirs}`);
      assert.deepEqual(
        effectiveCondition(
          ours.filter(b => ourCommands.includes(b.command) && b.key === key),
          features,
        ),
        effectiveCondition(theirBindings, features),
        `VS Code ${vscode.version} binds ${key} to ${theirs} when: ${theirBindings.map(b => b.when).join(' | ')}`,
      );
    }
  });
});

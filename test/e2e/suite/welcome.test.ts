import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Commands, Views } from '../../../src/extension/platform/ids';
import { activeExtension, clickDom, harnessAvailable, queryDom, waitFor } from './util';

const BUTTONS = '.welcome-view-content .monaco-button';

/** The welcome's text and the labels of its buttons, as the workbench shows them. */
async function welcome(): Promise<{ text: string; buttons: string[] }> {
  const content = await queryDom('.welcome-view-content');
  const buttons = await queryDom(BUTTONS);
  return { text: content.elements.map(e => e.text).join('\n'), buttons: buttons.elements.map(e => e.text.trim()) };
}

describe('the Needs Sign-off view’s welcome', function () {
  this.timeout(90000);

  it('shows the no-roster and bad-policy states with their buttons, and the buttons do what they say', async function () {
    if (!harnessAvailable()) this.skip();
    const { api } = await activeExtension();
    // A repository of its own (the suite's workspace has other tests' commits): the view follows the active file's.
    const repo = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'ai-provenance-welcome-')));
    const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, encoding: 'utf8' });
    git('init', '-q', '-b', 'main');
    git('config', 'user.name', 'E2E Tester');
    git('config', 'user.email', 'e2e@example.invalid');
    git('config', 'commit.gpgsign', 'false');
    fs.writeFileSync(path.join(repo, 'README.md'), '# welcome\n');
    git('add', '.');
    git('commit', '-q', '-m', 'initial');
    const policy = path.join(repo, '.ai-provenance', 'policy.json');
    const roster = path.join(repo, '.ai-provenance', 'allowed_signers');
    const config = vscode.workspace.getConfiguration();
    await config.update('aiProvenance.baseBranch', 'main', vscode.ConfigurationTarget.Global);
    try {
      await vscode.window.showTextDocument(vscode.Uri.file(path.join(repo, 'README.md')));
      await vscode.commands.executeCommand(`${Views.needsSignoff}.focus`);

      // No roster on the base, nothing waiting: the welcome offers the starter policy and roster.
      await waitFor(
        async () => (await api.signoffState()).kind === 'ready' && api.signoffWelcome() === 'noRoster',
        'the no-roster state',
        20000,
      );
      await waitFor(
        async () => (await welcome()).buttons.includes('Create Starter Policy and Roster'),
        'the no-roster welcome and its button',
      );
      assert.match((await welcome()).text, /lists no seniors yet/);
      await clickDom(BUTTONS, 'Create Starter Policy and Roster');
      await waitFor(() => fs.existsSync(policy) && fs.existsSync(roster), 'the starter policy and roster written');
      await waitFor(
        () => vscode.window.activeTextEditor?.document.uri.fsPath === policy,
        'the starter policy opened in an editor',
      );

      // A policy on the base that does not read: the welcome says so and opens the file.
      fs.writeFileSync(policy, JSON.stringify({ version: 1, signoff: { minAiLinez: 1 } }));
      git('add', '.ai-provenance');
      git('commit', '-q', '-m', 'A bad policy');
      await vscode.window.showTextDocument(vscode.Uri.file(path.join(repo, 'README.md')));
      await waitFor(
        async () => (await api.signoffState()).kind === 'error' && api.signoffWelcome() === 'badPolicy',
        'the bad-policy state',
        20000,
      );
      const state = await api.signoffState();
      assert.ok(state.kind === 'error' && /minAiLinez/.test(state.message), JSON.stringify(state));
      await waitFor(
        async () => (await welcome()).buttons.includes('Open Policy File'),
        'the bad-policy welcome and its button',
      );
      assert.match((await welcome()).text, /does not read/);
      assert.deepEqual((await welcome()).buttons, ['Open Policy File', 'Show Log', 'Refresh']);
      await clickDom(BUTTONS, 'Open Policy File');
      await waitFor(
        () =>
          vscode.window.activeTextEditor?.document.uri.fsPath === policy &&
          vscode.window.activeTextEditor.document.getText().includes('minAiLinez'),
        'the bad policy opened in an editor',
      );
    } finally {
      await config.update('aiProvenance.baseBranch', undefined, vscode.ConfigurationTarget.Global);
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await vscode.commands.executeCommand(Commands.refresh);
      fs.rmSync(repo, { recursive: true, force: true });
    }
  });
});

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Commands, ViewContainers, Views } from '../../../src/extension/platform/ids';
import { activeExtension, clickDom, harnessAvailable, queryDom, waitFor } from './util';

describe('extension in a real VS Code', () => {
  it('activates on startup without being asked', async () => {
    const extension = vscode.extensions.getExtension('ai-provenance.ai-provenance');
    assert.ok(extension, 'the extension is not loaded');
    // onStartupFinished: it must become active by itself, not because a test activated it.
    await waitFor(() => extension.isActive, 'the extension to activate on startup', 20000);
    const manifest = JSON.parse(fs.readFileSync(path.join(extension.extensionPath, 'package.json'), 'utf8'));
    assert.equal(extension.exports.version, manifest.version);
  });

  it('registers every command it contributes', async () => {
    await activeExtension();
    const registered = new Set(await vscode.commands.getCommands(true));
    const extension = vscode.extensions.getExtension('ai-provenance.ai-provenance')!;
    const contributed: { command: string }[] = extension.packageJSON.contributes.commands;
    assert.ok(contributed.length > 0);
    for (const { command } of contributed)
      assert.ok(registered.has(command), `${command} is contributed but not registered`);
    for (const id of Object.values(Commands)) assert.ok(registered.has(id), `${id} is not registered`);
  });

  it('opens its view container with the Needs Sign-off view and its welcome text', async function () {
    await activeExtension();
    await vscode.commands.executeCommand(Commands.openSidebar);
    // The view's own focus command exists only once VS Code knows the view.
    await vscode.commands.executeCommand(`${Views.needsSignoff}.focus`);
    if (!harnessAvailable()) this.skip();
    await waitFor(
      async () =>
        (await queryDom(`.pane-header[aria-label*="Needs Sign-off"], .pane-header:has(h3[title*="Needs Sign-off"])`))
          .count > 0,
      'the Needs Sign-off view header',
    );
    // The workspace is a repository on main with no remote: nothing to compare with, and the view says how to fix it.
    await waitFor(async () => {
      const welcome = await queryDom('.welcome-view-content');
      return welcome.elements.some(e => e.text.includes('No base branch found'));
    }, 'the welcome text of the view');
    const activity = await queryDom(
      `.activitybar .action-item a[aria-label^="AI Provenance"], .activitybar [id="workbench.view.extension.${ViewContainers.main}"]`,
    );
    assert.ok(activity.count > 0, 'no AI Provenance entry in the activity bar');
  });

  it('keeps "AI hooks missing" in the status bar while the git hooks are not installed; a click installs them', async () => {
    const { api } = await activeExtension();
    const root = vscode.workspace.workspaceFolders![0]!.uri.fsPath;
    const hook = path.join(root, '.git', 'hooks', 'prepare-commit-msg');
    const installed = (): boolean => fs.existsSync(hook) && fs.readFileSync(hook, 'utf8').includes('ai-provenance');
    // The suite's workspace starts without our hooks, and nobody has answered the prompt: the item stays.
    assert.ok(!installed(), 'the workspace has our hooks already: this test must run before any test installs them');
    await waitFor(() => api.hooksStatusText() !== undefined, 'the hooks-missing status bar item', 20000);
    assert.match(api.hooksStatusText()!, /AI hooks missing/);
    const item = '.statusbar-item[id$="aiprovenance.hooksmissing" i]';
    if (harnessAvailable()) {
      await waitFor(async () => (await queryDom(item)).count === 1, 'the item in the status bar');
      assert.match((await queryDom(item)).elements[0]!.text, /AI hooks missing/);
      await clickDom(item);
    } else {
      await vscode.commands.executeCommand(Commands.installHooks, root);
    }
    await waitFor(installed, 'the git hooks installed by the click', 20000);
    await waitFor(() => api.hooksStatusText() === undefined, 'the item to go once the hooks are installed');
    if (harnessAvailable()) await waitFor(async () => (await queryDom(item)).count === 0, 'the item gone from the DOM');
  });

  it('shows its log channel', async () => {
    await activeExtension();
    await vscode.commands.executeCommand(Commands.showLog);
    if (!harnessAvailable()) return;
    await waitFor(
      async () =>
        (await queryDom('.monaco-editor .view-lines')).elements.some(e => e.text.includes('AI Provenance activated')),
      'the activation line in the output view',
    );
  });
});

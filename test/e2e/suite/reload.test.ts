import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { Commands } from '../../../src/extension/platform/ids';
import { activeExtension, waitFor } from './util';

/** Before a window reload: AI text in a saved file, and in a file left with unsaved changes. */
describe('before a window reload', () => {
  it('leaves attribution that must survive the reload', async function () {
    const reload = process.env.E2E_RELOAD_FILE;
    if (!reload) this.skip();
    const folder = vscode.workspace.workspaceFolders![0]!.uri;
    const saved = vscode.Uri.joinPath(folder, 'reload', 'saved.ts');
    fs.mkdirSync(vscode.Uri.joinPath(folder, 'reload').fsPath, { recursive: true });
    fs.writeFileSync(saved.fsPath, 'top\nmiddle\nbottom\n');
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(saved));
    const { api } = await activeExtension();
    await api.ready();
    editor.selection = new vscode.Selection(1, 0, 2, 0);
    await vscode.commands.executeCommand(Commands.markAsAi, 'claude-code');
    await vscode.commands.executeCommand('workbench.action.files.save');
    await waitFor(() => api.summary(saved)?.lines === 'uau', 'the mark');
    await api.flush();
    fs.writeFileSync(reload!, 'reload the window');
  });
});

import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Commands, EXTENSION_ID } from '../../../src/extension/platform/ids';
import { waitFor } from './util';

// Runs only when the harness installed the .vsix (E2E_MODE=vsix): the package a user installs works.
describe('the packaged .vsix', () => {
  it('is installed from the extensions folder, not loaded from the source tree', () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} was not installed from the .vsix`);
    const extensionsDir = process.env.E2E_EXTENSIONS_DIR;
    assert.ok(extensionsDir, 'E2E_EXTENSIONS_DIR is not set');
    assert.equal(path.dirname(extension.extensionPath), extensionsDir);
  });

  it('activates on startup and registers its commands', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID)!;
    await waitFor(() => extension.isActive, 'the installed extension to activate', 20000);
    const registered = new Set(await vscode.commands.getCommands(true));
    for (const id of Object.values(Commands)) assert.ok(registered.has(id), `${id} is not registered`);
    await vscode.commands.executeCommand(Commands.openSidebar);
  });
});

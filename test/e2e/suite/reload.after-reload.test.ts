import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activeExtension, waitFor } from './util';

/** After the window reload: a new extension host, a new activation, the same attribution. */
describe('after a window reload', () => {
  it('gives back the attribution the file had', async () => {
    const saved = vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0]!.uri, 'reload', 'saved.ts');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(saved));
    const { api } = await activeExtension();
    await api.ready();
    await waitFor(() => api.summary(saved) !== undefined, 'the file to be tracked');
    assert.equal(api.summary(saved)!.lines, 'uau');
    assert.deepEqual(api.summary(saved)!.segments, [
      { start: 2, end: 2, class: 'a', tool: 'claude-code', kind: 'manual' },
    ]);
  });
});

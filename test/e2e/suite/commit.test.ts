import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Commands } from '../../../src/extension/platform/ids';
import { CHAT_EDITING_SCHEME } from '../../../src/extension/tracking/chat';
import { activeExtension, waitFor } from './util';

interface GitRepository {
  rootUri: vscode.Uri;
  inputBox: { value: string };
  status(): Promise<void>;
  state: { indexChanges: unknown[] };
}

async function gitRepository(root: string): Promise<GitRepository> {
  const ext = vscode.extensions.getExtension<{ getAPI(v: 1): { repositories: GitRepository[] } }>('vscode.git')!;
  const api = (ext.isActive ? ext.exports : await ext.activate()).getAPI(1);
  await waitFor(
    () => api.repositories.some(r => r.rootUri.fsPath === root),
    'the git extension to find the repository',
    20000,
  );
  return api.repositories.find(r => r.rootUri.fsPath === root)!;
}

describe('commits from VS Code', function () {
  this.timeout(90000);

  it("writes the trailers and the note when committing with VS Code's own commit command", async () => {
    const root = vscode.workspace.workspaceFolders![0]!.uri.fsPath;
    const git = (...args: string[]) => execFileSync('git', args, { cwd: root, encoding: 'utf8' });
    await vscode.commands.executeCommand(Commands.installHooks);
    assert.match(fs.readFileSync(path.join(root, '.git', 'hooks', 'prepare-commit-msg'), 'utf8'), /ai-provenance/);

    const file = path.join(root, 'src', 'feature.ts');
    fs.writeFileSync(file, '');
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(file));
    const { api } = await activeExtension();
    await api.ready();
    await editor.edit(b =>
      b.insert(new vscode.Position(0, 0), 'export const answer = 42;\nexport const question = "?";\n'),
    );
    editor.selection = new vscode.Selection(0, 0, 1, 0);
    await vscode.commands.executeCommand(Commands.markAsAi, 'copilot');
    await vscode.commands.executeCommand('workbench.action.files.save');
    await waitFor(() => api.summary(editor.document.uri)?.lines === 'ah', 'the attribution');

    git('add', 'src/feature.ts');
    const repo = await gitRepository(root);
    await repo.status();
    await waitFor(() => repo.state.indexChanges.length > 0, 'the staged change to show in Source Control');

    // Preview, and put the trailers into the commit message box.
    const preview = await vscode.commands.executeCommand<{ trailers: string[]; root: string }>(
      Commands.previewTrailers,
    );
    assert.deepEqual(
      preview?.trailers,
      ['Assisted-by: Copilot', 'AI-Attribution: v1 added=2 ai=1 mixed=0 unknown=0 tools=copilot/manual:1'],
      JSON.stringify(preview),
    );
    assert.equal(preview?.root, root);
    repo.inputBox.value = 'Add the answer';
    assert.equal(await vscode.commands.executeCommand(Commands.addTrailersToCommitMessage), true);
    assert.equal(
      repo.inputBox.value,
      'Add the answer\n\nAssisted-by: Copilot\nAI-Attribution: v1 added=2 ai=1 mixed=0 unknown=0 tools=copilot/manual:1',
    );

    const before = git('rev-parse', 'HEAD').trim();
    await vscode.commands.executeCommand('git.commit');
    await waitFor(() => git('rev-parse', 'HEAD').trim() !== before, 'the commit', 30000);
    const message = git('log', '-1', '--format=%B');
    assert.equal(
      message.trim(),
      'Add the answer\n\nAssisted-by: Copilot\nAI-Attribution: v1 added=2 ai=1 mixed=0 unknown=0 tools=copilot/manual:1',
    );
    const note = JSON.parse(git('notes', '--ref', 'refs/notes/ai-provenance', 'show', 'HEAD'));
    assert.equal(note.vcs.revision, git('rev-parse', 'HEAD').trim());
    assert.deepEqual(
      note.files.map((f: { path: string }) => f.path),
      ['src/feature.ts'],
    );
    // The editor still shows the committed AI line; its mark's hover says who wrote it and how to mark it human,
    // and the line's hover says it is committed.
    assert.equal(api.summary(editor.document.uri)?.lines, 'ah');
    assert.match(
      api.markHover(editor.document, 0) ?? '',
      /AI-written line[\s\S]*Tool: copilot · Kind: manual[\s\S]*Mark Selection as Human-Written/,
    );
    assert.equal(api.markHover(editor.document, 1), undefined);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
      'vscode.executeHoverProvider',
      editor.document.uri,
      new vscode.Position(0, 3),
    );
    const text = hovers
      .flatMap(h => h.contents.map(c => (typeof c === 'string' ? c : 'value' in c ? c.value : '')))
      .join('\n');
    assert.match(text, new RegExp(`Committed in ${git('rev-parse', 'HEAD').trim().slice(0, 12)}`));
  });

  it('counts a line a chat edit removed as an AI deletion in the commit (deleted=1)', async () => {
    const root = vscode.workspace.workspaceFolders![0]!.uri.fsPath;
    const git = (...args: string[]) => execFileSync('git', args, { cwd: root, encoding: 'utf8' });
    await vscode.commands.executeCommand(Commands.installHooks);
    const file = path.join(root, 'src', 'guard.ts');
    fs.writeFileSync(
      file,
      'export function pay(amount: number): void {\n  if (amount < 0) throw new Error("negative");\n  charge(amount);\n}\n',
    );
    git('add', 'src/guard.ts');
    git('commit', '-q', '-m', 'guard');
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(file));
    const { api } = await activeExtension();
    await api.ready();
    // A chat editing session on the file, as VS Code 1.100-1.108 shows one: its own document for the file.
    const provider = vscode.workspace.registerTextDocumentContentProvider(CHAT_EDITING_SCHEME, {
      provideTextDocumentContent: () => '',
    });
    try {
      await vscode.workspace.openTextDocument(vscode.Uri.from({ scheme: CHAT_EDITING_SCHEME, path: file }));
      const edit = new vscode.WorkspaceEdit();
      edit.delete(editor.document.uri, new vscode.Range(1, 0, 2, 0));
      assert.ok(await vscode.workspace.applyEdit(edit));
    } finally {
      provider.dispose();
    }
    await vscode.commands.executeCommand('workbench.action.files.save');
    const ledger = path.join(root, '.git', 'ai-provenance', 'ai-deletions.json');
    await waitFor(
      () => fs.existsSync(ledger) && fs.readFileSync(ledger, 'utf8').includes('src/guard.ts'),
      'the AI deletion to be recorded',
    );
    git('add', 'src/guard.ts');
    git('commit', '-q', '-m', 'pay: no check');
    const trailer = git('log', '-1', '--format=%(trailers:key=AI-Attribution,valueonly)').trim();
    assert.match(trailer, / deleted=1$/, trailer);
    assert.match(git('log', '-1', '--format=%(trailers:key=Assisted-by,valueonly)'), /Copilot/);
  });
});

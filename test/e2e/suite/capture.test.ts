import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Commands } from '../../../src/extension/platform/ids';
import { activeExtension, harness, harnessAvailable, queryDom, waitFor } from './util';

const repoRoot = path.resolve(__dirname, '..', '..', '..', '..');

function workspaceFile(name: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'no workspace folder');
  return vscode.Uri.joinPath(folder.uri, name);
}

/** A fresh file with `content`, open and focused, cursor at `cursor` (default: the end). */
async function openFresh(name: string, content: string, cursor?: number): Promise<vscode.TextEditor> {
  const uri = workspaceFile(name);
  fs.mkdirSync(path.dirname(uri.fsPath), { recursive: true });
  fs.writeFileSync(uri.fsPath, content);
  const doc = await vscode.workspace.openTextDocument(uri);
  const editor = await vscode.window.showTextDocument(doc, { preview: false });
  const at = doc.positionAt(cursor ?? content.length);
  editor.selection = new vscode.Selection(at, at);
  await vscode.commands.executeCommand('workbench.action.focusActiveEditorGroup');
  const { api } = await activeExtension();
  await api.ready();
  return editor;
}

/** Waits until the tracked line classes equal `expected` (edits arrive asynchronously). */
async function expectLines(uri: vscode.Uri, expected: string, what: string): Promise<void> {
  const { api } = await activeExtension();
  try {
    await waitFor(() => api.summary(uri)?.lines === expected, what, 5000);
  } catch {
    assert.equal(api.summary(uri)?.lines, expected, what);
  }
}

/** Offers `suggestion` as ghost text at the cursor of the given document only. */
function offerSuggestion(uri: vscode.Uri, suggestion: string): vscode.Disposable {
  return vscode.languages.registerInlineCompletionItemProvider(
    { scheme: 'file' },
    {
      provideInlineCompletionItems(doc, position) {
        if (doc.uri.toString() !== uri.toString()) return [];
        return [new vscode.InlineCompletionItem(suggestion, new vscode.Range(position, position))];
      },
    },
  );
}

async function showGhostText(): Promise<void> {
  await vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
  if (harnessAvailable())
    await waitFor(
      async () => (await queryDom('.monaco-editor .ghost-text-decoration, .monaco-editor .ghost-text')).count > 0,
      'ghost text to show',
    );
}

async function typeText(text: string): Promise<void> {
  if (harnessAvailable()) await harness('/type', { text });
  else await vscode.commands.executeCommand('type', { text });
}

async function press(key: string): Promise<void> {
  await harness('/press', { key });
}

describe('capture in a real VS Code', function () {
  this.timeout(60000);

  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.files.saveAll');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('attributes a suggestion accepted with Tab to AI, and typing to the person', async function () {
    if (!harnessAvailable()) this.skip();
    const editor = await openFresh('capture/tab.ts', 'const x = 1;\n');
    const uri = editor.document.uri;
    const provider = offerSuggestion(uri, 'function add(a: number, b: number) {\n  return a + b;\n}');
    try {
      await showGhostText();
      await press('Tab');
      await waitFor(() => editor.document.getText().includes('return a + b;'), 'the suggestion to be inserted');
    } finally {
      provider.dispose();
    }
    // The file's first line was there before anything watched it: unknown.
    await expectLines(uri, 'uaaa', 'after Tab accept');
    await typeText('\n// typed by me');
    await expectLines(uri, 'uaaah', 'after typing');
    const { api } = await activeExtension();
    const s = api.summary(uri)!;
    // No AI extension installed names the tool `ai`; VS Code 1.110 and later ship Copilot Chat built in (enabled
    // here as for a person who set chat up: scripts/e2e/run.mjs), and then it is Copilot.
    const tool = vscode.extensions.getExtension('GitHub.copilot-chat') ? 'copilot' : 'ai';
    assert.deepEqual(s.segments, [{ start: 2, end: 4, class: 'a', tool, kind: 'inline' }]);
  });

  it('attributes a multi-cursor accept at every cursor', async function () {
    if (!harnessAvailable()) this.skip();
    const editor = await openFresh('capture/multi.ts', 'a\nb\n');
    const uri = editor.document.uri;
    editor.selections = [new vscode.Selection(0, 1, 0, 1), new vscode.Selection(1, 1, 1, 1)];
    const provider = offerSuggestion(uri, '_suffix;');
    try {
      await showGhostText();
      await press('Tab');
      await waitFor(() => editor.document.getText().includes('_suffix;'), 'the accept');
    } finally {
      provider.dispose();
    }
    // VS Code inserts the suggestion at both cursors in one change event; each line now holds the pre-existing
    // letter and the AI's suffix: mixed.
    assert.equal(editor.document.getText(), 'a_suffix;\nb_suffix;\n');
    await expectLines(uri, 'mm', 'the accept at each cursor');
  });

  it('lets Tab indent as usual when no suggestion is shown', async function () {
    if (!harnessAvailable()) this.skip();
    const editor = await openFresh('capture/indent.ts', 'x\n', 0);
    await press('Tab');
    await waitFor(() => editor.document.getText() !== 'x\n', 'Tab to indent');
    assert.match(editor.document.getText(), /^(\t| {2,})x\n$/);
    // The indent is typed, but a line is classified by its non-blank characters: the pre-existing x.
    await expectLines(editor.document.uri, 'u', 'an indent is not AI');
  });

  it('attributes the next-word accept (Ctrl+Right) as a partial accept', async function () {
    if (!harnessAvailable()) this.skip();
    const editor = await openFresh('capture/word.ts', '');
    const uri = editor.document.uri;
    const provider = offerSuggestion(uri, 'hello world again');
    try {
      await showGhostText();
      await press('Control+ArrowRight');
      await waitFor(() => editor.document.getText().length > 0, 'a word to be accepted');
    } finally {
      provider.dispose();
      await vscode.commands.executeCommand('editor.action.inlineSuggest.hide');
    }
    const { api } = await activeExtension();
    await waitFor(() => api.summary(uri)?.segments.length === 1, 'one segment');
    assert.equal(api.summary(uri)!.segments[0]!.kind, 'partial');
    assert.ok(!editor.document.getText().includes('again'), 'more than the next word was accepted');
  });

  it('attributes an accept from the toolbar or a menu when shadowing is on', async () => {
    const config = vscode.workspace.getConfiguration();
    await config.update('aiProvenance.shadowAcceptCommands', true, vscode.ConfigurationTarget.Global);
    try {
      const editor = await openFresh('capture/toolbar.ts', '');
      const uri = editor.document.uri;
      const provider = offerSuggestion(uri, 'fromToolbar();');
      try {
        await showGhostText();
        // What the ghost text toolbar's Accept button runs: VS Code's own command id.
        await vscode.commands.executeCommand('editor.action.inlineSuggest.commit');
        await waitFor(() => editor.document.getText() === 'fromToolbar();', 'the accept');
      } finally {
        provider.dispose();
      }
      await expectLines(uri, 'a', 'a toolbar accept is AI');
    } finally {
      await config.update('aiProvenance.shadowAcceptCommands', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  // Files these tests create on disk hold text nobody watched being written: it opens as unknown (u).

  it('marks a selection as AI from the context menu (a URI argument) and the palette, for the detected tool', async () => {
    const { api } = await activeExtension();
    const editor = await openFresh('capture/mark-menu.ts', 'first\nsecond\n');
    const uri = editor.document.uri;
    const detected = vscode.extensions.all.some(e => e.id.toLowerCase() === 'github.copilot-chat') ? 'copilot' : 'ai';
    // The editor context menu runs the command with the file's URI; the palette with nothing. Both ask which AI,
    // with the detected one first, so Enter takes it.
    for (const [line, args] of [
      [0, [uri]],
      [1, []],
    ] as const) {
      editor.selection = new vscode.Selection(line, 0, line + 1, 0);
      let settled = false;
      const done = Promise.resolve(vscode.commands.executeCommand(Commands.markAsAi, ...args)).finally(() => {
        settled = true;
      });
      // Enter, once the quick pick is there (pressed again until the command returns).
      await waitFor(async () => {
        if (!settled) await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
        await new Promise(resolve => setTimeout(resolve, 200));
        return settled;
      }, 'the quick pick to take Enter');
      await done;
    }
    await expectLines(uri, 'aa', 'both lines marked');
    const tools = new Set(api.summary(uri)?.segments.map(s => s.tool));
    assert.deepEqual([...tools], [detected]);
  });

  it('keeps a paste from outside human, and a copy-paste of AI text AI', async () => {
    const editor = await openFresh('capture/paste.ts', 'first line\n');
    const uri = editor.document.uri;
    const doc = editor.document;
    // Mark the first line as AI (the mark command takes the tool as an argument for scripts).
    editor.selection = new vscode.Selection(0, 0, 1, 0);
    await vscode.commands.executeCommand(Commands.markAsAi, 'copilot');
    await expectLines(uri, 'a', 'after marking');
    // Paste from outside.
    await vscode.env.clipboard.writeText('pasted from a web page\n');
    editor.selection = new vscode.Selection(1, 0, 1, 0);
    await vscode.commands.executeCommand('editor.action.clipboardPasteAction');
    await waitFor(() => doc.getText().includes('web page'), 'the outside paste');
    await expectLines(uri, 'ah', 'outside paste is human');
    // Copy the AI line and paste it at the end. Headless Chromium does not let a page's copy reach the system
    // clipboard, so the test puts the copied text there itself, as the operating system would.
    editor.selection = new vscode.Selection(0, 0, 1, 0);
    await vscode.commands.executeCommand('editor.action.clipboardCopyAction');
    await vscode.env.clipboard.writeText(doc.getText(editor.selection));
    const end = doc.positionAt(doc.getText().length);
    editor.selection = new vscode.Selection(end, end);
    await vscode.commands.executeCommand('editor.action.clipboardPasteAction');
    await waitFor(() => doc.lineCount === 4, 'the inside paste');
    await expectLines(uri, 'aha', 'a paste of AI-copied text stays AI');
  });

  it('gives back AI origins on undo and redo', async () => {
    const editor = await openFresh('capture/undo.ts', 'keep\n');
    const uri = editor.document.uri;
    // Two lines, then marked as AI.
    editor.selection = new vscode.Selection(1, 0, 1, 0);
    await editor.edit(b => b.insert(new vscode.Position(1, 0), 'ai one\nai two\n'));
    editor.selection = new vscode.Selection(1, 0, 3, 0);
    await vscode.commands.executeCommand(Commands.markAsAi, 'codex');
    await expectLines(uri, 'uaa', 'marked');
    // Delete the AI lines, then undo: they come back as AI.
    await editor.edit(b => b.delete(new vscode.Range(1, 0, 3, 0)));
    await expectLines(uri, 'u', 'deleted');
    await vscode.commands.executeCommand('undo');
    await expectLines(uri, 'uaa', 'undo of a deletion brings AI text back as AI');
    await vscode.commands.executeCommand('redo');
    await expectLines(uri, 'u', 'redo deletes again');
    await vscode.commands.executeCommand('undo');
    await expectLines(uri, 'uaa', 'and undo again');
  });

  it('re-anchors a file changed on disk: kept AI lines stay AI, new text is unknown', async () => {
    const editor = await openFresh('capture/disk.ts', 'alpha\nbeta\n');
    const uri = editor.document.uri;
    editor.selection = new vscode.Selection(1, 0, 2, 0);
    await vscode.commands.executeCommand(Commands.markAsAi, 'claude-code');
    await vscode.commands.executeCommand('workbench.action.files.save');
    await expectLines(uri, 'ua', 'marked and saved');
    fs.writeFileSync(uri.fsPath, 'alpha\nbeta\ngamma from another tool\n');
    await waitFor(() => editor.document.getText().includes('gamma'), 'VS Code to reload the file', 15000);
    await expectLines(uri, 'uau', 'after the change on disk');
  });

  it('keeps attribution through save, close and reopen', async () => {
    const editor = await openFresh('capture/reopen.ts', 'one\ntwo\nthree\n');
    const uri = editor.document.uri;
    editor.selection = new vscode.Selection(1, 0, 2, 0);
    await vscode.commands.executeCommand(Commands.markAsAi, 'gemini-cli');
    await vscode.commands.executeCommand('workbench.action.files.save');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    const { api } = await activeExtension();
    await api.flush();
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    await api.ready();
    await expectLines(uri, 'uau', 'after reopening');
  });

  it('gives back the saved attribution when unsaved changes are discarded', async () => {
    const editor = await openFresh('capture/discard.ts', 'keep\nai line\n');
    const uri = editor.document.uri;
    editor.selection = new vscode.Selection(1, 0, 2, 0);
    await vscode.commands.executeCommand(Commands.markAsAi, 'codex');
    await vscode.commands.executeCommand('workbench.action.files.save');
    await editor.edit(b => b.delete(new vscode.Range(1, 0, 2, 0)));
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    const { api } = await activeExtension();
    await api.flush();
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    await api.ready();
    await expectLines(uri, 'ua', 'the saved AI line, not the discarded edit');
  });

  it('does not take typing for the AI after an accept that accepted nothing', async () => {
    const editor = await openFresh('capture/noop-accept.ts', '');
    await vscode.commands.executeCommand(Commands.acceptInlineSuggestion);
    await editor.edit(b => b.insert(new vscode.Position(0, 0), 'typed'));
    await expectLines(editor.document.uri, 'h', 'typing after a no-op accept');
  });

  it('follows a file renamed in the explorer', async () => {
    const editor = await openFresh('capture/before-rename.ts', 'x\ny\n');
    editor.selection = new vscode.Selection(0, 0, 1, 0);
    await vscode.commands.executeCommand(Commands.markAsAi, 'cursor');
    await vscode.commands.executeCommand('workbench.action.files.save');
    const target = workspaceFile('capture/after-rename.ts');
    const edit = new vscode.WorkspaceEdit();
    edit.renameFile(editor.document.uri, target);
    assert.ok(await vscode.workspace.applyEdit(edit));
    await expectLines(target, 'au', 'the renamed file keeps its attribution');
  });

  it('shows marks in the gutter for AI lines and the AI share in the status bar', async () => {
    const editor = await openFresh('capture/decor.ts', 'a\nb\nc\nd\n');
    editor.selection = new vscode.Selection(0, 0, 2, 0);
    await vscode.commands.executeCommand(Commands.markAsAi, 'copilot');
    editor.selection = new vscode.Selection(2, 0, 2, 1);
    await vscode.commands.executeCommand(Commands.markAsAi, 'copilot');
    await vscode.commands.executeCommand('workbench.action.files.save');
    const { api } = await activeExtension();
    await expectLines(editor.document.uri, 'aaau', 'marked');
    // Only "c" was marked on line 3, not its line break: a line is classified by its non-blank characters.
    const ranges = api.decorated(editor.document);
    assert.deepEqual(
      ranges.ai.map(r => r.start.line),
      [0, 1, 2],
    );
    await waitFor(() => api.statusBarText() === '$(sparkle) AI 75%', 'the status bar text');
    if (harnessAvailable()) {
      await waitFor(
        async () => (await queryDom('.statusbar-item')).elements.some(e => e.text.includes('AI 75%')),
        'the status bar item in the DOM',
      );
      await harness('/screenshot', { name: 'decorations' });
    }
  });

  it('records a trace that replays to what the editor shows', async function () {
    if (!harnessAvailable()) this.skip();
    const traceFile = path.join(os.tmpdir(), `ai-provenance-e2e-${process.pid}.jsonl`);
    const editor = await openFresh('capture/recorded.ts', 'start\n');
    const uri = editor.document.uri;
    editor.selection = new vscode.Selection(0, 0, 0, 5);
    await vscode.commands.executeCommand(Commands.markAsAi, 'copilot');
    await vscode.commands.executeCommand(Commands.recordTrace, vscode.Uri.file(traceFile));
    // A cursor, not a selection: newer VS Code indents a selection on Tab instead of accepting (and so do we).
    editor.selection = new vscode.Selection(0, 5, 0, 5);
    const provider = offerSuggestion(uri, 'suggested();');
    try {
      await showGhostText();
      await press('Tab');
      await waitFor(() => editor.document.getText().includes('suggested();'), 'the accept');
    } finally {
      provider.dispose();
    }
    await typeText('\nhuman();');
    await waitFor(() => editor.document.getText().includes('human();'), 'typing');
    const { api } = await activeExtension();
    const shown = api.summary(uri)!;
    await vscode.commands.executeCommand(Commands.stopRecordingTrace);
    const out = execFileSync(process.execPath, [path.join(repoRoot, 'dist', 'cli.js'), 'replay', traceFile], {
      encoding: 'utf8',
    });
    const replayed = JSON.parse(out) as { files: Record<string, { lines: string; segments: unknown[] }> };
    const rel = path.relative(vscode.workspace.workspaceFolders![0]!.uri.fsPath, uri.fsPath).split(path.sep).join('/');
    assert.ok(replayed.files[rel], `the trace has no ${rel}: ${Object.keys(replayed.files).join(', ')}`);
    assert.equal(replayed.files[rel]!.lines, shown.lines);
    assert.deepEqual(replayed.files[rel]!.segments, shown.segments);
    fs.rmSync(traceFile, { force: true });
  });
});

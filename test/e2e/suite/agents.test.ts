import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { activeExtension, waitFor } from './util';

const cli = path.resolve(__dirname, '..', '..', '..', '..', 'dist', 'cli.js');

/** Runs our agent hook as Claude Code would: the payload on stdin, nothing expected on stdout. */
function claudeHook(payload: object): void {
  const out = execFileSync(process.execPath, [cli, 'agent-hook', 'claude-code'], {
    input: JSON.stringify(payload),
    encoding: 'utf8',
  });
  assert.equal(out, '', 'an agent hook must print nothing where the agent reads its output');
}

describe('external agents in the editor', function () {
  this.timeout(60000);

  it('labels what Claude Code writes into an open file as the agent, at once', async () => {
    const root = vscode.workspace.workspaceFolders![0]!.uri.fsPath;
    const file = path.join(root, 'src', 'agent.ts');
    const before = 'export function start() {\n  console.log("start");\n}\n';
    fs.writeFileSync(file, before);
    const doc = await vscode.workspace.openTextDocument(file);
    await vscode.window.showTextDocument(doc);
    const { api } = await activeExtension();
    await api.ready();
    const common = {
      session_id: 'e2e-session',
      transcript_path: path.join(root, 'no-transcript.jsonl'),
      cwd: root,
      permission_mode: 'default',
      tool_name: 'Edit',
      tool_use_id: 'toolu_e2e',
    };
    const input = {
      file_path: file,
      old_string: '  console.log("start");\n',
      new_string: '  console.log("start");\n  console.log("claude was here");\n',
      replace_all: false,
    };
    claudeHook({ ...common, hook_event_name: 'PreToolUse', tool_input: input });
    fs.writeFileSync(file, before.replace(input.old_string, input.new_string)); // the agent's own write
    claudeHook({
      ...common,
      hook_event_name: 'PostToolUse',
      tool_input: input,
      tool_response: { filePath: file, success: true },
    });
    await waitFor(() => doc.getText().includes('claude was here'), 'VS Code to reload the file', 15000);
    await waitFor(() => api.summary(doc.uri)?.lines === 'uuau', 'the agent line to be labelled', 15000).catch(() => {
      assert.equal(api.summary(doc.uri)?.lines, 'uuau');
    });
    assert.deepEqual(api.summary(doc.uri)!.segments, [
      { start: 3, end: 3, class: 'a', tool: 'claude-code', kind: 'agent' },
    ]);
  });
});

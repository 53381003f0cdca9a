import * as assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import * as vscode from 'vscode';
import { Commands } from '../../../src/extension/platform/ids';
import type { ScriptedAnswer, ScriptedModelApi, ScriptedRequest } from '../model-provider/extension';
import { activeExtension, waitFor } from './util';

const execFileAsync = promisify(execFile);
const cli = path.resolve(__dirname, '..', '..', '..', '..', 'dist', 'cli.js');
const CHAT_ID = 'GitHub.copilot-chat';
const AGENT_STARTED_COMMAND = 'github.copilot.interactiveSession.feedback';

interface StatusFile {
  path: string;
  ai: number;
  segments: { start: number; end: number; class: string; tool: string; kind: string }[];
}

function root(): string {
  return vscode.workspace.workspaceFolders![0]!.uri.fsPath;
}

/**
 * Runs the CLI without blocking the extension host: the extension in this same process may hold the lock the CLI
 * waits for, and a synchronous child would keep it from ever releasing it.
 */
async function cliJson<T>(...args: string[]): Promise<T> {
  const { stdout } = await execFileAsync(process.execPath, [cli, ...args], { cwd: root(), encoding: 'utf8' });
  return JSON.parse(stdout) as T;
}

/** The work tree side of `ai-provenance status --json` for one file (the CLI reads the stored records and the spool). */
async function worktreeStatus(file: string): Promise<StatusFile | undefined> {
  const status = await cliJson<{ worktree: { files: StatusFile[] } }>('status', '--json');
  return status.worktree.files.find(f => f.path === path.relative(root(), file));
}

/** The scripted model, or a skip where this VS Code has no agent to drive (before the provider API and Copilot Chat). */
async function scriptedModel(context: Mocha.Context): Promise<ScriptedModelApi> {
  const extension = vscode.extensions.getExtension<ScriptedModelApi>('ai-provenance-tests.scripted-model');
  assert.ok(extension, 'the harness did not install the scripted model (test/e2e/model-provider)');
  const model = extension.isActive ? extension.exports : await extension.activate();
  if (!model.registered && !vscode.extensions.getExtension(CHAT_ID)) context.skip(); // VS Code before 1.104: no language model provider API and no built-in agent
  assert.ok(model.registered, `VS Code ${vscode.version} has ${CHAT_ID} but no language model provider API`);
  assert.ok(
    vscode.extensions.getExtension(CHAT_ID),
    `VS Code ${vscode.version} has the language model provider API but ${CHAT_ID} is not enabled: the harness's chat setup marker (scripts/e2e/run.mjs) no longer works`,
  );
  // Copilot Chat starts its agent once it has a Copilot token or a model of another vendor (BYOK); a request sent
  // before that goes to VS Code's chat setup, which asks to sign in. It registers these commands as it starts it.
  await waitFor(
    async () => (await vscode.commands.getCommands(true)).includes(AGENT_STARTED_COMMAND),
    'Copilot Chat to start its agent on the scripted model',
    60000,
  );
  return model;
}

/**
 * Sends `prompt` to VS Code's agent in a new chat, on the scripted model, and waits until the model was asked
 * `turns` times (its last answer then ends the turn).
 */
async function askAgent(
  model: ScriptedModelApi,
  prompt: string,
  answers: ((request: ScriptedRequest) => ScriptedAnswer)[],
): Promise<void> {
  const before = model.requests.length;
  model.script(request => {
    const answer = answers[request.toolResults.length] ?? (() => ({ text: 'Done.' }));
    return answer(request);
  });
  await vscode.commands.executeCommand('workbench.action.chat.newChat');
  await vscode.commands.executeCommand('workbench.action.chat.open', {
    query: prompt,
    mode: 'agent',
    modelSelector: { vendor: model.vendor, id: model.id },
  });
  const turns = answers.length + 1;
  await waitFor(
    () => model.requests.length - before >= turns,
    `the agent to ask the model ${turns} times (asked ${model.requests.length - before}; tools offered: ${model.requests
      .at(-1)
      ?.tools.map(t => t.name)
      .join(', ')})`,
    90000,
  );
}

/** A tool call, checked against the tools the agent offered. */
function call(tool: string, input: object): (request: ScriptedRequest) => ScriptedAnswer {
  return request => {
    const offered = request.tools.map(t => t.name);
    if (!offered.includes(tool)) return { text: `cannot: ${tool} is not among ${offered.join(', ')}` };
    return { tool, input };
  };
}

describe("VS Code's own agent (VS Code 1.104 and later)", function () {
  this.timeout(180000);

  after(async () => {
    await vscode.workspace.getConfiguration('chat').update('useHooks', undefined, vscode.ConfigurationTarget.Global);
    execFileSync(process.execPath, [cli, 'agents', 'uninstall', 'vscode', '--project'], { cwd: root() });
  });

  it('labels what the agent writes as the chat session’s even without agent hooks', async function () {
    const model = await scriptedModel(this);
    const file = path.join(root(), 'src', 'chat-fallback.ts');
    const before = 'export const a = 1;\n\nexport const c = 3;\n';
    fs.writeFileSync(file, before);
    const { api } = await activeExtension();
    await api.ready();
    await askAgent(model, 'Add b to src/chat-fallback.ts', [
      call('replace_string_in_file', {
        filePath: file,
        oldString: 'export const a = 1;\n',
        newString: 'export const a = 1;\nexport const b = 2;\n',
        explanation: 'add b',
      }),
    ]);
    await waitFor(() => fs.readFileSync(file, 'utf8').includes('export const b = 2;'), 'the agent to write the file');
    const uri = vscode.Uri.file(file);
    await waitFor(() => api.summary(uri)?.lines === 'uauu', 'the agent line to be labelled', 15000).catch(() =>
      assert.equal(api.summary(uri)?.lines, 'uauu', 'only the line the agent added is AI'),
    );
    assert.deepEqual(api.summary(uri)!.segments, [{ start: 2, end: 2, class: 'a', tool: 'copilot', kind: 'chat' }]);
    // Stored, so the commit hook counts it.
    await waitFor(
      async () => (await worktreeStatus(file))?.ai === 1,
      'the stored record to say the line is AI',
      15000,
    ).catch(async () => assert.equal((await worktreeStatus(file))?.ai, 1, 'AI lines of the stored record'));
  });

  it('records what the agent writes through its hooks: an edit as the agent’s, a new file as Copilot’s', async function () {
    const model = await scriptedModel(this);
    execFileSync(process.execPath, [cli, 'agents', 'install', 'vscode', '--project'], { cwd: root() });
    // VS Code finds a new hook file through its file watcher, in its own time; a change of chat.useHooks makes it
    // read the hook files again before the next request.
    await vscode.workspace.getConfiguration('chat').update('useHooks', true, vscode.ConfigurationTarget.Global);
    const edited = path.join(root(), 'src', 'agent-edit.ts');
    const created = path.join(root(), 'src', 'agent-new.ts');
    fs.writeFileSync(edited, 'export function start() {\n  return 1;\n}\n');
    const { api } = await activeExtension();
    await api.ready();
    await askAgent(model, 'Log in start, and add a stop function in a new file', [
      call('replace_string_in_file', {
        filePath: edited,
        oldString: '  return 1;\n',
        newString: '  console.log("start");\n  return 1;\n',
        explanation: 'log',
      }),
      call('create_file', { filePath: created, content: 'export function stop() {\n  return 0;\n}\n' }),
    ]);
    await waitFor(() => fs.existsSync(created), 'the agent to create the file');
    // The hooks' records (kind agent, from the spool) win over what the editor saw of the session (kind chat).
    const agentLines = async (file: string, lines: [number, number][]): Promise<boolean> => {
      const status = await worktreeStatus(file);
      return (
        status !== undefined &&
        JSON.stringify(status.segments.map(s => [s.start, s.end, s.class, s.tool, s.kind])) ===
          JSON.stringify(lines.map(([start, end]) => [start, end, 'a', 'copilot', 'agent']))
      );
    };
    await waitFor(() => agentLines(edited, [[2, 2]]), 'status to show the edited line as the agent’s', 20000).catch(
      async () =>
        assert.deepEqual(
          { status: (await worktreeStatus(edited))?.segments, editor: api.summary(vscode.Uri.file(edited))?.segments },
          { status: [{ start: 2, end: 2 }] },
        ),
    );
    // The new file: all three lines Copilot's. Which label wins there is still a race (the hook record against the
    // editor storing the session's label for the same text, both under the ingestion lock): agent or chat.
    const aiByCopilot = async (): Promise<boolean> => {
      const segments = (await worktreeStatus(created))?.segments ?? [];
      return (
        segments.length === 1 &&
        segments[0]!.start === 1 &&
        segments[0]!.end === 3 &&
        segments[0]!.class === 'a' &&
        segments[0]!.tool === 'copilot' &&
        ['agent', 'chat'].includes(segments[0]!.kind)
      );
    };
    await waitFor(aiByCopilot, 'status to show the new file as Copilot’s', 20000).catch(async () =>
      assert.deepEqual((await worktreeStatus(created))?.segments, [{ start: 1, end: 3 }]),
    );
    const uri = vscode.Uri.file(edited);
    await waitFor(() => api.summary(uri)?.segments[0]?.kind === 'agent', 'the editor to show the agent’s line', 15000);
    assert.deepEqual(api.summary(uri)!.segments, [{ start: 2, end: 2, class: 'a', tool: 'copilot', kind: 'agent' }]);

    // Committed from the terminal: the trailers count Copilot's four lines, and the three the test wrote itself
    // (outside any editor or agent) as unknown.
    await vscode.commands.executeCommand(Commands.installHooks);
    const git = async (...args: string[]): Promise<string> =>
      (await execFileAsync('git', args, { cwd: root(), encoding: 'utf8' })).stdout;
    await git('add', path.relative(root(), edited), path.relative(root(), created));
    await git('commit', '-q', '-m', 'start logs; stop');
    const message = await git('log', '-1', '--format=%B');
    assert.match(
      message,
      /^AI-Attribution: v1 added=7 ai=4 mixed=0 unknown=3 tools=(copilot\/agent:4|copilot\/agent:1,copilot\/chat:3|copilot\/chat:3,copilot\/agent:1)$/m,
      message,
    );
    assert.match(message, /^Assisted-by: Copilot$/m, message);
  });
});

// The real GitHub Copilot CLI (pinned in test/support/agent-clis.ts) driven offline by a scripted Anthropic
// Messages server: Copilot CLI's own provider settings (COPILOT_PROVIDER_*) with COPILOT_OFFLINE, and our hook
// entry installed by our own installer, in the repository (a folder the person trusted) or in their home.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { agentCliHome, ensureAgentCli } from '../support/agent-clis';
import { describeAgent, fileWritten, sharedScenarios, type AgentScenario } from '../support/agent-scenarios';
import { AgentWorkspace } from '../support/agent-workspace';

const MODEL = 'claude-sonnet-4-5';

class CopilotRepo extends AgentWorkspace {
  constructor(scenario: AgentScenario) {
    super(scenario.files);
    if (scenario.scope === 'user') this.cli(['agents', 'install', 'copilot-cli', '--user']);
    else {
      const installed = this.cli(['agents', 'install', 'copilot-cli', '--project']);
      assert.match(installed, /not running yet: Copilot CLI runs this repository's hooks only in a folder you trusted/);
      // Copilot CLI also runs Claude Code's entries in .claude/settings.json: a repository with both.
      if (scenario.variant === 'both-entries') this.cli(['agents', 'install', 'claude-code', '--project']);
      this.trustFolder();
      assert.match(
        this.cli(['agents', 'status', 'copilot-cli', '--project']),
        /installed .*in a folder Copilot CLI trusts/,
      );
      this.git('add', '-A');
      this.git('commit', '-q', '-m', 'hooks');
    }
  }

  /** The one step the person takes for a repository's hooks: trusting the folder, as Copilot CLI records it. */
  private trustFolder(): void {
    fs.mkdirSync(path.join(this.home, '.copilot'), { recursive: true });
    fs.writeFileSync(
      path.join(this.home, '.copilot', 'config.json'),
      `// This file is managed automatically.\n${JSON.stringify({ trustedFolders: [this.dir] }, null, 2)}\n`,
    );
  }
}

// Copilot CLI's tools (create needs the folder to exist; its edit has no replace-all).
const tools = {
  read: (dir: string, file: string) => ({ tool: 'view', input: { path: `${dir}/${file}` } }),
  write: (dir: string, file: string, content: string) => ({
    tool: 'create',
    input: { path: `${dir}/${file}`, file_text: content },
  }),
  edit: (dir: string, file: string, oldText: string, newText: string) => ({
    tool: 'edit',
    input: { path: `${dir}/${file}`, old_str: oldText, new_str: newText },
  }),
  shell: (command: string) => ({ tool: 'bash', input: { command, description: 'run' } }),
};

const scenarios: AgentScenario[] = [
  ...sharedScenarios(tools, { replaceAll: false, overwrite: false }).map(s =>
    // create does not make folders: the failing edit's new file goes to the top.
    s.name.startsWith('a failing edit')
      ? {
          ...s,
          turns: (dir: string) => [
            [tools.edit(dir, 'src/app.ts', 'const zz = 9;', 'const zz = 10;')],
            [tools.write(dir, 'b.ts', 'export const b = 2;\n')],
            'Done.',
          ],
          expect: ['b.ts: 1 1 0 0'],
        }
      : s,
  ),
  {
    name: "Claude Code's entry run by Copilot CLI too: the lines are Copilot's",
    variant: 'both-entries',
    files: { 'src/app.ts': 'function b() {\n  log("x");\n}\n' },
    turns: dir => [
      [
        tools.edit(
          dir,
          'src/app.ts',
          'function b() {\n  log("x");\n}',
          'function b() {\n  log("x");\n}\nfunction c() {}',
        ),
      ],
      'Done.',
    ],
    expect: ['src/app.ts: 1 1 0 0'],
    attribution: 'v1 added=1 ai=1 mixed=0 unknown=0 tools=TOOL/agent:1',
  },
];

// Shells that go on after their post-tool hook: async (Copilot CLI notes in its session log when it completed, and
// in prompt mode waits for it, giving the model a turn more), detached (it never says: the commit asks for review).
const generate = "sleep 2; mkdir -p src; printf 'export const bg = 1;\\n' > src/bg.ts";
scenarios.push(
  {
    name: "an async shell: its file is the agent's once the session log says the shell completed",
    files: { 'README.md': '# demo\n' },
    turns: () => [[{ tool: 'bash', input: { command: generate, description: 'generate', mode: 'async' } }], 'Done.'],
    output: 'Done.\n\nDone.',
    expect: ['src/bg.ts: 1 1 0 0'],
    attribution: 'v1 added=1 ai=1 mixed=0 unknown=0 tools=TOOL/agent:1',
  },
  {
    name: 'a detached shell, whose end Copilot CLI never reports: a commit of its file asks for review',
    files: { 'README.md': '# demo\n' },
    turns: () => [
      [{ tool: 'bash', input: { command: generate, description: 'generate', mode: 'async', detach: true } }],
      'Done.',
    ],
    settle: fileWritten('src/bg.ts'),
    expect: ['src/bg.ts: 1 0 0 1'],
    attribution: 'v1 added=1 ai=0 mixed=0 unknown=1 tools= skipped=1',
    assistedBy: [],
  },
);

// A sub-agent on another model (its task tool's `model`): its calls name it, and the session log its model.
const HELPER_MODEL = 'claude-haiku-4-5';
scenarios.push({
  name: "a sub-agent with another model: its file is credited to the sub-agent's model",
  files: { 'README.md': '# demo\n' },
  turns: () => [
    [
      {
        tool: 'task',
        input: {
          name: 'helper',
          description: 'helper',
          prompt: 'Write the helper file.',
          agent_type: 'general-purpose',
          model: HELPER_MODEL,
        },
      },
    ],
    'Done.',
  ],
  more: dir => [
    {
      match: 'Write the helper file.',
      turns: [[tools.write(dir, 'helper.ts', 'export const helper = 1;\n')], 'Done.'],
    },
  ],
  model: HELPER_MODEL,
  // --silent prints the sub-agent's answer and the parent's.
  output: 'Done.Done.',
  expect: ['helper.ts: 1 1 0 0'],
  attribution: 'v1 added=1 ai=1 mixed=0 unknown=0 tools=TOOL/agent:1',
});

describeAgent(
  {
    title: 'Copilot CLI, the real CLI, offline against a scripted model',
    tool: 'copilot',
    assistedBy: scenario => `Copilot:${scenario.model ?? MODEL}`,
    // From Copilot CLI's session log, read when the records are ingested.
    segmentModel: scenario => scenario.model ?? MODEL,
    workspace: scenario => new CopilotRepo(scenario),
    run: (repo, server) =>
      repo.run(ensureAgentCli('copilot-cli'), ['-p', 'Please edit the project.', '--allow-all-tools', '--silent'], {
        COPILOT_OFFLINE: 'true',
        COPILOT_PROVIDER_TYPE: 'anthropic',
        COPILOT_PROVIDER_BASE_URL: server.url,
        COPILOT_PROVIDER_API_KEY: 'test-key',
        COPILOT_PROVIDER_MODEL_ID: MODEL,
        // Copilot CLI unpacks itself on first run: once per machine, beside the installed package.
        XDG_CACHE_HOME: path.join(agentCliHome('copilot-cli'), 'xdg-cache'),
      }),
  },
  scenarios,
);

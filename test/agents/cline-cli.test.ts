// The real Cline CLI (pinned in test/support/agent-clis.ts) driven offline by a scripted OpenAI Chat Completions
// server (its `openai` provider with a base URL, set by `cline auth`), with our hooks installed by our installer.
// The model's family picks Cline's tools: a GPT model gets apply_patch, a Claude model the editor tool.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { ensureAgentCli } from '../support/agent-clis';
import { describeAgent, sharedScenarios, type AgentScenario } from '../support/agent-scenarios';
import { AgentWorkspace } from '../support/agent-workspace';

const GPT = 'gpt-5.5';
const CLAUDE = 'claude-sonnet-4-5';

class ClineRepo extends AgentWorkspace {
  constructor(scenario: AgentScenario) {
    super(scenario.files);
    const scope = scenario.scope ?? 'project';
    this.cli(['agents', 'install', 'cline', `--${scope}`]);
    if (scope === 'project') {
      this.git('add', '.clinerules');
      this.git('commit', '-q', '-m', 'hooks');
    }
  }

  // The Cline CLI leaves a hub daemon running for the folder (--cwd <folder>): stop it with the test.
  override dispose(): void {
    const pattern = `--cwd ${this.dir}`;
    spawnSync('pkill', ['-f', '--', pattern]);
    for (let i = 0; i < 50 && spawnSync('pgrep', ['-f', '--', pattern]).status === 0; i++) spawnSync('sleep', ['0.1']);
    super.dispose();
  }
}

// The editor tool, which a Claude model gets; paths relative to the workspace. It has no replace-all.
const tools = {
  read: (_dir: string, file: string) => ({ tool: 'read_files', input: { files: [{ path: file }] } }),
  write: (_dir: string, file: string, content: string) => ({
    tool: 'editor',
    input: { path: file, new_text: content },
  }),
  edit: (_dir: string, file: string, oldText: string, newText: string) => ({
    tool: 'editor',
    input: { path: file, old_text: oldText, new_text: newText },
  }),
  shell: (command: string) => ({ tool: 'run_commands', input: { commands: [command] } }),
};

const scenarios: AgentScenario[] = [
  ...sharedScenarios(tools, { replaceAll: false, overwrite: false }),
  {
    name: 'editor: new text inserted at a line',
    files: { 'src/app.ts': 'const a = 1;\nconst b = 2;\n' },
    turns: () => [
      [{ tool: 'editor', input: { path: 'src/app.ts', new_text: '// inserted by the agent', insert_line: 2 } }],
      'Done.',
    ],
    expect: ['src/app.ts: 1 1 0 0'],
    attribution: 'v1 added=1 ai=1 mixed=0 unknown=0 tools=TOOL/agent:1',
  },
  {
    name: 'apply_patch (a GPT model) across two files',
    model: GPT,
    files: { 'src/app.ts': 'function b() {\n  log("x");\n}\n' },
    turns: () => [
      [
        {
          tool: 'apply_patch',
          input: {
            input: [
              '*** Begin Patch',
              '*** Update File: src/app.ts',
              '@@ function b() {',
              '   log("x");',
              '+  log("z");',
              ' }',
              '*** Add File: src/new.ts',
              '+export const n = 1;',
              '*** End Patch',
            ].join('\n'),
          },
        },
      ],
      'Done.',
    ],
    expect: ['src/app.ts: 1 1 0 0', 'src/new.ts: 1 1 0 0'],
    attribution: 'v1 added=2 ai=2 mixed=0 unknown=0 tools=TOOL/agent:2',
  },
];

describeAgent(
  {
    title: 'the Cline CLI, the real CLI, offline against a scripted model',
    tool: 'cline',
    // Its hooks do not name the model; its record of the session does.
    assistedBy: scenario => `Cline:${scenario.model ?? CLAUDE}`,
    segmentModel: scenario => scenario.model ?? CLAUDE,
    workspace: scenario => new ClineRepo(scenario),
    run: async (repo, server, scenario) => {
      const cline = ensureAgentCli('cline-cli');
      const env = { PWD: repo.dir };
      const model = scenario.model ?? CLAUDE;
      const auth = await repo.run(
        cline,
        ['auth', '-p', 'openai', '-k', 'test-key', '-m', model, '-b', `${server.url}/v1`],
        env,
      );
      assert.equal(auth.status, 0, `cline auth: ${auth.stdout} ${auth.stderr}`);
      return repo.run(cline, ['Please edit the project.', '--auto-approve', 'true'], env);
    },
    // It prints each tool call, then the answer.
    printed: run => assert.match(run.stdout, /Done\.\s*$/),
  },
  scenarios,
);

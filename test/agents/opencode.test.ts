// The real OpenCode (pinned in test/support/agent-clis.ts) driven offline by a scripted Anthropic Messages server,
// declared as a provider of its own in the person's OpenCode config, with our plugin installed by our installer.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { agentCliHome, ensureAgentCli } from '../support/agent-clis';
import { describeAgent, sharedScenarios, type AgentScenario } from '../support/agent-scenarios';
import { AgentWorkspace } from '../support/agent-workspace';

const MODEL = 'claude-sonnet-4-5';
const HELPER_MODEL = 'claude-haiku-4-5';

class OpencodeRepo extends AgentWorkspace {
  constructor(scenario: AgentScenario) {
    // OpenCode writes a .gitignore of its own into the folder it loads plugins from.
    super({ ...scenario.files, '.gitignore': '.opencode/.gitignore\n' });
    const scope = scenario.scope ?? 'project';
    assert.match(this.cli(['agents', 'install', 'opencode', `--${scope}`]), /^opencode: created /m);
    if (scope === 'project') {
      this.git('add', '.opencode');
      this.git('commit', '-q', '-m', 'plugin');
    }
  }

  /** The person's OpenCode config: the scripted server as a provider, for the session and its titles. */
  configure(url: string): void {
    const config = path.join(this.home, '.config', 'opencode');
    fs.mkdirSync(config, { recursive: true });
    fs.writeFileSync(
      path.join(config, 'opencode.json'),
      JSON.stringify({
        autoupdate: false,
        share: 'disabled',
        small_model: `scripted/${MODEL}`,
        provider: {
          scripted: {
            npm: '@ai-sdk/anthropic',
            name: 'Scripted',
            options: { baseURL: `${url}/v1`, apiKey: 'test-key' },
            models: {
              [MODEL]: { name: 'Scripted Claude', tool_call: true },
              [HELPER_MODEL]: { name: 'Scripted Haiku', tool_call: true },
            },
          },
        },
        // A sub-agent of the person's on another model.
        agent: {
          helper: { description: 'Writes helper files.', mode: 'subagent', model: `scripted/${HELPER_MODEL}` },
        },
      }),
    );
  }
}

const tools = {
  read: (dir: string, file: string) => ({ tool: 'read', input: { filePath: `${dir}/${file}` } }),
  write: (dir: string, file: string, content: string) => ({
    tool: 'write',
    input: { filePath: `${dir}/${file}`, content },
  }),
  edit: (dir: string, file: string, oldText: string, newText: string, all?: boolean) => ({
    tool: 'edit',
    input: { filePath: `${dir}/${file}`, oldString: oldText, newString: newText, ...(all ? { replaceAll: true } : {}) },
  }),
  shell: (command: string) => ({ tool: 'bash', input: { command, description: 'run' } }),
};

describeAgent(
  {
    title: 'OpenCode, the real CLI, offline against a scripted model',
    tool: 'opencode',
    assistedBy: scenario => `OpenCode:${scenario.model ?? MODEL}`,
    // From its chat.params hook (a sub-agent's session has its own), which our plugin passes on.
    segmentModel: scenario => scenario.model ?? MODEL,
    workspace: scenario => new OpencodeRepo(scenario),
    run: (repo, server) => {
      repo.configure(server.url);
      return repo.run(ensureAgentCli('opencode'), ['run', '-m', `scripted/${MODEL}`, 'Please edit the project.'], {
        // OpenCode takes its folder from PWD.
        PWD: repo.dir,
        OPENCODE_DISABLE_MODELS_FETCH: 'true',
        OPENCODE_DISABLE_AUTOUPDATE: 'true',
        XDG_CACHE_HOME: path.join(agentCliHome('opencode'), 'xdg-cache'),
      });
    },
    // It prints the tool calls, then the answer.
    printed: run => assert.match(run.stdout, /Done\.\s*$/),
  },
  [
    ...sharedScenarios(tools),
    {
      name: "a sub-agent with another model: its file is credited to the sub-agent's model",
      files: { 'README.md': '# demo\n' },
      turns: () => [
        [{ tool: 'task', input: { description: 'helper', prompt: 'Write the helper file.', subagent_type: 'helper' } }],
        'Done.',
      ],
      more: dir => [
        {
          match: 'Write the helper file.',
          turns: [[tools.write(dir, 'helper.ts', 'export const helper = 1;\n')], 'Done.'],
        },
      ],
      model: HELPER_MODEL,
      expect: ['helper.ts: 1 1 0 0'],
      attribution: 'v1 added=1 ai=1 mixed=0 unknown=0 tools=TOOL/agent:1',
    },
  ],
);

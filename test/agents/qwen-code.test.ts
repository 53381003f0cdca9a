// The real Qwen Code (pinned in test/support/agent-clis.ts) driven offline by a scripted Anthropic Messages server
// (its `anthropic` auth type: ANTHROPIC_BASE_URL, ANTHROPIC_API_KEY, ANTHROPIC_MODEL), with our hooks installed in
// the project's .qwen/settings.json or the person's by our own installer.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ensureAgentCli } from '../support/agent-clis';
import { backgroundScenarios, describeAgent, sharedScenarios, type AgentScenario } from '../support/agent-scenarios';
import { AgentWorkspace, type StatusFile } from '../support/agent-workspace';

const MODEL = 'claude-sonnet-4-5';
const HELPER_MODEL = 'claude-haiku-4-5';

class QwenRepo extends AgentWorkspace {
  constructor(scenario: AgentScenario) {
    super(scenario.files);
    fs.mkdirSync(path.join(this.home, '.qwen'), { recursive: true });
    fs.writeFileSync(
      path.join(this.home, '.qwen', 'settings.json'),
      JSON.stringify({ security: { auth: { selectedType: 'anthropic' } } }),
    );
    const scope = scenario.scope ?? 'project';
    this.cli(['agents', 'install', 'qwen-code', `--${scope}`]);
    // A sub-agent of the project's that runs another model.
    if (scenario.variant === 'subagent')
      this.write(
        '.qwen/agents/helper.md',
        `---\nname: helper\ndescription: Writes helper files.\nmodel: ${HELPER_MODEL}\n---\nYou write helper files.\n`,
      );
    if (scope === 'project' || scenario.variant === 'subagent') {
      this.git('add', '.qwen');
      this.git('commit', '-q', '-m', 'hooks');
    }
  }

  // Qwen Code stamps the settings files it reads with its schema version ("$version"): its change, not the work's.
  override status(): StatusFile[] {
    return super.status().filter(f => f.path !== '.qwen/settings.json');
  }

  override commit(message: string): void {
    if (this.git('ls-files', '--', '.qwen') !== '') this.git('checkout', '-q', '--', '.qwen');
    super.commit(message);
  }
}

const tools = {
  read: (dir: string, file: string) => ({ tool: 'read_file', input: { file_path: `${dir}/${file}` } }),
  write: (dir: string, file: string, content: string) => ({
    tool: 'write_file',
    input: { file_path: `${dir}/${file}`, content },
  }),
  edit: (dir: string, file: string, oldText: string, newText: string, all?: boolean) => ({
    tool: 'edit',
    input: {
      file_path: `${dir}/${file}`,
      old_string: oldText,
      new_string: newText,
      ...(all ? { replace_all: true } : {}),
    },
  }),
  shell: (command: string) => ({ tool: 'run_shell_command', input: { command, is_background: false } }),
  // Qwen Code refuses a shell command that edits a file the session has not read.
  readBeforeShell: true,
};

// A background shell: Qwen Code's status file for it says when it ended; one still running when Qwen Code exits (it
// stops it) never ends for us.
const scenarios: AgentScenario[] = [
  ...sharedScenarios(tools),
  ...backgroundScenarios(
    tools,
    command => ({ tool: 'run_shell_command', input: { command, is_background: true, description: 'generate' } }),
    'Background shell started',
    'its status file says it completed',
  ),
  {
    name: "a sub-agent with another model: its file is credited to the sub-agent's model",
    variant: 'subagent',
    files: { 'README.md': '# demo\n' },
    turns: () => [
      [{ tool: 'agent', input: { description: 'helper', prompt: 'Write the helper file.', subagent_type: 'helper' } }],
      'Done.',
    ],
    more: dir => [
      {
        match: 'Write the helper file.',
        turns: [[tools.write(dir, 'src/helper.ts', 'export const helper = 1;\n')], 'Done.'],
      },
    ],
    model: HELPER_MODEL,
    expect: ['src/helper.ts: 1 1 0 0'],
    attribution: 'v1 added=1 ai=1 mixed=0 unknown=0 tools=TOOL/agent:1',
  },
];

describeAgent(
  {
    title: 'Qwen Code, the real CLI, offline against a scripted model',
    tool: 'qwen-code',
    assistedBy: scenario => `Qwen:${scenario.model ?? MODEL}`,
    // From its transcript (a sub-agent's: its record beside the session's).
    segmentModel: scenario => scenario.model ?? MODEL,
    workspace: scenario => new QwenRepo(scenario),
    run: (repo, server) =>
      repo.run(ensureAgentCli('qwen-code'), ['-p', 'Please edit the project.', '--yolo'], {
        ANTHROPIC_BASE_URL: server.url,
        ANTHROPIC_API_KEY: 'test-key',
        ANTHROPIC_MODEL: MODEL,
        QWEN_CODE_SUPPRESS_YOLO_WARNING: '1',
      }),
  },
  scenarios,
);

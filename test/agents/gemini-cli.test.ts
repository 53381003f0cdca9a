// The real Gemini CLI (pinned in test/support/agent-clis.ts) driven offline by a scripted generateContent server
// at GOOGLE_GEMINI_BASE_URL, with our hooks installed in the project's settings (or the person's) by our installer.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ensureAgentCli } from '../support/agent-clis';
import { backgroundScenarios, describeAgent, sharedScenarios, type AgentScenario } from '../support/agent-scenarios';
import { AgentWorkspace } from '../support/agent-workspace';

const MODEL = 'gemini-3.8-flash';

class GeminiRepo extends AgentWorkspace {
  constructor(scenario: AgentScenario) {
    super(scenario.files);
    fs.mkdirSync(path.join(this.home, '.gemini'), { recursive: true });
    fs.writeFileSync(
      path.join(this.home, '.gemini', 'settings.json'),
      JSON.stringify({ security: { auth: { selectedType: 'gemini-api-key' } } }),
    );
    const scope = scenario.scope ?? 'project';
    this.cli(['agents', 'install', 'gemini-cli', `--${scope}`]);
    if (scope === 'project') {
      this.git('add', '.gemini/settings.json');
      this.git('commit', '-q', '-m', 'hooks');
    }
  }
}

const tools = {
  read: (dir: string, file: string) => ({ tool: 'read_file', input: { file_path: `${dir}/${file}` } }),
  write: (dir: string, file: string, content: string) => ({
    tool: 'write_file',
    input: { file_path: `${dir}/${file}`, content },
  }),
  edit: (dir: string, file: string, oldText: string, newText: string, all?: boolean) => ({
    tool: 'replace',
    input: {
      file_path: `${dir}/${file}`,
      instruction: 'edit',
      old_string: oldText,
      new_string: newText,
      ...(all ? { allow_multiple: true } : {}),
    },
  }),
  shell: (command: string) => ({ tool: 'run_shell_command', input: { command } }),
};

const scenarios: AgentScenario[] = [
  ...sharedScenarios(tools),
  {
    name: 'replace matched by flexible indentation: the re-indented text is the agent\u2019s',
    files: { 'src/app.ts': 'export function main(): void {\n  console.log("start");\n}\n' },
    turns: dir => [
      [tools.read(dir, 'src/app.ts')],
      [tools.edit(dir, 'src/app.ts', 'console.log("start");\n}', 'console.log("start");\nagent();\n}')],
      'Done.',
    ],
    expect: ['src/app.ts: 1 1 0 0'],
    attribution: 'v1 added=1 ai=1 mixed=0 unknown=0 tools=TOOL/agent:1',
  },
];

// A shell moved to the background: its process gone at the turn's end, its file is the agent's.
scenarios.push(
  ...backgroundScenarios(
    tools,
    command => ({ tool: 'run_shell_command', input: { command, is_background: true } }),
    'moved to background',
    'its process is gone',
  ),
);

describeAgent(
  {
    title: 'Gemini CLI, the real CLI, offline against a scripted model',
    tool: 'gemini-cli',
    // The model Gemini CLI 0.61 picks by default (its router's answer is ours; the model it names is its own),
    // read from its transcript.
    assistedBy: () => `Gemini:${MODEL}`,
    segmentModel: () => MODEL,
    workspace: scenario => new GeminiRepo(scenario),
    run: (repo, server) =>
      repo.run(ensureAgentCli('gemini-cli'), ['-p', 'Please edit the project.', '--yolo'], {
        GOOGLE_GEMINI_BASE_URL: server.url,
        GEMINI_API_KEY: 'test-key',
        GEMINI_CLI_TRUST_WORKSPACE: 'true',
      }),
  },
  scenarios,
);

// The real Claude Code CLI (pinned in test/support/agent-clis.ts, installed into the test cache) driven offline by
// a scripted model server, with our hooks installed by our own installer; then a real commit.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { ensureAgentCli } from '../support/agent-clis';
import { AgentWorkspace, type AgentRun } from '../support/agent-workspace';
import { cliPath } from '../support/git-fixture';
import { readThen, startModelServer, type Conversation, type ModelServer } from '../support/model-server';
import { describeAgent, sharedScenarios, type AgentScenario } from '../support/agent-scenarios';

/** A workspace with Claude Code's hooks installed in the project's settings by our installer. */
class ClaudeRepo extends AgentWorkspace {
  constructor(files: Record<string, string>, scope: 'project' | 'user' = 'project') {
    super(files);
    this.cli(['agents', 'install', 'claude-code', `--${scope}`]);
    if (scope === 'user') return;
    // Our own settings file is not part of the work an agent does.
    this.git('add', '.claude/settings.json');
    this.git('commit', '-q', '-m', 'hooks');
  }

  claude(server: ModelServer, prompt: string, model?: string): Promise<AgentRun> {
    return this.run(
      ensureAgentCli('claude-code'),
      [
        '-p',
        prompt,
        '--permission-mode',
        'acceptEdits',
        '--allowedTools',
        'Bash',
        ...(model ? ['--model', model] : []),
      ],
      {
        ANTHROPIC_BASE_URL: server.url,
        ANTHROPIC_API_KEY: 'sk-ant-test',
        CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
        DISABLE_AUTOUPDATER: '1',
      },
    );
  }
}

const SHARED_MODEL = 'claude-sonnet-4-5';

const app = 'export function main(): void {\n  console.log("start");\n  console.log("start");\n}\n';

interface Scenario {
  name: string;
  files: Record<string, string>;
  /** The model's turns: built from the repository's folder (payload paths are absolute). */
  conversations: (dir: string) => Conversation[];
  /** Each changed file's lines as status shows them: `path: added ai mixed unknown`. */
  expect: string[];
  attribution: string;
  /** The model every AI line must be credited to (and that Assisted-by names). */
  model?: RegExp;
  /** What claude prints: the model's last text (default `Done.`). Our hooks must not change it. */
  output?: string;
}

const scenarios: Scenario[] = [
  {
    name: 'an Edit whose context repeats elsewhere in the file',
    files: { 'src/app.ts': app },
    conversations: dir => [
      {
        match: 'edit',
        turns: readThen(
          { tool: 'Read', input: { file_path: `${dir}/src/app.ts` } },
          {
            tool: 'Edit',
            input: {
              file_path: `${dir}/src/app.ts`,
              old_string: '  console.log("start");\n}',
              new_string: '  console.log("start");\n  agent();\n}',
            },
          },
        ),
      },
    ],
    expect: ['src/app.ts: 1 1 0 0'],
    attribution: 'v1 added=1 ai=1 mixed=0 unknown=0 tools=claude-code/agent:1',
  },
  {
    name: 'a Write of a new file',
    files: { 'README.md': '# demo\n' },
    conversations: dir => [
      {
        match: 'edit',
        turns: [
          [
            {
              tool: 'Write',
              input: { file_path: `${dir}/src/made.ts`, content: 'export const a = 1;\nexport const b = 2;\n' },
            },
          ],
          'Done.',
        ],
      },
    ],
    expect: ['src/made.ts: 2 2 0 0'],
    attribution: 'v1 added=2 ai=2 mixed=0 unknown=0 tools=claude-code/agent:2',
  },
  {
    name: 'a shell sed -i',
    files: { 'src/app.ts': app },
    conversations: () => [
      {
        match: 'edit',
        turns: [
          [{ tool: 'Bash', input: { command: 'sed -i "3s/start/stop/" src/app.ts', description: 'edit' } }],
          'Done.',
        ],
      },
    ],
    expect: ['src/app.ts: 1 0 1 0'],
    // The line as it was is gone (a changed line is a removed line and an added one, as git counts them).
    attribution: 'v1 added=1 ai=0 mixed=1 unknown=0 tools=claude-code/agent:1 deleted=1',
  },
  {
    name: 'an Edit that Claude matches through quote normalization (curly quotes in the file)',
    files: { 'src/app.ts': 'export function main(): void {\n  console.log(\u201cstart\u201d);\n}\n' },
    conversations: dir => [
      {
        match: 'edit',
        turns: readThen(
          { tool: 'Read', input: { file_path: `${dir}/src/app.ts` } },
          {
            tool: 'Edit',
            input: {
              file_path: `${dir}/src/app.ts`,
              old_string: '  console.log("start");\n',
              new_string: '  console.log("start");\n  agent("x");\n',
            },
          },
        ),
      },
    ],
    expect: ['src/app.ts: 1 1 0 0'],
    attribution: 'v1 added=1 ai=1 mixed=0 unknown=0 tools=claude-code/agent:1',
  },
  {
    name: 'a Write over an existing file: only the lines it changed',
    files: { 'src/app.ts': app },
    conversations: dir => [
      {
        match: 'edit',
        turns: readThen(
          { tool: 'Read', input: { file_path: `${dir}/src/app.ts` } },
          {
            tool: 'Write',
            input: { file_path: `${dir}/src/app.ts`, content: app.replace('}\n', '  agent();\n}\n') },
          },
        ),
      },
    ],
    expect: ['src/app.ts: 1 1 0 0'],
    attribution: 'v1 added=1 ai=1 mixed=0 unknown=0 tools=claude-code/agent:1',
  },
  {
    name: 'a failing Edit changes nothing; the Write after it counts',
    files: { 'src/app.ts': app },
    conversations: dir => [
      {
        match: 'edit',
        turns: [
          [{ tool: 'Read', input: { file_path: `${dir}/src/app.ts` } }],
          [{ tool: 'Edit', input: { file_path: `${dir}/src/app.ts`, old_string: 'not in the file', new_string: 'x' } }],
          [{ tool: 'Write', input: { file_path: `${dir}/src/made.ts`, content: 'export const made = 1;\n' } }],
          'Done.',
        ],
      },
    ],
    expect: ['src/made.ts: 1 1 0 0'],
    attribution: 'v1 added=1 ai=1 mixed=0 unknown=0 tools=claude-code/agent:1',
  },
  {
    name: 'a shell command that generates a file',
    files: { 'README.md': '# demo\n' },
    conversations: () => [
      {
        match: 'edit',
        turns: [
          [
            {
              tool: 'Bash',
              input: { command: "mkdir -p src && printf 'export const a = 1;\\nexport const b = 2;\\n' > src/gen.ts" },
            },
          ],
          'Done.',
        ],
      },
    ],
    expect: ['src/gen.ts: 2 2 0 0'],
    attribution: 'v1 added=2 ai=2 mixed=0 unknown=0 tools=claude-code/agent:2',
  },
  {
    name: 'an Edit of a file with CRLF line breaks',
    files: { 'src/app.ts': app.replace(/\n/g, '\r\n') },
    conversations: dir => [
      {
        match: 'edit',
        turns: readThen(
          { tool: 'Read', input: { file_path: `${dir}/src/app.ts` } },
          {
            tool: 'Edit',
            input: { file_path: `${dir}/src/app.ts`, old_string: '}\n', new_string: '  agent();\n}\n' },
          },
        ),
      },
    ],
    expect: ['src/app.ts: 1 1 0 0'],
    attribution: 'v1 added=1 ai=1 mixed=0 unknown=0 tools=claude-code/agent:1',
  },
  {
    name: "a sub-agent's lines are credited to the sub-agent's model",
    files: { 'README.md': '# demo\n' },
    conversations: dir => [
      {
        match: 'SUBTASK',
        turns: [
          [{ tool: 'Write', input: { file_path: `${dir}/src/helper.ts`, content: 'export const helper = 1;\n' } }],
          'Sub done.',
        ],
      },
      {
        match: 'edit',
        turns: [
          [
            {
              tool: 'Agent',
              input: {
                description: 'write the helper',
                prompt: 'SUBTASK: write it',
                subagent_type: 'general-purpose',
                model: 'haiku',
              },
            },
          ],
          'Done.',
        ],
      },
    ],
    expect: ['src/helper.ts: 1 1 0 0'],
    model: /^claude-haiku/,
    // The sub-agent runs in the background; when it ends, the parent gets a turn more (the script's default).
    output: 'Done.\n\nDone.',
    attribution: 'v1 added=1 ai=1 mixed=0 unknown=0 tools=claude-code/agent:1',
  },
  {
    name: 'a shell command run in the background: its file is attributed when the task ends',
    files: { 'README.md': '# demo\n' },
    conversations: () => [
      {
        match: 'edit',
        turns: [
          [
            {
              tool: 'Bash',
              input: {
                command: "sleep 1; mkdir -p src; printf 'export const bg = 1;\\n' > src/bg.ts",
                description: 'generate in the background',
                run_in_background: true,
              },
            },
          ],
          'Done.',
        ],
      },
    ],
    expect: ['src/bg.ts: 1 1 0 0'],
    attribution: 'v1 added=1 ai=1 mixed=0 unknown=0 tools=claude-code/agent:1',
    // When the task ends, Claude gets a turn more (the script's default answer).
    output: 'Done.\n\nDone.',
  },
];

describe('Claude Code, the real CLI, offline against a scripted model', function () {
  this.timeout(300_000);
  before(() => {
    assert.ok(fs.existsSync(cliPath), `${cliPath} is missing: run 'npm run build' first`);
    ensureAgentCli('claude-code');
  });

  for (const scenario of scenarios) {
    it(scenario.name, async () => {
      const repo = new ClaudeRepo(scenario.files);
      const server = await startModelServer(scenario.conversations(repo.dir));
      try {
        const run = await repo.claude(server, 'Please edit the project.');
        assert.equal(
          run.status,
          0,
          `claude exited ${run.status}: ${run.stderr}${run.stdout}\nrequests: ${JSON.stringify(server.requests.map(q => [q.path, (q.body.messages as unknown[] | undefined)?.length]))}`,
        );
        assert.equal(run.stdout.trim(), scenario.output ?? 'Done.', 'our hooks changed what the agent printed');
        const status = repo.status();
        assert.deepEqual(
          status.map(f => `${f.path}: ${f.added} ${f.ai} ${f.mixed} ${f.unknown}`),
          scenario.expect,
        );
        if (scenario.model)
          for (const segment of status.flatMap(f => f.segments)) assert.match(segment.model ?? '', scenario.model);
        repo.commit(scenario.name);
        assert.deepEqual(repo.trailers('AI-Attribution'), [scenario.attribution]);
        const assisted = repo.trailers('Assisted-by');
        assert.equal(assisted.length, 1);
        if (scenario.model) assert.match(assisted[0]!.split(':')[1] ?? '', scenario.model);
      } finally {
        await server.close();
        repo.dispose();
      }
    });
  }
});

const tools = {
  read: (dir: string, file: string) => ({ tool: 'Read', input: { file_path: `${dir}/${file}` } }),
  write: (dir: string, file: string, content: string) => ({
    tool: 'Write',
    input: { file_path: `${dir}/${file}`, content },
  }),
  edit: (dir: string, file: string, oldText: string, newText: string, all?: boolean) => ({
    tool: 'Edit',
    input: {
      file_path: `${dir}/${file}`,
      old_string: oldText,
      new_string: newText,
      ...(all ? { replace_all: true } : {}),
    },
  }),
  shell: (command: string) => ({ tool: 'Bash', input: { command, description: 'run' } }),
};

describeAgent(
  {
    title: 'Claude Code, the shared scenarios',
    tool: 'claude-code',
    // The model the scripted server answers as: the one Claude Code asked for, from its transcript.
    assistedBy: () => `Claude:${SHARED_MODEL}`,
    segmentModel: () => SHARED_MODEL,
    workspace: (scenario: AgentScenario) => new ClaudeRepo(scenario.files, scenario.scope),
    run: (repo, server) => repo.claude(server, 'Please edit the project.', SHARED_MODEL),
  },
  sharedScenarios(tools),
);

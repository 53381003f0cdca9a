// The real Qwen Code (pinned in test/support/agent-clis.ts) driven offline by a scripted Anthropic Messages server
// (its `anthropic` auth type: ANTHROPIC_BASE_URL, ANTHROPIC_API_KEY, ANTHROPIC_MODEL), with our hooks installed in
// the project's .qwen/settings.json or the person's by our own installer.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ensureAgentCli } from '../support/agent-clis';
import { AgentWorkspace, type AgentRun, type StatusFile } from '../support/agent-workspace';
import { cliPath } from '../support/git-fixture';
import { readThen, startModelServer, type Conversation, type ModelServer } from '../support/model-server';

const MODEL = 'claude-sonnet-4-5';

class QwenRepo extends AgentWorkspace {
  constructor(files: Record<string, string>, scope: 'project' | 'user') {
    super(files);
    fs.mkdirSync(path.join(this.home, '.qwen'), { recursive: true });
    fs.writeFileSync(
      path.join(this.home, '.qwen', 'settings.json'),
      JSON.stringify({ security: { auth: { selectedType: 'anthropic' } } }),
    );
    this.cli(['agents', 'install', 'qwen-code', `--${scope}`]);
    if (scope === 'project') {
      this.git('add', '.qwen/settings.json');
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

  qwen(server: ModelServer, prompt: string): Promise<AgentRun> {
    return this.run(ensureAgentCli('qwen-code'), ['-p', prompt, '--yolo'], {
      ANTHROPIC_BASE_URL: server.url,
      ANTHROPIC_API_KEY: 'test-key',
      ANTHROPIC_MODEL: MODEL,
      QWEN_CODE_SUPPRESS_YOLO_WARNING: '1',
    });
  }
}

interface Scenario {
  name: string;
  scope?: 'project' | 'user';
  files: Record<string, string>;
  conversations: (dir: string) => Conversation[];
  expect: string[];
  attribution: string;
}

const repeated = 'function a() {\n  log("x");\n}\nfunction b() {\n  log("x");\n}\n';
const scenarios: Scenario[] = [
  {
    name: 'write_file of a new file',
    files: { 'README.md': '# demo\n' },
    conversations: dir => [
      {
        match: 'Please edit',
        turns: [
          [
            {
              tool: 'write_file',
              input: { file_path: `${dir}/src/made.ts`, content: 'export const a = 1;\nexport const b = 2;\n' },
            },
          ],
          'Done.',
        ],
      },
    ],
    expect: ['src/made.ts: 2 2 0 0'],
    attribution: 'v1 added=2 ai=2 mixed=0 unknown=0 tools=qwen-code/agent:2',
  },
  {
    name: 'edit with repeated context: only the occurrence it named',
    files: { 'src/app.ts': repeated },
    conversations: dir => [
      {
        match: 'Please edit',
        turns: readThen(
          { tool: 'read_file', input: { file_path: `${dir}/src/app.ts` } },
          {
            tool: 'edit',
            input: {
              file_path: `${dir}/src/app.ts`,
              old_string: 'function b() {\n  log("x");',
              new_string: 'function b() {\n  log("x");\n  log("y");',
            },
          },
        ),
      },
    ],
    expect: ['src/app.ts: 1 1 0 0'],
    attribution: 'v1 added=1 ai=1 mixed=0 unknown=0 tools=qwen-code/agent:1',
  },
  {
    name: 'edit with replace_all, our hooks in the user scope',
    scope: 'user',
    files: { 'src/app.ts': 'log("a");\nlog("b");\nlog("c");\n' },
    conversations: dir => [
      {
        match: 'Please edit',
        turns: readThen(
          { tool: 'read_file', input: { file_path: `${dir}/src/app.ts` } },
          {
            tool: 'edit',
            input: { file_path: `${dir}/src/app.ts`, old_string: 'log(', new_string: 'trace(', replace_all: true },
          },
        ),
      },
    ],
    expect: ['src/app.ts: 3 0 3 0'],
    attribution: 'v1 added=3 ai=0 mixed=3 unknown=0 tools=qwen-code/agent:3 deleted=3',
  },
  {
    name: 'shell: sed -i and a code generator',
    files: { 'src/app.ts': 'const mode = "debug";\nconst level = 1;\n' },
    conversations: dir => [
      {
        match: 'Please edit',
        turns: [
          // Qwen Code refuses a shell command that edits a file the session has not read.
          [{ tool: 'read_file', input: { file_path: `${dir}/src/app.ts` } }],
          [
            {
              tool: 'run_shell_command',
              input: { command: "sed -i 's/debug/release/' src/app.ts", is_background: false },
            },
          ],
          [
            {
              tool: 'run_shell_command',
              input: {
                command: "printf 'export const x = 1;\\nexport const y = 2;\\n' > src/gen.ts",
                is_background: false,
              },
            },
          ],
          'Done.',
        ],
      },
    ],
    expect: ['src/app.ts: 1 0 1 0', 'src/gen.ts: 2 2 0 0'],
    attribution: 'v1 added=3 ai=2 mixed=1 unknown=0 tools=qwen-code/agent:3 deleted=1',
  },
  {
    name: 'a failing edit (old_string not in the file) changes nothing and is not credited',
    files: { 'src/app.ts': 'const a = 1;\n' },
    conversations: dir => [
      {
        match: 'Please edit',
        turns: [
          [
            {
              tool: 'edit',
              input: { file_path: `${dir}/src/app.ts`, old_string: 'const zz = 9;', new_string: 'const zz = 10;' },
            },
          ],
          [{ tool: 'write_file', input: { file_path: `${dir}/src/b.ts`, content: 'export const b = 2;\n' } }],
          'Done.',
        ],
      },
    ],
    expect: ['src/b.ts: 1 1 0 0'],
    attribution: 'v1 added=1 ai=1 mixed=0 unknown=0 tools=qwen-code/agent:1',
  },
];

describe('Qwen Code, the real CLI, offline against a scripted model', function () {
  this.timeout(300_000);
  before(() => assert.ok(fs.existsSync(cliPath), `${cliPath} is missing: run 'npm run build' first`));

  for (const scenario of scenarios) {
    it(scenario.name, async () => {
      const repo = new QwenRepo(scenario.files, scenario.scope ?? 'project');
      const server = await startModelServer(scenario.conversations(repo.dir));
      try {
        const run = await repo.qwen(server, 'Please edit the project.');
        assert.equal(run.status, 0, `qwen exited ${run.status}: ${run.stdout.slice(-2000)} ${run.stderr.slice(-2000)}`);
        assert.equal(run.stdout.trim(), 'Done.', 'our hooks changed what the agent printed');
        const files = repo.status();
        const status = files.map(f => `${f.path}: ${f.added} ${f.ai} ${f.mixed} ${f.unknown}`);
        assert.deepEqual(status, scenario.expect);
        for (const f of files)
          for (const s of f.segments.filter(s => s.class === 'a')) {
            assert.equal(s.tool, 'qwen-code');
            assert.equal(s.model, MODEL, `${f.path}: the model from Qwen Code's transcript`);
          }
        repo.commit(scenario.name);
        assert.deepEqual(repo.trailers('AI-Attribution'), [scenario.attribution]);
        assert.deepEqual(repo.trailers('Assisted-by'), [`Qwen:${MODEL}`]);
      } finally {
        await server.close();
        repo.dispose();
      }
    });
  }
});

// The real OpenCode (pinned in test/support/agent-clis.ts) driven offline by a scripted Anthropic Messages server,
// declared as a provider of its own in the person's OpenCode config, with our plugin installed by our installer.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { agentCliHome, ensureAgentCli } from '../support/agent-clis';
import { AgentWorkspace, type AgentRun } from '../support/agent-workspace';
import { cliPath } from '../support/git-fixture';
import { readThen, startModelServer, type Conversation, type ModelServer } from '../support/model-server';

const MODEL = 'claude-sonnet-4-5';

class OpencodeRepo extends AgentWorkspace {
  constructor(files: Record<string, string>, scope: 'project' | 'user') {
    // OpenCode writes a .gitignore of its own into the folder it loads plugins from.
    super({ ...files, '.gitignore': '.opencode/.gitignore\n' });
    const installed = this.cli(['agents', 'install', 'opencode', `--${scope}`]);
    assert.match(installed, /^opencode: created /m);
    if (scope === 'project') {
      this.git('add', '.opencode');
      this.git('commit', '-q', '-m', 'plugin');
    }
  }

  opencode(server: ModelServer, prompt: string): Promise<AgentRun> {
    const config = path.join(this.home, '.config', 'opencode');
    fs.mkdirSync(config, { recursive: true });
    fs.writeFileSync(
      path.join(config, 'opencode.json'),
      JSON.stringify({
        autoupdate: false,
        share: 'disabled',
        // Its session titles too: else it asks its own service, offline, with retries.
        small_model: `scripted/${MODEL}`,
        provider: {
          scripted: {
            npm: '@ai-sdk/anthropic',
            name: 'Scripted',
            options: { baseURL: `${server.url}/v1`, apiKey: 'test-key' },
            models: { [MODEL]: { name: 'Scripted Claude', tool_call: true } },
          },
        },
      }),
    );
    return this.run(ensureAgentCli('opencode'), ['run', '-m', `scripted/${MODEL}`, prompt], {
      // OpenCode takes its folder from PWD.
      PWD: this.dir,
      OPENCODE_DISABLE_MODELS_FETCH: 'true',
      OPENCODE_DISABLE_AUTOUPDATE: 'true',
      XDG_CACHE_HOME: path.join(agentCliHome('opencode'), 'xdg-cache'),
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
    name: 'write of a new file',
    files: { 'README.md': '# demo\n' },
    conversations: dir => [
      {
        match: 'Please edit',
        turns: [
          [
            {
              tool: 'write',
              input: { filePath: `${dir}/src/made.ts`, content: 'export const a = 1;\nexport const b = 2;\n' },
            },
          ],
          'Done.',
        ],
      },
    ],
    expect: ['src/made.ts: 2 2 0 0'],
    attribution: 'v1 added=2 ai=2 mixed=0 unknown=0 tools=opencode/agent:2',
  },
  {
    name: 'edit with repeated context: only the occurrence it named',
    files: { 'src/app.ts': repeated },
    conversations: dir => [
      {
        match: 'Please edit',
        turns: readThen(
          { tool: 'read', input: { filePath: `${dir}/src/app.ts` } },
          {
            tool: 'edit',
            input: {
              filePath: `${dir}/src/app.ts`,
              oldString: 'function b() {\n  log("x");',
              newString: 'function b() {\n  log("x");\n  log("y");',
            },
          },
        ),
      },
    ],
    expect: ['src/app.ts: 1 1 0 0'],
    attribution: 'v1 added=1 ai=1 mixed=0 unknown=0 tools=opencode/agent:1',
  },
  {
    name: 'edit with replaceAll, our plugin in the user scope',
    scope: 'user',
    files: { 'src/app.ts': 'log("a");\nlog("b");\nlog("c");\n' },
    conversations: dir => [
      {
        match: 'Please edit',
        turns: readThen(
          { tool: 'read', input: { filePath: `${dir}/src/app.ts` } },
          {
            tool: 'edit',
            input: { filePath: `${dir}/src/app.ts`, oldString: 'log(', newString: 'trace(', replaceAll: true },
          },
        ),
      },
    ],
    expect: ['src/app.ts: 3 0 3 0'],
    attribution: 'v1 added=3 ai=0 mixed=3 unknown=0 tools=opencode/agent:3 deleted=3',
  },
  {
    name: 'shell: sed -i and a code generator',
    files: { 'src/app.ts': 'const mode = "debug";\nconst level = 1;\n' },
    conversations: () => [
      {
        match: 'Please edit',
        turns: [
          [{ tool: 'bash', input: { command: "sed -i 's/debug/release/' src/app.ts", description: 'switch mode' } }],
          [
            {
              tool: 'bash',
              input: {
                command: "printf 'export const x = 1;\\nexport const y = 2;\\n' > src/gen.ts",
                description: 'generate',
              },
            },
          ],
          'Done.',
        ],
      },
    ],
    expect: ['src/app.ts: 1 0 1 0', 'src/gen.ts: 2 2 0 0'],
    attribution: 'v1 added=3 ai=2 mixed=1 unknown=0 tools=opencode/agent:3 deleted=1',
  },
  {
    name: 'a failing edit (oldString not in the file) changes nothing and is not credited',
    files: { 'src/app.ts': 'const a = 1;\n' },
    conversations: dir => [
      {
        match: 'Please edit',
        turns: [
          [
            {
              tool: 'edit',
              input: { filePath: `${dir}/src/app.ts`, oldString: 'const zz = 9;', newString: 'const zz = 10;' },
            },
          ],
          [{ tool: 'write', input: { filePath: `${dir}/src/b.ts`, content: 'export const b = 2;\n' } }],
          'Done.',
        ],
      },
    ],
    expect: ['src/b.ts: 1 1 0 0'],
    attribution: 'v1 added=1 ai=1 mixed=0 unknown=0 tools=opencode/agent:1',
  },
];

describe('OpenCode, the real CLI, offline against a scripted model', function () {
  this.timeout(300_000);
  before(() => assert.ok(fs.existsSync(cliPath), `${cliPath} is missing: run 'npm run build' first`));

  for (const scenario of scenarios) {
    it(scenario.name, async () => {
      const repo = new OpencodeRepo(scenario.files, scenario.scope ?? 'project');
      const server = await startModelServer(scenario.conversations(repo.dir));
      try {
        const run = await repo.opencode(server, 'Please edit the project.');
        assert.equal(
          run.status,
          0,
          `opencode exited ${run.status}: ${run.stdout.slice(-2000)} ${run.stderr.slice(-2000)}`,
        );
        assert.match(run.stdout, /Done\.\s*$/, 'our plugin changed what the agent printed');
        const files = repo.status();
        const status = files.map(f => `${f.path}: ${f.added} ${f.ai} ${f.mixed} ${f.unknown}`);
        assert.deepEqual(status, scenario.expect);
        for (const f of files)
          for (const s of f.segments.filter(s => s.class === 'a')) {
            assert.equal(s.tool, 'opencode');
            assert.equal(s.model, MODEL, `${f.path}: the model from OpenCode's chat.params`);
          }
        repo.commit(scenario.name);
        assert.deepEqual(repo.trailers('AI-Attribution'), [scenario.attribution]);
        assert.deepEqual(repo.trailers('Assisted-by'), [`OpenCode:${MODEL}`]);
      } finally {
        await server.close();
        repo.dispose();
      }
    });
  }
});

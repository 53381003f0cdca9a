// The real Cline CLI (pinned in test/support/agent-clis.ts) driven offline by a scripted OpenAI Chat Completions
// server (its `openai` provider with a base URL, set by `cline auth`), with our hooks installed by our installer.
// The model's family picks Cline's tools: a GPT model gets apply_patch, a Claude model the editor tool.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { ensureAgentCli } from '../support/agent-clis';
import { AgentWorkspace, type AgentRun } from '../support/agent-workspace';
import { cliPath } from '../support/git-fixture';
import { startModelServer, type Conversation, type ModelServer, type Turn } from '../support/model-server';

class ClineRepo extends AgentWorkspace {
  constructor(files: Record<string, string>, scope: 'project' | 'user') {
    super(files);
    this.cli(['agents', 'install', 'cline', `--${scope}`]);
    if (scope === 'project') {
      this.git('add', '.clinerules');
      this.git('commit', '-q', '-m', 'hooks');
    }
  }

  // The Cline CLI leaves a hub daemon running for the folder (--cwd <folder>): stop it with the test.
  override dispose(): void {
    spawnSync('pkill', ['-f', '--', `cline-hub-daemon --cwd ${this.dir}`]);
    super.dispose();
  }

  async cline(server: ModelServer, model: string, prompt: string): Promise<AgentRun> {
    const cline = ensureAgentCli('cline-cli');
    const env = { PWD: this.dir };
    const auth = await this.run(
      cline,
      ['auth', '-p', 'openai', '-k', 'test-key', '-m', model, '-b', `${server.url}/v1`],
      env,
    );
    assert.equal(auth.status, 0, `cline auth: ${auth.stdout} ${auth.stderr}`);
    return this.run(cline, [prompt, '--auto-approve', 'true'], env);
  }
}

interface Scenario {
  name: string;
  model: string;
  scope?: 'project' | 'user';
  files: Record<string, string>;
  turns: Turn[];
  expect: string[];
  attribution: string;
}

const GPT = 'gpt-5.5';
const CLAUDE = 'claude-sonnet-4-5';
const repeated = 'function a() {\n  log("x");\n}\nfunction b() {\n  log("x");\n}\n';
const scenarios: Scenario[] = [
  {
    name: 'editor: a new file',
    model: CLAUDE,
    files: { 'README.md': '# demo\n' },
    turns: [
      [{ tool: 'editor', input: { path: 'made.ts', new_text: 'export const a = 1;\nexport const b = 2;\n' } }],
      'Done.',
    ],
    expect: ['made.ts: 2 2 0 0'],
    attribution: 'v1 added=2 ai=2 mixed=0 unknown=0 tools=cline/agent:2',
  },
  {
    name: 'editor: a replacement with repeated context, only the occurrence it named; an insert at a line',
    model: CLAUDE,
    files: { 'src/app.ts': repeated },
    turns: [
      [{ tool: 'read_files', input: { files: [{ path: 'src/app.ts' }] } }],
      [
        {
          tool: 'editor',
          input: {
            path: 'src/app.ts',
            old_text: 'function b() {\n  log("x");',
            new_text: 'function b() {\n  log("x");\n  log("y");',
          },
        },
      ],
      [{ tool: 'editor', input: { path: 'src/app.ts', new_text: '// inserted by the agent', insert_line: 1 } }],
      'Done.',
    ],
    expect: ['src/app.ts: 2 2 0 0'],
    attribution: 'v1 added=2 ai=2 mixed=0 unknown=0 tools=cline/agent:2',
  },
  {
    name: 'apply_patch across two files, our hooks in the user scope (~/.cline/hooks)',
    model: GPT,
    scope: 'user',
    files: { 'src/app.ts': repeated },
    turns: [
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
    attribution: 'v1 added=2 ai=2 mixed=0 unknown=0 tools=cline/agent:2',
  },
  {
    name: 'run_commands: sed -i and a code generator',
    model: GPT,
    files: { 'src/app.ts': 'const mode = "debug";\nconst level = 1;\n' },
    turns: [
      [
        {
          tool: 'run_commands',
          input: {
            commands: [
              "sed -i 's/debug/release/' src/app.ts",
              "printf 'export const x = 1;\\nexport const y = 2;\\n' > src/gen.ts",
            ],
          },
        },
      ],
      'Done.',
    ],
    expect: ['src/app.ts: 1 0 1 0', 'src/gen.ts: 2 2 0 0'],
    attribution: 'v1 added=3 ai=2 mixed=1 unknown=0 tools=cline/agent:3 deleted=1',
  },
  {
    name: 'a failing editor call (old_text not in the file) changes nothing and is not credited',
    model: CLAUDE,
    files: { 'src/app.ts': 'const a = 1;\n' },
    turns: [
      [{ tool: 'editor', input: { path: 'src/app.ts', old_text: 'const zz = 9;', new_text: 'const zz = 10;' } }],
      [{ tool: 'editor', input: { path: 'src/b.ts', new_text: 'export const b = 2;\n' } }],
      'Done.',
    ],
    expect: ['src/b.ts: 1 1 0 0'],
    attribution: 'v1 added=1 ai=1 mixed=0 unknown=0 tools=cline/agent:1',
  },
];

describe('the Cline CLI, the real CLI, offline against a scripted model', function () {
  this.timeout(300_000);
  before(() => assert.ok(fs.existsSync(cliPath), `${cliPath} is missing: run 'npm run build' first`));

  for (const scenario of scenarios) {
    it(scenario.name, async () => {
      const repo = new ClineRepo(scenario.files, scenario.scope ?? 'project');
      const conversations: Conversation[] = [{ match: 'Please edit', turns: scenario.turns }];
      const server = await startModelServer(conversations);
      try {
        const run = await repo.cline(server, scenario.model, 'Please edit the project.');
        assert.equal(
          run.status,
          0,
          `cline exited ${run.status}: ${run.stdout.slice(-2000)} ${run.stderr.slice(-2000)}`,
        );
        // It prints each tool call, then the answer; nothing of ours.
        assert.match(run.stdout, /Done\.\s*$/);
        assert.doesNotMatch(run.stdout + run.stderr, /ai-provenance: /, 'our hooks printed into the agent');
        const files = repo.status();
        const status = files.map(f => `${f.path}: ${f.added} ${f.ai} ${f.mixed} ${f.unknown}`);
        assert.deepEqual(status, scenario.expect);
        for (const f of files) for (const s of f.segments.filter(s => s.class === 'a')) assert.equal(s.tool, 'cline');
        repo.commit(scenario.name);
        assert.deepEqual(repo.trailers('AI-Attribution'), [scenario.attribution]);
        assert.deepEqual(repo.trailers('Assisted-by'), ['Cline']);
      } finally {
        await server.close();
        repo.dispose();
      }
    });
  }
});

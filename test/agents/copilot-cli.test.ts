// The real GitHub Copilot CLI (pinned in test/support/agent-clis.ts) driven offline by a scripted Anthropic
// Messages server: Copilot CLI's own provider settings (COPILOT_PROVIDER_*) with COPILOT_OFFLINE, and our hook
// entry installed by our own installer, in the repository (a folder the person trusted) or in their home.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { agentCliHome, ensureAgentCli } from '../support/agent-clis';
import { AgentWorkspace, type AgentRun } from '../support/agent-workspace';
import { cliPath } from '../support/git-fixture';
import { readThen, startModelServer, type Conversation, type ModelServer } from '../support/model-server';

const MODEL = 'claude-sonnet-4-5';

type Scope = 'project' | 'user' | 'both-entries';

class CopilotRepo extends AgentWorkspace {
  constructor(files: Record<string, string>, scope: Scope) {
    super(files);
    if (scope === 'user') this.cli(['agents', 'install', 'copilot-cli', '--user']);
    else {
      const installed = this.cli(['agents', 'install', 'copilot-cli', '--project']);
      assert.match(installed, /not running yet: Copilot CLI runs this repository's hooks only in a folder you trusted/);
      // Copilot CLI also runs Claude Code's entries in .claude/settings.json: a repository with both.
      if (scope === 'both-entries') this.cli(['agents', 'install', 'claude-code', '--project']);
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

  copilot(server: ModelServer, prompt: string): Promise<AgentRun> {
    return this.run(ensureAgentCli('copilot-cli'), ['-p', prompt, '--allow-all-tools', '--silent'], {
      COPILOT_OFFLINE: 'true',
      COPILOT_PROVIDER_TYPE: 'anthropic',
      COPILOT_PROVIDER_BASE_URL: server.url,
      COPILOT_PROVIDER_API_KEY: 'test-key',
      COPILOT_PROVIDER_MODEL_ID: MODEL,
      // Copilot CLI unpacks itself on first run: once per machine, beside the installed package.
      XDG_CACHE_HOME: path.join(agentCliHome('copilot-cli'), 'xdg-cache'),
    });
  }
}

interface Scenario {
  name: string;
  scope?: Scope;
  files: Record<string, string>;
  conversations: (dir: string) => Conversation[];
  expect: string[];
  attribution: string;
  /** What the model server must have been asked: the tool result Copilot CLI sent back. */
  toolResult?: RegExp;
}

const edit = (dir: string, file: string, oldStr: string, newStr: string): Conversation[] => [
  {
    match: 'Please edit',
    turns: readThen(
      { tool: 'view', input: { path: `${dir}/${file}` } },
      { tool: 'edit', input: { path: `${dir}/${file}`, old_str: oldStr, new_str: newStr } },
    ),
  },
];

const repeated = 'function a() {\n  log("x");\n}\nfunction b() {\n  log("x");\n}\n';
const scenarios: Scenario[] = [
  {
    name: 'create of a new file',
    files: { 'README.md': '# demo\n' },
    conversations: dir => [
      {
        match: 'Please edit',
        turns: [
          [
            {
              tool: 'create',
              input: { path: `${dir}/made.ts`, file_text: 'export const a = 1;\nexport const b = 2;\n' },
            },
          ],
          'Done.',
        ],
      },
    ],
    expect: ['made.ts: 2 2 0 0'],
    attribution: 'v1 added=2 ai=2 mixed=0 unknown=0 tools=copilot/agent:2',
  },
  {
    name: 'edit with repeated context: only the occurrence it named',
    files: { 'src/app.ts': repeated },
    conversations: dir =>
      edit(dir, 'src/app.ts', 'function b() {\n  log("x");', 'function b() {\n  log("x");\n  log("y");'),
    expect: ['src/app.ts: 1 1 0 0'],
    attribution: 'v1 added=1 ai=1 mixed=0 unknown=0 tools=copilot/agent:1',
  },
  {
    name: 'the same edit with our entry in the user scope (no folder trust needed)',
    scope: 'user',
    files: { 'src/app.ts': repeated },
    conversations: dir =>
      edit(dir, 'src/app.ts', 'function a() {\n  log("x");', 'function a() {\n  log("x");\n  log("y");'),
    expect: ['src/app.ts: 1 1 0 0'],
    attribution: 'v1 added=1 ai=1 mixed=0 unknown=0 tools=copilot/agent:1',
  },
  {
    name: "Claude Code's entry run by Copilot CLI too: Copilot's lines, counted once",
    scope: 'both-entries',
    files: { 'src/app.ts': repeated },
    conversations: dir =>
      edit(dir, 'src/app.ts', 'function b() {\n  log("x");\n}', 'function b() {\n  log("x");\n}\nfunction c() {}'),
    expect: ['src/app.ts: 1 1 0 0'],
    attribution: 'v1 added=1 ai=1 mixed=0 unknown=0 tools=copilot/agent:1',
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
    attribution: 'v1 added=3 ai=2 mixed=1 unknown=0 tools=copilot/agent:3 deleted=1',
  },
  {
    name: 'a failing edit (old_str not in the file) changes nothing and is not credited',
    files: { 'src/app.ts': 'const a = 1;\n' },
    conversations: dir => [
      {
        match: 'Please edit',
        turns: [
          [{ tool: 'edit', input: { path: `${dir}/src/app.ts`, old_str: 'const zz = 9;', new_str: 'const zz = 10;' } }],
          [{ tool: 'create', input: { path: `${dir}/src/b.ts`, file_text: 'export const b = 2;\n' } }],
          'Done.',
        ],
      },
    ],
    expect: ['src/b.ts: 1 1 0 0'],
    attribution: 'v1 added=1 ai=1 mixed=0 unknown=0 tools=copilot/agent:1',
    toolResult: /No match found|did not|not found|no match/i,
  },
];

describe('Copilot CLI, the real CLI, offline against a scripted model', function () {
  this.timeout(300_000);
  before(() => assert.ok(fs.existsSync(cliPath), `${cliPath} is missing: run 'npm run build' first`));

  for (const scenario of scenarios) {
    it(scenario.name, async () => {
      const repo = new CopilotRepo(scenario.files, scenario.scope ?? 'project');
      const server = await startModelServer(scenario.conversations(repo.dir));
      try {
        const run = await repo.copilot(server, 'Please edit the project.');
        assert.equal(run.status, 0, `copilot exited ${run.status}: ${run.stderr.slice(-2000)}`);
        assert.equal(run.stdout.trim(), 'Done.', 'our hooks changed what the agent printed');
        if (scenario.toolResult)
          assert.match(JSON.stringify(server.requests.at(-1)?.body.messages), scenario.toolResult);
        const files = repo.status();
        const status = files.map(f => `${f.path}: ${f.added} ${f.ai} ${f.mixed} ${f.unknown}`);
        assert.deepEqual(status, scenario.expect);
        for (const f of files)
          for (const s of f.segments.filter(s => s.class === 'a')) {
            assert.equal(s.tool, 'copilot');
            assert.equal(s.model, MODEL, `${f.path}: the model from Copilot CLI's session log`);
          }
        repo.commit(scenario.name);
        assert.deepEqual(repo.trailers('AI-Attribution'), [scenario.attribution]);
        assert.deepEqual(repo.trailers('Assisted-by'), [`Copilot:${MODEL}`]);
      } finally {
        await server.close();
        repo.dispose();
      }
    });
  }
});

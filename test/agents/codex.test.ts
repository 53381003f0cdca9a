// The real Codex CLI (pinned in test/support/agent-clis.ts) driven offline by a scripted Responses API server
// (a custom model provider), with our hooks installed by our own installer, which also has Codex trust them.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ensureAgentCli } from '../support/agent-clis';
import { AgentWorkspace, type AgentRun } from '../support/agent-workspace';
import { cliPath } from '../support/git-fixture';
import { startModelServer, type Conversation, type ModelServer } from '../support/model-server';
import { describeAgent, sharedScenarios, type AgentScenario } from '../support/agent-scenarios';

/** A model Codex knows (its tools include the apply_patch freeform tool), served by the scripted provider. */
const MODEL = 'gpt-5.5';

class CodexRepo extends AgentWorkspace {
  readonly codex = ensureAgentCli('codex');
  /** Codex on PATH, as for a person who installed it: our installer asks it to trust our hooks. */
  readonly path = `${path.dirname(this.codex)}${path.delimiter}${process.env.PATH ?? ''}`;

  constructor(files: Record<string, string>, server?: ModelServer) {
    super(files);
    if (server) this.provider(server.url);
  }

  /** The person's Codex config: the scripted server as a custom provider. */
  provider(url: string): void {
    fs.mkdirSync(path.join(this.home, '.codex'), { recursive: true });
    fs.writeFileSync(
      path.join(this.home, '.codex', 'config.toml'),
      [
        `model = "${MODEL}"`,
        'model_provider = "scripted"',
        '',
        '[model_providers.scripted]',
        'name = "scripted"',
        `base_url = "${url}/v1"`,
        'wire_api = "responses"',
        '',
      ].join('\n'),
    );
  }

  install(): string {
    return this.cli(['agents', 'install', 'codex'], { PATH: this.path });
  }

  exec(prompt: string): Promise<AgentRun> {
    return this.run(this.codex, ['exec', '--dangerously-bypass-approvals-and-sandbox', prompt], {
      PATH: this.path,
      OPENAI_API_KEY: 'sk-test',
    });
  }
}

const app = 'export function main(): void {\n  console.log("start");\n}\n';
const patch = (dir: string): string =>
  [
    '*** Begin Patch',
    `*** Update File: ${dir}/src/app.ts`,
    '@@',
    ' export function main(): void {',
    '   console.log("start");',
    '+  agent();',
    ' }',
    `*** Add File: ${dir}/src/made.ts`,
    '+export const made = 1;',
    '*** End Patch',
    '',
  ].join('\n');

describe('Codex, the real CLI, offline against a scripted model', function () {
  this.timeout(300_000);
  before(() => assert.ok(fs.existsSync(cliPath), `${cliPath} is missing: run 'npm run build' first`));

  it('agents install has Codex trust our hooks, and a multi-file apply_patch and a shell sed are attributed exactly', async () => {
    const conversations = (dir: string): Conversation[] => [
      {
        match: 'Please edit',
        turns: [
          [{ tool: 'apply_patch', input: { patch: patch(dir) } }],
          [{ tool: 'exec_command', input: { cmd: 'sed -i "s/start/begin/" src/app.ts' } }],
          'Done.',
        ],
      },
    ];
    let workspace: CodexRepo | undefined;
    const server = await startModelServer(conversations(''));
    try {
      // The script needs the repository's folder: build the workspace, then give the server its turns.
      workspace = new CodexRepo({ 'src/app.ts': app }, server);
      server.conversations.splice(0, server.conversations.length, ...conversations(workspace.dir));
      const installed = workspace.install();
      assert.match(installed, /trusted by Codex: it runs our hooks/);
      assert.match(
        workspace.cli(['agents', 'status', 'codex'], { PATH: workspace.path }),
        /installed .*, trusted by Codex/,
      );
      const run = await workspace.exec('Please edit the project.');
      assert.equal(run.status, 0, `codex exited ${run.status}: ${run.stderr.slice(-2000)}`);
      assert.match(run.stdout, /Done\./);
      const status = workspace.status().map(f => `${f.path}: ${f.added} ${f.ai} ${f.mixed} ${f.unknown}`);
      assert.deepEqual(status, ['src/app.ts: 2 1 1 0', 'src/made.ts: 1 1 0 0']);
      workspace.commit('codex work');
      assert.deepEqual(workspace.trailers('AI-Attribution'), [
        'v1 added=3 ai=2 mixed=1 unknown=0 tools=codex/agent:3 deleted=1',
      ]);
      assert.deepEqual(workspace.trailers('Assisted-by'), [`Codex:${MODEL}`]);
    } finally {
      await server.close();
      workspace?.dispose();
    }
  });
});

// Codex edits through apply_patch (a patch per edit) and reads and runs through exec_command; it has no
// replace-all. Its hooks go in the person's home (a project's .codex is read only once the person trusts it).
const PLACEHOLDER = 'http://127.0.0.1:9';
const update = (dir: string, file: string, oldText: string, newText: string): string =>
  [
    '*** Begin Patch',
    `*** Update File: ${dir}/${file}`,
    '@@',
    ...oldText.split('\n').map(l => `-${l}`),
    ...newText.split('\n').map(l => `+${l}`),
    '*** End Patch',
    '',
  ].join('\n');
const tools = {
  read: (_dir: string, file: string) => ({ tool: 'exec_command', input: { cmd: `cat ${file}` } }),
  write: (dir: string, file: string, content: string) => ({
    tool: 'apply_patch',
    input: {
      patch: [
        '*** Begin Patch',
        `*** Add File: ${dir}/${file}`,
        ...content
          .replace(/\n$/, '')
          .split('\n')
          .map(l => `+${l}`),
        '*** End Patch',
        '',
      ].join('\n'),
    },
  }),
  edit: (dir: string, file: string, oldText: string, newText: string) => ({
    tool: 'apply_patch',
    input: { patch: update(dir, file, oldText, newText) },
  }),
  shell: (command: string) => ({ tool: 'exec_command', input: { cmd: command } }),
};

describeAgent(
  {
    title: 'Codex, the shared scenarios',
    tool: 'codex',
    assistedBy: () => `Codex:${MODEL}`,
    segmentModel: () => MODEL,
    workspace: (scenario: AgentScenario) => {
      // The provider first: install adds Codex's trust of our hooks to the same config.toml.
      const repo = new CodexRepo(scenario.files);
      repo.provider(PLACEHOLDER);
      assert.match(repo.install(), /trusted by Codex: it runs our hooks/);
      return repo;
    },
    run: (repo, server) => {
      const config = path.join(repo.home, '.codex', 'config.toml');
      fs.writeFileSync(config, fs.readFileSync(config, 'utf8').split(PLACEHOLDER).join(server.url));
      return repo.exec('Please edit the project.');
    },
    printed: run => assert.match(run.stdout, /Done\./),
  },
  [
    ...sharedScenarios(tools, { replaceAll: false }),
    {
      // Codex sends no post-tool hook for a command still running when it answers the model (and stops it when it
      // exits): what it wrote has no record, and a commit of it asks for review.
      name: 'a command still running when Codex answers the model: a commit of what it wrote asks for review',
      files: { 'README.md': '# demo\n' },
      turns: () => [
        [
          {
            tool: 'exec_command',
            input: { cmd: "mkdir -p src; printf 'export const bg = 1;\\n' > src/bg.ts; sleep 30", yield_time_ms: 500 },
          },
        ],
        'Done.',
      ],
      expect: ['src/bg.ts: 1 0 0 1'],
      attribution: 'v1 added=1 ai=0 mixed=0 unknown=1 tools= skipped=1',
      assistedBy: [],
    },
  ].map(s => ({ ...s, scope: 'user' as const })),
);

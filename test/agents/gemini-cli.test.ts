// The real Gemini CLI (pinned in test/support/agent-clis.ts) driven offline by a scripted generateContent server
// at GOOGLE_GEMINI_BASE_URL, with our hooks installed in the project's settings by our own installer.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ensureAgentCli } from '../support/agent-clis';
import { AgentWorkspace, type AgentRun } from '../support/agent-workspace';
import { cliPath } from '../support/git-fixture';
import { readThen, startModelServer, type Conversation, type ModelServer } from '../support/model-server';

class GeminiRepo extends AgentWorkspace {
  constructor(files: Record<string, string>) {
    super(files);
    fs.mkdirSync(path.join(this.home, '.gemini'), { recursive: true });
    fs.writeFileSync(
      path.join(this.home, '.gemini', 'settings.json'),
      JSON.stringify({ security: { auth: { selectedType: 'gemini-api-key' } } }),
    );
    this.cli(['agents', 'install', 'gemini-cli', '--project']);
    this.git('add', '.gemini/settings.json');
    this.git('commit', '-q', '-m', 'hooks');
  }

  gemini(server: ModelServer, prompt: string): Promise<AgentRun> {
    return this.run(ensureAgentCli('gemini-cli'), ['-p', prompt, '--yolo'], {
      GOOGLE_GEMINI_BASE_URL: server.url,
      GEMINI_API_KEY: 'test-key',
      GEMINI_CLI_TRUST_WORKSPACE: 'true',
    });
  }
}

interface Scenario {
  name: string;
  files: Record<string, string>;
  conversations: (dir: string) => Conversation[];
  expect: string[];
  attribution: string;
}

const app = 'export function main(): void {\n  console.log("start");\n}\n';
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
    attribution: 'v1 added=2 ai=2 mixed=0 unknown=0 tools=gemini-cli/agent:2',
  },
  {
    name: 'replace with allow_multiple: every occurrence',
    files: { 'src/app.ts': 'log("a");\nlog("b");\nlog("c");\n' },
    conversations: dir => [
      {
        match: 'Please edit',
        turns: readThen(
          { tool: 'read_file', input: { file_path: `${dir}/src/app.ts` } },
          {
            tool: 'replace',
            input: {
              file_path: `${dir}/src/app.ts`,
              instruction: 'rename log to trace everywhere',
              old_string: 'log(',
              new_string: 'trace(',
              allow_multiple: true,
            },
          },
        ),
      },
    ],
    expect: ['src/app.ts: 3 0 3 0'],
    attribution: 'v1 added=3 ai=0 mixed=3 unknown=0 tools=gemini-cli/agent:3 deleted=3',
  },
  {
    name: 'replace matched by flexible indentation: the re-indented text is the agent\u2019s',
    files: { 'src/app.ts': app },
    conversations: dir => [
      {
        match: 'Please edit',
        turns: readThen(
          { tool: 'read_file', input: { file_path: `${dir}/src/app.ts` } },
          {
            tool: 'replace',
            input: {
              file_path: `${dir}/src/app.ts`,
              instruction: 'add a call',
              old_string: 'console.log("start");\n}',
              new_string: 'console.log("start");\nagent();\n}',
            },
          },
        ),
      },
    ],
    expect: ['src/app.ts: 1 1 0 0'],
    attribution: 'v1 added=1 ai=1 mixed=0 unknown=0 tools=gemini-cli/agent:1',
  },
];

describe('Gemini CLI, the real CLI, offline against a scripted model', function () {
  this.timeout(300_000);
  before(() => assert.ok(fs.existsSync(cliPath), `${cliPath} is missing: run 'npm run build' first`));

  for (const scenario of scenarios) {
    it(scenario.name, async () => {
      const repo = new GeminiRepo(scenario.files);
      const server = await startModelServer(scenario.conversations(repo.dir));
      try {
        const run = await repo.gemini(server, 'Please edit the project.');
        assert.equal(run.status, 0, `gemini exited ${run.status}: ${run.stderr.slice(-2000)}`);
        assert.equal(run.stdout.trim(), 'Done.', 'our hooks changed what the agent printed');
        const status = repo.status().map(f => `${f.path}: ${f.added} ${f.ai} ${f.mixed} ${f.unknown}`);
        assert.deepEqual(status, scenario.expect);
        repo.commit(scenario.name);
        assert.deepEqual(repo.trailers('AI-Attribution'), [scenario.attribution]);
      } finally {
        await server.close();
        repo.dispose();
      }
    });
  }
});

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import type { AgentRun, AgentWorkspace } from './agent-workspace';
import { cliPath } from './git-fixture';
import { startModelServer, type Conversation, type ModelServer, type ToolUse, type Turn } from './model-server';

/**
 * The scenarios every agent of the agents layer goes through, and the one way they are checked: a real agent CLI
 * works in a repository with our hooks, then `status` must show each changed file's lines exactly, a real commit
 * must carry the exact trailers, and the agent must print what the model said (our hook changes nothing it shows).
 */
export interface AgentScenario {
  name: string;
  /** Where our hooks are installed (default: the repository). */
  scope?: 'project' | 'user';
  files: Record<string, string>;
  /** The model's turns, built from the repository's folder (payload paths may be absolute). */
  turns: (dir: string) => Turn[];
  /** Each changed file as status shows it: `path: added ai mixed unknown`. */
  expect: string[];
  /** The AI-Attribution trailer, with `TOOL` for the agent's tool slug. */
  attribution: string;
  /** The model the scenario's conversation uses, when not the agent's default. */
  model?: string;
  /** A set-up of the agent's own, which its workspace() knows. */
  variant?: string;
  /** More conversations the model server answers (a sub-agent's, matched by the prompt its parent gave it). */
  more?: (dir: string) => Conversation[];
  /** Holds back the model's answers to requests that contain `when` (model-server.ts). */
  pause?: { when: string; ms: number };
  /** What the agent prints, when not the model's one answer `Done.` (an agent given a turn more). */
  output?: string;
  /** The Assisted-by trailers, when not the agent's one (none: the commit has no AI line). */
  assistedBy?: string[];
  /** Waits, after the agent exited, for what it left running (a detached shell) to write. */
  settle?: (dir: string) => Promise<void>;
}

/** Waits until a file of the repository exists and a moment more (a shell the agent left running writes it). */
export function fileWritten(file: string): (dir: string) => Promise<void> {
  return async dir => {
    for (let i = 0; i < 200 && !fs.existsSync(`${dir}/${file}`); i++) await new Promise(r => setTimeout(r, 100));
    assert.ok(fs.existsSync(`${dir}/${file}`), `${file} was never written`);
    await new Promise(r => setTimeout(r, 300));
  };
}

export interface AgentUnderTest<R extends AgentWorkspace> {
  /** The describe title. */
  title: string;
  /** Our tool slug for it, as trailers and segments name it. */
  tool: string;
  /** The Assisted-by value every scenario's commit carries (its agent name, and model when the agent tells it). */
  assistedBy: (scenario: AgentScenario) => string;
  /** The model every AI segment names, or undefined when the agent does not tell it. */
  segmentModel?: (scenario: AgentScenario) => string | undefined;
  workspace(scenario: AgentScenario): R;
  run(repo: R, server: ModelServer, scenario: AgentScenario): Promise<AgentRun>;
  /** Checks what the agent printed; default: exactly the model's last text, `Done.`. */
  printed?: (run: AgentRun) => void;
}

export function describeAgent<R extends AgentWorkspace>(agent: AgentUnderTest<R>, scenarios: AgentScenario[]): void {
  describe(agent.title, function () {
    this.timeout(300_000);
    before(() => assert.ok(fs.existsSync(cliPath), `${cliPath} is missing: run 'npm run build' first`));

    for (const scenario of scenarios) {
      it(scenario.name, async () => {
        const repo = agent.workspace(scenario);
        const conversations: Conversation[] = [
          {
            match: 'Please edit',
            turns: scenario.turns(repo.dir),
            ...(scenario.pause ? { pause: scenario.pause } : {}),
          },
          ...(scenario.more?.(repo.dir) ?? []),
        ];
        const server = await startModelServer(conversations);
        try {
          const run = await agent.run(repo, server, scenario);
          assert.equal(run.status, 0, `exited ${run.status}: ${run.stdout.slice(-2000)} ${run.stderr.slice(-2000)}`);
          if (agent.printed) agent.printed(run);
          else assert.equal(run.stdout.trim(), scenario.output ?? 'Done.', 'our hooks changed what the agent printed');
          assert.doesNotMatch(run.stdout + run.stderr, /ai-provenance: /, 'our hook printed into the agent');
          if (scenario.settle) await scenario.settle(repo.dir);
          const files = repo.status();
          assert.deepEqual(
            files.map(f => `${f.path}: ${f.added} ${f.ai} ${f.mixed} ${f.unknown}`),
            scenario.expect,
          );
          const model = agent.segmentModel?.(scenario);
          for (const f of files)
            for (const s of f.segments.filter(s => s.class === 'a')) {
              assert.equal(s.tool, agent.tool, f.path);
              assert.equal(s.model, model, `${f.path}: the model`);
            }
          repo.commit(scenario.name);
          assert.deepEqual(repo.trailers('AI-Attribution'), [scenario.attribution.replace(/TOOL/g, agent.tool)]);
          assert.deepEqual(repo.trailers('Assisted-by'), scenario.assistedBy ?? [agent.assistedBy(scenario)]);
        } finally {
          await server.close();
          repo.dispose();
        }
      });
    }
  });
}

/** How an agent's own tools are called, for the scenarios every agent shares. */
export interface AgentTools {
  read(dir: string, file: string): ToolUse;
  write(dir: string, file: string, content: string): ToolUse;
  edit(dir: string, file: string, oldText: string, newText: string, all?: boolean): ToolUse;
  shell(command: string): ToolUse;
  /** The agent refuses to edit a file through the shell before the session read it (Qwen Code). */
  readBeforeShell?: boolean;
}

const repeated = 'function a() {\n  log("x");\n}\nfunction b() {\n  log("x");\n}\n';

/**
 * The shared scenarios: a new file; an edit whose context repeats elsewhere (only the occurrence named is the
 * agent's), also from the user scope; a file written over; an edit of a CRLF file; `sed -i` and a code generator
 * in the shell; a move and a deletion in the shell; a failing edit; a replace-all.
 * An agent without replace-all (`tools.edit` ignoring `all`) leaves that one out with `replaceAll: false`; one
 * whose file-writing tool refuses an existing file (Copilot CLI's create, the Cline CLI's editor) `overwrite: false`.
 */
export function sharedScenarios(
  tools: AgentTools,
  options: { replaceAll?: boolean; overwrite?: boolean } = {},
): AgentScenario[] {
  const list: AgentScenario[] = [
    {
      name: 'a new file',
      files: { 'README.md': '# demo\n' },
      turns: dir => [[tools.write(dir, 'made.ts', 'export const a = 1;\nexport const b = 2;\n')], 'Done.'],
      expect: ['made.ts: 2 2 0 0'],
      attribution: 'v1 added=2 ai=2 mixed=0 unknown=0 tools=TOOL/agent:2',
    },
    {
      name: 'an edit whose context repeats elsewhere: only the occurrence it named',
      files: { 'src/app.ts': repeated },
      turns: dir => [
        [tools.read(dir, 'src/app.ts')],
        [tools.edit(dir, 'src/app.ts', 'function b() {\n  log("x");', 'function b() {\n  log("x");\n  log("y");')],
        'Done.',
      ],
      expect: ['src/app.ts: 1 1 0 0'],
      attribution: 'v1 added=1 ai=1 mixed=0 unknown=0 tools=TOOL/agent:1',
    },
    {
      name: 'the same edit with our hooks in the user scope',
      scope: 'user',
      files: { 'src/app.ts': repeated },
      turns: dir => [
        [tools.read(dir, 'src/app.ts')],
        [tools.edit(dir, 'src/app.ts', 'function a() {\n  log("x");', 'function a() {\n  log("x");\n  log("y");')],
        'Done.',
      ],
      expect: ['src/app.ts: 1 1 0 0'],
      attribution: 'v1 added=1 ai=1 mixed=0 unknown=0 tools=TOOL/agent:1',
    },
    {
      name: 'an existing file written over: only what changed',
      files: { 'src/app.ts': 'const a = 1;\nconst b = 2;\n' },
      turns: dir => [
        [tools.read(dir, 'src/app.ts')],
        [tools.write(dir, 'src/app.ts', 'const a = 1;\nconst b = 2;\nconst c = 3;\n')],
        'Done.',
      ],
      expect: ['src/app.ts: 1 1 0 0'],
      attribution: 'v1 added=1 ai=1 mixed=0 unknown=0 tools=TOOL/agent:1',
    },
    {
      name: 'an edit of a file with CRLF line ends',
      files: { 'src/app.ts': 'function a() {\r\n  log("x");\r\n}\r\n' },
      turns: dir => [
        [tools.read(dir, 'src/app.ts')],
        [tools.edit(dir, 'src/app.ts', '  log("x");', '  log("x");\n  log("y");')],
        'Done.',
      ],
      expect: ['src/app.ts: 1 1 0 0'],
      attribution: 'v1 added=1 ai=1 mixed=0 unknown=0 tools=TOOL/agent:1',
    },
    {
      name: 'the shell: sed -i and a code generator',
      files: { 'src/app.ts': 'const mode = "debug";\nconst level = 1;\n' },
      turns: dir => [
        ...(tools.readBeforeShell ? [[tools.read(dir, 'src/app.ts')]] : []),
        [tools.shell("sed -i 's/debug/release/' src/app.ts")],
        [tools.shell("printf 'export const x = 1;\\nexport const y = 2;\\n' > src/gen.ts")],
        'Done.',
      ],
      expect: ['src/app.ts: 1 0 1 0', 'src/gen.ts: 2 2 0 0'],
      attribution: 'v1 added=3 ai=2 mixed=1 unknown=0 tools=TOOL/agent:3 deleted=1',
    },
    {
      name: 'a shell command that moves one file and deletes another: the move keeps its lines, the deletion counts',
      files: {
        'src/app.ts': 'export const a = 1;\n',
        'deploy/env.tf': 'resource "db" "main" {\n  size = "large"\n}\n',
      },
      turns: dir => [
        ...(tools.readBeforeShell ? [[tools.read(dir, 'src/app.ts')], [tools.read(dir, 'deploy/env.tf')]] : []),
        [tools.shell('git mv src/app.ts src/main.ts && rm deploy/env.tf')],
        'Done.',
      ],
      expect: [],
      attribution: 'v1 added=0 ai=0 mixed=0 unknown=0 tools= deleted=3',
    },
    {
      name: 'a failing edit (its old text is not in the file) changes nothing and is not credited',
      files: { 'src/app.ts': 'const a = 1;\n' },
      turns: dir => [
        [tools.edit(dir, 'src/app.ts', 'const zz = 9;', 'const zz = 10;')],
        [tools.write(dir, 'src/b.ts', 'export const b = 2;\n')],
        'Done.',
      ],
      expect: ['src/b.ts: 1 1 0 0'],
      attribution: 'v1 added=1 ai=1 mixed=0 unknown=0 tools=TOOL/agent:1',
    },
  ];
  if (options.replaceAll !== false)
    list.push({
      name: 'a replace-all edit: every occurrence',
      files: { 'src/app.ts': 'log("a");\nlog("b");\nlog("c");\n' },
      turns: dir => [[tools.read(dir, 'src/app.ts')], [tools.edit(dir, 'src/app.ts', 'log(', 'trace(', true)], 'Done.'],
      expect: ['src/app.ts: 3 0 3 0'],
      attribution: 'v1 added=3 ai=0 mixed=3 unknown=0 tools=TOOL/agent:3 deleted=3',
    });
  return options.overwrite === false ? list.filter(s => !s.name.startsWith('an existing file written over')) : list;
}

/**
 * A shell an agent runs in the background, in two scenarios: it writes after its post-tool hook (while the model
 * holds back its answer, until the request carries `started`, the agent's word that the shell went on) and the agent
 * then shows it ended, so its file is the agent's; or it is still running when the turn ends, so a commit of what it
 * wrote asks for review. `ended` says how the agent shows the end, for the scenario's name.
 */
export function backgroundScenarios(
  tools: AgentTools,
  background: (command: string) => ToolUse,
  started: string,
  ended: string,
): AgentScenario[] {
  const generate = "mkdir -p src; printf 'export const bg = 1;\\n' > src/bg.ts";
  const first = (dir: string): Turn[] => (tools.readBeforeShell ? [[tools.read(dir, 'README.md')]] : []);
  return [
    {
      name: `a background shell: its file is the agent's once ${ended}`,
      files: { 'README.md': '# demo\n' },
      turns: dir => [...first(dir), [background(`sleep 1; ${generate}`)], 'Done.'],
      pause: { when: started, ms: 2500 },
      expect: ['src/bg.ts: 1 1 0 0'],
      attribution: 'v1 added=1 ai=1 mixed=0 unknown=0 tools=TOOL/agent:1',
    },
    {
      name: 'a background shell still running when the turn ends: a commit of what it wrote asks for review',
      files: { 'README.md': '# demo\n' },
      turns: dir => [...first(dir), [background(`${generate}; sleep 30`)], 'Done.'],
      settle: fileWritten('src/bg.ts'),
      expect: ['src/bg.ts: 1 0 0 1'],
      attribution: 'v1 added=1 ai=0 mixed=0 unknown=1 tools= skipped=1',
      assistedBy: [],
    },
  ];
}

import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { nullLogger } from '../src/core/log';
import { HUMAN, type AiOrigin, type Run } from '../src/core/attribution/origin';
import { encodeRuns } from '../src/core/formats/stored-runs';
import { openRunsStore } from '../src/io/attribution/runs-store';
import { locateRepository } from '../src/io/git/repository';
import { writeBlob } from '../src/io/git/queries';
import { Spool } from '../src/io/store/spool';
import { median, nowMicros, withBudget, type Benchmark, type BenchResult } from './harness';

const root = path.resolve(__dirname, '..', '..');
const cli = path.join(root, 'dist', 'cli.js');
const RUNS = 7;

const origin: AiOrigin = {
  id: '33333333-3333-4333-8333-333333333333',
  tool: 'claude-code',
  kind: 'agent',
  model: 'bench-model',
  at: '2026-01-01T00:00:00.000Z',
};

interface Fixture {
  home: string;
  /** Without NODE_EXTRA_CA_CERTS (the budget's condition, what most machines have), hooks through the launcher. */
  env: NodeJS.ProcessEnv;
}

function makeRepo(fixture: Fixture, withHooks: boolean): string {
  const dir = fs.realpathSync(
    fs.mkdtempSync(path.join(os.tmpdir(), `ai-provenance-bench-${withHooks ? 'hooks' : 'plain'}-`)),
  );
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, stdio: 'pipe', env: fixture.env });
  git('init', '-q', '-b', 'main');
  git('config', 'user.name', 'Bench');
  git('config', 'user.email', 'bench@example.invalid');
  git('config', 'commit.gpgsign', 'false');
  // A history to commit onto, packed as a clone's is.
  for (let i = 0; i < 20; i++) {
    fs.writeFileSync(path.join(dir, `history${i}.md`), `history ${i}\n`);
    git('add', '.');
    git('commit', '-q', '-m', `history ${i}`);
  }
  git('repack', '-adq');
  if (withHooks)
    execFileSync(process.execPath, [cli, 'hooks', 'install'], { cwd: dir, stdio: 'pipe', env: fixture.env });
  return dir;
}

const line = (f: number, i: number) => `export const value_${f}_${i} = ${i} * ${f} + 1; // line ${i}\n`;

/** `files` files of `lines` lines; in each, the second half written by an agent (what the editor would have recorded). */
async function fillRepo(dir: string, files: number, lines: number, record: boolean): Promise<void> {
  const store = record ? openRunsStore(await locateRepository(dir), nullLogger) : undefined;
  for (let f = 0; f < files; f++) {
    const all = Array.from({ length: lines }, (_, i) => line(f, i));
    const humanPart = all.slice(0, lines / 2).join('');
    const aiPart = all.slice(lines / 2).join('');
    const rel = `src/mod${Math.floor(f / 20)}/file${f}.ts`;
    fs.mkdirSync(path.join(dir, path.dirname(rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), humanPart + aiPart);
    const runs: Run[] = [
      { length: humanPart.length, origin: HUMAN },
      { length: aiPart.length, origin },
    ];
    if (store) {
      await store.writeRuns(rel, humanPart + aiPart, encodeRuns(runs));
      await writeBlob(dir, humanPart + aiPart);
    }
  }
  execFileSync('git', ['add', '-A'], { cwd: dir });
}

/**
 * The typical commit: an agent (Claude Code, through the real agent hook and launcher) wrote 3 files of 20 lines
 * and edited one of them again: 4 records wait in the spool when the person commits.
 */
function agentWrites(dir: string, fixture: Fixture, hooks: boolean): void {
  const launcher = path.join(fixture.home, 'bin', 'ai-provenance');
  const files = [0, 1, 2].map(f => path.join(dir, 'src', `agent${f}.ts`));
  const texts = [0, 1, 2].map(f =>
    Array.from({ length: 20 }, (_, i) => line(f, i))
      .join('')
      .replace(`value_${f}_19 `, `value_${f}_19_first `),
  );
  const payload = (tool: string, file: string, input: Record<string, string>) =>
    JSON.stringify({
      session_id: 'bench-session',
      transcript_path: path.join(dir, '.no-transcript.jsonl'),
      cwd: dir,
      hook_event_name: 'PostToolUse',
      tool_name: tool,
      tool_input: { file_path: file, ...input },
      tool_response: { filePath: file, success: true },
      tool_use_id: `toolu_${tool}_${path.basename(file)}`,
    });
  fs.mkdirSync(path.join(dir, 'src'), { recursive: true });
  const run = (input: string) => {
    if (!hooks) return;
    const r = spawnSync(launcher, ['agent-hook', 'claude-code'], { input, env: fixture.env, cwd: dir });
    if (r.status !== 0) throw new Error(`agent hook failed: ${r.stderr.toString()}`);
  };
  files.forEach((file, f) => {
    fs.writeFileSync(file, texts[f]!);
    run(payload('Write', file, { content: texts[f]! }));
  });
  const edited = texts[0]!.replace('value_0_19_first ', 'value_0_19 ');
  fs.writeFileSync(files[0]!, edited);
  run(payload('Edit', files[0]!, { old_string: 'value_0_19_first ', new_string: 'value_0_19 ' }));
  execFileSync('git', ['add', '-A'], { cwd: dir, env: fixture.env });
}

/**
 * The typical commit, when `count` more agent records wait in the spool for files outside the commit (an agent
 * session that wrote many files nobody staged yet): the commit hook takes them all into the runs store. The records
 * are copies of one the real agent hook wrote, each for its own file.
 */
function agentWritesWithBacklog(dir: string, fixture: Fixture, hooks: boolean, count: number): void {
  // Left out of `git add -A`: nobody staged them.
  fs.writeFileSync(path.join(dir, '.git', 'info', 'exclude'), 'other/\n');
  agentWrites(dir, fixture, hooks);
  const other = path.join(dir, 'other');
  fs.mkdirSync(other, { recursive: true });
  const texts = Array.from(
    { length: count },
    (_, i) => `export const other_${i} = ${i};\nexport const twice_${i} = ${2 * i};\n`,
  );
  texts.forEach((text, i) => fs.writeFileSync(path.join(other, `f${i}.ts`), text));
  if (!hooks) return;
  const stateDir = path.join(dir, '.git', 'ai-provenance');
  const spool = new Spool<Record<string, unknown>>({ stateDir }, nullLogger, { durable: false });
  const first = fs
    .readdirSync(path.join(stateDir, 'spool'))
    .filter(n => n.endsWith('.json'))
    .sort()[0];
  if (!first) throw new Error('the agent hook left no record in the spool');
  const template = (
    JSON.parse(fs.readFileSync(path.join(stateDir, 'spool', first), 'utf8')) as {
      record: { call: Record<string, unknown> } & Record<string, unknown>;
    }
  ).record;
  texts.forEach((text, i) => {
    const rel = `other/f${i}.ts`;
    spool.appendSync({
      ...template,
      call: { ...template.call, edits: [{ path: rel, op: 'write', content: text }], toolUseId: `toolu_backlog_${i}` },
      files: [{ path: rel, after: text }],
    });
  });
}

function timeCommit(dir: string, fixture: Fixture): number {
  const start = nowMicros();
  execFileSync('git', ['commit', '-q', '-m', 'bench commit'], { cwd: dir, stdio: 'pipe', env: fixture.env });
  const ms = (nowMicros() - start) / 1000;
  execFileSync('git', ['reset', '-q', '--soft', 'HEAD~1'], { cwd: dir, stdio: 'pipe', env: fixture.env });
  return ms;
}

/** `node -e 0`, in milliseconds: the floor of a hook written in Node. */
function timeNodeStart(fixture: Fixture): number {
  const start = nowMicros();
  execFileSync(process.execPath, ['-e', '0'], { stdio: 'pipe', env: fixture.env });
  return (nowMicros() - start) / 1000;
}

interface Scenario {
  name: string;
  description: string;
  /** Fills a repository (with records where `hooks`); `again` runs before each timed commit. */
  setUp(dir: string, fixture: Fixture, hooks: boolean): Promise<void>;
  again?(dir: string, fixture: Fixture, hooks: boolean): void;
  budget?: number;
  /** What the timed commit must say: its AI line count (a commit that lost its attribution would be fast). */
  aiLines: number;
  /** Timed runs (default RUNS), fewer for the slow ones. */
  runs?: number;
}

const SCENARIOS: Scenario[] = [
  {
    name: 'commit.typical',
    description: 'a typical commit: 3 files, 60 lines an agent wrote through its hook, 4 agent records in the spool',
    setUp: async (dir, fixture, hooks) => agentWrites(dir, fixture, hooks),
    again: (dir, fixture, hooks) => agentWrites(dir, fixture, hooks),
    budget: 1.5,
    aiLines: 60,
  },
  ...[1000, 10000].map((count): Scenario => ({
    name: `commit.typical.records${count}`,
    description: `the typical commit, with ${count} more agent records waiting in the spool for files outside the commit`,
    setUp: async (dir, fixture, hooks) => agentWritesWithBacklog(dir, fixture, hooks, count),
    again: (dir, fixture, hooks) => agentWritesWithBacklog(dir, fixture, hooks, count),
    aiLines: 60,
    runs: count > 1000 ? 2 : 3,
  })),
  ...[10, 200, 1000].map((files): Scenario => ({
    name: files === 200 ? 'commit.hooks' : `commit.files${files}`,
    description: `a commit of ${files} files and ${files * 100} added lines, half of them AI-attributed by records the editor saved`,
    setUp: (dir, _fixture, hooks) => fillRepo(dir, files, 100, hooks),
    ...(files === 200 ? { budget: 3 } : {}),
    aiLines: files * 50,
  })),
];

/**
 * Commits with our hooks against the same commit without them, in packed repositories, hooks run through the
 * launcher as git runs them, and `node -e 0`, all interleaved, all without NODE_EXTRA_CA_CERTS (with it, each Node
 * start here costs about 45 ms more, on both sides). The budgets count what the hooks add in Node starts.
 */
export const benchmark: Benchmark = {
  name: 'commit-hook',
  async run(): Promise<BenchResult[]> {
    const results: BenchResult[] = [];
    for (const scenario of SCENARIOS) {
      const home = fs.mkdtempSync(path.join(os.tmpdir(), 'ai-provenance-bench-home-'));
      const env: NodeJS.ProcessEnv = {
        ...process.env,
        AI_PROVENANCE_HOME: home,
        XDG_CACHE_HOME: path.join(home, 'cache'),
        GIT_CONFIG_GLOBAL: '/dev/null',
        GIT_CONFIG_NOSYSTEM: '1',
      };
      delete env.NODE_EXTRA_CA_CERTS;
      const fixture: Fixture = { home, env };
      const plain = makeRepo(fixture, false);
      const hooked = makeRepo(fixture, true);
      try {
        await scenario.setUp(plain, fixture, false);
        await scenario.setUp(hooked, fixture, true);
        const withHooks: number[] = [];
        const without: number[] = [];
        const nodeStart: number[] = [];
        // One warm-up each (it writes the code cache, as a person's first commit does), then interleaved runs.
        timeCommit(plain, fixture);
        timeCommit(hooked, fixture);
        timeNodeStart(fixture);
        for (let i = 0; i < (scenario.runs ?? RUNS); i++) {
          scenario.again?.(plain, fixture, false);
          scenario.again?.(hooked, fixture, true);
          without.push(timeCommit(plain, fixture));
          withHooks.push(timeCommit(hooked, fixture));
          nodeStart.push(timeNodeStart(fixture));
        }
        // The hooks did their work: the commit says its AI lines.
        execFileSync('git', ['commit', '-q', '-m', 'checked'], { cwd: hooked, env });
        const message = execFileSync('git', ['log', '-1', '--format=%B'], { cwd: hooked, env }).toString();
        const ai = /^AI-Attribution: .*\bai=(\d+)/m.exec(message)?.[1];
        if (Number(ai) !== scenario.aiLines)
          throw new Error(`${scenario.name}: expected ai=${scenario.aiLines} in the commit, got: ${message}`);
        const spoolDir = path.join(hooked, '.git', 'ai-provenance', 'spool');
        const left = fs.existsSync(spoolDir) ? fs.readdirSync(spoolDir).filter(n => n.endsWith('.json')) : [];
        if (left.length > 0)
          throw new Error(`${scenario.name}: ${left.length} records left in the spool after the commit`);
        const addedInNodeStarts = (median(withHooks) - median(without)) / median(nodeStart);
        results.push(
          withBudget({
            name: scenario.name,
            description: `${scenario.description}; git commit with our hooks against without, ${scenario.runs ?? RUNS} runs each, interleaved, packed repository, without NODE_EXTRA_CA_CERTS`,
            metrics: {
              withHooksMedianMs: median(withHooks),
              withoutMedianMs: median(without),
              addedMs: median(withHooks) - median(without),
              nodeStartMedianMs: median(nodeStart),
              addedInNodeStarts,
              ratio: median(withHooks) / median(without),
            },
            ...(scenario.budget !== undefined
              ? {
                  budget: {
                    metric: 'addedInNodeStarts',
                    max: scenario.budget,
                    description: `costs at most a plain commit plus ${scenario.budget} times node -e 0`,
                  },
                }
              : {}),
          }),
        );
      } finally {
        for (const d of [plain, hooked, home]) fs.rmSync(d, { recursive: true, force: true });
      }
    }
    return results;
  },
};

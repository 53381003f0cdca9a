import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { nullLogger } from '../src/core/log';
import { HUMAN, type AiOrigin, type Run } from '../src/core/attribution/origin';
import { encodeRuns } from '../src/core/formats/stored-runs';
import { openRunsStore } from '../src/io/attribution/runs-store';
import { locateRepository } from '../src/io/git/repository';
import { median, nowMicros, withBudget, type Benchmark, type BenchResult } from './harness';

const root = path.resolve(__dirname, '..', '..');
const FILES = 200;
const LINES = 100;
const RUNS = 7;

const origin: AiOrigin = {
  id: '33333333-3333-4333-8333-333333333333',
  tool: 'claude-code',
  kind: 'agent',
  model: 'bench-model',
  at: '2026-01-01T00:00:00.000Z',
};

function makeRepo(home: string, withHooks: boolean): string {
  const dir = fs.realpathSync(
    fs.mkdtempSync(path.join(os.tmpdir(), `ai-provenance-bench-${withHooks ? 'hooks' : 'plain'}-`)),
  );
  const git = (...args: string[]) =>
    execFileSync('git', args, { cwd: dir, stdio: 'pipe', env: { ...process.env, AI_PROVENANCE_HOME: home } });
  git('init', '-q', '-b', 'main');
  git('config', 'user.name', 'Bench');
  git('config', 'user.email', 'bench@example.invalid');
  git('config', 'commit.gpgsign', 'false');
  fs.writeFileSync(path.join(dir, 'README.md'), 'bench\n');
  git('add', '.');
  git('commit', '-q', '-m', 'initial');
  if (withHooks)
    execFileSync(process.execPath, [path.join(root, 'dist', 'cli.js'), 'hooks', 'install'], {
      cwd: dir,
      stdio: 'pipe',
      env: { ...process.env, AI_PROVENANCE_HOME: home },
    });
  return dir;
}

/** 200 files of 100 lines; in each, the second half written by an agent (what the editor would have recorded). */
async function fillRepo(dir: string, record: boolean): Promise<void> {
  const store = record ? openRunsStore(await locateRepository(dir), nullLogger) : undefined;
  for (let f = 0; f < FILES; f++) {
    const lines = Array.from(
      { length: LINES },
      (_, i) => `export const value_${f}_${i} = ${i} * ${f} + 1; // line ${i}\n`,
    );
    const humanPart = lines.slice(0, LINES / 2).join('');
    const aiPart = lines.slice(LINES / 2).join('');
    const rel = `src/mod${Math.floor(f / 20)}/file${f}.ts`;
    fs.mkdirSync(path.join(dir, path.dirname(rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), humanPart + aiPart);
    const runs: Run[] = [
      { length: humanPart.length, origin: HUMAN },
      { length: aiPart.length, origin },
    ];
    if (store) await store.writeRuns(rel, humanPart + aiPart, encodeRuns(runs));
  }
  execFileSync('git', ['add', '-A'], { cwd: dir });
}

function timeCommit(dir: string, home: string): number {
  const env = { ...process.env, AI_PROVENANCE_HOME: home };
  const start = nowMicros();
  execFileSync('git', ['commit', '-q', '-m', 'bench commit'], { cwd: dir, stdio: 'pipe', env });
  const ms = (nowMicros() - start) / 1000;
  execFileSync('git', ['reset', '-q', '--soft', 'HEAD~1'], { cwd: dir, stdio: 'pipe' });
  return ms;
}

/** `node -e 0`, in milliseconds: the floor of a hook written in Node. */
function timeNodeStart(): number {
  const start = nowMicros();
  execFileSync(process.execPath, ['-e', '0'], { stdio: 'pipe' });
  return (nowMicros() - start) / 1000;
}

/** A commit of 200 files and 20,000 added lines, with our hooks against the same commit without them. */
export const benchmark: Benchmark = {
  name: 'commit-hook',
  async run(): Promise<BenchResult[]> {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'ai-provenance-bench-home-'));
    const plain = makeRepo(home, false);
    const hooked = makeRepo(home, true);
    try {
      await fillRepo(plain, false);
      await fillRepo(hooked, true);
      const withHooks: number[] = [];
      const without: number[] = [];
      const nodeStart: number[] = [];
      // One warm-up each, then interleaved runs so machine noise hits all three alike.
      timeCommit(plain, home);
      timeCommit(hooked, home);
      timeNodeStart();
      for (let i = 0; i < RUNS; i++) {
        without.push(timeCommit(plain, home));
        withHooks.push(timeCommit(hooked, home));
        nodeStart.push(timeNodeStart());
      }
      const ratio = median(withHooks) / median(without);
      // The design's budget (docs/budgets.md): what the hooks add, counted in Node starts (the floor of any hook
      // written in Node; this machine's NODE_EXTRA_CA_CERTS weighs on both sides alike).
      const addedInNodeStarts = (median(withHooks) - median(without)) / median(nodeStart);
      return [
        withBudget({
          name: 'commit.hooks',
          description: `git commit of ${FILES} files and ${FILES * LINES} added lines (half of them AI-attributed), with our hooks against without, ${RUNS} runs each, interleaved`,
          metrics: {
            withHooksMedianMs: median(withHooks),
            withoutMedianMs: median(without),
            addedMs: median(withHooks) - median(without),
            nodeStartMedianMs: median(nodeStart),
            addedInNodeStarts,
            ratio,
          },
          budget: {
            metric: 'addedInNodeStarts',
            max: 3,
            description: 'a 200-file, 20,000-line commit costs at most a plain commit plus 3 times node -e 0',
          },
        }),
      ];
    } finally {
      for (const d of [plain, hooked, home]) fs.rmSync(d, { recursive: true, force: true });
    }
  },
};

import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { nullLogger } from '../src/core/log';
import { encodeRuns } from '../src/core/formats/stored-runs';
import { openRunsStore } from '../src/io/attribution/runs-store';
import { locateRepository } from '../src/io/git/repository';
import { writeBlob } from '../src/io/git/queries';
import { BENCH_ENV as env, median, timed, withBudget, type Benchmark, type BenchResult } from './harness';

const root = path.resolve(__dirname, '..', '..');
const cli = path.join(root, 'dist', 'cli.js');
const SIZES = [100, 300, 1000];
const RUNS = 5;

/**
 * `ai-provenance status` with N changed files, each with a record of the text it had before (an agent wrote it, then
 * something outside the editor changed it: the record is re-anchored onto the new text), in a packed repository;
 * against its floor measured in the same run, twice `git status` plus one `node -e 0`, which is also the budget at
 * 1,000 files (docs/budgets.md); the sizes show whether it grows linearly.
 */
export const benchmark: Benchmark = {
  name: 'status',
  async run(): Promise<BenchResult[]> {
    const results: BenchResult[] = [];
    for (const n of SIZES) {
      const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'ai-provenance-bench-status-')));
      try {
        const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, stdio: 'pipe' });
        git('init', '-q');
        git('config', 'user.email', 'bench@bench.invalid');
        git('config', 'user.name', 'Bench');
        const text = (i: number, v: number) => `export const value${i} = ${v};\nexport const other${i} = ${v};\n`;
        for (let i = 0; i < n; i++) fs.writeFileSync(path.join(dir, `f${i}.ts`), text(i, 1));
        git('add', '-A');
        git('commit', '-q', '-m', 'files');
        git('repack', '-adq');
        const store = openRunsStore(await locateRepository(dir), nullLogger);
        for (let i = 0; i < n; i++) {
          const before = text(i, 2);
          // The text the record describes is kept in git's object database, as the editor and the agent ingestion
          // keep it: re-anchoring reads it from there.
          await writeBlob(dir, before);
          await store.writeRuns(
            `f${i}.ts`,
            before,
            encodeRuns([
              {
                length: before.length,
                origin: { id: `bench-${i}`, tool: 'claude-code', kind: 'agent', at: '2026-11-25T00:00:00.000Z' },
              },
            ]),
          );
          fs.writeFileSync(path.join(dir, `f${i}.ts`), `${before}// changed outside the editor\n`);
        }
        const out = execFileSync(process.execPath, [cli, 'status', '--json'], { cwd: dir, env }).toString();
        const ai = (JSON.parse(out) as { worktree?: { ai?: number } }).worktree?.ai;
        if (ai !== 2 * n) throw new Error(`status found ${ai} AI lines, not the ${2 * n} the records hold`);
        const status: number[] = [];
        const gitStatus: number[] = [];
        const nodeStart: number[] = [];
        for (let r = 0; r < RUNS; r++) {
          status.push(timed(process.execPath, [cli, 'status'], dir));
          gitStatus.push(timed('git', ['status', '--porcelain'], dir));
          nodeStart.push(timed(process.execPath, ['-e', '0'], dir));
        }
        const statusMs = median(status);
        // The budget's floor (docs/budgets.md): twice git status, plus one Node start.
        const floorMs = 2 * median(gitStatus) + median(nodeStart);
        results.push(
          withBudget({
            name: `status.changedFiles${n}`,
            description: `'ai-provenance status' with ${n} changed files each re-anchoring an older record, packed repository, against 2 x 'git status --porcelain' plus 'node -e 0' in the same run, without NODE_EXTRA_CA_CERTS, ${RUNS} runs each (medians)`,
            metrics: {
              files: n,
              medianMs: statusMs,
              gitStatusMedianMs: median(gitStatus),
              nodeStartMedianMs: median(nodeStart),
              floorMs,
              ratioToFloor: statusMs / floorMs,
            },
            ...(n === 1000
              ? {
                  budget: {
                    metric: 'ratioToFloor',
                    max: 1,
                    description: 'at most 2 x git status + one Node start, at 1,000 files',
                  },
                }
              : {}),
          }),
        );
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    }
    return results;
  },
};

import { execFile, execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildRepository } from './check.bench';
import { BENCH_ENV as env, median, nowMicros, timed, withBudget, type Benchmark, type BenchResult } from './harness';

/**
 * Budget (docs/budgets.md): `audit` of a branch of 2,000 and 20,000 commits (a quarter AI-assisted, every one signed
 * off by a real SSH signature in the history, as after fast-forward merges: every commit is a change of its own, the
 * most changes a history of that size can hold) against `git log --format=%B` over the same commits. The repository
 * is check.bench's, packed.
 */

const root = path.resolve(__dirname, '..', '..');

function audit(cwd: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [path.join(root, 'dist', 'cli.js'), 'audit', '--branch', 'feature', '--format', 'json'],
      { cwd, env, maxBuffer: 1 << 30 },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`audit failed (${error.code}): ${stderr}\n${stdout.slice(0, 2000)}`));
        else resolve(stdout);
      },
    );
  });
}

async function measure(blocks: number): Promise<BenchResult> {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'ai-provenance-bench-audit-')));
  try {
    const key = path.join(dir, 'senior_key');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', key, '-C', 'senior@bench.invalid'], {
      stdio: 'ignore',
    });
    const repo = path.join(dir, 'repo');
    fs.mkdirSync(repo);
    buildRepository(repo, key, blocks);
    const first = JSON.parse(await audit(repo)) as {
      totals: { changes: number; aiAssisted: number; signedOff: number; exceptions: number };
    };
    const ai = blocks * 5;
    if (first.totals.aiAssisted !== ai || first.totals.signedOff !== ai || first.totals.exceptions !== 0)
      throw new Error(`unexpected audit totals: ${JSON.stringify(first.totals)}`);
    const floorArgs = ['log', '--format=%B', 'feature'];
    timed('git', floorArgs, repo);
    const ours: number[] = [];
    const floor: number[] = [];
    for (let i = 0; i < 5; i++) {
      floor.push(timed('git', floorArgs, repo));
      const start = nowMicros();
      await audit(repo);
      ours.push((nowMicros() - start) / 1000);
    }
    return withBudget({
      name: `audit.commits${blocks * 20}`,
      description:
        `'ai-provenance audit --format json' (the built CLI, process start included) of a branch of ${first.totals.changes} changes ` +
        `(each commit landed on its own; ${ai} AI-assisted, ${blocks} SSH-signed sign-offs in the history) against 'git log --format=%B' ` +
        'of the same branch, packed, 5 interleaved runs; ratio = median over median',
      metrics: {
        changes: first.totals.changes,
        auditMedianMs: median(ours),
        baselineMedianMs: median(floor),
        ratio: median(ours) / median(floor),
      },
      budget: {
        metric: 'ratio',
        max: 30,
        description: 'audit costs at most 30 x git log --format=%B (it must also hash the diffs of the AI commits)',
      },
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export const benchmark: Benchmark = {
  name: 'audit',
  async run(): Promise<BenchResult[]> {
    return [await measure(100), await measure(1000)];
  },
};

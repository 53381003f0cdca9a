import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { HUMAN, type AiOrigin, type Run } from '../src/core/attribution/origin';
import { attributeCommit } from '../src/core/commit/attribution';
import { buildAgentTrace } from '../src/core/formats/git-note';
import { BENCH_ENV, median, timed, withBudget, type Benchmark, type BenchResult } from './harness';

const root = path.resolve(__dirname, '..', '..');
const cli = path.join(root, 'dist', 'cli.js');
const LINES = 10_000;
const CHANGES = 10;
const RUNS = 5;
const FILE = 'src/big.ts';

/** The bench environment, and git without the machine's configuration. */
const env: NodeJS.ProcessEnv = { ...BENCH_ENV, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' };

const origin = (commit: number): AiOrigin => ({
  id: `bench-${commit}`,
  tool: 'claude-code',
  kind: 'agent',
  model: 'bench-model',
  at: '2026-11-25T00:00:00.000Z',
});

function git(cwd: string, args: string[], input?: string): string {
  return execFileSync('git', args, { cwd, env, input: input ?? '', encoding: 'utf8', maxBuffer: 1 << 30 });
}

/**
 * One file of 10,000 lines and `commits` commits, each changing 10 lines spread over it. Every fourth commit is an
 * agent's with an AI-Attribution trailer, and every eighth of those carries its line-level note (as our hooks write
 * it); the rest are a person's. Written with git fast-import, then packed. Returns how many lines of the file as it
 * ends blame must call AI from a note (`a`) and from a trailer alone (`?`).
 */
function build(dir: string, commits: number): { a: number; unsure: number } {
  git(dir, ['init', '-q', '-b', 'main']);
  const lines = Array.from({ length: LINES }, (_, i) => `export const line${i} = ${i};\n`);
  const last = new Array<number>(LINES).fill(-1);
  const noted = new Set<number>();
  const ai = (c: number) => c % 4 === 0;
  let stream = '';
  const notes: { mark: number; text: string }[] = [];
  for (let c = 0; c < commits; c++) {
    const before = lines.join('');
    const changed = new Set<number>();
    for (let k = 0; k < CHANGES; k++) {
      const at = (c * 7919 + k * 1009) % LINES;
      lines[at] = `export const line${at} = ${c}; // changed by commit ${c}\n`;
      changed.add(at);
      last[at] = c;
    }
    const after = lines.join('');
    const message = ai(c)
      ? `feat: agent change ${c}\n\nAI-Attribution: v1 added=${CHANGES} ai=${CHANGES} mixed=0 unknown=0 tools=claude-code/agent:${CHANGES}\nAssisted-by: Claude:bench-model\n`
      : `chore: hand change ${c}\n`;
    const t = 1_767_225_600 + c * 60;
    stream += `commit refs/heads/main\nmark :${c + 1}\ncommitter Bench <bench@bench.invalid> ${t} +0000\n`;
    stream += `data ${Buffer.byteLength(message)}\n${message}`;
    stream += `M 100644 inline ${FILE}\ndata ${Buffer.byteLength(after)}\n${after}\n`;
    if (ai(c) && c % 8 === 0) {
      noted.add(c);
      const runs: Run[] = lines.map((l, i) => ({ length: l.length, origin: changed.has(i) ? origin(c) : HUMAN }));
      const attribution = attributeCommit([{ path: FILE, oldText: before, newText: after, runs }]);
      const record = buildAgentTrace(attribution, {
        id: `00000000-0000-4000-8000-${String(c).padStart(12, '0')}`,
        timestamp: new Date(t * 1000).toISOString(),
        revision: `@@mark-${c + 1}@@`,
        toolVersion: '0.0.0-bench',
      });
      notes.push({ mark: c + 1, text: JSON.stringify(record, null, 1) });
    }
  }
  const marks = path.join(dir, '.git', 'bench-marks');
  git(dir, ['fast-import', '--quiet', `--export-marks=${marks}`], stream);
  const ids = new Map(
    fs
      .readFileSync(marks, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map(l => l.split(' ') as [string, string])
      .map(([m, id]) => [Number(m.slice(1)), id] as const),
  );
  let noteStream = `commit refs/notes/ai-provenance\ncommitter Bench <bench@bench.invalid> 1767225600 +0000\ndata 6\nnotes\n`;
  for (const n of notes) {
    const text = n.text.replace(`@@mark-${n.mark}@@`, ids.get(n.mark)!);
    noteStream += `N inline ${ids.get(n.mark)}\ndata ${Buffer.byteLength(text)}\n${text}\n`;
  }
  git(dir, ['fast-import', '--quiet'], noteStream);
  git(dir, ['reset', '-q', '--hard', 'main']);
  git(dir, ['repack', '-adq']);
  return {
    a: last.filter(c => c >= 0 && noted.has(c)).length,
    unsure: last.filter(c => c >= 0 && ai(c) && !noted.has(c)).length,
  };
}

/**
 * `ai-provenance blame` of a 10,000-line file against `git blame --porcelain` of it, the budget's floor
 * (docs/budgets.md: at most 2 times), at 100 and 1,000 commits, in a packed repository.
 */
export const benchmark: Benchmark = {
  name: 'blame',
  async run(): Promise<BenchResult[]> {
    const results: BenchResult[] = [];
    for (const commits of [100, 1000]) {
      const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'ai-provenance-bench-blame-')));
      try {
        const expected = build(dir, commits);
        const out = execFileSync(process.execPath, [cli, 'blame', FILE, '--json'], {
          cwd: dir,
          env,
          maxBuffer: 1 << 30,
        });
        const lines = (JSON.parse(out.toString()) as { lines: { class: string }[] }).lines;
        const count = (cls: string) => lines.filter(l => l.class === cls).length;
        if (count('a') !== expected.a || count('?') !== expected.unsure)
          throw new Error(`blame said a=${count('a')} ?=${count('?')}, expected a=${expected.a} ?=${expected.unsure}`);
        const ours: number[] = [];
        const floor: number[] = [];
        for (let r = 0; r < RUNS; r++) {
          floor.push(timed('git', ['blame', '--porcelain', '--', FILE], dir, env));
          ours.push(timed(process.execPath, [cli, 'blame', FILE], dir, env));
        }
        results.push(
          withBudget({
            name: `blame.commits${commits}`,
            description: `'ai-provenance blame' of a ${LINES}-line file with ${commits} commits (a quarter AI, an eighth of those with notes) against 'git blame --porcelain' of it, packed repository, without NODE_EXTRA_CA_CERTS, ${RUNS} interleaved runs each (medians)`,
            metrics: {
              commits,
              medianMs: median(ours),
              gitBlameMedianMs: median(floor),
              ratio: median(ours) / median(floor),
            },
            budget: { metric: 'ratio', max: 2, description: 'blame at most 2 x git blame --porcelain' },
          }),
        );
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    }
    return results;
  },
};

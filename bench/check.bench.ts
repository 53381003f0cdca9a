import { execFile, execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BENCH_ENV as env, median, nowMicros, withBudget, type Benchmark, type BenchResult } from './harness';

/**
 * Budget (docs/budgets.md): `check` over 200, 2,000 and 20,000 commits costs at most 1.5 times
 * `git log -p base..head | git patch-id --verbatim` alone. The repository: a base holding the roster, then blocks of
 * 5 AI commits (AI-Attribution trailers), 14 human commits and one SSH-signed sign-off of the block's 5 AI commits
 * (10, 100 or 1,000 blocks: a quarter of the commits have AI lines, one in twenty is a sign-off), over 200 files
 * (2,000 for the largest). Commits are written with `git fast-import`; each sign-off is a real signed commit object
 * (`ssh-keygen -Y sign` over the payload, `git hash-object`).
 */

const root = path.resolve(__dirname, '..', '..');
const BLOCKS = 100;
const AI_PER_BLOCK = 5;
const HUMAN_PER_BLOCK = 14;
const FILES = 200;
const SENIOR = { name: 'Bench Senior', email: 'senior@bench.invalid' };
const JUNIOR = { name: 'Bench Junior', email: 'junior@bench.invalid' };

function git(cwd: string, args: string[], input?: string | Buffer): string {
  return execFileSync('git', args, {
    cwd,
    input: input ?? '',
    encoding: 'utf8',
    maxBuffer: 1 << 30,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
}

function lines(seed: number, count: number): string {
  let text = '';
  for (let i = 0; i < count; i++)
    text += `export const v${seed}_${i} = ${(seed * 7919 + i * 104729) % 1000003}; // generated line ${i}\n`;
  return text;
}

/**
 * A fast-import stream for one block of AI and human commits on refs/heads/feature: from `from` when given, else
 * after the branch's tip in the same stream. Marks are `markBase + 1` onwards.
 */
function blockStream(
  block: number,
  from: string | undefined,
  markBase: number,
  time: number,
  files: number,
  contents: Map<string, string>,
): string {
  let out = '';
  for (let i = 0; i < AI_PER_BLOCK + HUMAN_PER_BLOCK; i++) {
    const ai = i < AI_PER_BLOCK;
    const n = block * 100 + i;
    const file = `src/module${(n * 37) % files}.ts`;
    const added = ai ? 12 : 8;
    const content = (contents.get(file) ?? '') + lines(n, added);
    contents.set(file, content);
    const who = JUNIOR;
    const message = ai
      ? `feat: generated change ${n}\n\nAI-Attribution: v1 added=${added} ai=${added - 2} mixed=2 unknown=0 tools=copilot/inline:${added}\nAssisted-by: Copilot:gpt-4.1\n`
      : `chore: hand change ${n}\n`;
    const t = time + i;
    out += `commit refs/heads/feature\nmark :${markBase + i + 1}\nauthor ${who.name} <${who.email}> ${t} +0000\ncommitter ${who.name} <${who.email}> ${t} +0000\n`;
    out += `data ${Buffer.byteLength(message)}\n${message}\n`;
    if (i === 0 && from) out += `from ${from}\n`;
    out += `M 100644 inline ${file}\ndata ${Buffer.byteLength(content)}\n${content}\n`;
  }
  return out;
}

/** A signed empty commit object on `parent` with `tree`, as `git commit -S` with gpg.format=ssh makes it. */
function signedCommit(cwd: string, parent: string, tree: string, message: string, time: number, key: string): string {
  const headers = `tree ${tree}\nparent ${parent}\nauthor ${SENIOR.name} <${SENIOR.email}> ${time} +0000\ncommitter ${SENIOR.name} <${SENIOR.email}> ${time} +0000\n`;
  const payload = `${headers}\n${message}`;
  const signature = execFileSync('ssh-keygen', ['-q', '-Y', 'sign', '-f', key, '-n', 'git'], {
    input: payload,
    encoding: 'utf8',
  });
  const object = `${headers}gpgsig ${signature.replace(/\n$/, '').split('\n').join('\n ')}\n\n${message}`;
  return git(cwd, ['hash-object', '-t', 'commit', '-w', '--stdin'], object).trim();
}

/** Blocks written per fast-import run: each run leaves a pack, and many packs would slow the building down. */
const CHUNK = 10;

/**
 * The base (the roster), then the blocks, CHUNK at a time: their commits in one fast-import run, then one signed
 * sign-off per block of the chunk, chained on the chunk's last commit. A sign-off thus sits up to 9 blocks after the
 * commits it signs, as when a senior reviews a busy branch in batches.
 */
export function buildRepository(dir: string, key: string, blocks: number): { base: string; head: string } {
  git(dir, ['init', '-q', '-b', 'main']);
  const publicKey = fs.readFileSync(`${key}.pub`, 'utf8').trim().split(/\s+/).slice(0, 2).join(' ');
  const roster = `${SENIOR.email} ${publicKey}\n`;
  // About 10 versions of each file whatever the size: a bigger history has more files, not ever longer ones.
  const files = Math.max(FILES, blocks * 2);
  let time = 1_767_225_600;
  git(
    dir,
    ['fast-import', '--quiet'],
    `commit refs/heads/main\ncommitter ${SENIOR.name} <${SENIOR.email}> ${time} +0000\ndata 5\nbase\nM 100644 inline .ai-provenance/allowed_signers\ndata ${roster.length}\n${roster}\n`,
  );
  const base = git(dir, ['rev-parse', 'main']).trim();
  let tip = base;
  const contents = new Map<string, string>();
  const marks = path.join(dir, '.git', 'bench-marks');
  const perBlock = AI_PER_BLOCK + HUMAN_PER_BLOCK;
  for (let first = 0; first < blocks; first += CHUNK) {
    const chunk = Math.min(CHUNK, blocks - first);
    let stream = '';
    for (let b = 0; b < chunk; b++) {
      time += 100;
      stream += blockStream(first + b, b === 0 ? tip : undefined, b * perBlock, time, files, contents);
    }
    fs.rmSync(marks, { force: true });
    git(dir, ['fast-import', '--quiet', '--force', `--export-marks=${marks}`], stream);
    const ids = new Map(
      fs
        .readFileSync(marks, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map(l => l.split(' '))
        .map(([mark, id]) => [Number(mark!.slice(1)), id!]),
    );
    const aiOf = (b: number): string[] =>
      Array.from({ length: AI_PER_BLOCK }, (_, i) => ids.get(b * perBlock + i + 1)!);
    const allAi = Array.from({ length: chunk }, (_, b) => aiOf(b)).flat();
    const log = execFileSync(
      'git',
      ['log', '-p', '--full-index', '--no-renames', '--no-walk=unsorted', '--format=commit %H', ...allAi],
      { cwd: dir, maxBuffer: 1 << 30 },
    );
    const patchIds = new Map(
      execFileSync('git', ['patch-id', '--verbatim'], { cwd: dir, input: log, encoding: 'utf8' })
        .trim()
        .split('\n')
        .map(l => l.split(' ').reverse() as [string, string]),
    );
    tip = ids.get(chunk * perBlock)!;
    const tree = git(dir, ['rev-parse', `${tip}^{tree}`]).trim();
    for (let b = 0; b < chunk; b++) {
      const signed = aiOf(b);
      const message = `AI sign-off: ${AI_PER_BLOCK} commits\n\nReviewed-by: ${SENIOR.name} <${SENIOR.email}>\n${signed.map(c => `AI-Signoff: ${patchIds.get(c)} ${c}`).join('\n')}\n`;
      tip = signedCommit(dir, tip, tree, message, time + 99 + b, key);
    }
    git(dir, ['update-ref', 'refs/heads/feature', tip]);
  }
  git(dir, ['symbolic-ref', 'HEAD', 'refs/heads/feature']);
  git(dir, ['reset', '-q', '--hard']);
  // Packed, as a CI clone is: loose objects would slow the floor's 'git log -p' (and flatter us) several times over.
  git(dir, ['repack', '-adq']);
  return { base, head: tip };
}

/** `git log -p base..head | git patch-id --verbatim`, piped in Node; resolves with the patch-id output's length. */
export function baseline(cwd: string, base: string, head: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const log = spawn('git', ['log', '-p', `${base}..${head}`], { cwd, stdio: ['ignore', 'pipe', 'inherit'] });
    const patchId = spawn('git', ['patch-id', '--verbatim'], { cwd, stdio: ['pipe', 'pipe', 'inherit'] });
    log.stdout.pipe(patchId.stdin);
    let bytes = 0;
    patchId.stdout.on('data', (chunk: Buffer) => (bytes += chunk.length));
    patchId.on('error', reject);
    log.on('error', reject);
    patchId.on('close', code => (code === 0 ? resolve(bytes) : reject(new Error(`git patch-id exited ${code}`))));
  });
}

function check(cwd: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [path.join(root, 'dist', 'cli.js'), 'check', '--base', 'main'],
      { cwd, env, maxBuffer: 1 << 28 },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`check failed (${error.code}): ${stderr}\n${stdout.slice(-2000)}`));
        else resolve(stdout);
      },
    );
  });
}

/**
 * CPU milliseconds of the finished children of this process (and theirs): Linux only, undefined elsewhere. On a busy
 * machine wall time mostly measures the neighbours; CPU time says what each side costs.
 */
function childrenCpuMs(): number | undefined {
  try {
    const stat = fs.readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Fields 16 and 17 of stat(5) (cutime, cstime), counted from the state field (3): indexes 13 and 14.
    return ((Number(fields[13]) + Number(fields[14])) * 1000) / 100;
  } catch {
    return undefined;
  }
}

interface Sample {
  wallMs: number;
  cpuMs?: number;
}

async function time(run: () => Promise<unknown>): Promise<Sample> {
  const cpu = childrenCpuMs();
  const start = nowMicros();
  await run();
  const wallMs = (nowMicros() - start) / 1000;
  const after = childrenCpuMs();
  return cpu !== undefined && after !== undefined ? { wallMs, cpuMs: after - cpu } : { wallMs };
}

export const benchmark: Benchmark = {
  name: 'check',
  async run(): Promise<BenchResult[]> {
    const results: BenchResult[] = [];
    // 200, 2,000 and 20,000 commits: whether the cost grows with the range as the floor's does.
    for (const blocks of [BLOCKS / 10, BLOCKS, BLOCKS * 10]) results.push(await measure(blocks));
    return results;
  },
};

async function measure(blocks: number): Promise<BenchResult> {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'ai-provenance-bench-check-')));
  try {
    const key = path.join(dir, 'senior_key');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', key, '-C', SENIOR.email], { stdio: 'ignore' });
    const repoDir = path.join(dir, 'repo');
    fs.mkdirSync(repoDir);
    const buildStart = nowMicros();
    const { base, head } = buildRepository(repoDir, key, blocks);
    const buildMs = (nowMicros() - buildStart) / 1000;
    const commits = Number(git(repoDir, ['rev-list', '--count', `${base}..${head}`]).trim());
    const aiCommits = blocks * AI_PER_BLOCK;
    const output = await check(repoDir); // warm-up, and proof that everything is signed off (exit 0)
    if (!new RegExp(`OK: all ${aiCommits} AI-assisted commits that need sign-off are signed off`).test(output))
      throw new Error(`unexpected check output:\n${output.slice(0, 2000)}`);
    await baseline(repoDir, base, head);
    const runs = 9;
    const ours: Sample[] = [];
    const floor: Sample[] = [];
    for (let i = 0; i < runs; i++) {
      // Interleaved, so machine noise hits both alike.
      floor.push(await time(() => baseline(repoDir, base, head)));
      ours.push(await time(() => check(repoDir)));
    }
    const wall = (xs: Sample[]): number[] => xs.map(x => x.wallMs);
    const cpu = (xs: Sample[]): number[] | undefined =>
      xs.every(x => x.cpuMs !== undefined) ? xs.map(x => x.cpuMs!) : undefined;
    const ourCpu = cpu(ours);
    const floorCpu = cpu(floor);
    return withBudget({
      name: blocks === BLOCKS ? 'check.gate' : `check.gate.commits${blocks * 20}`,
      description:
        `'ai-provenance check' (the built CLI, process start included) over ${commits} commits (${aiCommits} with AI lines, ${blocks} SSH-signed ` +
        `sign-offs, each signature verified) against 'git log -p base..head | git patch-id --verbatim', ` +
        `in a packed repository, ${runs} interleaved runs each; ratio = median wall time over median wall time, minRatio = fastest over fastest, ` +
        'cpuRatio = median CPU time of the processes (Linux)',
      metrics: {
        commits,
        checkMedianMs: median(wall(ours)),
        baselineMedianMs: median(wall(floor)),
        ratio: median(wall(ours)) / median(wall(floor)),
        checkMinMs: Math.min(...wall(ours)),
        baselineMinMs: Math.min(...wall(floor)),
        minRatio: Math.min(...wall(ours)) / Math.min(...wall(floor)),
        ...(ourCpu && floorCpu
          ? {
              checkCpuMedianMs: median(ourCpu),
              baselineCpuMedianMs: median(floorCpu),
              cpuRatio: median(ourCpu) / median(floorCpu),
            }
          : {}),
        buildRepositoryMs: buildMs,
      },
      budget: {
        metric: 'ratio',
        max: 1.5,
        description: 'check costs at most 1.5 x git log -p | git patch-id --verbatim',
      },
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

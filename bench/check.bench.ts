import { execFile, execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { median, nowMicros, withBudget, type Benchmark, type BenchResult } from './harness';

/**
 * Budget (docs/budgets.md): `check` over 2,000 commits costs at most 2 times
 * `git log -p base..head | git patch-id --verbatim` alone. The repository: a base holding the roster, then 100 blocks
 * of 5 AI commits (AI-Attribution trailers), 14 human commits and one SSH-signed sign-off of the block's 5 AI
 * commits: 2,000 commits, 500 with AI lines, 100 sign-offs. Commits are written with `git fast-import`; each
 * sign-off is a real signed commit object (`ssh-keygen -Y sign` over the payload, `git hash-object`).
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

/** A fast-import stream for one block of AI and human commits on refs/heads/feature, from `from`. */
function blockStream(block: number, from: string, time: number, contents: Map<string, string>): string {
  let out = '';
  for (let i = 0; i < AI_PER_BLOCK + HUMAN_PER_BLOCK; i++) {
    const ai = i < AI_PER_BLOCK;
    const n = block * 100 + i;
    const file = `src/module${(n * 37) % FILES}.ts`;
    const added = ai ? 12 : 8;
    const content = (contents.get(file) ?? '') + lines(n, added);
    contents.set(file, content);
    const who = JUNIOR;
    const message = ai
      ? `feat: generated change ${n}\n\nAI-Attribution: v1 added=${added} ai=${added - 2} mixed=2 unknown=0 tools=copilot/inline:${added}\nAssisted-by: Copilot:gpt-4.1\n`
      : `chore: hand change ${n}\n`;
    const t = time + i;
    out += `commit refs/heads/feature\nmark :${i + 1}\nauthor ${who.name} <${who.email}> ${t} +0000\ncommitter ${who.name} <${who.email}> ${t} +0000\n`;
    out += `data ${Buffer.byteLength(message)}\n${message}\n`;
    if (i === 0) out += `from ${from}\n`;
    out += `M 100644 inline ${file}\ndata ${Buffer.byteLength(content)}\n${content}\n`;
  }
  return out;
}

/** A signed empty commit object on `parent`, as `git commit -S` with gpg.format=ssh makes it. */
function signedCommit(cwd: string, parent: string, message: string, time: number, key: string): string {
  const tree = git(cwd, ['rev-parse', `${parent}^{tree}`]).trim();
  const headers = `tree ${tree}\nparent ${parent}\nauthor ${SENIOR.name} <${SENIOR.email}> ${time} +0000\ncommitter ${SENIOR.name} <${SENIOR.email}> ${time} +0000\n`;
  const payload = `${headers}\n${message}`;
  const signature = execFileSync('ssh-keygen', ['-q', '-Y', 'sign', '-f', key, '-n', 'git'], {
    input: payload,
    encoding: 'utf8',
  });
  const object = `${headers}gpgsig ${signature.replace(/\n$/, '').split('\n').join('\n ')}\n\n${message}`;
  return git(cwd, ['hash-object', '-t', 'commit', '-w', '--stdin'], object).trim();
}

function buildRepository(dir: string, key: string, blocks: number): { base: string; head: string } {
  git(dir, ['init', '-q', '-b', 'main']);
  const publicKey = fs.readFileSync(`${key}.pub`, 'utf8').trim().split(/\s+/).slice(0, 2).join(' ');
  const roster = `${SENIOR.email} ${publicKey}\n`;
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
  for (let block = 0; block < blocks; block++) {
    time += 100;
    git(dir, ['fast-import', '--quiet', '--force', `--export-marks=${marks}`], blockStream(block, tip, time, contents));
    const ids = fs
      .readFileSync(marks, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map(l => l.split(' '))
      .sort((a, b) => Number(a[0]!.slice(1)) - Number(b[0]!.slice(1)))
      .map(p => p[1]!);
    const aiIds = ids.slice(0, AI_PER_BLOCK);
    const log = execFileSync(
      'git',
      ['log', '-p', '--full-index', '--no-renames', '--no-walk=unsorted', '--format=commit %H', ...aiIds],
      { cwd: dir, maxBuffer: 1 << 30 },
    );
    const patchIds = new Map(
      execFileSync('git', ['patch-id', '--verbatim'], { cwd: dir, input: log, encoding: 'utf8' })
        .trim()
        .split('\n')
        .map(l => l.split(' ').reverse() as [string, string]),
    );
    const message = `AI sign-off: ${AI_PER_BLOCK} commits\n\nReviewed-by: ${SENIOR.name} <${SENIOR.email}>\n${aiIds.map(c => `AI-Signoff: ${patchIds.get(c)} ${c}`).join('\n')}\n`;
    tip = signedCommit(dir, ids[ids.length - 1]!, message, time + 99, key);
    git(dir, ['update-ref', 'refs/heads/feature', tip]);
  }
  git(dir, ['symbolic-ref', 'HEAD', 'refs/heads/feature']);
  git(dir, ['reset', '-q', '--hard']);
  // Packed, as a CI clone is: loose objects would slow the floor's 'git log -p' (and flatter us) several times over.
  git(dir, ['repack', '-adq']);
  return { base, head: tip };
}

/** `git log -p base..head | git patch-id --verbatim`, piped in Node; resolves with the patch-id output's length. */
function baseline(cwd: string, base: string, head: string): Promise<number> {
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
      { cwd, maxBuffer: 1 << 28 },
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
    // 200 and 2,000 commits: whether the cost grows with the range as the floor's does.
    for (const blocks of [BLOCKS / 10, BLOCKS]) results.push(await measure(blocks));
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
      name: blocks === BLOCKS ? 'check.gate' : `check.gate.commits${commits}`,
      description:
        `'ai-provenance check' (the built CLI, process start included) over ${commits} commits (${aiCommits} with AI lines, ${blocks} SSH-signed ` +
        `sign-offs, each verified by its own ssh-keygen -Y verify) against 'git log -p base..head | git patch-id --verbatim', ` +
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
        max: 2,
        description: 'check costs at most 2x git log -p | git patch-id --verbatim',
      },
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

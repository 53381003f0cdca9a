import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';
import { GIT_TIMEOUT_MS, GitError, git, pipeGit, runGit } from '../../src/io/git/git';
import { ProcessError, runProcess } from '../../src/io/process/run';
import { blameFile, ensureBlobs, statusOf } from '../../src/io/git/queries';
import { computeBlobId } from '../../src/io/store/blob-id';
import { locateRepository, locateRepositoryWithoutGit, NotARepositoryError } from '../../src/io/git/repository';
import type { Logger } from '../../src/core/log';
import { repoRoot, TempRepo } from '../support/git-fixture';
import { splitNul } from '../../src/io/git/parse';
import { readFileAt, readObject } from '../../src/io/git/cat-file';
import { readBlobs, stagedChanges } from '../../src/io/git/staged';
import { commitHookContext } from '../../src/io/git/commit-context';
import { nullLogger } from '../../src/core/log';

describe('git runner against real git', () => {
  let repo: TempRepo;
  beforeEach(() => {
    repo = new TempRepo();
  });
  afterEach(() => repo.dispose());

  it('runs git with an argument array: spaces, quotes and $ in arguments reach git untouched', async () => {
    const name = `it's "quoted" $HOME; rm -rf x.txt`;
    repo.write(name, 'content\n');
    await git(['add', '--', name], { cwd: repo.dir });
    const staged = splitNul(await git(['diff', '--cached', '--name-only', '-z'], { cwd: repo.dir }));
    assert.deepEqual(staged, [name]);
  });

  it('returns raw, unquoted paths for non-ASCII and newline names with -z', async () => {
    const names = ['naïve café.ts', 'line\nbreak.ts', '日本語.ts'];
    for (const n of names) repo.write(n, 'x\n');
    repo.commitAll('files');
    const listed = splitNul(await git(['ls-files', '-z'], { cwd: repo.dir }));
    assert.deepEqual(listed.sort(), [...names].sort());
    // Without -z, core.quotepath=false still keeps non-ASCII readable.
    const plain = await git(['ls-files', '--', '日本語.ts'], { cwd: repo.dir });
    assert.equal(plain, '日本語.ts');
  });

  it('throws a GitError with the exit code and what git said', async () => {
    await assert.rejects(
      git(['rev-parse', '--verify', 'no-such-branch^{commit}'], { cwd: repo.dir }),
      (error: unknown) => {
        assert.ok(error instanceof GitError);
        assert.equal(error.exitCode, 128);
        assert.match(error.stderr, /Needed a single revision|fatal/);
        assert.match(error.message, /git rev-parse --verify no-such-branch\^\{commit\} failed \(exit 128\)/);
        assert.equal(error.notRunnable, false);
        return true;
      },
    );
  });

  it('treats exit codes the caller expects as answers', async () => {
    repo.write('a.txt', 'one\n');
    repo.commitAll('a');
    repo.write('a.txt', 'two\n');
    const r = await runGit(['diff', '--quiet'], { cwd: repo.dir, okExitCodes: [0, 1] });
    assert.equal(r.exitCode, 1);
  });

  it('passes stdin to git', async () => {
    const id = await git(['hash-object', '--stdin'], { cwd: repo.dir, input: 'hello\n' });
    assert.equal(id, 'ce013625030ba8dba906f756967f9e9ca394464a');
  });

  it('reports git that cannot run in a missing folder as not runnable', async () => {
    const missing = path.join(repo.dir, 'does-not-exist');
    await assert.rejects(
      git(['status'], { cwd: missing }),
      (error: unknown) => error instanceof GitError && error.notRunnable,
    );
  });

  it('logs each command line at trace level', async () => {
    const lines: string[] = [];
    const logger: Logger = { trace: m => lines.push(m), debug() {}, info() {}, warn() {}, error() {} };
    await git(['rev-parse', '--is-inside-work-tree'], { cwd: repo.dir, logger });
    assert.deepEqual(lines, [`git rev-parse --is-inside-work-tree (in ${repo.dir})`]);
  });

  it('reads objects through one cat-file that stays up: many at once, in order, large and binary ones whole', async () => {
    const big = Buffer.alloc(3 * 1024 * 1024 + 17, 'abcdefghij\n');
    const binary = Buffer.from([0, 1, 2, 255, 10, 10, 0]);
    repo.write('big.txt', big);
    repo.write('bin.dat', binary);
    repo.write('empty.txt', '');
    repo.write('dir/name with space.ts', 'spaced\n');
    const head = repo.commitAll('objects');
    const ids = ['big.txt', 'bin.dat', 'empty.txt'].map(f => repo.git('rev-parse', `HEAD:${f}`).trim());
    const traces: string[] = [];
    const logger = { ...nullLogger, trace: (m: string) => void traces.push(m) };
    const missing = '0'.repeat(40);
    const answers = await Promise.all([
      ...ids.map(id => readObject(repo.dir, id, logger)),
      readObject(repo.dir, missing, logger),
      // A name with a line break would be two requests, and every later answer would go to the wrong one.
      readObject(repo.dir, `${ids[1]}\n${ids[2]}`, logger),
      readObject(repo.dir, 'HEAD:dir/name with space.ts', logger),
      readFileAt(repo.dir, head, 'empty.txt', logger),
      readFileAt(repo.dir, 'HEAD', 'empty.txt', logger),
      readObject(repo.dir, ':bin.dat', logger),
      readBlobs(repo.dir, [...ids, missing, ids[0]!], { logger }),
    ]);
    assert.ok(answers[0] instanceof Buffer && answers[0].equals(big), 'the 3 MB blob, whole');
    assert.deepEqual(answers[1], binary);
    assert.deepEqual(answers[2], Buffer.alloc(0));
    assert.equal(answers[3], undefined, 'a missing object');
    assert.equal(answers[4], undefined, 'a name with a line break is never sent');
    assert.equal(answers[5]?.toString(), 'spaced\n');
    assert.deepEqual(answers[6], Buffer.alloc(0));
    assert.equal(answers[7], undefined, 'readFileAt takes only a full commit id');
    assert.deepEqual(answers[8], binary, 'the index');
    const map = answers[9] as Map<string, Buffer>;
    assert.deepEqual([...map.keys()], ids);
    assert.ok(map.get(ids[0]!)!.equals(big));
    // And again later, through the same git.
    assert.deepEqual(await readObject(repo.dir, ids[1]!, logger), binary);
    assert.equal(traces.filter(t => t.startsWith('git cat-file --batch')).length, 1, traces.join('\n'));
  });

  it('writes only the texts git lacks: one as a loose object, several in one fast-import, bytes as given', async () => {
    repo.write('.gitattributes', '*.txt text eol=crlf\n*.dat filter=never-run\n');
    repo.write('kept.txt', 'already here\n');
    repo.commitAll('base');
    const texts = ['already here\n', 'one\nline endings stay\n', 'two\r\nmixed\n', ''].map(t => ({
      text: t,
      id: computeBlobId(t),
    }));
    const binary = Buffer.from([0, 0xff, 0x0a, 0x80]);
    // More than fast-import's unpack limit (100), so they go into a pack, which the running cat-file must find.
    const many = Array.from({ length: 120 }, (_, i) => `generated text ${i}\n`).map(t => ({
      text: t,
      id: computeBlobId(t),
    }));
    const items = [...texts.slice(1), { text: binary, id: computeBlobId(binary) }, texts[1]!, ...many];
    const packs = () => fs.readdirSync(path.join(repo.dir, '.git', 'objects', 'pack')).filter(f => f.endsWith('.pack'));
    const packsBefore = packs().length;
    const traces: string[] = [];
    const logger = { ...nullLogger, trace: (m: string) => void traces.push(m) };
    const has = (id: string) => spawnSync('git', ['cat-file', '-e', id], { cwd: repo.dir }).status === 0;
    assert.ok(!has(texts[1]!.id) && has(texts[0]!.id));
    await ensureBlobs(repo.dir, [...items, texts[0]!], logger);
    assert.equal(packs().length, packsBefore + 1, 'one pack for all of them');
    for (const item of [...texts, items[3]!, ...many]) {
      assert.ok(has(item.id), `${JSON.stringify(item.text)} is in git under the id computed for its bytes`);
      // The cat-file that said "missing" finds it now (git looks for new packs when an object is not found).
      assert.deepEqual(await readObject(repo.dir, item.id, logger), Buffer.from(item.text));
    }
    assert.equal(traces.filter(t => t.startsWith('git fast-import')).length, 1, traces.join('\n'));
    assert.equal(traces.filter(t => t.startsWith('git hash-object')).length, 0);
    // One text missing: a loose object, as git add writes it; none missing: no git start at all.
    const lone = 'lone text\n';
    await ensureBlobs(repo.dir, [{ text: lone, id: computeBlobId(lone) }], logger);
    assert.ok(has(computeBlobId(lone)));
    const loose = computeBlobId(lone);
    assert.ok(fs.existsSync(path.join(repo.dir, '.git', 'objects', loose.slice(0, 2), loose.slice(2))));
    const starts = traces.length;
    await ensureBlobs(repo.dir, items, logger);
    assert.deepEqual(
      traces.slice(starts).filter(t => !t.startsWith('git cat-file')),
      [],
      'nothing written when git has every text',
    );
  });

  it('pipes one git into another without a shell, and fails when the second stops reading early', async () => {
    repo.write('big.txt', Buffer.alloc(2 * 1024 * 1024, 'line of text\n'));
    const head = repo.commitAll('big');
    const piped = await pipeGit(['log', '-p', '--format=commit %H', '-1', head], ['patch-id', '--verbatim'], {
      cwd: repo.dir,
    });
    assert.ok(piped.first.includes(Buffer.from(`commit ${head}`)));
    assert.match(piped.second, new RegExp(`^[0-9a-f]{40} ${head}\n$`));
    // rev-parse answers without reading its input: its answer is about none of the log, so it is no answer.
    await assert.rejects(
      pipeGit(['log', '-p', '-1', head], ['rev-parse', 'HEAD'], { cwd: repo.dir }),
      (error: unknown) => error instanceof GitError,
    );
    await assert.rejects(
      pipeGit(['log', '-p', 'no-such-revision'], ['patch-id'], { cwd: repo.dir }),
      (error: unknown) => error instanceof GitError && /no-such-revision/.test(error.message),
    );
  });

  it('asks git once for what prepare-commit-msg needs: the folders, HEAD, and what the commit comes from', async () => {
    const sub = path.join(repo.dir, 'sub');
    fs.mkdirSync(sub);
    const unborn = await commitHookContext(sub);
    assert.deepEqual(unborn.location, await locateRepository(sub));
    assert.equal(unborn.head, undefined, 'no commit yet');
    assert.equal(unborn.origin, undefined);
    repo.write('a.txt', 'a\n');
    const first = repo.commitAll('one');
    repo.git('checkout', '-q', '-b', 'topic');
    repo.write('a.txt', 'b\n');
    const topic = repo.commitAll('two');
    repo.git('checkout', '-q', 'main');
    repo.write('c.txt', 'c\n');
    const main = repo.commitAll('three');
    repo.git('merge', '-q', '--no-commit', '--no-ff', 'topic');
    const merging = await commitHookContext(sub);
    assert.equal(merging.head, main);
    assert.deepEqual(merging.origin, { kind: 'merge', heads: [topic] });
    assert.notEqual(first, main);
    const outside = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'ai-provenance-not-a-repo-')));
    try {
      await assert.rejects(commitHookContext(outside), NotARepositoryError);
    } finally {
      fs.rmSync(outside, { recursive: true, force: true });
    }
  });

  it('locates the repository root and the per-worktree state folder from a subfolder', async () => {
    repo.write('sub/dir/f.txt', 'x\n');
    repo.commitAll('init');
    const found = await locateRepository(path.join(repo.dir, 'sub', 'dir'));
    assert.equal(found.root, repo.dir);
    assert.equal(found.stateDir, path.join(repo.dir, '.git', 'ai-provenance'));
    // A linked worktree gets a state folder of its own.
    const other = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'ai-provenance-wt-')));
    try {
      const wt = path.join(other, 'wt');
      repo.git('worktree', 'add', '-q', wt);
      const inWorktree = await locateRepository(wt);
      assert.equal(inWorktree.root, wt);
      assert.equal(inWorktree.stateDir, path.join(repo.dir, '.git', 'worktrees', 'wt', 'ai-provenance'));
    } finally {
      fs.rmSync(other, { recursive: true, force: true });
    }
  });

  it('finds the repository without git only where git would answer the same, and defers to git elsewhere', async () => {
    repo.write('sub/dir/f.txt', 'x\n');
    repo.commitAll('init');
    const sub = path.join(repo.dir, 'sub', 'dir');
    const link = path.join(fs.realpathSync(os.tmpdir()), `ai-provenance-link-${process.pid}`);
    fs.symlinkSync(sub, link);
    const other = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'ai-provenance-wt-')));
    try {
      for (const dir of [repo.dir, sub, link]) {
        const quick = locateRepositoryWithoutGit(dir, {});
        assert.ok(quick, dir);
        assert.deepEqual(quick, await locateRepository(dir), dir);
      }
      // Discovery steered by the environment, a linked worktree (a .git file), a config that moves the work tree
      // or includes another file: git answers.
      assert.equal(locateRepositoryWithoutGit(sub, { GIT_DIR: path.join(repo.dir, '.git') }), undefined);
      assert.equal(locateRepositoryWithoutGit(sub, { GIT_CEILING_DIRECTORIES: repo.dir }), undefined);
      assert.equal(
        locateRepositoryWithoutGit(sub, {
          GIT_CONFIG_COUNT: '1',
          GIT_CONFIG_KEY_0: 'core.worktree',
          GIT_CONFIG_VALUE_0: '/',
        }),
        undefined,
      );
      const wt = path.join(other, 'wt');
      repo.git('worktree', 'add', '-q', wt);
      assert.equal(locateRepositoryWithoutGit(wt, {}), undefined);
      // Keys on their section's header line, an unknown extension: git decides.
      const config = path.join(repo.dir, '.git', 'config');
      const plain = fs.readFileSync(config, 'utf8');
      for (const extra of [`[core] worktree = ${other}\n`, '[core]bare=true\n', '[extensions]\n\tfuture = 1\n']) {
        fs.writeFileSync(config, plain + extra);
        assert.equal(locateRepositoryWithoutGit(sub, {}), undefined, extra);
      }
      fs.writeFileSync(config, plain);
      // A folder on the way that is itself a git directory, and a .git that git would not accept: git decides.
      for (const name of ['HEAD', 'objects/', 'refs/'])
        if (name.endsWith('/')) fs.mkdirSync(path.join(repo.dir, 'sub', name), { recursive: true });
        else fs.writeFileSync(path.join(repo.dir, 'sub', name), 'ref: refs/heads/main\n');
      assert.equal(locateRepositoryWithoutGit(sub, {}), undefined, 'a bare-looking folder on the way');
      for (const name of ['HEAD', 'objects', 'refs']) fs.rmSync(path.join(repo.dir, 'sub', name), { recursive: true });
      fs.mkdirSync(path.join(sub, '.git'));
      fs.writeFileSync(path.join(sub, '.git', 'HEAD'), 'ref: refs/heads/main\n');
      fs.writeFileSync(path.join(sub, '.git', 'config'), '');
      assert.equal(locateRepositoryWithoutGit(sub, {}), undefined, 'a .git without objects and refs');
      fs.rmSync(path.join(sub, '.git'), { recursive: true });
      assert.ok(locateRepositoryWithoutGit(sub, {}));
      for (const [key, value] of [
        ['core.worktree', other],
        ['include.path', 'more.config'],
        ['core.bare', 'true'],
      ] as const) {
        repo.git('config', key, value);
        assert.equal(locateRepositoryWithoutGit(sub, {}), undefined, key);
        repo.git('config', '--unset', key);
        assert.ok(locateRepositoryWithoutGit(sub, {}), `${key} unset`);
      }
    } finally {
      fs.rmSync(link, { force: true });
      fs.rmSync(other, { recursive: true, force: true });
    }
  });

  it('says what to do outside a repository', async () => {
    const plain = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'ai-provenance-plain-')));
    try {
      await assert.rejects(
        locateRepository(plain, { env: { GIT_CEILING_DIRECTORIES: path.dirname(plain) } }),
        (error: unknown) => {
          assert.ok(error instanceof NotARepositoryError);
          assert.match(
            error.message,
            /is not inside a git work tree: run this from a repository, or point at one with -C DIR/,
          );
          return true;
        },
      );
    } finally {
      fs.rmSync(plain, { recursive: true, force: true });
    }
  });
});

describe('the process runner (src/io/process/run.ts)', () => {
  let repo: TempRepo;
  beforeEach(() => {
    repo = new TempRepo();
  });
  afterEach(() => repo.dispose());

  it('survives git exiting before it read a large stdin (EPIPE), in a process of its own', () => {
    // A separate Node process: an unguarded EPIPE is an uncaught exception that would end the whole process
    // (the editor's extension host, a hook) rather than fail one call.
    const script = `
      const { runGit } = require(${JSON.stringify(path.join(repoRoot, 'out', 'src', 'io', 'git', 'git.js'))});
      runGit(['rev-parse', '--verify', '--quiet', 'no-such-ref'], {
        cwd: ${JSON.stringify(repo.dir)},
        input: Buffer.alloc(64 * 1024 * 1024, 120),
        okExitCodes: [0, 1],
      }).then(r => console.log('exit ' + r.exitCode), e => console.log('rejected ' + e.message));
    `;
    const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim(), 'exit 1', 'the exit code of git is the answer');
    assert.doesNotMatch(r.stderr, /EPIPE|Unhandled/);
  });

  it('stops a process that runs past its timeout and says so', async () => {
    await assert.rejects(runProcess('sleep', ['30'], { timeoutMs: 300 }), (error: unknown) => {
      assert.ok(error instanceof ProcessError);
      assert.equal(error.timedOut, true);
      assert.match(error.message, /^sleep 30 timed out and was stopped$/);
      return true;
    });
  });

  it('gives git calls a timeout: a git blocked on a FIFO nobody writes is stopped, as a GitError that says so', async () => {
    const fifo = path.join(repo.dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    await assert.rejects(runGit(['hash-object', '--', fifo], { cwd: repo.dir, timeoutMs: 500 }), (error: unknown) => {
      assert.ok(error instanceof GitError);
      assert.equal(error.timedOut, true);
      assert.equal(error.message, `git hash-object -- ${fifo} timed out and was stopped`);
      return true;
    });
    assert.ok(GIT_TIMEOUT_MS > 0 && Number.isFinite(GIT_TIMEOUT_MS), 'every git call has a finite default');
  });

  it('says a program is missing, with bytes or text output', async () => {
    await assert.rejects(runProcess('ai-provenance-no-such-program', []), /was not found: install it/);
    const bytes = await runProcess(
      'git',
      [
        'cat-file',
        'blob',
        await git(['hash-object', '-w', '--stdin'], { cwd: repo.dir, input: Buffer.from([0xff, 0x00, 0x41]) }),
      ],
      {
        cwd: repo.dir,
        encoding: 'buffer',
      },
    );
    assert.deepEqual([...bytes.stdout], [0xff, 0x00, 0x41]);
  });
});

describe('git output parsers on live git output', () => {
  it('read renames, deletions, untracked files and odd names exactly as git prints them', async () => {
    const repo = new TempRepo();
    try {
      repo.write('a b.txt', 'one\ntwo\n');
      repo.write('keep.txt', 'x\n');
      repo.write('gone.txt', 'gone\n');
      repo.commitAll('init');
      fs.mkdirSync(path.join(repo.dir, 'dir'));
      repo.git('mv', 'a b.txt', 'dir/é\nn.txt');
      repo.git('rm', '-q', 'gone.txt');
      repo.write('keep.txt', 'x\ny\n');
      repo.git('add', 'keep.txt');
      repo.write('untracked.txt', 'new\n');
      assert.deepEqual(
        (await statusOf(repo.dir)).map(e => [e.index, e.worktree, e.path, e.oldPath]),
        [
          ['R', ' ', 'dir/é\nn.txt', 'a b.txt'],
          ['D', ' ', 'gone.txt', undefined],
          ['M', ' ', 'keep.txt', undefined],
          ['?', '?', 'untracked.txt', undefined],
        ],
      );
      assert.deepEqual(
        (await stagedChanges(repo.dir, 'HEAD')).map(c => [c.status, c.path, c.oldPath]),
        [
          ['R', 'dir/é\nn.txt', 'a b.txt'],
          ['M', 'keep.txt', undefined],
        ],
      );
      repo.git('commit', '-q', '-m', 'two');
      const blame = await blameFile(repo.dir, 'keep.txt');
      assert.deepEqual(
        blame?.map(l => [l.finalLine, l.text, l.origPath]),
        [
          [1, 'x', 'keep.txt'],
          [2, 'y', 'keep.txt'],
        ],
      );
      assert.equal(await blameFile(repo.dir, 'untracked.txt'), undefined, 'a file git does not track');
    } finally {
      repo.dispose();
    }
  });
});

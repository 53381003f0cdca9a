import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { GitError, git, runGit, splitNul } from '../../src/io/git/git';
import { locateRepository, NotARepositoryError } from '../../src/io/git/repository';
import type { Logger } from '../../src/core/log';
import { TempRepo } from '../support/git-fixture';

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

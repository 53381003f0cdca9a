import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot, runCli, TempRepo } from '../support/git-fixture';

const version: string = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')).version;

describe('ai-provenance CLI contract', () => {
  it('prints its version and exits 0', () => {
    const r = runCli(['--version']);
    assert.equal(r.status, 0);
    assert.equal(r.stdout, `${version}\n`);
    assert.equal(r.stderr, '');
  });

  it('prints help on stdout with --help, -h and help, and exits 0', () => {
    for (const args of [['--help'], ['-h'], ['help']]) {
      const r = runCli(args);
      assert.equal(r.status, 0, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stdout, /^Usage: ai-provenance \[-C DIR\] COMMAND/);
      assert.match(r.stdout, /Exit codes: 0 success, 1 .*, 2 bad usage or input, 3 git or the environment failed/);
    }
  });

  it('prints usage on stderr and exits 2 when no command is given', () => {
    const r = runCli([]);
    assert.equal(r.status, 2);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /^Usage: ai-provenance/);
  });

  it('rejects an unknown command with exit 2 and says where the list is', () => {
    const r = runCli(['frobnicate']);
    assert.equal(r.status, 2);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /unknown command 'frobnicate'; run 'ai-provenance --help' for the list/);
    const help = runCli(['help', 'frobnicate']);
    assert.equal(help.status, 2);
  });

  it('rejects an unknown option with exit 2', () => {
    const r = runCli(['--frobnicate']);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /unknown option --frobnicate/);
  });

  it('rejects -C without a folder with exit 2', () => {
    const missing = runCli(['-C']);
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /-C needs a folder/);
  });

  it('works from any folder inside a repository', () => {
    const repo = new TempRepo();
    try {
      repo.write('deep/er/file.txt', 'x\n');
      const r = runCli(['--version'], { cwd: path.join(repo.dir, 'deep', 'er') });
      assert.equal(r.status, 0);
      assert.equal(r.stdout.trim(), version);
    } finally {
      repo.dispose();
    }
  });
});

describe('errors carry their exit code (src/cli/main.ts maps once)', () => {
  /** Puts a folder where the state store expects a file: reading it fails with EISDIR, an environment failure. */
  function unreadableRecord(repo: TempRepo, file: string, which: 'latest' | 'blob'): void {
    const key = createHash('sha1').update(file, 'utf8').digest('hex');
    const name = which === 'latest' ? 'latest.json' : `${repo.git('hash-object', file).trim()}.json`;
    fs.mkdirSync(path.join(repo.dir, '.git', 'ai-provenance', 'runs', key, name), { recursive: true });
  }

  for (const [command, which] of [
    ['status', 'latest'],
    ['blame', 'blob'],
  ] as const) {
    it(`a local state file ${command} cannot read is exit 3 with what to do, not an internal error`, () => {
      const repo = new TempRepo();
      try {
        repo.write('a.txt', 'hi\n');
        repo.commitAll('init');
        repo.write('a.txt', 'hi\nmore\n');
        unreadableRecord(repo, 'a.txt', which);
        const r = runCli(command === 'status' ? ['status'] : ['blame', 'a.txt'], { cwd: repo.dir });
        assert.equal(r.status, 3, r.stderr);
        assert.match(r.stderr, /could not read .*ai-provenance.*EISDIR/);
        assert.match(r.stderr, /check the file's and its folder's permissions and the disk's free space/);
        assert.doesNotMatch(r.stderr, /internal error|this is a bug/);
      } finally {
        repo.dispose();
      }
    });
  }

  it('a bad policy is exit 2 and says "bad policy", from check and from log alike', () => {
    const repo = new TempRepo();
    try {
      repo.write('.ai-provenance/policy.json', '{"version": 1, "signoff": {"minAiLine": 1}}');
      repo.commitAll('policy');
      repo.git('checkout', '-q', '-b', 'feature');
      for (const args of [
        ['check', '--base', 'main'],
        ['log', 'main..HEAD'],
      ]) {
        const r = runCli(args, { cwd: repo.dir });
        assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
        assert.match(r.stderr, /^ai-provenance: bad policy: .*signoff\.minAiLine/m, args.join(' '));
      }
    } finally {
      repo.dispose();
    }
  });
});

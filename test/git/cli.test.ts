import * as assert from 'node:assert/strict';
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

import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { isolatedEnv } from '../support/isolate';
import { TempRepo } from '../support/git-fixture';

/** What the test processes see of git's configuration (test/support/isolate.ts, loaded by every layer). */
describe('tests are isolated from the machine and the developer', () => {
  const hostile = `[core]\n\thooksPath = /nonexistent/hooks\n[commit]\n\tgpgsign = true\n[user]\n\tname = Someone Else\n[alias]\n\tcommit = log\n`;

  function gitConfig(env: NodeJS.ProcessEnv, key: string): { status: number | null; value: string } {
    const r = spawnSync('git', ['config', '--get', key], { env, encoding: 'utf8', cwd: os.tmpdir() });
    return { status: r.status, value: r.stdout.trim() };
  }

  it('a developer global config changes nothing once isolated (and would have without)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ai-provenance-isolation-'));
    try {
      const developerHome = path.join(dir, 'developer');
      fs.mkdirSync(developerHome);
      fs.writeFileSync(path.join(developerHome, '.gitconfig'), hostile);
      const developer: NodeJS.ProcessEnv = {
        PATH: process.env.PATH,
        HOME: developerHome,
        GIT_DIR: path.join(dir, 'somewhere-else.git'),
        GIT_AUTHOR_NAME: 'Leaked Author',
      };
      // Without isolation the developer's settings reach git: the control that makes this test mean something.
      assert.equal(gitConfig(developer, 'core.hooksPath').value, '/nonexistent/hooks');

      const env = isolatedEnv(developer, path.join(dir, 'test-home'));
      assert.deepEqual(gitConfig(env, 'core.hooksPath'), { status: 1, value: '' });
      assert.deepEqual(gitConfig(env, 'commit.gpgsign'), { status: 1, value: '' });
      assert.equal(env.GIT_DIR, undefined);
      assert.equal(env.GIT_AUTHOR_NAME, undefined);
      assert.equal(env.GIT_CONFIG_NOSYSTEM, '1');
      assert.equal(env.HOME, path.join(dir, 'test-home'));
      assert.equal(gitConfig(env, 'init.defaultBranch').value, 'main');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('this test process and what it starts see only the test configuration and the repository', () => {
    assert.ok(process.env.GIT_CONFIG_GLOBAL, 'the layer loads test/support/isolate.js first');
    assert.equal(process.env.GIT_CONFIG_NOSYSTEM, '1');
    assert.notEqual(process.env.HOME, os.userInfo().homedir, 'HOME is a folder of the test run');
    const repo = new TempRepo();
    try {
      const origins = repo
        .git('config', '--list', '--show-origin', '--show-scope')
        .trim()
        .split('\n')
        .map(line => line.split('\t').slice(0, 2).join(' '));
      const allowed = new Set([`global file:${process.env.GIT_CONFIG_GLOBAL}`, 'local file:.git/config']);
      assert.deepEqual(
        origins.filter(o => !allowed.has(o)),
        [],
        'no system or developer configuration is read',
      );
    } finally {
      repo.dispose();
    }
  });
});

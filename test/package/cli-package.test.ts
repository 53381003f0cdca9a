// The command line tool as the npm package ai-provenance-cli (scripts/pack-cli.mjs), installed the way a team
// installs it: the packed tarball into an empty prefix, offline, with an empty npm cache; then the installed
// `ai-provenance` command, alone on PATH with node and git, sets up a repository's hooks and gates a branch.
import * as assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { repoRoot, TempRepo } from '../support/git-fixture';

const rootManifest = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
  version: string;
  license: string;
};

describe('the npm package ai-provenance-cli', function () {
  this.timeout(240000);
  let work: string;
  let tarball: string;
  let prefix: string;
  let home: string;
  let env: NodeJS.ProcessEnv;

  before(function () {
    work = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'ai-provenance-cli-package-')));
    const out = execFileSync(process.execPath, [path.join(repoRoot, 'scripts', 'pack-cli.mjs'), '--out', work], {
      cwd: repoRoot,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    tarball = out.trim().split('\n').pop()!;
    prefix = path.join(work, 'prefix');
    home = path.join(work, 'home');
    fs.mkdirSync(home);
    // What a fresh machine has: node, git and ssh-keygen from the system; nothing of ours but what npm installs.
    env = {
      ...process.env,
      PATH: [path.join(prefix, 'bin'), path.dirname(process.execPath), '/usr/bin', '/bin'].join(path.delimiter),
      HOME: home,
      XDG_CONFIG_HOME: path.join(home, '.config'),
      XDG_DATA_HOME: path.join(home, '.local', 'share'),
      AI_PROVENANCE_HOME: undefined,
      npm_config_cache: path.join(work, 'npm-cache'),
      npm_config_userconfig: path.join(work, 'npmrc'),
      npm_config_update_notifier: 'false',
      npm_config_audit: 'false',
      npm_config_fund: 'false',
    };
    execFileSync('npm', ['install', '--global', '--offline', '--prefix', prefix, tarball], {
      env,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  });

  after(() => fs.rmSync(work, { recursive: true, force: true }));

  const run = (args: string[], cwd: string, input = '') =>
    spawnSync('ai-provenance', args, { cwd, env, input, encoding: 'utf8', timeout: 60000 });

  it('holds the CLI alone: its bundles, README and LICENSE, no dependencies, the extension’s version', () => {
    const listed = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).trim().split('\n').sort();
    assert.deepEqual(listed, [
      'package/LICENSE',
      'package/README.md',
      'package/dist/agent-hook-bundle.js',
      'package/dist/agent-hook.js',
      'package/dist/chart.umd.min.js',
      'package/dist/cli-cached.js',
      'package/dist/cli.js',
      'package/package.json',
    ]);
    const manifest = JSON.parse(
      execFileSync('tar', ['-xzOf', tarball, 'package/package.json'], { encoding: 'utf8' }),
    ) as Record<string, unknown>;
    assert.equal(manifest.name, 'ai-provenance-cli');
    assert.equal(manifest.version, rootManifest.version);
    assert.equal(manifest.license, rootManifest.license);
    assert.deepEqual(manifest.bin, { 'ai-provenance': 'dist/cli.js' });
    assert.equal(manifest.dependencies, undefined);
    assert.equal(manifest.scripts, undefined, 'an installed package must run nothing at install time');
    const readme = execFileSync('tar', ['-xzOf', tarball, 'package/README.md'], { encoding: 'utf8' });
    assert.match(readme, /npm install -g ai-provenance-cli/);
  });

  it('installs the ai-provenance command, which prints its version and help', () => {
    const version = run(['--version'], work);
    assert.equal(version.status, 0, version.stderr);
    assert.equal(version.stdout.trim(), rootManifest.version);
    const help = run(['check', '--help'], work);
    assert.equal(help.status, 0, help.stderr);
    assert.match(help.stdout, /^Usage: ai-provenance check --base REV/);
  });

  it('sets up a repository’s hooks and gates a branch with an AI change nobody signed off', () => {
    const repo = new TempRepo('ai-provenance-cli-package-repo-');
    try {
      repo.write('src/app.ts', 'export const app = 1;\n');
      repo.commitAll('initial');
      const hooks = run(['hooks', 'install'], repo.dir);
      assert.equal(hooks.status, 0, hooks.stderr);
      // The launcher the hook blocks call runs the installed package's CLI.
      const launcher = fs.readFileSync(
        path.join(home, '.local', 'share', 'ai-provenance', 'bin', 'ai-provenance'),
        'utf8',
      );
      assert.ok(
        launcher.includes(
          `cli='${fs.realpathSync(path.join(prefix, 'lib', 'node_modules', 'ai-provenance-cli', 'dist', 'cli.js'))}'`,
        ),
        launcher,
      );
      const agents = run(['agents', 'install', 'claude-code', '--project'], repo.dir);
      assert.equal(agents.status, 0, agents.stderr);

      repo.git('checkout', '-q', '-b', 'feature');
      // Claude Code writes a file: its hooks (as installed above) call the installed command around the write.
      const file = path.join(repo.dir, 'src', 'discount.ts');
      const content = 'export function discount(total: number): number {\n  return total * 0.9;\n}\n';
      const call = {
        session_id: 'session-1',
        transcript_path: path.join(home, 'transcript.jsonl'),
        cwd: repo.dir,
        tool_name: 'Write',
        tool_input: { file_path: file, content },
        tool_use_id: 'toolu_1',
      };
      const pre = run(
        ['agent-hook', 'claude-code'],
        repo.dir,
        JSON.stringify({ ...call, hook_event_name: 'PreToolUse' }),
      );
      assert.equal(pre.status, 0, pre.stderr);
      fs.writeFileSync(file, content);
      const post = run(
        ['agent-hook', 'claude-code'],
        repo.dir,
        JSON.stringify({
          ...call,
          hook_event_name: 'PostToolUse',
          tool_response: { filePath: file, success: true },
        }),
      );
      assert.equal(post.status, 0, post.stderr);

      execFileSync('git', ['add', 'src'], { cwd: repo.dir, env });
      execFileSync('git', ['commit', '-q', '-m', 'Add discount'], { cwd: repo.dir, env });
      assert.deepEqual(repo.trailers('AI-Attribution'), [
        'v1 added=3 ai=3 mixed=0 unknown=0 tools=claude-code/agent:3',
      ]);
      assert.ok(repo.git('notes', '--ref', 'refs/notes/ai-provenance', 'list', 'HEAD').trim(), 'the line-level note');

      const check = run(['check', '--base', 'refs/heads/main'], repo.dir);
      assert.equal(check.status, 1, `${check.stdout}\n${check.stderr}`);
      assert.match(check.stdout, /pending\s+[0-9a-f]+\s+Add discount/);
      assert.match(check.stdout, /FAILED: 1 of 1 AI-assisted commits are not signed off/);

      // The audit of the branch as if it had landed, and its HTML report with the Chart.js the package ships.
      const audit = run(['audit', '--branch', 'HEAD', '--format', 'html'], repo.dir);
      assert.equal(audit.status, 1, audit.stderr);
      assert.match(audit.stdout, /Chart\.js v4/);
      assert.match(
        audit.stdout,
        /<b>no-roster<\/b>: [0-9a-f]{10} \(ai=3 mixed=0\)/,
        'no roster here: nobody could sign it',
      );
    } finally {
      repo.dispose();
    }
  });
});

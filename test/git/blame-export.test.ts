import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli } from '../support/git-fixture';
import { ai, claude, copilot, HookedRepo, hookedRepoPerTest, human } from '../support/hooked-repo';

interface BlameJson {
  file: string;
  lines: {
    line: number;
    class: string;
    commit: string | null;
    tool?: string;
    kind?: string;
    model?: string;
    text: string;
  }[];
}

describe('blame, export and notes sync with real git', function () {
  this.timeout(60000);
  const current = hookedRepoPerTest();
  let repo: HookedRepo;
  beforeEach(() => (repo = current()));

  it('blames each line from the commit notes, uncommitted lines from the editor record, the rest as unknown', async () => {
    const first = 'const a = 1;\n';
    const generated = 'function twice(x) {\n  return 2 * x;\n}\n';
    await repo.track('src/app.js', first + generated, [human(first), ai(generated, claude)]);
    repo.git('add', '-A');
    repo.commit('-m', 'app');
    const committed = repo.git('rev-parse', 'HEAD').trim();
    // A line typed after the commit, and an AI line, not committed yet.
    const later = first + generated + '// typed later\n' + 'export default twice;\n';
    await repo.track('src/app.js', later, [
      human(first),
      ai(generated, claude),
      human('// typed later\n'),
      ai('export default twice;\n', copilot),
    ]);

    const r = runCli(['blame', 'app.js', '--json'], { cwd: path.join(repo.dir, 'src'), env: repo.env });
    assert.equal(r.status, 0, r.stderr);
    const blame = JSON.parse(r.stdout) as BlameJson;
    assert.equal(blame.file, 'src/app.js');
    assert.deepEqual(
      blame.lines.map(l => [l.line, l.class, l.commit, l.tool ?? null, l.kind ?? null, l.model ?? null]),
      [
        [1, 'h', committed, null, null, null],
        [2, 'a', committed, 'claude-code', 'agent', 'claude-sonnet-4-5'],
        [3, 'a', committed, 'claude-code', 'agent', 'claude-sonnet-4-5'],
        [4, 'a', committed, 'claude-code', 'agent', 'claude-sonnet-4-5'],
        [5, 'h', null, null, null, null],
        [6, 'a', null, 'copilot', 'inline', null],
      ],
    );
    // The text form has one row per line with the class letter.
    const text = runCli(['blame', 'src/app.js'], { cwd: repo.dir, env: repo.env });
    assert.equal(text.status, 0);
    assert.equal(
      text.stdout
        .trim()
        .split('\n')
        .map(l => l.trim().split(/\s+/)[1])
        .join(''),
      'haaaha',
    );
  });

  it('falls back to the trailer when a commit has no note, and says unknown where nothing is known', () => {
    repo.write('t.txt', 'one\ntwo\n');
    repo.git('add', 't.txt');
    repo.git(
      'commit',
      '-q',
      '--no-verify',
      '-m',
      'by hand\n\nAI-Attribution: v1 added=2 ai=1 mixed=0 unknown=0 tools=codex/agent:1',
    );
    assert.equal(repo.note(), undefined);
    const blame = JSON.parse(runCli(['blame', 't.txt', '--json'], { cwd: repo.dir }).stdout) as BlameJson;
    assert.deepEqual(
      blame.lines.map(l => [l.class, l.tool]),
      [
        ['?', 'codex/agent'],
        ['?', 'codex/agent'],
      ],
    );
    // Lines of several commits without notes: each commit's own trailer (read for all of them at once).
    const commitLine = (line: string, message: string): void => {
      fs.appendFileSync(path.join(repo.dir, 'm.txt'), `${line}\n`);
      repo.git('add', 'm.txt');
      repo.git('commit', '-q', '--no-verify', '-m', message);
    };
    commitLine('a', 'one\n\nAI-Attribution: v1 added=1 ai=1 mixed=0 unknown=0 tools=claude-code/agent:1');
    commitLine('b', 'two, by a person');
    commitLine('c', 'three\n\nAI-Attribution: v1 added=1 ai=0 mixed=1 unknown=0 tools=gemini-cli/agent:1');
    const many = JSON.parse(runCli(['blame', 'm.txt', '--json'], { cwd: repo.dir }).stdout) as BlameJson;
    assert.deepEqual(
      many.lines.map(l => [l.class, l.tool]),
      [
        ['?', 'claude-code/agent'],
        ['u', undefined],
        ['?', 'gemini-cli/agent'],
      ],
    );
    const readme = JSON.parse(runCli(['blame', 'README.md', '--json'], { cwd: repo.dir }).stdout) as BlameJson;
    assert.deepEqual(
      readme.lines.map(l => l.class),
      ['u'],
    );
  });

  it('refuses a file outside the repository or missing, with exit 2', () => {
    assert.equal(runCli(['blame', '/etc/hostname'], { cwd: repo.dir }).status, 2);
    assert.equal(runCli(['blame', 'nope.txt'], { cwd: repo.dir }).status, 2);
    assert.equal(runCli(['blame'], { cwd: repo.dir }).status, 2);
  });

  it('exports the notes of a range as Agent Trace records, newest first', async () => {
    await repo.track('a.txt', 'x\n', [ai('x\n', copilot)]);
    repo.git('add', 'a.txt');
    repo.commit('-m', 'one');
    const one = repo.git('rev-parse', 'HEAD').trim();
    repo.write('b.txt', 'human only\n');
    repo.git('add', 'b.txt');
    repo.commit('-m', 'two (no AI, no note)');
    await repo.track('c.txt', 'y\nz\n', [ai('y\nz\n', claude)]);
    repo.git('add', 'c.txt');
    repo.commit('-m', 'three');
    const three = repo.git('rev-parse', 'HEAD').trim();
    const r = runCli(['export', '--format', 'agent-trace'], { cwd: repo.dir });
    assert.equal(r.status, 0, r.stderr);
    const records = JSON.parse(r.stdout) as { version: string; vcs: { revision: string }; files: { path: string }[] }[];
    assert.deepEqual(
      records.map(x => [x.version, x.vcs.revision, x.files.map(f => f.path)]),
      [
        ['0.1.0', three, ['c.txt']],
        ['0.1.0', one, ['a.txt']],
      ],
    );
    const ranged = JSON.parse(
      runCli(['export', '--format=agent-trace', `${one}..HEAD`], { cwd: repo.dir }).stdout,
    ) as unknown[];
    assert.equal(ranged.length, 1);
    assert.equal(runCli(['export'], { cwd: repo.dir }).status, 2);
    assert.equal(runCli(['export', '--format', 'csv'], { cwd: repo.dir }).status, 2);
  });

  it('logs the commits with AI lines, their review state and the AI line ranges of the notes', async () => {
    repo.git('switch', '-q', '-c', 'feature');
    await repo.track('l.ts', 'a\nb\nc\n', [human('a\n'), ai('b\nc\n', claude)]);
    repo.git('add', 'l.ts');
    repo.commit('-m', 'AI work');
    const aiCommit = repo.git('rev-parse', 'HEAD').trim();
    repo.write('h.txt', 'by hand\n');
    repo.git('add', 'h.txt');
    repo.commit('-m', 'human work');
    const r = runCli(['log', 'main..HEAD', '--json'], { cwd: repo.dir });
    assert.equal(r.status, 0, r.stderr);
    const log = JSON.parse(r.stdout) as {
      commits: {
        id: string;
        state: string;
        aiLines: number;
        files: { path: string; ranges: { start: number; end: number }[] }[];
      }[];
    };
    assert.deepEqual(
      log.commits.map(c => [c.id, c.state, c.aiLines]),
      [[aiCommit, 'pending', 2]],
    );
    assert.deepEqual(
      log.commits[0]!.files.map(f => [f.path, f.ranges.map(x => [x.start, x.end])]),
      [['l.ts', [[2, 3]]]],
    );
    // Without a range: against the default base (main here).
    const text = runCli(['log'], { cwd: repo.dir });
    assert.equal(text.status, 0, text.stderr);
    assert.match(
      text.stdout,
      new RegExp(`^${aiCommit.slice(0, 10)}\\s+pending\\s+.*AI work\n\\s+l\\.ts\\s+2 AI lines \\(2-3\\)\n$`),
    );
    assert.equal(runCli(['log', 'a', 'b'], { cwd: repo.dir }).status, 2);
  });

  it('pushes and fetches the notes ref through a remote', async () => {
    const remoteDir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'ai-provenance-remote-')));
    const cloneDir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'ai-provenance-clone-')));
    try {
      repo.git('init', '-q', '--bare', '-b', 'main', remoteDir);
      repo.git('remote', 'add', 'origin', remoteDir);
      await repo.track('n.txt', 'noted\n', [ai('noted\n', copilot)]);
      repo.git('add', 'n.txt');
      repo.commit('-m', 'noted');
      repo.git('push', '-q', 'origin', 'main');
      const pushed = runCli(['notes', 'push'], { cwd: repo.dir });
      assert.equal(pushed.status, 0, pushed.stderr);
      repo.git('clone', '-q', remoteDir, cloneDir);
      const fetched = runCli(['notes', 'fetch', 'origin'], { cwd: cloneDir });
      assert.equal(fetched.status, 0, fetched.stderr);
      const blame = JSON.parse(runCli(['blame', 'n.txt', '--json'], { cwd: cloneDir }).stdout) as BlameJson;
      assert.deepEqual(
        blame.lines.map(l => [l.class, l.tool]),
        [['a', 'copilot']],
      );
      assert.equal(runCli(['notes', 'sideways'], { cwd: cloneDir }).status, 2);
    } finally {
      fs.rmSync(remoteDir, { recursive: true, force: true });
      fs.rmSync(cloneDir, { recursive: true, force: true });
    }
  });
});

import * as assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseAgentTrace } from '../../src/core/formats/git-note';
import { UNKNOWN } from '../../src/core/attribution/origin';
import { parseAiAttribution } from '../../src/core/formats/trailers';
import { runCli } from '../support/git-fixture';
import { ai, claude, copilot, HookedRepo, hookedRepoPerTest, human } from '../support/hooked-repo';

describe('commit hooks with real git', function () {
  this.timeout(60000);
  const current = hookedRepoPerTest();
  let repo: HookedRepo;
  beforeEach(() => (repo = current()));

  it('writes Assisted-by and AI-Attribution for an agent edit beside a human edit, and a line-level note', async () => {
    const humanPart = 'const a = 1;\n';
    const agentPart = 'export function add(x: number, y: number) {\n  return x + y;\n}\n';
    await repo.track('src/math.ts', humanPart + agentPart, [human(humanPart), ai(agentPart, claude)]);
    const mixedLine = 'let b = 2; // copilot did this\n';
    const copilotPart = 'b = b * 2;\n';
    await repo.track('src/other.ts', mixedLine + copilotPart, [
      human('let b = 2;'),
      ai(' // copilot did this\n', copilot),
      ai(copilotPart, copilot),
    ]);
    repo.git('add', '-A');
    const message = repo.commit(
      '-m',
      'Add math helpers',
      '-m',
      'Body stays as written.\n\nSigned-off-by: Dev <dev@example.invalid>',
    );
    assert.match(
      message,
      /^Add math helpers\n\nBody stays as written\.\n\nSigned-off-by: Dev <dev@example\.invalid>\n/,
    );
    assert.deepEqual(repo.trailers('Assisted-by'), ['Claude:claude-sonnet-4-5', 'Copilot']);
    const [value, ...more] = repo.trailers('AI-Attribution');
    assert.equal(more.length, 0);
    assert.equal(value, 'v1 added=6 ai=4 mixed=1 unknown=0 tools=claude-code/agent:3,copilot/inline:2');
    assert.deepEqual(repo.trailers('Signed-off-by'), ['Dev <dev@example.invalid>']);

    const note = repo.note();
    assert.ok(note, 'no note on the commit');
    const record = JSON.parse(note);
    assert.equal(record.version, '0.1.0');
    assert.equal(record.vcs.revision, repo.git('rev-parse', 'HEAD').trim());
    const lines = parseAgentTrace(note);
    assert.deepEqual(
      [...lines.get('src/math.ts')!.entries()].map(([n, l]) => [n, l.cls, l.tool, l.kind, l.model]),
      [
        [2, 'a', 'claude-code', 'agent', 'claude-sonnet-4-5'],
        [3, 'a', 'claude-code', 'agent', 'claude-sonnet-4-5'],
        [4, 'a', 'claude-code', 'agent', 'claude-sonnet-4-5'],
      ],
    );
    assert.deepEqual(
      [...lines.get('src/other.ts')!.entries()].map(([n, l]) => [n, l.cls, l.tool]),
      [
        [1, 'm', 'copilot'],
        [2, 'a', 'copilot'],
      ],
    );
  });

  it('counts only what is staged when a file is partly staged (git add -p)', async () => {
    const base = 'line one\n';
    repo.write('f.txt', base);
    repo.commitAll('base');
    const aiText = 'ai line A\nai line B\n';
    const humanText = 'typed by hand\n';
    // The editor saved this text: two AI lines, then a human line.
    await repo.track('f.txt', base + aiText + humanText, [human(base), ai(aiText, copilot), human(humanText)]);
    // Stage only the first AI line (what `git add -p` with an edited hunk leaves in the index).
    const staged = base + 'ai line A\n';
    const id = execFileSync('git', ['hash-object', '-w', '--stdin'], {
      cwd: repo.dir,
      input: staged,
      encoding: 'utf8',
    }).trim();
    repo.git('update-index', '--cacheinfo', `100644,${id},f.txt`);
    repo.commit('-m', 'partial');
    assert.deepEqual(repo.trailers('AI-Attribution'), ['v1 added=1 ai=1 mixed=0 unknown=0 tools=copilot/inline:1']);
    // The rest is committed next, with its own attribution.
    repo.git('add', 'f.txt');
    repo.commit('-m', 'rest');
    assert.deepEqual(repo.trailers('AI-Attribution'), ['v1 added=2 ai=1 mixed=0 unknown=0 tools=copilot/inline:1']);
  });

  it('keeps exactly one AI-Attribution through amend, counted against the parent', async () => {
    await repo.track('a.ts', 'one\ntwo\n', [ai('one\ntwo\n', claude)]);
    repo.git('add', 'a.ts');
    repo.commit('-m', 'first try');
    assert.deepEqual(repo.trailers('AI-Attribution'), ['v1 added=2 ai=2 mixed=0 unknown=0 tools=claude-code/agent:2']);
    await repo.track('a.ts', 'one\ntwo\nthree\n', [ai('one\ntwo\n', claude), human('three\n')]);
    repo.git('add', 'a.ts');
    repo.commit('--amend', '--no-edit');
    assert.deepEqual(repo.trailers('AI-Attribution'), ['v1 added=3 ai=2 mixed=0 unknown=0 tools=claude-code/agent:2']);
    repo.commit('--amend', '-m', 'second try');
    assert.deepEqual(repo.trailers('AI-Attribution'), ['v1 added=3 ai=2 mixed=0 unknown=0 tools=claude-code/agent:2']);
    assert.deepEqual(repo.trailers('Assisted-by'), ['Claude:claude-sonnet-4-5']);
    assert.equal(repo.git('log', '-1', '--format=%s').trim(), 'second try');
    // The note holds the amended commit's record only (git appends the old one; post-rewrite drops it).
    const note = repo.note()!;
    assert.equal(JSON.parse(note).vcs.revision, repo.git('rev-parse', 'HEAD').trim());
    assert.deepEqual([...parseAgentTrace(note).get('a.ts')!.keys()], [1, 2]);
    // An amend that leaves no AI line: the kept message's AI-Attribution says so, and the note that came
    // over from the amended commit is dropped.
    await repo.track('a.ts', 'typed\n', [human('typed\n')]);
    repo.git('add', 'a.ts');
    repo.commit('--amend', '--no-edit');
    assert.deepEqual(repo.trailers('AI-Attribution'), ['v1 added=1 ai=0 mixed=0 unknown=0 tools=']);
    assert.equal(repo.note(), undefined);
  });

  it('attributes the first commit of a repository against the empty tree', async () => {
    const fresh = new HookedRepo();
    try {
      fresh.install();
      await fresh.track('x.py', 'print(1)\nprint(2)\n', [ai('print(1)\n', copilot), human('print(2)\n')]);
      fresh.git('add', '-A');
      fresh.commit('-m', 'root');
      assert.deepEqual(fresh.trailers('AI-Attribution'), ['v1 added=2 ai=1 mixed=0 unknown=0 tools=copilot/inline:1']);
    } finally {
      fresh.dispose();
    }
  });

  it('follows a renamed file to its record', async () => {
    const text = 'alpha\nbeta\ngamma\ndelta\n';
    repo.write('old.txt', 'seed\n');
    repo.commitAll('seed');
    await repo.track('old.txt', text, [ai(text, claude)]);
    repo.git('add', 'old.txt');
    repo.git('mv', 'old.txt', 'new.txt');
    repo.commit('-m', 'rename and rewrite');
    assert.deepEqual(repo.trailers('AI-Attribution'), ['v1 added=4 ai=4 mixed=0 unknown=0 tools=claude-code/agent:4']);
    assert.ok(parseAgentTrace(repo.note()!).has('new.txt'));
  });

  it('writes nothing for a file with no record, unless the policy asks for a trailer on every commit', () => {
    repo.write('plain.txt', 'no record\n');
    repo.git('add', 'plain.txt');
    repo.commit('-m', 'plain');
    assert.deepEqual(repo.trailers('AI-Attribution'), []);
    assert.equal(repo.note(), undefined);
    repo.write('.ai-provenance/policy.json', JSON.stringify({ version: 1, trailers: { onEveryCommit: true } }));
    repo.git('add', '-A');
    repo.commit('-m', 'policy');
    repo.write('plain2.txt', 'still no record\n');
    repo.git('add', 'plain2.txt');
    repo.commit('-m', 'plain again');
    assert.deepEqual(repo.trailers('AI-Attribution'), ['v1 added=1 ai=0 mixed=0 unknown=1 tools=']);
    assert.deepEqual(repo.trailers('Assisted-by'), []);
  });

  it('adds Co-authored-by only when the policy opts in', async () => {
    await repo.track('co.txt', 'one\n', [ai('one\n', claude)]);
    repo.git('add', 'co.txt');
    repo.commit('-m', 'without opt-in');
    assert.deepEqual(repo.trailers('Co-authored-by'), []);
    repo.write('.ai-provenance/policy.json', JSON.stringify({ version: 1, trailers: { coAuthoredBy: true } }));
    repo.git('add', '-A');
    repo.commit('-m', 'opt in');
    await repo.track('co2.txt', 'two\n', [ai('two\n', claude)]);
    repo.git('add', 'co2.txt');
    repo.commit('-m', 'with opt-in');
    assert.deepEqual(repo.trailers('Co-authored-by'), ['Claude <noreply@anthropic.com>']);
  });

  it('writes the note from the CLI too, for a hook that calls it directly instead of through the launcher', async () => {
    await repo.track('direct.txt', 'one\ntwo\n', [ai('one\ntwo\n', copilot)]);
    repo.git('add', 'direct.txt');
    const msg = path.join(repo.dir, '.git', 'DIRECT_MSG');
    fs.writeFileSync(msg, 'direct\n');
    assert.equal(runCli(['hook', 'prepare-commit-msg', msg, 'message'], { cwd: repo.dir, env: repo.env }).status, 0);
    repo.git('-c', 'core.hooksPath=/nonexistent', 'commit', '-q', '-F', msg);
    assert.equal(repo.note(), undefined);
    assert.equal(runCli(['hook', 'post-commit'], { cwd: repo.dir, env: repo.env }).status, 0);
    const note = JSON.parse(repo.note()!);
    assert.equal(note.vcs.revision, repo.git('rev-parse', 'HEAD').trim());
    assert.deepEqual(
      note.files.map((f: { path: string }) => f.path),
      ['direct.txt'],
    );
  });

  it('runs under --no-verify too', async () => {
    await repo.track('n.txt', 'generated\n', [ai('generated\n', copilot)]);
    repo.git('add', 'n.txt');
    repo.commit('--no-verify', '-m', 'skip verification');
    assert.deepEqual(repo.trailers('AI-Attribution'), ['v1 added=1 ai=1 mixed=0 unknown=0 tools=copilot/inline:1']);
  });

  it('a rebase keeps the message as it was and the note follows; a merge with nothing new gets no trailer', async () => {
    repo.git('switch', '-q', '-c', 'topic');
    await repo.track('feat.txt', 'feature work\n', [ai('feature work\n', copilot)]);
    repo.git('add', 'feat.txt');
    repo.commit('-m', 'feature');
    const before = repo.git('log', '-1', '--format=%B');
    const noted = repo.noteLines();
    repo.git('switch', '-q', 'main');
    repo.write('main.txt', 'main work\n');
    repo.git('add', 'main.txt');
    repo.commit('-m', 'main');
    repo.git('switch', '-q', 'topic');
    repo.gitEnv({ ...repo.env, GIT_EDITOR: 'true' }, 'rebase', '-q', 'main');
    assert.equal(repo.git('log', '-1', '--format=%s').trim(), 'feature');
    assert.equal(repo.git('log', '-1', '--format=%B'), before, 'rebase changed the message');
    assert.deepEqual(repo.noteLines(), noted, 'the rebased commit lost its note');
    assert.deepEqual(noted, ['feat.txt:1-1:ai']);
    repo.git('switch', '-q', 'main');
    repo.write('more.txt', 'more main work\n');
    repo.git('add', 'more.txt');
    repo.commit('-m', 'more');
    repo.gitEnv(repo.env, 'merge', '-q', '--no-ff', '-m', 'Merge topic', 'topic');
    assert.equal(repo.git('log', '-1', '--format=%s').trim(), 'Merge topic');
    assert.deepEqual(repo.trailers('AI-Attribution'), [], 'a merge commit got our trailer');
  });

  it('keeps an existing hook working and runs beside husky-style core.hooksPath hooks', async () => {
    const marker = path.join(repo.dir, '.git', 'their-hook-ran');
    const theirs = `#!/bin/sh\necho "$1" > '${marker}'\nexit 0\n`;
    fs.writeFileSync(path.join(repo.dir, '.git', 'hooks', 'post-commit'), theirs, { mode: 0o755 });
    repo.install();
    await repo.track('h.txt', 'x\n', [ai('x\n', copilot)]);
    repo.git('add', 'h.txt');
    repo.commit('-m', 'with their hook');
    assert.ok(fs.existsSync(marker), 'the existing post-commit hook did not run');
    assert.ok(repo.note(), 'our post-commit did not run');
    // Husky 9 style: hooks in .husky/_ end with `exit`; ours must run first.
    repo.git('config', 'core.hooksPath', '.husky/_');
    const huskyHook = '#!/usr/bin/env sh\n. "$(dirname "$0")/h"\n';
    repo.write('.husky/_/h', `#!/usr/bin/env sh\nexit 0\n`);
    for (const h of ['prepare-commit-msg', 'commit-msg', 'post-commit'])
      fs.writeFileSync(path.join(repo.dir, '.husky/_', h), huskyHook, { mode: 0o755 });
    repo.install();
    assert.ok(
      fs
        .readFileSync(path.join(repo.dir, '.husky/_/prepare-commit-msg'), 'utf8')
        .endsWith(huskyHook.split('\n').slice(1).join('\n')),
    );
    await repo.track('h2.txt', 'y\n', [ai('y\n', claude)]);
    repo.git('add', 'h2.txt');
    repo.commit('-m', 'husky');
    assert.deepEqual(repo.trailers('AI-Attribution'), ['v1 added=1 ai=1 mixed=0 unknown=0 tools=claude-code/agent:1']);
  });

  it('uninstall restores the hook files exactly', () => {
    const hooks = path.join(repo.dir, '.git', 'hooks');
    const theirs = '#!/bin/bash\nset -e\necho theirs\n';
    fs.rmSync(path.join(hooks, 'commit-msg'));
    fs.writeFileSync(path.join(hooks, 'commit-msg'), theirs, { mode: 0o750 });
    repo.install();
    assert.match(fs.readFileSync(path.join(hooks, 'commit-msg'), 'utf8'), /ai-provenance/);
    const r = runCli(['hooks', 'uninstall'], { cwd: repo.dir, env: repo.env });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(fs.readFileSync(path.join(hooks, 'commit-msg'), 'utf8'), theirs);
    assert.equal(fs.statSync(path.join(hooks, 'commit-msg')).mode & 0o777, 0o750 | 0o111);
    assert.ok(
      !fs.existsSync(path.join(hooks, 'prepare-commit-msg')),
      'a hook file that held only our block should be gone',
    );
    assert.throws(() => repo.git('config', '--get-all', 'notes.rewriteRef'), 'notes.rewriteRef is still set');
  });

  it('status warns when the launcher points at a CLI that is gone, and commits go on marked for review', () => {
    const ok = JSON.parse(runCli(['hooks', 'status', '--json'], { cwd: repo.dir, env: repo.env }).stdout);
    assert.equal(ok.launcherCliExists, true);
    assert.ok(ok.hooks.every((h: { state: string }) => h.state === 'installed'));
    const launcher = path.join(repo.home, 'bin', 'ai-provenance');
    fs.writeFileSync(launcher, fs.readFileSync(launcher, 'utf8').replace(/^cli='.*'$/m, "cli='/nowhere/cli.js'"));
    const r = runCli(['hooks', 'status'], { cwd: repo.dir, env: repo.env });
    assert.equal(r.status, 0);
    assert.match(
      r.stdout,
      /warning: the launcher runs \/nowhere\/cli\.js, which no longer exists: the hooks record nothing and mark every commit AI-Attribution: v1 failed/,
    );
    // Commits still go through, marked: nothing can say which of their lines AI wrote. A sign-off stays as written.
    repo.write('g.txt', 'x\n');
    repo.git('add', 'g.txt');
    assert.equal(repo.commit('-m', 'still fine').trimEnd(), 'still fine\n\nAI-Attribution: v1 failed');
    const signoff = 'AI sign-off: 1 commit\n\nReviewed-by: S <s@example.invalid>\nAI-Signoff: 1234 5678';
    assert.equal(repo.commit('--allow-empty', '-m', signoff).trimEnd(), signoff);
    // In the editor: a message left empty still aborts; a subject typed on the first line gets the mark below it.
    repo.write('g2.txt', 'y\n');
    repo.git('add', 'g2.txt');
    const head = repo.git('rev-parse', 'HEAD');
    assert.throws(() => repo.gitEnv({ ...repo.env, GIT_EDITOR: 'true' }, 'commit'), /empty commit message|Aborting/);
    assert.equal(repo.git('rev-parse', 'HEAD'), head);
    repo.gitEnv({ ...repo.env, GIT_EDITOR: `sed -i '1s/^/typed subject/'` }, 'commit');
    assert.equal(repo.git('log', '-1', '--format=%B').trimEnd(), 'typed subject\n\nAI-Attribution: v1 failed');
  });

  it('refuses to edit a hook written in another language, and says what to do', () => {
    const hook = path.join(repo.dir, '.git', 'hooks', 'prepare-commit-msg');
    fs.rmSync(hook);
    const python = '#!/usr/bin/env python3\nprint("mine")\n';
    fs.writeFileSync(hook, python, { mode: 0o755 });
    const r = runCli(['hooks', 'install'], { cwd: repo.dir, env: repo.env });
    assert.equal(r.status, 3);
    assert.match(
      r.stderr,
      /is not a shell script we can edit .* so AI Provenance leaves it as it is\. Have it run: .* hook prepare-commit-msg/,
    );
    assert.equal(fs.readFileSync(hook, 'utf8'), python);
    const status = JSON.parse(runCli(['hooks', 'status', '--json'], { cwd: repo.dir, env: repo.env }).stdout);
    assert.equal(status.hooks.find((h: { hook: string }) => h.hook === 'prepare-commit-msg').state, 'foreign');
  });

  it('leaves compiled hooks, links and hooks in other encodings byte for byte as they were', () => {
    const hooks = path.join(repo.dir, '.git', 'hooks');
    // A compiled hook (a copy of a program) and a link to a team script.
    fs.rmSync(path.join(hooks, 'prepare-commit-msg'));
    fs.copyFileSync('/bin/true', path.join(hooks, 'prepare-commit-msg'));
    fs.chmodSync(path.join(hooks, 'prepare-commit-msg'), 0o755);
    repo.write('scripts/commit-msg.sh', '#!/bin/sh\nexit 0\n');
    fs.rmSync(path.join(hooks, 'commit-msg'));
    fs.symlinkSync('../../scripts/commit-msg.sh', path.join(hooks, 'commit-msg'));
    // A Latin-1 shell hook.
    const latin1 = Buffer.concat([Buffer.from('#!/bin/sh\n# r'), Buffer.from([0xe9]), Buffer.from('sum\nexit 0\n')]);
    fs.rmSync(path.join(hooks, 'post-commit'));
    fs.writeFileSync(path.join(hooks, 'post-commit'), latin1, { mode: 0o755 });
    const before = new Map(['prepare-commit-msg', 'post-commit'].map(h => [h, fs.readFileSync(path.join(hooks, h))]));
    const r = runCli(['hooks', 'install'], { cwd: repo.dir, env: repo.env });
    assert.equal(r.status, 3, 'the compiled hook and the link are refused');
    assert.match(r.stderr, /prepare-commit-msg is not a shell script we can edit \(a program\)/);
    assert.match(
      r.stderr,
      /commit-msg is not a shell script we can edit \(a link to \.\.\/\.\.\/scripts\/commit-msg\.sh\)/,
    );
    assert.ok(fs.readFileSync(path.join(hooks, 'prepare-commit-msg')).equals(before.get('prepare-commit-msg')!));
    assert.ok(fs.lstatSync(path.join(hooks, 'commit-msg')).isSymbolicLink());
    assert.match(fs.readFileSync(path.join(hooks, 'post-commit'), 'latin1'), /ai-provenance/);
    repo.write('ok.txt', 'x\n');
    repo.git('add', 'ok.txt');
    repo.commit('-m', 'commits still work');
    assert.equal(runCli(['hooks', 'uninstall'], { cwd: repo.dir, env: repo.env }).status, 0);
    assert.ok(
      fs.readFileSync(path.join(hooks, 'post-commit')).equals(before.get('post-commit')!),
      'the Latin-1 hook came back byte for byte',
    );
    assert.ok(fs.readFileSync(path.join(hooks, 'prepare-commit-msg')).equals(before.get('prepare-commit-msg')!));
    assert.ok(fs.lstatSync(path.join(hooks, 'commit-msg')).isSymbolicLink());
  });

  it('lets the commit through when our state is broken, says so once, and marks it for review', async () => {
    await repo.track('c.txt', 'z\n', [ai('z\n', copilot)]);
    repo.git('add', 'c.txt');
    // Break the state folder: it becomes a file.
    const stateDir = path.join(repo.dir, '.git', 'ai-provenance');
    fs.rmSync(stateDir, { recursive: true, force: true });
    fs.writeFileSync(stateDir, 'not a folder');
    const r = spawnSync('git', ['commit', '-m', 'still commits'], {
      cwd: repo.dir,
      encoding: 'utf8',
      env: { ...process.env, ...repo.env },
    });
    assert.equal(r.status, 0, r.stderr);
    assert.match(
      r.stderr,
      /ai-provenance: prepare-commit-msg could not record AI provenance \(.*\); the commit goes on, marked AI-Attribution: v1 failed so that check asks a senior to look/,
    );
    assert.equal(repo.git('log', '-1', '--format=%B').trimEnd(), 'still commits\n\nAI-Attribution: v1 failed');
    assert.equal(fs.readFileSync(stateDir, 'utf8'), 'not a folder', 'our broken state was overwritten');
  });

  it('moves a corrupt record aside, commits, and marks the file skipped so check asks a senior', async () => {
    await repo.track('d.txt', 'w\n', [ai('w\n', copilot)]);
    repo.git('add', 'd.txt');
    const runsDir = path.join(repo.dir, '.git', 'ai-provenance', 'runs');
    for (const dir of fs.readdirSync(runsDir)) {
      for (const f of fs.readdirSync(path.join(runsDir, dir)))
        fs.writeFileSync(path.join(runsDir, dir, f), '{ not json');
    }
    const message = repo.commit('-m', 'corrupt store');
    assert.match(message, /^corrupt store\n/);
    // Its AI line is lost with the record: not "no AI", but a file nobody could read, which check sends to a senior.
    assert.deepEqual(repo.trailers('AI-Attribution'), ['v1 added=1 ai=0 mixed=0 unknown=1 tools= skipped=1']);
    assert.ok(
      fs.readdirSync(path.join(repo.dir, '.git', 'ai-provenance', 'corrupt')).length > 0,
      'nothing was moved aside',
    );
  });

  it('marks the file skipped when another process moved its record aside before the commit, and only until then', async () => {
    await repo.track('m.txt', 'a\n', [ai('a\n', copilot)]);
    const runsDir = path.join(repo.dir, '.git', 'ai-provenance', 'runs');
    for (const dir of fs.readdirSync(runsDir))
      for (const f of fs.readdirSync(path.join(runsDir, dir)))
        fs.writeFileSync(path.join(runsDir, dir, f), '{ not json');
    // `status` (as the editor would) meets the record first and moves it aside: the commit's own lookup finds nothing.
    const status = runCli(['status'], { cwd: repo.dir, env: repo.env });
    assert.equal(status.status, 0, status.stderr);
    assert.ok(
      fs.readdirSync(path.join(repo.dir, '.git', 'ai-provenance', 'corrupt')).length > 0,
      'nothing moved aside',
    );
    repo.git('add', 'm.txt');
    // Commit times have whole seconds: the commit that reports the loss is made in a later second than the move.
    const second = Math.floor(Date.now() / 1000);
    while (Math.floor(Date.now() / 1000) === second) await new Promise(resolve => setTimeout(resolve, 50));
    repo.commit('-m', 'after status');
    assert.deepEqual(repo.trailers('AI-Attribution'), ['v1 added=1 ai=0 mixed=0 unknown=1 tools= skipped=1']);
    // A commit of the file after that one: the loss was reported, the new line is simply unknown.
    repo.write('m.txt', 'a\nb\n');
    repo.git('add', 'm.txt');
    repo.commit('-m', 'later');
    assert.deepEqual(repo.trailers('AI-Attribution'), []);
    // An amend of the flagged commit itself still says so: it is counted against the commit before it.
    repo.git('reset', '-q', '--hard', 'HEAD~1');
    repo.write('m.txt', 'a\nc\n');
    repo.git('add', 'm.txt');
    repo.commit('--amend', '-m', 'after status, amended');
    assert.match(repo.trailers('AI-Attribution')[0] ?? '', / skipped=1$/);
  });

  it('does not turn an empty editor message into a commit', async () => {
    await repo.track('e.txt', 'e\n', [ai('e\n', copilot)]);
    repo.git('add', 'e.txt');
    const head = repo.git('rev-parse', 'HEAD');
    // The person saves the message empty: git must abort, as it would without us.
    assert.throws(() => repo.gitEnv({ ...repo.env, GIT_EDITOR: 'true' }, 'commit'), /empty commit message|Aborting/);
    assert.equal(repo.git('rev-parse', 'HEAD'), head);
    // With a message written in the editor, the trailers stay.
    repo.gitEnv(
      { ...repo.env, GIT_EDITOR: `sh -c 'printf "edited subject\\n" | cat - "$1" > "$1.new" && mv "$1.new" "$1"' --` },
      'commit',
    );
    assert.equal(repo.git('log', '-1', '--format=%s').trim(), 'edited subject');
    assert.deepEqual(repo.trailers('AI-Attribution'), ['v1 added=1 ai=1 mixed=0 unknown=0 tools=copilot/inline:1']);
  });

  it('keeps the trailers where git reads them when the subject is typed on the editor’s first line', async () => {
    await repo.track('s.txt', 's\n', [ai('s\n', copilot)]);
    repo.git('add', 's.txt');
    // The editor opens on the message; the person types the subject on its first line, in place, as editors invite.
    repo.gitEnv({ ...repo.env, GIT_EDITOR: `sed -i '1s/^/typed subject/'` }, 'commit');
    assert.deepEqual(repo.trailers('AI-Attribution'), ['v1 added=1 ai=1 mixed=0 unknown=0 tools=copilot/inline:1']);
    assert.equal(
      repo.git('log', '-1', '--format=%B').trimEnd(),
      'typed subject\n\nAssisted-by: Copilot\nAI-Attribution: v1 added=1 ai=1 mixed=0 unknown=0 tools=copilot/inline:1',
    );
    // A subject typed right above the trailers (the blank line removed): commit-msg puts them in a block of their own.
    await repo.track('t.txt', 't\n', [ai('t\n', copilot)]);
    repo.git('add', 't.txt');
    repo.gitEnv({ ...repo.env, GIT_EDITOR: `sed -i -e '1d' -e '2s/^$/tight subject/'` }, 'commit');
    assert.deepEqual(repo.trailers('AI-Attribution'), ['v1 added=1 ai=1 mixed=0 unknown=0 tools=copilot/inline:1']);
    assert.match(repo.git('log', '-1', '--format=%B'), /^tight subject\n\nAssisted-by: Copilot\n/);
  });

  it('puts the trailers after a "---" line, where git and check read them', async () => {
    await repo.track('dash.txt', 'x\n', [ai('x\n', copilot)]);
    repo.git('add', 'dash.txt');
    repo.commit('-m', 'Subject\n\nNotes\n---\nmore notes');
    assert.deepEqual(repo.trailers('AI-Attribution'), ['v1 added=1 ai=1 mixed=0 unknown=0 tools=copilot/inline:1']);
  });

  it('still aborts when commit.template is left as it was', async () => {
    const template = path.join(repo.dir, '.git', 'TEMPLATE');
    fs.writeFileSync(template, 'Ticket:\nWhy:\n');
    repo.git('config', 'commit.template', template);
    await repo.track('t.txt', 'x\n', [ai('x\n', copilot)]);
    repo.git('add', 't.txt');
    const head = repo.git('rev-parse', 'HEAD');
    assert.throws(
      () => repo.gitEnv({ ...repo.env, GIT_EDITOR: 'true' }, 'commit'),
      /did not edit the message|Aborting/,
    );
    assert.equal(repo.git('rev-parse', 'HEAD'), head);
    // An edited template commits, with the trailers.
    repo.gitEnv({ ...repo.env, GIT_EDITOR: `sh -c 'sed -i "s/^Why:$/Why: because/" "$1"' --` }, 'commit');
    assert.notEqual(repo.git('rev-parse', 'HEAD'), head);
    assert.deepEqual(repo.trailers('AI-Attribution'), ['v1 added=1 ai=1 mixed=0 unknown=0 tools=copilot/inline:1']);
  });

  it('writes trailers its own parser reads back', async () => {
    await repo.track('p.txt', 'a\nb\n', [ai('a\n', claude), { length: 2, origin: UNKNOWN }]);
    repo.git('add', 'p.txt');
    repo.commit('-m', 'parse me');
    const parsed = parseAiAttribution(repo.trailers('AI-Attribution')[0]!);
    assert.deepEqual(parsed, {
      added: 2,
      ai: 1,
      mixed: 0,
      unknown: 1,
      tools: [{ tool: 'claude-code', kind: 'agent', lines: 1 }],
    });
  });
});

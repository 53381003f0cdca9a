import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { AgentTraceFormatError, parseAgentTrace } from '../../src/core/formats/git-note';
import { writeLauncher } from '../../src/io/git/hooks';
import { commitOrigin } from '../../src/io/git/commit-context';
import { runCli } from '../support/git-fixture';
import { ai, claude, hookedRepoPerTest } from '../support/hooked-repo';
import {
  agentTraceNote,
  as,
  attribution,
  junior,
  rosterLine,
  senior,
  show,
  signoffReposPerTest,
  type SignoffRepo,
} from '../support/signoff-fixture';

/**
 * Ways around the gate that forge nothing (issue 17), each tried with real git, real keys and the built CLI.
 * Every one must leave `check` refusing the branch, or refusing the question, never passing it.
 */
describe('security: the gate misses no AI change', () => {
  const repo = signoffReposPerTest();

  /** A commit off `main` whose roster lists the junior and allows self sign-off: the base a junior would like. */
  function rosterWithJunior(r: SignoffRepo): string {
    r.git('checkout', '-q', '-b', 'evil', 'main');
    r.write('.ai-provenance/allowed_signers', rosterLine(senior(), junior()));
    r.write('.ai-provenance/policy.json', JSON.stringify({ version: 1, signoff: { allowSelfSignoff: true } }));
    const id = r.commitAll('roster: add me, and let me sign my own');
    r.git('checkout', '-q', 'feature');
    r.git('branch', '-q', '-D', 'evil');
    return id;
  }

  it('a tag named like the base branch, pointing at a friendlier roster, is an ambiguous base (exit 2)', () => {
    const r = repo();
    const evil = rosterWithJunior(r);
    r.git('tag', 'main', evil);
    const ai = r.aiCommit(junior(), 'src/a.ts', 3);
    r.manualSignoff(junior(), [ai]);
    const result = r.check();
    assert.equal(result.status, 2, show(result));
    assert.match(result.stderr, /the base "main" is ambiguous: it names refs\/tags\/main, refs\/heads\/main/);
    assert.match(result.stderr, /--base refs\/heads\/main\n/);
    const branch = r.cli(['check', '--base', 'refs/heads/main']);
    assert.equal(branch.status, 1, `the full name of the branch is the real base: ${show(branch)}`);
  });

  it('a local branch named origin/main next to the remote one is an ambiguous base', () => {
    const r = repo();
    r.git('update-ref', 'refs/remotes/origin/main', 'main');
    r.aiCommit(junior(), 'src/a.ts', 3);
    r.git('branch', 'origin/main', 'HEAD'); // base = head: nothing to check, were it taken
    const result = r.cli(['check', '--base', 'origin/main']);
    assert.equal(result.status, 2, show(result));
    assert.match(
      result.stderr,
      /ambiguous: it names refs\/heads\/origin\/main, refs\/remotes\/origin\/main\. .*--base refs\/remotes\/origin\/main/,
    );
  });

  it('refs/replace cannot swap an AI commit for a look-alike without its trailer', () => {
    const r = repo();
    const ai = r.aiCommit(junior(), 'src/a.ts', 3);
    const tree = r.git('rev-parse', `${ai}^{tree}`).trim();
    const parent = r.git('rev-parse', `${ai}^`).trim();
    const twin = r
      .run(['commit-tree', tree, '-p', parent, '-m', 'feat: src/a.ts, written by hand'], {
        env: { GIT_AUTHOR_NAME: 'Jun Ior', GIT_AUTHOR_EMAIL: 'junior@example.com' },
      })
      .trim();
    r.git('replace', ai, twin);
    assert.match(r.git('log', '-1', '--format=%B', ai), /written by hand/, 'git shows the replacement by default');
    const result = r.check();
    assert.equal(result.status, 1, show(result));
    assert.match(result.stdout, /pending\s+[0-9a-f]{10}\s+feat: src\/a\.ts/);
  });
});

describe('security: evidence of AI the trailer does not show makes a commit need a senior', () => {
  const repo = signoffReposPerTest();

  interface JsonCommit {
    commit: string;
    needsSignoff: boolean;
    state: string | null;
    needReason: { code: string; why?: string } | null;
  }
  const gate = (r: SignoffRepo): { status: number | null; commits: JsonCommit[]; raw: string } => {
    const result = r.check('--format', 'json');
    return {
      status: result.status,
      commits: (JSON.parse(result.stdout) as { commits: JsonCommit[] }).commits,
      raw: show(result),
    };
  };

  it("a change to the gate's own files (adding oneself to the seniors) needs a senior, with no AI line in it", () => {
    const r = repo();
    const id = r.commitAs(junior(), 'chore: roster\n', {
      files: { '.ai-provenance/allowed_signers': rosterLine(senior(), junior()) },
    });
    const g = gate(r);
    assert.equal(g.status, 1, g.raw);
    assert.deepEqual(
      g.commits.map(c => [c.commit, c.needsSignoff, c.state, c.needReason]),
      [[id, true, 'pending', { code: 'policy-change' }]],
    );
    assert.match(r.check().stdout, /changes \.ai-provenance\/ \(the seniors or the policy\)/);
    assert.equal(r.signOff(senior()).status, 0, 'a senior signs it off like AI code');
    assert.equal(r.check().status, 0);
  });

  for (const [what, message] of [
    ['Assisted-by without AI-Attribution', 'feat: helper\n\nAssisted-by: Claude:claude-sonnet-4\n'],
    ["an agent's own Co-Authored-By", 'feat: helper\n\nCo-Authored-By: Claude <noreply@anthropic.com>\n'],
    [
      'Assisted-by with an AI-Attribution of no AI line',
      `feat: helper\n\nAssisted-by: Codex\n${attribution(0, 0, 3)}\n`,
    ],
  ] as const) {
    it(`a commit crediting an agent is unattested: ${what}`, () => {
      const r = repo();
      r.commitAs(junior(), message, { files: { 'src/helper.ts': 'a\nb\nc\n' } });
      const g = gate(r);
      assert.equal(g.status, 1, g.raw);
      assert.deepEqual(g.commits[0]?.needReason, { code: 'unattested', why: 'credited-agent' });
    });
  }

  it('a trailer stripped by an amend, while the note still records AI lines, is unattested', () => {
    const r = repo();
    const ai = r.aiCommit(junior(), 'src/a.ts', 3);
    r.git('notes', '--ref', 'refs/notes/ai-provenance', 'add', '-m', agentTraceNote(ai, 'src/a.ts', 1, 3), ai);
    r.git('config', 'notes.rewriteRef', 'refs/notes/ai-provenance');
    r.run([...as(junior()), 'commit', '-q', '--amend', '--no-gpg-sign', '-m', 'feat: src/a.ts by hand, honest']);
    const g = gate(r);
    assert.equal(g.status, 1, g.raw);
    assert.deepEqual(g.commits[0]?.needReason, { code: 'unattested', why: 'note-disagrees' });
  });

  it('with trailers.onEveryCommit, a commit made without the hooks is unattested; one with a trailer is not', () => {
    const r = repo({ policy: { version: 1, trailers: { onEveryCommit: true } } });
    const bare = r.commitAs(junior(), 'fix: typo\n', { files: { 'src/b.ts': 'x\n' } });
    r.commitAs(junior(), `fix: another\n\n${attribution(0, 0, 1)}\n`, { files: { 'src/c.ts': 'y\n' } });
    const g = gate(r);
    assert.equal(g.status, 1, g.raw);
    assert.deepEqual(
      g.commits.filter(c => c.needsSignoff).map(c => [c.commit, c.needReason]),
      [[bare, { code: 'unattested', why: 'no-trailer' }]],
    );
  });

  it('a commit whose subject says "AI sign-off" but which changes files is reviewed, not skipped', () => {
    const r = repo();
    const id = r.commitAs(junior(), 'AI sign-off: 1 commit\n\nReviewed-by: Jun Ior <junior@example.com>\n', {
      files: { 'src/sneaky.ts': 'eval(input)\n' },
    });
    const g = gate(r);
    assert.equal(g.status, 1, g.raw);
    assert.deepEqual(
      g.commits.map(c => [c.commit, c.needsSignoff, c.needReason]),
      [[id, true, { code: 'unattested', why: 'signoff-with-changes' }]],
    );
  });
});

describe('security: path rules judge AI lines where they end up', () => {
  const repo = signoffReposPerTest();
  const policy = { version: 1, signoff: { ignore: ['generated/'], highRisk: ['src/payments/'] } };

  interface Checked {
    commits: { commit: string; needsSignoff: boolean; highRisk: boolean; landedIn: string[]; state: string | null }[];
  }
  const json = (r: SignoffRepo): Checked => JSON.parse(r.check('--format', 'json').stdout) as Checked;
  const move = (r: SignoffRepo, from: string, to: string): void => {
    fs.mkdirSync(path.dirname(path.join(r.dir, to)), { recursive: true });
    r.git('mv', from, to);
  };

  it('AI code written under an ignored path and moved by a person into src/ needs a sign-off', () => {
    const r = repo({ policy });
    const ai = r.aiCommit(junior(), 'generated/helpers.ts', 6);
    assert.equal(r.check().status, 0, 'under the ignored path alone it needs nobody');
    move(r, 'generated/helpers.ts', 'src/helpers.ts');
    r.commitAs(junior(), 'refactor: move the helpers\n');
    const result = r.check();
    assert.equal(result.status, 1, show(result));
    assert.match(result.stdout, /its lines are now also in src\/helpers\.ts/);
    const [commit] = json(r).commits.filter(c => c.commit === ai);
    assert.deepEqual(commit?.landedIn, ['src/helpers.ts']);
    assert.equal(commit?.needsSignoff, true);
  });

  it('a copy of it pasted into src/ by a person counts too (the ignored original stays)', () => {
    const r = repo({ policy });
    r.aiCommit(junior(), 'generated/helpers.ts', 6);
    const text = fs.readFileSync(path.join(r.dir, 'generated/helpers.ts'), 'utf8');
    r.commitAs(junior(), 'feat: use the helpers\n', { files: { 'src/app.ts': `// app\n${text}// end\n` } });
    assert.equal(r.check().status, 1);
  });

  it('a sign-off by one senior, then a move of the code into a high-risk path: it now needs two', () => {
    const r = repo({ policy: { version: 1, signoff: { highRisk: ['src/payments/'], highRiskSigners: 2 } } });
    const ai = r.aiCommit(junior(), 'src/util.ts', 4);
    r.manualSignoff(senior(), [ai]);
    assert.equal(r.check().status, 0, 'signed off as it was');
    move(r, 'src/util.ts', 'src/payments/util.ts');
    r.commitAs(junior(), 'refactor: util belongs to payments\n');
    const result = r.check();
    assert.equal(result.status, 1, show(result));
    const [commit] = json(r).commits.filter(c => c.commit === ai);
    assert.equal(commit?.highRisk, true);
    assert.deepEqual(commit?.landedIn, ['src/payments/util.ts']);
    assert.match(result.stdout, /1 of 2 seniors signed off/);
  });

  it('code re-indented as a person moves it into a high-risk path is still followed', () => {
    const r = repo({ policy });
    r.aiCommit(junior(), 'generated/refunds.ts', 6);
    const text = fs.readFileSync(path.join(r.dir, 'generated/refunds.ts'), 'utf8');
    const wrapped = `export class Refunds {\n${text.replace(/^/gm, '  ').replace(/ {2}$/, '')}}\n`;
    r.git('rm', '-q', 'generated/refunds.ts');
    r.commitAs(junior(), 'refactor: refunds belong to payments\n', { files: { 'src/payments/refunds.ts': wrapped } });
    const result = r.check();
    assert.equal(result.status, 1, show(result));
    assert.match(result.stdout, /its lines are now also in src\/payments\/refunds\.ts/);
  });

  it('a commit whose hook skipped files is followed too, when a person moves its code', () => {
    const r = repo({ policy });
    r.commitAs(junior(), 'feat: helpers\n\nAI-Attribution: v1 added=3 ai=0 mixed=0 unknown=3 tools= skipped=1\n', {
      files: {
        'generated/win.ts': 'export const a = "one long enough line";\nexport const b = "two";\nexport const c = 3;\n',
      },
    });
    assert.equal(r.check().status, 0, 'under the ignored path it needs nobody');
    move(r, 'generated/win.ts', 'src/payments/win.ts');
    r.commitAs(junior(), 'refactor: move\n');
    assert.equal(r.check().status, 1);
  });

  it("a person's own code moved into a high-risk path asks nothing more", () => {
    const r = repo({ policy });
    r.commitAs(junior(), 'feat: by hand\n', { files: { 'src/util.ts': 'export const x = 1;\n' } });
    move(r, 'src/util.ts', 'src/payments/util.ts');
    r.commitAs(junior(), 'refactor: move\n');
    assert.equal(r.check().status, 0);
  });
});

describe('security: the commit hook never fails open', () => {
  const repo = hookedRepoPerTest();
  const aiText = 'export const a = 1;\nexport const b = 2;\n';

  it('a file name the store refuses costs only that file: the others keep their AI lines, the trailer says skipped', async () => {
    const r = repo();
    await r.track('src/ai.ts', aiText, [ai(aiText, claude)]);
    r.write('docs\\notes.md', 'a note\n');
    r.write('C:notes.txt', 'another\n');
    r.addAndCommit('feat: odd names');
    const [value] = r.trailers('AI-Attribution');
    assert.match(value ?? '', /^v1 added=4 ai=2 mixed=0 unknown=2 tools=claude-code\/agent:2 skipped=2$/);
    const checked = runCli(['check', '--base', 'HEAD~1', '--format', 'json'], { cwd: r.dir });
    assert.equal(checked.status, 1, checked.stderr);
    const [commit] = (JSON.parse(checked.stdout) as { commits: { needReason: unknown }[] }).commits;
    assert.deepEqual(commit?.needReason, { code: 'unattested', why: 'incomplete' });
  });

  it('a hook that fails leaves "AI-Attribution: v1 failed", which check sends to a senior; the commit goes on', async () => {
    const r = repo();
    await r.track('src/ai.ts', aiText, [ai(aiText, claude)]);
    r.git('add', '-A');
    // The state folder is a file now: the hook cannot hand its note over to post-commit.
    const stateDir = path.join(r.dir, '.git', 'ai-provenance');
    fs.rmSync(stateDir, { recursive: true, force: true });
    fs.writeFileSync(stateDir, 'not a folder');
    const message = r.commit('-m', 'feat: while the hook fails');
    assert.match(message, /^feat: while the hook fails\n/, 'the commit went through');
    assert.deepEqual(r.trailers('AI-Attribution'), ['v1 failed']);
    const checked = runCli(['check', '--base', 'HEAD~1'], { cwd: r.dir });
    assert.equal(checked.status, 1, checked.stderr);
    assert.match(checked.stdout, /unattested: the commit hook failed/);
  });

  it('Node dying in prepare-commit-msg (out of memory, killed) still leaves "v1 failed": the launcher writes it', async () => {
    const r = repo();
    await r.track('src/ai.ts', aiText, [ai(aiText, claude)]);
    r.git('add', '-A');
    fs.writeFileSync(path.join(r.home, 'dying-cli.js'), 'process.exit(134);\n');
    writeLauncher({ node: process.execPath, cli: path.join(r.home, 'dying-cli.js') }, { ...process.env, ...r.env });
    const message = r.commit('-m', 'feat: while Node dies');
    assert.match(message, /^feat: while Node dies\n/, 'the commit went through');
    assert.deepEqual(r.trailers('AI-Attribution'), ['v1 failed']);
  });

  it('a note listing millions of lines is refused as unreadable, not read into memory', () => {
    const huge = JSON.stringify({
      version: '0.1.0',
      files: [
        {
          path: 'a.ts',
          conversations: [{ contributor: { type: 'ai' }, ranges: [{ start_line: 1, end_line: 16_000_000 }] }],
        },
      ],
    });
    assert.throws(() => parseAgentTrace(huge), AgentTraceFormatError);
  });
});

describe('security: a commit made from other commits carries the AI lines it brings', () => {
  const repo = hookedRepoPerTest();
  const aiLines = 'export function total(xs: number[]) {\n  return xs.reduce((a, b) => a + b, 0);\n}\n';

  interface Checked {
    commits: { id: string; subject: string; needsSignoff: boolean; needReason?: unknown }[];
  }
  function checkJson(r: ReturnType<typeof repo>, base: string): { status: number | null; report: Checked } {
    const result = runCli(['check', '--base', base, '--format', 'json'], { cwd: r.dir });
    assert.ok(result.status === 0 || result.status === 1, result.stderr);
    return { status: result.status, report: JSON.parse(result.stdout) as Checked };
  }

  /** main gets a human line at the end of calc.ts, topic an agent's function there: a conflict. */
  async function conflictingBranches(r: ReturnType<typeof repo>): Promise<string> {
    r.write('calc.ts', '// calc\n');
    r.addAndCommit('calc');
    r.git('switch', '-q', '-c', 'topic');
    await r.track('calc.ts', `// calc\n${aiLines}`, [{ length: 8, origin: 'human' }, ai(aiLines, claude)]);
    r.addAndCommit('feat: total, by the agent');
    const topic = r.git('rev-parse', 'HEAD').trim();
    r.git('switch', '-q', 'main');
    r.write('calc.ts', '// calc\nexport const zero = 0;\n');
    r.addAndCommit('zero');
    return topic;
  }
  const resolved = `// calc\nexport const zero = 0;\n${aiLines}`;

  it('a cherry-pick whose conflict a person resolved keeps the AI lines of the commit it picks', async () => {
    const r = repo();
    const topic = await conflictingBranches(r);
    const picked = r.gitEnvStatus(r.env, 'cherry-pick', topic);
    assert.notEqual(picked, 0, 'the cherry-pick was meant to conflict');
    r.write('calc.ts', resolved);
    r.git('add', 'calc.ts');
    r.commit('--no-edit');
    assert.deepEqual(r.trailers('AI-Attribution'), ['v1 added=3 ai=3 mixed=0 unknown=0 tools=claude-code/agent:3']);
    assert.deepEqual(r.noteLines(), ['calc.ts:3-5:ai']);
    const { status, report } = checkJson(r, 'HEAD~1');
    assert.equal(status, 1);
    assert.equal(report.commits[0]?.needsSignoff, true);
  });

  it('a merge whose conflict an agent resolved carries the resolution lines, and only those', async () => {
    const r = repo();
    await conflictingBranches(r);
    assert.notEqual(r.gitEnvStatus(r.env, 'merge', '-q', 'topic'), 0, 'the merge was meant to conflict');
    const resolution = 'export const one = 1;\n';
    const text = `// calc\nexport const zero = 0;\n${resolution}${aiLines}`;
    await r.track('calc.ts', text, [
      { length: '// calc\nexport const zero = 0;\n'.length, origin: 'human' },
      ai(resolution, claude),
      { length: aiLines.length, origin: 'unknown' },
    ]);
    r.git('add', 'calc.ts');
    r.commit('--no-edit');
    assert.equal(r.git('rev-list', '--parents', '-1', 'HEAD').trim().split(' ').length, 3, 'not a merge commit');
    // The agent's line is new to both sides; the function came from topic, where its own commit counts it.
    assert.deepEqual(r.trailers('AI-Attribution'), ['v1 added=1 ai=1 mixed=0 unknown=0 tools=claude-code/agent:1']);
    const { report } = checkJson(r, 'main@{1}');
    const merge = report.commits.find(c => c.subject.startsWith('Merge'));
    assert.equal(merge?.needsSignoff, true, JSON.stringify(report));
  });

  it('merge --squash of a branch with AI commits carries their lines into the squash commit', async () => {
    const r = repo();
    r.git('switch', '-q', '-c', 'topic');
    await r.track('a.ts', aiLines, [ai(aiLines, claude)]);
    r.addAndCommit('feat: a');
    const edited = aiLines.replace('export function total', 'export function sum');
    r.write('a.ts', edited); // a person renames the function: that line becomes mixed, the rest stays AI
    r.write('b.txt', 'by hand\n');
    r.addAndCommit('rename, by hand');
    r.git('switch', '-q', 'main');
    r.gitEnv(r.env, 'merge', '-q', '--squash', 'topic');
    r.commit('--no-edit');
    const [value] = r.trailers('AI-Attribution');
    assert.match(value ?? '', /^v1 added=4 ai=2 mixed=1 unknown=1 tools=claude-code\/agent:3$/);
    assert.deepEqual(r.noteLines(), ['a.ts:1-1:mixed', 'a.ts:2-3:ai', 'b.txt:1-1:unknown']);
  });

  it('merge --squash of an AI commit whose note is not here counts its files as skipped, so check asks', async () => {
    const r = repo();
    r.git('switch', '-q', '-c', 'topic');
    await r.track('a.ts', aiLines, [ai(aiLines, claude)]);
    r.addAndCommit('feat: a');
    r.git('notes', '--ref', 'refs/notes/ai-provenance', 'remove', 'HEAD');
    r.git('switch', '-q', 'main');
    // The store forgets too (another machine, a fresh clone): only the trailer says AI.
    fs.rmSync(path.join(r.dir, '.git', 'ai-provenance'), { recursive: true, force: true });
    r.gitEnv(r.env, 'merge', '-q', '--squash', 'topic');
    r.commit('--no-edit');
    const [value] = r.trailers('AI-Attribution');
    assert.match(value ?? '', / skipped=1$/);
    const { report } = checkJson(r, 'HEAD~1');
    assert.deepEqual(report.commits[0]?.needReason, { code: 'unattested', why: 'incomplete' });
  });

  it('a commit made while a rebase -i stops to edit is attributed like any other', async () => {
    const r = repo();
    r.write('one.txt', '1\n');
    r.addAndCommit('one');
    r.write('two.txt', '2\n');
    r.addAndCommit('two');
    r.gitEnv({ ...r.env, GIT_SEQUENCE_EDITOR: 'sed -i 1s/^pick/edit/' }, 'rebase', '-q', '-i', 'HEAD~2');
    await r.track('stop.ts', aiLines, [ai(aiLines, claude)]);
    r.addAndCommit('feat: written during the stop');
    assert.deepEqual(r.trailers('AI-Attribution'), ['v1 added=3 ai=3 mixed=0 unknown=0 tools=claude-code/agent:3']);
    r.gitEnv({ ...r.env, GIT_EDITOR: 'true' }, 'rebase', '--continue');
    assert.equal(r.git('log', '-1', '--format=%s').trim(), 'two');
    assert.deepEqual(r.trailers('AI-Attribution', 'HEAD~1'), [
      'v1 added=3 ai=3 mixed=0 unknown=0 tools=claude-code/agent:3',
    ]);
  });
});

describe('security: history on another machine (no local records) still carries the AI lines', () => {
  const repo = hookedRepoPerTest();
  const ten = Array.from({ length: 10 }, (_, i) => `export const ai${i} = ${i} * 2;\n`).join('');
  /** Another machine, or a cleared state folder: only git's history (trailers, notes) is left. */
  const forget = (r: ReturnType<typeof repo>): void =>
    fs.rmSync(path.join(r.dir, '.git', 'ai-provenance'), { recursive: true, force: true });
  const checkStatus = (r: ReturnType<typeof repo>, base: string): number | null =>
    runCli(['check', '--base', base], { cwd: r.dir }).status;
  async function aiCommit(r: ReturnType<typeof repo>, file: string, text = ten): Promise<void> {
    await r.track(file, text, [ai(text, claude)]);
    r.addAndCommit(`ai: ${file}`);
  }

  it('merge --squash of a branch that renamed the AI file after writing it: the squash is flagged', async () => {
    const r = repo();
    r.git('switch', '-q', '-c', 'topic');
    await aiCommit(r, 'gen/a.ts');
    fs.mkdirSync(path.join(r.dir, 'src'));
    r.git('mv', 'gen/a.ts', 'src/a.ts');
    r.commit('-m', 'move');
    fs.appendFileSync(path.join(r.dir, 'src/a.ts'), '// reviewed\n');
    r.addAndCommit('tweak');
    r.git('switch', '-q', 'main');
    forget(r);
    r.gitEnv(r.env, 'merge', '-q', '--squash', 'topic');
    r.commit('-m', 'feature (squashed)');
    assert.match(r.trailers('AI-Attribution')[0] ?? '', / skipped=1$/);
    assert.equal(checkStatus(r, 'HEAD~1'), 1);
  });

  it('merge --squash of a branch with a merge in it counts the AI lines of both of its lines of work', async () => {
    const r = repo();
    r.write('a.ts', 'export const h = 0;\n');
    r.addAndCommit('h');
    r.git('switch', '-q', '-c', 'topic');
    r.git('switch', '-q', '-c', 'sub');
    await r.track('a.ts', `${ten}export const h = 0;\n`, [ai(ten, claude), { length: 20, origin: 'human' }]);
    r.addAndCommit('ai: ten lines first');
    r.git('switch', '-q', 'topic');
    const one = 'export const h = 0;\nexport const tail = 1;\n';
    await r.track('a.ts', one, [{ length: 20, origin: 'human' }, ai('export const tail = 1;\n', claude)]);
    r.addAndCommit('tail');
    r.gitEnv({ ...r.env, GIT_EDITOR: 'true' }, 'merge', '-q', '--no-ff', '--no-edit', 'sub');
    r.git('switch', '-q', 'main');
    forget(r);
    r.gitEnv(r.env, 'merge', '-q', '--squash', 'topic');
    r.commit('-m', 'feature');
    assert.match(r.trailers('AI-Attribution')[0] ?? '', /^v1 added=11 ai=11 /);
  });

  it('cherry-pick -n, then a commit with a new message: flagged, not passed as human', async () => {
    const r = repo();
    r.git('branch', 'release');
    await aiCommit(r, 'a.ts');
    forget(r);
    r.git('switch', '-q', 'release');
    r.gitEnv(r.env, 'cherry-pick', '-n', 'main');
    r.commit('-m', 'backport');
    assert.match(r.trailers('AI-Attribution')[0] ?? '', / skipped=1$/);
    assert.equal(checkStatus(r, 'main~1'), 1);
  });

  it("a rebase -i squash of a person's fixup into an AI commit keeps its AI lines", async () => {
    const r = repo();
    r.git('switch', '-q', '-c', 'topic');
    await aiCommit(r, 'a.ts');
    fs.appendFileSync(path.join(r.dir, 'a.ts'), '// human note\n');
    r.addAndCommit('squash! ai: a.ts');
    forget(r);
    r.gitEnv({ ...r.env, GIT_EDITOR: 'true', GIT_SEQUENCE_EDITOR: ':' }, 'rebase', '-q', '-i', '--autosquash', 'main');
    assert.equal(r.git('rev-list', '--count', 'main..HEAD').trim(), '1');
    assert.match(r.trailers('AI-Attribution')[0] ?? '', /^v1 added=11 ai=10 /);
  });

  it('a REBASE_HEAD git left behind after the rebase does not make the next commit a replay', async () => {
    const r = repo();
    await aiCommit(r, 'a.ts');
    const gitDir = path.join(r.dir, '.git');
    fs.writeFileSync(path.join(gitDir, 'REBASE_HEAD'), `${r.git('rev-parse', 'HEAD').trim()}\n`);
    assert.equal(await commitOrigin(r.dir), undefined);
    fs.mkdirSync(path.join(gitDir, 'rebase-merge'));
    assert.equal((await commitOrigin(r.dir))?.kind, 'pick');
  });
});

describe('security: a sign-off is bound to the change as written, whitespace included', () => {
  const repo = signoffReposPerTest();
  const date = '1767225600 +0000';

  function stablePatchId(r: SignoffRepo, commit: string): string {
    const patch = r.run(['log', '-p', '--full-index', '--no-renames', '--format=commit %H', '-1', commit]);
    return r.run(['patch-id', '--stable'], { input: patch }).split(' ')[0]!;
  }
  function aiPython(r: SignoffRepo, text: string): string {
    r.write('src/app.py', text);
    r.git('add', '-A');
    r.run([...as(junior()), 'commit', '-q', '--no-gpg-sign', '-m', `feat: app\n\n${attribution(2)}\n`], {
      env: { GIT_AUTHOR_DATE: date },
    });
    return r.head();
  }
  const legacySignoff = (patchId: string, commit: string): string =>
    `AI sign-off: 1 commit\n\nReviewed-by: Sen Ior <senior@example.com>\nAI-Signoff: ${patchId} ${commit}\n`;

  it('a sign-off made before 0.2 (a --stable id) still counts for the exact commit it names', () => {
    const r = repo();
    const a = aiPython(r, 'def f():\n    return 1\n');
    r.commitAs(senior(), legacySignoff(stablePatchId(r, a), a), { sign: true, allowEmpty: true });
    const result = r.check();
    assert.equal(result.status, 0, show(result));
  });

  it('but not for a re-indented copy of it: that copy waits for a new sign-off', () => {
    const r = repo();
    const a = aiPython(r, 'def f():\n    return 1\n');
    const legacy = stablePatchId(r, a);
    r.git('tag', 'reviewed', a); // the reviewed commit stays in the repository
    r.git('reset', '-q', '--hard', 'main');
    const copy = aiPython(r, 'def f():\n  return 1\n'); // same author and time: a rebased twin, re-indented
    assert.equal(stablePatchId(r, copy), legacy, '--stable cannot tell them apart');
    r.commitAs(senior(), legacySignoff(legacy, a), { sign: true, allowEmpty: true });
    const result = r.check('--format', 'json');
    assert.equal(result.status, 1, show(result));
    const commits = (JSON.parse(result.stdout) as { commits: { commit: string; state: string }[] }).commits;
    assert.deepEqual(
      commits.map(c => [c.commit, c.state]),
      [[copy, 'stale']],
    );
    // A sign-off made now lists the verbatim id and covers the copy.
    assert.equal(r.signOff(senior()).status, 0);
    assert.equal(r.check().status, 0);
  });
});

describe("security: the gate reads trailers as every git does, whatever the runner's config", () => {
  const repo = signoffReposPerTest();

  it("a CI runner's core.commentChar does not hide a trailer block that a # line follows", () => {
    const r = repo();
    // What a committer with core.commentChar=auto gets: the trailers, then a body line starting with #.
    r.commitAs(junior(), `fix: thing\n\n${attribution(3)}\n\n#1 is the issue\n`, {
      files: { 'src/a.ts': 'a\nb\nc\n' },
    });
    const result = r.cli(['check', '--base', 'main'], {
      env: { GIT_CONFIG_COUNT: '1', GIT_CONFIG_KEY_0: 'core.commentChar', GIT_CONFIG_VALUE_0: ';' },
    });
    assert.equal(result.status, 1, show(result));
    assert.match(result.stdout, /pending\s+[0-9a-f]{10}\s+fix: thing/);
  });
});

// The commit hooks through the hook managers teams use (docs/hook-managers.md): the pre-commit framework with this
// repository's .pre-commit-hooks.yaml, husky 9 and lefthook 2, each installed as its documentation says, with the
// recipes read from docs/hook-managers.md. The built CLI (dist/cli.js) is the `ai-provenance` on PATH. Each recipe
// must give the commits of one scenario exactly the trailers and notes `ai-provenance hooks install` gives them.
import * as assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { isAi, type Run } from '../../src/core/attribution/origin';
import { firstRecord } from '../../src/core/formats/git-note';
import { shQuote } from '../../src/io/git/hooks';
import { ensureTestTool } from '../support/agent-clis';
import { cliPath, repoRoot, runCli, TempRepo } from '../support/git-fixture';
import { ai, claude, copilot, HookedRepo, human } from '../support/hooked-repo';

const NOTES_REF = 'refs/notes/ai-provenance';
const MANAGED = ['prepare-commit-msg', 'commit-msg', 'post-commit', 'post-rewrite'];

/** A recipe of docs/hook-managers.md: the fenced block after `<!-- recipe: NAME -->`. */
function recipe(name: string): string {
  const doc = fs.readFileSync(path.join(repoRoot, 'docs', 'hook-managers.md'), 'utf8');
  const marker = `<!-- recipe: ${name} -->\n`;
  const at = doc.indexOf(marker);
  assert.ok(at >= 0, `docs/hook-managers.md has no recipe for ${name}`);
  const block = /^```[a-z]*\n([\s\S]*?)^```$/m.exec(doc.slice(at + marker.length));
  assert.ok(block, `the recipe for ${name} has no code block`);
  return block[1]!;
}

/** Variables of the person's shell that would turn a manager off or skip hooks: not the test's. */
const MANAGER_SWITCHES = [
  'HUSKY',
  'LEFTHOOK',
  'LEFTHOOK_BIN',
  'LEFTHOOK_EXCLUDE',
  'SKIP',
  'PRE_COMMIT_ALLOW_NO_CONFIG',
];

/**
 * `PATH` as a person's terminal has it on a machine without the CLI: no folder with an `ai-provenance`, and no
 * `node_modules/.bin` (npx puts this project's there for the test run; lefthook's hook files then find the npm
 * package's wrapper before the lefthook program itself).
 */
function pathWithoutCli(): string {
  return (process.env.PATH ?? '')
    .split(path.delimiter)
    .filter(dir => dir !== '' && !dir.endsWith(path.join('node_modules', '.bin')))
    .filter(dir => !fs.existsSync(path.join(dir, 'ai-provenance')))
    .join(path.delimiter);
}

/** Where every test of this file finds the CLI (a folder first on PATH) and keeps pre-commit's clones. */
class Machine {
  readonly dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'ai-provenance-managers-')));
  readonly bin = path.join(this.dir, 'bin');
  readonly preCommitHome = path.join(this.dir, 'pre-commit-home');

  constructor() {
    fs.mkdirSync(this.bin);
    // What `npm install -g ai-provenance-cli` puts on PATH, for the CLI just built.
    fs.writeFileSync(
      path.join(this.bin, 'ai-provenance'),
      `#!/bin/sh\nexec ${shQuote(process.execPath)} ${shQuote(cliPath)} "$@"\n`,
      { mode: 0o755 },
    );
  }

  /** The environment of a person's git commands in `repo`: the CLI on PATH (unless `withCli` is false). */
  env(repo: HookedRepo, extra: Record<string, string> = {}, withCli = true): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      AI_PROVENANCE_HOME: repo.home,
      PRE_COMMIT_HOME: this.preCommitHome,
      PATH: withCli ? `${this.bin}${path.delimiter}${pathWithoutCli()}` : pathWithoutCli(),
      ...extra,
    };
    for (const name of MANAGER_SWITCHES) delete env[name];
    for (const name of Object.keys(env))
      if (name.startsWith('PRE_COMMIT_') && name !== 'PRE_COMMIT_HOME') delete env[name];
    return env;
  }

  /** A program run in `repo` as the person would run it; its output, or a failure with it. */
  run(repo: HookedRepo, file: string, args: string[], extra: Record<string, string> = {}): string {
    const r = spawnSync(file, args, { cwd: repo.dir, encoding: 'utf8', env: this.env(repo, extra) });
    assert.equal(r.status, 0, `${path.basename(file)} ${args.join(' ')} failed:\n${r.stdout}\n${r.stderr}`);
    return r.stdout;
  }

  dispose(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * What the editor does when it saves `text` at `file` with `runs`: the record, and for a text with AI lines the
 * text itself in git's object database (src/extension/tracking/persistence.ts), where the commit hook finds it when
 * the file has changed since, or is set aside (pre-commit stashes unstaged changes while its hooks run).
 */
async function save(repo: HookedRepo, file: string, text: string, runs: Run[]): Promise<void> {
  await repo.track(file, text, runs);
  if (runs.some(r => isAi(r.origin))) repo.git('hash-object', '-w', '--', file);
}

/** What one step of the scenario left on HEAD. */
interface Outcome {
  step: string;
  /** The commit was refused (HEAD did not move). */
  aborted: boolean;
  subject: string;
  attribution: string[];
  assistedBy: string[];
  /** The note's first record as `path:start-end:type` rows. */
  note: string[];
  /** How many records the note holds (git appends the old one on amend; post-rewrite keeps only the new one). */
  records: number;
  /** Whether the note's record names HEAD. */
  noteNamesHead: boolean | undefined;
}

/**
 * Commits of every kind the hooks treat differently, with git driven as a person drives it, through whatever hooks
 * `repo` has. Returns what each step left.
 */
async function scenario(repo: HookedRepo, machine: Machine): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  const git = (...args: string[]): string => machine.run(repo, 'git', args);
  const gitWith = (extra: Record<string, string>, ...args: string[]): number | null =>
    spawnSync('git', args, { cwd: repo.dir, encoding: 'utf8', env: machine.env(repo, extra) }).status;
  const head = (): string => repo.git('rev-parse', 'HEAD').trim();
  const look = (step: string, before?: string): void => {
    const note = repo.note();
    const records = note === undefined ? 0 : note.split(/\n[ \t]*\n(?=[ \t]*\{)/).length;
    outcomes.push({
      step,
      aborted: before !== undefined && head() === before,
      subject: repo.git('log', '-1', '--format=%s').trim(),
      attribution: repo.trailers('AI-Attribution'),
      assistedBy: repo.trailers('Assisted-by'),
      note: repo.noteLines(),
      records,
      noteNamesHead:
        note === undefined
          ? undefined
          : (JSON.parse(firstRecord(note)) as { vcs: { revision: string } }).vcs.revision === head(),
    });
  };

  // A commit with -m: git passes the source "message".
  const math = 'export function add(x: number, y: number) {\n  return x + y;\n}\n';
  await save(repo, 'src/math.ts', 'const a = 1;\n' + math, [human('const a = 1;\n'), ai(math, claude)]);
  git('add', 'src/math.ts');
  git('commit', '-q', '-m', 'Add math');
  look('commit -m');
  // Amends: "commit HEAD", then "message" (only git's command line tells that one is an amend).
  await save(repo, 'src/math.ts', 'const a = 1;\n' + math + 'const b = 2;\n', [
    human('const a = 1;\n'),
    ai(math, claude),
    human('const b = 2;\n'),
  ]);
  git('add', 'src/math.ts');
  git('commit', '-q', '--amend', '--no-edit');
  look('amend --no-edit');
  git('commit', '-q', '--amend', '-m', 'Add math helpers');
  look('amend -m');
  // Partial staging, with the rest of the file unstaged while the hooks run.
  const text = 'ai line A\nai line B\ntyped by hand\n';
  await save(repo, 'partial.txt', text, [ai('ai line A\nai line B\n', copilot), human('typed by hand\n')]);
  const blob = execFileSync('git', ['hash-object', '-w', '--stdin'], {
    cwd: repo.dir,
    input: 'ai line A\n',
    encoding: 'utf8',
  }).trim();
  repo.git('update-index', '--add', '--cacheinfo', `100644,${blob},partial.txt`);
  git('commit', '-q', '-m', 'partly staged');
  look('partial staging');
  git('add', 'partial.txt');
  git('commit', '-q', '-m', 'the rest');
  look('the rest');
  // No AI text: no trailer, no note.
  repo.write('plain.txt', 'typed\n');
  git('add', 'plain.txt');
  git('commit', '-q', '-m', 'plain');
  look('no AI');
  // The editor left empty (no source): git must abort as it would without us.
  await save(repo, 'editor.txt', 'e\n', [ai('e\n', copilot)]);
  git('add', 'editor.txt');
  let before = head();
  assert.notEqual(gitWith({ GIT_EDITOR: 'true' }, 'commit', '-q'), 0, 'a message left empty was committed');
  look('editor left empty', before);
  assert.equal(
    gitWith(
      { GIT_EDITOR: `sh -c 'printf "written in the editor\\n" | cat - "$1" > "$1.new" && mv "$1.new" "$1"' --` },
      'commit',
      '-q',
    ),
    0,
  );
  look('editor');
  // commit.template left as it was (source "template"): git aborts; edited, it commits.
  const template = path.join(repo.dir, '.git', 'TEMPLATE');
  fs.writeFileSync(template, 'Ticket:\nWhy:\n');
  repo.git('config', 'commit.template', template);
  await save(repo, 'template.txt', 't\n', [ai('t\n', claude)]);
  git('add', 'template.txt');
  before = head();
  assert.notEqual(gitWith({ GIT_EDITOR: 'true' }, 'commit', '-q'), 0, 'an untouched template was committed');
  look('template untouched', before);
  assert.equal(gitWith({ GIT_EDITOR: `sh -c 'sed -i "s/^Why:$/Why: because/" "$1"' --` }, 'commit', '-q'), 0);
  look('template edited');
  repo.git('config', '--unset', 'commit.template');
  // A merge whose conflict an agent resolved, concluded with `git commit --no-edit` (source "merge").
  repo.write('conflict.txt', 'base\n');
  git('add', 'conflict.txt');
  git('commit', '-q', '-m', 'base');
  git('switch', '-q', '-c', 'topic');
  repo.write('conflict.txt', 'topic side\n');
  git('commit', '-q', '-am', 'topic side');
  git('switch', '-q', 'main');
  repo.write('conflict.txt', 'main side\n');
  git('commit', '-q', '-am', 'main side');
  assert.notEqual(gitWith({}, 'merge', '-q', 'topic'), 0, 'the merge should conflict');
  await save(repo, 'conflict.txt', 'resolved by an agent\n', [ai('resolved by an agent\n', claude)]);
  git('add', 'conflict.txt');
  git('commit', '-q', '--no-edit');
  look('merge resolved');
  // A clean merge of a branch with AI lines: nothing new against both parents.
  git('switch', '-q', '-c', 'topic2');
  await save(repo, 'feature.txt', 'feature\n', [ai('feature\n', copilot)]);
  git('add', 'feature.txt');
  git('commit', '-q', '-m', 'feature');
  look('branch commit');
  git('switch', '-q', 'main');
  repo.write('more.txt', 'more\n');
  git('add', 'more.txt');
  git('commit', '-q', '-m', 'more');
  git('merge', '-q', '--no-ff', '-m', 'Merge topic2', 'topic2');
  look('clean merge');
  // An amend that leaves no AI line: the kept message's trailer is replaced, the carried note dropped.
  await save(repo, 'gone.txt', 'g\n', [ai('g\n', copilot)]);
  git('add', 'gone.txt');
  git('commit', '-q', '-m', 'gone');
  look('before amend');
  await save(repo, 'gone.txt', 'typed instead\n', [human('typed instead\n')]);
  git('add', 'gone.txt');
  git('commit', '-q', '--amend', '--no-edit');
  look('amend without AI');
  return outcomes;
}

/** A repository with a first commit (README and `files`), made before any hook exists. */
function newRepo(files: Record<string, string> = {}): HookedRepo {
  const repo = new HookedRepo();
  repo.write('README.md', '# team project\n');
  for (const [name, content] of Object.entries(files)) repo.write(name, content);
  repo.commitAll('initial');
  return repo;
}

/** How often the team's own pre-commit hook ran in `repo` (each run adds a line to .git/team-hook-ran). */
function teamHookRuns(repo: HookedRepo): number {
  const file = path.join(repo.dir, '.git', 'team-hook-ran');
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).length : 0;
}

/** What the hooks' folder holds of ours, as `hooks status --json` says. */
function hookStates(repo: HookedRepo): Record<string, string> {
  const r = runCli(['hooks', 'status', '--json'], { cwd: repo.dir, env: { AI_PROVENANCE_HOME: repo.home } });
  assert.equal(r.status, 0, r.stderr);
  const status = JSON.parse(r.stdout) as { hooks: { hook: string; state: string }[] };
  return Object.fromEntries(status.hooks.map(h => [h.hook, h.state]));
}

function hooksInstall(repo: HookedRepo): string {
  const r = runCli(['hooks', 'install'], { cwd: repo.dir, env: { AI_PROVENANCE_HOME: repo.home } });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

/**
 * Without the CLI on PATH, a recipe's commits still go through, marked for review (nothing can say which lines AI
 * wrote), and with a message that says what to install; a sign-off commit stays as written.
 */
function noCliCommits(repo: HookedRepo, machine: Machine): void {
  const commit = (...args: string[]) =>
    spawnSync('git', ['commit', '-q', ...args], { cwd: repo.dir, encoding: 'utf8', env: machine.env(repo, {}, false) });
  repo.write('no-cli.txt', 'n\n');
  repo.git('add', 'no-cli.txt');
  const r = commit('-m', 'no CLI here');
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stderr, /ai-provenance did not run \(npm install -g ai-provenance-cli\)/);
  assert.equal(repo.git('log', '-1', '--format=%B').trimEnd(), 'no CLI here\n\nAI-Attribution: v1 failed');
  const signoff = 'AI sign-off: 1 commit\n\nReviewed-by: S <s@example.invalid>\nAI-Signoff: 1234 5678';
  assert.equal(commit('--allow-empty', '-m', signoff).status, 0);
  assert.equal(repo.git('log', '-1', '--format=%B').trimEnd(), signoff);
  // In the editor: a message left empty still aborts; the subject typed on the first line gets the mark below it.
  repo.write('no-cli-2.txt', 'n\n');
  repo.git('add', 'no-cli-2.txt');
  const inEditor = (editor: string) =>
    spawnSync('git', ['commit', '-q'], {
      cwd: repo.dir,
      encoding: 'utf8',
      env: { ...machine.env(repo, {}, false), GIT_EDITOR: editor },
    });
  const head = repo.git('rev-parse', 'HEAD');
  assert.notEqual(inEditor('true').status, 0, 'a message left empty must abort the commit');
  assert.equal(repo.git('rev-parse', 'HEAD'), head);
  const typed = inEditor(`sed -i '1s/^/typed subject/'`);
  assert.equal(typed.status, 0, typed.stdout + typed.stderr);
  assert.equal(repo.git('log', '-1', '--format=%B').trimEnd(), 'typed subject\n\nAI-Attribution: v1 failed');
}

describe('commit hooks through hook managers (pre-commit, husky, lefthook)', function () {
  this.timeout(300000);
  let machine: Machine;
  /** What `ai-provenance hooks install` gives the scenario: every recipe must give the same. */
  let expected: Outcome[];
  const repos: TempRepo[] = [];
  const disposeLater = <T extends TempRepo>(repo: T): T => (repos.push(repo), repo);

  before(async () => {
    machine = new Machine();
    const repo = disposeLater(newRepo());
    hooksInstall(repo);
    expected = await scenario(repo, machine);
    // The reference itself, step by step, so that a recipe agreeing with a broken reference cannot pass.
    const by = (step: string): Outcome => expected.find(o => o.step === step)!;
    const claude3 = 'tools=claude-code/agent:3';
    assert.deepEqual(by('commit -m').attribution, [`v1 added=4 ai=3 mixed=0 unknown=0 ${claude3}`]);
    assert.deepEqual(by('commit -m').assistedBy, ['Claude:claude-sonnet-4-5']);
    assert.deepEqual(by('commit -m').note, ['src/math.ts:2-4:ai']);
    for (const step of ['amend --no-edit', 'amend -m']) {
      assert.deepEqual(by(step).attribution, [`v1 added=5 ai=3 mixed=0 unknown=0 ${claude3}`], step);
      assert.equal(by(step).records, 1, step);
      assert.equal(by(step).noteNamesHead, true, step);
    }
    assert.equal(by('amend -m').subject, 'Add math helpers');
    assert.deepEqual(by('partial staging').attribution, ['v1 added=1 ai=1 mixed=0 unknown=0 tools=copilot/inline:1']);
    assert.deepEqual(by('the rest').attribution, ['v1 added=2 ai=1 mixed=0 unknown=0 tools=copilot/inline:1']);
    assert.deepEqual(by('no AI').attribution, []);
    assert.equal(by('no AI').records, 0);
    for (const step of ['editor left empty', 'template untouched']) assert.equal(by(step).aborted, true, step);
    assert.equal(by('editor').subject, 'written in the editor');
    assert.deepEqual(by('editor').attribution, ['v1 added=1 ai=1 mixed=0 unknown=0 tools=copilot/inline:1']);
    assert.deepEqual(by('template edited').attribution, [
      'v1 added=1 ai=1 mixed=0 unknown=0 tools=claude-code/agent:1',
    ]);
    assert.deepEqual(by('merge resolved').attribution, ['v1 added=1 ai=1 mixed=0 unknown=0 tools=claude-code/agent:1']);
    assert.deepEqual(by('merge resolved').note, ['conflict.txt:1-1:ai']);
    assert.deepEqual(by('clean merge').attribution, []);
    assert.deepEqual(by('amend without AI').attribution, ['v1 added=1 ai=0 mixed=0 unknown=0 tools=']);
    assert.equal(by('amend without AI').records, 0);
  });

  after(() => {
    for (const repo of repos) repo.dispose();
    machine?.dispose();
  });

  describe('pre-commit', () => {
    let hooksRepo: TempRepo;
    let rev: string;

    before(() => {
      const version = spawnSync('pre-commit', ['--version'], { encoding: 'utf8' });
      assert.equal(version.status, 0, 'pre-commit is not installed (scripts/setup-system.sh installs it)');
      // What pre-commit clones from `repo:` at `rev:`: this repository's .pre-commit-hooks.yaml, committed.
      hooksRepo = disposeLater(new TempRepo('ai-provenance-hooks-repo-'));
      hooksRepo.write('.pre-commit-hooks.yaml', fs.readFileSync(path.join(repoRoot, '.pre-commit-hooks.yaml')));
      rev = hooksRepo.commitAll('hooks');
    });

    /** The documented .pre-commit-config.yaml pointing at the local clone, and the team's own pre-commit hook. */
    function config(): string {
      const ours = recipe('.pre-commit-config.yaml')
        .replace(/^(\s*- repo:).*$/m, `$1 ${hooksRepo.dir}`)
        .replace(/^(\s*rev:).*$/m, `$1 ${rev}`);
      assert.ok(ours.includes(hooksRepo.dir) && ours.includes(rev), 'the recipe has no repo: and rev: lines');
      return (
        ours +
        [
          '  - repo: local',
          '    hooks:',
          '      - id: team-check',
          "        name: the team's own pre-commit hook",
          "        entry: sh -c 'echo ran >> .git/team-hook-ran'",
          '        language: system',
          '        pass_filenames: false',
          '        always_run: true',
          '        stages: [commit]',
          '',
        ].join('\n')
      );
    }

    function installPreCommit(repo: HookedRepo): void {
      const types = ['pre-commit', ...MANAGED].flatMap(t => ['--hook-type', t]);
      machine.run(repo, 'pre-commit', ['install', ...types]);
      repo.git('config', '--add', 'notes.rewriteRef', NOTES_REF);
    }

    it('gives every kind of commit what hooks install gives it, and the team hook still runs', async () => {
      const repo = disposeLater(newRepo({ '.pre-commit-config.yaml': config() }));
      installPreCommit(repo);
      for (const hook of MANAGED)
        assert.match(fs.readFileSync(path.join(repo.dir, '.git', 'hooks', hook), 'utf8'), /pre-commit/);
      assert.deepEqual(hookStates(repo)['prepare-commit-msg'], 'missing', 'no block of ours: the recipe alone');
      assert.deepEqual(await scenario(repo, machine), expected);
      assert.ok(teamHookRuns(repo) >= 10, "the team's pre-commit hook did not run");
      // pre-commit's hook files are sh (bash): hooks install can add its block, which pre-commit install then drops.
      hooksInstall(repo);
      assert.deepEqual(hookStates(repo), Object.fromEntries(MANAGED.map(h => [h, 'installed'])));
      machine.run(repo, 'pre-commit', ['install', ...MANAGED.flatMap(t => ['--hook-type', t])]);
      assert.deepEqual(hookStates(repo), Object.fromEntries(MANAGED.map(h => [h, 'missing'])));
    });

    it("an agent's lines still in the spool when part of its file is committed count as with hooks install", async () => {
      const repo = disposeLater(newRepo({ '.pre-commit-config.yaml': config() }));
      installPreCommit(repo);
      // Claude Code writes a file through its hooks: the record waits in the spool until something takes it in.
      const fixtures = path.join(repoRoot, 'test', 'fixtures', 'agents', 'claude-code');
      const q = (p: string): string => JSON.stringify(p).slice(1, -1);
      const agentHook = (name: string): void => {
        const payload = fs.readFileSync(path.join(fixtures, name), 'utf8');
        const input = payload.split('/home/dev/project').join(q(repo.dir)).split('/home/dev').join(q(repo.home));
        const r = runCli(['agent-hook', 'claude-code'], {
          cwd: repo.dir,
          input,
          env: { AI_PROVENANCE_HOME: repo.home },
        });
        assert.equal(r.status, 0, r.stderr);
      };
      agentHook('pre-write.json');
      repo.write('src/claude.ts', 'export const alpha = 1;\nexport const beta = 2;\n');
      agentHook('post-write.json');
      // pre-commit sets the unstaged line aside while the hooks run, and the commit takes the record in then: the
      // record of the agent's whole text must be kept too, for when pre-commit puts the line back.
      const blob = execFileSync('git', ['hash-object', '-w', '--stdin'], {
        cwd: repo.dir,
        input: 'export const alpha = 1;\n',
        encoding: 'utf8',
      }).trim();
      repo.git('update-index', '--add', '--cacheinfo', `100644,${blob},src/claude.ts`);
      machine.run(repo, 'git', ['commit', '-q', '-m', 'first line']);
      const one = 'v1 added=1 ai=1 mixed=0 unknown=0 tools=claude-code/agent:1';
      assert.deepEqual(repo.trailers('AI-Attribution'), [one]);
      repo.git('add', 'src/claude.ts');
      machine.run(repo, 'git', ['commit', '-q', '-m', 'second line']);
      assert.deepEqual(repo.trailers('AI-Attribution'), [one]);
      assert.deepEqual(repo.noteLines(), ['src/claude.ts:2-2:ai']);
    });

    it('hook --pre-commit with no message file (the config filtered it out) uses git’s, never another file', async () => {
      const repo = disposeLater(newRepo());
      // A file named like the source: taking the source for the message file would write trailers into it.
      repo.write('message', 'not a commit message\n');
      await save(repo, 'a.txt', 'x\n', [ai('x\n', copilot)]);
      repo.git('add', 'a.txt');
      const env = { AI_PROVENANCE_HOME: repo.home, PRE_COMMIT_COMMIT_MSG_SOURCE: 'message' };
      // No file name, and no message file of git's either (outside a commit): nothing to write into.
      fs.rmSync(path.join(repo.dir, '.git', 'COMMIT_EDITMSG'), { force: true });
      const r = runCli(['hook', '--pre-commit', 'prepare-commit-msg'], { cwd: repo.dir, env });
      assert.equal(r.status, 0, r.stderr);
      assert.match(
        r.stderr,
        /prepare-commit-msg could not record AI provenance \(prepare-commit-msg needs the message file/,
      );
      assert.equal(fs.readFileSync(path.join(repo.dir, 'message'), 'utf8'), 'not a commit message\n');
      assert.match(fs.readFileSync(path.join(repo.dir, '.git', 'ai-provenance', 'hooks.log'), 'utf8'), /message file/);
      // With the file, the source from the environment counts: "message" is not an editor about to open.
      const msg = path.join(repo.dir, '.git', 'COMMIT_EDITMSG');
      fs.writeFileSync(msg, 'subject\n');
      assert.equal(runCli(['hook', '--pre-commit', 'prepare-commit-msg', msg], { cwd: repo.dir, env }).status, 0);
      assert.match(fs.readFileSync(msg, 'utf8'), /^subject\n\nAssisted-by: Copilot\nAI-Attribution: v1 added=1 ai=1 /);
      assert.ok(!fs.existsSync(path.join(repo.dir, '.git', 'ai-provenance', 'empty-message')));
      const editor = runCli(['hook', '--pre-commit', 'prepare-commit-msg', msg], {
        cwd: repo.dir,
        env: { AI_PROVENANCE_HOME: repo.home },
      });
      assert.equal(editor.status, 0, editor.stderr);
      assert.ok(fs.existsSync(path.join(repo.dir, '.git', 'ai-provenance', 'empty-message')), 'no source: the editor');
      // git's message file is there (as it is while git runs the hook): without a file name, the hook uses it.
      fs.writeFileSync(msg, 'another subject\n');
      const filtered = runCli(['hook', '--pre-commit', 'prepare-commit-msg'], { cwd: repo.dir, env });
      assert.equal(filtered.status, 0, filtered.stderr);
      assert.match(
        fs.readFileSync(msg, 'utf8'),
        /^another subject\n\nAssisted-by: Copilot\nAI-Attribution: v1 added=1 /,
      );
      assert.equal(fs.readFileSync(path.join(repo.dir, 'message'), 'utf8'), 'not a commit message\n');
    });

    it('needs the CLI on every machine: without it the commit stops, unless the hooks are skipped', async () => {
      const repo = disposeLater(newRepo({ '.pre-commit-config.yaml': config() }));
      installPreCommit(repo);
      await save(repo, 'a.txt', 'x\n', [ai('x\n', copilot)]);
      repo.git('add', 'a.txt');
      const env = machine.env(repo, {}, false);
      const stopped = spawnSync('git', ['commit', '-q', '-m', 'no CLI'], { cwd: repo.dir, encoding: 'utf8', env });
      assert.notEqual(stopped.status, 0);
      assert.match(stopped.stdout + stopped.stderr, /Executable `ai-provenance` not found/);
      const skip = MANAGED.map(h => `ai-provenance-${h}`).join(',');
      const skipped = spawnSync('git', ['commit', '-q', '-m', 'skipped'], {
        cwd: repo.dir,
        encoding: 'utf8',
        env: { ...env, SKIP: skip },
      });
      assert.equal(skipped.status, 0, skipped.stdout + skipped.stderr);
      assert.deepEqual(repo.trailers('AI-Attribution'), []);
    });

    it('still runs a hook it moved aside (HOOK.legacy): our block and the recipe both run, with the same result @slow', async () => {
      const repo = disposeLater(newRepo({ '.pre-commit-config.yaml': config() }));
      hooksInstall(repo);
      installPreCommit(repo);
      for (const hook of MANAGED)
        assert.match(fs.readFileSync(path.join(repo.dir, '.git', 'hooks', `${hook}.legacy`), 'utf8'), /ai-provenance/);
      assert.deepEqual(await scenario(repo, machine), expected);
    });
  });

  describe('husky 9', () => {
    // The `husky` command of the npm package (what `npx husky` and the `prepare` script run).
    const huskyBin = path.join(path.dirname(require.resolve('husky')), 'bin.js');
    const teamHook = 'echo ran >> "$(git rev-parse --git-dir)/team-hook-ran"\n';

    /**
     * A repository set up as `npx husky init` does, its .husky/pre-commit being the team's own hook, with the
     * recipe's .husky/HOOK files when `withRecipe`; all of it committed, as a team has it.
     */
    function huskyRepo(withRecipe: boolean): HookedRepo {
      const repo = disposeLater(
        newRepo({ 'package.json': JSON.stringify({ name: 'team-project', private: true }, null, 2) + '\n' }),
      );
      machine.run(repo, process.execPath, [huskyBin, 'init']);
      assert.equal(repo.git('config', 'core.hooksPath').trim(), '.husky/_');
      assert.ok(fs.existsSync(path.join(repo.dir, '.husky', 'pre-commit')), 'husky init wrote no .husky/pre-commit');
      repo.write('.husky/pre-commit', teamHook);
      if (withRecipe) for (const hook of MANAGED) repo.write(`.husky/${hook}`, recipe(`.husky/${hook}`));
      machine.run(repo, 'git', ['add', '-A']);
      machine.run(repo, 'git', ['commit', '-q', '-m', 'husky']);
      assert.equal(repo.git('status', '--porcelain'), '', 'husky left files out of the commit');
      return repo;
    }

    it('hooks install puts our block where git runs it, beside the team hook; husky rewriting .husky/_ drops it', async () => {
      const repo = huskyRepo(false);
      assert.match(hooksInstall(repo), /core\.hooksPath is \.husky\/_/);
      for (const hook of MANAGED) {
        const file = fs.readFileSync(path.join(repo.dir, '.husky', '_', hook), 'utf8');
        assert.match(file, /^#!\/usr\/bin\/env sh\n# >>> ai-provenance >>>/);
        assert.ok(file.endsWith('. "$(dirname "$0")/h"'), `husky's own line of ${hook} is gone`);
      }
      assert.deepEqual(await scenario(repo, machine), expected);
      assert.ok(teamHookRuns(repo) >= 10, 'the team hook .husky/pre-commit did not run');
      // `npm install` runs husky (the prepare script), which writes .husky/_ again.
      machine.run(repo, process.execPath, [huskyBin]);
      assert.deepEqual(hookStates(repo), Object.fromEntries(MANAGED.map(h => [h, 'missing'])));
      await save(repo, 'later.txt', 'later\n', [ai('later\n', copilot)]);
      machine.run(repo, 'git', ['add', 'later.txt']);
      machine.run(repo, 'git', ['commit', '-q', '-m', 'after npm install']);
      assert.deepEqual(repo.trailers('AI-Attribution'), [], 'the block survived husky');
    });

    it('the committed recipe (.husky/HOOK) gives what hooks install gives, and survives husky rewriting .husky/_', async () => {
      const repo = huskyRepo(true);
      machine.run(repo, process.execPath, [huskyBin]);
      repo.git('config', '--add', 'notes.rewriteRef', NOTES_REF);
      assert.deepEqual(await scenario(repo, machine), expected);
      assert.ok(teamHookRuns(repo) >= 10, 'the team hook .husky/pre-commit did not run');
      noCliCommits(repo, machine);
    });

    it('the recipe and a block of hooks install together: both run, with the same result @slow', async () => {
      const repo = huskyRepo(true);
      hooksInstall(repo);
      assert.deepEqual(await scenario(repo, machine), expected);
    });
  });

  describe('lefthook 2', () => {
    // The `lefthook` command of the npm package (installed into the test cache), which runs the lefthook program
    // for this platform.
    let lefthook: string;
    before(() => {
      lefthook = ensureTestTool('lefthook');
    });
    const teamJob = [
      'pre-commit:',
      '  jobs:',
      '    - name: team-check',
      '      run: echo ran >> .git/team-hook-ran',
      '',
    ];

    function lefthookRepo(): HookedRepo {
      const repo = disposeLater(newRepo({ 'lefthook.yml': recipe('lefthook.yml') + teamJob.join('\n') }));
      machine.run(repo, lefthook, ['install']);
      repo.git('config', '--add', 'notes.rewriteRef', NOTES_REF);
      return repo;
    }

    it('the lefthook.yml recipe gives what hooks install gives, and the team job still runs', async () => {
      const repo = lefthookRepo();
      for (const hook of MANAGED)
        assert.match(fs.readFileSync(path.join(repo.dir, '.git', 'hooks', hook), 'utf8'), /lefthook/);
      assert.deepEqual(await scenario(repo, machine), expected);
      assert.ok(teamHookRuns(repo) >= 10, "the team's pre-commit job did not run");
      noCliCommits(repo, machine);
    });

    it('replaces the hook files hooks install wrote into: lefthook install renames ours, a changed lefthook.yml drops the block', async () => {
      // hooks install first: lefthook install moves our file aside (HOOK.old), where git no longer runs it.
      const teamPostCommit = [
        'post-commit:',
        '  jobs:',
        '    - name: team',
        '      run: echo ran >> .git/team-post-commit',
        '',
      ];
      const first = disposeLater(newRepo({ 'lefthook.yml': teamPostCommit.join('\n') }));
      hooksInstall(first);
      machine.run(first, lefthook, ['install']);
      assert.match(fs.readFileSync(path.join(first.dir, '.git', 'hooks', 'post-commit.old'), 'utf8'), /ai-provenance/);
      assert.equal(hookStates(first)['post-commit'], 'missing');
      await save(first, 'a.txt', 'x\n', [ai('x\n', copilot)]);
      machine.run(first, 'git', ['add', 'a.txt']);
      machine.run(first, 'git', ['commit', '-q', '-m', 'after lefthook install']);
      assert.ok(fs.existsSync(path.join(first.dir, '.git', 'team-post-commit')), "lefthook's post-commit did not run");
      assert.equal(first.note(), undefined, 'our post-commit ran from post-commit.old');

      // hooks install after: our block goes into lefthook's files, until lefthook writes them again.
      const repo = lefthookRepo();
      hooksInstall(repo);
      assert.deepEqual(hookStates(repo), Object.fromEntries(MANAGED.map(h => [h, 'installed'])));
      await save(repo, 'b.txt', 'y\n', [ai('y\n', claude)]);
      machine.run(repo, 'git', ['add', 'b.txt']);
      machine.run(repo, 'git', ['commit', '-q', '-m', 'block and recipe']);
      assert.deepEqual(repo.trailers('AI-Attribution'), [
        'v1 added=1 ai=1 mixed=0 unknown=0 tools=claude-code/agent:1',
      ]);
      assert.equal(repo.note()?.split(/\n[ \t]*\n(?=[ \t]*\{)/).length, 1);
      // A change lefthook sees (its checksum is of the configuration, not of the file's text).
      repo.write(
        'lefthook.yml',
        recipe('lefthook.yml') + teamJob.join('\n') + '    - name: another\n      run: "true"\n',
      );
      // lefthook skips its checksum when the file is not newer than its last sync, in whole seconds: a person's edit
      // comes later than the install; here it may come within the same second.
      const later = new Date(Date.now() + 2000);
      fs.utimesSync(path.join(repo.dir, 'lefthook.yml'), later, later);
      machine.run(repo, 'git', ['add', 'lefthook.yml']);
      machine.run(repo, 'git', ['commit', '-q', '-m', 'lefthook.yml changed']);
      assert.deepEqual(hookStates(repo), Object.fromEntries(MANAGED.map(h => [h, 'missing'])));
    });
  });
});

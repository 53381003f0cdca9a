// The GitHub Action (action.yml, bundle action/index.cjs) run the way the runner runs a JavaScript action: its
// Node started on the committed bundle, in the checked-out workspace, with the environment and files a runner
// sets (GITHUB_EVENT_PATH holding a pull_request payload, GITHUB_OUTPUT, GITHUB_STEP_SUMMARY, INPUT_*). The
// workspace is made as actions/checkout makes it for a pull request: the merge ref fetched from a real remote,
// with the whole history (fetch-depth: 0) or one commit (the default depth).
import * as assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { repoRoot } from '../support/git-fixture';
import { junior, senior, show, signoffReposPerTest, type SignoffRepo } from '../support/signoff-fixture';

const bundle = path.join(repoRoot, 'action', 'index.cjs');

/** The Node the runner starts the action with (action.yml: node24) when the test cache has it, else this one. */
function runnerNode(): string {
  const cache = process.env.AI_PROVENANCE_CACHE;
  const dir = cache && fs.existsSync(cache) ? fs.readdirSync(cache).find(d => /^node-24\./.test(d)) : undefined;
  const node = dir && cache ? path.join(cache, dir, 'package', 'bin', 'node') : undefined;
  return node && fs.existsSync(node) ? node : process.execPath;
}

const git = (cwd: string, ...args: string[]): string =>
  execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
}

/** A remote, a developer's clone pushing to it, and runs of the action in fresh checkouts of a pull request. */
class PullRequest {
  readonly dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'ai-provenance-action-')));
  readonly origin = path.join(this.dir, 'origin.git');
  private checkouts = 0;

  constructor(readonly repo: SignoffRepo) {
    git(this.dir, 'init', '-q', '--bare', this.origin);
    repo.git('remote', 'add', 'origin', this.origin);
    repo.git('push', '-q', 'origin', 'main');
  }

  /** Pushes the branch and makes GitHub's merge ref for it (refs/pull/42/merge: the branch merged into main). */
  push(): { base: string; head: string } {
    this.repo.git('push', '-q', '-f', 'origin', 'feature:refs/heads/feature/discounts');
    const base = git(this.origin, 'rev-parse', 'refs/heads/main').trim();
    const head = git(this.origin, 'rev-parse', 'refs/heads/feature/discounts').trim();
    const tree = git(this.repo.dir, 'merge-tree', '--write-tree', base, head).trim();
    const merge = execFileSync(
      'git',
      ['commit-tree', tree, '-p', base, '-p', head, '-m', `Merge ${head} into ${base}`],
      { cwd: this.repo.dir, encoding: 'utf8' },
    ).trim();
    this.repo.git('push', '-q', '-f', 'origin', `${merge}:refs/pull/42/merge`);
    return { base, head };
  }

  /** A workspace as actions/checkout leaves it for the pull request: detached at the merge ref. */
  checkout(depth: number | 'full'): string {
    const workspace = path.join(this.dir, `workspace-${++this.checkouts}`);
    git(this.dir, 'init', '-q', workspace);
    git(workspace, 'remote', 'add', 'origin', this.origin);
    const refspecs =
      depth === 'full'
        ? [
            '+refs/heads/*:refs/remotes/origin/*',
            '+refs/tags/*:refs/tags/*',
            '+refs/pull/42/merge:refs/remotes/pull/42/merge',
          ]
        : ['+refs/pull/42/merge:refs/remotes/pull/42/merge'];
    git(
      workspace,
      'fetch',
      '-q',
      '--no-tags',
      ...(depth === 'full' ? [] : [`--depth=${depth}`]),
      'origin',
      ...refspecs,
    );
    git(workspace, 'checkout', '-q', '--detach', 'refs/remotes/pull/42/merge');
    return workspace;
  }

  /** Runs the action's bundle as the runner does, for an event of `eventName` with `payload`. */
  run(workspace: string, options: { event?: string; payload?: unknown; inputs?: Record<string, string> } = {}): Run {
    const runnerTemp = fs.mkdtempSync(path.join(this.dir, 'runner-'));
    const eventPath = path.join(runnerTemp, 'event.json');
    fs.writeFileSync(eventPath, JSON.stringify(options.payload ?? {}));
    const outputFile = path.join(runnerTemp, 'output');
    const summaryFile = path.join(runnerTemp, 'step_summary');
    fs.writeFileSync(outputFile, '');
    fs.writeFileSync(summaryFile, '');
    // The runner passes every input declared in action.yml (its default when the workflow gives none).
    const inputs: Record<string, string> = { format: 'none', ...options.inputs };
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      CI: 'true',
      GITHUB_ACTIONS: 'true',
      GITHUB_EVENT_NAME: options.event ?? 'pull_request',
      GITHUB_EVENT_PATH: eventPath,
      GITHUB_WORKSPACE: workspace,
      GITHUB_OUTPUT: outputFile,
      GITHUB_STEP_SUMMARY: summaryFile,
      GITHUB_REPOSITORY: 'example-org/shop',
      GITHUB_SHA: git(workspace, 'rev-parse', 'HEAD').trim(),
      RUNNER_TEMP: runnerTemp,
      ...Object.fromEntries(Object.entries(inputs).map(([k, v]) => [`INPUT_${k.replace(/ /g, '_').toUpperCase()}`, v])),
    };
    const r = spawnSync(runnerNode(), [bundle], { cwd: workspace, env, encoding: 'utf8', timeout: 120000 });
    return {
      status: r.status,
      stdout: r.stdout,
      stderr: r.stderr,
      outputs: parseOutputs(fs.readFileSync(outputFile, 'utf8')),
      summary: fs.readFileSync(summaryFile, 'utf8'),
    };
  }

  payload(range: { base: string; head: string }): unknown {
    const text = fs.readFileSync(path.join(repoRoot, 'test', 'fixtures', 'github', 'pull_request.json'), 'utf8');
    return JSON.parse(text.split('__BASE_SHA__').join(range.base).split('__HEAD_SHA__').join(range.head));
  }

  dispose(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/** GITHUB_OUTPUT as the runner reads it: `name<<DELIMITER` blocks (what @actions/core writes) or `name=value`. */
function parseOutputs(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const heredoc = /^([^=<]+)<<(.+)$/.exec(lines[i]!);
    if (heredoc) {
      const end = lines.indexOf(heredoc[2]!, i + 1);
      assert.ok(end > i, `unterminated output ${heredoc[1]}`);
      out[heredoc[1]!] = lines.slice(i + 1, end).join('\n');
      i = end;
    } else if (lines[i]!.includes('=')) {
      const at = lines[i]!.indexOf('=');
      out[lines[i]!.slice(0, at)] = lines[i]!.slice(at + 1);
    }
  }
  return out;
}

const showRun = (r: Run): string => `${show(r)}\n--- outputs\n${JSON.stringify(r.outputs)}\n--- summary\n${r.summary}`;

describe('the GitHub Action, run as the runner runs it', function () {
  this.timeout(180000);
  const repo = signoffReposPerTest();
  const prs: PullRequest[] = [];
  afterEach(() => {
    for (const pr of prs.splice(0)) pr.dispose();
  });
  const pullRequest = (): PullRequest => {
    const pr = new PullRequest(repo());
    prs.push(pr);
    return pr;
  };

  it('is a JavaScript action on a Node runtime GitHub runs, whose committed bundle is the current build', () => {
    const manifest = fs.readFileSync(path.join(repoRoot, 'action.yml'), 'utf8');
    assert.match(manifest, /^runs:\n {2}using: node24\n {2}main: action\/index\.cjs$/m);
    for (const input of ['base', 'head', 'format']) assert.match(manifest, new RegExp(`^ {2}${input}:$`, 'm'));
    // The build (npm run build) rewrites the bundle from src/; what is committed must be what it writes.
    const diff = spawnSync('git', ['diff', '--quiet', '--', 'action/index.cjs'], { cwd: repoRoot });
    assert.equal(diff.status, 0, 'action/index.cjs differs from the build: run npm run build and commit it');
    assert.doesNotMatch(fs.readFileSync(bundle, 'utf8'), /\brequire\("(undici|@actions\/http-client)/);
  });

  it('fails a pull request with an AI commit nobody signed off: annotation, summary, outputs', () => {
    const pr = pullRequest();
    const ai = pr.repo.aiCommit(junior(), 'src/discount.ts', 4, 'feat: discounts');
    pr.repo.commitAs(junior(), 'docs: by hand\n', { files: { 'docs/discounts.md': 'by hand\n' } });
    const range = pr.push();
    const r = pr.run(pr.checkout('full'), { payload: pr.payload(range), inputs: { format: 'sarif' } });

    assert.equal(r.status, 1, showRun(r));
    assert.match(
      r.stdout,
      new RegExp(
        `^::error file=src/discount\\.ts,title=AI sign-off pending%3A ${ai.slice(0, 10)}::feat: discounts \\(ai=4 mixed=0\\): waits for a senior`,
        'm',
      ),
    );
    assert.match(
      r.stdout,
      /^::error::1 of 1 AI-assisted commit is not signed off by a senior; .*ai-provenance sign-off --base origin\/main$/m,
    );
    assert.match(r.stdout, /FAILED: 1 of 1 AI-assisted commits are not signed off/);
    assert.equal(r.outputs.ok, 'false');
    assert.equal(r.outputs['ai-commits'], '1');
    assert.equal(r.outputs['need-signoff'], '1');
    assert.equal(r.outputs['not-signed-off'], '1');
    assert.equal(r.outputs.base, range.base, 'the base is the pull request’s base commit from the event');
    assert.equal(r.outputs.head, range.head, 'the head is the pull request’s head commit, not the merge commit');
    // The SARIF report (for github/codeql-action/upload-sarif): the commit that waits, on its AI file.
    const sarif = JSON.parse(fs.readFileSync(r.outputs.report!, 'utf8')) as {
      version: string;
      runs: {
        results: { ruleId: string; locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[];
      }[];
    };
    assert.equal(sarif.version, '2.1.0');
    assert.deepEqual(
      sarif.runs[0]!.results.map(x => [x.ruleId, x.locations[0]!.physicalLocation.artifactLocation.uri]),
      [['ai-signoff/pending', 'src/discount.ts']],
    );
    assert.equal(path.basename(r.outputs.report!), 'ai-provenance.sarif');
    assert.match(r.summary, /^## AI sign-off check\n\n\*\*Failed\*\*: 1 of 1 AI-assisted commits are not signed off\./);
    assert.match(
      r.summary,
      new RegExp(`\\| pending \\| \`${ai.slice(0, 10)}\` \\| feat\\\\: discounts \\| Jun Ior \\|`),
    );
  });

  it('passes once a senior signed off, and writes the report asked for', () => {
    const pr = pullRequest();
    pr.repo.aiCommit(junior(), 'src/discount.ts', 4, 'feat: discounts');
    const signed = pr.repo.signOff(senior());
    assert.equal(signed.status, 0, show(signed));
    const range = pr.push();
    const r = pr.run(pr.checkout('full'), { payload: pr.payload(range), inputs: { format: 'json' } });

    assert.equal(r.status, 0, showRun(r));
    assert.doesNotMatch(r.stdout, /^::error/m);
    assert.equal(r.outputs.ok, 'true');
    assert.equal(r.outputs['not-signed-off'], '0');
    assert.match(r.summary, /\*\*Passed\*\*: all 1 AI-assisted commits that need sign-off are signed off\./);
    assert.ok(r.outputs.report, showRun(r));
    const report = JSON.parse(fs.readFileSync(r.outputs.report!, 'utf8')) as {
      ok: boolean;
      commits: { state: string; signers: unknown[] }[];
    };
    assert.equal(report.ok, true);
    assert.deepEqual(
      report.commits.map(c => c.state),
      ['signed-off'],
    );
  });

  it('refuses a shallow checkout with the fix (fetch-depth: 0), never passing it', () => {
    const pr = pullRequest();
    pr.repo.aiCommit(junior(), 'src/discount.ts', 2);
    const range = pr.push();
    const r = pr.run(pr.checkout(1), { payload: pr.payload(range) });
    assert.equal(r.status, 1, showRun(r));
    assert.match(r.stdout, /^::error::.*shallow.*actions\/checkout with fetch-depth: 0/m);
    assert.equal(r.outputs.ok, undefined, 'no verdict on a history that is not all there');
  });

  it('says what to give it outside a pull request, and checks the range it is given', () => {
    const pr = pullRequest();
    pr.repo.aiCommit(junior(), 'src/discount.ts', 2);
    pr.push();
    const workspace = pr.checkout('full');
    const bare = pr.run(workspace, { event: 'push', payload: { ref: 'refs/heads/feature/discounts' } });
    assert.equal(bare.status, 1, showRun(bare));
    assert.match(
      bare.stdout,
      /^::error::no base to check against: the push event names no pull request.*with: base: refs\/remotes\/origin\/main/m,
    );

    const given = pr.run(workspace, {
      event: 'push',
      payload: { ref: 'refs/heads/feature/discounts' },
      inputs: { base: 'refs/remotes/origin/main', head: 'refs/remotes/origin/feature/discounts' },
    });
    assert.equal(given.status, 1, showRun(given));
    assert.equal(given.outputs['not-signed-off'], '1');

    const badFormat = pr.run(workspace, { event: 'push', inputs: { base: 'refs/remotes/origin/main', format: 'xml' } });
    assert.equal(badFormat.status, 1);
    assert.match(badFormat.stdout, /^::error::the format input must be none or /m);
  });
});

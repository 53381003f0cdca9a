import * as assert from 'node:assert/strict';
import { junior, rosterLine, senior, show, signoffReposPerTest, type SignoffRepo } from '../support/signoff-fixture';

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

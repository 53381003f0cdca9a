import * as assert from 'node:assert/strict';
import { nullLogger } from '../../src/core/log';
import { locateRepository } from '../../src/io/git/repository';
import { proposeSeniors } from '../../src/io/review/routing';
import { reviewWithDetails } from '../../src/io/review/branch-review';
import {
  as,
  attribution,
  junior,
  outsider,
  person,
  senior,
  senior2,
  show,
  signoffReposPerTest,
  type SignoffRepo,
} from '../support/signoff-fixture';

const senior3 = (): ReturnType<typeof senior> => person('Third Senior', 'senior3@example.com');

/** Puts `files` on main (the base) and goes back to feature, which is rebased onto it. */
function onBase(r: SignoffRepo, files: Record<string, string>): void {
  r.git('checkout', '-q', 'main');
  for (const [file, text] of Object.entries(files)) r.write(file, text);
  r.commitAll('base: ownership');
  r.git('checkout', '-q', 'feature');
  r.git('reset', '-q', '--hard', 'main');
}

describe('routing by ownership (real git, real ssh-keygen)', () => {
  const repo = signoffReposPerTest();

  it('.ai-provenance/reviewers is enforced: a non-owner senior’s sign-off does not count, an owner’s does', () => {
    const r = repo({ seniors: [senior(), senior2()] });
    onBase(r, { '.ai-provenance/reviewers': '# security owns its code\nsrc/secure/ senior2@example.com\n' });
    const a = r.aiCommit(junior(), 'src/secure/auth.ts', 3);

    const open = r.check();
    assert.equal(open.status, 1, show(open));
    assert.match(
      open.stdout,
      /may be signed off by senior2@example\.com \(owners of src\/secure\/auth\.ts in \.ai-provenance\/reviewers\)/,
    );
    const json = JSON.parse(r.check('--format', 'json').stdout);
    assert.deepEqual(json.owners, { source: 'reviewers', file: '.ai-provenance/reviewers', enforced: true });
    assert.deepEqual(json.commits[0].routing, {
      source: 'reviewers',
      file: '.ai-provenance/reviewers',
      enforced: true,
      paths: [{ path: 'src/secure/auth.ts', owners: ['senior2@example.com'] }],
      seniors: ['senior2@example.com'],
      uncovered: ['src/secure/auth.ts'],
    });

    const byOther = r.signOff(senior());
    assert.equal(byOther.status, 0, show(byOther));
    assert.match(
      byOther.stdout,
      /Note: you own none of the files of this commit in \.ai-provenance\/reviewers; your sign-off counts for it only once an owner has signed off too:\n {2}[0-9a-f]{10} {2}owners: senior2@example\.com/,
    );
    const notOwner = r.check();
    assert.equal(notOwner.status, 1, show(notOwner));
    assert.match(notOwner.stdout, new RegExp(`unverified\\s+${a.slice(0, 10)}`));
    assert.match(notOwner.stdout, /is by a senior who owns none of the commit's files in \.ai-provenance\/reviewers/);
    assert.match(notOwner.stdout, /may be signed off by senior2@example\.com/);
    const claims = JSON.parse(r.check('--format', 'json').stdout).commits[0].claims;
    assert.deepEqual(claims[0].defects, ['not-owner']);

    assert.equal(r.signOff(senior2()).status, 0);
    const signed = r.check();
    assert.equal(signed.status, 0, show(signed));
    assert.match(signed.stdout, new RegExp(`signed-off\\s+${a.slice(0, 10)}`));
  });

  it('paths without an owner allow any senior of the roster', () => {
    const r = repo({ seniors: [senior(), senior2()] });
    onBase(r, { '.ai-provenance/reviewers': 'src/secure/ senior2@example.com\n' });
    r.aiCommit(junior(), 'src/free.ts', 2);
    assert.equal(r.signOff(senior()).status, 0);
    const result = r.check();
    assert.equal(result.status, 0, show(result));
  });

  it('the reviewers file is read from the base: a branch that edits it does not change who may sign', () => {
    const r = repo({ seniors: [senior(), senior2()] });
    onBase(r, { '.ai-provenance/reviewers': 'src/secure/ senior2@example.com\n' });
    const a = r.aiCommit(junior(), 'src/secure/auth.ts', 2);
    r.commitAs(junior(), 'chore: I own it now\n', {
      files: { '.ai-provenance/reviewers': 'src/secure/ senior@example.com\n' },
    });
    assert.equal(r.signOff(senior()).status, 0);
    const result = r.check();
    assert.equal(result.status, 1, show(result));
    assert.match(result.stdout, new RegExp(`unverified\\s+${a.slice(0, 10)}`));
    assert.match(result.stdout, /may be signed off by senior2@example\.com/);
  });

  it('a bad reviewers file is a bad policy (exit 2) naming the file and the line', () => {
    const r = repo({ seniors: [senior()] });
    onBase(r, { '.ai-provenance/reviewers': 'src/ senior@example.com\ndocs/ @docs-team\nlib/ nobody@example.com\n' });
    r.aiCommit(junior(), 'src/a.ts', 1);
    const result = r.check();
    assert.equal(result.status, 2, show(result));
    assert.match(result.stderr, /\.ai-provenance\/reviewers at main: line 2: owner "@docs-team"/);
    assert.match(
      result.stderr,
      /line 3: owner nobody@example\.com is not a senior in \.ai-provenance\/allowed_signers/,
    );
  });

  it('CODEOWNERS is advisory: its senior owners are listed, any senior may sign; bad lines only warn', () => {
    const r = repo({ seniors: [senior(), senior2()] });
    onBase(r, {
      '.github/CODEOWNERS': '* @org/everyone\nsrc/secure/ @org/security senior2@example.com\n!bad senior@example.com\n',
      CODEOWNERS: 'src/ senior@example.com\n',
    });
    r.aiCommit(junior(), 'src/secure/auth.ts', 2);
    const open = r.check();
    assert.equal(open.status, 1, show(open));
    assert.match(open.stdout, /owners \(\.github\/CODEOWNERS, advisory; any senior may sign\): senior2@example\.com/);
    assert.match(open.stderr, /\.github\/CODEOWNERS at main, line 3: .*negation.*; the line is skipped/);
    const json = JSON.parse(r.check('--format', 'json').stdout);
    assert.deepEqual(json.owners, { source: 'codeowners', file: '.github/CODEOWNERS', enforced: false });
    assert.deepEqual(json.commits[0].routing.seniors, ['senior2@example.com']);
    assert.equal(json.commits[0].routing.enforced, false);
    const sarif = JSON.parse(r.check('--format', 'sarif').stdout);
    assert.deepEqual(sarif.runs[0].results[0].properties.owners, ['senior2@example.com']);
    assert.equal(sarif.runs[0].results[0].properties.ownersEnforced, false);
    const github = r.check('--format', 'github');
    assert.match(
      github.stdout,
      /^::error .*owners \(\.github\/CODEOWNERS, advisory; any senior may sign\): senior2@example\.com/m,
    );

    assert.equal(r.signOff(senior()).status, 0);
    const signed = r.check();
    assert.equal(signed.status, 0, show(signed));
  });

  it('request-review without --to asks the owners of the waiting commits’ files', () => {
    const r = repo({ seniors: [senior(), senior2()] });
    onBase(r, { '.ai-provenance/reviewers': 'src/secure/ senior2@example.com\n' });
    r.aiCommit(junior(), 'src/secure/auth.ts', 2);
    const result = r.cli(['request-review', '--base', 'main'], { as: junior() });
    assert.equal(result.status, 0, show(result));
    assert.match(result.stdout, /from senior2\\@example\\\.com on /);
    const check = r.check();
    assert.match(check.stdout, /review requested from senior2@example\.com/);

    const none = repo({ seniors: [senior()] });
    none.aiCommit(junior(), 'src/a.ts', 1);
    const refused = none.cli(['request-review', '--base', 'main'], { as: junior() });
    assert.equal(refused.status, 2, show(refused));
    assert.match(refused.stderr, /needs --to EMAIL.*main has no \.ai-provenance\/reviewers or CODEOWNERS/);
  });

  it('proposeSeniors: owners first, then the roster, each by how many open requests name them', async () => {
    const r = repo({ seniors: [senior(), senior2(), senior3()] });
    onBase(r, { '.ai-provenance/reviewers': 'src/secure/ senior2@example.com senior3@example.com\n' });
    r.aiCommit(junior(), 'src/secure/auth.ts', 2);
    const asked = r.cli(['request-review', '--to', 'senior2@example.com', '--base', 'main'], { as: junior() });
    assert.equal(asked.status, 0, show(asked));
    const location = await locateRepository(r.dir);
    const review = await reviewWithDetails({ location, base: 'main', logger: nullLogger });
    const seniors = await proposeSeniors({ location, review, logger: nullLogger });
    assert.deepEqual(seniors, [
      { email: 'senior3@example.com', owner: true, openRequests: 0 },
      { email: 'senior2@example.com', owner: true, openRequests: 1 },
      { email: 'senior@example.com', owner: false, openRequests: 0 },
    ]);
  });
});

describe('senior-signed commits (signoff.seniorSignedCommits, real ssh-keygen)', () => {
  const repo = signoffReposPerTest();
  const on = { signoff: { seniorSignedCommits: true } };

  /** An AI commit by `author`, signed (git commit -S) with `signer`'s key when given. */
  function aiCommitSigned(
    r: SignoffRepo,
    author: ReturnType<typeof senior>,
    signer?: ReturnType<typeof senior>,
  ): string {
    r.write('src/own.ts', `ai line ${Math.random().toString(36).slice(2)}\n`);
    r.git('add', '-A');
    r.run(
      [
        ...as(signer ?? author),
        'commit',
        '-q',
        `--author=${author.name} <${author.email}>`,
        ...(signer ? ['-S'] : ['--no-gpg-sign']),
        '-F',
        '-',
      ],
      { input: `feat: own\n\n${attribution(1)}\nAssisted-by: Copilot:gpt-4.1\n` },
    );
    return r.head();
  }

  it('counts a senior’s own commit signed with their roster key, only when the policy allows it', () => {
    const r = repo({ seniors: [senior(), senior2()], policy: on });
    const a = aiCommitSigned(r, senior(), senior());
    const result = r.check();
    assert.equal(result.status, 0, show(result));
    assert.match(result.stdout, new RegExp(`self-signed\\s+${a.slice(0, 10)}`));
    assert.match(
      result.stdout,
      /signed by its author, a senior \(senior@example\.com\), whose key is in the roster; the policy allows senior-signed commits/,
    );
    const json = JSON.parse(r.check('--format', 'json').stdout);
    assert.equal(json.ok, true);
    assert.equal(json.commits[0].state, 'self-signed');
    assert.equal(json.commits[0].selfSigned.email, 'senior@example.com');
    assert.equal(json.summary['self-signed'], 1);

    const off = repo({ seniors: [senior(), senior2()] });
    const b = aiCommitSigned(off, senior(), senior());
    const pending = off.check();
    assert.equal(pending.status, 1, show(pending));
    assert.match(pending.stdout, new RegExp(`pending\\s+${b.slice(0, 10)}`));
  });

  it('a rebase drops the signature: the commit is pending again', () => {
    const r = repo({ seniors: [senior()], policy: on });
    aiCommitSigned(r, senior(), senior());
    assert.equal(r.check().status, 0);
    r.run([...as(senior()), 'rebase', '-q', '--force-rebase', '--no-gpg-sign', 'main']);
    const result = r.check();
    assert.equal(result.status, 1, show(result));
    assert.match(result.stdout, /pending\s+[0-9a-f]{10}/);
  });

  it('stays pending for a non-senior’s own key, and for a senior’s name signed with another key', () => {
    const r = repo({ seniors: [senior(), senior2()], policy: on });
    const own = aiCommitSigned(r, outsider(), outsider());
    const forged = aiCommitSigned(r, senior(), outsider());
    const otherSenior = aiCommitSigned(r, senior(), senior2());
    const unsigned = aiCommitSigned(r, senior());
    const result = r.check();
    assert.equal(result.status, 1, show(result));
    for (const c of [own, forged, otherSenior, unsigned])
      assert.match(result.stdout, new RegExp(`pending\\s+${c.slice(0, 10)}`), show(result));
  });

  it('a high-risk commit signed by its author still needs the other seniors', () => {
    const r = repo({
      seniors: [senior(), senior2()],
      policy: { signoff: { seniorSignedCommits: true, highRisk: ['src/**'] } },
    });
    const a = aiCommitSigned(r, senior(), senior());
    const alone = r.check();
    assert.equal(alone.status, 1, show(alone));
    assert.match(alone.stdout, new RegExp(`pending\\s+${a.slice(0, 10)}`));
    assert.match(alone.stdout, /1 of 2 seniors signed off \(senior@example\.com\)/);
    assert.equal(r.signOff(senior2()).status, 0);
    const both = r.check();
    assert.equal(both.status, 0, show(both));
    assert.match(both.stdout, /self-signed\s+[0-9a-f]{10}.*\n.*also signed off by senior2@example\.com/);
  });
});

describe('the audit applies .ai-provenance/reviewers and senior-signed commits like check (real git)', () => {
  const repo = signoffReposPerTest();

  interface Change {
    id: string;
    status: string;
    commits: { id: string; state: string | null }[];
    exceptions: { code: string; commit: string | null }[];
  }
  function audit(r: SignoffRepo): { status: number | null; changes: Change[]; out: string } {
    const result = r.cli(['audit', '--branch', 'main', '--format', 'json']);
    return { status: result.status, changes: JSON.parse(result.stdout).changes as Change[], out: show(result) };
  }
  function mergeToMain(r: SignoffRepo): string {
    r.git('checkout', '-q', 'main');
    r.git('merge', '-q', '--no-ff', '--no-gpg-sign', '-m', 'Merge feature', 'feature');
    return r.head();
  }

  it('a merged commit signed off by a senior who owns none of its files is an exception', () => {
    const r = repo({ seniors: [senior(), senior2()] });
    onBase(r, { '.ai-provenance/reviewers': 'src/secure/ senior2@example.com\n' });
    r.aiCommit(junior(), 'src/secure/auth.ts', 2);
    assert.equal(r.signOff(senior()).status, 0);
    const merge = mergeToMain(r);
    const result = audit(r);
    assert.equal(result.status, 1, result.out);
    const change = result.changes.find(c => c.id === merge)!;
    assert.equal(change.status, 'exception', result.out);
    assert.equal(change.exceptions[0]!.code, 'unverified');
  });

  it('a senior’s signed commit on main is not an exception when the policy allows senior-signed commits', () => {
    const r = repo({ seniors: [senior()], policy: { signoff: { seniorSignedCommits: true } } });
    r.git('checkout', '-q', 'main');
    r.write('src/own.ts', 'ai line\n');
    r.git('add', '-A');
    r.run([...as(senior()), 'commit', '-q', '-S', '-F', '-'], {
      input: `feat: own\n\n${attribution(1)}\nAssisted-by: Copilot:gpt-4.1\n`,
    });
    const signed = r.head();
    r.write('src/other.ts', 'ai line\n');
    r.git('add', '-A');
    r.run([...as(senior()), 'commit', '-q', '--no-gpg-sign', '-F', '-'], {
      input: `feat: unsigned\n\n${attribution(1)}\nAssisted-by: Copilot:gpt-4.1\n`,
    });
    const unsigned = r.head();
    const result = audit(r);
    const own = result.changes.find(c => c.id === signed)!;
    assert.equal(own.status, 'signed-off', result.out);
    assert.equal(own.commits[0]!.state, 'self-signed');
    const other = result.changes.find(c => c.id === unsigned)!;
    assert.equal(other.status, 'exception', result.out);
    assert.equal(other.exceptions[0]!.code, 'no-signoff');
  });
});

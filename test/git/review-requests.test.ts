import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli } from '../support/git-fixture';
import { nullLogger } from '../../src/core/log';
import { locateRepository } from '../../src/io/git/repository';
import { checkOutForReview, requestsOfMe } from '../../src/io/review/inbox';
import { as, envAs, junior, senior, senior2, show, signoffReposPerTest } from '../support/signoff-fixture';

type SignoffRepo = ReturnType<ReturnType<typeof signoffReposPerTest>>;

/** A request ref anyone could have pushed: a commit on `parent` with `message`, by nobody the roster knows. */
function pushForgedRequest(r: SignoffRepo, parent: string, message: string): void {
  const id = r
    .run(['commit-tree', `${parent}^{tree}`, '-p', parent, '-F', '-'], {
      input: message,
      env: {
        GIT_AUTHOR_NAME: 'x',
        GIT_AUTHOR_EMAIL: 'x@example.com',
        GIT_COMMITTER_NAME: 'x',
        GIT_COMMITTER_EMAIL: 'x@example.com',
      },
    })
    .trim();
  r.git('update-ref', `refs/ai-provenance/requests/${id}`, id);
}

describe('requests for changes and review requests carried in git (real git, real ssh-keygen)', () => {
  const repo = signoffReposPerTest();

  it('request-changes makes a signed record that check shows as changes-requested, until a new patch or a sign-off', () => {
    const r = repo({ seniors: [senior(), senior2()] });
    const a = r.aiCommit(junior(), 'src/a.ts', 4);
    const missing = r.cli(['request-changes', '--base', 'main', '--yes'], { as: senior() });
    assert.equal(missing.status, 2, show(missing));
    assert.match(missing.stderr, /needs --message TEXT/);

    const asked = r.cli(['request-changes', '--base', 'main', '--yes', '-m', 'Handle the empty list.\nAnd name it.'], {
      as: senior(),
    });
    assert.equal(asked.status, 0, show(asked));
    assert.match(asked.stdout, /Requesting changes to 1 commit:/);
    assert.match(asked.stdout, /Changes requested in [0-9a-f]{40}/);
    const record = r.head();
    assert.equal(
      r.git('log', '-1', '--format=%B'),
      `AI changes requested: 1 commit\n\nHandle the empty list.\nAnd name it.\n\nReviewed-by: Sen Ior <senior@example.com>\nAI-Changes-Requested: ${r.patchId(a)} ${a}\n\n`,
    );
    assert.equal(r.git('diff-tree', '--no-commit-id', '-r', 'HEAD').trim(), '', 'the record is an empty commit');
    assert.match(
      r.git('for-each-ref', '--format=%(refname)', 'refs/ai-provenance/signoffs/'),
      new RegExp(`refs/ai-provenance/signoffs/${record}`),
      'kept beside the sign-offs, for the audit',
    );

    const check = r.check();
    assert.equal(check.status, 1, show(check));
    assert.match(check.stdout, new RegExp(`changes-requested\\s+${a.slice(0, 10)}`));
    assert.match(check.stdout, new RegExp(`senior@example.com requested changes in ${record.slice(0, 10)}`));
    const json = JSON.parse(r.check('--format', 'json').stdout) as {
      summary: Record<string, number>;
      commits: { state: string }[];
    };
    assert.equal(json.summary['changes-requested'], 1);
    assert.equal(json.commits[0]!.state, 'changes-requested');

    // The author fixes it: the commit's patch changes (an amend here), so it waits for review again.
    r.git('reset', '-q', '--hard', a);
    r.write('src/a.ts', 'fixed by hand\n');
    r.git('add', '-A');
    r.run(['-c', 'user.name=Jun', '-c', 'user.email=junior@example.com', 'commit', '-q', '--amend', '--no-edit']);
    const fixed = r.head();
    r.git('cherry-pick', '--allow-empty', '--keep-redundant-commits', record);
    const again = r.check();
    assert.equal(again.status, 1, show(again));
    assert.match(
      again.stdout,
      new RegExp(`pending\\s+${fixed.slice(0, 10)}`),
      'an old request for changes does not stick',
    );
  });

  it('a sign-off by another senior counts over a request for changes; the requester’s own later request withdraws their sign-off', () => {
    const r = repo({ seniors: [senior(), senior2()] });
    const a = r.aiCommit(junior(), 'src/a.ts', 2);
    assert.equal(r.signOff(senior()).status, 0);
    assert.equal(r.check().status, 0);
    const asked = r.cli(['request-changes', '--base', 'main', '--yes', '-m', 'On second thought: no.'], {
      as: senior(),
    });
    assert.equal(asked.status, 0, show(asked));
    const withdrawn = r.check();
    assert.equal(withdrawn.status, 1, show(withdrawn));
    assert.match(withdrawn.stdout, new RegExp(`changes-requested\\s+${a.slice(0, 10)}`));
    assert.equal(r.signOff(senior2()).status, 0);
    const signed = r.check();
    assert.equal(signed.status, 0, show(signed));
    assert.match(signed.stdout, /signed off by senior2@example.com/);
  });

  it('an unsigned or forged request for changes says nothing, and a record with both verdicts is no sign-off', () => {
    const r = repo();
    const a = r.aiCommit(junior(), 'src/a.ts', 2);
    const forged = `AI changes requested: 1 commit\n\nNo.\n\nReviewed-by: Sen Ior <senior@example.com>\nAI-Changes-Requested: ${r.patchId(a)} ${a}\n`;
    r.commitAs(junior(), forged, { allowEmpty: true });
    const check = r.check();
    assert.equal(check.status, 1, show(check));
    assert.match(check.stdout, new RegExp(`pending\\s+${a.slice(0, 10)}`));
    const both = `AI sign-off: 1 commit\n\nReviewed-by: Sen Ior <senior@example.com>\nAI-Signoff: ${r.patchId(a)} ${a}\nAI-Changes-Requested: ${r.patchId(a)} ${a}\n`;
    r.commitAs(senior(), both, { allowEmpty: true, sign: true });
    const mixed = r.check();
    assert.equal(mixed.status, 1, show(mixed));
    assert.doesNotMatch(mixed.stdout, /signed off by/);
  });

  it('a request reaches the senior through git alone: pushed with the branch’s commits, fetched, listed, signed off, seen by its author', () => {
    const r = repo({ seniors: [senior(), senior2()] });
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ai-provenance-requests-'));
    try {
      const bare = path.join(tmp, 'origin.git');
      execFileSync('git', ['init', '-q', '--bare', bare]);
      r.git('remote', 'add', 'origin', bare);
      r.git('push', '-q', 'origin', 'main');
      const a = r.aiCommit(junior(), 'src/a.ts', 3, 'feat: <b>parser</b>');
      // The branch itself is not pushed: the request carries its commits.
      const asked = r.cli(
        ['request-review', '--to', 'senior@example.com', '--base', 'main', '--push', '-m', 'The parser, please.'],
        {
          as: junior(),
        },
      );
      assert.equal(asked.status, 0, show(asked));
      assert.match(asked.stderr, /The request was sent to origin \(refs\/ai-provenance\/requests\/[0-9a-f]{40}\)/);
      const ref = r.git('for-each-ref', '--format=%(refname)', 'refs/ai-provenance/requests/').trim();
      assert.match(ref, /^refs\/ai-provenance\/requests\/[0-9a-f]{40}$/);
      assert.equal(r.git('rev-parse', `${ref}^`).trim(), a, 'the request sits on the branch head');
      assert.equal(r.git('rev-parse', `${ref}^{tree}`).trim(), r.git('rev-parse', `${a}^{tree}`).trim());
      assert.equal(
        r.git('log', '-1', '--format=%B', ref),
        `AI review request: 1 commit\n\nThe parser, please.\n\nRequested-of: senior@example.com\nRequested-by: Jun Ior <junior@example.com>\nAI-Review-Branch: feature\nAI-Review-Base: main\nAI-Review-Commit: ${r.patchId(a)} ${a}\n\n`,
      );
      assert.equal(r.git('ls-remote', bare, 'refs/heads/feature').trim(), '', 'the branch was not pushed');

      // The senior's clone: nothing until a fetch, then the request, judged against the base.
      const clone = path.join(tmp, 'senior');
      execFileSync('git', ['clone', '-q', bare, clone]);
      const asSenior = (args: string[]) => runCli(['-C', clone, ...args], { env: envAs(senior()) });
      const none = asSenior(['request-review', '--list']);
      assert.equal(none.status, 0, show(none));
      assert.match(none.stdout, /No review request asks senior@example.com/);
      const fetched = asSenior(['notes', 'fetch']);
      assert.equal(fetched.status, 0, show(fetched));
      const listed = asSenior(['request-review', '--list']);
      assert.equal(listed.status, 0, show(listed));
      assert.match(
        listed.stdout,
        /^open\s+feature {2}from junior@example.com {2}\d{4}-\d\d-\d\d \d\d:\d\d {2}1 waiting {2}at [0-9a-f]{12} \(refs\/ai-provenance\/requests\//m,
      );
      // Asked of someone else: not listed for senior2.
      const other = runCli(['-C', clone, 'request-review', '--list'], { env: envAs(senior2()) });
      assert.match(other.stdout, /No review request asks senior2@example.com/);

      // The senior checks the branch out at the request, signs off, and pushes the branch.
      execFileSync('git', ['-C', clone, 'switch', '-q', '-c', 'feature', a]);
      const signed = runCli(['-C', clone, 'sign-off', '--base', 'origin/main', '--yes'], { env: envAs(senior()) });
      assert.equal(signed.status, 0, show(signed));
      execFileSync('git', ['-C', clone, ...as(senior()), 'push', '-q', 'origin', 'feature']);
      execFileSync('git', ['-C', clone, 'fetch', '-q', 'origin']);
      const done = asSenior(['request-review', '--list']);
      assert.match(done.stdout, /^signed-off\s+feature {2}from junior@example.com .* 0 waiting {2}at feature\n/m);

      // The author pulls the sign-off: check passes.
      r.git('pull', '-q', '--ff-only', 'origin', 'feature');
      const check = r.check();
      assert.equal(check.status, 0, show(check));
      // The audit reads no request as evidence (the junior's clone has the request ref, and no kept sign-off).
      const audit = r.cli(['audit', '--branch', 'feature', '--format', 'json']);
      assert.equal((JSON.parse(audit.stdout) as { keptRefs: number }).keptRefs, 0, audit.stdout.slice(0, 400));
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });

  it('a malformed or foreign ref under refs/ai-provenance/requests/ is ignored, and check still reads requests made here', () => {
    const r = repo();
    const a = r.aiCommit(junior(), 'src/a.ts', 2);
    pushForgedRequest(r, a, 'AI review request: 1 commit\n\nRequested-of: senior@example.com\n');
    r.git(
      'update-ref',
      'refs/ai-provenance/requests/blob',
      r.run(['hash-object', '-w', '--stdin'], { input: 'x' }).trim(),
    );
    const listed = r.cli(['request-review', '--list', '--all']);
    assert.equal(listed.status, 0, show(listed));
    assert.match(listed.stdout, /No review request in git here/);
    assert.equal(r.check().status, 1);
    const asked = r.cli(['request-review', '--to', 'senior@example.com', '--base', 'main'], { as: junior() });
    assert.equal(asked.status, 0, show(asked));
    assert.match(asked.stderr, /send it with --push/);
    assert.match(r.check().stdout, new RegExp(`requested\\s+${a.slice(0, 10)}`));
    const all = r.cli(['request-review', '--list', '--all']);
    assert.match(all.stdout, /feature {2}from junior@example.com {2}to senior@example.com {2}1 commit\n/);
  });

  it('Check Out for Review never moves the senior’s own branches to what only a request supplies', async () => {
    const r = repo();
    const a = r.aiCommit(junior(), 'src/a.ts', 2);
    r.git('switch', '-q', 'main');
    const mainBefore = r.head();
    // A request anyone could push: it names main (and then origin/main) for an unreviewed commit.
    for (const name of ['main', 'origin/main', '-f']) {
      const message = `AI review request: 1 commit\n\nRequested-of: senior@example.com\nRequested-by: X <x@example.com>\nAI-Review-Branch: ${name}\nAI-Review-Commit: ${r.patchId(a)} ${a}\n`;
      pushForgedRequest(r, a, message);
    }
    r.git('branch', '-q', '-D', 'feature');
    const location = await locateRepository(r.dir);
    const entries = await requestsOfMe({ location, me: ['senior@example.com'], base: 'main', logger: nullLogger });
    assert.equal(entries.length, 3);
    for (const entry of entries) {
      r.git('switch', '-q', 'main');
      const { result, branch } = await checkOutForReview(r.dir, entry, nullLogger);
      assert.equal(result, 'checked-out');
      assert.equal(r.head(), a);
      if (entry.request.branch === '-f') assert.equal(branch, undefined, 'an option-like name: detached');
      else assert.equal(branch, `review/${entry.request.branch}`);
    }
    assert.equal(r.git('rev-parse', 'refs/heads/main').trim(), mainBefore, 'main did not move');
    assert.equal(
      r.git('for-each-ref', '--format=%(refname)', 'refs/heads/origin/').trim(),
      '',
      'no branch shadows origin/main',
    );
  });

  it('the audit sees a request for changes withdraw its author’s earlier sign-off after a merge commit', () => {
    const r = repo();
    r.aiCommit(junior(), 'src/a.ts', 2);
    assert.equal(r.signOff(senior()).status, 0);
    const asked = r.cli(['request-changes', '--base', 'main', '--yes', '-m', 'No, redo it.'], { as: senior() });
    assert.equal(asked.status, 0, show(asked));
    assert.equal(r.check().status, 1);
    r.git('switch', '-q', 'main');
    r.run([...as(junior()), 'merge', '-q', '--no-ff', '--no-gpg-sign', '-m', 'Merge feature', 'feature']);
    const audit = r.cli(['audit', '--branch', 'main']);
    assert.equal(audit.status, 1, show(audit));
    assert.match(audit.stdout, /no-signoff: /);
  });

  it('enforced owners follow AI lines a person moves into their files', () => {
    const r = repo({ seniors: [senior(), senior2()] });
    r.git('switch', '-q', 'main');
    r.write('.ai-provenance/reviewers', '/secure/ senior@example.com\n');
    r.write('secure/auth.ts', 'export const ok = 1;\n');
    r.commitAs(senior(), 'owners\n');
    r.git('switch', '-q', '-C', 'feature');
    const lines = Array.from(
      { length: 30 },
      (_, i) => `export const aiGeneratedValue${i} = "some generated constant text";`,
    );
    r.write('src/util.ts', `${lines.join('\n')}\n`);
    const ai = r.commitAs(
      junior(),
      'feat: util\n\nAI-Attribution: v1 added=30 ai=30 mixed=0 unknown=0 tools=copilot/inline:30\nAssisted-by: Copilot:gpt-4.1\n',
    );
    r.write('secure/auth.ts', `export const ok = 1;\n${lines.join('\n')}\n`);
    r.git('rm', '-q', 'src/util.ts');
    r.commitAs(junior(), 'refactor: move helpers\n');
    r.manualSignoff(senior2(), [ai]);
    const check = r.check();
    assert.equal(check.status, 1, show(check));
    assert.match(check.stdout, /its lines are now also in secure\/auth\.ts/);
    assert.match(check.stdout, /may be signed off by senior@example\.com/);
    r.manualSignoff(senior(), [ai]);
    assert.equal(r.check().status, 0);
  });
});

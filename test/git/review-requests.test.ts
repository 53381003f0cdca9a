import * as assert from 'node:assert/strict';
import { junior, senior, senior2, show, signoffReposPerTest } from '../support/signoff-fixture';

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
    assert.equal(r.git('for-each-ref', 'refs/ai-provenance/signoffs/').trim(), '', 'not kept as a sign-off');

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
});

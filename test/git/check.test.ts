import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli } from '../support/git-fixture';
import { envAs, junior, senior, senior2, show, signoffReposPerTest } from '../support/signoff-fixture';

describe('check, sign-off and request-review (real git, real ssh-keygen)', () => {
  const repo = signoffReposPerTest();

  it('turns from 1 to 0 when a senior signs off a junior’s AI commits', () => {
    const r = repo();
    const a = r.aiCommit(junior(), 'src/a.ts', 5);
    r.commitAs(junior(), 'docs: by hand\n', { files: { 'docs/x.md': 'hand written\n' } });
    const b = r.aiCommit(junior(), 'src/b.ts', 3);

    const before = r.check();
    assert.equal(before.status, 1, show(before));
    assert.match(before.stdout, new RegExp(`pending\\s+${a.slice(0, 10)}`));
    assert.match(before.stdout, new RegExp(`pending\\s+${b.slice(0, 10)}`));
    assert.match(before.stdout, /FAILED: 2 of 2 AI-assisted commits are not signed off/);
    assert.match(before.stdout, /ai-provenance sign-off --base main/);

    const signed = r.signOff(senior(), '--message', 'Looked at both; fine.');
    assert.equal(signed.status, 0, show(signed));
    assert.match(signed.stdout, /Signing off 2 commits/);
    assert.match(signed.stdout, new RegExp(`patch ${r.patchId(a)}`));
    assert.match(signed.stdout, /Signed off in [0-9a-f]{40}/);

    const message = r.git('log', '-1', '--format=%B');
    // The branch's whole change as signed: from where it left main to its head (docs/formats.md, since 0.2).
    const from = r.git('merge-base', 'main', b).trim();
    const whole = execFileSync('git', ['patch-id', '--verbatim'], {
      cwd: r.dir,
      input: execFileSync('git', ['diff-tree', '-p', '--full-index', '--no-renames', from, b], { cwd: r.dir }),
      encoding: 'utf8',
    }).split(' ')[0]!;
    assert.equal(
      message,
      `AI sign-off: 2 commits\n\nLooked at both; fine.\n\nReviewed-by: Sen Ior <senior@example.com>\nAI-Signoff: ${r.patchId(a)} ${a}\nAI-Signoff: ${r.patchId(b)} ${b}\nAI-Signoff-Range: ${whole} ${from} ${b}\n\n`,
    );
    assert.equal(r.git('diff-tree', '--no-commit-id', '-r', 'HEAD').trim(), '', 'the sign-off is an empty commit');
    assert.match(r.git('cat-file', 'commit', 'HEAD'), /^gpgsig -----BEGIN SSH SIGNATURE-----/m);

    const after = r.check();
    assert.equal(after.status, 0, show(after));
    assert.match(after.stdout, /signed-off\s+[0-9a-f]{10}.*\n\s+signed off by senior@example.com/);
    assert.match(after.stdout, /OK: all 2 AI-assisted commits that need sign-off are signed off/);
  });

  it('exits 0 when nothing in the range needs sign-off, and 1 again for a new AI commit after the sign-off', () => {
    const r = repo();
    r.commitAs(junior(), 'chore: by hand\n', { files: { 'a.txt': 'x\n' } });
    assert.equal(r.check().status, 0);
    r.aiCommit(junior(), 'src/a.ts', 2);
    assert.equal(r.signOff(senior()).status, 0);
    assert.equal(r.check().status, 0);
    const late = r.aiCommit(junior(), 'src/late.ts', 1);
    const result = r.check();
    assert.equal(result.status, 1, show(result));
    assert.match(result.stdout, new RegExp(`pending\\s+${late.slice(0, 10)}`));
  });

  it('sign-off --dry-run shows what would be signed and changes nothing', () => {
    const r = repo();
    const a = r.aiCommit(junior(), 'src/a.ts', 4);
    const result = r.cli(['sign-off', '--base', 'main', '--dry-run', '-m', 'ok'], { as: senior() });
    assert.equal(result.status, 0, show(result));
    assert.match(result.stdout, /Signer: Sen Ior <senior@example.com>, ssh-ed25519 key SHA256:/);
    assert.match(result.stdout, new RegExp(`${a.slice(0, 10)}  patch ${r.patchId(a)}  ai=4 mixed=0`));
    assert.match(result.stdout, /\| AI sign-off: 1 commit\n/);
    assert.match(result.stdout, new RegExp(`\\| AI-Signoff: ${r.patchId(a)} ${a}`));
    assert.match(result.stdout, /Dry run: nothing was signed/);
    assert.equal(r.head(), a);
  });

  it('sign-off without --yes refuses when standard input is not a terminal', () => {
    const r = repo();
    const a = r.aiCommit(junior(), 'src/a.ts', 1);
    const result = r.cli(['sign-off', '--base', 'main'], { as: senior() });
    assert.equal(result.status, 2, show(result));
    assert.match(result.stderr, /add --yes/);
    assert.equal(r.head(), a);
  });

  it('sign-off refuses a key that is not in the roster, and a setup that is not SSH signing', () => {
    const r = repo({ seniors: [senior()] });
    const a = r.aiCommit(junior(), 'src/a.ts', 1);
    const notListed = r.signOff(senior2());
    assert.equal(notListed.status, 2, show(notListed));
    assert.match(
      notListed.stderr,
      /your signing key \(ssh-ed25519 SHA256:[^)]+\) is not in \.ai-provenance\/allowed_signers at main/,
    );
    const gpg = r.cli(['sign-off', '--base', 'main', '--yes'], { env: envAs(senior(), { 'gpg.format': 'openpgp' }) });
    assert.equal(gpg.status, 2, show(gpg));
    assert.match(gpg.stderr, /git config gpg.format ssh/);
    assert.equal(r.head(), a);
  });

  it('sign-off refuses when changes are staged (a sign-off must be empty)', () => {
    const r = repo();
    const a = r.aiCommit(junior(), 'src/a.ts', 1);
    r.write('staged.txt', 'x\n');
    r.git('add', 'staged.txt');
    const result = r.signOff(senior());
    assert.equal(result.status, 2, show(result));
    assert.match(result.stderr, /changes are staged/);
    assert.equal(r.head(), a);
  });

  it('request-review records the request, prints the packet, and check shows the commits as requested', () => {
    const r = repo({ seniors: [senior(), senior2()] });
    const a = r.aiCommit(junior(), 'src/a.ts', 3, 'feat: parser <b>|x|</b>');
    const result = r.cli(['request-review', '--to', 'senior@example.com', 'senior2@example.com', '--base', 'main'], {
      as: junior(),
    });
    assert.equal(result.status, 0, show(result));
    assert.match(result.stdout, /^# AI sign-off requested: 1 commit on `feature`/);
    // Markdown-escaped by construction: an address cannot become a mailto link.
    assert.match(
      result.stdout,
      /Requested by junior\\@example\\\.com from senior\\@example\\\.com, senior2\\@example\\\.com on /,
    );
    assert.match(result.stdout, /feat\\: parser &lt;b&gt;\\\|x\\\|&lt;\\\/b&gt;/, 'the subject is escaped');
    assert.match(
      result.stdout,
      /- Files changed \(line-level AI data not recorded for this commit\):\n {2}- `src\/a\.ts`/,
    );
    assert.match(result.stdout, /Assisted-by \(agents and models\): Copilot\\:gpt\\-4\\\.1/);
    assert.match(result.stdout, /3 AI \+ 0 mixed of 3 added/);

    const stateDir = path.join(r.dir, '.git', 'ai-provenance');
    const stored = JSON.parse(fs.readFileSync(path.join(stateDir, 'review-requests.json'), 'utf8'));
    assert.equal(stored.version, 1);
    assert.equal(stored.items.length, 1);
    assert.deepEqual(stored.items[0].to, ['senior@example.com', 'senior2@example.com']);
    assert.deepEqual(stored.items[0].commits, [{ id: a, patchId: r.patchId(a) }]);

    const check = r.check();
    assert.equal(check.status, 1, show(check));
    assert.match(check.stdout, new RegExp(`requested\\s+${a.slice(0, 10)}`));
    assert.match(check.stdout, /review requested from senior@example\.com, senior2@example\.com/);

    const file = path.join(r.dir, '..', `${path.basename(r.dir)}-packet.md`);
    try {
      const out = r.cli(['request-review', '--to', 'senior@example.com', '--out', file, '--base', 'main'], {
        as: junior(),
      });
      assert.equal(out.status, 0, show(out));
      assert.match(fs.readFileSync(file, 'utf8'), /^# AI sign-off requested/);
      assert.match(out.stdout, /packet written to/);
    } finally {
      fs.rmSync(file, { force: true });
    }
  });

  it('request-review refuses an address that is not in the roster (exit 2)', () => {
    const r = repo({ seniors: [senior()] });
    r.aiCommit(junior(), 'src/a.ts', 1);
    const result = r.cli(['request-review', '--to', 'someone@example.com', '--base', 'main'], { as: junior() });
    assert.equal(result.status, 2, show(result));
    assert.match(
      result.stderr,
      /not in \.ai-provenance\/allowed_signers at main: someone@example\.com; the seniors listed there are: senior@example\.com/,
    );
    assert.equal(fs.existsSync(path.join(r.dir, '.git', 'ai-provenance', 'review-requests.json')), false);
    const none = r.cli(['request-review', '--base', 'main'], { as: junior() });
    assert.equal(none.status, 2);
    assert.match(none.stderr, /needs --to EMAIL/);
  });

  it('--format json has the documented shape', () => {
    const r = repo();
    const a = r.aiCommit(junior(), 'src/a.ts', 2);
    r.commitAs(junior(), 'chore: hand\n', { files: { 'h.txt': 'h\n' } });
    const result = r.check('--format', 'json');
    assert.equal(result.status, 1, show(result));
    const json = JSON.parse(result.stdout);
    assert.equal(json.version, 1);
    assert.equal(json.ok, false);
    assert.equal(json.base.rev, 'main');
    assert.match(json.base.commit, /^[0-9a-f]{40}$/);
    assert.equal(json.head.rev, 'HEAD');
    assert.equal(json.head.commit, r.head());
    assert.equal(json.policy.source, 'default');
    assert.deepEqual(json.policy.signoff, {
      minAiLines: 1,
      ignore: [],
      highRisk: [],
      highRiskSigners: 2,
      allowSelfSignoff: false,
      requireSignature: true,
      aiDeletions: true,
      seniorSignedCommits: false,
    });
    assert.deepEqual(json.roster, { present: true, keys: 1 });
    assert.deepEqual(json.summary, {
      commits: 2,
      aiCommits: 1,
      needSignoff: 1,
      pending: 1,
      requested: 0,
      'signed-off': 0,
      'self-signed': 0,
      stale: 0,
      unverified: 0,
      'changes-requested': 0,
    });
    assert.equal(json.commits.length, 1);
    const c = json.commits[0];
    assert.equal(c.commit, a);
    assert.equal(c.patchId, r.patchId(a));
    assert.equal(c.state, 'pending');
    assert.equal(c.needsSignoff, true);
    assert.deepEqual(c.author, { name: 'Jun Ior', email: 'junior@example.com' });
    assert.deepEqual(c.attribution, {
      added: 2,
      ai: 2,
      mixed: 0,
      unknown: 0,
      tools: [{ tool: 'copilot', kind: 'inline', lines: 2 }],
    });
    assert.deepEqual(c.assistedBy, ['Copilot:gpt-4.1']);
    assert.equal(c.aiLines, 2);
    assert.deepEqual(c.landedIn, []);
    assert.equal(c.routing, null, 'no ownership at the base');
    assert.equal(c.selfSigned, null);
    assert.equal(json.owners, null);
    assert.equal(c.requiredSigners, 1);
    assert.deepEqual(json.signoffs, []);

    assert.equal(r.signOff(senior()).status, 0);
    const signed = JSON.parse(r.check('--format', 'json').stdout);
    assert.equal(signed.ok, true);
    assert.equal(signed.commits[0].state, 'signed-off');
    assert.equal(signed.commits[0].signers[0].email, 'senior@example.com');
    assert.match(signed.commits[0].signers[0].fingerprint, /^SHA256:/);
    assert.equal(signed.signoffs.length, 1);
    assert.equal(signed.signoffs[0].valid, true);
    assert.equal(signed.signoffs[0].signature.status, 'verified');
    assert.deepEqual(signed.signoffs[0].covers, [a]);
  });

  it('--format github prints ::error annotations and appends a job summary', () => {
    const r = repo({ policy: { signoff: { highRisk: ['infra/**'] } } });
    const a = r.aiCommit(junior(), 'infra/main.tf', 2, 'feat: infra, with: odd%chars');
    const summary = path.join(os.tmpdir(), `summary-${process.pid}-${Date.now()}.md`);
    fs.writeFileSync(summary, '# earlier step\n');
    try {
      const result = r.cli(['check', '--base', 'main', '--format', 'github'], {
        env: { GITHUB_STEP_SUMMARY: summary },
      });
      assert.equal(result.status, 1, show(result));
      const line = result.stdout.split('\n').find(l => l.startsWith('::error '));
      assert.ok(line, show(result));
      assert.equal(
        line.slice(0, line.indexOf('::', 2) + 2),
        `::error file=infra/main.tf,title=AI sign-off pending%3A ${a.slice(0, 10)}::`,
      );
      assert.match(line, /feat: infra, with: odd%25chars \(ai=2 mixed=0\): needs 2 distinct seniors/);
      const written = fs.readFileSync(summary, 'utf8');
      assert.match(
        written,
        /^# earlier step\n## AI sign-off check\n\n\*\*Failed\*\*: 1 of 1 AI-assisted commits are not signed off\./,
      );
      assert.match(
        written,
        new RegExp(
          `\\| pending \\| \`${a.slice(0, 10)}\` \\| feat\\\\: infra\\\\, with\\\\: odd\\\\%chars \\| Jun Ior \\| ai\\\\=2 mixed\\\\=0 \\(high-risk\\) \\|`,
        ),
      );
    } finally {
      fs.rmSync(summary, { force: true });
    }
  });

  it('exits 2 on a bad policy and names the key; on a bad roster and names the line', () => {
    const bad = repo({ policy: { version: 1, signoff: { highRiskSigners: 0 } } });
    bad.aiCommit(junior(), 'a.ts', 1);
    const r1 = bad.check();
    assert.equal(r1.status, 2, show(r1));
    assert.match(
      r1.stderr,
      /bad policy: \.ai-provenance\/policy\.json at main: signoff\.highRiskSigners must be a whole number >= 1 \(got 0\)/,
    );

    const unknownKey = repo({ policy: { signoff: { ignored: ['docs/**'] } } });
    const r2 = unknownKey.check();
    assert.equal(r2.status, 2, show(r2));
    assert.match(r2.stderr, /signoff\.ignored is not a policy key/);

    const roster = repo({ roster: `${senior().email} ${senior().publicKey}\nnot a key line\n` });
    const r3 = roster.check();
    assert.equal(r3.status, 2, show(r3));
    assert.match(r3.stderr, /\.ai-provenance\/allowed_signers at main: line 2: /);
  });

  it('says that nothing can be signed off when the base has no allowed_signers', () => {
    const r = repo({ roster: null });
    r.commitAs(junior(), 'chore: hand\n', { files: { 'a.txt': 'x\n' } });
    const clean = r.check();
    assert.equal(clean.status, 0, show(clean));
    assert.match(clean.stdout, /main has no \.ai-provenance\/allowed_signers: nothing can be signed off/);
    r.aiCommit(junior(), 'src/a.ts', 1);
    const result = r.check();
    assert.equal(result.status, 1, show(result));
    assert.match(result.stdout, /nobody can sign off: the base has no \.ai-provenance\/allowed_signers/);
    const sign = r.signOff(senior());
    assert.equal(sign.status, 2, show(sign));
    assert.match(sign.stderr, /has no \.ai-provenance\/allowed_signers/);
  });

  it('exits 3 with the fix for an unknown base, and 2 without --base', () => {
    const r = repo();
    const unknown = r.cli(['check', '--base', 'origin/nope']);
    assert.equal(unknown.status, 3, show(unknown));
    assert.match(
      unknown.stderr,
      /the base revision 'origin\/nope' is not a commit in this repository: fetch it \(e\.g\. git fetch origin nope\)/,
    );
    const missing = r.cli(['check']);
    assert.equal(missing.status, 2, show(missing));
    assert.match(missing.stderr, /check needs --base REV/);
    const format = r.cli(['check', '--base', 'main', '--format', 'xml']);
    assert.equal(format.status, 2);
    const option = r.cli(['check', '--base', '--head']);
    assert.equal(option.status, 2);
  });

  it('exits 3 on a shallow clone and says to fetch the history', () => {
    const r = repo();
    r.aiCommit(junior(), 'src/a.ts', 1);
    r.aiCommit(junior(), 'src/b.ts', 1);
    const parent = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'ai-provenance-shallow-')));
    try {
      const url = `file://${r.dir}`;
      execFileSync('git', ['clone', '-q', '--depth', '1', '--no-single-branch', '-b', 'feature', url, 'all'], {
        cwd: parent,
        stdio: 'ignore',
      });
      const cut = runCli(['-C', path.join(parent, 'all'), 'check', '--base', 'origin/main']);
      assert.equal(cut.status, 3, show(cut));
      assert.match(
        cut.stderr,
        /this clone is shallow and its history stops inside origin\/main\.\.HEAD.*git fetch --unshallow.*fetch-depth: 0/,
      );

      execFileSync('git', ['clone', '-q', '--depth', '1', '-b', 'feature', url, 'one'], {
        cwd: parent,
        stdio: 'ignore',
      });
      const noBase = runCli(['-C', path.join(parent, 'one'), 'check', '--base', 'origin/main']);
      assert.equal(noBase.status, 3, show(noBase));
      assert.match(
        noBase.stderr,
        /'origin\/main' is not a commit in this repository: this clone is shallow.*fetch-depth: 0/,
      );
    } finally {
      fs.rmSync(parent, { recursive: true, force: true });
    }
  });

  it('prints --help for check, sign-off and request-review', () => {
    for (const [name, usage] of [
      ['check', 'Usage: ai-provenance check --base REV [--head REV] [--format text|json|github]'],
      ['sign-off', 'Usage: ai-provenance sign-off [--base REV] [--message TEXT] [--yes] [--dry-run]'],
      [
        'request-review',
        'Usage: ai-provenance request-review [--to EMAIL...] [--base REV] [--push [--remote NAME]] [--message TEXT] [--out FILE]',
      ],
      ['request-changes', 'Usage: ai-provenance request-changes --message TEXT [--base REV] [--yes] [--dry-run]'],
    ] as const) {
      const r = runCli([name, '--help']);
      assert.equal(r.status, 0, show(r));
      assert.ok(r.stdout.startsWith(`${usage}\n`), r.stdout);
      assert.match(r.stdout, /Exit codes: 0 /);
    }
  });

  it('checks an explicit --head, and works from a subfolder', () => {
    const r = repo();
    const a = r.aiCommit(junior(), 'src/a.ts', 1);
    r.signOff(senior());
    fs.mkdirSync(path.join(r.dir, 'src', 'deep'), { recursive: true });
    const atA = runCli(['check', '--base', 'main', '--head', a], { cwd: path.join(r.dir, 'src') });
    assert.equal(atA.status, 1, show(atA));
    const atHead = runCli(['check', '--base', 'main'], { cwd: path.join(r.dir, 'src', 'deep') });
    assert.equal(atHead.status, 0, show(atHead));
  });

  it('needs two distinct seniors for a high-risk path and counts one senior once', () => {
    const r = repo({ seniors: [senior(), senior2()], policy: { signoff: { highRisk: ['.github/workflows/**'] } } });
    r.aiCommit(junior(), '.github/workflows/ci.yml', 2);
    assert.equal(r.signOff(senior()).status, 0);
    const one = r.check();
    assert.equal(one.status, 1, show(one));
    assert.match(
      one.stdout,
      /pending\s+[0-9a-f]{10}.*high-risk\]\n\s+1 of 2 seniors signed off \(senior@example\.com\)/,
    );
    const again = r.signOff(senior());
    assert.equal(again.status, 0, show(again));
    assert.match(again.stdout, /Left out, you already signed them off/);
    assert.match(again.stdout, /Nothing waits for your sign-off/);
    assert.equal(r.signOff(senior2()).status, 0);
    const two = r.check();
    assert.equal(two.status, 0, show(two));
    assert.match(two.stdout, /signed off by senior@example\.com, senior2@example\.com/);
  });
});

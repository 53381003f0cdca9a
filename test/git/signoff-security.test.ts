import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import {
  attribution,
  as,
  envAs,
  junior,
  outsider,
  person,
  rosterLine,
  senior,
  senior2,
  show,
  SignoffRepo,
  signoffReposPerTest,
} from '../support/signoff-fixture';

/**
 * Every forgery of issue 7 as its own test, with real keys and real commits: each must leave `check` at exit 1.
 * A sign-off is only as good as its SSH signature against the BASE's roster, bound to the patch id it lists.
 */

interface CheckJson {
  ok: boolean;
  commits: {
    commit: string;
    state: string | null;
    needsSignoff: boolean;
    aiLines: number | null;
    attributionError: string | null;
    claims: { defects: string[]; match: string }[];
  }[];
  signoffs: { commit: string; valid: boolean; defects: string[]; signature: { status: string } }[];
}

function checkJson(r: SignoffRepo): { status: number | null; json: CheckJson; raw: string } {
  const result = r.check('--format', 'json');
  return { status: result.status, json: JSON.parse(result.stdout) as CheckJson, raw: show(result) };
}

/** Writes a commit object as given (git hash-object, no cleanup) and moves the branch to it. */
function writeCommit(r: SignoffRepo, text: Buffer): string {
  const id = execFileSync('git', ['hash-object', '-t', 'commit', '-w', '--stdin', '--literally'], {
    cwd: r.dir,
    input: text,
    encoding: 'utf8',
  }).trim();
  r.git('update-ref', 'HEAD', id);
  return id;
}

function header(r: SignoffRepo, who: { name: string; email: string }): string {
  const tree = r.git('rev-parse', 'HEAD^{tree}').trim();
  const parent = r.head();
  return `tree ${tree}\nparent ${parent}\nauthor ${who.name} <${who.email}> 1767225600 +0000\ncommitter ${who.name} <${who.email}> 1767225600 +0000\n`;
}

describe('sign-off forgeries leave check at 1 (real keys, real signatures)', () => {
  const repo = signoffReposPerTest();

  it('a Reviewed-by and AI-Signoff typed by the author into the AI commit itself prove nothing', () => {
    const r = repo();
    r.write('src/a.ts', 'x\n');
    r.git('add', '-A');
    // The author can even compute the patch id in advance; the trailer is still only text.
    const patchId = execFileSync('git', ['patch-id', '--verbatim'], {
      cwd: r.dir,
      input: execFileSync('git', ['diff', '--cached', '--full-index', '--no-renames'], { cwd: r.dir }),
      encoding: 'utf8',
    }).split(' ')[0]!;
    const c = r.commitAs(
      junior(),
      `feat: a\n\n${attribution(1)}\nReviewed-by: Sen Ior <senior@example.com>\nAI-Signoff: ${patchId} ${'0'.repeat(40)}\n`,
    );
    const { status, json, raw } = checkJson(r);
    assert.equal(status, 1, raw);
    assert.equal(json.commits.find(x => x.commit === c)!.state, 'pending');
  });

  it('an unsigned sign-off commit typed by the author leaves the commits unverified', () => {
    const r = repo();
    const a = r.aiCommit(junior(), 'src/a.ts', 2);
    const s = r.manualSignoff(senior(), [a], { sign: false });
    const { status, json, raw } = checkJson(r);
    assert.equal(status, 1, raw);
    assert.equal(json.commits[0]!.state, 'unverified');
    assert.equal(json.signoffs.find(x => x.commit === s)!.signature.status, 'unsigned');
    assert.match(r.check().stdout, /is not signed/);
  });

  it('a sign-off signed by a key that is not in the roster is unverified, whatever name it claims', () => {
    const r = repo({ seniors: [senior()] });
    const a = r.aiCommit(junior(), 'src/a.ts', 2);
    // The junior signs with their own key and claims to be the senior.
    r.commitAs(junior(), r.signoffMessage(senior(), [a]), { sign: true, allowEmpty: true });
    let { status, json, raw } = checkJson(r);
    assert.equal(status, 1, raw);
    assert.equal(json.commits[0]!.state, 'unverified');
    assert.deepEqual(json.signoffs[0]!.defects, ['unknown-signer']);
    // An outsider signing as themselves fares no better.
    r.manualSignoff(outsider(), [a]);
    ({ status, json, raw } = checkJson(r));
    assert.equal(status, 1, raw);
    assert.deepEqual(
      json.signoffs.map(s => s.signature.status),
      ['unknown-signer', 'unknown-signer'],
    );
  });

  it("one senior's key cannot sign in another senior's name", () => {
    const r = repo({ seniors: [senior(), senior2()] });
    const a = r.aiCommit(junior(), 'src/a.ts', 2);
    r.commitAs(senior2(), r.signoffMessage(senior(), [a]), { sign: true, allowEmpty: true });
    const { status, json, raw } = checkJson(r);
    assert.equal(status, 1, raw);
    assert.equal(json.signoffs[0]!.signature.status, 'unknown-signer');
  });

  it('a roster changed on the branch is ignored: the base roster decides', () => {
    const r = repo({ seniors: [senior()] });
    const a = r.aiCommit(junior(), 'src/a.ts', 2);
    r.commitAs(junior(), 'chore: add me as a senior\n', {
      files: { '.ai-provenance/allowed_signers': rosterLine(senior(), junior()) },
    });
    r.manualSignoff(junior(), [a]);
    const result = r.check();
    assert.equal(result.status, 1, show(result));
    assert.match(result.stdout, /unverified\s+[0-9a-f]{10}\s+feat: src\/a\.ts/);
    const signOff = r.signOff(junior());
    assert.equal(signOff.status, 2, show(signOff));
    assert.match(signOff.stderr, /is not in \.ai-provenance\/allowed_signers at main/);
  });

  it('a policy changed on the branch is ignored: the base policy decides', () => {
    const r = repo();
    r.aiCommit(junior(), 'src/a.ts', 2);
    r.commitAs(junior(), 'chore: relax the policy\n', {
      files: {
        '.ai-provenance/policy.json': JSON.stringify({ version: 1, signoff: { ignore: ['**'], minAiLines: 100000 } }),
      },
    });
    const { status, json, raw } = checkJson(r);
    assert.equal(status, 1, raw);
    assert.equal(json.commits[0]!.state, 'pending');
    assert.equal(json.commits[0]!.needsSignoff, true);
  });

  it('the author cannot sign off their own AI commits by default; allowSelfSignoff allows it', () => {
    const r = repo({ seniors: [senior()] });
    const own = r.aiCommit(senior(), 'src/own.ts', 2);
    r.manualSignoff(senior(), [own]);
    const { status, json, raw } = checkJson(r);
    assert.equal(status, 1, raw);
    assert.equal(json.commits[0]!.state, 'unverified');
    assert.deepEqual(json.commits[0]!.claims[0]!.defects, ['self-signoff']);
    const cli = r.signOff(senior());
    assert.equal(cli.status, 2, show(cli));
    assert.match(cli.stderr, /every commit that waits for sign-off is your own/);

    const allowed = repo({ seniors: [senior()], policy: { signoff: { allowSelfSignoff: true } } });
    allowed.aiCommit(senior(), 'src/own.ts', 2);
    assert.equal(allowed.signOff(senior()).status, 0);
    const ok = allowed.check();
    assert.equal(ok.status, 0, show(ok));
  });

  it('a senior whose key is listed under two addresses cannot sign off their own commit under the other one', () => {
    const roster = `senior@example.com,alias@example.com ${senior().publicKey}\n`;
    const r = repo({ roster });
    const own = r.aiCommit(senior(), 'src/own.ts', 2);
    r.commitAs(senior(), r.signoffMessage(senior(), [own], { reviewedBy: 'Sen Ior <alias@example.com>' }), {
      sign: true,
      allowEmpty: true,
    });
    const { status, json, raw } = checkJson(r);
    assert.equal(status, 1, raw);
    assert.equal(json.signoffs[0]!.signature.status, 'verified');
    assert.deepEqual(json.commits[0]!.claims[0]!.defects, ['self-signoff']);
    const cli = r.cli(['sign-off', '--base', 'main', '--yes'], {
      env: envAs(senior(), { 'user.email': 'alias@example.com' }),
    });
    assert.equal(cli.status, 2, show(cli));
    assert.match(cli.stderr, /every commit that waits for sign-off is your own/);
  });

  it('a patch changed after the sign-off makes it stale', () => {
    const r = repo();
    const a = r.aiCommit(junior(), 'src/a.ts', 3);
    assert.equal(r.signOff(senior()).status, 0);
    const signoff = r.head();
    assert.equal(r.check().status, 0);
    // The change is edited under the sign-off (same author, same author date), and the senior's signed sign-off is
    // carried on top (re-signed by the senior: git drops signatures when it rewrites commits).
    r.git('reset', '-q', '--hard', a);
    r.write('src/a.ts', 'something else entirely\n');
    r.git('add', '-A');
    r.run([...as(junior()), 'commit', '-q', '--amend', '--no-edit', '--no-gpg-sign']);
    r.run([...as(senior()), 'cherry-pick', '--allow-empty', '-S', signoff]);
    const result = r.check();
    assert.equal(result.status, 1, show(result));
    assert.match(result.stdout, /stale\s+[0-9a-f]{10}\s+feat: src\/a\.ts/);
    assert.match(result.stdout, /but the patch is now [0-9a-f]{10}: it changed after the review/);
  });

  it('an amend or a rebase that keeps the patch keeps it signed off; an unsigned rewrite of the sign-off does not', () => {
    const r = repo();
    const a = r.aiCommit(junior(), 'src/a.ts', 3);
    assert.equal(r.signOff(senior()).status, 0);
    const signoff = r.head();
    // Reword the AI commit (same patch), then carry the senior's sign-off over, re-signed by the senior.
    r.git('reset', '-q', '--hard', a);
    r.run([...as(junior()), 'commit', '-q', '--amend', '-m', `feat: reworded\n\n${attribution(3)}`, '--no-gpg-sign']);
    r.run([...as(senior()), 'cherry-pick', '--allow-empty', '-S', signoff]);
    const amended = r.check();
    assert.equal(amended.status, 0, show(amended));

    // main moves on; the senior rebases the branch onto it with their signing setup.
    r.git('checkout', '-q', 'main');
    r.commitAs(senior2(), 'main moves on\n', { files: { 'other.txt': 'other\n' } });
    r.git('checkout', '-q', 'feature');
    r.run([...as(senior()), '-c', 'commit.gpgsign=true', 'rebase', '-q', 'main']);
    const rebased = r.check();
    assert.equal(rebased.status, 0, show(rebased));

    // The same rebase by the junior re-creates the sign-off unsigned: unverified, and the message says why.
    r.git('checkout', '-q', 'main');
    r.commitAs(senior2(), 'main moves on again\n', { files: { 'other.txt': 'again\n' } });
    r.git('checkout', '-q', 'feature');
    r.run([...as(junior()), '-c', 'commit.gpgsign=false', 'rebase', '-q', 'main']);
    const unsigned = r.check();
    assert.equal(unsigned.status, 1, show(unsigned));
    assert.match(unsigned.stdout, /unverified[\s\S]*loses its signature when it is rebased/);
  });

  it('a high-risk path needs the policy’s number of distinct seniors: one key under two names counts once', () => {
    const twoNames = person('Sen Ior', 'senior@example.com');
    const roster = `senior@example.com,alias@example.com ${twoNames.publicKey}\n${rosterLine(senior2())}`;
    const r = repo({ roster, policy: { signoff: { highRisk: ['db/migrations/**'], highRiskSigners: 2 } } });
    const a = r.aiCommit(junior(), 'db/migrations/001.sql', 2);
    r.manualSignoff(senior(), [a]);
    r.commitAs(senior(), r.signoffMessage(senior(), [a], { reviewedBy: 'Sen Ior <alias@example.com>' }), {
      sign: true,
      allowEmpty: true,
    });
    let { status, json, raw } = checkJson(r);
    assert.equal(status, 1, raw);
    assert.equal(json.commits[0]!.state, 'pending');
    assert.ok(
      json.signoffs.every(s => s.valid),
      raw,
    );
    r.manualSignoff(senior2(), [a]);
    ({ status, json, raw } = checkJson(r));
    assert.equal(status, 0, raw);
    assert.equal(json.commits[0]!.state, 'signed-off');
  });

  it('a signature copied from a genuine sign-off onto a forged one does not verify', () => {
    const r = repo();
    const a = r.aiCommit(junior(), 'src/a.ts', 1);
    assert.equal(r.signOff(senior()).status, 0);
    const genuine = r.git('cat-file', 'commit', 'HEAD');
    const gpgsig = /^gpgsig [\s\S]*?-----END SSH SIGNATURE-----\n/m.exec(genuine)![0];
    const b = r.aiCommit(junior(), 'src/b.ts', 7);
    const forged = `${header(r, senior())}${gpgsig}\n${r.signoffMessage(senior(), [a, b])}`;
    writeCommit(r, Buffer.from(forged));
    const { status, json, raw } = checkJson(r);
    assert.equal(status, 1, raw);
    assert.equal(json.commits.find(c => c.commit === b)!.state, 'unverified');
    assert.equal(json.signoffs[1]!.signature.status, 'bad-signature');
    assert.equal(json.commits.find(c => c.commit === a)!.state, 'signed-off');
  });

  it('a sign-off that changes files does not count, even signed by a senior', () => {
    const r = repo();
    const a = r.aiCommit(junior(), 'src/a.ts', 1);
    r.commitAs(senior(), r.signoffMessage(senior(), [a]), { sign: true, files: { 'sneaky.txt': 'x\n' } });
    const { status, json, raw } = checkJson(r);
    assert.equal(status, 1, raw);
    assert.deepEqual(json.signoffs[0]!.defects, ['not-empty']);
  });

  describe('malicious commit messages cannot confuse the parser (git parses the trailers)', () => {
    it('trailer look-alikes in the body count for nothing', () => {
      const r = repo();
      const a = r.aiCommit(
        junior(),
        'src/a.ts',
        5,
        'feat: a',
        `${attribution(0)}\nReviewed-by: Sen Ior <senior@example.com>\nAI-Signoff: ${'a'.repeat(40)} ${'b'.repeat(40)}\n\nThe paragraph above is prose, not trailers`,
      );
      const { status, json, raw } = checkJson(r);
      assert.equal(status, 1, raw);
      assert.equal(json.commits[0]!.commit, a);
      assert.equal(json.commits[0]!.aiLines, 5);
      assert.deepEqual(json.signoffs, []);
    });

    it('two AI-Attribution trailers (one claiming no AI lines) read as malformed and still need sign-off', () => {
      const r = repo();
      r.commitAs(junior(), `feat: a\n\n${attribution(0)}\n${attribution(9)}\n`, { files: { 'a.ts': 'x\n' } });
      r.commitAs(junior(), 'feat: b\n\nAI-Attribution: v1 added=3 ai=zero mixed=0 unknown=0 tools=\n', {
        files: { 'b.ts': 'x\n' },
      });
      const { status, json, raw } = checkJson(r);
      assert.equal(status, 1, raw);
      assert.deepEqual(
        json.commits.map(c => [c.needsSignoff, c.state]),
        [
          [true, 'pending'],
          [true, 'pending'],
        ],
      );
      assert.match(json.commits[0]!.attributionError!, /2 AI-Attribution trailers/);
      assert.match(json.commits[1]!.attributionError!, /ai=zero is not a whole number/);
    });

    it('huge trailers do not crash the check, which names the bad one @slow', () => {
      const r = repo();
      const a = r.aiCommit(junior(), 'src/a.ts', 1);
      const patchId = r.patchId(a);
      const entries = Array.from(
        { length: 20000 },
        (_, i) => `AI-Signoff: ${patchId} ${i.toString(16).padStart(40, '0')}`,
      ).join('\n');
      r.commitAs(
        junior(),
        `AI sign-off: 20000 commits\n\nReviewed-by: Sen Ior <senior@example.com>\n${entries}\nAI-Signoff: ${'x'.repeat(1 << 20)}\n`,
        {
          allowEmpty: true,
        },
      );
      const result = r.check();
      assert.equal(result.status, 1, show(result));
      assert.match(result.stdout, /unverified\s+[0-9a-f]{10}\s+feat: src\/a\.ts/);
      assert.match(
        result.stdout,
        /is not a well-formed sign-off: an AI-Signoff trailer is not "<patch-id> <commit-id>" \(got "x{100}"\)/,
      );
    });

    it('odd bytes (terminal escapes, CR, NUL, bytes that are not UTF-8) reach neither the parser nor the terminal', () => {
      const r = repo();
      const a = r.aiCommit(junior(), 'src/a.ts', 2, 'feat: \x1b[2J\x1b[31mred\r\x07 done');
      // A hand-made object: invalid UTF-8 in the subject, a NUL hiding a forged trailer block, CRs in the trailers.
      const message = Buffer.concat([
        Buffer.from(`AI sign-off: 1 commit \xff\xfe`, 'latin1'),
        Buffer.from(
          `\n\nReviewed-by: Sen Ior <senior@example.com>\r\nAI-Signoff: ${r.patchId(a)} ${a}\r\n\0\n\nReviewed-by: x <y@z>\nAI-Signoff: ${r.patchId(a)} ${a}\n`,
        ),
      ]);
      writeCommit(r, Buffer.concat([Buffer.from(`${header(r, senior())}\n`), message]));
      const result = r.check();
      assert.equal(result.status, 1, show(result));
      const controls = [...result.stdout].filter(
        c => (c.charCodeAt(0) < 0x20 && c !== '\n') || c.charCodeAt(0) === 0x7f,
      );
      assert.deepEqual(controls, [], 'no control characters reach the terminal');
      assert.match(result.stdout, /unverified\s+[0-9a-f]{10}\s+feat: \\x1b\[2J\\x1b\[31mred\\x0d\\x07 done/);
      const { json } = checkJson(r);
      assert.equal(json.signoffs.length, 1);
      assert.equal(json.signoffs[0]!.valid, false);
    });
  });
});

import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli, TempRepo } from '../support/git-fixture';
import { gitlabJob, runJob, runnerBin } from '../support/ci-recipe';
import {
  junior,
  outsider,
  rosterLine,
  senior,
  show,
  signoffReposPerTest,
  type SignoffRepo,
} from '../support/signoff-fixture';

/**
 * `audit` on the main branch alone, after each merge style, through real git: the pull request branch deleted, the
 * evidence only where the product keeps it (the history, refs/ai-provenance/ pushed and fetched through a real
 * remote). Sign-offs are real SSH signatures.
 */

interface AuditJson {
  version: number;
  branch: { rev: string; id: string };
  keptRefs: number;
  totals: { changes: number; aiAssisted: number; needSignoff: number; signedOff: number; exceptions: number };
  changes: {
    id: string;
    kind: string;
    via: string;
    status: string;
    subject: string;
    aiLines: number;
    keptBranches: { refs: string[] }[];
    signoffs: { reviewer: { email: string } | null; verified: boolean; defects: string[] }[];
    exceptions: { code: string; commit: string | null; detail: string }[];
  }[];
}

const FORGE = { name: 'GitHub', email: 'noreply@github.com' };
// The forge's clock runs a minute per merge from now: after the fixture's own commits, in the history's order.
let clock = Math.floor(Date.now() / 1000);

/** git as the forge's merge button: its own committer identity, a fixed clock, no signature. */
function forge(r: SignoffRepo, args: string[], input = ''): string {
  clock += 60;
  return r.run(['-c', `user.name=${FORGE.name}`, '-c', `user.email=${FORGE.email}`, ...args], {
    input,
    env: { GIT_COMMITTER_DATE: `${clock} +0000`, GIT_AUTHOR_DATE: `${clock} +0000` },
  });
}

/** The message GitHub proposes for a squash merge: the title, then each commit's message as a bullet. */
function githubSquashMessage(r: SignoffRepo, title: string, range: string): string {
  const ids = r.git('rev-list', '--reverse', range).trim().split('\n');
  const items = ids.map(id => {
    const subject = r.git('log', '-1', '--format=%s', id).trim();
    const body = r.git('log', '-1', '--format=%b', id).trim();
    return body ? `* ${subject}\n\n${body}` : `* ${subject}`;
  });
  return `${title}\n\n${items.join('\n\n')}\n`;
}

function squashMerge(r: SignoffRepo, branch: string, title: string): string {
  const message = githubSquashMessage(r, title, `main..${branch}`);
  r.git('checkout', '-q', 'main');
  r.git('merge', '-q', '--squash', branch);
  forge(r, ['commit', '-q', '--no-gpg-sign', '--cleanup=verbatim', '-F', '-'], message);
  r.git('branch', '-q', '-D', branch);
  return r.head();
}

function mergeCommit(r: SignoffRepo, branch: string, title: string): string {
  r.git('checkout', '-q', 'main');
  forge(r, ['merge', '-q', '--no-ff', '--no-gpg-sign', '-m', title, branch]);
  r.git('branch', '-q', '-D', branch);
  return r.head();
}

/** GitHub's "Rebase and merge": each commit recreated on main by the forge, signatures dropped. */
function rebaseMerge(r: SignoffRepo, branch: string): string {
  forge(r, ['rebase', '-q', '--no-gpg-sign', 'main', branch]);
  r.git('checkout', '-q', 'main');
  r.git('merge', '-q', '--ff-only', branch);
  r.git('branch', '-q', '-D', branch);
  return r.head();
}

function audit(dir: string, ...extra: string[]): { result: ReturnType<typeof runCli>; json?: AuditJson } {
  const result = runCli(['-C', dir, 'audit', '--branch', 'main', '--format', 'json', ...extra]);
  let json: AuditJson | undefined;
  try {
    json = JSON.parse(result.stdout) as AuditJson;
  } catch {
    json = undefined;
  }
  return { result, ...(json ? { json } : {}) };
}

/** A clone of `bare` with main only, as a scheduled audit job has it. */
function freshClone(bare: string): TempRepo {
  const clone = new TempRepo('ai-provenance-audit-clone-');
  clone.git('remote', 'add', 'origin', bare);
  clone.git('fetch', '-q', 'origin', 'main');
  clone.git('checkout', '-q', '-b', 'main', 'origin/main');
  return clone;
}

describe('audit: the rule kept on main after any merge style (real git, real SSH sign-offs)', () => {
  const repo = signoffReposPerTest();
  const clones: TempRepo[] = [];
  const dirs: string[] = [];
  afterEach(() => {
    for (const c of clones.splice(0)) c.dispose();
    for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  });

  function bareRemote(r: SignoffRepo): string {
    const bare = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'ai-provenance-origin-')));
    dirs.push(bare);
    execFileSync('git', ['init', '-q', '--bare', bare]);
    r.git('remote', 'add', 'origin', bare);
    return bare;
  }

  it('a squash merge: main alone lists the change with its verified sign-off, from the evidence pushed and fetched', () => {
    const r = repo();
    const bare = bareRemote(r);
    const a = r.aiCommit(junior(), 'src/a.ts', 4);
    r.commitAs(junior(), 'docs: by hand\n', { files: { 'docs/x.md': 'hand\n' } });
    const signed = r.signOff(senior());
    assert.equal(signed.status, 0, show(signed));
    const signoff = r.head();
    assert.equal(
      r.git('rev-parse', `refs/ai-provenance/signoffs/${signoff}`).trim(),
      signoff,
      'sign-off keeps its evidence ref',
    );
    const squash = squashMerge(r, 'feature', 'Add a (#1)');
    assert.notEqual(r.patchId(squash), r.patchId(a), 'the squash is a new change, not the AI commit');
    r.git('push', '-q', 'origin', 'main');
    const pushed = r.cli(['notes', 'push']);
    assert.equal(pushed.status, 0, show(pushed));

    // On main alone, with no evidence fetched: the squash message names AI lines, and nothing shows a sign-off.
    const clone = freshClone(bare);
    clones.push(clone);
    const before = audit(clone.dir);
    assert.equal(before.result.status, 1, show(before.result));
    const change = before.json!.changes.find(c => c.id === squash)!;
    assert.equal(change.status, 'exception');
    assert.equal(change.exceptions[0]!.code, 'no-signoff');
    // GitHub's message ends with the sign-off's trailers: a commit that says sign-off and changes files.
    assert.match(change.exceptions[0]!.detail, /says sign-off but it changes files/);
    assert.match(change.exceptions[0]!.detail, /notes fetch/);

    const fetched = runCli(['-C', clone.dir, 'notes', 'fetch']);
    assert.equal(fetched.status, 0, show(fetched));
    const after = audit(clone.dir);
    assert.equal(after.result.status, 0, show(after.result));
    const ok = after.json!.changes.find(c => c.id === squash)!;
    assert.equal(ok.status, 'signed-off');
    assert.equal(ok.via, 'kept-branch');
    assert.equal(ok.aiLines, 4);
    assert.deepEqual(ok.keptBranches[0]!.refs, [`refs/ai-provenance/signoffs/${signoff}`]);
    const counted = ok.signoffs.filter(s => s.defects.length === 0);
    assert.equal(counted.length, 1, JSON.stringify(ok.signoffs));
    assert.equal(counted[0]!.reviewer!.email, senior().email);
    assert.equal(counted[0]!.verified, true);
    assert.deepEqual(after.json!.totals, {
      ...after.json!.totals,
      aiAssisted: 1,
      needSignoff: 1,
      signedOff: 1,
      exceptions: 0,
    });

    const text = runCli(['-C', clone.dir, 'audit', '--branch', 'main']);
    assert.equal(text.status, 0, show(text));
    assert.match(text.stdout, /1 AI-assisted, 1 needed a senior's sign-off, 1 signed off, 0 exceptions/);
    assert.match(
      text.stdout,
      new RegExp(
        `${squash.slice(0, 10)}\\s+squash\\s+ai=4 mixed=0 deleted=0\\s+copilot/inline:4\\s+signed off by senior@example.com`,
      ),
    );
  });

  it('a squash of a branch nobody signed off is an exception, evidence or not', () => {
    const r = repo();
    r.aiCommit(junior(), 'src/a.ts', 3);
    r.git('update-ref', 'refs/ai-provenance/forge/origin/pull/7', 'feature');
    const squash = squashMerge(r, 'feature', 'Unreviewed (#7)');
    const { result, json } = audit(r.dir);
    assert.equal(result.status, 1, show(result));
    const change = json!.changes.find(c => c.id === squash)!;
    assert.equal(change.via, 'kept-branch', 'matched to the pull request head the forge kept');
    assert.equal(change.exceptions[0]!.code, 'no-signoff');
  });

  it('a squash of a branch a person changed after its sign-off is stale: the code on main is not what was signed', () => {
    const r = repo();
    const bare = bareRemote(r);
    r.aiCommit(junior(), 'src/a.ts', 2);
    assert.equal(r.signOff(senior()).status, 0);
    r.commitAs(junior(), 'docs: a typo\n', { files: { 'docs/y.md': 'by hand\n' } });
    r.git('push', '-q', 'origin', 'feature:refs/pull/3/head'); // what GitHub keeps for pull request 3
    const squash = squashMerge(r, 'feature', 'Feature (#3)');
    r.git('push', '-q', 'origin', 'main');
    assert.equal(r.cli(['notes', 'push']).status, 0);
    const clone = freshClone(bare);
    clones.push(clone);
    assert.equal(runCli(['-C', clone.dir, 'notes', 'fetch']).status, 0);
    const { result, json } = audit(clone.dir);
    assert.equal(result.status, 1, show(result));
    const change = json!.changes.find(c => c.id === squash)!;
    assert.deepEqual(
      change.exceptions.map(e => e.code),
      ['stale'],
    );
    assert.match(change.exceptions[0]!.detail, /no sign-off records this whole change/);
    assert.deepEqual(
      change.keptBranches.map(k => k.refs[0]),
      ['refs/ai-provenance/forge/origin/pull/3'],
    );

    // The same branch signed off once more after the last commit: nothing waits, so the sign-off lists no commit and
    // records the branch's whole change, which is the squash's.
    const again = repo();
    again.aiCommit(junior(), 'src/a.ts', 2);
    assert.equal(again.signOff(senior()).status, 0);
    again.commitAs(junior(), 'docs: a typo\n', { files: { 'docs/y.md': 'by hand\n' } });
    const record = again.signOff(senior());
    assert.equal(record.status, 0, show(record));
    assert.match(record.stdout, /no sign-off records the branch's whole change as it is now/);
    const recorded = again.git('log', '-1', '--format=%B');
    assert.match(recorded, /^AI sign-off: 0 commits\n/);
    assert.match(recorded, /^AI-Signoff-Range: [0-9a-f]{40} [0-9a-f]{40} [0-9a-f]{40}$/m);
    assert.equal(again.check().status, 0, 'check still passes with a sign-off that lists no commit');
    assert.match(again.signOff(senior()).stdout, /Nothing waits for your sign-off/, 'recorded once');
    const ok = squashMerge(again, 'feature', 'Feature (#4)');
    const signed = audit(again.dir);
    assert.equal(signed.result.status, 0, show(signed.result));
    assert.equal(signed.json!.changes.find(c => c.id === ok)!.status, 'signed-off');
  });

  it('an unsigned "sign-off" recording a crafted whole change clears nothing', () => {
    const r = repo();
    r.aiCommit(junior(), 'src/a.ts', 3);
    const squash = squashMerge(r, 'feature', 'Unreviewed (#5)');
    const parent = `${squash}^`;
    const crafted = r.run(['commit-tree', `${squash}^{tree}`, '-p', parent, '-m', 'plain commit'], {}).trim();
    const base = r.git('rev-parse', parent).trim();
    const whole = execFileSync('git', ['patch-id', '--verbatim'], {
      cwd: r.dir,
      input: execFileSync('git', ['diff-tree', '-p', '--full-index', '--no-renames', base, crafted], { cwd: r.dir }),
      encoding: 'utf8',
    }).split(' ')[0]!;
    const fake = r
      .run(['commit-tree', `${squash}^{tree}`, '-p', crafted, '-F', '-'], {
        input: `AI sign-off: 0 commits\n\nReviewed-by: Sen Ior <senior@example.com>\nAI-Signoff-Range: ${whole} ${base} ${crafted}\n`,
      })
      .trim();
    r.git('update-ref', `refs/ai-provenance/signoffs/${fake}`, fake);
    const { result, json } = audit(r.dir);
    assert.equal(result.status, 1, show(result));
    assert.equal(json!.changes.find(c => c.id === squash)!.status, 'exception');
  });

  it('a crafted range that shares a pull request head cannot hide the head that fails', () => {
    const r = repo();
    r.aiCommit(junior(), 'src/a.ts', 3);
    const head = r.aiCommit(junior(), 'src/b.ts', 2);
    r.git('update-ref', 'refs/ai-provenance/forge/origin/pull/1', head);
    const squash = squashMerge(r, 'feature', 'Two AI commits (#1)');
    // Its parent is the head, and it names the head as `to` with another `from`: the same head, another range.
    const decoy = r
      .run(['commit-tree', `${head}^{tree}`, '-p', head, '-F', '-'], {
        input:
          `AI sign-off: 0 commits\n\nReviewed-by: Sen Ior <senior@example.com>\nAI-Signoff-Range: ${'0'.repeat(40)} ${head}^ ${head}\n`.replace(
            `${head}^`,
            r.git('rev-parse', `${head}^`).trim(),
          ),
      })
      .trim();
    r.git('update-ref', `refs/ai-provenance/signoffs/${decoy}`, decoy);
    const { result, json } = audit(r.dir);
    assert.equal(result.status, 1, show(result));
    const change = json!.changes.find(c => c.id === squash)!;
    assert.equal(change.via, 'kept-branch', JSON.stringify(change));
    assert.equal(change.status, 'exception');
  });

  it('a kept branch cannot launder a squash: a signed commit replayed next to the AI code as "human" clears nothing', () => {
    const r = repo();
    const a = r.aiCommit(junior(), 'src/a.ts', 3);
    assert.equal(r.signOff(senior()).status, 0);
    mergeCommit(r, 'feature', 'Merge pull request #1');
    // An AI change pushed straight to main, nobody signed it.
    const s = r.aiCommit(junior(), 'src/s.ts', 4, 'feat: pushed to main');
    // A crafted branch from s^: a's file removed, a replayed (same patch id), s's content with no trailer.
    r.git('checkout', '-q', '-b', 'crafted', `${s}^`);
    r.git('rm', '-q', 'src/a.ts');
    r.git('commit', '-q', '-m', 'remove a');
    r.git('checkout', a, '--', 'src/a.ts');
    r.git('commit', '-q', '-C', a);
    r.git('checkout', s, '--', 'src/s.ts');
    r.git('commit', '-q', '-m', 'plain change');
    r.git('update-ref', 'refs/ai-provenance/forge/origin/pull/9', 'crafted');
    r.git('checkout', '-q', 'main');
    const { result, json } = audit(r.dir);
    assert.equal(result.status, 1, show(result));
    assert.equal(json!.changes.find(c => c.id === s)!.status, 'exception');
  });

  it('a squash whose message names AI lines, matched only to a kept branch with no AI commit, is an exception', () => {
    const r = repo();
    r.aiCommit(junior(), 'src/a.ts', 2);
    const tree = r.git('rev-parse', 'feature^{tree}').trim();
    const main = r.git('rev-parse', 'main').trim();
    // Someone pushes a "human" branch with the same change to the evidence namespace.
    const fake = r.run(['commit-tree', tree, '-p', main, '-m', 'plain commit'], {}).trim();
    r.git('update-ref', 'refs/ai-provenance/forge/origin/pull/9', fake);
    const squash = squashMerge(r, 'feature', 'Sneaky (#8)');
    const { result, json } = audit(r.dir);
    assert.equal(result.status, 1, show(result));
    const change = json!.changes.find(c => c.id === squash)!;
    assert.equal(change.exceptions[0]!.code, 'evidence-mismatch', JSON.stringify(change));
  });

  it('a merge commit: the branch deleted, the history alone shows the sign-off; unsigned is an exception', () => {
    const r = repo();
    r.aiCommit(junior(), 'src/a.ts', 3);
    assert.equal(r.signOff(senior()).status, 0);
    const merged = mergeCommit(r, 'feature', 'Merge pull request #1');
    for (const ref of r.git('for-each-ref', '--format=%(refname)', 'refs/ai-provenance/').trim().split('\n'))
      if (ref) r.git('update-ref', '-d', ref);
    r.git('checkout', '-q', '-b', 'second');
    const bad = r.aiCommit(junior(), 'src/b.ts', 2);
    const merged2 = mergeCommit(r, 'second', 'Merge pull request #2');
    const { result, json } = audit(r.dir);
    assert.equal(result.status, 1, show(result));
    const ok = json!.changes.find(c => c.id === merged)!;
    assert.equal(ok.kind, 'merge');
    assert.equal(ok.status, 'signed-off');
    assert.equal(ok.signoffs[0]!.verified, true);
    const ex = json!.changes.find(c => c.id === merged2)!;
    assert.equal(ex.status, 'exception');
    assert.deepEqual(
      ex.exceptions.map(e => [e.code, e.commit]),
      [['no-signoff', bad]],
    );
  });

  it('a rebase merge: the forge recreates the commits without signatures; the kept sign-off matches by patch id', () => {
    const r = repo();
    r.aiCommit(junior(), 'src/a.ts', 3);
    assert.equal(r.signOff(senior()).status, 0);
    r.git('checkout', '-q', 'main');
    r.commitAs(junior(), 'chore: main moved\n', { files: { 'other.txt': 'x\n' } });
    r.git('checkout', '-q', 'feature');
    const tip = rebaseMerge(r, 'feature');
    assert.doesNotMatch(r.git('cat-file', 'commit', tip), /gpgsig/, 'the rebased sign-off lost its signature');
    const { result, json } = audit(r.dir);
    assert.equal(result.status, 0, show(result));
    const ai = json!.changes.find(c => c.subject === 'feat: src/a.ts')!;
    assert.equal(ai.status, 'signed-off');
    assert.equal(ai.via, 'history');
    assert.ok(ai.signoffs.some(s => s.verified && s.defects.length === 0));

    // Without the kept sign-off, the rebased copy's missing signature shows.
    for (const ref of r.git('for-each-ref', '--format=%(refname)', 'refs/ai-provenance/').trim().split('\n'))
      if (ref) r.git('update-ref', '-d', ref);
    const without = audit(r.dir);
    assert.equal(without.result.status, 1, show(without.result));
    assert.equal(without.json!.changes.find(c => c.subject === 'feat: src/a.ts')!.exceptions[0]!.code, 'unverified');

    // An AI change nobody signed off, rebase-merged: an exception.
    r.git('checkout', '-q', '-b', 'unsigned');
    const raw = r.aiCommit(junior(), 'src/u.ts', 2, 'feat: unsigned');
    r.git('checkout', '-q', 'main');
    r.commitAs(junior(), 'chore: main moved again\n', { files: { 'other2.txt': 'y\n' } });
    rebaseMerge(r, 'unsigned');
    const unsigned = audit(r.dir).json!.changes.find(c => c.subject === 'feat: unsigned')!;
    assert.notEqual(unsigned.id, raw, 'the forge made a new commit');
    assert.deepEqual(
      unsigned.exceptions.map(e => e.code),
      ['no-signoff'],
    );
  });

  it('a fast-forward keeps the sign-off in the history; one by a key not in the roster is a not-senior exception', () => {
    const r = repo();
    r.aiCommit(junior(), 'src/a.ts', 2);
    assert.equal(r.signOff(senior()).status, 0);
    r.git('checkout', '-q', 'main');
    r.git('merge', '-q', '--ff-only', 'feature');
    r.git('checkout', '-q', 'feature');
    const bad = r.aiCommit(junior(), 'src/b.ts', 2);
    r.manualSignoff(outsider(), [bad]);
    r.git('checkout', '-q', 'main');
    r.git('merge', '-q', '--ff-only', 'feature');
    const { result, json } = audit(r.dir);
    assert.equal(result.status, 1, show(result));
    assert.equal(json!.changes.find(c => c.subject === 'feat: src/a.ts')!.status, 'signed-off');
    const ex = json!.changes.find(c => c.id === bad)!;
    assert.equal(ex.exceptions[0]!.code, 'not-senior');
    assert.equal(
      json!.changes.filter(c => c.subject.startsWith('AI sign-off')).length,
      0,
      'sign-offs are evidence, not changes',
    );
  });

  it('a merge that changes the roster itself, and a second roster started on a side branch, are exceptions', () => {
    const r = repo();
    r.commitAs(junior(), 'docs: notes\n', { files: { 'docs/n.md': 'n\n' } });
    r.git('checkout', '-q', 'main');
    // An "evil merge": the merge commit itself adds the outsider to the roster.
    r.git('merge', '-q', '--no-ff', '--no-commit', 'feature');
    fs.appendFileSync(path.join(r.dir, '.ai-provenance', 'allowed_signers'), rosterLine(outsider()));
    r.git('add', '-A');
    r.git('commit', '-q', '--no-gpg-sign', '-m', 'Merge docs');
    const evil = r.head();
    // A roster history of its own (an unrelated branch), merged with main's: neither start can be the rule's.
    r.git('checkout', '-q', '--orphan', 'side');
    r.git('rm', '-q', '-r', '--cached', '.');
    for (const f of fs.readdirSync(r.dir)) if (f !== '.git') fs.rmSync(path.join(r.dir, f), { recursive: true });
    r.write('.ai-provenance/allowed_signers', rosterLine(outsider()));
    r.git('add', '-A');
    r.git('commit', '-q', '-m', 'their own roster');
    const side = (): ReturnType<typeof runCli> => runCli(['-C', r.dir, 'audit', '--branch', 'side']);
    assert.equal(side().status, 0, `alone, its first roster starts the rule: ${show(side())}`);
    r.git('merge', '-q', '--no-edit', '-s', 'ours', '--allow-unrelated-histories', 'main');
    const both = side();
    assert.equal(both.status, 1, show(both));
    assert.match(both.stdout, /no-roster: [0-9a-f]{10} \(no AI-Attribution; changes \.ai-provenance\//);
    const { result, json } = audit(r.dir);
    assert.equal(result.status, 1, show(result));
    assert.deepEqual(
      json!.changes.find(c => c.id === evil)!.exceptions.map(e => [e.code, e.commit]),
      [['no-signoff', evil]],
    );
  });

  it('a committer time out of order is in every period; dates that do not exist are refused', () => {
    const r = repo();
    r.git('checkout', '-q', 'main');
    r.commitAs(junior(), 'chore: before\n', { files: { 'b.txt': 'b\n' } });
    const backdated = r.run(
      [
        ...['-c', 'user.name=Jun Ior', '-c', 'user.email=junior@example.com'],
        'commit',
        '-q',
        '--allow-empty',
        '-F',
        '-',
      ],
      {
        input: `feat: old\n\n${'AI-Attribution: v1 added=0 ai=0 mixed=0 unknown=0 tools= deleted=3'}\nAssisted-by: Copilot\n`,
        env: { GIT_COMMITTER_DATE: '2020-01-01T00:00:00Z' },
      },
    );
    void backdated;
    const hidden = r.head();
    r.commitAs(junior(), 'chore: after\n', { files: { 'c.txt': 'c\n' } });
    const today = new Date().toISOString().slice(0, 10);
    const { json } = audit(r.dir, '--since', today);
    const change = json!.changes.find(c => c.id === hidden)!;
    assert.ok(change, 'the backdated change is listed in a period it claims to be outside');
    assert.equal((change as unknown as { timeOutOfOrder: boolean }).timeOutOfOrder, true);
    for (const bad of ['2026-02-30', '2026-04-31', '2026-03-01T10:00:00']) {
      const refused = runCli(['-C', r.dir, 'audit', '--since', bad]);
      assert.equal(refused.status, 2, bad);
      assert.match(refused.stderr, /--since takes a date/);
    }
  });

  it('a sign-off found only in the kept evidence and made after the change landed is late', () => {
    const r = repo();
    r.git('checkout', '-q', 'main');
    const pushed = r.aiCommit(junior(), 'src/p.ts', 2, 'feat: pushed straight to main');
    r.git('checkout', '-q', '-b', 'later');
    const signed = r.cli(['sign-off', '--base', `${pushed}^`, '--yes'], {
      as: senior(),
      env: { GIT_COMMITTER_DATE: `${Math.floor(Date.now() / 1000) + 2 * 3600} +0000` },
    });
    assert.equal(signed.status, 0, show(signed));
    r.git('checkout', '-q', 'main');
    r.git('branch', '-q', '-D', 'later');
    const { result, json } = audit(r.dir);
    assert.equal(result.status, 1, show(result));
    assert.deepEqual(
      json!.changes.find(c => c.id === pushed)!.exceptions.map(e => [e.code, e.commit]),
      [['late-signoff', pushed]],
    );
  });

  it('small AI commits one after another by one author reach minAiLines together, as check counts a branch', () => {
    const r = repo({ policy: { version: 1, signoff: { minAiLines: 5 } } });
    const ids = [1, 2, 3].map(i => r.aiCommit(junior(), `src/s${i}.ts`, 2));
    assert.equal(r.check().status, 1, 'check: the branch has 6 AI lines');
    r.git('checkout', '-q', 'main');
    r.git('merge', '-q', '--ff-only', 'feature');
    const { result, json } = audit(r.dir);
    assert.equal(result.status, 1, show(result));
    for (const id of ids)
      assert.deepEqual(
        json!.changes.find(c => c.id === id)!.exceptions.map(e => e.code),
        ['no-signoff'],
      );
    assert.match(json!.changes.find(c => c.id === ids[0])!.exceptions[0]!.detail, /below minAiLines alone/);
  });

  it('--since and --until select changes by when they landed; bad dates and formats are refused', () => {
    const r = repo();
    r.aiCommit(junior(), 'src/a.ts', 2);
    const first = squashMerge(r, 'feature', 'Old (#1)');
    r.git('checkout', '-q', '-b', 'f2');
    r.commitAs(junior(), 'docs: later\n', { files: { 'docs/z.md': 'z\n' } });
    const second = squashMerge(r, 'f2', 'New (#2)');
    const landed = (id: string): string => r.git('log', '-1', '--format=%cI', id).trim();
    const cut = new Date(Date.parse(landed(second)) - 1000).toISOString();
    const late = audit(r.dir, '--since', cut);
    assert.equal(late.result.status, 0, show(late.result));
    assert.deepEqual(
      late.json!.changes.map(c => c.id),
      [second],
    );
    const early = audit(r.dir, '--until', new Date(Date.parse(landed(first)) + 1000).toISOString());
    assert.equal(early.result.status, 1);
    assert.ok(early.json!.changes.some(c => c.id === first));
    assert.ok(!early.json!.changes.some(c => c.id === second));

    const bad = runCli(['-C', r.dir, 'audit', '--since', 'last tuesday']);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /--since takes a date, YYYY-MM-DD/);
    const fmt = runCli(['-C', r.dir, 'audit', '--format', 'pdf']);
    assert.equal(fmt.status, 2);
    assert.match(fmt.stderr, /--format takes one of text, json, csv, md/);
  });

  it('csv and md: one row per change, hostile subjects made inert', () => {
    const r = repo();
    r.aiCommit(junior(), 'src/a.ts', 2, '=HYPERLINK("http://x") [click](http://evil) <b>');
    r.git('checkout', '-q', 'main');
    r.git('merge', '-q', '--ff-only', 'feature');
    const csv = runCli(['-C', r.dir, 'audit', '--branch', 'main', '--format', 'csv']);
    assert.equal(csv.status, 1, show(csv));
    const rows = csv.stdout.trimEnd().split('\r\n');
    assert.match(rows[0]!, /^landed_at,change,kind,via,status,subject,/);
    assert.equal(rows.length, 3, csv.stdout); // header, the base commit, the AI commit
    assert.match(csv.stdout, /,"'=HYPERLINK\(""http:\/\/x""\) \[click\]\(http:\/\/evil\) <b>",/);
    const md = runCli(['-C', r.dir, 'audit', '--branch', 'main', '--format', 'md']);
    assert.equal(md.status, 1, show(md));
    assert.match(md.stdout, /## Exceptions/);
    assert.doesNotMatch(md.stdout, /\[click\]\(http/);
    assert.doesNotMatch(md.stdout, /<b>/);
  });

  it('the scheduled GitLab audit job of docs/ci.md runs as written: passes on kept evidence, fails on an unsigned squash', () => {
    const job = gitlabJob('The audit on a schedule');
    assert.deepEqual(job.under('rules'), ['- if: $CI_PIPELINE_SOURCE == "schedule"']);
    assert.deepEqual(job.under('variables'), ['GIT_DEPTH: "0"']);
    assert.deepEqual(job.under('paths'), ['- ai-signoff-audit.html']);
    const r = repo();
    const bare = bareRemote(r);
    r.aiCommit(junior(), 'src/a.ts', 3);
    assert.equal(r.signOff(senior()).status, 0);
    r.git('push', '-q', 'origin', 'feature:refs/merge-requests/1/head');
    squashMerge(r, 'feature', 'Add a');
    r.git('push', '-q', 'origin', 'main');
    assert.equal(r.cli(['notes', 'push']).status, 0);

    // As a runner checks out a scheduled pipeline: the default branch only, no kept refs.
    const tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'ai-provenance-audit-job-')));
    dirs.push(tmp);
    const work = path.join(tmp, 'work');
    execFileSync('git', ['clone', '-q', '--single-branch', '--branch', 'main', bare, work], { stdio: 'ignore' });
    const npmLog = path.join(tmp, 'npm.log');
    const bin = runnerBin(tmp, npmLog);
    const vars = { CI_PIPELINE_SOURCE: 'schedule', CI_DEFAULT_BRANCH: 'main', AUDIT_SINCE: '2026-01-01' };
    const passed = runJob(job, work, bin, vars);
    assert.equal(passed.status, 0, show(passed));
    assert.match(passed.stdout, /1 AI-assisted, 1 needed a senior's sign-off, 1 signed off, 0 exceptions/);
    assert.deepEqual(
      fs.readFileSync(npmLog, 'utf8').trim().split('\n')[0],
      '["install","-g","ai-provenance-cli@0.1.0"]',
    );
    assert.match(fs.readFileSync(path.join(work, 'ai-signoff-audit.html'), 'utf8'), /<title>AI sign-off audit: /);

    // A squash nobody signed off reaches main: the next scheduled run fails, and still writes the report.
    r.git('checkout', '-q', '-b', 'two');
    r.aiCommit(junior(), 'src/b.ts', 2, 'feat: unsigned');
    squashMerge(r, 'two', 'Add b (#2)');
    r.git('push', '-q', 'origin', 'main');
    execFileSync('git', ['-C', work, 'pull', '-q', '--ff-only', 'origin', 'main'], { stdio: 'ignore' });
    fs.rmSync(path.join(work, 'ai-signoff-audit.html'));
    const failed = runJob(job, work, bin, vars);
    assert.equal(failed.status, 1, show(failed));
    assert.match(failed.stdout, /1 exception\./);
    assert.match(fs.readFileSync(path.join(work, 'ai-signoff-audit.html'), 'utf8'), /<b>no-signoff<\/b>/);
  });

  it('a shallow clone is refused with the fix', () => {
    const r = repo();
    r.aiCommit(junior(), 'src/a.ts', 2);
    r.git('checkout', '-q', 'main');
    r.git('merge', '-q', '--ff-only', 'feature');
    const shallow = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'ai-provenance-shallow-')));
    dirs.push(shallow);
    execFileSync('git', ['clone', '-q', '--depth', '1', `file://${r.dir}`, shallow]);
    const result = runCli(['-C', shallow, 'audit']);
    assert.equal(result.status, 3, show(result));
    assert.match(result.stderr, /shallow.*fetch --unshallow/);
  });
});

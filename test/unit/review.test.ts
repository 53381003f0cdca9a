import * as assert from 'node:assert/strict';
import { reviewCommentBlock, reviewFiles } from '../../src/core/review/review-files';
import { DEFAULT_POLICY, validatePolicy, type Policy } from '../../src/core/review/policy';
import {
  computeReview,
  parseReviewRequest,
  signoffTargets,
  type CommitFacts,
  type ReviewInput,
  type SignatureCheck,
  type SignoffFacts,
} from '../../src/core/review/review';
import { renderReviewPacket } from '../../src/core/review/packet';
import { loadRoster } from '../../src/core/review/roster';
import { parseOwners } from '../../src/core/review/owners';
import {
  formatSignoffMessage,
  interpretSignoff,
  formatChangesRequestMessage,
  parseSignoffSubject,
  signoffSubject,
  type Person,
  type Trailer,
} from '../../src/core/formats/signoff-message';

const KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAINJpAH/bBua0cBhqo3rFQuuDxwq9ojUZLjYr32OcBST5';
const KEY2 = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFlOUfFevLimv971bzR6g2eoi/RQ/qFuWnpavlzZWZ3K';
const roster = loadRoster(`senior@x.org ${KEY}\nsenior2@x.org ${KEY2}\n`);

const junior: Person = { name: 'Jun', email: 'junior@x.org' };
const senior: Person = { name: 'Sen', email: 'senior@x.org' };
const senior2: Person = { name: 'Sen2', email: 'senior2@x.org' };

const hex = (n: number, c: string): string => `${c}${n.toString(16).padStart(39, '0')}`;
const id = (n: number): string => hex(n, 'c');
const patch = (n: number): string => hex(n, 'f');

function aiCommit(n: number, extra: Partial<CommitFacts> = {}): CommitFacts {
  return {
    id: id(n),
    parents: [id(n - 1)],
    subject: `feat ${n}`,
    author: junior,
    authorTime: 1_700_000_000 + n,
    attribution: {
      kind: 'valid',
      attribution: { added: 10, ai: 4, mixed: 1, unknown: 0, tools: [{ tool: 'copilot', kind: 'inline', lines: 5 }] },
    },
    assistedBy: ['Copilot'],
    patchId: patch(n),
    paths: ['src/a.ts'],
    ...extra,
  };
}

function signoff(
  n: number,
  by: Person,
  entries: [string, string][],
  signature: SignatureCheck | 'ok' = 'ok',
  extra: Partial<SignoffFacts> = {},
): SignoffFacts {
  const trailers: Trailer[] = [
    { key: 'Reviewed-by', value: `${by.name} <${by.email}>` },
    ...entries.map(([p, c]) => ({ key: 'AI-Signoff', value: `${p} ${c}` })),
  ];
  const subject = signoffSubject(entries.length);
  return {
    id: id(n),
    parents: [id(n - 1)],
    subject,
    parsed: interpretSignoff(subject, trailers),
    empty: true,
    signature:
      signature === 'ok' ? { status: 'verified', principal: by.email, fingerprint: `SHA256:${by.email}` } : signature,
    ...extra,
  };
}

/** A linear branch of `count` commits (ids 1..count) on top of base id(0). */
function input(
  count: number,
  commits: CommitFacts[],
  signoffs: SignoffFacts[],
  extra: Partial<ReviewInput> = {},
): ReviewInput {
  const graph = new Map<string, string[]>();
  for (let i = 1; i <= count; i++) graph.set(id(i), [id(i - 1)]);
  return { policy: DEFAULT_POLICY, roster, graph, commits, signoffs, ...extra };
}

function policy(signoff: Record<string, unknown>): Policy {
  return validatePolicy({ signoff });
}

describe('review state model (docs/review.md)', () => {
  it('pending without sign-off; signed-off by a verified senior who is not the author', () => {
    const c = aiCommit(1);
    const pending = computeReview(input(1, [c], []));
    assert.equal(pending.commits[0]!.state, 'pending');
    assert.equal(pending.ok, false);
    assert.deepEqual(pending.counts, {
      pending: 1,
      requested: 0,
      'signed-off': 0,
      'self-signed': 0,
      stale: 0,
      unverified: 0,
      'changes-requested': 0,
    });

    const signed = computeReview(input(2, [c], [signoff(2, senior, [[patch(1), id(1)]])]));
    assert.equal(signed.commits[0]!.state, 'signed-off');
    assert.deepEqual(signed.commits[0]!.signers, [
      { email: 'senior@x.org', name: 'Sen', fingerprint: 'SHA256:senior@x.org' },
    ]);
    assert.equal(signed.ok, true);
    assert.deepEqual(signed.signoffs[0]!.covers, [id(1)]);
  });

  it('matches by patch id: a rebased commit with the same patch stays signed off', () => {
    const rebased = aiCommit(1, { id: id(91) });
    const graph = new Map([
      [id(91), [id(0)]],
      [id(2), [id(91)]],
    ]);
    const r = computeReview({ ...input(0, [rebased], [signoff(2, senior, [[patch(1), id(1)]])]), graph });
    assert.equal(r.commits[0]!.state, 'signed-off');
  });

  it('a sign-off before the commit does not count ("later on the same branch")', () => {
    const r = computeReview(input(2, [aiCommit(2)], [signoff(1, senior, [[patch(2), id(2)]])]));
    assert.equal(r.commits[0]!.state, 'pending');
  });

  it('stale when a valid sign-off lists the commit (or its rebased twin) with another patch id', () => {
    const same = computeReview(input(2, [aiCommit(1)], [signoff(2, senior, [[patch(77), id(1)]])]));
    assert.equal(same.commits[0]!.state, 'stale');
    assert.equal(same.commits[0]!.claims[0]!.listedPatchId, patch(77));

    const twin = aiCommit(1, { id: id(50), patchId: patch(51) });
    const graph = new Map([
      [id(50), [id(0)]],
      [id(2), [id(50)]],
    ]);
    const former = [{ id: id(1), author: junior, authorTime: twin.authorTime }];
    const r = computeReview({
      ...input(0, [twin], [signoff(2, senior, [[patch(1), id(1)]])]),
      graph,
      formerCommits: former,
    });
    assert.equal(r.commits[0]!.state, 'stale');
    const stranger = computeReview({
      ...input(0, [twin], [signoff(2, senior, [[patch(1), id(1)]])]),
      graph,
      formerCommits: [{ id: id(1), author: junior, authorTime: twin.authorTime + 1 }],
    });
    assert.equal(stranger.commits[0]!.state, 'pending', 'another author time is another commit');
  });

  it('unverified for every defect of a sign-off, each reported', () => {
    const cases: [SignoffFacts, string][] = [
      [signoff(2, senior, [[patch(1), id(1)]], { status: 'unsigned' }), 'unsigned'],
      [signoff(2, senior, [[patch(1), id(1)]], { status: 'bad-signature', detail: 'x' }), 'bad-signature'],
      [signoff(2, senior, [[patch(1), id(1)]], { status: 'unknown-signer' }), 'unknown-signer'],
      [signoff(2, senior, [[patch(1), id(1)]], { status: 'not-ssh' }), 'not-ssh'],
      [signoff(2, senior, [[patch(1), id(1)]], { status: 'unreadable', detail: 'x' }), 'unreadable'],
      [signoff(2, senior, [[patch(1), id(1)]], 'ok', { empty: false }), 'not-empty'],
      [signoff(2, senior, [[patch(1), id(1)]], 'ok', { parents: [id(1), id(9)] }), 'merge'],
      [signoff(2, senior, [[patch(1), id(1)]], { status: 'verified', principal: 'senior2@x.org' }), 'unknown-signer'],
    ];
    for (const [s, defect] of cases) {
      const r = computeReview(input(2, [aiCommit(1)], [s]));
      assert.equal(r.commits[0]!.state, 'unverified', defect);
      assert.ok(
        r.commits[0]!.claims[0]!.defects.includes(defect as never),
        `${defect}: ${JSON.stringify(r.commits[0]!.claims)}`,
      );
      assert.equal(r.ok, false);
    }
  });

  it('a malformed sign-off message is unverified even with a good signature', () => {
    const trailers: Trailer[] = [
      { key: 'Reviewed-by', value: 'Sen <senior@x.org>' },
      { key: 'Reviewed-by', value: 'Sen2 <senior2@x.org>' },
      { key: 'AI-Signoff', value: `${patch(1)} ${id(1)}` },
    ];
    const s: SignoffFacts = { ...signoff(2, senior, []), parsed: interpretSignoff('AI sign-off: 1 commit', trailers) };
    const r = computeReview(input(2, [aiCommit(1)], [s]));
    assert.equal(r.commits[0]!.state, 'unverified');
    assert.deepEqual(r.signoffs[0]!.defects, ['malformed']);
  });

  it('the author cannot sign off their own commit unless allowSelfSignoff', () => {
    const own = aiCommit(1, { author: { name: 'Sen', email: 'SENIOR@x.org' } });
    const s = signoff(2, senior, [[patch(1), id(1)]]);
    const r = computeReview(input(2, [own], [s]));
    assert.equal(r.commits[0]!.state, 'unverified');
    assert.deepEqual(r.commits[0]!.claims[0]!.defects, ['self-signoff']);
    const allowed = computeReview(input(2, [own], [s], { policy: policy({ allowSelfSignoff: true }) }));
    assert.equal(allowed.commits[0]!.state, 'signed-off');
  });

  it('an author address that only looks different is still the signer (full-width, invisible characters, spaces)', () => {
    for (const lookalike of ['ｓｅｎｉｏｒ@x.org', 'sen\u200bior@x.org', ' senior@x.org\u202e', 'Senior@X.ORG']) {
      const own = aiCommit(1, { author: { name: 'Sen', email: lookalike } });
      const r = computeReview(input(2, [own], [signoff(2, senior, [[patch(1), id(1)]])]));
      assert.deepEqual(r.commits[0]!.claims[0]!.defects, ['self-signoff'], JSON.stringify(lookalike));
    }
  });

  it('a signer whose key is listed under several addresses is each of them (no self sign-off under an alias)', () => {
    const own = aiCommit(1, { author: senior });
    const alias: SignoffFacts = signoff(2, { name: 'Sen', email: 'alias@x.org' }, [[patch(1), id(1)]], {
      status: 'verified',
      principal: 'alias@x.org',
      fingerprint: 'SHA256:k',
      keyPrincipals: ['senior@x.org', 'alias@x.org'],
    });
    const r = computeReview(input(2, [own], [alias]));
    assert.equal(r.commits[0]!.state, 'unverified');
    assert.deepEqual(r.commits[0]!.claims[0]!.defects, ['self-signoff']);
    const forJunior = computeReview(input(2, [aiCommit(1)], [alias]));
    assert.equal(forJunior.commits[0]!.state, 'signed-off');
  });

  it('high-risk commits need highRiskSigners distinct signers; one person (same email or same key) counts once', () => {
    const c = aiCommit(1, { paths: ['infra/main.tf', 'src/a.ts'] });
    const p = policy({ highRisk: ['infra/**'], highRiskSigners: 2 });
    const one = computeReview(input(2, [c], [signoff(2, senior, [[patch(1), id(1)]])], { policy: p }));
    assert.equal(one.commits[0]!.highRisk, true);
    assert.deepEqual(one.commits[0]!.highRiskPaths, ['infra/main.tf']);
    assert.equal(one.commits[0]!.requiredSigners, 2);
    assert.equal(one.commits[0]!.state, 'pending');

    const twice = computeReview(
      input(
        3,
        [c],
        [
          signoff(2, senior, [[patch(1), id(1)]]),
          signoff(3, { ...senior, email: 'Senior@x.org' }, [[patch(1), id(1)]]),
        ],
        { policy: p },
      ),
    );
    assert.equal(twice.commits[0]!.signers.length, 1);
    assert.equal(twice.commits[0]!.state, 'pending');

    const alias: SignoffFacts = signoff(3, { name: 'Sen', email: 'alias@x.org' }, [[patch(1), id(1)]], {
      status: 'verified',
      principal: 'alias@x.org',
      fingerprint: 'SHA256:senior@x.org',
    });
    const sameKey = computeReview(input(3, [c], [signoff(2, senior, [[patch(1), id(1)]]), alias], { policy: p }));
    assert.equal(sameKey.commits[0]!.signers.length, 1, 'the same key under another name is the same person');

    const two = computeReview(
      input(3, [c], [signoff(2, senior, [[patch(1), id(1)]]), signoff(3, senior2, [[patch(1), id(1)]])], { policy: p }),
    );
    assert.equal(two.commits[0]!.state, 'signed-off');
    assert.equal(two.commits[0]!.signers.length, 2);
  });

  it('decides which commits need sign-off: minAiLines per commit and per branch, ignore, high-risk over ignore, malformed trailers', () => {
    const p = policy({ minAiLines: 3, ignore: ['docs/**', 'infra/generated/**'], highRisk: ['infra/**'] });
    const commits = [
      aiCommit(1, {
        attribution: { kind: 'valid', attribution: { added: 2, ai: 1, mixed: 1, unknown: 0, tools: [] } },
      }),
      aiCommit(2, { paths: ['docs/a.md', 'docs/b.md'] }),
      aiCommit(3, { paths: ['docs/a.md', 'src/a.ts'] }),
      aiCommit(4, {
        paths: ['infra/generated/x.tf'],
        attribution: { kind: 'valid', attribution: { added: 1, ai: 1, mixed: 0, unknown: 0, tools: [] } },
      }),
      aiCommit(5, { attribution: { kind: 'malformed', reason: 'bad' } }),
      aiCommit(6, {
        attribution: { kind: 'valid', attribution: { added: 3, ai: 0, mixed: 0, unknown: 3, tools: [] } },
        assistedBy: [],
      }),
      aiCommit(7, { patchId: undefined }),
    ];
    const r = computeReview(input(7, commits, [], { policy: p }));
    assert.deepEqual(
      r.commits.map(c => [c.needsSignoff, c.notNeeded ?? c.state, c.highRisk]),
      [
        // Below minAiLines alone, but the branch's AI lines together reach it.
        [true, 'pending', false],
        [false, 'ignored', false],
        [true, 'pending', false],
        [true, 'pending', true],
        [true, 'pending', false],
        [false, 'no-ai-lines', false],
        [false, 'no-changes', false],
      ],
    );
    assert.deepEqual(r.commits[0]!.needReason, { code: 'branch-threshold', branchAiLines: 8 });
    assert.equal(r.commits[4]!.aiLines, undefined);
    assert.equal(r.needingSignoff, 4);
    // Alone on its branch, the small commit stays below the threshold.
    const alone = computeReview(input(1, [commits[0]!], [], { policy: p }));
    assert.equal(alone.commits[0]!.notNeeded, 'below-threshold');
    // The same commit crediting an agent contradicts itself: unattested, whatever minAiLines says.
    const credited = computeReview(input(6, [{ ...commits[5]!, assistedBy: ['Copilot'] }], [], { policy: p }));
    assert.deepEqual(
      [credited.commits[0]!.needsSignoff, credited.commits[0]!.needReason],
      [true, { code: 'unattested', why: 'credited-agent' }],
    );
  });

  it('a change split into commits each below minAiLines still needs sign-off when together they reach it', () => {
    const p = policy({ minAiLines: 10 });
    const small = (n: number): CommitFacts =>
      aiCommit(n, {
        attribution: { kind: 'valid', attribution: { added: 4, ai: 4, mixed: 0, unknown: 0, tools: [] } },
      });
    const two = computeReview(input(2, [small(1), small(2)], [], { policy: p }));
    assert.deepEqual(
      two.commits.map(c => c.needsSignoff),
      [false, false],
      '8 lines in all: below 10',
    );
    const three = computeReview(input(3, [small(1), small(2), small(3)], [], { policy: p }));
    assert.deepEqual(
      three.commits.map(c => [c.needsSignoff, c.needReason]),
      [1, 2, 3].map(() => [true, { code: 'branch-threshold', branchAiLines: 12 }]),
    );
  });

  it('decides from the trailer and the touched paths, never from line ranges in notes (the review profile)', () => {
    const p = policy({ ignore: ['docs/**'], highRisk: ['auth/**'] });
    // The note (aiPaths) says the AI lines are in docs and src only; the commit also touches auth/login.ts.
    const c = aiCommit(1, {
      paths: ['docs/a.md', 'src/a.ts', 'auth/login.ts'],
      aiPaths: [
        { path: 'docs/a.md', aiLines: 7 },
        { path: 'src/a.ts', aiLines: 2 },
        { path: 'auth/login.ts', aiLines: 0 },
      ],
    });
    const withNote = computeReview(input(1, [c], [], { policy: p })).commits[0]!;
    const { aiPaths: _note, ...withoutNoteFacts } = c;
    const withoutNote = computeReview(input(1, [withoutNoteFacts], [], { policy: p })).commits[0]!;
    for (const r of [withNote, withoutNote]) {
      assert.equal(r.aiLines, 5, 'the trailer counts');
      assert.equal(r.highRisk, true, 'a touched high-risk path makes it high-risk, whatever a note says');
      assert.deepEqual(r.highRiskPaths, ['auth/login.ts']);
      assert.equal(r.requiredSigners, p.signoff.highRiskSigners);
    }
    // A note that puts every AI line in an ignored path does not make the commit ignored when its files are unknown.
    const onlyDocs = computeReview(
      input(1, [aiCommit(1, { aiPaths: [{ path: 'docs/a.md', aiLines: 3 }] })], [], { policy: p }),
    );
    assert.equal(onlyDocs.commits[0]!.needsSignoff, true);
  });

  it('requested when a review request names the commit or its patch', () => {
    const c = aiCommit(1);
    const byId = computeReview(
      input(1, [c], [], { requests: [{ at: '2026-01-01T00:00:00Z', to: ['senior@x.org'], commits: [{ id: id(1) }] }] }),
    );
    assert.equal(byId.commits[0]!.state, 'requested');
    const byPatch = computeReview(
      input(1, [aiCommit(1, { id: id(1) })], [], {
        requests: [{ at: '2026-01-01T00:00:00Z', to: ['s@x'], commits: [{ id: id(99), patchId: patch(1) }] }],
      }),
    );
    assert.equal(byPatch.commits[0]!.state, 'requested');
    const newest = computeReview(
      input(1, [c], [], {
        requests: [
          { at: '2026-01-01T00:00:00Z', to: ['a@x'], commits: [{ id: id(1) }] },
          { at: '2026-02-01T00:00:00Z', to: ['b@x'], commits: [{ id: id(1) }] },
        ],
      }),
    );
    assert.deepEqual(newest.commits[0]!.request!.to, ['b@x']);
  });

  it('orders the states: signed-off, then unverified, then stale, then requested, then pending', () => {
    const request = { at: '2026-01-01T00:00:00Z', to: ['senior@x.org'], commits: [{ id: id(1) }] };
    const staleAndForged = computeReview(
      input(
        3,
        [aiCommit(1)],
        [signoff(2, senior, [[patch(77), id(1)]]), signoff(3, senior, [[patch(1), id(1)]], { status: 'unsigned' })],
        { requests: [request] },
      ),
    );
    assert.equal(staleAndForged.commits[0]!.state, 'unverified');
    const staleRequested = computeReview(
      input(2, [aiCommit(1)], [signoff(2, senior, [[patch(77), id(1)]])], { requests: [request] }),
    );
    assert.equal(staleRequested.commits[0]!.state, 'stale');
    const all = computeReview(
      input(
        3,
        [aiCommit(1)],
        [signoff(2, senior, [[patch(1), id(1)]]), signoff(3, senior, [[patch(1), id(1)]], { status: 'unsigned' })],
      ),
    );
    assert.equal(all.commits[0]!.state, 'signed-off', 'a valid sign-off wins over a forged one');
  });

  it('nothing can be signed off without a roster, and says so', () => {
    const r = computeReview(input(2, [aiCommit(1)], [signoff(2, senior, [[patch(1), id(1)]])], { roster: undefined }));
    assert.equal(r.commits[0]!.state, 'unverified');
    assert.equal(r.commits[0]!.blocker, 'no-roster');
    assert.deepEqual(r.notes, [{ code: 'no-roster' }]);
    const empty = computeReview(input(1, [aiCommit(1)], [], { roster: loadRoster('# nobody\n') }));
    assert.equal(empty.commits[0]!.state, 'pending');
    assert.deepEqual(empty.notes, [{ code: 'empty-roster' }]);
    const nothing = computeReview(input(0, [], [], { roster: undefined }));
    assert.equal(nothing.ok, true);
  });

  it('notes when high-risk commits need more signers than the roster has keys', () => {
    const r = computeReview(
      input(1, [aiCommit(1, { paths: ['infra/x'] })], [], {
        policy: policy({ highRisk: ['infra/**'], highRiskSigners: 3 }),
      }),
    );
    assert.deepEqual(r.notes, [{ code: 'signers-exceed-roster', required: 3, available: 2 }]);
  });

  it('without requireSignature, a reviewer in the roster counts unsigned; one outside it does not', () => {
    const p = policy({ requireSignature: false });
    const ok = computeReview(
      input(2, [aiCommit(1)], [signoff(2, senior, [[patch(1), id(1)]], { status: 'not-required' })], { policy: p }),
    );
    assert.equal(ok.commits[0]!.state, 'signed-off');
    const stranger = computeReview(
      input(2, [aiCommit(1)], [signoff(2, junior, [[patch(1), id(1)]], { status: 'not-required' })], { policy: p }),
    );
    assert.equal(stranger.commits[0]!.state, 'unverified');
  });

  it('a commit whose diff holds NUL bytes cannot be signed off', () => {
    const r = computeReview(input(2, [aiCommit(1, { patchHasNul: true })], [signoff(2, senior, [[patch(1), id(1)]])]));
    assert.equal(r.commits[0]!.state, 'pending');
    assert.equal(r.commits[0]!.blocker, 'patch-has-nul');
    assert.deepEqual(signoffTargets(r), []);
  });

  it('counts right on huge sign-off messages @slow', () => {
    const entries: [string, string][] = Array.from({ length: 20_000 }, (_, i) => [patch(100_000 + i), id(100_000 + i)]);
    const commits = Array.from({ length: 300 }, (_, i) => aiCommit(i + 1));
    const parsed = signoff(0, senior, entries).parsed;
    const signoffs = Array.from({ length: 20 }, (_, i) => ({ ...signoff(301 + i, senior, []), parsed }));
    const r = computeReview(input(320, commits, signoffs));
    assert.equal(r.counts.pending, 300);
  });
});

describe('sign-off message (docs/formats.md)', () => {
  it('formats exactly as the contract says, with and without comments', () => {
    const entries = [
      { patchId: patch(1), commitId: id(1) },
      { patchId: patch(2), commitId: id(2) },
    ];
    assert.equal(
      formatSignoffMessage({ reviewer: senior, entries, comment: '  Looks right.\r\n\n\n\nChecked the tests.  \n' }),
      `AI sign-off: 2 commits\n\n  Looks right.\n\nChecked the tests.\n\nReviewed-by: Sen <senior@x.org>\nAI-Signoff: ${patch(1)} ${id(1)}\nAI-Signoff: ${patch(2)} ${id(2)}\n`,
    );
    assert.equal(
      formatSignoffMessage({ reviewer: { name: 'A <b>', email: 'a@x' }, entries: [entries[0]!] }),
      `AI sign-off: 1 commit\n\nReviewed-by: A b <a@x>\nAI-Signoff: ${patch(1)} ${id(1)}\n`,
    );
    assert.throws(() => formatSignoffMessage({ reviewer: { name: 'x', email: 'not an email' }, entries }));
  });

  it('reads the subject in its three spellings', () => {
    assert.equal(parseSignoffSubject('AI sign-off: 1 commit'), 1);
    assert.equal(parseSignoffSubject('AI sign-off: 12 commits'), 12);
    assert.equal(parseSignoffSubject('AI sign-off: 3 commit(s)'), 3);
    assert.equal(parseSignoffSubject('AI sign-off: 01 commits'), undefined);
    assert.equal(parseSignoffSubject('AI sign-off: lots'), undefined);
  });

  it('interprets git-parsed trailers and reports every problem', () => {
    const good = interpretSignoff('AI sign-off: 1 commit', [
      { key: 'reviewed-by', value: 'Sen Ior <senior@x.org>' },
      { key: 'AI-SIGNOFF', value: `${patch(1)} ${id(1)}` },
    ]);
    assert.deepEqual(good, {
      verdict: 'signoff',
      reviewer: { name: 'Sen Ior', email: 'senior@x.org' },
      entries: [{ patchId: patch(1), commitId: id(1) }],
      problems: [],
    });
    const bad = interpretSignoff('AI sign-off: 3 commits', [
      { key: 'Reviewed-by', value: 'nobody' },
      { key: 'AI-Signoff', value: `${patch(1)}` },
      { key: 'AI-Signoff', value: `${patch(1).toUpperCase()} ${id(1)}` },
    ]);
    assert.deepEqual(
      bad.problems.map(p => p.code),
      ['entry', 'entry', 'count-mismatch', 'reviewer-malformed'],
    );
    assert.deepEqual(
      interpretSignoff('hello', []).problems.map(p => p.code),
      ['no-entries', 'subject', 'reviewer-missing'],
    );
  });
});

describe('review requests and packets', () => {
  it('parses stored requests strictly', () => {
    const r = parseReviewRequest({
      at: '2026-01-01T00:00:00Z',
      to: ['a@x'],
      by: 'j@x',
      commits: [{ id: id(1), patchId: patch(1) }],
    });
    assert.deepEqual(r, {
      at: '2026-01-01T00:00:00Z',
      to: ['a@x'],
      by: 'j@x',
      commits: [{ id: id(1), patchId: patch(1) }],
    });
    assert.throws(() => parseReviewRequest({ at: 'never', to: [], commits: [] }), /"at"/);
    assert.throws(() => parseReviewRequest({ at: '2026-01-01T00:00:00Z', to: 'a@x', commits: [] }), /"to"/);
    assert.throws(() => parseReviewRequest({ at: '2026-01-01T00:00:00Z', to: [], commits: [{}] }), /"id"/);
  });

  it('renders a packet with per-file line ranges when known, everything escaped', () => {
    const c = aiCommit(1, {
      subject: 'feat: <script>alert(1)</script> | `x`',
      assistedBy: ['Claude:claude-sonnet-4-5'],
      aiPaths: [
        {
          path: 'src/a.ts',
          aiLines: 5,
          ranges: [{ start: 3, end: 7, tool: 'claude-code', kind: 'agent', model: 'claude-sonnet-4-5' }],
        },
      ],
    });
    const report = computeReview(input(1, [c], []));
    const text = renderReviewPacket({
      commits: report.commits,
      base: { rev: 'main', id: id(0) },
      head: { rev: 'HEAD', id: id(1) },
      branch: 'feature/x',
      signoffCommand: 'ai-provenance sign-off --base main',
    });
    assert.match(text, /^# AI sign-off requested: 1 commit on `feature\/x`\n/);
    assert.doesNotMatch(text, /<script>/);
    assert.match(text, /feat\\: &lt;script&gt;alert\\\(1\\\)&lt;\\\/script&gt; \\\| \\`x\\`/);
    assert.match(
      text,
      /- Files with AI lines:\n {2}- `src\/a\.ts`: lines 3-7 \(claude\\-code\\\/agent\\\/claude\\-sonnet\\-4\\-5\)/,
    );
    assert.match(text, /Assisted-by \(agents and models\): Claude\\:claude\\-sonnet\\-4\\-5/);
    assert.match(text, /runs `ai-provenance sign-off --base main`/);
  });

  it('lists the lines an AI removed, numbered in the parent, also for a file it only removed from', () => {
    const c = aiCommit(1, {
      aiPaths: [
        {
          path: 'src/a.ts',
          aiLines: 2,
          ranges: [{ start: 3, end: 4, tool: 'claude-code', kind: 'agent' }],
          removed: [{ start: 9, end: 9, tool: 'claude-code', kind: 'agent' }],
        },
        { path: 'src/guard.ts', aiLines: 0, removed: [{ start: 2, end: 3, tool: 'copilot', kind: 'chat' }] },
      ],
    });
    const text = renderReviewPacket({
      commits: computeReview(input(1, [c], [])).commits,
      base: { rev: 'main', id: id(0) },
      head: { rev: 'HEAD', id: id(1) },
      signoffCommand: 'ai-provenance sign-off --base main',
    });
    assert.ok(
      text.includes(
        "- `src/a.ts`: lines 3-4 (claude\\-code\\/agent); removed by AI: lines 9 (claude\\-code\\/agent) of the parent's version",
      ),
      text,
    );
    assert.ok(
      text.includes("- `src/guard.ts`: removed by AI: lines 2-3 (copilot\\/chat) of the parent's version"),
      text,
    );
  });

  it('shows a senior what is really there: no code span break-out, no links, bidi and invisible characters visible', () => {
    const c = aiCommit(1, {
      subject: 'fix: see https://evil.example/x and www.evil.example, ping admin@evil.example \u202eTXT.exe',
      aiPaths: [
        { path: 'src/a``b`c.ts', aiLines: 1 },
        { path: '`start.ts', aiLines: 1 },
        { path: 'zero\u200bwidth.ts', aiLines: 1 },
      ],
    });
    const text = renderReviewPacket({
      commits: computeReview(input(1, [c], [])).commits,
      base: { rev: 'main', id: id(0) },
      head: { rev: 'HEAD', id: id(1) },
      signoffCommand: 'ai-provenance sign-off --base main',
    });
    // A fence longer than the longest backtick run inside, padded when the text starts or ends with one.
    assert.ok(text.includes('- ```src/a``b`c.ts```'), text);
    assert.ok(text.includes('- `` `start.ts ``'), text);
    assert.ok(text.includes('zero\\u200bwidth.ts'), 'a zero-width space is shown as its code');
    assert.ok(!/[\u202e\u200b]/.test(text), 'no invisible or reordering character reaches the reader');
    assert.ok(text.includes('\\u202eTXT\\.exe'));
    // No autolink can form: the scheme's colon, the www dot and the @ are escaped.
    assert.ok(!/https:\/\/|www\.evil|admin@/.test(text), text);
    assert.ok(text.includes('https\\:\\/\\/evil\\.example'));
  });
});

describe('review files, comments and requests for changes', () => {
  it('lists files with AI lines first, binds "viewed" to the patch id, and treats a commit without a note as all to look at', () => {
    const noted = aiCommit(1, {
      paths: ['README.md', 'src/a.ts', 'src/gone.ts'],
      aiPaths: [
        { path: 'src/a.ts', aiLines: 2, ranges: [{ start: 3, end: 4, tool: 'copilot', kind: 'inline' }] },
        { path: 'src/gone.ts', aiLines: 0, removed: [{ start: 1, end: 5, tool: 'claude-code', kind: 'agent' }] },
      ],
    });
    const bare = aiCommit(2, { paths: ['src/b.ts'] });
    const report = computeReview(input(3, [noted, bare], []));
    const files = reviewFiles(report.commits);
    assert.deepEqual(
      files.map(f => `${f.path} ${f.needsLook} ${f.viewedKey}`),
      [
        `src/a.ts true ${patch(1)}:src/a.ts`,
        `src/gone.ts true ${patch(1)}:src/gone.ts`,
        `src/b.ts true ${patch(2)}:src/b.ts`,
        `README.md false ${patch(1)}:README.md`,
      ],
    );
    assert.deepEqual(files[0]!.aiRanges, [{ start: 3, end: 4, tool: 'copilot', kind: 'inline' }]);
    assert.equal(files[1]!.removedRanges.length, 1);
  });

  it('writes the review comments and the files not viewed into one block, each on one line', () => {
    const block = reviewCommentBlock({
      general: 'Mostly fine.',
      comments: [
        { commit: id(1), path: 'src/a.ts', line: 3, text: 'Use a constant\nfor the rate.' },
        { commit: id(1), path: 'src/b\u0007.ts', text: 'Whole file: ok' },
      ],
      notViewed: [{ commit: id(2), path: 'src/c.ts' }],
    });
    assert.equal(
      block,
      `Mostly fine.\n\nReview comments:\n- src/a.ts:3 (${id(1).slice(0, 12)}): Use a constant / for the rate.\n- src/b .ts (${id(1).slice(0, 12)}): Whole file: ok\n\nSigned without viewing every AI-assisted file; not viewed:\n- src/c.ts (${id(2).slice(0, 12)})`,
    );
    assert.equal(reviewCommentBlock({ comments: [], notViewed: [] }), '');
  });

  it('formats a request for changes that reads back as one, and never as a sign-off', () => {
    const message = formatChangesRequestMessage({
      reviewer: { name: 'Sen Ior', email: 'senior@x.org' },
      entries: [{ patchId: patch(1), commitId: id(1) }],
      comment: 'Handle the empty list.',
    });
    assert.equal(
      message,
      `AI changes requested: 1 commit\n\nHandle the empty list.\n\nReviewed-by: Sen Ior <senior@x.org>\nAI-Changes-Requested: ${patch(1)} ${id(1)}\n`,
    );
    const parsed = interpretSignoff('AI changes requested: 1 commit', [
      { key: 'Reviewed-by', value: 'Sen Ior <senior@x.org>' },
      { key: 'AI-Changes-Requested', value: `${patch(1)} ${id(1)}` },
    ]);
    assert.equal(parsed.verdict, 'changes-requested');
    assert.deepEqual(parsed.problems, []);
    // A changes subject over sign-off trailers: malformed, and not a sign-off.
    const mixed = interpretSignoff('AI changes requested: 1 commit', [
      { key: 'Reviewed-by', value: 'Sen Ior <senior@x.org>' },
      { key: 'AI-Signoff', value: `${patch(1)} ${id(1)}` },
    ]);
    assert.equal(mixed.verdict, 'changes-requested');
    assert.ok(mixed.problems.some(p => p.code === 'mixed-verdicts'));
    assert.throws(() =>
      formatChangesRequestMessage({ reviewer: { name: 'S', email: 's@x.org' }, entries: [], comment: 'x' }),
    );
    assert.throws(() =>
      formatChangesRequestMessage({
        reviewer: { name: 'S', email: 's@x.org' },
        entries: [{ patchId: patch(1), commitId: id(1) }],
        comment: '  ',
      }),
    );
  });

  it('a verified request for changes makes its commit changes-requested; a stale one does not stick', () => {
    const c = aiCommit(1);
    const changes = (n: number, listed: string): SignoffFacts => ({
      ...signoff(n, senior, []),
      subject: 'AI changes requested: 1 commit',
      parsed: interpretSignoff('AI changes requested: 1 commit', [
        { key: 'Reviewed-by', value: `${senior.name} <${senior.email}>` },
        { key: 'AI-Changes-Requested', value: `${listed} ${id(1)}` },
      ]),
    });
    const asked = computeReview(input(3, [c], [changes(2, patch(1))]));
    assert.equal(asked.commits[0]!.state, 'changes-requested');
    assert.equal(asked.ok, false);
    assert.equal(asked.commits[0]!.signers.length, 0);
    const stale = computeReview(input(3, [c], [changes(2, patch(9))]));
    assert.equal(stale.commits[0]!.state, 'pending');
  });
});

describe('ownership and senior-signed commits in the review model', () => {
  const reviewers = parseOwners('src/secure/ senior2@x.org\n', 'reviewers', '.ai-provenance/reviewers').owners;
  const codeowners = parseOwners('src/secure/ senior2@x.org @team\n', 'codeowners', 'CODEOWNERS').owners;
  const secure = (n: number, extra: Partial<CommitFacts> = {}): CommitFacts =>
    aiCommit(n, { paths: ['src/secure/a.ts', 'README.md'], ...extra });

  it('reviewers: a non-owner senior’s sign-off does not count (not-owner); an owner’s does', () => {
    const byOther = computeReview(
      input(2, [secure(1)], [signoff(2, senior, [[patch(1), id(1)]])], { ownership: reviewers }),
    );
    const c = byOther.commits[0]!;
    assert.equal(c.state, 'unverified');
    assert.deepEqual(c.claims[0]!.defects, ['not-owner']);
    assert.deepEqual(c.routing?.seniors, ['senior2@x.org']);
    assert.deepEqual(c.routing?.uncovered, ['src/secure/a.ts']);
    assert.equal(c.routing?.enforced, true);

    const byOwner = computeReview(
      input(2, [secure(1)], [signoff(2, senior2, [[patch(1), id(1)]])], { ownership: reviewers }),
    );
    assert.equal(byOwner.commits[0]!.state, 'signed-off');
    assert.equal(byOwner.ok, true);
  });

  it('reviewers: paths without owners allow any senior; once an owner signed, others count for high risk', () => {
    const free = computeReview(
      input(2, [aiCommit(1)], [signoff(2, senior, [[patch(1), id(1)]])], { ownership: reviewers }),
    );
    assert.equal(free.commits[0]!.state, 'signed-off');
    assert.deepEqual(free.commits[0]!.routing?.seniors, []);

    const risky = computeReview(
      input(3, [secure(1)], [signoff(2, senior, [[patch(1), id(1)]]), signoff(3, senior2, [[patch(1), id(1)]])], {
        ownership: reviewers,
        policy: policy({ highRisk: ['src/secure/**'] }),
      }),
    );
    assert.equal(risky.commits[0]!.state, 'signed-off');
    assert.equal(risky.commits[0]!.signers.length, 2);
  });

  it('CODEOWNERS is advisory: owners are proposed, any senior’s sign-off counts', () => {
    const r = computeReview(
      input(2, [secure(1)], [signoff(2, senior, [[patch(1), id(1)]])], { ownership: codeowners }),
    );
    assert.equal(r.commits[0]!.state, 'signed-off');
    const open = computeReview(input(1, [secure(1)], [], { ownership: codeowners }));
    assert.deepEqual(open.commits[0]!.routing, {
      source: 'codeowners',
      file: 'CODEOWNERS',
      enforced: false,
      paths: [{ path: 'src/secure/a.ts', owners: ['senior2@x.org'] }],
      seniors: ['senior2@x.org'],
      uncovered: [],
    });
  });

  it('advisory owners follow the note’s AI files (within the commit’s files); enforced owners every file it touches', () => {
    const noted = secure(1, { aiPaths: [{ path: 'README.md', aiLines: 3 }] });
    const advisory = computeReview(input(1, [noted], [], { ownership: codeowners })).commits[0]!;
    assert.deepEqual(advisory.routing?.seniors, [], 'the note says the AI lines are in README.md, which has no owner');
    const enforced = computeReview(input(1, [noted], [], { ownership: reviewers })).commits[0]!;
    assert.deepEqual(enforced.routing?.seniors, ['senior2@x.org'], 'a note cannot narrow who must sign');
  });

  const signedBy = (email: string): SignatureCheck => ({
    status: 'verified',
    principal: email,
    fingerprint: `SHA256:${email}`,
  });

  it('self-signed only with the policy and a verified signature for the author’s own address', () => {
    const own = aiCommit(1, { author: senior, authorSignature: signedBy('senior@x.org') });
    const on = policy({ seniorSignedCommits: true });
    const r = computeReview(input(1, [own], [], { policy: on }));
    assert.equal(r.commits[0]!.state, 'self-signed');
    assert.equal(r.ok, true);
    assert.equal(r.counts['self-signed'], 1);
    assert.equal(computeReview(input(1, [own], [])).commits[0]!.state, 'pending', 'off by default');
    const otherPrincipal = aiCommit(1, { author: senior, authorSignature: signedBy('senior2@x.org') });
    assert.equal(computeReview(input(1, [otherPrincipal], [], { policy: on })).commits[0]!.state, 'pending');
    const unsigned = aiCommit(1, { author: senior, authorSignature: { status: 'unsigned' } });
    assert.equal(computeReview(input(1, [unsigned], [], { policy: on })).commits[0]!.state, 'pending');
    // A senior's own signed change to the gate's files (the roster, the policy) still needs another senior.
    const roster = aiCommit(1, { author: senior, authorSignature: signedBy('senior@x.org'), touchesPolicy: true });
    assert.equal(computeReview(input(1, [roster], [], { policy: on })).commits[0]!.state, 'pending');
  });

  it('self-signed counts as one signer: a high-risk commit still needs the others', () => {
    const own = aiCommit(1, { author: senior, authorSignature: signedBy('senior@x.org') });
    const on = policy({ seniorSignedCommits: true, highRisk: ['src/**'] });
    const alone = computeReview(input(1, [own], [], { policy: on })).commits[0]!;
    assert.equal(alone.state, 'pending');
    assert.equal(alone.selfSigned?.email, 'senior@x.org');
    const withOther = computeReview(input(2, [own], [signoff(2, senior2, [[patch(1), id(1)]])], { policy: on }));
    assert.equal(withOther.commits[0]!.state, 'self-signed');
    assert.equal(withOther.commits[0]!.signers.length, 2);
  });
});

import * as assert from 'node:assert/strict';
import {
  compileGlobs,
  DEFAULT_POLICY,
  globProblem,
  parsePolicy,
  PolicyError,
  starterPolicy,
  validatePolicy,
} from '../../src/core/review/policy';
import {
  loadRoster,
  matchPrincipal,
  parseAllowedSigners,
  RosterError,
  starterAllowedSigners,
} from '../../src/core/review/roster';

// Real public keys (ssh-keygen -t ed25519 / -t rsa / -t ecdsa), used as data only.
const ED25519 = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAINJpAH/bBua0cBhqo3rFQuuDxwq9ojUZLjYr32OcBST5';
const ED25519_B = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFlOUfFevLimv971bzR6g2eoi/RQ/qFuWnpavlzZWZ3K';
const ECDSA =
  'ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBEHyY465Fl3fkEvdX4NxXOKCHcUfTBudXQSpqoL3z+rrB5yudgHy++gXK05A4wR73yR18KVvg+Yd6sMwVZSNfDU=';

function policyError(text: string): PolicyError {
  try {
    parsePolicy(text);
  } catch (error) {
    assert.ok(error instanceof PolicyError, String(error));
    return error;
  }
  assert.fail(`expected a PolicyError for ${text}`);
}

describe('policy.json (docs/review.md)', () => {
  it('gives every default for an empty object, and for each missing key', () => {
    assert.deepEqual(parsePolicy('{}'), DEFAULT_POLICY);
    assert.deepEqual(parsePolicy('{"version":1}'), DEFAULT_POLICY);
    assert.deepEqual(DEFAULT_POLICY, {
      version: 1,
      signoff: {
        minAiLines: 1,
        ignore: [],
        highRisk: [],
        highRiskSigners: 2,
        allowSelfSignoff: false,
        requireSignature: true,
        aiDeletions: true,
        seniorSignedCommits: false,
      },
      trailers: { onEveryCommit: false, coAuthoredBy: false },
    });
    const p = parsePolicy('{"signoff":{"highRisk":["infra/**"]},"trailers":{"coAuthoredBy":true}}');
    assert.deepEqual(p.signoff, { ...DEFAULT_POLICY.signoff, highRisk: ['infra/**'] });
    assert.deepEqual(p.trailers, { onEveryCommit: false, coAuthoredBy: true });
  });

  it('reads a full policy', () => {
    const text = JSON.stringify({
      version: 1,
      signoff: {
        minAiLines: 5,
        ignore: ['docs/**', '*.md'],
        highRisk: ['.github/workflows/**'],
        highRiskSigners: 3,
        allowSelfSignoff: true,
        requireSignature: false,
        seniorSignedCommits: true,
      },
      trailers: { onEveryCommit: true, coAuthoredBy: true },
    });
    const p = parsePolicy(text);
    assert.equal(p.signoff.seniorSignedCommits, true);
    assert.equal(p.signoff.minAiLines, 5);
    assert.deepEqual(p.signoff.ignore, ['docs/**', '*.md']);
    assert.equal(p.signoff.highRiskSigners, 3);
    assert.equal(p.signoff.requireSignature, false);
    assert.equal(p.trailers.onEveryCommit, true);
  });

  it('the starter policy is the defaults, as valid JSON', () => {
    assert.deepEqual(parsePolicy(starterPolicy()), DEFAULT_POLICY);
    assert.match(starterPolicy(), /^\{\n {2}"version": 1,\n {2}"signoff": \{\n {4}"minAiLines": 1,/);
  });

  it('names every bad key with its path', () => {
    const cases: [string, string, RegExp][] = [
      ['[]', '', /the policy must be a JSON object/],
      ['{"version":2}', 'version', /must be 1 \(got 2\)/],
      ['{"version":"1"}', 'version', /must be 1/],
      ['{"versoin":1}', 'versoin', /is not a policy key \(known: version, signoff, trailers\)/],
      ['{"signoff":[]}', 'signoff', /must be an object/],
      [
        '{"signoff":{"minAILines":1}}',
        'signoff.minAILines',
        /is not a policy key \(known in signoff: minAiLines, ignore/,
      ],
      ['{"signoff":{"minAiLines":0}}', 'signoff.minAiLines', /must be a whole number >= 1 \(got 0\)/],
      ['{"signoff":{"minAiLines":1.5}}', 'signoff.minAiLines', /must be a whole number >= 1/],
      ['{"signoff":{"minAiLines":"3"}}', 'signoff.minAiLines', /must be a whole number >= 1 \(got "3"\)/],
      ['{"signoff":{"highRiskSigners":0}}', 'signoff.highRiskSigners', /must be a whole number >= 1 \(got 0\)/],
      ['{"signoff":{"highRiskSigners":null}}', 'signoff.highRiskSigners', /must be a whole number >= 1 \(got null\)/],
      ['{"signoff":{"ignore":"docs/**"}}', 'signoff.ignore', /must be a list of glob patterns/],
      ['{"signoff":{"ignore":["ok/**", 3]}}', 'signoff.ignore[1]', /must be a glob pattern string \(got 3\)/],
      ['{"signoff":{"highRisk":[""]}}', 'signoff.highRisk[0]', /must not be empty/],
      ['{"signoff":{"highRisk":["!infra/**"]}}', 'signoff.highRisk[0]', /negation is not supported/],
      ['{"signoff":{"highRisk":["/infra/**"]}}', 'signoff.highRisk[0]', /must not start with "\/"/],
      ['{"signoff":{"highRisk":["infra\\\\**"]}}', 'signoff.highRisk[0]', /must use "\/" between folders/],
      ['{"signoff":{"allowSelfSignoff":"yes"}}', 'signoff.allowSelfSignoff', /must be true or false \(got "yes"\)/],
      ['{"signoff":{"requireSignature":0}}', 'signoff.requireSignature', /must be true or false/],
      ['{"signoff":{"seniorSignedCommits":"true"}}', 'signoff.seniorSignedCommits', /must be true or false/],
      ['{"trailers":{"onEveryCommit":1}}', 'trailers.onEveryCommit', /must be true or false/],
      ['{"trailers":{"coauthoredBy":true}}', 'trailers.coauthoredBy', /is not a policy key/],
      ['{"trailers":true}', 'trailers', /must be an object/],
    ];
    for (const [text, key, message] of cases) {
      const error = policyError(text);
      assert.equal(error.key, key, text);
      assert.match(error.message, message, text);
      if (key) assert.ok(error.message.startsWith(`${key} `), error.message);
    }
    assert.equal(
      policyError('{"signoff":{"highRiskSigners":0}}').message,
      'signoff.highRiskSigners must be a whole number >= 1 (got 0)',
    );
  });

  it('reports text that is not JSON, and accepts a byte order mark', () => {
    assert.match(policyError('{"version":1,}').message, /^the policy is not valid JSON: /);
    assert.match(policyError('').message, /not valid JSON/);
    assert.deepEqual(parsePolicy('\uFEFF{}'), DEFAULT_POLICY);
  });

  it('validates an already parsed value the same way', () => {
    assert.throws(
      () => validatePolicy({ signoff: { highRiskSigners: -1 } }),
      /signoff\.highRiskSigners must be a whole number >= 1/,
    );
  });
});

describe('globs over repository paths', () => {
  const m = (patterns: string[], p: string): boolean => compileGlobs(patterns).matches(p);

  it('matches ** across folders (also none), * and ? within one name', () => {
    assert.ok(m(['src/**/x.ts'], 'src/x.ts'));
    assert.ok(m(['src/**/x.ts'], 'src/a/b/x.ts'));
    assert.ok(m(['src/**'], 'src/a/b/c.ts'));
    assert.ok(!m(['src/**'], 'srcx/a.ts'));
    assert.ok(m(['src/*.ts'], 'src/a.ts'));
    assert.ok(!m(['src/*.ts'], 'src/a/b.ts'));
    assert.ok(m(['a?c'], 'abc'));
    assert.ok(!m(['a?c'], 'a/c'));
    assert.ok(m(['**'], 'any/thing'));
  });

  it('matches the whole path from the root: a pattern without / matches top-level names only', () => {
    assert.ok(m(['*.md'], 'README.md'));
    assert.ok(!m(['*.md'], 'docs/a.md'));
    assert.ok(m(['**/*.md'], 'docs/a.md'));
    assert.ok(m(['**/*.md'], 'README.md'));
  });

  it('matches dot files and folders like any other name', () => {
    assert.ok(m(['**/*.yml'], '.github/workflows/ci.yml'));
    assert.ok(m(['.github/workflows/*'], '.github/workflows/ci.yml'));
    assert.ok(m(['**'], '.env'));
  });

  it('knows {a,b} alternatives and [abc] classes', () => {
    assert.ok(m(['{infra,deploy}/**'], 'deploy/k8s/a.yaml'));
    assert.ok(m(['src/**/*.{ts,js}'], 'src/a/b.js'));
    assert.ok(!m(['src/**/*.{ts,js}'], 'src/a/b.css'));
    assert.ok(m(['db/migrations/[0-9]*.sql'], 'db/migrations/001_init.sql'));
    assert.ok(!m(['db/migrations/[0-9]*.sql'], 'db/migrations/init.sql'));
  });

  it('reads a trailing / as everything under that folder', () => {
    assert.ok(m(['infra/'], 'infra/a/b.tf'));
    assert.ok(!m(['infra/'], 'infrastructure/a.tf'));
  });

  it('is case-sensitive, and treats !, # and extglob characters without special powers', () => {
    assert.ok(!m(['docs/**'], 'Docs/a.md'));
    assert.ok(m(['#notes/*'], '#notes/a'));
    assert.ok(!m(['+(a|b)'], 'a'));
  });

  it('names the first matching pattern', () => {
    assert.equal(compileGlobs(['docs/**', '**/*.md']).firstMatch('docs/a.md'), 'docs/**');
    assert.equal(compileGlobs(['docs/**']).firstMatch('src/a.ts'), undefined);
  });

  it('rejects patterns that could never do what they seem to', () => {
    assert.equal(globProblem('ok/**'), undefined);
    assert.match(globProblem('./src/**')!, /must not start with "\.\/"/);
    assert.match(globProblem(' src')!, /spaces/);
    assert.match(globProblem('a\tb')!, /spaces|control/);
    assert.throws(
      () => compileGlobs(['ok', '/bad'], 'signoff.ignore'),
      /^PolicyError: signoff\.ignore\[1\] is relative to the repository root/,
    );
  });
});

describe('allowed_signers (OpenSSH allowed-signers format)', () => {
  it('parses principals, options, key and comment; skips comments and blank lines', () => {
    const text = [
      '# seniors',
      '',
      `senior@example.com ${ED25519} laptop key`,
      `"a@example.com,b@example.com" namespaces="git,file",valid-after="20260101" ${ED25519_B}`,
      `  *@example.org cert-authority ${ECDSA}`,
      `c@example.com ${ED25519}\r`,
    ].join('\n');
    const { entries, problems } = parseAllowedSigners(text);
    assert.deepEqual(problems, []);
    assert.equal(entries.length, 4);
    assert.deepEqual(entries[0], {
      line: 3,
      principals: ['senior@example.com'],
      certAuthority: false,
      keyType: 'ssh-ed25519',
      key: ED25519.split(' ')[1],
      comment: 'laptop key',
    });
    assert.deepEqual(entries[1]!.principals, ['a@example.com', 'b@example.com']);
    assert.deepEqual(entries[1]!.namespaces, ['git', 'file']);
    assert.equal(entries[1]!.validAfter, '20260101');
    assert.equal(entries[2]!.certAuthority, true);
    assert.equal(entries[2]!.keyType, 'ecdsa-sha2-nistp256');
    assert.equal(entries[3]!.line, 6);
  });

  it('reports every bad line with its number', () => {
    const text = [
      `ok@example.com ${ED25519}`,
      'just-a-name',
      'x@example.com ssh-ed25519',
      'x@example.com ssh-ed25519 not*base64',
      `x@example.com ssh-rsa ${ED25519.split(' ')[1]}`,
      `x@example.com ssh-foo ${ED25519.split(' ')[1]}`,
      `x@example.com frobnicate ${ED25519}`,
      `x@example.com valid-before=20270101 ${ED25519}`,
      `x@example.com valid-before="2027" ${ED25519}`,
      `"unterminated ${ED25519}`,
      `!x@example.com ${ED25519}`,
      `x@example.com ssh-ed25519 ${Buffer.from('\0\0\0\x0bssh-ed25519').toString('base64')}`,
      `x@example.com cert-authority,cert-authority ${ED25519}`,
    ].join('\n');
    const { entries, problems } = parseAllowedSigners(text);
    assert.equal(entries.length, 1);
    assert.deepEqual(
      problems.map(p => p.line),
      [2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13],
    );
    const byLine = new Map(problems.map(p => [p.line, p.message]));
    assert.match(byLine.get(2)!, /a key type and key must follow/);
    assert.match(byLine.get(3)!, /key \(base64\) is missing/);
    assert.match(byLine.get(4)!, /not valid base64/);
    assert.match(byLine.get(5)!, /is a "ssh-ed25519" key, not ssh-rsa/);
    assert.match(byLine.get(6)!, /unknown key type "ssh-foo"/);
    assert.match(byLine.get(7)!, /unknown option "frobnicate"/);
    assert.match(byLine.get(8)!, /valid-before needs a value in double quotes/);
    assert.match(byLine.get(9)!, /valid-before must be YYYYMMDD/);
    assert.match(byLine.get(10)!, /no closing quote/);
    assert.match(byLine.get(11)!, /match nobody/);
    assert.match(byLine.get(12)!, /truncated/);
    assert.match(byLine.get(13)!, /appears twice/);
    assert.throws(
      () => loadRoster(text),
      (error: unknown) =>
        error instanceof RosterError && /^line 2: /.test(error.message) && error.problems.length === 12,
    );
  });

  it('maps keys to principals and matches principals the way OpenSSH does', () => {
    const roster = loadRoster(
      `senior@example.com,alias@example.com ${ED25519}\n*@example.org,!bad@example.org ${ED25519_B}\n`,
    );
    assert.deepEqual(
      roster.entriesForKey('ssh-ed25519', ED25519.split(' ')[1]!).map(e => e.line),
      [1],
    );
    assert.deepEqual(roster.entriesForKey('ssh-ed25519', 'AAAA'), []);
    assert.ok(roster.allows('alias@example.com'));
    assert.ok(roster.allows('anyone@example.org'));
    assert.ok(!roster.allows('bad@example.org'));
    assert.ok(!roster.allows('Senior@example.com'), 'principals are case-sensitive, like ssh-keygen');
    assert.ok(roster.allowsEmail('Senior@Example.com'), 'a person typing an address is matched without case');
    assert.deepEqual(roster.plainPrincipals(), ['senior@example.com', 'alias@example.com']);
    assert.equal(roster.signerCapacity(), 2);
    assert.ok(matchPrincipal(['a*c'], 'abbbc'));
    assert.ok(matchPrincipal(['a?c'], 'abc'));
    assert.ok(!matchPrincipal(['a?c'], 'ac'));
    assert.ok(!matchPrincipal(['*', '!x'], 'x'));
  });

  it('an empty or comment-only roster is valid and empty', () => {
    assert.ok(loadRoster('').isEmpty);
    assert.ok(loadRoster(starterAllowedSigners()).isEmpty);
  });
});

import * as assert from 'node:assert/strict';
import { namedOwners, ownersOf, parseOwners, type OwnersSource } from '../../src/core/review/owners';

function owners(text: string, source: OwnersSource = 'reviewers') {
  const parsed = parseOwners(text, source, source === 'reviewers' ? '.ai-provenance/reviewers' : 'CODEOWNERS');
  return parsed;
}

/** The owners of each path, as one string per path ('' for none). */
function of(text: string, paths: string[], source: OwnersSource = 'reviewers'): string[] {
  const { owners: file, problems } = owners(text, source);
  assert.deepEqual(problems, []);
  return paths.map(p => ownersOf(file, p).join(' '));
}

describe('ownership files (CODEOWNERS syntax)', () => {
  it('the last matching line wins, and a line without owners clears ownership', () => {
    const text = [
      '# comment',
      '',
      '*            all@x.org',
      '*.ts         ts@x.org',
      '/src/gen/',
      'src/core/**  core@x.org core2@x.org',
    ].join('\n');
    assert.deepEqual(of(text, ['README.md', 'a/b.ts', 'src/gen/x.ts', 'src/core/review/r.ts', 'src/core']), [
      'all@x.org',
      'ts@x.org',
      '',
      'core@x.org core2@x.org',
      'all@x.org',
    ]);
  });

  it('anchors: a leading or inner slash anchors at the root; otherwise any depth', () => {
    const text = ['docs/ d@x.org', '/build b@x.org', 'lib/util u@x.org', 'Makefile m@x.org'].join('\n');
    assert.deepEqual(
      of(text, [
        'docs/a.md',
        'x/docs/a.md',
        'build/out.js',
        'x/build/out.js',
        'lib/util/a.ts',
        'x/lib/util/a.ts',
        'a/b/Makefile',
      ]),
      ['d@x.org', 'd@x.org', 'b@x.org', '', 'u@x.org', '', 'm@x.org'],
    );
  });

  it('a trailing slash matches folders only; a folder match covers what is under it', () => {
    const text = ['logs/ l@x.org', 'cache c@x.org'].join('\n');
    assert.deepEqual(of(text, ['logs', 'a/logs/x.txt', 'cache', 'cache/a/b', 'a/cache']), [
      '',
      'l@x.org',
      'c@x.org',
      'c@x.org',
      'c@x.org',
    ]);
  });

  it('docs/* owns only what is directly in docs/ (GitHub), docs/** everything under it', () => {
    const text = ['docs/* one@x.org', 'api/** all@x.org', 'a/**/z.ts z@x.org', '**/tmp t@x.org'].join('\n');
    assert.deepEqual(
      of(text, ['docs/a.md', 'docs/sub/b.md', 'api/a/b/c', 'api', 'a/z.ts', 'a/b/c/z.ts', 'x/tmp/y', 'tmp']),
      ['one@x.org', '', 'all@x.org', '', 'z@x.org', 'z@x.org', 't@x.org', 't@x.org'],
    );
  });

  it('wildcards stay within a folder name; ? and [classes] match one character', () => {
    const text = ['src/*.js j@x.org', 'file?.txt q@x.org', 'v[0-9].md v@x.org', 'n[!a].md n@x.org'].join('\n');
    assert.deepEqual(
      of(text, ['src/a.js', 'src/a/b.js', 'file1.txt', 'file12.txt', 'v7.md', 'vx.md', 'nb.md', 'na.md']),
      ['j@x.org', '', 'q@x.org', '', 'v@x.org', '', 'n@x.org', ''],
    );
  });

  it('escapes: "\\ " is a space, "\\#" a hash; # after white space starts a comment', () => {
    const text = ['my\\ file.txt s@x.org # who owns it', '\\#notes h@x.org', 'a.txt a@x.org #b@x.org'].join('\n');
    assert.deepEqual(of(text, ['my file.txt', '#notes', 'a.txt']), ['s@x.org', 'h@x.org', 'a@x.org']);
  });

  it('GitLab sections: the union of each section’s last match; defaults for lines without owners', () => {
    const text = [
      '* base@x.org',
      '[Backend] be@x.org',
      'src/',
      'src/ui/ ui@x.org',
      '^[Docs][2] docs@x.org',
      '*.md',
      '[backend]',
      'src/legacy/',
    ].join('\n');
    assert.deepEqual(of(text, ['src/a.ts', 'src/ui/b.ts', 'src/readme.md', 'x.md', 'src/legacy/a.ts']), [
      'base@x.org be@x.org',
      'base@x.org ui@x.org',
      'base@x.org be@x.org docs@x.org',
      'base@x.org docs@x.org',
      'base@x.org be@x.org',
    ]);
  });

  it('reviewers: bad lines are problems with their line numbers', () => {
    const { problems } = owners(
      [
        'ok.ts a@x.org',
        'x.ts @someone',
        '!neg a@x.org',
        'b.ts not-an-address',
        'bad[ a@x.org',
        '[] a@x.org',
        'c\u0007 a@x.org',
        'a//b a@x.org',
      ].join('\n'),
    );
    assert.deepEqual(
      problems.map(p => p.line),
      [2, 3, 4, 5, 6, 7, 8],
    );
    assert.match(problems[0]!.message, /@someone.*e-mail addresses of seniors/);
    assert.match(problems[1]!.message, /negation/);
    assert.match(problems[2]!.message, /neither an e-mail address nor a @user or @team/);
    assert.match(problems[3]!.message, /no closing "\]"/);
    assert.match(problems[4]!.message, /section header needs a name/);
    assert.match(problems[5]!.message, /control characters/);
  });

  it('CODEOWNERS: @users and teams are dropped (no key is tied to them), e-mail owners kept', () => {
    const { owners: file, problems } = owners('src/ @org/team a@x.org @bob\ndocs/ @org/docs\n', 'codeowners');
    assert.deepEqual(problems, []);
    assert.deepEqual(ownersOf(file, 'src/x.ts'), ['a@x.org']);
    assert.deepEqual(ownersOf(file, 'docs/x.md'), []);
    assert.deepEqual(namedOwners(file), [{ owner: 'a@x.org', line: 1 }]);
  });

  it('CRLF line ends and a byte order mark read like plain lines', () => {
    assert.deepEqual(of('\ufeff* a@x.org\r\nsrc/ b@x.org\r\n', ['x', 'src/y']), ['a@x.org', 'b@x.org']);
  });

  it('long paths and patterns stay fast (no backtracking blow-up)', () => {
    const text = `${'*a'.repeat(30)}*b x@x.org\n`;
    const start = Date.now();
    assert.deepEqual(of(text, ['a'.repeat(5000)]), ['']);
    assert.ok(Date.now() - start < 2000);
  });
});

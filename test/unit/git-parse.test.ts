import * as assert from 'node:assert/strict';
import {
  isNullBlob,
  parseBlamePorcelain,
  parseNameOnlyLog,
  parseRawDiff,
  parseStatus,
  splitNul,
} from '../../src/io/git/parse';

// Outputs as git 2.39 prints them (captured from a real repository; test/git/git-runner.test.ts runs the same
// parsers on live git output).
const A = '814f4a422927b82f5f8a43f8fab6d3839e3983f2';
const B = '286c5f5776916d7d7d5849988ca9d83e722cf9c2';
const C = '587be6b4c3f93f93c489c0111bba5596147a26cb';
const D = 'b77b4eb1d946f923f61785536da9ca5af0000000';
const Z = '0'.repeat(40);

describe('git output parsers (src/io/git/parse.ts)', () => {
  it('splitNul drops only the final terminator', () => {
    assert.deepEqual(splitNul('a\0b c\0\0'), ['a', 'b c', '']);
    assert.deepEqual(splitNul(''), []);
    assert.deepEqual(splitNul('no terminator'), ['no terminator']);
  });

  it('parseRawDiff reads renames (two paths), deletions and odd file names', () => {
    const out =
      `:100644 100644 ${A} ${A} R100\0a b.txt\0dir/é\nn.txt\0` +
      `:100644 000000 ${B} ${Z} D\0gone.txt\0` +
      `:100644 100644 ${C} ${D} M\0keep.txt\0` +
      `:000000 120000 ${Z} ${C} A\0link\0`;
    assert.deepEqual(parseRawDiff(out), [
      {
        oldMode: '100644',
        newMode: '100644',
        oldBlob: A,
        newBlob: A,
        status: 'R',
        score: 100,
        path: 'dir/é\nn.txt',
        oldPath: 'a b.txt',
      },
      { oldMode: '100644', newMode: '000000', oldBlob: B, newBlob: Z, status: 'D', path: 'gone.txt' },
      { oldMode: '100644', newMode: '100644', oldBlob: C, newBlob: D, status: 'M', path: 'keep.txt' },
      { oldMode: '000000', newMode: '120000', oldBlob: Z, newBlob: C, status: 'A', path: 'link' },
    ]);
    assert.ok(isNullBlob(Z) && !isNullBlob(A));
    assert.deepEqual(parseRawDiff(''), []);
  });

  it('parseRawDiff refuses what is not raw diff output, or stops inside a record', () => {
    assert.throws(() => parseRawDiff('diff --git a/x b/x\0'), /unexpected git diff --raw output/);
    assert.throws(() => parseRawDiff(`:100644 100644 ${A} ${B} R090\0only-one-path\0`), /ends inside a record/);
  });

  it('parseStatus reads the old path record of a rename, and untracked files', () => {
    const out = 'R  dir/é n.txt\0a b.txt\0D  gone.txt\0 M keep.txt\0?? untracked.txt\0';
    assert.deepEqual(parseStatus(out), [
      { index: 'R', worktree: ' ', path: 'dir/é n.txt', oldPath: 'a b.txt' },
      { index: 'D', worktree: ' ', path: 'gone.txt' },
      { index: ' ', worktree: 'M', path: 'keep.txt' },
      { index: '?', worktree: '?', path: 'untracked.txt' },
    ]);
    assert.throws(() => parseStatus('R  new\0'), /ends inside a rename/);
    assert.throws(() => parseStatus('garbage\0'), /unexpected git status output/);
  });

  it('parseBlamePorcelain keeps each commit header for its later lines, and text that starts like a header', () => {
    const first = 'fed80ab25e478be41b620e3cff8436e2cff710c9';
    const second = '5e1c08d5c2df462c21bffaecb00557ec1a91a89f';
    const out = [
      `${first} 1 1 1`,
      'author a',
      'summary init',
      'boundary',
      'filename old name.txt',
      '\tx',
      `${second} 2 2 2`,
      'author b',
      'previous fed80ab25e478be41b620e3cff8436e2cff710c9 keep.txt',
      'filename keep.txt',
      `\t${first} 9 9 9`,
      `${first} 2 3`,
      '\t\tindented',
      '',
    ].join('\n');
    assert.deepEqual(parseBlamePorcelain(out), [
      { commit: first, origLine: 1, finalLine: 1, origPath: 'old name.txt', text: 'x' },
      { commit: second, origLine: 2, finalLine: 2, origPath: 'keep.txt', text: `${first} 9 9 9` },
      { commit: first, origLine: 2, finalLine: 3, origPath: 'old name.txt', text: '\tindented' },
    ]);
    assert.throws(() => parseBlamePorcelain(`${first} 1 1 1\nauthor a\n`), /ends before the text/);
  });

  it('parseNameOnlyLog groups paths by commit, merges with no paths included', () => {
    const out = `\0${A}\0\nsrc/a.ts\0src/b c.ts\0\0${B}\0\0${C}\0\nx\0`;
    assert.deepEqual(
      [...parseNameOnlyLog(out)],
      [
        [A, ['src/a.ts', 'src/b c.ts']],
        [B, []],
        [C, ['x']],
      ],
    );
  });
});

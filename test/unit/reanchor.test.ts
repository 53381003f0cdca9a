import * as assert from 'node:assert/strict';
import { classifyLines } from '../../src/core/attribution/lines';
import { HUMAN, UNKNOWN, isAi, type AiOrigin, type Origin, type Run } from '../../src/core/attribution/origin';
import { reanchor } from '../../src/core/attribution/reanchor';
import { withSeed } from '../support/seed';
import {
  OUTSIDE_EDITS,
  applyOutsideEdit,
  cloneFile,
  fileRuns,
  fileText,
  randomFile,
  score,
} from '../support/outside-edits';
import { applyAll, labels, testEngine } from './support';

const ai: AiOrigin = { id: 'a', tool: 'copilot', kind: 'inline', at: '2026-01-01T00:00:00.000Z' };

function runsOf(...pieces: [string, Origin][]): { text: string; runs: Run[] } {
  return { text: pieces.map(p => p[0]).join(''), runs: pieces.map(([t, origin]) => ({ length: t.length, origin })) };
}

/** Labels per code unit of the new text, joined: `hhh aaa uuu` style, one letter each. */
function letters(runs: readonly Run[]): string {
  return labels(runs)
    .map(l => (l === 'h' || l === 'u' ? l : 'a'))
    .join('');
}

describe('re-anchoring', () => {
  it('keeps every origin when nothing changed', () => {
    const { text, runs } = runsOf(['one\n', HUMAN], ['two\n', ai]);
    assert.deepEqual(reanchor(text, runs, text).runs, runs);
  });

  it('makes an inserted line unknown and keeps the lines around it', () => {
    const { text, runs } = runsOf(['one\n', HUMAN], ['two\n', ai], ['three\n', HUMAN]);
    const result = reanchor(text, runs, 'one\ntwo\nNEW\nthree\n');
    assert.equal(letters(result.runs), 'hhhh' + 'aaaa' + 'uuuu' + 'hhhhhh');
    assert.equal(result.complete, true);
  });

  it('puts an inserted line that shares its start with the next line before it, whole (as git slides a hunk)', () => {
    const { text, runs } = runsOf(['// calc\n', HUMAN], ['export function total() {}\n', ai]);
    const inserted = 'export const zero = 0;\n';
    const result = reanchor(text, runs, `// calc\n${inserted}export function total() {}\n`);
    assert.equal(letters(result.runs), 'h'.repeat(8) + 'u'.repeat(inserted.length) + 'a'.repeat(27));
    assert.equal(classifyLines(`// calc\n${inserted}export function total() {}\n`, result.runs).classes, 'hua');
    // A deletion slides the same way: the removed line goes whole, the AI line keeps all of its characters.
    const back = reanchor(`// calc\n${inserted}export function total() {}\n`, result.runs, text);
    assert.equal(letters(back.runs), 'h'.repeat(8) + 'a'.repeat(27));
  });

  it('keeps the untouched words of an edited line (line diff, then tokens)', () => {
    const { text, runs } = runsOf(['head\n', HUMAN], ['return compute(a, b);\n', ai], ['tail\n', HUMAN]);
    const result = reanchor(text, runs, 'head\nreturn compute(a, c) + 1;\ntail\n');
    const line = classifyLines('head\nreturn compute(a, c) + 1;\ntail\n', result.runs);
    assert.equal(line.classes, 'hmh');
    // "return compute(a, " kept as AI, "c) + 1" partly new.
    assert.equal(
      letters(result.runs).slice(5, 5 + 'return compute(a, '.length),
      'a'.repeat('return compute(a, '.length),
    );
  });

  it('keeps the origins of a function moved below another (a move is not new text)', () => {
    const helper = 'function helper(price: number): number {\n  return round(price * 1.2);\n}\n';
    const main = 'export function main(): void {\n  console.log(helper(3));\n}\n';
    const { text, runs } = runsOf(['// shop\n', HUMAN], [helper, ai], ['\n', HUMAN], [main, HUMAN]);
    const moved = `// shop\n${main}\n${helper}`;
    const result = reanchor(text, runs, moved);
    // The blank line between them was removed at one place and added at the other: it says nothing, so it is new.
    assert.equal(classifyLines(moved, result.runs).classes, 'hhhhuaaa');
    assert.equal(
      letters(result.runs).slice(moved.length - helper.length),
      'a'.repeat(helper.length),
      'every character of the moved function kept its AI origin',
    );
  });

  it('keeps the origins of reordered imports, and of a block a formatter indented', () => {
    const a = "import { charge } from './payments';\n";
    const b = "import { audit } from './audit';\n";
    const { text, runs } = runsOf([a, ai], [b, HUMAN], ['run();\n', HUMAN]);
    const sorted = `${b}${a}run();\n`;
    assert.equal(classifyLines(sorted, reanchor(text, runs, sorted).runs).classes, 'hah');
    const block = runsOf(['if (x) {\n', HUMAN], ['return pay(x);\n', ai], ['}\n', HUMAN]);
    const indented = 'if (x) {\n  return pay(x);\n}\n';
    const after = reanchor(block.text, block.runs, indented);
    assert.equal(letters(after.runs).slice(9, 11), 'uu', 'the spaces the formatter put in are new');
    assert.equal(classifyLines(indented, after.runs).classes, 'hah', 'indentation alone does not make a line mixed');
    assert.equal(letters(after.runs).slice(11, 11 + 'return pay(x);\n'.length), 'a'.repeat(15));
  });

  it('does not call a short line that turns up elsewhere a move: a new `return x;` stays new', () => {
    const { text, runs } = runsOf(
      ['function a() {\n', HUMAN],
      ['  return x;\n', ai],
      ['}\n', HUMAN],
      ['tail();\n', HUMAN],
    );
    const after = 'function a() {\n}\ntail();\n  return x;\n';
    const result = reanchor(text, runs, after);
    assert.equal(classifyLines(after, result.runs).classes, 'hhhu');
  });

  it('keeps at least 98% of lines right over random outside changes of every kind, and no AI origin grows', async () => {
    // The goal, 99% (bench `reanchor.accuracy`, a fixed sample five times this size, measures 99.8%); 300 seeds of
    // this smaller sample went as low as 98.85%, so the test's bar leaves room for an unlucky seed.
    await withSeed('outside changes', async random => {
      let lines = 0;
      let right = 0;
      for (let t = 0; t < 60; t++) {
        const before = randomFile(random, 20 + Math.floor(random() * 120));
        const after = cloneFile(before);
        for (let e = 0; e < 3; e++)
          applyOutsideEdit(random, after, OUTSIDE_EDITS[Math.floor(random() * OUTSIDE_EDITS.length)]!);
        const result = reanchor(fileText(before), fileRuns(before), fileText(after));
        const s = score(after, result.runs);
        lines += s.lines;
        right += s.linesRight;
        // Every AI origin covers no more characters than it did: re-anchoring moves origins, never makes them.
        const count = (rs: readonly Run[], id: string): number =>
          rs.reduce((n, r) => n + (isAi(r.origin) && r.origin.id === id ? r.length : 0), 0);
        for (const id of ['a', 'c'])
          assert.ok(count(result.runs, id) <= count(fileRuns(before), id), `trial ${t}: AI ${id} grew`);
      }
      assert.ok(right / lines >= 0.98, `${right} of ${lines} lines right`);
    });
  });

  it('handles deletions, a rewrite of everything, and empty texts', () => {
    const { text, runs } = runsOf(['one\n', HUMAN], ['two\n', ai]);
    assert.equal(letters(reanchor(text, runs, 'one\n').runs), 'hhhh');
    assert.equal(letters(reanchor(text, runs, 'zzz').runs), 'uuu');
    assert.deepEqual(reanchor(text, runs, '').runs, []);
    assert.equal(letters(reanchor('', [], 'new').runs), 'uuu');
  });

  it('never labels new text AI, even text equal to AI text elsewhere', () => {
    const { text, runs } = runsOf(['x = 1;\n', ai]);
    const result = reanchor(text, runs, 'x = 1;\nx = 1;\n');
    const aiUnits = labels(result.runs).filter(l => l !== 'h' && l !== 'u').length;
    assert.equal(aiUnits, 'x = 1;\n'.length, 'only as many AI characters as were kept');
  });

  it('keeps origins across a switch to CRLF line breaks, where every line differs', () => {
    const { text, runs } = runsOf(['alpha\n', HUMAN], ['beta\n', ai], ['gamma\n', HUMAN]);
    const result = reanchor(text, runs, 'alpha\r\nbeta\r\ngamma\r\n');
    assert.equal(classifyLines('alpha\r\nbeta\r\ngamma\r\n', result.runs).classes, 'hah');
  });

  it('gives up safely when the time budget runs out: the middle becomes unknown, never AI', () => {
    const lines: string[] = [];
    for (let i = 0; i < 60000; i++) lines.push(`line ${i} ${(i * 7919) % 1000}`);
    const old = lines.join('\n') + '\n';
    const changed = lines.map((l, i) => (i % 2 ? `${l} edited` : l)).join('\n') + '\n';
    const result = reanchor(old, [{ length: old.length, origin: ai }], changed, { timeoutMs: 1 });
    assert.equal(result.complete, false);
    const total = result.runs.reduce((n, r) => n + r.length, 0);
    assert.equal(total, changed.length);
    // The common prefix ("line 0 0\n") keeps its origin; everything diffed under no budget is unknown.
    assert.ok(isAi(result.runs[0]!.origin));
    assert.ok(result.runs.some(r => r.origin === UNKNOWN));
  });

  it('re-anchors a 10 MB file with scattered changes @slow', function () {
    const lines: string[] = [];
    for (let i = 0; i < 250000; i++) lines.push(`    const value${i} = compute(${i}, "some text");`);
    const old = lines.join('\n') + '\n';
    assert.ok(old.length > 10_000_000);
    // Every tenth line is AI.
    const runs: Run[] = lines.map((l, i) => ({ length: l.length + 1, origin: i % 10 === 0 ? ai : HUMAN }));
    const edited = lines.slice();
    for (let i = 5; i < edited.length; i += 5000) edited[i] = `${edited[i]} // edited`;
    edited[10] = `${edited[10]} // edited`;
    edited.splice(100000, 0, 'inserted line');
    const fresh = edited.join('\n') + '\n';
    const result = reanchor(old, runs, fresh);
    assert.ok(result.complete, 'the whole file was diffed within the default time budget');
    const classes = classifyLines(fresh, result.runs).classes;
    assert.equal(classes.length, 250001);
    assert.equal(classes[0], 'a');
    assert.equal(classes[100000], 'u', 'the inserted line');
    assert.equal(classes[100001], 'a', 'line 100000 of the old text, AI, kept');
    assert.equal(classes[5], 'u', 'a human line with an unknown comment added outside the editor');
    assert.equal(classes[10], 'm', 'an AI line with an unknown comment');
  });
});

describe('engine on a 10 MB file', () => {
  it('opens, edits, undoes and classifies a 10 MB file @slow', () => {
    const line = 'abcdefghij'.repeat(9) + '\n';
    const text = line.repeat(Math.ceil(10_000_000 / line.length));
    const e = testEngine();
    applyAll(e, [{ t: 'open', path: 'big', text }]);
    // Bottom to top, each at a line start, so earlier offsets stay put.
    for (let i = 199; i >= 0; i--) {
      applyAll(e, [
        { t: 'accept', kind: 'inline', tool: 'copilot' },
        { t: 'edit', path: 'big', changes: [{ offset: i * 500 * line.length, length: 0, text: 'AI!\n' }] },
      ]);
    }
    e.apply({ t: 'edit', path: 'big', changes: [{ offset: 0, length: 4, text: '' }] });
    e.apply({ t: 'edit', path: 'big', changes: [{ offset: 0, length: 0, text: 'AI!\n' }], reason: 'undo' });
    const summary = e.summary('big');
    assert.equal(summary.ai, 200);
    assert.equal(summary.lines.length, text.length / line.length + 200);
    assert.equal(summary.lines[0], 'a', 'undo restored the first AI line');
  });
});

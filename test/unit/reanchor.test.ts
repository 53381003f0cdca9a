import * as assert from 'node:assert/strict';
import { classifyLines } from '../../src/core/attribution/lines';
import { HUMAN, UNKNOWN, isAi, type AiOrigin, type Origin, type Run } from '../../src/core/attribution/origin';
import { reanchor } from '../../src/core/attribution/reanchor';
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

import * as assert from 'node:assert/strict';
import { Engine } from '../../src/core/attribution/engine';
import { EngineError, type EngineErrorCode } from '../../src/core/attribution/errors';
import type { ProvenanceEvent } from '../../src/core/attribution/events';
import { HUMAN, isAi, type AiOrigin } from '../../src/core/attribution/origin';
import { applyAll, describeRuns, testEngine } from './support';

const P = 'src/a.ts';
const open = (text: string, path = P): ProvenanceEvent => ({ t: 'open', path, text });
const insert = (offset: number, text: string, path = P, reason?: 'undo' | 'redo'): ProvenanceEvent =>
  reason
    ? { t: 'edit', path, changes: [{ offset, length: 0, text }], reason }
    : { t: 'edit', path, changes: [{ offset, length: 0, text }] };
const remove = (offset: number, length: number, path = P, reason?: 'undo' | 'redo'): ProvenanceEvent =>
  reason
    ? { t: 'edit', path, changes: [{ offset, length, text: '' }], reason }
    : { t: 'edit', path, changes: [{ offset, length, text: '' }] };
const accept = (
  kind: 'inline' | 'word' | 'line' | 'nes' = 'inline',
  tool: 'copilot' | 'cursor' = 'copilot',
): ProvenanceEvent => ({ t: 'accept', kind, tool, model: 'gpt-4.1' });

function throwsCode(fn: () => void, code: EngineErrorCode, pattern?: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof EngineError, `expected EngineError, got ${String(e)}`);
    assert.equal(e.code, code, e.message);
    if (pattern) assert.match(e.message, pattern);
    return true;
  });
}

describe('engine: edits', () => {
  it('treats the text of open as human, or unknown when it says so', () => {
    const e = applyAll(testEngine(), [open('abc'), { t: 'open', path: 'b', text: 'xy', origin: 'unknown' }]);
    assert.equal(describeRuns(e, P), 'h*3');
    assert.equal(describeRuns(e, 'b'), 'u*2');
  });

  it('applies the changes of one event bottom to top with offsets of the text before the event', () => {
    const e = applyAll(testEngine(), [
      open('aaa\nbbb\nccc\n'),
      accept(),
      // Multi-cursor: one change per line, the last line first, as VS Code delivers them.
      {
        t: 'edit',
        path: P,
        changes: [
          { offset: 8, length: 1, text: 'X' },
          { offset: 4, length: 1, text: 'Y' },
          { offset: 0, length: 0, text: 'Z' },
        ],
      },
    ]);
    assert.equal(e.text(P), 'Zaaa\nYbb\nXcc\n');
    assert.equal(
      describeRuns(e, P),
      'copilot/inline/gpt-4.1*1 h*4 copilot/inline/gpt-4.1*1 h*3 copilot/inline/gpt-4.1*1 h*3',
    );
    // One accept is one origin, even across changes.
    const ids = new Set(
      e
        .runs(P)
        .filter(r => isAi(r.origin))
        .map(r => (r.origin as AiOrigin).id),
    );
    assert.equal(ids.size, 1);
  });

  it('rejects changes that are not bottom to top, or overlap, and changes nothing', () => {
    const e = applyAll(testEngine(), [open('abcdef')]);
    throwsCode(
      () =>
        e.apply({
          t: 'edit',
          path: P,
          changes: [
            { offset: 0, length: 1, text: 'x' },
            { offset: 3, length: 1, text: 'y' },
          ],
        }),
      'change-order',
      /bottom to top/,
    );
    throwsCode(
      () =>
        e.apply({
          t: 'edit',
          path: P,
          changes: [
            { offset: 2, length: 2, text: '' },
            { offset: 1, length: 2, text: '' },
          ],
        }),
      'change-order',
    );
    assert.equal(e.text(P), 'abcdef');
  });

  it('rejects offsets outside the text, validating every change before applying any', () => {
    const e = applyAll(testEngine(), [open('abc')]);
    throwsCode(() => e.apply(insert(4, 'x')), 'out-of-range', /outside the text, which has 3 UTF-16 code units/);
    throwsCode(() => e.apply(remove(2, 2)), 'out-of-range');
    throwsCode(
      () =>
        e.apply({
          t: 'edit',
          path: P,
          changes: [
            { offset: 9, length: 0, text: 'x' },
            { offset: 0, length: 0, text: 'y' },
          ],
        }),
      'out-of-range',
    );
    assert.equal(e.text(P), 'abc');
  });

  it('splits runs on typing inside AI text and merges them back on delete', () => {
    const e = applyAll(testEngine(), [open('ab'), accept(), insert(1, 'XYZ'), insert(2, 'h'), remove(2, 1)]);
    assert.equal(e.text(P), 'aXYZb');
    assert.equal(describeRuns(e, P), 'h*1 copilot/inline/gpt-4.1*3 h*1');
    assert.equal(e.runCount(P), 3);
  });

  it('uses UTF-16 code units for offsets (non-BMP characters are two)', () => {
    const e = applyAll(testEngine(), [open('😀x'), accept(), insert(2, '🚀')]);
    assert.equal(e.text(P), '😀🚀x');
    assert.equal(describeRuns(e, P), 'h*2 copilot/inline/gpt-4.1*2 h*1');
  });

  it('ignores empty change events (VS Code sends them for dirty-state changes) and keeps a pending accept', () => {
    const e = applyAll(testEngine(), [open('a'), accept(), { t: 'edit', path: P, changes: [] }, insert(1, 'b')]);
    assert.equal(describeRuns(e, P), 'h*1 copilot/inline/gpt-4.1*1');
  });
});

describe('engine: capture', () => {
  it('maps accept kinds: inline -> inline, word and line -> partial, nes -> nes', () => {
    for (const [kind, expected] of [
      ['inline', 'inline'],
      ['word', 'partial'],
      ['line', 'partial'],
      ['nes', 'nes'],
    ] as const) {
      const e = applyAll(testEngine(), [open(''), accept(kind, 'cursor'), insert(0, 'x')]);
      assert.equal(describeRuns(e, P), `cursor/${expected}/gpt-4.1*1`);
    }
  });

  it("makes only the next edit event the accept's result, whatever its path", () => {
    const e = applyAll(testEngine(), [open('', 'other'), open(''), accept(), insert(0, 'x', 'other'), insert(0, 'y')]);
    assert.equal(describeRuns(e, 'other'), 'copilot/inline/gpt-4.1*1');
    assert.equal(describeRuns(e, P), 'h*1');
  });

  it('keeps AI origins through copy and paste of AI text, even into another file', () => {
    const e = applyAll(testEngine(), [
      open('ab'),
      accept(),
      insert(1, 'XY'),
      { t: 'copy', path: P, offset: 0, length: 3 },
      open('', 'b'),
      { t: 'paste', path: 'b', text: 'aXY' },
      insert(0, 'aXY', 'b'),
    ]);
    assert.equal(describeRuns(e, 'b'), 'h*1 copilot/inline/gpt-4.1*2');
    // The pasted text shares the origin of the copied text: same accept, same id.
    assert.equal(e.runs('b')[1]!.origin, e.runs(P)[1]!.origin);
  });

  it('makes a paste of text that was not copied in the editor human', () => {
    const e = applyAll(testEngine(), [
      open('ab'),
      accept(),
      insert(0, 'XY'),
      { t: 'copy', path: P, offset: 0, length: 2 },
      { t: 'paste', path: P, text: 'other' },
      insert(0, 'other'),
    ]);
    assert.equal(describeRuns(e, P), 'h*5 copilot/inline/gpt-4.1*2 h*2');
  });

  it('drops a paste that did not land as announced: the next edit is typing, and so is a later one with the same text', () => {
    const e = applyAll(testEngine(), [
      open(''),
      accept(),
      insert(0, 'AI'),
      { t: 'copy', path: P, offset: 0, length: 2 },
      { t: 'paste', path: P, text: 'AI' },
      insert(2, '  AI'), // auto-indented: not the pasted text
      insert(6, 'AI'), // typed later: not a paste either
    ]);
    assert.equal(describeRuns(e, P), 'copilot/inline/gpt-4.1*2 h*6');
  });

  it('labels every edit to a path between chat start and end as chat, and only that path', () => {
    const e = applyAll(testEngine(), [
      open(''),
      open('', 'b'),
      { t: 'chat', path: P, phase: 'start', tool: 'copilot', model: 'claude-sonnet-4' },
      insert(0, 'one'),
      insert(0, 'z', 'b'),
      insert(3, 'two'),
      { t: 'chat', path: P, phase: 'end' },
      insert(6, '!'),
    ]);
    assert.equal(describeRuns(e, P), 'copilot/chat/claude-sonnet-4*6 h*1');
    assert.equal(describeRuns(e, 'b'), 'h*1');
    // One session, one origin: the two chat edits merged into one run.
    assert.equal(e.runCount(P), 2);
  });

  it('hands over the whole lines an AI edit removed: a chat edit, an accept that replaces text; not typing', () => {
    const text = 'if (amount < 0) throw new Error();\ncharge(amount);\n';
    const e = applyAll(testEngine(), [open(text)]);
    const removeLine: ProvenanceEvent = { t: 'edit', path: P, changes: [{ offset: 0, length: 35, text: '' }] };
    applyAll(e, [{ t: 'chat', path: P, phase: 'start', tool: 'copilot', model: 'gpt-4.1' }, removeLine]);
    const [chat, ...more] = e.takeAiRemovals();
    assert.deepEqual(more, []);
    assert.deepEqual(
      { path: chat?.path, lines: chat?.lines, tool: chat?.origin.tool, kind: chat?.origin.kind },
      { path: P, lines: ['if (amount < 0) throw new Error();'], tool: 'copilot', kind: 'chat' },
    );
    assert.deepEqual(e.takeAiRemovals(), [], 'taken once');
    // An accepted suggestion that rewrites part of a line: the line as it was is removed.
    applyAll(e, [
      { t: 'chat', path: P, phase: 'end' },
      { t: 'accept', kind: 'nes', tool: 'copilot' },
      { t: 'edit', path: P, changes: [{ offset: 7, length: 6, text: 'total' }] },
    ]);
    assert.deepEqual(
      e.takeAiRemovals().map(r => [r.lines, r.origin.kind]),
      [[['charge(amount);'], 'nes']],
    );
    // The person deleting a line removes nothing the AI is answerable for.
    applyAll(e, [{ t: 'edit', path: P, changes: [{ offset: 0, length: 14, text: '' }] }]);
    assert.deepEqual(e.takeAiRemovals(), []);
  });

  it("a person's paste during a chat session removes nothing for the AI; a chat edit of many lines is one entry", () => {
    const guard = "  if (!authorized) throw new Error('no');\n";
    const e = applyAll(testEngine(), [
      open(`function pay() {\n${guard}  charge();\n}\n`),
      { t: 'chat', path: P, phase: 'start', tool: 'copilot' },
      { t: 'paste', path: P, text: '  log();\n' },
      { t: 'edit', path: P, changes: [{ offset: 17, length: guard.length, text: '  log();\n' }] },
    ]);
    assert.deepEqual(e.takeAiRemovals(), [], "the pasted text is the person's, and so is what it replaced");
    const many = Array.from({ length: 1500 }, (_, i) => `console.log(${i});\n`).join('');
    applyAll(e, [open(many, 'big'), { t: 'chat', path: 'big', phase: 'start', tool: 'copilot' }]);
    // Delete every line, bottom to top, in one event.
    const lineStarts: number[] = [];
    for (let at = 0; at < many.length; at = many.indexOf('\n', at) + 1) lineStarts.push(at);
    const del = lineStarts
      .map((start, i) => ({ offset: start, length: (lineStarts[i + 1] ?? many.length) - start, text: '' }))
      .reverse();
    applyAll(e, [{ t: 'edit', path: 'big', changes: del }]);
    const removed = e.takeAiRemovals();
    assert.equal(removed.length, 1);
    assert.equal(removed[0]!.lines.length, 1500);
  });

  it('marks a range as AI (kind manual by default, or the kind and model given) or as human', () => {
    const e = applyAll(testEngine(), [
      open('abcdefgh'),
      { t: 'mark', path: P, offset: 0, length: 2, as: 'ai', tool: 'ai' },
      { t: 'mark', path: P, offset: 2, length: 2, as: 'ai', tool: 'codex', kind: 'agent', model: 'o3' },
      { t: 'mark', path: P, offset: 1, length: 2, as: 'human' },
    ]);
    assert.equal(describeRuns(e, P), 'ai/manual*1 h*2 codex/agent/o3*1 h*4');
    throwsCode(() => e.apply({ t: 'mark', path: P, offset: 0, length: 9, as: 'human' }), 'out-of-range');
  });
});

describe('engine: undo and redo', () => {
  const ai = 'copilot/inline/gpt-4.1';

  it('brings back deleted AI text as AI on undo', () => {
    const e = applyAll(testEngine(), [
      open('ab'),
      accept(),
      insert(1, 'XYZ'),
      remove(0, 4),
      insert(0, 'aXYZ', P, 'undo'),
    ]);
    assert.equal(e.text(P), 'aXYZb');
    assert.equal(describeRuns(e, P), `h*1 ${ai}*3 h*1`);
  });

  it('makes a redo of an AI insertion AI again, not typing', () => {
    const e = applyAll(testEngine(), [
      open('ab'),
      accept(),
      insert(1, 'XYZ'),
      remove(1, 3, P, 'undo'),
      insert(1, 'XYZ', P, 'redo'),
    ]);
    assert.equal(describeRuns(e, P), `h*1 ${ai}*3 h*1`);
  });

  it('undoes grouped typing (several events, one undo) and restores what the typing replaced', () => {
    const e = applyAll(testEngine(), [
      open('0123'),
      accept(),
      insert(2, 'AI'), // 01AI23
      { t: 'edit', path: P, changes: [{ offset: 2, length: 2, text: 'h' }] }, // typing over the AI text
      insert(3, 'e'),
      insert(4, 'y'), // 01hey23
    ]);
    assert.equal(describeRuns(e, P), 'h*7');
    // VS Code undoes the three typing events as one element, in one change.
    e.apply({ t: 'edit', path: P, changes: [{ offset: 2, length: 3, text: 'AI' }], reason: 'undo' });
    assert.equal(e.text(P), '01AI23');
    assert.equal(describeRuns(e, P), `h*2 ${ai}*2 h*2`);
    // Redo puts the typing back, human.
    e.apply({ t: 'edit', path: P, changes: [{ offset: 2, length: 2, text: 'hey' }], reason: 'redo' });
    assert.equal(describeRuns(e, P), 'h*7');
    // And undo again restores the AI text again.
    e.apply({ t: 'edit', path: P, changes: [{ offset: 2, length: 3, text: 'AI' }], reason: 'undo' });
    assert.equal(describeRuns(e, P), `h*2 ${ai}*2 h*2`);
  });

  it('undoes grouped backspaces over AI text in one event', () => {
    const e = applyAll(testEngine(), [
      open(''),
      accept(),
      insert(0, 'abc'),
      remove(2, 1),
      remove(1, 1),
      remove(0, 1),
      insert(0, 'abc', P, 'undo'),
    ]);
    assert.equal(describeRuns(e, P), `${ai}*3`);
  });

  it("follows the stack: undo, undo, redo, redo restore each state's own origins", () => {
    // Same text "a" at the same place, first human then AI: a content-only lookup would mix them up.
    const e = applyAll(testEngine(), [open(''), insert(0, 'a'), remove(0, 1), accept(), insert(0, 'a'), remove(0, 1)]);
    e.apply(insert(0, 'a', P, 'undo')); // undo the delete of the AI "a"
    assert.equal(describeRuns(e, P), `${ai}*1`);
    e.apply(remove(0, 1, P, 'undo')); // undo the accept
    assert.equal(e.text(P), '');
    e.apply(insert(0, 'a', P, 'undo')); // undo the delete of the human "a"
    assert.equal(describeRuns(e, P), 'h*1');
    e.apply(remove(0, 1, P, 'redo')); // redo that delete
    e.apply(insert(0, 'a', P, 'redo')); // redo the accept
    assert.equal(describeRuns(e, P), `${ai}*1`);
  });

  it('restores origins when the undo event is shaped differently from the edits (multi-change inverse)', () => {
    const e = applyAll(testEngine(), [
      open('x\ny\n'),
      accept(),
      {
        t: 'edit',
        path: P,
        changes: [
          { offset: 2, length: 1, text: 'AI' },
          { offset: 0, length: 1, text: 'AI' },
        ],
      }, // AI\nAI\n
      { t: 'edit', path: P, changes: [{ offset: 0, length: 6, text: '' }] },
    ]);
    e.apply({ t: 'edit', path: P, changes: [{ offset: 0, length: 0, text: 'AI\nAI\n' }], reason: 'undo' });
    assert.equal(describeRuns(e, P), `${ai}*2 h*1 ${ai}*2 h*1`);
    // Undo the accept as VS Code would: two changes, bottom to top.
    e.apply({
      t: 'edit',
      path: P,
      changes: [
        { offset: 3, length: 2, text: 'y' },
        { offset: 0, length: 2, text: 'x' },
      ],
      reason: 'undo',
    });
    assert.equal(e.text(P), 'x\ny\n');
    assert.equal(describeRuns(e, P), 'h*4');
  });

  it('keeps the text correct and the inserted text unknown when an undo is not explained by the history', () => {
    const e = applyAll(testEngine(), [open('abc'), insert(0, 'zz', P, 'undo')]);
    assert.equal(e.text(P), 'zzabc');
    assert.equal(describeRuns(e, P), 'u*2 h*3');
  });

  it('matches an undo deep in the history, and bounds the history (memory follows runs, not edits)', () => {
    const run = (limits?: { records: number; chars: number }): string => {
      const e = testEngine(limits ? { history: limits } : {});
      applyAll(e, [open(''), accept(), insert(0, 'AI'), remove(0, 2)]);
      for (let i = 0; i < 50; i++) applyAll(e, [insert(0, 'x'), remove(0, 1)]);
      // One undo event that goes back past all the typing to before the deletion.
      e.apply(insert(0, 'AI', P, 'undo'));
      return describeRuns(e, P);
    };
    assert.equal(run(), `${ai}*2`, '102 records deep, within the default limits');
    assert.equal(
      run({ records: 10, chars: 1000 }),
      'u*2',
      'the deletion fell out of a 10-record history: unexplained, so unknown',
    );
  });
});

describe('engine: documents', () => {
  it('requires a tracked, open path for editor events, naming the path and the fix', () => {
    const e = applyAll(testEngine(), [open('abc')]);
    for (const event of [
      insert(0, 'x', 'nope'),
      { t: 'save', path: 'nope' },
      { t: 'close', path: 'nope' },
      { t: 'copy', path: 'nope', offset: 0, length: 0 },
      { t: 'paste', path: 'nope', text: '' },
      { t: 'mark', path: 'nope', offset: 0, length: 0, as: 'human' },
      { t: 'chat', path: 'nope', phase: 'start', tool: 'copilot' },
    ] as ProvenanceEvent[]) {
      throwsCode(() => e.apply(event), 'unknown-path', /nope is not tracked/);
    }
    e.apply({ t: 'close', path: P });
    throwsCode(() => e.apply(insert(0, 'x')), 'not-open', /was closed/);
  });

  it('keeps a closed file tracked and resumes it on open, re-anchoring if it changed meanwhile', () => {
    const e = applyAll(testEngine(), [open('a\n'), accept(), insert(2, 'b\n'), { t: 'close', path: P }]);
    assert.deepEqual(e.paths(), [P]);
    assert.equal(e.isOpen(P), false);
    e.apply(open('a\nb\n'));
    assert.equal(describeRuns(e, P), `h*2 ${'copilot/inline/gpt-4.1'}*2`);
    e.apply({ t: 'close', path: P });
    e.apply(open('a\nb\nc\n'));
    assert.equal(describeRuns(e, P), `h*2 ${'copilot/inline/gpt-4.1'}*2 u*2`);
  });

  it('tracks a file first seen on disk as unknown', () => {
    const e = applyAll(testEngine(), [{ t: 'disk', path: 'new.ts', text: 'x\n' }]);
    assert.equal(describeRuns(e, 'new.ts'), 'u*2');
    assert.equal(e.isOpen('new.ts'), false);
    throwsCode(() => e.apply(insert(0, 'x', 'new.ts')), 'not-open');
  });

  it('re-anchors a disk change: kept text keeps its origin, new text is unknown', () => {
    const e = applyAll(testEngine(), [
      open('keep\n'),
      accept(),
      insert(5, 'ai line\n'),
      { t: 'disk', path: P, text: 'keep\nai line changed\nnew\n' },
    ]);
    assert.equal(e.text(P), 'keep\nai line changed\nnew\n');
    assert.equal(e.summary(P).lines, 'hmu');
  });

  it('moves a file with rename, and refuses to rename onto an open file', () => {
    const e = applyAll(testEngine(), [open('x'), accept(), insert(0, 'A'), { t: 'rename', from: P, to: 'b.ts' }]);
    assert.deepEqual(e.paths(), ['b.ts']);
    assert.equal(describeRuns(e, 'b.ts'), 'copilot/inline/gpt-4.1*1 h*1');
    e.apply(open('', 'c.ts'));
    throwsCode(() => e.apply({ t: 'rename', from: 'b.ts', to: 'c.ts' }), 'path-in-use');
    throwsCode(() => e.apply({ t: 'rename', from: 'zz', to: 'y' }), 'unknown-path');
  });

  it('carries a chat session across a rename', () => {
    const e = applyAll(testEngine(), [
      open(''),
      { t: 'chat', path: P, phase: 'start', tool: 'copilot' },
      { t: 'rename', from: P, to: 'b' },
      insert(0, 'x', 'b'),
    ]);
    assert.equal(describeRuns(e, 'b'), 'copilot/chat*1');
  });

  it('stores agent events without interpreting them', () => {
    const e = applyAll(testEngine(), [{ t: 'agent', agent: 'claude-code', payload: { tool_name: 'Edit' } }]);
    assert.deepEqual(e.agentEvents(), [{ agent: 'claude-code', payload: { tool_name: 'Edit' } }]);
    assert.deepEqual(e.paths(), []);
  });

  it('restores stored runs, and refuses runs that do not cover the text', () => {
    const e = new Engine();
    const origin: AiOrigin = { id: 'x', tool: 'codex', kind: 'agent', at: '2026-01-01T00:00:00.000Z' };
    e.restore(P, 'abc', [
      { length: 1, origin: HUMAN },
      { length: 2, origin },
    ]);
    assert.equal(describeRuns(e, P), 'h*1 codex/agent*2');
    throwsCode(
      () => e.restore(P, 'abc', [{ length: 2, origin: HUMAN }]),
      'invalid',
      /cover 2 code units but the text has 3/,
    );
  });

  it('gives AI origins a uuid v4 and an ISO time by default', () => {
    const e = applyAll(new Engine(), [open(''), accept(), insert(0, 'x')]);
    const origin = e.runs(P)[0]!.origin as AiOrigin;
    assert.match(origin.id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.ok(!Number.isNaN(Date.parse(origin.at)));
    assert.equal(origin.model, 'gpt-4.1');
  });
});

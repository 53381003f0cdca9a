import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { EngineError } from '../../src/core/attribution/errors';
import { HUMAN, UNKNOWN, type AiOrigin, type Origin, type Run } from '../../src/core/attribution/origin';
import { RunList } from '../../src/core/attribution/runs';
import { TextBuffer } from '../../src/core/attribution/text';

const ai = (id: string): AiOrigin => ({ id, tool: 'copilot', kind: 'inline', at: '2026-01-01T00:00:00.000Z' });
const A = ai('a');
const B = ai('b');

/** Expands runs to one origin per code unit: the naive model the run list must agree with. */
function expand(runs: readonly Run[]): Origin[] {
  const out: Origin[] = [];
  for (const r of runs) for (let i = 0; i < r.length; i++) out.push(r.origin);
  return out;
}

function assertCanonical(runs: readonly Run[]): void {
  for (let i = 0; i < runs.length; i++) {
    assert.ok(runs[i]!.length > 0, `run ${i} is empty`);
    if (i > 0)
      assert.notEqual(
        runs[i - 1]!.origin,
        runs[i]!.origin,
        `runs ${i - 1} and ${i} share an origin and were not merged`,
      );
  }
}

describe('RunList', () => {
  it('splits a run on insertion and merges it back when the insertion is deleted', () => {
    const list = new RunList([{ length: 10, origin: HUMAN }]);
    list.replace(4, 0, [{ length: 3, origin: A }]);
    assert.deepEqual(list.toArray(), [
      { length: 4, origin: HUMAN },
      { length: 3, origin: A },
      { length: 6, origin: HUMAN },
    ]);
    list.replace(4, 3, []);
    assert.deepEqual(list.toArray(), [{ length: 10, origin: HUMAN }]);
    assert.equal(list.runCount, 1);
  });

  it('deletes across several runs and merges the neighbours that come to touch', () => {
    const list = new RunList([
      { length: 2, origin: A },
      { length: 2, origin: HUMAN },
      { length: 2, origin: B },
      { length: 2, origin: A },
    ]);
    list.replace(1, 6, []);
    assert.deepEqual(list.toArray(), [{ length: 2, origin: A }]);
  });

  it('replaces a range with runs of several origins', () => {
    const list = new RunList([{ length: 6, origin: HUMAN }]);
    list.replace(2, 2, [
      { length: 1, origin: A },
      { length: 1, origin: UNKNOWN },
    ]);
    assert.deepEqual(expand(list.toArray()), [HUMAN, HUMAN, A, UNKNOWN, HUMAN, HUMAN]);
    assert.equal(list.length, 6);
  });

  it('merges origins that are equal by id even when they are different objects (stored state)', () => {
    const list = new RunList([{ length: 2, origin: ai('same') }]);
    list.replace(2, 0, [{ length: 3, origin: ai('same') }]);
    assert.equal(list.runCount, 1);
    assert.equal(list.length, 5);
  });

  it('slices the origins of a range, cut at both ends', () => {
    const list = new RunList([
      { length: 3, origin: HUMAN },
      { length: 3, origin: A },
      { length: 3, origin: HUMAN },
    ]);
    assert.deepEqual(list.slice(2, 5), [
      { length: 1, origin: HUMAN },
      { length: 3, origin: A },
      { length: 1, origin: HUMAN },
    ]);
    assert.deepEqual(list.slice(9, 0), []);
    assert.equal(list.originAt(3), A);
  });

  it('throws a typed out-of-range error and changes nothing for a range past the end', () => {
    const list = new RunList([{ length: 3, origin: HUMAN }]);
    assert.throws(
      () => list.replace(2, 2, []),
      (e: unknown) => e instanceof EngineError && e.code === 'out-of-range',
    );
    assert.throws(
      () => list.replace(-1, 0, []),
      (e: unknown) => e instanceof EngineError && e.code === 'invalid',
    );
    assert.deepEqual(list.toArray(), [{ length: 3, origin: HUMAN }]);
  });

  it('grows from empty and shrinks back to empty', () => {
    const list = new RunList();
    assert.equal(list.length, 0);
    list.replace(0, 0, [{ length: 4, origin: A }]);
    list.replace(0, 4, []);
    assert.deepEqual(list.toArray(), []);
    assert.equal(list.runCount, 0);
    list.replace(0, 0, [{ length: 1, origin: B }]);
    assert.deepEqual(list.toArray(), [{ length: 1, origin: B }]);
  });

  it('agrees with one origin per code unit over random replacements, across chunk boundaries (property)', () => {
    const origins: Origin[] = [HUMAN, UNKNOWN, A, B, ai('c')];
    const op = fc.record({
      at: fc.nat(),
      del: fc.nat({ max: 12 }),
      insert: fc.array(fc.record({ length: fc.integer({ min: 0, max: 4 }), origin: fc.constantFrom(...origins) }), {
        maxLength: 4,
      }),
    });
    fc.assert(
      fc.property(fc.constantFrom(2, 3, 5, 64), fc.array(op, { maxLength: 60 }), (maxRuns, ops) => {
        const list = new RunList([], maxRuns);
        let naive: Origin[] = [];
        for (const { at, del, insert } of ops) {
          const offset = naive.length === 0 ? 0 : at % (naive.length + 1);
          const length = Math.min(del, naive.length - offset);
          list.replace(offset, length, insert);
          naive = [...naive.slice(0, offset), ...expand(insert), ...naive.slice(offset + length)];
          const runs = list.toArray();
          assert.deepEqual(expand(runs), naive);
          assertCanonical(runs);
          assert.equal(list.length, naive.length);
          assert.equal(list.runCount, runs.length);
          if (naive.length > 0) {
            const s = at % naive.length;
            const n = Math.min(del, naive.length - s);
            assert.deepEqual(expand(list.slice(s, n)), naive.slice(s, s + n));
          }
        }
      }),
      { seed: 42, numRuns: 300 },
    );
  });

  it('clones independently', () => {
    const list = new RunList([{ length: 3, origin: HUMAN }]);
    const copy = list.clone();
    copy.replace(0, 1, [{ length: 1, origin: A }]);
    assert.deepEqual(list.toArray(), [{ length: 3, origin: HUMAN }]);
    assert.deepEqual(expand(copy.toArray()), [A, HUMAN, HUMAN]);
  });
});

describe('TextBuffer', () => {
  it('replaces, slices and joins like a string (property, small chunks)', () => {
    const op = fc.record({
      at: fc.nat(),
      del: fc.nat({ max: 20 }),
      text: fc.string({ maxLength: 12, unit: fc.constantFrom('a', 'b', '\n', '\r\n', '😀') }),
    });
    fc.assert(
      fc.property(
        fc.constantFrom(2, 3, 7, 4096),
        fc.string({ maxLength: 30 }),
        fc.array(op, { maxLength: 40 }),
        (chunk, initial, ops) => {
          const buffer = new TextBuffer(initial, chunk);
          let naive = initial;
          for (const { at, del, text } of ops) {
            const offset = at % (naive.length + 1);
            const length = Math.min(del, naive.length - offset);
            buffer.replace(offset, length, text);
            naive = naive.slice(0, offset) + text + naive.slice(offset + length);
            assert.equal(buffer.length, naive.length);
            const s = at % (naive.length + 1);
            const e = Math.min(naive.length, s + del);
            assert.equal(buffer.slice(s, e), naive.slice(s, e));
          }
          assert.equal(buffer.toString(), naive);
          const copy = buffer.clone();
          assert.ok(copy.equals(buffer));
          copy.replace(0, 0, 'x');
          assert.ok(!copy.equals(buffer));
          assert.equal(buffer.toString(), naive);
        },
      ),
      { seed: 7, numRuns: 300 },
    );
  });

  it('compares equal texts held in differently cut chunks', () => {
    const a = new TextBuffer('hello world', 3);
    const b = new TextBuffer('hello', 4);
    b.replace(5, 0, ' world');
    assert.ok(a.equals(b));
    b.replace(0, 1, 'H');
    assert.ok(!a.equals(b));
  });

  it('throws out-of-range for a slice or replace past the end', () => {
    const b = new TextBuffer('abc');
    assert.throws(
      () => b.replace(3, 1, ''),
      (e: unknown) => e instanceof EngineError && e.code === 'out-of-range',
    );
    assert.throws(
      () => b.slice(2, 5),
      (e: unknown) => e instanceof EngineError,
    );
  });
});

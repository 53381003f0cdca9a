import * as assert from 'node:assert/strict';
import { classifyLines, isWhitespace, summarize } from '../../src/core/attribution/lines';
import { HUMAN, UNKNOWN, type AiOrigin, type Origin, type Run } from '../../src/core/attribution/origin';
import { RunList } from '../../src/core/attribution/runs';
import { withSeed } from '../support/seed';

const at = '2026-01-01T00:00:00.000Z';
const copilot: AiOrigin = { id: 'c1', tool: 'copilot', kind: 'inline', model: 'gpt-4.1', at };
const copilot2: AiOrigin = { id: 'c2', tool: 'copilot', kind: 'inline', at };
const claude: AiOrigin = { id: 'k1', tool: 'claude-code', kind: 'agent', at };

/** Builds runs from pieces of text, each with its origin; returns the text too. */
function doc(...pieces: [string, Origin][]): { text: string; runs: Run[] } {
  return { text: pieces.map(p => p[0]).join(''), runs: pieces.map(([t, origin]) => ({ length: t.length, origin })) };
}

/** The rule of docs/attribution.md, character by character and line by line, with nothing cached or skipped. */
function reference(text: string, runs: readonly Run[]): { classes: string; dominant: (AiOrigin | undefined)[] } {
  const origins: Origin[] = runs.flatMap(r => Array.from({ length: r.length }, () => r.origin));
  const out = { classes: '', dominant: [] as (AiOrigin | undefined)[] };
  let start = 0;
  while (start < text.length) {
    const br = text.indexOf('\n', start);
    const end = br === -1 ? text.length : br + 1;
    const all = Array.from({ length: end - start }, (_, i) => start + i);
    const significant = all.filter(i => !/\s/.test(text[i]!));
    const used = significant.length > 0 ? significant : all;
    const ai = used.filter(i => typeof origins[i] !== 'string');
    const unknown = used.filter(i => origins[i] === 'unknown');
    out.classes += ai.length > 0 ? (ai.length === used.length ? 'a' : 'm') : unknown.length > 0 ? 'u' : 'h';
    // The (tool, kind) owning most used characters; on a tie the one whose first used character comes first; its
    // origin is its first on the line.
    let best: { key: string; n: number; first: number } | undefined;
    for (const i of ai) {
      const o = origins[i] as AiOrigin;
      const key = `${o.tool}/${o.kind}`;
      const n = ai.filter(j => `${(origins[j] as AiOrigin).tool}/${(origins[j] as AiOrigin).kind}` === key).length;
      if (!best || n > best.n) best = { key, n, first: i };
    }
    out.dominant.push(
      best &&
        (origins.slice(start, end).find(o => typeof o !== 'string' && `${o.tool}/${o.kind}` === best.key) as AiOrigin),
    );
    start = end;
  }
  return out;
}

function classes(...pieces: [string, Origin][]): string {
  const { text, runs } = doc(...pieces);
  return classifyLines(text, runs).classes;
}

describe('line classes', () => {
  it('classifies all-AI, mixed, unknown and human lines', () => {
    assert.equal(
      classes(['ai line\n', copilot], ['human ', HUMAN], ['and ai\n', copilot], ['???\n', UNKNOWN], ['me\n', HUMAN]),
      'amuh',
    );
  });

  it('classifies only non-whitespace characters when a line has some', () => {
    // Human indentation and line break around AI code: still an all-AI line.
    assert.equal(classes(['    ', HUMAN], ['return x;', copilot], ['\n', HUMAN]), 'a');
    // AI whitespace around human code: a human line.
    assert.equal(classes(['  ', copilot], ['x', HUMAN], ['  \n', copilot]), 'h');
  });

  it('classifies all characters of a whitespace-only line', () => {
    assert.equal(classes(['  \n', copilot]), 'a');
    assert.equal(classes([' ', copilot], ['\n', HUMAN]), 'm');
    assert.equal(classes(['\n', UNKNOWN]), 'u');
    assert.equal(classes(['\t\n', HUMAN]), 'h');
  });

  it('counts unknown only when no character is AI', () => {
    assert.equal(classes(['a', UNKNOWN], ['b\n', HUMAN]), 'u');
    assert.equal(classes(['a', UNKNOWN], ['b\n', copilot]), 'm');
  });

  it('counts a last line without a line break, and gives an empty text no lines', () => {
    assert.equal(classes(['one\n', HUMAN], ['two', copilot]), 'ha');
    assert.equal(classifyLines('', []).classes, '');
    assert.deepEqual(summarize(classifyLines('', [])), {
      lines: '',
      ai: 0,
      mixed: 0,
      human: 0,
      unknown: 0,
      segments: [],
    });
    // A text ending in a line break has no extra empty line after it.
    assert.equal(classes(['x\n', HUMAN]), 'h');
  });

  it('treats \\r\\n as one line break, and a lone \\r as whitespace inside a line (as git counts lines)', () => {
    assert.equal(classes(['one\r\n', HUMAN], ['two\r\n', copilot], ['\r\n', copilot]), 'haa');
    assert.equal(classes(['a\rb\n', HUMAN]), 'h');
    assert.equal(classifyLines('a\rb\rc', [{ length: 5, origin: HUMAN }]).classes.length, 1);
    // The \r of an AI line is whitespace: a human \r\n after AI code keeps the line all AI.
    assert.equal(classes(['x = 1;', copilot], ['\r\n', HUMAN]), 'a');
  });

  it('counts non-BMP characters (two UTF-16 code units) as one non-whitespace character each', () => {
    assert.equal(classes(['😀', copilot], ['\n', HUMAN], ['𝒳', HUMAN], ['🚀\n', copilot]), 'am');
  });

  it("knows the Unicode whitespace that JavaScript's \\s knows", () => {
    for (const ch of [' ', '\t', '\n', '\r', '\v', '\f', '\u00a0', '\u2003', '\u3000', '\ufeff', '\u2028']) {
      assert.ok(isWhitespace(ch.charCodeAt(0)), `U+${ch.charCodeAt(0).toString(16)}`);
      assert.ok(/\s/.test(ch));
    }
    for (const ch of ['a', '_', '0', '\u200b', '\u0085'])
      assert.equal(isWhitespace(ch.charCodeAt(0)), /\s/.test(ch), `U+${ch.charCodeAt(0).toString(16)}`);
  });

  it('agrees with the rule applied character by character, on random texts and runs', () =>
    withSeed('random line classes', async random => {
      const origins: Origin[] = [HUMAN, UNKNOWN, copilot, copilot2, claude];
      const alphabet = ['a', 'b', ' ', '\t', '\n', '\n', '\r', '\u00a0', 'é'];
      for (let round = 0; round < 300; round++) {
        const runs: Run[] = [];
        let text = '';
        for (let r = Math.floor(random() * 12); r >= 0; r--) {
          // Runs of whole lines (the common case), and runs that start or end inside a line.
          const length = random() < 0.5 ? 1 + Math.floor(random() * 4) : 1 + Math.floor(random() * 30);
          let piece = '';
          for (let i = 0; i < length; i++) piece += alphabet[Math.floor(random() * alphabet.length)];
          if (random() < 0.4) piece = piece.replace(/\n/g, '') + '\n';
          text += piece;
          runs.push({ length: piece.length, origin: origins[Math.floor(random() * origins.length)]! });
        }
        const got = classifyLines(text, runs);
        const want = reference(text, runs);
        assert.equal(got.classes, want.classes, JSON.stringify({ text, runs }));
        assert.deepEqual(got.dominant, want.dominant, JSON.stringify({ text, runs }));
      }
    }));

  it('accepts a RunList as well as an array', () => {
    const { text, runs } = doc(['a\n', HUMAN], ['b\n', copilot]);
    assert.equal(classifyLines(text, new RunList(runs, 2)).classes, 'ha');
  });

  it('rejects runs that do not cover the text', () => {
    assert.throws(() => classifyLines('abc', [{ length: 2, origin: HUMAN }]), /out of step/);
  });
});

describe('line summary and segments', () => {
  it('counts lines per class', () => {
    const { text, runs } = doc(
      ['a\n', copilot],
      ['b ', HUMAN],
      ['c\n', copilot],
      ['d\n', HUMAN],
      ['e\n', UNKNOWN],
      ['f\n', HUMAN],
    );
    const s = summarize(classifyLines(text, runs));
    assert.deepEqual(
      { lines: s.lines, ai: s.ai, mixed: s.mixed, human: s.human, unknown: s.unknown },
      { lines: 'amhuh', ai: 1, mixed: 1, human: 2, unknown: 1 },
    );
  });

  it('groups consecutive lines of the same class and the same tool and kind, across different accepts', () => {
    const { text, runs } = doc(
      ['one\n', copilot],
      ['two\n', copilot2],
      ['three\n', claude],
      ['4\n', HUMAN],
      ['five\n', copilot],
    );
    assert.deepEqual(summarize(classifyLines(text, runs)).segments, [
      { start: 1, end: 2, class: 'a', tool: 'copilot', kind: 'inline' },
      { start: 3, end: 3, class: 'a', tool: 'claude-code', kind: 'agent' },
      { start: 5, end: 5, class: 'a', tool: 'copilot', kind: 'inline' },
    ]);
  });

  it('splits a segment where the class changes from a to m', () => {
    const { text, runs } = doc(['one\n', copilot], ['t', HUMAN], ['wo\n', copilot]);
    assert.deepEqual(summarize(classifyLines(text, runs)).segments, [
      { start: 1, end: 1, class: 'a', tool: 'copilot', kind: 'inline' },
      { start: 2, end: 2, class: 'm', tool: 'copilot', kind: 'inline' },
    ]);
  });

  it('gives a mixed line the tool and kind with the most characters on it, the first one on a tie', () => {
    const most = classifyLines(
      ...(Object.values(doc(['ab', claude], ['cdef', copilot], ['g\n', HUMAN])) as [string, Run[]]),
    );
    assert.equal(most.dominant[0], copilot);
    const tie = classifyLines(
      ...(Object.values(doc(['ab', claude], ['cd', copilot], ['g\n', HUMAN])) as [string, Run[]]),
    );
    assert.equal(tie.dominant[0], claude);
    // Two accepts of one tool and kind add up against a single bigger one of another.
    const sum = classifyLines(
      ...(Object.values(doc(['abc', copilot], ['defg', claude], ['hij', copilot2], ['\n', HUMAN])) as [string, Run[]]),
    );
    assert.equal(sum.dominant[0], copilot);
    assert.equal(classifyLines('x\n', [{ length: 2, origin: HUMAN }]).dominant[0], undefined);
  });
});

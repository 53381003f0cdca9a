import * as assert from 'node:assert/strict';
import { shortHash } from '../../src/core/short-hash';

describe('shortHash: the names that pair an agent tool call’s hooks', () => {
  it('gives the same 32 hex digits for the same text, and different ones for near texts', () => {
    const key = 'claude-code\0session\0toolu_01A';
    assert.match(shortHash(key), /^[0-9a-f]{32}$/);
    assert.equal(shortHash(key), shortHash(`${key}`));
    const seen = new Set<string>();
    // Near inputs: one character changed, appended, or moved; every code unit, astral characters included.
    for (let i = 0; i < 20000; i++) {
      seen.add(shortHash(`${key}${i}`));
      seen.add(shortHash(`${i}${key}`));
    }
    for (const s of ['', '\0', '\0\0', 'a', 'b', 'ab', 'ba', '\u{1F600}', '\uD83D', '\uDE00']) seen.add(shortHash(s));
    assert.equal(seen.size, 40010);
  });

  it('spreads one changed character over every lane', () => {
    const a = shortHash('Write\0{"path":"src/a.ts"}');
    const b = shortHash('Write\0{"path":"src/b.ts"}');
    for (let lane = 0; lane < 4; lane++)
      assert.notEqual(a.slice(lane * 8, lane * 8 + 8), b.slice(lane * 8, lane * 8 + 8));
  });
});

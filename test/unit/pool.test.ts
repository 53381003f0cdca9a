import * as assert from 'node:assert/strict';
import { pooled } from '../../src/core/pool';

const tick = () => new Promise<void>(resolve => setTimeout(resolve, 1));

describe('pooled', () => {
  it('runs at most `limit` tasks at once and keeps results in input order', async () => {
    let running = 0;
    let most = 0;
    const results = await pooled([5, 1, 4, 2, 3, 0, 6], 3, async (n, i) => {
      most = Math.max(most, ++running);
      for (let t = 0; t < n; t++) await tick();
      running--;
      return `${i}:${n}`;
    });
    assert.deepEqual(results, ['0:5', '1:1', '2:4', '3:2', '4:3', '5:0', '6:6']);
    assert.equal(most, 3);
  });

  it('starts nothing after a task fails, and throws only once the tasks already running have ended', async () => {
    const started: number[] = [];
    const ended: number[] = [];
    const items = Array.from({ length: 20 }, (_, i) => i);
    await assert.rejects(
      pooled(items, 4, async i => {
        started.push(i);
        await tick();
        if (i === 0) throw new Error('store full');
        await tick();
        ended.push(i);
      }),
      /store full/,
    );
    const settledAt = [...ended];
    assert.deepEqual(started, [0, 1, 2, 3], 'the three running beside the failed one, and no more');
    assert.deepEqual(settledAt.sort(), [1, 2, 3], 'those three ended before the failure was thrown');
    for (let t = 0; t < 10; t++) await tick();
    assert.deepEqual(started, [0, 1, 2, 3], 'nothing starts later either');
  });
});
